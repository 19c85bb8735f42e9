// The base conversions BIN2DEC, BIN2HEX, BIN2OCT, DEC2BIN, DEC2HEX, DEC2OCT,
// HEX2BIN, HEX2DEC, HEX2OCT, OCT2BIN, OCT2DEC, OCT2HEX, BASE and DECIMAL as
// Excel computes them.
//
// Replaces HyperFormula's built-ins, which differ from Excel in:
// - hexadecimal digits in lower case ("a2", "d5a") are valid in Excel;
// - an empty cell or "" is 0 for BIN2*, OCT2*, HEX2*, while DEC2* reads "" as
//   #VALUE!; logical values are #VALUE! (Analysis ToolPak functions);
// - `places` is checked first: DEC2BIN("E", 0) is #NUM!, DEC2BIN("E", 1) #VALUE!;
// - BASE truncates a fractional number (BASE(12.567, 2) is "1100", HyperFormula
//   wrote the fraction), and the radix (10.9 is 10).
// Rules: at most 10 digits in; a 10-digit number whose first digit has the top
// bit set is negative (two's complement), negatives are written as 10 digits
// and ignore `places`; results must fit BIN -512..511, OCT -2^29..2^29-1, HEX
// -2^39..2^39-1, else #NUM!; places is truncated and must be 1..10 and at least
// the number of digits. BASE: 0 <= number < 2^53, radix 2..36, min_length
// 0..255; DECIMAL: radix 2..36, up to 255 digits, result below 2^53.

import { CellError, EmptyValue } from 'hyperformula';

import { numError, toNumber, valueError } from './lib/math-coerce.mjs';
import { numericPlugin } from './lib/math-plugin.mjs';

const RADIX = { BIN: 2, OCT: 8, DEC: 10, HEX: 16 };
const LIMITS = { 2: 512, 8: 2 ** 29, 16: 2 ** 39 };
const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const notInBase = (text, radix) => numError(`${JSON.stringify(String(text))} is not a base-${radix} number.`);

/** The value of an up-to-10-digit number in base `radix` (two's complement), or #NUM!/#VALUE!. */
function readDigits(value, radix) {
  if (value instanceof CellError) return value;
  if (typeof value === 'boolean') return valueError('A logical value is not a number here.');
  let text;
  if (value === EmptyValue || value === undefined || value === null || value === '') {
    text = '0';
  } else if (typeof value === 'number' || typeof value?.val === 'number') {
    const number = typeof value === 'number' ? value : value.val;
    if (!Number.isInteger(number) || number < 0) return notInBase(number, radix);
    text = number.toFixed(0);
  } else {
    text = String(value);
  }
  if (text.length > 10) return notInBase(text, radix);
  const upper = text.toUpperCase();
  let result = 0;
  for (const char of upper) {
    const digit = DIGITS.indexOf(char);
    if (digit < 0 || digit >= radix) return notInBase(text, radix);
    result = result * radix + digit;
  }
  const full = radix ** 10;
  return upper.length === 10 && result >= full / 2 ? result - full : result;
}

/** `places` as Excel checks it: undefined, or an integer 1..10 (else #NUM!/#VALUE!). */
function readPlaces(plugin, places) {
  if (places === undefined) return undefined;
  const number = toNumber(plugin, places, { booleans: false });
  if (number instanceof CellError) return number;
  const count = Math.trunc(number);
  if (count < 1 || count > 10) return numError('Places must be 1 to 10.');
  return count;
}

/** An integer in base `radix` as Excel writes it (10-digit two's complement if negative). */
function writeDigits(number, radix, places) {
  const limit = LIMITS[radix];
  if (number < -limit || number >= limit) return numError('The number is out of range for this base.');
  if (number < 0) return (radix ** 10 + number).toString(radix).toUpperCase();
  const text = number.toString(radix).toUpperCase();
  if (places === undefined) return text;
  if (places < text.length) return numError('Places is too small for the number.');
  return text.padStart(places, '0');
}

function conversion(from, to) {
  return {
    fn(value, placesArg) {
      if (value instanceof CellError) return value;
      if (placesArg instanceof CellError) return placesArg;
      const places = to === 10 ? undefined : readPlaces(this, placesArg);
      if (places instanceof CellError) return places;
      let number;
      if (from === 10) {
        number = toNumber(this, value, { booleans: false });
        if (number instanceof CellError) return number;
        number = Math.trunc(number);
      } else {
        number = readDigits(value, from);
        if (number instanceof CellError) return number;
      }
      return to === 10 ? number : writeDigits(number, to, places);
    },
    optional: to === 10 ? 0 : 1,
    raw: true,
  };
}

function base(numberArg, radixArg, lengthArg) {
  const args = [numberArg, radixArg, ...(lengthArg === undefined ? [] : [lengthArg])];
  const numbers = [];
  for (const arg of args) {
    const number = toNumber(this, arg);
    if (number instanceof CellError) return number;
    numbers.push(Math.trunc(number));
  }
  const [number, radix, length = 0] = numbers;
  if (number < 0 || number >= 2 ** 53) return numError('The number must be 0 to 2^53.');
  if (radix < 2 || radix > 36) return numError('The radix must be 2 to 36.');
  if (length < 0 || length > 255) return numError('The minimum length must be 0 to 255.');
  return number.toString(radix).toUpperCase().padStart(length, '0');
}

function decimal(textArg, radixArg) {
  if (textArg instanceof CellError) return textArg;
  const radixNumber = toNumber(this, radixArg);
  if (radixNumber instanceof CellError) return radixNumber;
  const radix = Math.trunc(radixNumber);
  if (typeof textArg === 'boolean') return valueError('DECIMAL takes text.');
  const text = textArg === EmptyValue ? '' : typeof textArg === 'number' ? textArg.toFixed(0) : String(textArg);
  if (radix < 2 || radix > 36) return numError('The radix must be 2 to 36.');
  if (text.length > 255) return valueError('The text is too long.');
  let result = 0;
  for (const char of text.toUpperCase()) {
    const digit = DIGITS.indexOf(char);
    if (digit < 0 || digit >= radix) return notInBase(text, radix);
    result = result * radix + digit;
  }
  return result >= 2 ** 53 ? numError('The result is too large.') : result;
}

const specs = { BASE: { fn: base, required: 2, optional: 1, raw: true }, DECIMAL: { fn: decimal, required: 2, raw: true } };
for (const [fromName, from] of Object.entries(RADIX)) {
  for (const [toName, to] of Object.entries(RADIX)) {
    if (from !== to) specs[`${fromName}2${toName}`] = conversion(from, to);
  }
}

const BasesPlugin = numericPlugin('BasesPlugin', specs);

export default { plugin: BasesPlugin };
