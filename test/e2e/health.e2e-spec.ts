import { startTestApp, type TestApp } from '../support/test-app.js';

describe('health and readiness', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('answers liveness and readiness without a token', async () => {
    expect((await app.api.get('/api/health')).body).toEqual({ status: 'ok' });
    expect((await app.api.get('/api/ready')).body).toEqual({ status: 'ready' });
  });

  it('refuses every other route without a token, with problem details', async () => {
    const response = await app.api.get('/api/v1/me');
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body).toMatchObject({
      status: 401,
      title: 'Unauthorized',
      type: expect.any(String),
      detail: expect.any(String),
    });
  });
});
