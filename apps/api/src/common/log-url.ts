/** The secret of a calendar feed address (`/calendar/<token>.ics`): the credential itself. */
const CALENDAR_TOKEN = /(\/calendar\/)[^/]*?(\.ics)?$/i;

/**
 * A request's URL as the request log shows it: without its query string (which may carry a
 * search), and without a calendar feed's secret, whose address is its only credential.
 */
export function logUrl(url: string): string {
  const path = url.split('?')[0]!;
  return path.replace(CALENDAR_TOKEN, (_match, prefix: string, suffix?: string) => {
    return `${prefix}[redacted]${suffix ?? ''}`;
  });
}
