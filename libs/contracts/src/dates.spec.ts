import { getMetadataStorage, validate } from 'class-validator';
import * as contracts from './index.js';

/** Every class of the contracts whose fields a client sends: bodies, queries, socket payloads. */
const requestClasses = Object.entries(contracts).filter(
  (entry): entry is [string, new () => object] =>
    typeof entry[1] === 'function' &&
    /(Request|Query|Input|SendMessage)$/.test(entry[0]) &&
    getMetadataStorage().getTargetValidationMetadatas(entry[1], '', true, false).length > 0,
);

/** The fields of a class checked as dates or date-times, by the kind of value they take. */
function dateFields(type: new () => object): { field: string; dateTime: boolean }[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(type, '', true, false);
  const fields = new Map<string, boolean>();
  for (const rule of metadata) {
    if (rule.name === 'isDateString' || rule.name === 'isIso8601') {
      fields.set(rule.propertyName, fields.get(rule.propertyName) ?? true);
    }
    if (rule.name === 'matches' && String(rule.constraints?.[0]) === String(/^\d{4}-\d{2}-\d{2}$/))
      fields.set(rule.propertyName, false);
  }
  return [...fields].map(([field, dateTime]) => ({ field, dateTime }));
}

const cases = requestClasses.flatMap(([name, type]) =>
  dateFields(type).map(({ field, dateTime }) => [name, field, dateTime, type] as const),
);

describe('dates a client sends', () => {
  it('are found in the contracts (the table below is not empty)', () => {
    const names = cases.map(([name, field]) => `${name}.${field}`);
    for (const expected of [
      'CreateConsentRequest.validFrom',
      'CreateConsentRequest.validUntil',
      'ConsentPartyInput.givenAt',
      'CreateNoticeRequest.expiresAt',
      'CreateMeetingRequest.startsAt',
      'CreatePersonRequest.birthDate',
      'CreatePlanActionRequest.dueDate',
    ]) {
      expect(names).toContain(expected);
    }
  });

  const impossibleDateTimes = [
    '2027-02-30T10:00:00Z',
    '2027-13-01T10:00:00Z',
    '2027-01-01T24:30:00Z',
    '2027-01-01T23:60:00Z',
    '2027-01-01T10:00:00+25:00',
    '2027-01-01T10:00:00', // no offset: which 10 o'clock?
    '2027-01-01',
  ];
  const impossibleDates = ['2027-02-30', '2027-02-29', '2027-13-01', '2027-1-1', '20270101'];

  it.each(cases)('%s.%s refuses what is not a moment or day that exists', async (...row) => {
    const [, field, dateTime, type] = row;
    for (const value of dateTime ? impossibleDateTimes : impossibleDates) {
      const instance = Object.assign(new type(), { [field]: value });
      const errors = await validate(instance);
      const own = errors.find((error) => error.property === field);
      expect({ value, refused: own !== undefined }).toEqual({ value, refused: true });
    }
  });

  it.each(cases)('%s.%s takes one that exists', async (...row) => {
    const [, field, dateTime, type] = row;
    const value = dateTime ? '2028-02-29T23:59:00+01:00' : '2028-02-29';
    const errors = await validate(Object.assign(new type(), { [field]: value }));
    expect(errors.find((error) => error.property === field)).toBeUndefined();
  });
});
