import { MEETING_TIME_ZONE } from '@samverka/contracts';

const PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: MEETING_TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

const pad = (value: number) => String(value).padStart(2, '0');

/**
 * An instant as Europe/Stockholm local time with the offset in force at that instant, e.g.
 * `2026-03-29T03:00:00+02:00` (summer time began an hour earlier at 01:00 UTC).
 */
export function stockholmLocal(instant: Date): string {
  const parts = Object.fromEntries(
    PARTS.formatToParts(instant).map((part) => [part.type, part.value]),
  ) as Record<string, string>;
  const local = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  const offsetMinutes = Math.round((local - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

const HOUR_MS = 3600_000;

/** The offset in force at `instant`, in milliseconds (`+02:00` is 7,200,000). */
function offsetMs(instant: Date): number {
  const local = stockholmLocal(instant);
  return Date.parse(`${local.slice(0, 19)}Z`) - Math.floor(instant.getTime() / 1000) * 1000;
}

/**
 * Whether the local time shown for `instant` also names another instant: when summer time ends
 * the clocks go back and 02:00–03:00 happens twice (02:30+02:00, then 02:30+01:00). Any other
 * offset in force within a day of `instant` is tried: does the same wall-clock time under it fall
 * at a time when it is in force?
 */
export function isAmbiguousLocal(instant: Date): boolean {
  const own = offsetMs(instant);
  const others = new Set(
    [-24, 24].map((hours) => offsetMs(new Date(instant.getTime() + hours * HOUR_MS))),
  );
  others.delete(own);
  return [...others].some((other) => offsetMs(new Date(instant.getTime() + own - other)) === other);
}

/**
 * "2026-03-29 01:30–03:30 (Europe/Stockholm)"-style span for messages, in Stockholm time. When a
 * time of it is ambiguous (the hour repeated when summer time ends), both ends carry their offset
 * so the two 02:30s differ: "2026-10-25 02:30+02:00–02:30+01:00 (Europe/Stockholm)".
 */
export function stockholmSpan(from: Date, until: Date): string {
  const start = stockholmLocal(from);
  const end = stockholmLocal(until);
  const sameDay = start.slice(0, 10) === end.slice(0, 10);
  const withOffsets = isAmbiguousLocal(from) || isAmbiguousLocal(until);
  const time = (local: string) => `${local.slice(11, 16)}${withOffsets ? local.slice(19) : ''}`;
  return `${start.slice(0, 10)} ${time(start)}–${sameDay ? '' : `${end.slice(0, 10)} `}${time(end)} (${MEETING_TIME_ZONE})`;
}
