// Complex numbers as Excel's IM* functions read and write them.
//
// Text: "x+yi" / "x-yj" with optional real or imaginary part ("5i", "-i", "3",
// "1.2E-45-3i"), no spaces, suffix "i" or "j" in lower case; anything else is
// #NUM!. A number is a real complex number, an empty cell 0, a logical value
// #VALUE!. Output: each part to 15 significant digits, in plain decimals
// unless that would need more than 19 decimal places or 15 integer digits
// (COMPLEX(1E-18,0) is "0.000000000000000001", COMPLEX(1E-20,0) "1E-20",
// measured), a unit imaginary part without its 1 ("1+i", "-j"), "0" for zero.

import { CellError, EmptyValue, ErrorType } from 'hyperformula';

const NUMBER = '(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?';
const COMPLEX_TEXT = new RegExp(
  `^(?:([+-]?${NUMBER})(?:([+-])(${NUMBER})?([ij]))?|([+-]?)(${NUMBER})?([ij]))$`,
);

export const notComplex = (text) => new CellError(ErrorType.NUM, `${JSON.stringify(text)} is not a complex number.`);

/**
 * A scalar argument as { re, im, suffix } (suffix undefined for plain numbers),
 * or the CellError Excel gives for it.
 */
export function toComplex(value) {
  if (value instanceof CellError) return value;
  if (value === EmptyValue || value === undefined || value === null) return { re: 0, im: 0 };
  if (typeof value === 'number') return { re: value, im: 0 };
  if (typeof value === 'boolean') return new CellError(ErrorType.VALUE, 'A logical value is not a complex number.');
  if (typeof value === 'object' && typeof value.val === 'number') return { re: value.val, im: 0 };
  if (typeof value !== 'string') return new CellError(ErrorType.VALUE, 'Not a complex number.');
  if (value === '') return { re: 0, im: 0 };
  const match = COMPLEX_TEXT.exec(value);
  if (!match) return notComplex(value);
  if (match[1] !== undefined) {
    const re = Number(match[1]);
    if (match[4] === undefined) return { re, im: 0 };
    const magnitude = match[3] === undefined ? 1 : Number(match[3]);
    return { re, im: match[2] === '-' ? -magnitude : magnitude, suffix: match[4] };
  }
  const magnitude = match[6] === undefined ? 1 : Number(match[6]);
  return { re: 0, im: match[5] === '-' ? -magnitude : magnitude, suffix: match[7] };
}

/** The common suffix of parsed arguments ('i' by default); #VALUE! when they mix i and j. */
export function commonSuffix(numbers) {
  const suffixes = new Set(numbers.map((z) => z.suffix).filter(Boolean));
  if (suffixes.size > 1) return new CellError(ErrorType.VALUE, 'The arguments mix the suffixes i and j.');
  return suffixes.size === 1 ? [...suffixes][0] : 'i';
}

/** A real number to 15 significant digits as Excel writes complex parts. */
export function formatPart(x) {
  if (x === 0) return '0';
  const [mantissa, exponentText] = Math.abs(x).toExponential(14).split('e');
  const digits = mantissa.replace('.', '').replace(/0+$/, '');
  const exponent = Number(exponentText);
  const sign = x < 0 ? '-' : '';
  if (exponent >= 15 || exponent - (digits.length - 1) < -19) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : '';
    const power = String(Math.abs(exponent)).padStart(2, '0');
    return `${sign}${digits[0]}${fraction}E${exponent < 0 ? '-' : '+'}${power}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fraction = digits.slice(exponent + 1);
  return `${sign}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** { re, im } as Excel's text, or #NUM! when a part is not finite. */
export function formatComplex({ re, im }, suffix = 'i') {
  if (!Number.isFinite(re) || !Number.isFinite(im)) {
    return new CellError(ErrorType.NUM, 'The result is too large.');
  }
  const real = re === 0 && im !== 0 ? '' : formatPart(re);
  if (im === 0) return real;
  const magnitude = formatPart(Math.abs(im));
  const sign = im < 0 ? '-' : real ? '+' : '';
  return `${real}${sign}${magnitude === '1' ? '' : magnitude}${suffix}`;
}

// Arithmetic on { re, im }.
export const add = (a, b) => ({ re: a.re + b.re, im: a.im + b.im });
export const sub = (a, b) => ({ re: a.re - b.re, im: a.im - b.im });
export const mul = (a, b) => ({ re: a.re * b.re - a.im * b.im, im: a.re * b.im + a.im * b.re });
export function div(a, b) {
  const d = b.re * b.re + b.im * b.im;
  return { re: (a.re * b.re + a.im * b.im) / d, im: (a.im * b.re - a.re * b.im) / d };
}
export const isZero = (z) => z.re === 0 && z.im === 0;
export const abs = (z) => Math.hypot(z.re, z.im);
export const arg = (z) => Math.atan2(z.im, z.re);
export const exp = (z) => ({ re: Math.exp(z.re) * Math.cos(z.im), im: Math.exp(z.re) * Math.sin(z.im) });
export const ln = (z) => ({ re: Math.log(abs(z)), im: arg(z) });
export const sin = (z) => ({ re: Math.sin(z.re) * Math.cosh(z.im), im: Math.cos(z.re) * Math.sinh(z.im) });
export const cos = (z) => ({ re: Math.cos(z.re) * Math.cosh(z.im), im: -Math.sin(z.re) * Math.sinh(z.im) });
export const sinh = (z) => ({ re: Math.sinh(z.re) * Math.cos(z.im), im: Math.cosh(z.re) * Math.sin(z.im) });
export const cosh = (z) => ({ re: Math.cosh(z.re) * Math.cos(z.im), im: Math.sinh(z.re) * Math.sin(z.im) });
export function pow(z, n) {
  const r = abs(z) ** n;
  const theta = arg(z) * n;
  return { re: r * Math.cos(theta), im: r * Math.sin(theta) };
}
