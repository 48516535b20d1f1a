import { acceptableRequestId } from './request-id.js';

describe('a client request id', () => {
  it.each([
    'trace-123',
    'audit-read-1',
    'req.2026-11-23',
    '3f1c2a9e-7b4d-4c1a-9e2f-5a6b7c8d9e0f',
    'AbC_def.123456789',
  ])('is kept when it holds no identity number: %s', (id) => {
    expect(acceptableRequestId(id)).toBe(true);
  });

  it.each([
    '20100621-4827',
    '201006214827',
    '100621-4827',
    '1006214827',
    'req-20100621-4827',
    'x_2010.06.21_4827',
    '2010O621-4827',
    '2OlOO62l4827',
    '20100621-4827-4abc-9def-0123456789ab',
  ])('is replaced when it could carry one: %s', (id) => {
    expect(acceptableRequestId(id)).toBe(false);
  });

  it.each(['', 'a b', 'x'.repeat(65), 'ö', undefined, ['a', 'b']])(
    'is replaced when it is not a short token: %j',
    (id) => {
      expect(acceptableRequestId(id)).toBe(false);
    },
  );
});
