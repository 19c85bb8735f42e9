// Excel's conversion of a scalar argument to a number, for the math family.
//
// HyperFormula's NUMBER coercion differs from Excel's in ways that show in real
// workbooks: it turns "" (e.g. the result of =IF(x,"",1)) into 0 where Excel
// gives #VALUE!, and it parses date text only in the configured formats
// (DD/MM/YYYY), while Excel also reads ISO dates such as "2024-01-10".
// Excel reads numbers with surrounding spaces (" 10 " is 10) but not dates
// (" 2024-01-10 " is #VALUE!), and numbers as they are typed in en-US: with
// thousands separators ("1,000"), in parentheses for negatives ("(5)"), with a
// currency sign in € as well as $ ("€100"), with a percent sign.
// Functions that came from the Analysis ToolPak (GCD, QUOTIENT, ERF, BESSELJ,
// GESTEP, ...) refuse logical values: TRUE there is #VALUE!, not 1.

import { CellError, EmptyValue, ErrorType } from 'hyperformula';

const ISO_DATE = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/;
const CURRENCY = /^[$€£]\s*|\s*[$€£]$/;
const GROUPED = /^(\d{1,3}(?:,\d{3})+|\d+)(\.\d*)?$|^\.\d+$/;

/** The smallest normal double: Excel has no subnormal numbers, they are 0. */
const MIN_NORMAL = 2.2250738585072014e-308;

/** A #VALUE! error with a message. */
export function valueError(message = 'Value cannot be coerced to number.') {
  return new CellError(ErrorType.VALUE, message);
}

/** A #NUM! error with a message. */
export function numError(message = 'Number out of range.') {
  return new CellError(ErrorType.NUM, message);
}

/**
 * A typed number HyperFormula does not read: "1,000", "(5)", "€100", "-$1,234.50",
 * "12.5%"; undefined for anything else.
 */
function typedNumber(text) {
  let rest = text;
  let sign = 1;
  if (rest.startsWith('(') && rest.endsWith(')')) {
    sign = -1;
    rest = rest.slice(1, -1).trim();
  }
  if (/^[+-]/.test(rest)) {
    if (rest[0] === '-') sign = -sign;
    rest = rest.slice(1).trim();
  }
  rest = rest.replace(CURRENCY, '');
  let scale = 1;
  if (rest.endsWith('%')) {
    scale = 0.01;
    rest = rest.slice(0, -1).trim();
  }
  if (!GROUPED.test(rest)) return undefined;
  return sign * Number(rest.replaceAll(',', '')) * scale;
}

/** Text to a number as Excel's implicit conversion does, or #VALUE!. */
function textToNumber(plugin, text) {
  if (text.trim() === '') return valueError();
  const helper = plugin.arithmeticHelper;
  const number = helper.coerceNonDateScalarToMaybeNumber(text);
  if (number !== undefined) return rawNumber(number);
  const typed = typedNumber(text.trim());
  if (typed !== undefined) return typed;
  if (text !== text.trim()) return valueError();
  const iso = ISO_DATE.exec(text);
  if (iso) {
    const date = { year: Number(iso[1]), month: Number(iso[2]), day: Number(iso[3]) };
    const dates = plugin.dateTimeHelper;
    if (!dates.isValidDate(date)) return valueError();
    const serial = dates.getWithinBounds(dates.dateToNumber(date));
    return serial === undefined ? valueError() : serial;
  }
  const date = helper.coerceToMaybeNumber(text);
  return date === undefined ? valueError() : rawNumber(date);
}

/** A HyperFormula number (plain or rich: date, percent, currency) as a plain number. */
function rawNumber(value) {
  return typeof value === 'number' ? value : value.val;
}

/**
 * One scalar value as a number: numbers as they are, TRUE 1, FALSE 0 (or
 * #VALUE! with `{ booleans: false }`), an empty cell 0, numeric or date text
 * converted, errors returned as they are.
 */
export function toNumber(plugin, value, { booleans = true } = {}) {
  if (typeof value === 'number') return value;
  if (value instanceof CellError) return value;
  if (value === EmptyValue || value === undefined || value === null) return 0;
  if (typeof value === 'boolean') return booleans ? Number(value) : valueError('A logical value is not a number here.');
  if (typeof value === 'string') return textToNumber(plugin, value);
  if (typeof value === 'object' && typeof value.val === 'number') return value.val;
  return valueError();
}

/**
 * Convert arguments to numbers in order, as Excel does: the first argument that
 * is an error or cannot be converted decides the result. Returns the numbers, or
 * that CellError. `undefined` (an omitted optional argument) stays undefined.
 */
export function toNumbers(plugin, values, options) {
  const numbers = [];
  for (const value of values) {
    if (value === undefined) {
      numbers.push(undefined);
      continue;
    }
    const number = toNumber(plugin, value, options);
    if (number instanceof CellError) return number;
    numbers.push(number);
  }
  return numbers;
}

/**
 * A finite result, or #NUM! as Excel gives for overflow. Negative zero and
 * subnormal numbers (EXP(-745)) become 0, as in Excel.
 */
export function finite(value) {
  if (value instanceof CellError) return value;
  if (!Number.isFinite(value)) return numError('Result is not a finite number.');
  return Math.abs(value) < MIN_NORMAL ? 0 : value;
}
