import type { Role } from '@samverka/contracts';
import type { ApiClient } from '@samverka/testing';
import { PASSWORD } from './fixtures.js';

/**
 * Creates a staff account in a unit through the API as the administrator `admin`, with the demo
 * password; fails the test unless it is created. Returns the new user's id.
 */
export async function addStaff(
  admin: ApiClient,
  user: { email: string; displayName: string; roles: Role[]; unitId: string },
): Promise<string> {
  const created = await admin.post<{ id: string }>('/api/v1/users', {
    ...user,
    password: PASSWORD,
  });
  expect(created.status).toBe(201);
  return created.body.id;
}
