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

/** "29 mar 2026 03:00–04:00"-style span for messages, in Stockholm time. */
export function stockholmSpan(from: Date, until: Date): string {
  const start = stockholmLocal(from);
  const end = stockholmLocal(until);
  const sameDay = start.slice(0, 10) === end.slice(0, 10);
  return `${start.slice(0, 10)} ${start.slice(11, 16)}–${sameDay ? '' : `${end.slice(0, 10)} `}${end.slice(11, 16)} (${MEETING_TIME_ZONE})`;
}
