// Argument coercion shared by the text functions, as Excel does it.
//
// HyperFormula's own STRING coercion writes numbers with JS's toString (LEN(1/3) is 18
// there, 17 in Excel) and its NUMBER coercion reads text with its configured date
// formats; these helpers give Excel's results: a number becomes its 15-digit General
// text, TRUE/FALSE become "TRUE"/"FALSE", an empty cell is "" or 0, and text is read
// as a number the way VALUE reads it. Errors are returned as they are.

import { CellError, EmptyValue, ErrorType, SimpleRangeValue } from 'hyperformula';

import { generalText } from './text-general.mjs';
import { parseNumber } from './text-parse.mjs';
import { is1904 } from './text-dates.mjs';

export const MAX_TEXT = 32767;

/** A HyperFormula scalar without its number subtype (dates, currencies, percents). */
export function raw(value) {
  if (value !== null && typeof value === 'object' && typeof value.val === 'number') return value.val;
  return value;
}

export const isError = (value) => value instanceof CellError;

export const valueError = (message) => new CellError(ErrorType.VALUE, message);

/** Excel's text for a scalar (errors pass through). */
export function toText(value) {
  const v = raw(value);
  if (typeof v === 'string' || v instanceof CellError) return v;
  if (typeof v === 'number') return generalText(v);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v === EmptyValue || v === undefined || v === null) return '';
  return valueError('Value cannot be converted to text.');
}

/** Excel's number for a scalar: text is parsed as VALUE does (errors pass through). */
export function toNumber(value, config) {
  const v = raw(value);
  if (typeof v === 'number') return v;
  if (v instanceof CellError) return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v === EmptyValue || v === undefined || v === null) return 0;
  if (typeof v === 'string') {
    const n = parseNumber(v, is1904(config));
    return n === undefined ? valueError(`"${v}" is not a number.`) : n;
  }
  return valueError('Value cannot be converted to a number.');
}

/** Excel's truth value for a scalar: numbers are non-zero, "TRUE"/"FALSE" text only. */
export function toBoolean(value) {
  const v = raw(value);
  if (typeof v === 'boolean') return v;
  if (v instanceof CellError) return v;
  if (typeof v === 'number') return v !== 0;
  if (v === EmptyValue || v === undefined || v === null) return false;
  if (typeof v === 'string') {
    const u = v.toUpperCase();
    if (u === 'TRUE') return true;
    if (u === 'FALSE') return false;
  }
  return valueError('Value cannot be converted to a logical value.');
}

/** The values of a range or array argument row by row, or [value] for a scalar. */
export function flatten(arg) {
  if (arg instanceof SimpleRangeValue) return arg.valuesFromTopLeftCorner();
  return [arg];
}

/** Rows of a range/array argument, or [[value]] for a scalar. */
export function rows(arg) {
  if (arg instanceof SimpleRangeValue) return arg.data;
  return [[arg]];
}

/** A text result, or #VALUE! when it is longer than a cell may hold (32,767 characters). */
export function textResult(text) {
  return text.length > MAX_TEXT ? valueError('Text result longer than 32,767 characters.') : text;
}

/** Truncate a number argument toward zero, as Excel does for counts and positions. */
export const trunc = (n) => Math.trunc(n);

/** The Excel code of an error value ("#DIV/0!"), in the engine's language. */
export function errorText(config, error) {
  try {
    return config.translationPackage.getErrorTranslation(error.type);
  } catch {
    return '#VALUE!';
  }
}
