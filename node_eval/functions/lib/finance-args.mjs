// Argument coercion shared by the finance and date/time functions.
//
// The plugins declare their scalar arguments as SCALAR, so HyperFormula hands them
// over unconverted (errors included) and vectorizes ranges as for any scalar
// argument. Each function then converts them as Excel does, in argument order: an
// error argument is the result, text that is not a number is #VALUE!, and only
// after every argument converted are the values checked (#NUM!).

import { CellError, EmptyValue, ErrorType, FunctionArgumentType, SimpleRangeValue } from 'hyperformula';

import { dateSystemOf } from './finance-dates.mjs';
import { parseDateTime } from './finance-datetext.mjs';

export const num = (message) => new CellError(ErrorType.NUM, message);
export const value = (message) => new CellError(ErrorType.VALUE, message);
export const div0 = (message) => new CellError(ErrorType.DIV_BY_ZERO, message);


/** A required scalar argument. */
export const SCALAR = Object.freeze({ argumentType: FunctionArgumentType.SCALAR });
/** An optional scalar argument: undefined when omitted. */
export const OPTIONAL = Object.freeze({ argumentType: FunctionArgumentType.SCALAR, optionalArg: true });
/** A range (or array) argument. */
export const RANGE = Object.freeze({ argumentType: FunctionArgumentType.RANGE });

/**
 * Convert one scalar argument to a number as Excel does.
 * `booleans: false` is for the Analysis ToolPak functions (EDATE, YEARFRAC, the bond
 * functions, ...), which give #VALUE! for TRUE/FALSE; the core functions read them as 1/0.
 */
export function toNumber(plugin, v, booleans = true) {
  if (v instanceof CellError) return v;
  if (typeof v === 'number') return v;
  if (v === undefined || v === null || v === EmptyValue) return 0;
  if (typeof v === 'boolean') return booleans ? Number(v) : value('a logical value is not a number here');
  if (typeof v === 'string') {
    if (v.trim() === '') return value('an empty text is not a number');
    // a number ("1e3", " 5 ", "5%", "$5"), else a date or time as Excel (en-US) reads text
    const n = plugin.arithmeticHelper.coerceNonDateScalarToMaybeNumber(v);
    if (n !== undefined && n !== null) return typeof n === 'number' ? n : n.val;
    const parsed = parseDateTime(v, dateSystemOf(plugin.config));
    if (parsed !== undefined) return parsed.serial;
    return value(`"${v}" is not a number`);
  }
  if (typeof v === 'object' && typeof v.val === 'number') return v.val; // a HyperFormula typed number
  return value('a number is expected');
}

/**
 * Convert the arguments in order; an omitted optional argument (undefined) takes
 * `defaults[i]` (or stays undefined). Returns the numbers, or the first error.
 */
export function numbers(plugin, args, { booleans = true, defaults = [] } = {}) {
  const out = [];
  for (let i = 0; i < args.length; i++) {
    const v = args[i];
    if (v === undefined) {
      out.push(defaults[i]);
      continue;
    }
    const n = toNumber(plugin, v, booleans);
    if (n instanceof CellError) return n;
    out.push(n);
  }
  return out;
}

/** A final result: non-finite numbers are #NUM!, as Excel never returns them. */
export function finite(x, message = 'the result is not a finite number') {
  if (x instanceof CellError) return x;
  return Number.isFinite(x) ? x : num(message);
}

/** A number held in a range cell (plain or HyperFormula-typed, e.g. a date), else undefined. */
export function cellNumber(v) {
  if (typeof v === 'number') return v;
  if (v !== null && typeof v === 'object' && !(v instanceof CellError) && typeof v.val === 'number') return v.val;
  return undefined;
}

/**
 * The numbers of a range or array argument, in row order, skipping text, logicals and
 * empty cells (as Excel's IRR, NPV, MIRR do with references); the first error inside
 * is returned instead. A scalar argument counts as a one-cell range.
 */
export function rangeNumbers(arg) {
  const cells = arg instanceof SimpleRangeValue ? arg.valuesFromTopLeftCorner() : [arg];
  const out = [];
  for (const v of cells) {
    if (v instanceof CellError) return v;
    const n = cellNumber(v);
    if (n !== undefined) out.push(n);
  }
  return out;
}
