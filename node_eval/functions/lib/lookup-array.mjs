// Arrays and references for the lookup family: argument evaluation, the 2-D
// rows of a range or array, sub-ranges that stay references, array results and
// Excel's broadcasting of scalar arguments over arrays.

import { CellError, EmptyValue, ErrorType, SimpleRangeValue } from 'hyperformula';

import { calcError, isError, isRange, toNumber, valueError } from './lookup-values.mjs';

/** An argument left empty in the formula, e.g. the second one of `F(a,,c)`. */
export function isOmitted(ast) {
  return ast === undefined || ast.type === 'EMPTY';
}

/**
 * Evaluate an argument without collapsing a 1x1 range to its value, so a function
 * such as INDEX that returns a reference keeps it (ROW(INDEX(...)), ISREF(...)).
 */
export function evaluateReference(plugin, ast, state) {
  const node = unwrap(ast);
  if (node.type === 'CELL_REFERENCE') {
    // A single cell as a 1x1 range: the interpreter builds it from a range node A1:A1.
    const range = { type: 'CELL_RANGE', start: node.reference, end: node.reference };
    return plugin.interpreter.evaluateAstWithoutPostprocessing(range, state);
  }
  if (node.type === 'FUNCTION_CALL' || node.type === 'CELL_RANGE' || node.type === 'COLUMN_RANGE' || node.type === 'ROW_RANGE') {
    return plugin.interpreter.evaluateAstWithoutPostprocessing(node, state);
  }
  return plugin.evaluateAst(node, state);
}

/** The AST inside any parentheses. */
export function unwrap(ast) {
  let node = ast;
  while (node.type === 'PARENTHESES') node = node.expression;
  return node;
}

/** True when the value is a reference to sheet cells (not a computed array). */
export function isReference(value) {
  return isRange(value) && value.range !== undefined;
}

/** The rows of a range or array; a scalar is a 1x1 array. */
export function rowsOf(value) {
  return isRange(value) ? value.data : [[value]];
}

/** [height, width] of a range or array; 1x1 for a scalar. */
export function dimensions(value) {
  return isRange(value) ? [value.height(), value.width()] : [1, 1];
}

/** An array result; an empty one is #CALC! as in Excel. */
export function arrayResult(rows) {
  if (rows.length === 0 || rows[0].length === 0) return calcError('Empty array');
  return SimpleRangeValue.onlyValues(rows);
}

/** AbsoluteCellRange (not exported by HyperFormula): the base class of any range object. */
function cellRangeClass(range) {
  let cls = range.constructor;
  while (typeof Object.getPrototypeOf(cls)?.fromCoordinates === 'function') cls = Object.getPrototypeOf(cls);
  return cls;
}

/**
 * Rows r0.. (height) and columns c0.. (width) of a range or array, 0-based. A
 * sheet range stays a reference (its cells are read lazily), an array is sliced.
 */
export function subArray(plugin, value, r0, c0, height, width) {
  if (!isRange(value)) return value;
  if (value.range !== undefined && Number.isFinite(value.range.start.row) && Number.isFinite(value.range.start.col)) {
    const { sheet, start } = value.range;
    const range = cellRangeClass(value.range).fromCoordinates(
      sheet,
      start.col + c0,
      start.row + r0,
      start.col + c0 + width - 1,
      start.row + r0 + height - 1,
    );
    return SimpleRangeValue.onlyRange(range, plugin.dependencyGraph);
  }
  const rows = value.data.slice(r0, r0 + height).map((row) => row.slice(c0, c0 + width));
  return SimpleRangeValue.onlyValues(rows);
}

/**
 * One cell of a range or array, 0-based. A sheet range is read cell by cell
 * (never materialised), so a lookup in a wide table costs one column, not the table.
 */
export function cellOf(plugin, value, r, c) {
  if (!isRange(value)) return value;
  if (value.range === undefined || value._data !== undefined) return value.data[r][c];
  const { sheet, start } = value.range;
  const cell = plugin.dependencyGraph.getCellValue({ sheet, col: start.col + c, row: start.row + r });
  return isRange(cell) ? cell.data[0][0] : cell;
}

/**
 * The values of one column (`axis` 'col') or one row ('row') of a range or array,
 * 0-based. A line of a sheet range is kept in HyperFormula's cache of that range
 * (cleared whenever a cell of the range changes); a line of a computed array (a
 * defined name's value, say) is kept with the array, which a recalculation replaces.
 * So the thousands of lookups of a model into one table read its key column once.
 */
export function lineOf(plugin, value, axis, index) {
  const key = `dcmodel.line.${axis}.${index}`;
  const cache = lineCache(plugin, value);
  const cached = cache?.get(key);
  if (cached !== undefined) return cached;
  const [height, width] = dimensions(value);
  const length = axis === 'col' ? height : width;
  const line = new Array(length);
  for (let i = 0; i < length; i++) line[i] = axis === 'col' ? cellOf(plugin, value, i, index) : cellOf(plugin, value, index, i);
  cache?.set(key, line);
  return line;
}

/** Where lines of this range or array are kept: {get, set}, or undefined for a scalar. */
function lineCache(plugin, value) {
  if (!isRange(value)) return undefined;
  if (value.range !== undefined) {
    const vertex = plugin.dependencyGraph.getRange(value.range.start, value.range.end);
    return vertex === undefined ? undefined : { get: (k) => vertex.getFunctionValue(k), set: (k, v) => vertex.setFunctionValue(k, v) };
  }
  const rows = value.data;
  if (rows.dcLines === undefined) Object.defineProperty(rows, 'dcLines', { value: new Map() });
  return rows.dcLines;
}

/** A looked-up cell as a function result: Excel shows a blank cell as 0. */
export function resultValue(value) {
  return value === EmptyValue || value === undefined ? 0 : value;
}

/**
 * Excel's lifting of a function over array arguments where it expects scalars:
 * `args` are the evaluated arguments, `lifted[i]` says whether argument i is a
 * scalar parameter. Each array among them is broadcast to the largest height and
 * width (a single row or column repeats; beyond a smaller array's edge is #N/A)
 * and `fn` is called per cell with scalars. Without arrays, `fn(...args)`.
 */
export function lift(args, lifted, fn) {
  let height = 1;
  let width = 1;
  let any = false;
  args.forEach((arg, i) => {
    if (lifted[i] && isRange(arg)) {
      any = true;
      height = Math.max(height, arg.height());
      width = Math.max(width, arg.width());
    }
  });
  if (!any) return fn(...args);
  const rows = [];
  for (let r = 0; r < height; r++) {
    const row = [];
    for (let c = 0; c < width; c++) {
      const cellArgs = args.map((arg, i) => (lifted[i] && isRange(arg) ? broadcastCell(arg, r, c) : arg));
      let value = fn(...cellArgs);
      if (isRange(value)) value = value.data[0][0];
      row.push(value);
    }
    rows.push(row);
  }
  return SimpleRangeValue.onlyValues(rows);
}

function broadcastCell(array, r, c) {
  const h = array.height();
  const w = array.width();
  const rr = h === 1 ? 0 : r;
  const cc = w === 1 ? 0 : c;
  if (rr >= h || cc >= w) return new CellError(ErrorType.NA, 'Outside the array');
  return array.data[rr][cc];
}

/** An optional whole-number argument: undefined when omitted or empty, else truncated, or an error. */
export function optionalInteger(plugin, ast, state) {
  if (isOmitted(ast)) return undefined;
  const value = plugin.evaluateAst(ast, state);
  if (isRange(value)) return value.height() * value.width() === 1 ? integerOf(plugin, value.data[0][0]) : valueError('Expected one number');
  return integerOf(plugin, value);
}

function integerOf(plugin, value) {
  const number = toNumber(value, plugin.arithmeticHelper);
  return isError(number) ? number : Math.trunc(number);
}
