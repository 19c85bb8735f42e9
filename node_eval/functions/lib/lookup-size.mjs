// The size of a function's array result, predicted from its formula before any
// value is known (HyperFormula's sizeOfResultArrayMethod). HyperFormula fixes a
// formula's spill area from this prediction: a result larger than predicted
// breaks the engine, so a prediction must be exact or an upper bound; a 1x1
// prediction is always safe (the formula then keeps its first value only).
// Sizes are {rows, cols}; Infinity means "not known before evaluation".

import { ArraySize, CellError, ErrorType } from 'hyperformula';

import { unwrap } from './lookup-array.mjs';

export const UNKNOWN = Object.freeze({ rows: Infinity, cols: Infinity });
export const SCALAR = Object.freeze({ rows: 1, cols: 1 });

/** The predicted size of an argument's value. */
export function sizeOf(plugin, ast, state) {
  if (ast === undefined) return SCALAR;
  const node = unwrap(ast);
  state = asArgument(state);
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
      const size = plugin.arraySizeForAst(node, state);
      return { rows: size.height, cols: size.width };
    }
    case 'NAMED_EXPRESSION':
      return UNKNOWN;
    default: {
      const size = plugin.arraySizeForAst(node, state);
      if (size.isRef) return size.width === 1 && size.height === 1 ? UNKNOWN : { rows: size.height, cols: size.width };
      return { rows: size.height, cols: size.width };
    }
  }
}

/** The prediction state for an argument of a dynamic-array function (see isArgument). */
function asArgument(state) {
  if (state.dcArgument) return state;
  return Object.assign(Object.create(Object.getPrototypeOf(state)), state, { dcArgument: true });
}

/**
 * True when the prediction is for an argument of one of these functions, false
 * for a formula's own result. INDEX, ROW and COLUMN of a range return several
 * cells; at the top of a plain (not array) formula Excel reduces them to one,
 * so they predict one cell there, and their true size inside SORT(...) etc.
 */
export function isArgument(state) {
  return state.dcArgument === true;
}

/** The largest rows and columns among the arguments' sizes. */
export function largestSize(plugin, asts, state) {
  let rows = 1;
  let cols = 1;
  for (const ast of asts) {
    const size = sizeOf(plugin, ast, state);
    rows = Math.max(rows, size.rows);
    cols = Math.max(cols, size.cols);
  }
  return { rows, cols };
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
 * A safety net for a result that is the whole formula of a spilling cell: never
 * larger than the area HyperFormula reserved for it (a larger one would abort the
 * engine). Nested results are left alone: SUM(INDEX(A1:C9,0,B1)) needs them whole.
 */
export function fitSpill(ast, state, result) {
  const vertex = state.formulaVertex;
  if (vertex === undefined || vertex.formula !== ast || !isArrayValue(result)) return result;
  const size = vertex.array?.size;
  if (size === undefined) {
    // A one-cell formula (HyperFormula would show #VALUE! for a larger result): as in a
    // plain Excel formula, a reference meets the formula's row or column (implicit
    // intersection), an array shows its first value.
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

/** HyperFormula's ArraySize for a predicted size: 1x1 (safe) unless both sides are known. */
export function sizeResult({ rows, cols }) {
  if (!Number.isFinite(rows) || !Number.isFinite(cols) || rows < 1 || cols < 1) return ArraySize.scalar();
  if (rows > 1048576 || cols > 16384) return ArraySize.scalar();
  return new ArraySize(cols, rows);
}
