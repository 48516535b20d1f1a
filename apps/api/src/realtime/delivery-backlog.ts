/** How long a peer's receipt counts: a peer that stopped reporting (stopped, cut off) is not waited for. */
const RECEIPT_FRESH_MS = 2_000;
/** How long a silent peer is remembered (its place in this replica's bundles). */
const PEER_FORGOTTEN_MS = 60_000;
/** At most this many send times kept (the oldest go first). */
const MAX_KEPT = 20_000;

interface Peer {
  /** The first bundle of this replica's that the peer had not received when it last reported. */
  next: number;
  /** How old that bundle was when the report arrived here (0: it had received them all). */
  lagMs: number;
  at: number;
}

/**
 * How far the other replicas are behind with the bundles this one hands them through the
 * adapter, from their receipts ("received every bundle of yours before number N"), with this
 * replica's own clock only: when a receipt arrives, the lag is the age of the oldest bundle it
 * does not cover. A receipt counts for `RECEIPT_FRESH_MS`: a replica that stops reporting
 * (stopped, or its adapter connection cut) is then not waited for; the messages it missed are
 * stored, and its clients catch up by sequence number.
 */
export class DeliveryBacklog {
  /** The bundle number of `sentAt[0]`. */
  private first = 0;
  private readonly sentAt: number[] = [];
  /** When the newest bundle no longer in `sentAt` was sent. */
  private droppedAt?: number;
  private readonly peers = new Map<string, Peer>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** This replica handed bundle `seq` to the adapter (bundles are numbered 0, 1, 2, …). */
  sent(seq: number): void {
    if (this.sentAt.length === 0) this.first = seq;
    this.sentAt.push(this.now());
    if (this.sentAt.length > MAX_KEPT) this.drop(1);
  }

  /** Peer `peer` had received every bundle of this replica's numbered below `next`. */
  received(peer: string, next: number): void {
    const now = this.now();
    const index = next - this.first;
    let lagMs = 0;
    if (index < 0 && this.droppedAt !== undefined) lagMs = now - this.droppedAt;
    else if (index < this.sentAt.length) lagMs = now - this.sentAt[Math.max(0, index)]!;
    this.peers.set(peer, { next, lagMs, at: now });
    this.prune(now);
  }

  /** The largest lag a fresh receipt showed, in ms (0 when no peer reported lately). */
  lagMs(): number {
    const now = this.now();
    let lag = 0;
    for (const peer of this.peers.values())
      if (now - peer.at <= RECEIPT_FRESH_MS) lag = Math.max(lag, peer.lagMs);
    return lag;
  }

  /** Forgets long-silent peers, and the send times every remembered peer has received. */
  private prune(now: number): void {
    let lowest = this.first + this.sentAt.length;
    for (const [id, peer] of this.peers) {
      if (now - peer.at > PEER_FORGOTTEN_MS) this.peers.delete(id);
      else lowest = Math.min(lowest, peer.next);
    }
    if (lowest > this.first) this.drop(Math.min(lowest - this.first, this.sentAt.length));
  }

  private drop(count: number): void {
    this.droppedAt = this.sentAt[count - 1];
    this.sentAt.splice(0, count);
    this.first += count;
  }
}
