/** A call that was not run: the calls before it had waited too long already. */
export class GateFull extends Error {
  constructor() {
    super('Too many calls are waiting for their turn');
  }
}

interface Waiter {
  since: number;
  resolve: () => void;
  reject: (error: GateFull) => void;
}

/**
 * At most `limit` calls of `run` at once; the others wait their turn, first come first served,
 * for at most `maxWaitMs`: a call whose turn has not come by then is refused (`GateFull`), and so
 * is a new call while the longest waiting one has waited that long. Under more load than the
 * server can take, the calls it takes still finish in a bounded time, instead of every call
 * queueing for ever longer (and being answered long after its sender gave up).
 */
export class Gate {
  private running = 0;
  private readonly waiting: Waiter[] = [];

  constructor(
    private readonly limit: number,
    private readonly maxWaitMs = Infinity,
    private readonly now: () => number = () => performance.now(),
  ) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running < this.limit) {
      this.running += 1;
    } else {
      const first = this.waiting[0];
      if (first && this.now() - first.since > this.maxWaitMs) throw new GateFull();
      await new Promise<void>((resolve, reject) =>
        this.waiting.push({ since: this.now(), resolve, reject }),
      );
    }
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  /** Hands the slot to the next waiting call that has not waited too long, refusing the others. */
  private release(): void {
    for (let next = this.waiting.shift(); next; next = this.waiting.shift()) {
      if (this.now() - next.since <= this.maxWaitMs) return next.resolve();
      next.reject(new GateFull());
    }
    this.running -= 1;
  }
}
