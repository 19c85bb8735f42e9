// Excel's value model for the lookup family: kinds, coercions, comparison and
// wildcard matching, shared by the lookup, reference, logical, information and
// dynamic-array functions. Pure functions over HyperFormula's interpreter values.

import { CellError, EmptyValue, ErrorType, SimpleRangeValue } from 'hyperformula';

import { generalText } from './text-general.mjs';

/** Excel's ordering of kinds in lookups and SORT: numbers < text < logicals < errors < blanks. */
export const NUMBER = 0;
export const TEXT = 1;
export const LOGICAL = 2;
export const ERROR = 3;
export const BLANK = 4;

/** True for HyperFormula's formatted numbers (dates, currency, percent): a number in Excel. */
function isRichNumber(value) {
  return value !== null && typeof value === 'object' && typeof value.val === 'number' && !(value instanceof CellError);
}

/** The plain JS value: a formatted number becomes its number. */
export function raw(value) {
  return isRichNumber(value) ? value.val : value;
}

export function kindOf(value) {
  if (value === EmptyValue || value === undefined || value === null) return BLANK;
  if (typeof value === 'number' || isRichNumber(value)) return NUMBER;
  if (typeof value === 'string') return TEXT;
  if (typeof value === 'boolean') return LOGICAL;
  return ERROR;
}

export const isError = (value) => value instanceof CellError;
export const isRange = (value) => value instanceof SimpleRangeValue;

export function valueError(message) {
  return new CellError(ErrorType.VALUE, message);
}

export function naError(message) {
  return new CellError(ErrorType.NA, message);
}

export function refError(message) {
  return new CellError(ErrorType.REF, message);
}

export function numError(message) {
  return new CellError(ErrorType.NUM, message);
}

/** #CALC! (dcXL's extra error type; Excel returns it for empty arrays). */
export function calcError(message) {
  return new CellError('CALC', message);
}

/**
 * A scalar as a number the way Excel's functions coerce an argument: blank 0,
 * TRUE 1, text that reads as a number (or date, percent, currency) its value,
 * other text #VALUE!, errors as they are.
 */
export function toNumber(value, arithmeticHelper) {
  if (value === EmptyValue || value === undefined || value === null) return 0;
  if (typeof value === 'number') return value;
  if (isRichNumber(value)) return value.val;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') {
    if (value.trim() === '') return valueError('Text is not a number');
    const number = raw(arithmeticHelper.coerceToMaybeNumber(value));
    return typeof number === 'number' ? number : valueError('Text is not a number');
  }
  return value instanceof CellError ? value : valueError('Not a number');
}

/** A scalar as a logical: numbers non-zero, text "TRUE"/"FALSE" only, blank FALSE. */
export function toBoolean(value) {
  if (typeof value === 'boolean') return value;
  if (value === EmptyValue || value === undefined || value === null) return false;
  if (typeof value === 'number') return value !== 0;
  if (isRichNumber(value)) return value.val !== 0;
  if (typeof value === 'string') {
    const upper = value.toUpperCase();
    if (upper === 'TRUE') return true;
    if (upper === 'FALSE') return false;
    return valueError('Text is not a logical value');
  }
  return value instanceof CellError ? value : valueError('Not a logical value');
}

/** A scalar as text, as Excel's text functions see it (numbers in general format). */
export function toText(value) {
  if (typeof value === 'string') return value;
  if (value === EmptyValue || value === undefined || value === null) return '';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number' || isRichNumber(value)) return generalText(raw(value));
  return value;
}

// Excel compares text without regard to case, but does tell accents apart.
const collator = new Intl.Collator('en-US', { sensitivity: 'accent' });

function compareText(a, b) {
  if (a === b) return 0;
  const result = collator.compare(a, b);
  if (result !== 0) return result < 0 ? -1 : 1;
  // Equal for the collator but not identical: order case-insensitively by code point.
  const la = a.toLowerCase();
  const lb = b.toLowerCase();
  return la === lb ? 0 : la < lb ? -1 : 1;
}

/** Text equality as Excel's = tests it: ignoring case. */
function textEquals(a, b) {
  return a === b || a.toLowerCase() === b.toLowerCase();
}

/**
 * Compare two values of the same kind: -1, 0 or 1. Numbers by value, text
 * case-insensitively, FALSE < TRUE; errors and blanks are all equal.
 */
export function compareSameKind(a, b) {
  const kind = kindOf(a);
  if (kind === NUMBER) {
    const x = significant(raw(a));
    const y = significant(raw(b));
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (kind === TEXT) return compareText(a, b);
  if (kind === LOGICAL) return a === b ? 0 : a ? 1 : -1;
  return 0;
}

/**
 * A number as Excel compares it: to 15 significant digits, so 0.1+0.2 finds 0.3
 * (the engine's = operator agrees: precisionEpsilon 1e-15).
 */
export function significant(number) {
  return number === 0 || !Number.isFinite(number) ? number : Number(number.toPrecision(15));
}

/** Excel's total order for sorting: kind first (numbers, text, logicals, errors, blanks), then value. */
export function compareForSort(a, b) {
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (ka !== kb) return ka < kb ? -1 : 1;
  if (ka === ERROR) {
    const ca = ERROR_NUMBERS[a.type] ?? 99;
    const cb = ERROR_NUMBERS[b.type] ?? 99;
    return ca < cb ? -1 : ca > cb ? 1 : 0;
  }
  return compareSameKind(a, b);
}

/** Exact equality as lookups test it: same kind and equal value (text ignoring case). */
export function lookupEquals(a, b) {
  const ka = kindOf(a);
  if (ka !== kindOf(b)) return false;
  if (ka === TEXT) return textEquals(a, b);
  if (ka === ERROR) return false;
  return compareSameKind(a, b) === 0;
}

/**
 * A string equal for values lookupEquals calls equal (same kind; text ignoring
 * case); undefined for errors, which equal nothing.
 */
export function equalityKey(value) {
  switch (kindOf(value)) {
    case NUMBER:
      return `n${significant(raw(value))}`;
    case TEXT:
      return `t${value.toLowerCase()}`;
    case LOGICAL:
      return value ? 'T' : 'F';
    case BLANK:
      return 'b';
    default:
      return undefined;
  }
}

/** ERROR.TYPE's numbers for HyperFormula's error types (and dcXL's extra ones). */
export const ERROR_NUMBERS = {
  NULL: 1,
  DIV_BY_ZERO: 2,
  VALUE: 3,
  REF: 4,
  NAME: 5,
  NUM: 6,
  NA: 7,
  GETTING_DATA: 8,
  SPILL: 9,
  CONNECT: 10,
  BLOCKED: 11,
  UNKNOWN: 12,
  FIELD: 13,
  CALC: 14,
  EXTERNAL: 19,
  BUSY: 20,
  PYTHON: 21,
};

/** True when text holds Excel wildcards (* or ?, or a ~ escape). */
export function hasWildcards(text) {
  return /[*?~]/.test(text);
}

/**
 * A matcher for Excel's wildcard pattern: * any run, ? one character, ~ escapes
 * the next character; whole-string, case-insensitive.
 */
export function wildcardMatcher(pattern) {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '~' && i + 1 < pattern.length && '*?~'.includes(pattern[i + 1])) {
      source += escapeRegExp(pattern[++i]);
    } else if (ch === '*') {
      source += '.*';
    } else if (ch === '?') {
      source += '.';
    } else {
      source += escapeRegExp(ch);
    }
  }
  const regex = new RegExp(`^${source}$`, 'isu');
  return (value) => typeof value === 'string' && regex.test(value);
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}
