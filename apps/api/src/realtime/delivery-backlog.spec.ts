import { DeliveryBacklog } from './delivery-backlog.js';

describe('DeliveryBacklog', () => {
  let clock: number;
  let backlog: DeliveryBacklog;
  beforeEach(() => {
    clock = 1_000;
    backlog = new DeliveryBacklog(() => clock);
  });
  const sendAt = (time: number, seq: number) => {
    clock = time;
    backlog.sent(seq);
  };

  it('is 0 while no peer has reported', () => {
    sendAt(1_000, 0);
    sendAt(1_100, 1);
    clock = 9_000;
    expect(backlog.lagMs()).toBe(0);
  });

  it('is the age, when a receipt arrives, of the oldest bundle it does not cover', () => {
    sendAt(1_000, 0);
    sendAt(1_200, 1);
    sendAt(1_500, 2);
    clock = 1_600;
    backlog.received('b', 1); // has 0, not 1 or 2
    expect(backlog.lagMs()).toBe(400);
    clock = 1_700;
    backlog.received('b', 3); // has them all
    expect(backlog.lagMs()).toBe(0);
  });

  it('takes the peer furthest behind', () => {
    sendAt(1_000, 0);
    sendAt(2_000, 1);
    clock = 2_500;
    backlog.received('c', 1); // has 0, not 1
    backlog.received('b', 2);
    expect(backlog.lagMs()).toBe(500);
    clock = 2_600;
    backlog.received('c', 1);
    expect(backlog.lagMs()).toBe(600);
  });

  it('stops waiting for a peer whose last receipt is over two seconds old', () => {
    sendAt(1_000, 0);
    clock = 2_500;
    backlog.received('b', 0);
    expect(backlog.lagMs()).toBe(1_500);
    clock = 4_500;
    expect(backlog.lagMs()).toBe(1_500);
    clock = 4_501;
    expect(backlog.lagMs()).toBe(0);
  });

  it('forgets what every peer received, and still knows the lag of a peer far behind', () => {
    for (let seq = 0; seq < 30_000; seq += 1) sendAt(1_000 + seq, seq);
    clock = 40_000;
    // Only the newest send times are kept: a peer behind all of them is behind at least the
    // newest one dropped (bundle 9,999, sent at 10,999).
    backlog.received('c', 5);
    expect(backlog.lagMs()).toBe(40_000 - 10_999);
    backlog.received('c', 29_999);
    expect(backlog.lagMs()).toBe(40_000 - 30_999);
    backlog.received('c', 30_000);
    expect(backlog.lagMs()).toBe(0);
  });
});
