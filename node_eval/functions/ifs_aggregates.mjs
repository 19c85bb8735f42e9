// SUMIF, SUMIFS, COUNTIF, COUNTIFS, AVERAGEIF, AVERAGEIFS, MAXIFS, MINIFS with
// Excel's criteria (see lib/stats-criteria.mjs).
//
// Replaces HyperFormula's built-ins, which differ from Excel: a criterion that is an
// empty cell or an error is rejected (#VALUE!) where Excel reads 0 / matches that
// error; text comparisons (">c") and "<>"-with-wildcards are not supported; an error
// in the summed cells of a matching row is skipped where Excel returns it; SUMIF's
// sum range must have the criteria range's size where Excel takes its top-left cell
// and the criteria range's shape; AVERAGEIFS is missing.
//
// Excel: the values summed/averaged/maxed are the numbers of the matching rows
// (text, booleans and blanks there are ignored, the first error is the result);
// MAXIFS/MINIFS give 0 and AVERAGE* #DIV/0! when nothing numeric matches. A
// criterion given as an array (SUMIF(r, {"a","b"})) gives an array of results.

import { CellError, EmptyValue, FunctionArgumentType, FunctionPlugin, SimpleRangeValue } from 'hyperformula';

import { buildCriterion } from './lib/stats-criteria.mjs';
import {
  cellAddressOf,
  error,
  fitToPrediction,
  isFormulaCell,
  numberOf,
  rangeFlat,
  rangeVertexOf,
} from './lib/stats-values.mjs';

// Caches on the range vertices (cleared by HyperFormula when the range changes): the
// matches of each criterion, and the numbers and errors of a summed range. Models
// repeat the same (range, criterion) pairs across thousands of SUMIFS.
const MASKS_KEY = 'dcmodel.stats.masks';
const NUMBERS_KEY = 'dcmodel.stats.numbers';

/** A range argument as {flat, height, width, start, vertex}; or a CellError. */
function rangeArgument(plugin, ast, state) {
  const value = plugin.evaluateAst(ast, state);
  if (value instanceof SimpleRangeValue) {
    return {
      flat: rangeFlat(plugin, value),
      height: value.height(),
      width: value.width(),
      start: value.range?.start,
      vertex: rangeVertexOf(plugin, value),
    };
  }
  const address = cellAddressOf(ast, state);
  if (address === undefined) {
    if (value instanceof CellError) return value;
    return { flat: [value], height: 1, width: 1 };
  }
  let cell = value;
  if (cell === EmptyValue && isFormulaCell(plugin, address)) cell = 0;
  return { flat: [cell], height: 1, width: 1, start: address };
}

/**
 * The values of `arg` resized to height x width from its top-left cell (SUMIF's sum
 * range), reading cells of the sheet beyond the argument when it is smaller.
 */
function resized(plugin, arg, height, width) {
  if (arg.height === height && arg.width === width) return arg;
  const at = (r, c) => {
    if (r < arg.height && c < arg.width) return arg.flat[r * arg.width + c];
    if (arg.start === undefined) return undefined;
    const address = { sheet: arg.start.sheet, row: arg.start.row + r, col: arg.start.col + c };
    let value = plugin.dependencyGraph.getScalarValue(address);
    if (value === EmptyValue && isFormulaCell(plugin, address)) value = 0;
    return value;
  };
  const flat = [];
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      const value = at(r, c);
      if (value === undefined) return undefined;
      flat.push(value);
    }
  }
  return { flat, height, width };
}

/** A key naming a criterion value exactly (type and value), for the mask cache. */
function criterionKey(criterion) {
  if (criterion instanceof CellError) return `e:${criterion.type}`;
  if (criterion === EmptyValue || criterion === null || criterion === undefined) return 'z';
  if (typeof criterion === 'boolean') return `b:${criterion}`;
  const n = numberOf(criterion);
  if (n !== undefined) return `n:${n}`;
  return `s:${criterion}`;
}

/** Which cells of a criteria range meet a criterion: 1/0 per cell, cached per range and criterion. */
function maskOf(plugin, arg, criterion) {
  const key = criterionKey(criterion);
  let masks = arg.vertex?.getFunctionValue(MASKS_KEY);
  const cached = masks?.get(key);
  if (cached !== undefined) return cached;
  const test = buildCriterion(plugin, criterion);
  const { flat } = arg;
  const mask = new Uint8Array(flat.length);
  for (let i = 0; i < flat.length; i++) mask[i] = test(flat[i]) ? 1 : 0;
  if (arg.vertex !== undefined) {
    if (masks === undefined) {
      masks = new Map();
      arg.vertex.setFunctionValue(MASKS_KEY, masks);
    }
    masks.set(key, mask);
  }
  return mask;
}

/** {numbers: Float64Array (NaN where no number), errors: indices of error cells} of a values range. */
function numbersOf(arg) {
  const cached = arg.vertex?.getFunctionValue(NUMBERS_KEY);
  if (cached !== undefined) return cached;
  const { flat } = arg;
  const numbers = new Float64Array(flat.length);
  const errors = [];
  for (let i = 0; i < flat.length; i++) {
    const n = numberOf(flat[i]);
    numbers[i] = n === undefined ? NaN : n;
    if (flat[i] instanceof CellError) errors.push(i);
  }
  const result = { numbers, errors };
  if (arg.vertex !== undefined) arg.vertex.setFunctionValue(NUMBERS_KEY, result);
  return result;
}

/** True when cell i meets every mask. */
function matches(masks, i) {
  for (let m = 0; m < masks.length; m++) {
    if (masks[m][i] === 0) return false;
  }
  return true;
}

/** Reduce the values (or count, when values is null) of the cells where every mask holds. */
function aggregate(values, masks, kind) {
  const n = masks[0].length;
  if (kind === 'COUNT') {
    let count = 0;
    for (let i = 0; i < n; i++) if (matches(masks, i)) count++;
    return count;
  }
  const { numbers, errors } = numbersOf(values);
  for (const i of errors) {
    if (matches(masks, i)) return values.flat[i];
  }
  let total = 0;
  let count = 0;
  let best = kind === 'MAX' ? -Infinity : Infinity;
  for (let i = 0; i < n; i++) {
    const x = numbers[i];
    if (x !== x || !matches(masks, i)) continue; // NaN: not a number
    count++;
    if (kind === 'SUM' || kind === 'AVERAGE') total += x;
    else if (kind === 'MAX' ? x > best : x < best) best = x;
  }
  switch (kind) {
    case 'SUM':
      return total;
    case 'AVERAGE':
      return count === 0 ? error('DIV_BY_ZERO', 'No numeric cell matches the criteria.') : total / count;
    default:
      return count === 0 ? 0 : best;
  }
}

/** Evaluate the criteria arguments; broadcast arrays among them to one result size. */
function criteriaValues(plugin, asts, state) {
  const values = asts.map((ast) => plugin.evaluateAst(ast, state));
  let height = 1;
  let width = 1;
  for (const v of values) {
    if (v instanceof SimpleRangeValue) {
      height = Math.max(height, v.height());
      width = Math.max(width, v.width());
    }
  }
  const at = (r, c) =>
    values.map((v) => {
      if (!(v instanceof SimpleRangeValue)) return v;
      const rr = v.height() === 1 ? 0 : r;
      const cc = v.width() === 1 ? 0 : c;
      return rr < v.height() && cc < v.width() ? v.data[rr][cc] : error('NA', 'Array sizes differ.');
    });
  return { height, width, at, isArray: values.some((v) => v instanceof SimpleRangeValue) };
}

class IfsAggregatesPlugin extends FunctionPlugin {
  /**
   * layout: 'single' (range, criterion[, values]) or 'multi' ([values,] range, criterion, ...).
   * kind: SUM / COUNT / AVERAGE / MAX / MIN.
   */
  conditional(ast, state, layout, kind) {
    const args = ast.args;
    let valuesAst;
    let pairs;
    if (layout === 'single') {
      const max = kind === 'COUNT' ? 2 : 3;
      if (args.length < 2 || args.length > max) return error('NA', 'Wrong number of arguments.');
      pairs = [[args[0], args[1]]];
      valuesAst = kind === 'COUNT' ? undefined : (args[2] ?? args[0]);
      if (valuesAst !== undefined && valuesAst.type === 'EMPTY') valuesAst = args[0];
    } else {
      const rest = kind === 'COUNT' ? args : args.slice(1);
      if (rest.length < 2 || rest.length % 2 !== 0) return error('NA', 'Wrong number of arguments.');
      valuesAst = kind === 'COUNT' ? undefined : args[0];
      pairs = [];
      for (let i = 0; i < rest.length; i += 2) pairs.push([rest[i], rest[i + 1]]);
    }

    const ranges = [];
    for (const [rangeAst] of pairs) {
      const arg = rangeArgument(this, rangeAst, state);
      if (arg instanceof CellError) return arg;
      ranges.push(arg);
    }
    let values = null;
    if (valuesAst !== undefined) {
      const arg = rangeArgument(this, valuesAst, state);
      if (arg instanceof CellError) return arg;
      values = layout === 'single' ? resized(this, arg, ranges[0].height, ranges[0].width) : arg;
      if (values === undefined) return error('VALUE', 'The sum range is not a reference.');
    }
    const shape = values ?? ranges[0];
    if (!ranges.every((r) => r.height === shape.height && r.width === shape.width)) {
      return error('VALUE', 'The ranges must have the same size.');
    }

    const criteria = criteriaValues(
      this,
      pairs.map(([, criterionAst]) => criterionAst),
      state,
    );
    const compute = (r, c) => {
      const masks = criteria.at(r, c).map((criterion, i) => maskOf(this, ranges[i], criterion));
      return aggregate(values, masks, kind);
    };
    if (!criteria.isArray) return compute(0, 0);
    const out = [];
    for (let r = 0; r < criteria.height; r++) {
      const line = [];
      for (let c = 0; c < criteria.width; c++) line.push(compute(r, c));
      out.push(line);
    }
    return fitToPrediction(this, ast, state, SimpleRangeValue.onlyValues(out));
  }

  sumif(ast, state) {
    return this.conditional(ast, state, 'single', 'SUM');
  }
  countif(ast, state) {
    return this.conditional(ast, state, 'single', 'COUNT');
  }
  averageif(ast, state) {
    return this.conditional(ast, state, 'single', 'AVERAGE');
  }
  sumifs(ast, state) {
    return this.conditional(ast, state, 'multi', 'SUM');
  }
  countifs(ast, state) {
    return this.conditional(ast, state, 'multi', 'COUNT');
  }
  averageifs(ast, state) {
    return this.conditional(ast, state, 'multi', 'AVERAGE');
  }
  maxifs(ast, state) {
    return this.conditional(ast, state, 'multi', 'MAX');
  }
  minifs(ast, state) {
    return this.conditional(ast, state, 'multi', 'MIN');
  }
}

// The parameters only tell HyperFormula's array-size prediction that a criterion
// given as an array makes the result an array of its size (ranges are RANGE).
const RANGE = { argumentType: FunctionArgumentType.RANGE };
const CRITERION = { argumentType: FunctionArgumentType.SCALAR };
const OPTIONAL_RANGE = { argumentType: FunctionArgumentType.RANGE, optionalArg: true };

IfsAggregatesPlugin.implementedFunctions = {
  SUMIF: { method: 'sumif', parameters: [RANGE, CRITERION, OPTIONAL_RANGE] },
  COUNTIF: { method: 'countif', parameters: [RANGE, CRITERION] },
  AVERAGEIF: { method: 'averageif', parameters: [RANGE, CRITERION, OPTIONAL_RANGE] },
  SUMIFS: { method: 'sumifs', parameters: [RANGE, RANGE, CRITERION], repeatLastArgs: 2 },
  COUNTIFS: { method: 'countifs', parameters: [RANGE, CRITERION], repeatLastArgs: 2 },
  AVERAGEIFS: { method: 'averageifs', parameters: [RANGE, RANGE, CRITERION], repeatLastArgs: 2 },
  MAXIFS: { method: 'maxifs', parameters: [RANGE, RANGE, CRITERION], repeatLastArgs: 2 },
  MINIFS: { method: 'minifs', parameters: [RANGE, RANGE, CRITERION], repeatLastArgs: 2 },
};

export default { plugin: IfsAggregatesPlugin };
