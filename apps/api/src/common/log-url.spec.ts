import { logUrl } from './log-url.js';

describe('logUrl', () => {
  it('leaves out a calendar feed’s secret and every query string', () => {
    expect(logUrl('/api/v1/calendar/7UyUhVnJX2PPpVthxtI_3dLLJ3ThYdoYVLa-wTblWec.ics')).toBe(
      '/api/v1/calendar/[redacted].ics',
    );
    expect(logUrl('/api/v1/calendar/7UyUhVnJX2PPpVthxtI.ics?x=1')).toBe(
      '/api/v1/calendar/[redacted].ics',
    );
    expect(logUrl('/api/v1/calendar/abc')).toBe('/api/v1/calendar/[redacted]');
    expect(logUrl('/api/v1/CALENDAR/abc.ICS')).toBe('/api/v1/CALENDAR/[redacted].ICS');
    expect(logUrl('/api/v1/cases?personId=1')).toBe('/api/v1/cases');
    expect(logUrl('/api/v1/me/calendar-feed')).toBe('/api/v1/me/calendar-feed');
  });
});
