// SORT and SORTBY as Excel computes them. Replaces HyperFormula's SORT, which
// returns the first error found in the array (Excel sorts errors like any other
// value) and only takes one sort column; adds SORTBY, which HyperFormula lacks.
//
// Excel: values order as numbers < text (ignoring case) < logicals < errors
// (by error number); blank cells go last in either direction (shown as 0); the
// sort is stable. SORT(array, [sort_index], [sort_order], [by_col]): sort_index
// (1-based, default 1) may be an array of keys, with sort_order 1/-1 (default 1)
// one per key or a single one for all; by_col TRUE sorts columns. SORTBY(array,
// by_array1, [order1], ...): each by_array is one column as tall as array (sorts
// rows) or one row as wide (sorts columns). An index outside the array, an order
// other than 1/-1 or a by_array of the wrong shape: #VALUE!. Errors in the
// arguments (not in the values) propagate.

import { EmptyValue, FunctionArgumentType, FunctionPlugin } from 'hyperformula';

import { arrayResult, isOmitted, rowsOf } from './lib/lookup-array.mjs';
import { SCALAR, fitSpill, sizeOf, sizeResult } from './lib/lookup-size.mjs';
import { compareForSort, isError, isRange, naError, toBoolean, toNumber, valueError } from './lib/lookup-values.mjs';

/** Compare two values for a sort in `order` (1 or -1); blanks always last. */
function compareKeys(a, b, order) {
  const aBlank = a === EmptyValue;
  const bBlank = b === EmptyValue;
  if (aBlank || bBlank) return aBlank === bBlank ? 0 : aBlank ? 1 : -1;
  return compareForSort(a, b) * order;
}

/** Stable sort of `count` positions by the keys: [{values, order}] where values[i] is item i's key. */
function sortedPositions(count, keys) {
  const positions = Array.from({ length: count }, (_, i) => i);
  positions.sort((i, j) => {
    for (const { values, order } of keys) {
      const result = compareKeys(values[i], values[j], order);
      if (result !== 0) return result;
    }
    return i - j;
  });
  return positions;
}

class SortPlugin extends FunctionPlugin {
  sort(ast, state) {
    if (ast.args.length < 1 || ast.args.length > 4) return naError('Wrong number of arguments');
    const array = this.evaluateAst(ast.args[0], state);
    if (isError(array)) return array;
    const indices = this.numbersOf(ast.args[1], state, 1);
    if (isError(indices)) return indices;
    const orders = this.numbersOf(ast.args[2], state, 1);
    if (isError(orders)) return orders;
    const byColumn = isOmitted(ast.args[3]) ? false : toBoolean(this.evaluateAst(ast.args[3], state));
    if (isError(byColumn)) return byColumn;
    const data = rowsOf(array);
    const lines = byColumn ? transpose(data) : data;
    if (orders.length !== 1 && orders.length !== indices.length) return valueError('sort_order does not match sort_index');
    const keys = [];
    for (let k = 0; k < indices.length; k++) {
      const index = Math.trunc(indices[k]);
      const order = orders.length === 1 ? orders[0] : orders[k];
      if (index < 1 || index > lines[0].length) return valueError('sort_index is outside the array');
      if (order !== 1 && order !== -1) return valueError('sort_order must be 1 or -1');
      keys.push({ values: lines.map((line) => line[index - 1]), order });
    }
    const sorted = sortedPositions(lines.length, keys).map((i) => lines[i]);
    return fitSpill(ast, state, arrayResult(byColumn ? transpose(sorted) : sorted));
  }

  sortby(ast, state) {
    if (ast.args.length < 2) return naError('Wrong number of arguments');
    const array = this.evaluateAst(ast.args[0], state);
    if (isError(array)) return array;
    const data = rowsOf(array);
    const keys = [];
    let byColumn;
    for (let i = 1; i < ast.args.length; i += 2) {
      const by = this.evaluateAst(ast.args[i], state);
      if (isError(by)) return by;
      const orders = this.numbersOf(ast.args[i + 1], state, 1);
      if (isError(orders)) return orders;
      if (orders.length !== 1 || (orders[0] !== 1 && orders[0] !== -1)) return valueError('sort_order must be 1 or -1');
      const byRows = rowsOf(by);
      let columnKey;
      if (byRows[0].length === 1 && byRows.length === data.length && (data.length > 1 || data[0].length === 1)) columnKey = false;
      else if (byRows.length === 1 && byRows[0].length === data[0].length) columnKey = true;
      else return valueError('by_array does not fit the array');
      if (byColumn !== undefined && byColumn !== columnKey) return valueError('by_arrays sort in different directions');
      byColumn = columnKey;
      keys.push({ values: columnKey ? byRows[0] : byRows.map((row) => row[0]), order: orders[0] });
    }
    const lines = byColumn ? transpose(data) : data;
    const sorted = sortedPositions(lines.length, keys).map((i) => lines[i]);
    return fitSpill(ast, state, arrayResult(byColumn ? transpose(sorted) : sorted));
  }

  /** The numbers of an optional argument (a number or an array of them); [fallback] when omitted. */
  numbersOf(argAst, state, fallback) {
    if (isOmitted(argAst)) return [fallback];
    const value = this.evaluateAst(argAst, state);
    const items = isRange(value) ? value.data.flat() : [value];
    const numbers = [];
    for (const item of items) {
      const number = toNumber(item, this.arithmeticHelper);
      if (isError(number)) return number;
      numbers.push(number);
    }
    return numbers;
  }

  /** The same shape as the array. */
  sortSize(ast, state) {
    return ast.args.length < 1 ? sizeResult(SCALAR, state) : sizeResult(sizeOf(this, ast.args[0], state), state);
  }
}

function transpose(rows) {
  return rows[0].map((_, c) => rows.map((row) => row[c]));
}

SortPlugin.implementedFunctions = {
  SORT: {
    method: 'sort',
    sizeOfResultArrayMethod: 'sortSize',
    parameters: [
      { argumentType: FunctionArgumentType.RANGE },
      { argumentType: FunctionArgumentType.RANGE, optionalArg: true },
      { argumentType: FunctionArgumentType.RANGE, optionalArg: true },
      { argumentType: FunctionArgumentType.BOOLEAN, optionalArg: true },
    ],
    vectorizationForbidden: true,
  },
  SORTBY: {
    method: 'sortby',
    sizeOfResultArrayMethod: 'sortSize',
    parameters: [{ argumentType: FunctionArgumentType.RANGE }, { argumentType: FunctionArgumentType.RANGE }, { argumentType: FunctionArgumentType.NUMBER, optionalArg: true }],
    repeatLastArgs: 2,
    vectorizationForbidden: true,
  },
};

export default { plugin: SortPlugin };
