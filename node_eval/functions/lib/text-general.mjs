// Excel's decimal view of a double, and its two "General" renderings of a number.
//
// Excel keeps 15 significant digits of every number it shows or converts to text
// (TEXT(2.675,"0.00") is "2.68" because 2.675 is 2.67500000000000 to 15 digits, where
// JS's toFixed gives "2.67"). Every rounding here starts from those 15 digits and then
// rounds half away from zero on the decimal string, as Excel does.
//
// - generalText(x): the text Excel makes when a function coerces a number to text
//   (=1/3&"" is "0.333333333333333", LEN(1/3) is 17): 15 significant digits, fixed
//   notation from 1E-9 up to 1E+15, else d.dddE+XX.
// - generalCell(x): the "General" number format as TEXT(x,"General") applies it: at most
//   11 characters, not counting the minus sign (TEXT(1234567.891,"General") is
//   "1234567.891", TEXT(100000000000,"General") is "1E+11").

/** {digits, exp}: |x| = 0.d1d2d3... x 10^(exp+1), i.e. d1.d2d3... x 10^exp, 15 significant digits. */
export function decimalParts(x) {
  const [mantissa, e] = Math.abs(x).toExponential(14).split('e');
  return { digits: mantissa.replace('.', ''), exp: Number(e) };
}

/** Add one to a string of decimal digits ("0999" -> "1000", "99" -> "100"). */
function increment(digits) {
  const chars = digits.split('');
  let i = chars.length - 1;
  while (i >= 0) {
    if (chars[i] === '9') {
      chars[i] = '0';
      i -= 1;
    } else {
      chars[i] = String(Number(chars[i]) + 1);
      return chars.join('');
    }
  }
  return `1${chars.join('')}`;
}

/**
 * |x| rounded to `decimals` places (>= 0) from its 15 significant digits, half away
 * from zero. Returns {int, frac}: int has no leading zeros ('' for zero), frac has
 * exactly `decimals` digits.
 */
export function roundDecimal(x, decimals) {
  if (x === 0 || !Number.isFinite(x)) return { int: '', frac: '0'.repeat(decimals) };
  const { digits, exp } = decimalParts(x);
  let s = digits;
  let point = exp + 1; // digits before the decimal point
  if (point <= 0) {
    s = '0'.repeat(1 - point) + s;
    point = 1;
  }
  if (s.length < point) s += '0'.repeat(point - s.length);
  const keep = point + decimals;
  if (s.length <= keep) {
    s += '0'.repeat(keep - s.length);
  } else {
    const up = s.charCodeAt(keep) >= 53; // '5'
    s = s.slice(0, keep);
    if (up) s = increment(s);
  }
  const intPart = s.slice(0, s.length - decimals).replace(/^0+/, '');
  return { int: intPart, frac: s.slice(s.length - decimals) };
}

/** |x| rounded to `places` significant digits: {digits (exactly `places`), exp}. */
export function roundSignificant(x, places) {
  const { digits, exp } = decimalParts(x);
  let d = digits.slice(0, places).padEnd(places, '0');
  let e = exp;
  if (digits.length > places && digits.charCodeAt(places) >= 53) {
    d = increment(d);
    if (d.length > places) {
      d = d.slice(0, places);
      e += 1;
    }
  }
  return { digits: d, exp: e };
}

const stripZeros = (frac) => frac.replace(/0+$/, '');

function joinFixed(int, frac) {
  const f = stripZeros(frac);
  return (int || '0') + (f ? `.${f}` : '');
}

/** Scientific text with `decimals` mantissa decimals at most, trailing zeros dropped, 2+ exponent digits. */
function scientific(x, decimals) {
  const { digits, exp } = roundSignificant(x, decimals + 1);
  const frac = stripZeros(digits.slice(1));
  const e = Math.abs(exp);
  return `${digits[0]}${frac ? `.${frac}` : ''}E${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
}

/** The text a number becomes when coerced to text (=x&""), without its sign handling lost. */
export function generalText(x) {
  if (x === 0 || !Number.isFinite(x)) return '0';
  const sign = x < 0 ? '-' : '';
  const { digits, exp } = decimalParts(x);
  if (exp >= 15 || exp < -9) return sign + scientific(x, stripZeros(digits).length - 1);
  const { int, frac } = roundDecimal(x, Math.max(0, 14 - exp));
  return sign + joinFixed(int, frac);
}

const GENERAL_WIDTH = 11;

/** The "General" number format (at most 11 characters besides the sign), as TEXT applies it. */
export function generalCell(x) {
  if (x === 0 || !Number.isFinite(x)) return '0';
  const sign = x < 0 ? '-' : '';
  const a = Math.abs(x);
  const { digits, exp } = decimalParts(a);
  const sci = () => {
    const expDigits = Math.abs(exp) >= 100 ? 3 : 2;
    return sign + scientific(a, GENERAL_WIDTH - 4 - expDigits);
  };
  if (exp >= GENERAL_WIDTH) return sci();
  if (exp >= 0) {
    const { int, frac } = roundDecimal(a, Math.max(0, GENERAL_WIDTH - 2 - exp));
    if (int.length > GENERAL_WIDTH) return sign + scientific(a, 5);
    return sign + joinFixed(int, frac);
  }
  // 0.000ddd: fixed shows 10 + exp significant digits, scientific shows 6.
  const fixedDigits = GENERAL_WIDTH - 1 + exp;
  const needed = stripZeros(digits).length;
  if (needed <= fixedDigits || fixedDigits >= 6) {
    const { int, frac } = roundDecimal(a, GENERAL_WIDTH - 2);
    const text = joinFixed(int, frac);
    if (text !== '0') return sign + text;
  }
  return sci();
}
