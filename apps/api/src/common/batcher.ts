/** What a batch answers for one of its items: a result, or the error that item alone failed with. */
export type Outcome<O> = { ok: true; value: O } | { ok: false; error: unknown };

export interface BatcherOptions<I> {
  /** Batches running at once. Calls that arrive meanwhile wait and go out together in the next. */
  maxInFlight: number;
  /** The most a batch holds, by weight; an item heavier than this goes out alone. */
  maxWeight: number;
  /** An item's weight (default 1). */
  weight?: (item: I) => number;
  /** Told when a batch of several failed as a whole and its items are retried one by one. */
  onSplit?: (error: unknown, size: number) => void;
}

/**
 * Group commit for any unit of work: `submit` hands an item to `run`, which does a whole batch in
 * one go (one transaction, one statement) and answers per item. With fewer than `maxInFlight`
 * batches running an item goes out at once, alone, so there is no added wait at low load; under
 * load the items that queue up share a batch, which is what keeps round trips per item low.
 * When a batch of several fails as a whole, each of its items is retried alone, so one bad item
 * cannot sink the others.
 */
export class Batcher<I, O> {
  private readonly waiting: {
    item: I;
    resolve: (value: O) => void;
    reject: (error: unknown) => void;
  }[] = [];
  private inFlight = 0;

  constructor(
    private readonly run: (items: I[]) => Promise<Outcome<O>[]>,
    private readonly options: BatcherOptions<I>,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (this.inFlight < this.options.maxInFlight) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.inFlight += 1;
    try {
      while (this.waiting.length > 0) {
        const batch = this.take();
        try {
          this.settle(batch, await this.run(batch.map((waiting) => waiting.item)));
        } catch (error) {
          if (batch.length === 1) {
            batch[0]!.reject(error);
            continue;
          }
          this.options.onSplit?.(error, batch.length);
          for (const waiting of batch) {
            await this.run([waiting.item]).then(
              (outcomes) => this.settle([waiting], outcomes),
              (alone: unknown) => waiting.reject(alone),
            );
          }
        }
      }
    } finally {
      this.inFlight -= 1;
    }
  }

  private take(): typeof this.waiting {
    const weight = this.options.weight ?? (() => 1);
    const batch: typeof this.waiting = [];
    let total = 0;
    while (this.waiting.length > 0) {
      const next = weight(this.waiting[0]!.item);
      if (batch.length > 0 && total + next > this.options.maxWeight) break;
      batch.push(this.waiting.shift()!);
      total += next;
    }
    return batch;
  }

  private settle(batch: typeof this.waiting, outcomes: Outcome<O>[]): void {
    batch.forEach((waiting, index) => {
      const outcome = outcomes[index];
      if (!outcome) waiting.reject(new Error('A batch answered fewer items than it was given'));
      else if (outcome.ok) waiting.resolve(outcome.value);
      else waiting.reject(outcome.error);
    });
  }
}
