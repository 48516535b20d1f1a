import type { ProblemDetails } from '@samverka/contracts';
import type { ApiResponse } from '@samverka/testing';

/** Asserts a problem-details error response and returns its body. */
export function expectProblem(response: ApiResponse, status: number): ProblemDetails {
  expect({ status: response.status, body: response.body }).toMatchObject({
    status,
    body: { status },
  });
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  const body = response.body as ProblemDetails;
  expect(body).toMatchObject({
    type: expect.any(String),
    title: expect.any(String),
    detail: expect.any(String),
  });
  return body;
}

/** The reasons given for one field of a 400. */
export function reasonsFor(problem: ProblemDetails, field: string): string[] {
  return (problem.errors ?? [])
    .filter((error) => error.field === field)
    .flatMap((error) => error.reasons);
}
