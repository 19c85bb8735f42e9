// SUBTOTAL (replacing HyperFormula's) and AGGREGATE (missing in HyperFormula).
//
// Excel: SUBTOTAL(function_num, ref1, ...) applies AVERAGE, COUNT, COUNTA, MAX, MIN,
// PRODUCT, STDEV, STDEVP, SUM, VAR, VARP (1-11, or 101-111 which also skip hidden
// rows) to the references, ignoring every cell whose formula itself uses SUBTOTAL so
// that nested subtotals are not counted twice. HyperFormula counts those cells.
// AGGREGATE(function_num, options, ref1, ...) does the same with functions 1-19
// (12 MEDIAN, 13 MODE.SNGL, and 14-19 LARGE, SMALL, PERCENTILE.INC, QUARTILE.INC,
// PERCENTILE.EXC, QUARTILE.EXC, which take (array, k)); options 0-3 ignore nested
// SUBTOTAL and AGGREGATE cells, 2/3/6/7 ignore error values, 1/3/5/7 hidden rows.
// In references only numbers count (COUNTA counts every non-blank cell).
//
// Hidden rows come from the workbook file (lib/hidden-rows.mjs): 1-11 skip the rows a
// filter hides (every hidden row inside an autoFilter range), 101-111 and AGGREGATE's
// options 1/3/5/7 every hidden row. Hidden columns are never skipped.

import { CellError, EmptyValue, FunctionArgumentType, FunctionPlugin, SimpleRangeValue } from 'hyperformula';

import { hiddenRowTest } from './lib/hidden-rows.mjs';
import { BY_NUMBER, WITH_K } from './lib/stats-aggregates.mjs';
import {
  cellAddressOf,
  error,
  fitToPrediction,
  isEmpty,
  lift,
  numberOf,
  rangeRows,
  toNumber,
} from './lib/stats-values.mjs';

/** True when a formula's syntax tree calls one of the functions. */
function callsAny(ast, names) {
  if (ast === null || typeof ast !== 'object') return false;
  if (ast.type === 'FUNCTION_CALL' && names.has(ast.procedureName)) return true;
  for (const key of ['args', 'left', 'right', 'value', 'expression']) {
    const child = ast[key];
    if (Array.isArray(child)) {
      for (const item of child) {
        if (Array.isArray(item) ? item.some((a) => callsAny(a, names)) : callsAny(item, names)) return true;
      }
    } else if (child !== null && typeof child === 'object' && callsAny(child, names)) {
      return true;
    }
  }
  return false;
}

const SUBTOTAL_ONLY = new Set(['SUBTOTAL']);
const NESTED = new Set(['SUBTOTAL', 'AGGREGATE']);

class SubtotalPlugin extends FunctionPlugin {
  /** True when the cell at address holds a formula calling one of `names` (cached per vertex). */
  isNested(address, names) {
    const vertex = this.dependencyGraph.getCell(address);
    if (vertex === undefined || vertex === null || vertex.formula === undefined) return false;
    this.nestedCache ??= new WeakMap();
    let byNames = this.nestedCache.get(vertex);
    if (byNames === undefined) {
      byNames = new Map();
      this.nestedCache.set(vertex, byNames);
    }
    const key = [...names].join();
    if (!byNames.has(key)) byNames.set(key, callsAny(vertex.formula, names));
    return byNames.get(key);
  }

  /**
   * The values of reference arguments, without cells that hold nested subtotals and
   * without the rows `skipRow(sheet, row)` says are hidden.
   */
  referencedValues(asts, state, nested, skipRow = null) {
    const values = [];
    for (const ast of asts) {
      const value = this.evaluateAst(ast, state);
      if (value instanceof SimpleRangeValue) {
        const rows = rangeRows(this, value);
        const start = value.range?.start;
        rows.forEach((row, r) => {
          if (skipRow && start !== undefined && skipRow(start.sheet, start.row + r)) return;
          row.forEach((cell, c) => {
            if (nested && start !== undefined) {
              const address = { sheet: start.sheet, row: start.row + r, col: start.col + c };
              if (this.isNested(address, nested)) return;
            }
            values.push(cell);
          });
        });
      } else {
        const address = cellAddressOf(ast, state);
        if (address !== undefined) {
          if (skipRow && skipRow(address.sheet, address.row)) continue;
          if (nested && this.isNested(address, nested)) continue;
        }
        values.push(value);
      }
    }
    return values;
  }

  /** Numbers, non-blank count, and the first error (unless errors are ignored). */
  static split(values, ignoreErrors) {
    const numbers = [];
    let nonBlank = 0;
    for (const v of values) {
      if (v instanceof CellError) {
        if (ignoreErrors) continue;
        return { error: v };
      }
      if (!isEmpty(v)) nonBlank++;
      const n = numberOf(v);
      if (n !== undefined) numbers.push(n);
    }
    return { numbers, nonBlank };
  }

  subtotal(ast, state) {
    if (ast.args.length < 2) return error('NA', 'Wrong number of arguments.');
    const result = lift([this.evaluateAst(ast.args[0], state)], (fnValue) => {
      const fn = toNumber(this, fnValue);
      if (fn instanceof CellError) return fn;
      const number = Math.trunc(fn);
      const code = number > 100 ? number - 100 : number;
      if (code < 1 || code > 11 || (number > 11 && number < 101)) {
        return error('VALUE', 'function_num must be 1-11 or 101-111.');
      }
      const aggregate = BY_NUMBER[code];
      const skipRow = hiddenRowTest(number > 100 ? 'all' : 'filtered');
      const values = this.referencedValues(ast.args.slice(1), state, SUBTOTAL_ONLY, skipRow);
      if (code === 3) return values.filter((v) => v !== EmptyValue).length;
      const { numbers, nonBlank, error: failure } = SubtotalPlugin.split(values, false);
      return failure ?? aggregate(numbers, nonBlank);
    });
    return fitToPrediction(this, ast, state, result);
  }

  aggregate(ast, state) {
    if (ast.args.length < 3) return error('VALUE', 'Wrong number of arguments.');
    const fnValue = this.evaluateAst(ast.args[0], state);
    const optionsValue = ast.args[1].type === 'EMPTY' ? 0 : this.evaluateAst(ast.args[1], state);
    const result = lift([fnValue, optionsValue], (fnRaw, optionsRaw) => {
      const fn = toNumber(this, fnRaw);
      if (fn instanceof CellError) return fn;
      const options = toNumber(this, optionsRaw);
      if (options instanceof CellError) return options;
      const code = Math.trunc(fn);
      const option = Math.trunc(options);
      if (option < 0 || option > 7) return error('VALUE', 'options must be 0-7.');
      const ignoreErrors = [2, 3, 6, 7].includes(option);
      const nested = option <= 3 ? NESTED : null;
      const skipRow = option % 2 === 1 ? hiddenRowTest('all') : null;
      if (WITH_K[code] !== undefined) {
        if (ast.args.length !== 4) return error('VALUE', 'This function needs an array and k.');
        const values = this.referencedValues([ast.args[2]], state, nested, skipRow);
        const { numbers, error: failure } = SubtotalPlugin.split(values, ignoreErrors);
        if (failure) return failure;
        return lift([this.evaluateAst(ast.args[3], state)], (kValue) => {
          const k = toNumber(this, kValue);
          return k instanceof CellError ? k : WITH_K[code](numbers, k);
        });
      }
      const aggregate = BY_NUMBER[code];
      if (aggregate === undefined) return error('VALUE', 'function_num must be 1-19.');
      const values = this.referencedValues(ast.args.slice(2), state, nested, skipRow);
      const { numbers, nonBlank, error: failure } = SubtotalPlugin.split(values, ignoreErrors);
      if (code === 3) {
        return ignoreErrors ? nonBlank : values.filter((v) => v !== EmptyValue).length;
      }
      return failure ?? aggregate(numbers, nonBlank);
    });
    return fitToPrediction(this, ast, state, result);
  }
}

SubtotalPlugin.implementedFunctions = {
  SUBTOTAL: {
    method: 'subtotal',
    parameters: [{ argumentType: FunctionArgumentType.SCALAR }, { argumentType: FunctionArgumentType.ANY }],
    repeatLastArgs: 1,
  },
  AGGREGATE: {
    method: 'aggregate',
    parameters: [
      { argumentType: FunctionArgumentType.SCALAR },
      { argumentType: FunctionArgumentType.SCALAR },
      { argumentType: FunctionArgumentType.ANY },
    ],
    repeatLastArgs: 1,
  },
};

export default { plugin: SubtotalPlugin };
