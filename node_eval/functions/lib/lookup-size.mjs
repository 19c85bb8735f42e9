// The size of a function's array result, predicted from its formula before any
// value is known (HyperFormula's sizeOfResultArrayMethod): HyperFormula reserves
// the spill area of a formula from it. A size is {rows, cols, exact}; an inexact
// size is an upper bound (FILTER: its input's size), Infinity when there is none
// (SEQUENCE(A1)). For a formula's own result an exact size is used as it is and
// an inexact one is reported as unknown, so the engine takes the spill range Excel
// recorded in the file (or keeps one cell) instead of reserving cells Excel left
// free. Inside another function the upper bound is reported: some functions cut
// their array results to the size predicted for them.

import { ArraySize, CellError, ErrorType } from 'hyperformula';

import { unwrap } from './lookup-array.mjs';

export const UNKNOWN = Object.freeze({ rows: Infinity, cols: Infinity, exact: false });

/** An upper bound: at most rows x cols. */
export function boundedSize(rows, cols) {
  return { rows, cols, exact: false };
}
export const SCALAR = Object.freeze({ rows: 1, cols: 1, exact: true });

/** An exact size, or UNKNOWN when either side is not a finite number. */
export function exactSize(rows, cols) {
  return Number.isFinite(rows) && Number.isFinite(cols) ? { rows, cols, exact: true } : UNKNOWN;
}

/** The predicted size of an argument's value. */
export function sizeOf(plugin, ast, state) {
  if (ast === undefined) return SCALAR;
  const node = unwrap(ast);
  const inner = asArgument(state);
  switch (node.type) {
    case 'NUMBER':
    case 'STRING':
    case 'ERROR':
    case 'ERROR_WITH_RAW_INPUT':
    case 'EMPTY':
    case 'CELL_REFERENCE':
      return SCALAR;
    case 'CELL_RANGE':
    case 'COLUMN_RANGE':
    case 'ROW_RANGE': {
      // A whole column is as tall as the sheet's data, known only when it is read.
      const size = plugin.arraySizeForAst(node, inner);
      return exactSize(size.height, size.width);
    }
    case 'NAMED_EXPRESSION':
      return UNKNOWN;
    default: {
      const size = plugin.arraySizeForAst(node, inner);
      return size.isRef ? UNKNOWN : exactSize(size.height, size.width);
    }
  }
}

/** The prediction state for an argument of one of these functions (see isTopLevel). */
function asArgument(state) {
  if (state.dcArgument) return state;
  return Object.assign(Object.create(Object.getPrototypeOf(state)), state, { dcArgument: true });
}

/**
 * True when the prediction is for a formula's own result (HyperFormula starts it
 * with a plain state object, and passes it on through operators), false inside a
 * function (its own InterpreterState, or an argument of these functions).
 * INDEX, ROW and COLUMN of a range return several cells; at the top of a plain
 * (not array) formula Excel reduces them to one, so they predict one cell there.
 */
export function isTopLevel(state) {
  return state.dcArgument !== true && Object.getPrototypeOf(state) === Object.prototype;
}

/** Excel's broadcasting of arguments against each other: the largest rows and columns. */
export function broadcastSize(plugin, asts, state) {
  const sizes = asts.map((ast) => sizeOf(plugin, ast, state));
  const rows = Math.max(1, ...sizes.map((size) => size.rows));
  const cols = Math.max(1, ...sizes.map((size) => size.cols));
  return sizes.every((size) => size.exact) ? exactSize(rows, cols) : boundedSize(rows, cols);
}

/** The size of one of the arguments, not known which: exact when they all have the same. */
export function eitherSize(plugin, asts, state) {
  const sizes = asts.map((ast) => sizeOf(plugin, ast, state));
  if (sizes.length === 0) return SCALAR;
  const [first] = sizes;
  if (sizes.every((size) => size.exact && size.rows === first.rows && size.cols === first.cols)) return first;
  return boundedSize(Math.max(...sizes.map((size) => size.rows)), Math.max(...sizes.map((size) => size.cols)));
}

/**
 * A literal number in the formula (3, -2, "4", TRUE()), or undefined when the
 * argument is computed. `omitted` is the value of an empty or missing argument.
 */
export function literalNumber(ast, omitted) {
  if (ast === undefined) return omitted;
  const node = unwrap(ast);
  switch (node.type) {
    case 'EMPTY':
      return omitted;
    case 'NUMBER':
      return node.value;
    case 'STRING': {
      const number = Number(node.value);
      return node.value.trim() !== '' && Number.isFinite(number) ? number : undefined;
    }
    case 'MINUS_UNARY_OP': {
      const inner = literalNumber(node.value, undefined);
      return inner === undefined ? undefined : -inner;
    }
    case 'PLUS_UNARY_OP':
      return literalNumber(node.value, undefined);
    case 'FUNCTION_CALL':
      if (node.args.length === 0 && node.procedureName === 'TRUE') return 1;
      if (node.args.length === 0 && node.procedureName === 'FALSE') return 0;
      return undefined;
    default:
      return undefined;
  }
}

/**
 * The whole result of a formula as its cell can hold it. A spilling cell keeps
 * what fits its reserved area. A one-cell formula shows, as a plain Excel formula
 * does, the cell of a returned reference in its own row or column (implicit
 * intersection; HyperFormula would show #VALUE!) or the first value of an array.
 * Nested results are left whole: SUM(INDEX(A1:C9,0,B1)) needs them.
 */
export function fitSpill(ast, state, result) {
  const vertex = state.formulaVertex;
  if (vertex === undefined || vertex.formula !== ast || !isArrayValue(result)) return result;
  const size = vertex.array?.size;
  if (size === undefined) {
    if (result.height() === 1 && result.width() === 1) return result;
    return result.range === undefined ? result.data[0][0] : intersect(result, state.formulaAddress);
  }
  if (result.height() <= size.height && result.width() <= size.width) return result;
  const rows = result.data.slice(0, size.height).map((row) => row.slice(0, size.width));
  return result.constructor.onlyValues(rows);
}

/** Excel's implicit intersection of a reference with the formula's cell: the cell in its row or column, or #VALUE!. */
export function intersect(reference, address) {
  const { sheet, start } = reference.range;
  const height = reference.height();
  const width = reference.width();
  if (sheet === address.sheet && width === 1 && address.row >= start.row && address.row < start.row + height) {
    return cellValue(reference, address.row, start.col);
  }
  if (sheet === address.sheet && height === 1 && address.col >= start.col && address.col < start.col + width) {
    return cellValue(reference, start.row, address.col);
  }
  return new CellError(ErrorType.VALUE, 'No cell of the range in the formula row or column');
}

function cellValue(reference, row, col) {
  const value = reference.dependencyGraph.getCellValue({ sheet: reference.range.sheet, row, col });
  return typeof value?.height === 'function' ? value.data[0][0] : value;
}

function isArrayValue(value) {
  return value !== null && typeof value === 'object' && typeof value.height === 'function' && typeof value.width === 'function';
}

/**
 * HyperFormula's ArraySize: an exact size; for a formula's result an inexact one
 * is "unknown" (the engine then uses the file's spill range, or one cell); inside
 * a function, the upper bound.
 */
export function sizeResult(size, state) {
  const { rows, cols, exact } = size;
  if (!exact && isTopLevel(state)) return ArraySize.error();
  if (!Number.isFinite(rows) || !Number.isFinite(cols) || rows < 1 || cols < 1) return ArraySize.error();
  if (rows > 1048576 || cols > 16384) return ArraySize.error();
  return new ArraySize(cols, rows);
}
