import {
  compactName,
  digitsOf,
  holdsStreet,
  identityNumbersIn,
  looksLikeIdentityNumber,
  namesByParts,
  readAs,
} from './identifying-text.js';

describe('reading a notice as its reader would', () => {
  it.each([
    ['full-width letters', 'Ｅｌｉａｓ Ａｎｄｅｒｓｓｏｎ'],
    ['Cyrillic look-alikes', 'Еliаs Аndеrssоn'],
    ['Greek look-alikes', 'Εlιαs Αndεrssοn'],
    ['decomposed accents and invisible joiners', 'E\u200Blias An\u00ADdersson'],
  ])('reads %s as the plain name', (_, written) => {
    expect(compactName(written)).toBe('eliasandersson');
  });

  it.each([
    ['plain', 'Pojken 20110314-2384 sågs'],
    ['short form', 'Pojken 110314-2384 sågs'],
    ['full-width digits', 'Pojken ２０１１０３１４-２３８４ sågs'],
    ['Arabic-Indic digits', 'Pojken ٢٠١١٠٣١٤-٢٣٨٤ sågs'],
    ['Devanagari digits', 'Pojken २०११०३१४-२३८४'],
    ['the letter O for zero', 'Pojken 2O11O314-2384 sågs'],
    ['l and I for one', 'Pojken 20l103I4-2384'],
    ['spaces and dashes of any kind', 'Pojken 20110314 \u2013 2384'],
    ['a non-breaking space', 'Pojken 20110314\u00A02384'],
    ['grouped by spaces', 'Pojken 2011 03 14 2384'],
    ['grouped by dots', 'Pojken 2011.03.14.2384'],
    ['a slash', 'Pojken 20110314/2384'],
    ['an underscore', 'Pojken 20110314_2384'],
    ['a minus sign', 'Pojken 110314\u22122384'],
    ['a superscript minus', 'Pojken 20110314\u207B2384'],
    ['a plus (a century mark, however read)', 'Pojken 110314+2384'],
    ['a plus in the long form', 'Pojken 20110314+2384'],
    ['a left-to-right mark inside', 'Pojken 2011\u200E0314-2384'],
    ['a Hangul filler inside', 'Pojken 2011\u31640314-2384'],
    [
      'percent-encoding in a link',
      'https://meet.example.se/j/%32%30%31%31%30%33%31%34-%32%33%38%34',
    ],
    ['a right-to-left override', 'Pojken \u202E4832-41301102'],
  ])('finds an identity number written with %s', (_, text) => {
    expect(looksLikeIdentityNumber(text)).toBe(true);
    expect(digitsOf(text)).toContain('1103142384');
  });

  it.each([
    'Bråk vid busshållplatsen kl 22.30 den 14 mars, linje 12',
    'Polisen ökar närvaron i området 2026-03-14 och 2026-03-15',
    'Ring 114 14 vid frågor; ärende 5000-12345',
    'Oliver, Lilli och Ola i lokalen',
    'Polisen, organisationsnummer 202100-0076',
    'Ring 08-123 456 78 eller 070-123 45 67',
    'Buss 1103 går 14:23 från hållplats 84',
    'Ring 0701234567 vid frågor',
  ])('leaves ordinary text alone: %s', (text) => {
    expect(looksLikeIdentityNumber(text)).toBe(false);
  });

  it('compares names without their diacritics, as a reader knows them', () => {
    for (const written of [
      'Åsa Öberg',
      'Asa Oberg',
      'ÅSA ÖBERG',
      'A\u030Asa O\u0308berg',
      'Åsa Øberg',
    ])
      expect({ written, compact: compactName(written) }).toEqual({ written, compact: 'asaoberg' });
    expect(compactName('Elıas Andersson')).toBe('eliasandersson');
    expect(compactName('Eli\u200Eas An\u2066ders\u3164son')).toBe('eliasandersson');
  });

  it('looks for a register number in each number, not in the digits of several run together', () => {
    expect(digitsOf('Buss 1103 går 14:23 från hållplats 84')).toBe('1103 14 23 84');
    expect(digitsOf('Pojken 2011 0314 2384 sågs, buss 4')).toBe('201103142384 4');
  });

  it('keeps Swedish letters as they are, however their accents are encoded', () => {
    expect(readAs('Åsa Ärlig Öberg')).toBe('åsa ärlig öberg');
    expect(readAs('A\u030Asa O\u0308berg')).toBe('åsa öberg');
  });

  it('finds a street address that ends in a number only where that number ends', () => {
    const holds = (text: string, street: string) =>
      holdsStreet(compactName(text), compactName(street));
    expect(holds('Hembesök Storgatan 12, kl 10', 'Storgatan 12')).toBe(true);
    expect(holds('Storgatan 12B', 'Storgatan 12')).toBe(true);
    expect(holds('storgatan  12.', 'Storgatan 12')).toBe(true);
    expect(holds('Storgatan 120 trafik', 'Storgatan 12')).toBe(false);
    expect(holds('Lövvägen 33 trafik', 'Lövvägen 3')).toBe(false);
    // Further on, the number may still stand alone.
    expect(holds('Lövvägen 33 och Lövvägen 3', 'Lövvägen 3')).toBe(true);
    // A street without a number is found as before.
    expect(holds('Torget vid Storgatans slut', 'Storgatan')).toBe(true);
  });

  it('lists the identity numbers a text holds, each without its century, however written', () => {
    expect(identityNumbersIn('Pojken 20110314-2384 och 2O11 O314 2384 sågs')).toEqual([
      '1103142384',
    ]);
    expect(identityNumbersIn('Elias 110314-2384 sågs med 19991231-9994').sort()).toEqual([
      '1103142384',
      '9912319994',
    ]);
    expect(identityNumbersIn('Ring 0701234567 vid frågor')).toEqual([]);
  });

  it('finds one given name beside one part of the family name, as words of their own', () => {
    const names = (text: string) =>
      namesByParts(text, ['anna', 'maria'], ['svensson']) ||
      namesByParts(text, ['lisa'], ['berg', 'lind']) ||
      namesByParts(text, ['karl', 'johan'], ['ek', 'holm']);
    for (const text of [
      'Anna Svensson sprejade',
      'Maria Svensson syntes',
      'Svensson, Anna syntes',
      'Maria Svenssons cykel',
      'Ánna Svensson',
      'Ａｎｎａ Ｓｖｅｎｓｓｏｎ',
      'A n n a S.v.e.n.s.s.o.n',
      'Lisa Berg syntes',
      'Lind-Lisa syntes',
      'Johan Ek',
    ])
      expect({ text, named: names(text) }).toEqual({ text, named: true });
    for (const text of [
      'Lisa Bergström syntes',
      'Marianne Svensson syntes',
      'Anna Svenssonberg syntes',
      'Kärlek vid torget',
      'Karl Eklund syntes',
      'Anna Berg syntes',
    ])
      expect({ text, named: names(text) }).toEqual({ text, named: false });
  });
});
