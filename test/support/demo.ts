import type { MeResponse, Page, PersonResponse, UnitResponse } from '@samverka/contracts';
import type { ApiClient } from '@samverka/testing';

/** Looks up ids of the demo data through the API, as a client would. */
export class DemoIds {
  private constructor(
    readonly areaNorra: string,
    readonly units: Record<string, string>,
    private readonly admin: ApiClient,
  ) {}

  static async load(admin: ApiClient): Promise<DemoIds> {
    const units = await admin.get<Page<UnitResponse>>('/api/v1/units?limit=200');
    const me = await admin.get<MeResponse>('/api/v1/me');
    return new DemoIds(
      me.body.areas[0]!.id,
      Object.fromEntries(units.body.items.map((unit) => [unit.name, unit.id])),
      admin,
    );
  }

  unit(name: string): string {
    const id = this.units[name];
    if (!id) throw new Error(`no unit ${name}`);
    return id;
  }

  async userId(email: string): Promise<string> {
    const users =
      await this.admin.get<Page<{ id: string; email: string }>>('/api/v1/users?limit=200');
    const user = users.body.items.find((candidate) => candidate.email === email);
    if (!user) throw new Error(`no user ${email}`);
    return user.id;
  }
}

/** A person by identity number, as a user who can see them. */
export async function personByNumber(
  client: ApiClient,
  identityNumber: string,
): Promise<PersonResponse> {
  const page = await client.post<Page<PersonResponse>>('/api/v1/people/search', { identityNumber });
  const person = page.body.items[0];
  if (!person) throw new Error(`person ${identityNumber} not visible`);
  return person;
}
