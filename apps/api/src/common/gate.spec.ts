import { Gate, GateFull } from './gate.js';

/** A call that runs until `finish` is called. */
function held() {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { work: () => done, finish };
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('Gate', () => {
  it('runs at most `limit` calls at once, the others in the order they came', async () => {
    const gate = new Gate(2);
    const started: number[] = [];
    const calls = [0, 1, 2, 3].map(() => held());
    const runs = calls.map((call, i) =>
      gate.run(async () => {
        started.push(i);
        await call.work();
        return i;
      }),
    );
    await settled();
    expect(started).toEqual([0, 1]);
    calls[1]!.finish();
    await settled();
    expect(started).toEqual([0, 1, 2]);
    calls[0]!.finish();
    calls[2]!.finish();
    calls[3]!.finish();
    await expect(Promise.all(runs)).resolves.toEqual([0, 1, 2, 3]);
    expect(started).toEqual([0, 1, 2, 3]);
  });

  it('frees the slot of a call that failed', async () => {
    const gate = new Gate(1);
    await expect(gate.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(gate.run(() => Promise.resolve('next'))).resolves.toBe('next');
  });

  it('refuses a waiting call whose turn comes too late, and a new one while the first waits too long', async () => {
    let now = 0;
    const gate = new Gate(1, 1_000, () => now);
    const first = held();
    const running = gate.run(first.work);
    const late = gate.run(() => Promise.resolve('late'));
    now = 500;
    const inTime = gate.run(() => Promise.resolve('in time'));
    now = 1_200; // `late` has waited 1,200 ms, `inTime` 700 ms
    await expect(gate.run(() => Promise.resolve('refused'))).rejects.toBeInstanceOf(GateFull);
    first.finish();
    await running;
    await expect(late).rejects.toBeInstanceOf(GateFull);
    await expect(inTime).resolves.toBe('in time');
    // Nothing waits now: a new call runs at once.
    now = 5_000;
    await expect(gate.run(() => Promise.resolve('free'))).resolves.toBe('free');
  });
});
