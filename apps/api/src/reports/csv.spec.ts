import { quote } from './csv.js';

describe('a CSV cell', () => {
  it.each([
    ['=HYPERLINK("http://evil","x")', `"'=HYPERLINK(""http://evil"",""x"")"`],
    ['+1+1', "'+1+1"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tTab', "'\tTab"],
  ])('shows text a spreadsheet would take for a formula as text: %s', (value, cell) => {
    expect(quote(value)).toBe(cell);
  });

  it('leaves ordinary text, hidden counts and numbers as they are', () => {
    expect(quote('Norra')).toBe('Norra');
    expect(quote('<5')).toBe('<5');
    expect(quote('x')).toBe('x');
    expect(quote(12)).toBe('12');
    expect(quote('Skola, Norra')).toBe('"Skola, Norra"');
    expect(quote(null)).toBe('');
  });
});
