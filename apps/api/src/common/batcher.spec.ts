import { Batcher, type Outcome } from './batcher.js';

/** A batch runner whose batches finish only when the test says so. */
function gatedRunner(fail: (item: number) => boolean = () => false) {
  const batches: number[][] = [];
  const gates: (() => void)[] = [];
  const run = async (items: number[]): Promise<Outcome<number>[]> => {
    batches.push(items);
    await new Promise<void>((open) => gates.push(open));
    if (items.some(fail)) throw new Error(`batch ${items.join(',')} failed`);
    return items.map((item) => ({ ok: true, value: item * 10 }));
  };
  const openAll = async () => {
    // Let each batch (and any batch it starts) finish, until nothing is waiting.
    for (let round = 0; round < 20; round += 1) {
      await new Promise((resolve) => setImmediate(resolve));
      gates.splice(0).forEach((open) => open());
    }
  };
  return { run, batches, openAll };
}

describe('Batcher', () => {
  it('sends an item out at once, alone, when no batch is running', async () => {
    const { run, batches, openAll } = gatedRunner();
    const batcher = new Batcher(run, { maxInFlight: 1, maxWeight: 10 });
    const result = batcher.submit(1);
    expect(batches).toEqual([[1]]);
    await openAll();
    await expect(result).resolves.toBe(10);
  });

  it('gathers the items that arrive meanwhile into the next batch, up to the weight limit', async () => {
    const { run, batches, openAll } = gatedRunner();
    const batcher = new Batcher(run, { maxInFlight: 1, maxWeight: 5, weight: (item) => item });
    const results = [1, 2, 2, 1, 3].map((item) => batcher.submit(item));
    await openAll();
    await expect(Promise.all(results)).resolves.toEqual([10, 20, 20, 10, 30]);
    expect(batches).toEqual([[1], [2, 2, 1], [3]]);
  });

  it('runs up to maxInFlight batches at once', () => {
    const { run, batches } = gatedRunner();
    const batcher = new Batcher(run, { maxInFlight: 2, maxWeight: 10 });
    for (const item of [1, 2, 3, 4]) void batcher.submit(item);
    expect(batches).toEqual([[1], [2]]);
  });

  it('retries each item of a failed batch alone, so only the bad one fails', async () => {
    const { run, batches, openAll } = gatedRunner((item) => item === 3);
    const split: number[] = [];
    const batcher = new Batcher(run, {
      maxInFlight: 1,
      maxWeight: 10,
      onSplit: (_error, size) => split.push(size),
    });
    const results = [1, 2, 3, 4].map((item) => batcher.submit(item).catch((e: Error) => e.message));
    await openAll();
    await expect(Promise.all(results)).resolves.toEqual([10, 20, 'batch 3 failed', 40]);
    expect(batches).toEqual([[1], [2, 3, 4], [2], [3], [4]]);
    expect(split).toEqual([3]);
  });

  it('passes on the outcome of each item', async () => {
    const batcher = new Batcher<number, number>(
      (items) =>
        Promise.resolve(
          items.map((item) =>
            item % 2 ? { ok: true, value: item } : { ok: false, error: new Error(`even ${item}`) },
          ),
        ),
      { maxInFlight: 1, maxWeight: 10 },
    );
    await expect(batcher.submit(1)).resolves.toBe(1);
    await expect(batcher.submit(2)).rejects.toThrow('even 2');
  });
});
