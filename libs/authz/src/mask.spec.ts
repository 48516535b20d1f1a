import { PROTECTED_LABEL, PROTECTION_LEVELS, type Role } from '@samverka/contracts';
import { MASKABLE_FIELDS, PROTECTED_PERSON_FIELDS } from './fields.js';
import { applyFieldMasks } from './mask.js';
import { defineAbilityFor } from './policy.js';
import type { Principal } from './principal.js';
import type { AppAbility } from './subjects.js';

const PROTECTED_LEVELS = PROTECTION_LEVELS.filter((level) => level !== 'none');
const NEUTRAL: Readonly<Record<string, unknown>> = MASKABLE_FIELDS.Person;

function abilityFor(roles: readonly Role[], overrides: Partial<Principal> = {}): AppAbility {
  return defineAbilityFor({
    userId: 'user-1',
    municipalityId: 'mun-1',
    unitId: 'unit-1',
    agency: 'school',
    areaIds: [],
    roles,
    clearedPersonIds: [],
    ...overrides,
  });
}

/** A person as the API presents it: every maskable field filled in, plus some that are not. */
function fullPerson(protectionLevel: string | null) {
  return {
    id: 'person-1',
    municipalityId: 'mun-1',
    linkedAgencies: ['school'],
    identityKind: 'personnummer',
    identityNumber: '20100101-1234',
    givenName: 'Alva',
    familyName: 'Lind',
    birthDate: '2010-01-01',
    gender: 'female',
    address: 'Storgatan 1, 123 45 Småstad',
    school: 'Ekskolan',
    protectionLevel,
    guardians: [{ personId: 'person-2', name: 'Eva Lind', custody: true }],
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-02T00:00:00.000Z',
  };
}

const UNMASKABLE = ['id', 'municipalityId', 'linkedAgencies', 'createdAt', 'updatedAt'] as const;

describe('applyFieldMasks', () => {
  it('the full person record carries every maskable field', () => {
    expect(Object.keys(fullPerson('none'))).toEqual(
      expect.arrayContaining(PROTECTED_PERSON_FIELDS),
    );
  });

  describe.each(PROTECTED_LEVELS)('a %s person, user not cleared', (protectionLevel) => {
    const record = fullPerson(protectionLevel);

    it('replaces every protected field with its neutral value and reports it', () => {
      const { value, masked } = applyFieldMasks(abilityFor(['school_staff']), 'Person', record);
      expect(masked).toBe(true);
      for (const field of PROTECTED_PERSON_FIELDS) {
        expect({ field, value: (value as Record<string, unknown>)[field] }).toEqual({
          field,
          value: NEUTRAL[field],
        });
      }
      expect(value.givenName).toBe(PROTECTED_LABEL);
      expect(value.familyName).toBe('');
      expect(value.identityNumber).toBeNull();
      expect(value.guardians).toEqual([]);
    });

    it('keeps the fields that are not protected', () => {
      const { value } = applyFieldMasks(abilityFor(['school_staff']), 'Person', record);
      for (const field of UNMASKABLE) {
        expect(value[field]).toEqual(record[field]);
      }
      expect(Object.keys(value).sort()).toEqual(Object.keys(record).sort());
    });

    it('does not change the record it was given', () => {
      const before = structuredClone(record);
      applyFieldMasks(abilityFor(['school_staff']), 'Person', record);
      expect(record).toEqual(before);
    });

    it.each([['admin'], ['auditor'], ['police_liaison']] as const)(
      'masks for a %s without access to the row as well',
      (role) => {
        const { value, masked } = applyFieldMasks(abilityFor([role]), 'Person', record);
        expect(masked).toBe(true);
        expect(value.givenName).toBe(PROTECTED_LABEL);
      },
    );

    it('masks when the user is cleared for someone else only', () => {
      const ability = abilityFor(['school_staff'], { clearedPersonIds: ['person-2'] });
      const { value, masked } = applyFieldMasks(ability, 'Person', record);
      expect(masked).toBe(true);
      expect(value.identityNumber).toBeNull();
    });

    it('masks nothing for a user cleared for the person', () => {
      const ability = abilityFor(['school_staff'], { clearedPersonIds: ['person-1'] });
      const { value, masked } = applyFieldMasks(ability, 'Person', record);
      expect(masked).toBe(false);
      expect(value).toEqual(record);
    });
  });

  it.each([['school_staff'], ['admin'], ['auditor']] as const)(
    'masks nothing of an unprotected person (%s)',
    (role) => {
      const record = fullPerson('none');
      const { value, masked } = applyFieldMasks(abilityFor([role]), 'Person', record);
      expect(masked).toBe(false);
      expect(value).toEqual(record);
    },
  );

  it('treats an unknown (null) protection level as protected', () => {
    const { value, masked } = applyFieldMasks(
      abilityFor(['school_staff']),
      'Person',
      fullPerson(null),
    );
    expect(masked).toBe(true);
    expect(value.givenName).toBe(PROTECTED_LABEL);
  });

  describe('a partial record (a guardian as the presenter builds it)', () => {
    const guardian = {
      id: 'person-2',
      municipalityId: 'mun-1',
      protectionLevel: 'protected_registration',
      givenName: 'Eva',
      familyName: 'Lind',
    };

    it('masks only the protected fields present, and adds none', () => {
      const { value, masked } = applyFieldMasks(abilityFor(['school_staff']), 'Person', guardian);
      expect(masked).toBe(true);
      expect(value).toEqual({
        id: 'person-2',
        municipalityId: 'mun-1',
        protectionLevel: null,
        givenName: PROTECTED_LABEL,
        familyName: '',
      });
      expect(Object.keys(value).sort()).toEqual(Object.keys(guardian).sort());
    });

    it('reports masked=false when no maskable field is present', () => {
      const bare = { id: 'person-2', municipalityId: 'mun-1', linkedAgencies: ['school'] };
      const { value, masked } = applyFieldMasks(abilityFor(['school_staff']), 'Person', bare);
      expect(masked).toBe(false);
      expect(value).toEqual(bare);
    });

    it('masks a record that does not say whether the person is protected (fails closed)', () => {
      const { value, masked } = applyFieldMasks(abilityFor(['school_staff']), 'Person', {
        id: 'person-3',
        givenName: 'Sam',
      });
      expect(masked).toBe(true);
      expect(value).toEqual({ id: 'person-3', givenName: PROTECTED_LABEL });
    });
  });

  it('gives each masked record its own empty guardians list', () => {
    const ability = abilityFor(['school_staff']);
    const first = applyFieldMasks(ability, 'Person', fullPerson('flagged')).value;
    const second = applyFieldMasks(ability, 'Person', fullPerson('flagged')).value;
    expect(first.guardians).toEqual([]);
    expect(first.guardians).not.toBe(second.guardians);
    expect(first.guardians).not.toBe(MASKABLE_FIELDS.Person.guardians);
  });
});
