/**
 * A number with commas between thousands, exactly as
 * `value.toLocaleString('en-US', { maximumFractionDigits })` writes it ("1,234",
 * "30.526"), without Intl: a process's first Intl number format loads ICU's
 * locale data, about 50 ms of CPU, and nearly every CLI run prints a number.
 * Intl starts from the shortest digits that read back as the same number (what
 * `String` gives) and rounds half away from zero; so does this. Values whose
 * `String` has an exponent (below 1e-6, from 1e21) and non-finite ones go to
 * Intl itself. test/grouped-number.test.ts compares the two.
 */
export function groupedNumber(value: number, maximumFractionDigits = 3): string {
  const shortest = String(Math.abs(value));
  if (!Number.isFinite(value) || shortest.includes('e') || !Number.isInteger(maximumFractionDigits) || maximumFractionDigits < 0) {
    return value.toLocaleString('en-US', { maximumFractionDigits });
  }
  const [whole = '0', fraction = ''] = shortest.split('.');
  const kept = whole + fraction.slice(0, maximumFractionDigits).padEnd(maximumFractionDigits, '0');
  const rounded = (fraction[maximumFractionDigits] ?? '0') >= '5' ? plusOne(kept) : kept;
  const wholeDigits = rounded.slice(0, rounded.length - maximumFractionDigits);
  const fractionDigits = rounded.slice(rounded.length - maximumFractionDigits).replace(/0+$/, '');
  const sign = value < 0 || Object.is(value, -0) ? '-' : '';
  return `${sign}${wholeDigits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${fractionDigits === '' ? '' : `.${fractionDigits}`}`;
}

/** A string of decimal digits plus one ("999" → "1000"). */
function plusOne(digits: string): string {
  let i = digits.length - 1;
  while (i >= 0 && digits[i] === '9') i--;
  if (i < 0) return `1${'0'.repeat(digits.length)}`;
  return `${digits.slice(0, i)}${String(Number(digits[i]) + 1)}${'0'.repeat(digits.length - i - 1)}`;
}
