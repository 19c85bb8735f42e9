// ROMAN (all five forms) and ARABIC as Excel computes them.
//
// Replaces HyperFormula's built-ins, which differ from Excel in:
// - ROMAN of a number outside 0..3999 is #VALUE! (HyperFormula #NUM!); ROMAN(0)
//   and ROMAN of an empty cell are "" (HyperFormula #NUM!); the form may be a
//   logical value (TRUE classic, FALSE simplest) or numeric text;
// - ARABIC reads any sequence of letters by the pairwise rule (a numeral
//   smaller than the next one is subtracted): "ixix" is 18, "CMM" 1900, "ICIC"
//   198, as in Excel (HyperFormula refused non-standard numerals), in any letter
//   case, with an optional leading minus; "" is 0; numbers are #VALUE!.
// ROMAN forms 1 to 4 let each subtractive pair reach further down ("LDVLIV",
// "XDIX", "VDIV", "ID" for 499); verified against all of 1..3999 in Excel.

import { CellError, EmptyValue, ErrorType } from 'hyperformula';

import { toNumber, valueError } from './lib/math-coerce.mjs';
import { numericPlugin } from './lib/math-plugin.mjs';

const CHARS = 'MDCLXVI';
const VALUES = [1000, 500, 100, 50, 10, 5, 1];

function romanText(number, form) {
  let value = number;
  let text = '';
  for (let index = 0; index < VALUES.length; index += 2) {
    const digit = Math.floor(value / VALUES[index]);
    if (digit % 5 === 4) {
      const big = digit === 4 ? index - 1 : index - 2;
      let small = index;
      for (let step = 0; step < form && small < VALUES.length - 1; step += 1) {
        if (VALUES[big] - VALUES[small + 1] > value) break;
        small += 1;
      }
      text += CHARS[small] + CHARS[big];
      value += VALUES[small] - VALUES[big];
    } else {
      if (digit > 4) text += CHARS[index - 1];
      text += CHARS[index].repeat(digit % 5);
      value %= VALUES[index];
    }
  }
  return text;
}

function roman(numberArg, formArg) {
  const number = toNumber(this, numberArg);
  if (number instanceof CellError) return number;
  let form = 0;
  if (typeof formArg === 'boolean') {
    form = formArg ? 0 : 4;
  } else if (formArg !== undefined) {
    const value = toNumber(this, formArg);
    if (value instanceof CellError) return value;
    form = Math.trunc(value);
  }
  if (number < 0 || number >= 4000) return valueError('ROMAN takes numbers from 0 to 3999.');
  if (form < 0 || form > 4) return valueError('The form must be 0 to 4 or a logical value.');
  return romanText(Math.trunc(number), form);
}

const LETTERS = { I: 1, V: 5, X: 10, L: 50, C: 100, D: 500, M: 1000 };

function arabic(text) {
  if (text instanceof CellError) return text;
  if (text === EmptyValue || text === undefined) return 0;
  if (typeof text !== 'string') return valueError('ARABIC takes text.');
  let letters = text.trim().toUpperCase();
  if (letters.length > 255) return valueError('The text is too long.');
  const sign = letters.startsWith('-') ? -1 : 1;
  if (sign < 0) letters = letters.slice(1);
  let total = 0;
  for (let i = 0; i < letters.length; i += 1) {
    const value = LETTERS[letters[i]];
    if (value === undefined) return new CellError(ErrorType.VALUE, `${JSON.stringify(text)} is not a roman numeral.`);
    const next = LETTERS[letters[i + 1]] ?? 0;
    total += value < next ? -value : value;
  }
  return sign * total;
}

const RomanArabicPlugin = numericPlugin('RomanArabicPlugin', {
  ROMAN: { fn: roman, optional: 1, raw: true },
  ARABIC: { fn: arabic, raw: true },
});

export default { plugin: RomanArabicPlugin };
