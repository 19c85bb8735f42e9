// LINEST, LOGEST, TREND, GROWTH: Excel's least-squares fits (missing in HyperFormula).
//
// Excel: with y in one column each column of known_x's is a variable (one row: each
// row is); with y in several rows and columns x must have y's shape (one variable).
// known_x's defaults to {1,2,3,...}, const to TRUE, stats to FALSE. Every value must be
// a number (#VALUE!); x of the wrong size is #REF!; LOGEST and GROWTH need y > 0
// (#NUM!). LINEST returns the coefficients right-to-left (m_k ... m_1, b); with stats,
// four more rows: standard errors, (r2, sey), (F, df), (ssreg, ssresid), #N/A
// elsewhere, #N/A for b's error without a constant. A column collinear with earlier
// ones is dropped (coefficient 0, error 0). TREND/GROWTH give the fitted values at
// new_x's (default known_x's), shaped like new_x's for one variable, else one value
// per row (y in a column) or column (y in a row) of new_x's.

import { ArraySize, CellError, FunctionArgumentType, FunctionPlugin, SimpleRangeValue } from 'hyperformula';

import { leastSquares } from './lib/stats-regression.mjs';
import { cellAddressOf, coerceScalar, error, isEmpty, numericMatrix } from './lib/stats-values.mjs';

const transpose = (rows) => rows[0].map((_, c) => rows.map((row) => row[c]));
const flat = (rows) => [].concat(...rows);

/** How x is laid out against y ('column', 'row' or 'grid'), from their shapes; or a #REF! CellError. */
function layoutOf(y, x) {
  if (y.width === 1) return x.height === y.height ? 'column' : error('REF', "known_x's must have as many rows as known_y's.");
  if (y.height === 1) return x.width === y.width ? 'row' : error('REF', "known_x's must have as many columns as known_y's.");
  return x.height === y.height && x.width === y.width ? 'grid' : error('REF', "known_x's must have the shape of known_y's.");
}

/** The number of x variables for a layout. */
const variables = (layout, x) => (layout === 'column' ? x.width : layout === 'row' ? x.height : 1);

const shapeOf = (value) =>
  value instanceof SimpleRangeValue ? { width: value.width(), height: value.height() } : { width: 1, height: 1 };

/** {y, columns, layout, xRows} from known_y's and known_x's rows. */
function design(yRows, xRows, layout) {
  if (layout === 'column') return { y: flat(yRows), columns: transpose(xRows), layout, xRows };
  if (layout === 'row') return { y: yRows[0], columns: xRows, layout, xRows };
  return { y: flat(yRows), columns: [flat(xRows)], layout, xRows };
}

/** A flag argument (const, stats): omitted or empty is the default. */
function flag(plugin, value, fallback) {
  if (value === undefined) return fallback;
  if (value instanceof SimpleRangeValue) value = value.data[0][0];
  if (value instanceof CellError) return value;
  if (isEmpty(value)) return fallback;
  const n = coerceScalar(plugin, value);
  return n === undefined ? error('VALUE', 'A flag must be TRUE or FALSE.') : n !== 0;
}

/**
 * A flag argument's value as far as it is known before evaluation (for the size of
 * the result): a literal, or a reference to a constant cell already built; else
 * undefined.
 */
function knownFlag(plugin, ast, state) {
  if (ast === undefined || ast.type === 'EMPTY') return undefined;
  if (ast.type === 'NUMBER') return ast.value !== 0;
  if (ast.type === 'FUNCTION_CALL' && (ast.procedureName === 'TRUE' || ast.procedureName === 'FALSE')) {
    return ast.procedureName === 'TRUE';
  }
  const address = cellAddressOf(ast, state);
  if (address === undefined) return undefined;
  const vertex = plugin.dependencyGraph.getCell(address);
  if (vertex === undefined || vertex === null || typeof vertex.getValues !== 'function') return undefined;
  const n = coerceScalar(plugin, vertex.getCellValue());
  return n === undefined ? undefined : n !== 0;
}

/** Cut an array result to the size HyperFormula reserved for it (a larger one cannot be stored). */
function clip(rows, size) {
  if (rows.length <= size.height && rows[0].length <= size.width) return SimpleRangeValue.onlyValues(rows);
  return SimpleRangeValue.onlyValues(rows.slice(0, size.height).map((row) => row.slice(0, size.width)));
}

const NA = () => error('NA', 'Not part of LINEST output.');

class LinestPlugin extends FunctionPlugin {
  /** Evaluate and check the arguments: {fit input, flags} or a CellError. */
  prepare(ast, state, log, maxArgs) {
    const args = ast.args;
    if (args.length < 1 || args.length > maxArgs) return error('NA', 'Wrong number of arguments.');
    const values = args.map((arg) => (arg.type === 'EMPTY' ? undefined : this.evaluateAst(arg, state)));
    if (values[0] instanceof CellError) return values[0];
    if (values[1] instanceof CellError) return values[1];
    const yShape = shapeOf(values[0]);
    const layout = layoutOf(yShape, values[1] === undefined ? yShape : shapeOf(values[1]));
    if (layout instanceof CellError) return layout;
    const yRows = numericMatrix(this, values[0]);
    if (yRows instanceof CellError) return yRows;
    let xRows;
    if (values[1] === undefined) {
      let i = 0;
      xRows = yRows.map((row) => row.map(() => ++i));
    } else {
      xRows = numericMatrix(this, values[1]);
      if (xRows instanceof CellError) return xRows;
    }
    const input = design(yRows, xRows, layout);
    if (log) {
      if (input.y.some((v) => v <= 0)) return error('NUM', "known_y's must be positive.");
      input.y = input.y.map(Math.log);
    }
    return { input, values };
  }

  linest(ast, state) {
    return this.fitTable(ast, state, false);
  }

  logest(ast, state) {
    return this.fitTable(ast, state, true);
  }

  fitTable(ast, state, log) {
    const prepared = this.prepare(ast, state, log, 4);
    if (prepared instanceof CellError) return prepared;
    const { input, values } = prepared;
    const constant = flag(this, values[2], true);
    if (constant instanceof CellError) return constant;
    const stats = flag(this, values[3], false);
    if (stats instanceof CellError) return stats;
    const fit = leastSquares(input.y, input.columns, constant);
    const out = log ? Math.exp : (v) => v;
    const coefficients = [...fit.coefficients].reverse().map(out);
    const first = [...coefficients, constant ? out(fit.intercept) : out(0)];
    const size = this.linestSize(ast, state);
    if (!stats) return clip([first], size);
    const width = first.length;
    const num = (v) => (Number.isFinite(v) ? v : error('NUM', 'Not enough data for this statistic.'));
    const row = (a, b) => [a, b, ...new Array(width - 2).fill(null).map(NA)];
    return clip([
      first,
      [...[...fit.standardErrors].reverse().map(num), constant ? num(fit.interceptError) : NA()],
      row(num(fit.r2), num(fit.sey)),
      row(num(fit.f), fit.df),
      row(fit.ssreg, fit.ssresid),
    ], size);
  }

  linestSize(ast, state) {
    const size = (i) => (ast.args[i] === undefined || ast.args[i].type === 'EMPTY' ? undefined : this.arraySizeForAst(ast.args[i], state));
    const y = size(0);
    if (y === undefined) return ArraySize.error();
    const x = size(1) ?? y;
    const layout = layoutOf(y, x);
    if (layout instanceof CellError) return ArraySize.scalar();
    return new ArraySize(variables(layout, x) + 1, knownFlag(this, ast.args[3], state) ? 5 : 1);
  }

  trend(ast, state) {
    return this.fitted(ast, state, false);
  }

  growth(ast, state) {
    return this.fitted(ast, state, true);
  }

  fitted(ast, state, log) {
    const prepared = this.prepare(ast, state, log, 4);
    if (prepared instanceof CellError) return prepared;
    const { input, values } = prepared;
    const constant = flag(this, values[3], true);
    if (constant instanceof CellError) return constant;
    let newRows = input.xRows;
    if (values[2] !== undefined) {
      newRows = numericMatrix(this, values[2]);
      if (newRows instanceof CellError) return newRows;
    }
    const fit = leastSquares(input.y, input.columns, constant);
    const predict = (xs) => {
      let s = fit.intercept;
      for (let j = 0; j < xs.length; j++) s += fit.coefficients[j] * xs[j];
      return log ? Math.exp(s) : s;
    };
    const k = input.columns.length;
    const size = this.trendSize(ast, state);
    if (k === 1) return clip(newRows.map((row) => row.map((v) => predict([v]))), size);
    if (input.layout === 'column') {
      if (newRows[0].length !== k) return error('REF', "new_x's must have one column per variable.");
      return clip(newRows.map((row) => [predict(row)]), size);
    }
    if (newRows.length !== k) return error('REF', "new_x's must have one row per variable.");
    return clip([transpose(newRows).map(predict)], size);
  }

  trendSize(ast, state) {
    const size = (i) => (ast.args[i] === undefined || ast.args[i].type === 'EMPTY' ? undefined : this.arraySizeForAst(ast.args[i], state));
    const y = size(0);
    if (y === undefined) return ArraySize.error();
    const x = size(1) ?? y;
    const fresh = size(2) ?? x;
    const layout = layoutOf(y, x);
    if (layout instanceof CellError) return ArraySize.scalar();
    const k = variables(layout, x);
    if (k === 1) return new ArraySize(fresh.width, fresh.height);
    if (layout === 'column') return fresh.width === k ? new ArraySize(1, fresh.height) : ArraySize.scalar();
    return fresh.height === k ? new ArraySize(fresh.width, 1) : ArraySize.scalar();
  }
}

const ANY = { argumentType: FunctionArgumentType.ANY };
const OPTIONAL = { argumentType: FunctionArgumentType.ANY, optionalArg: true };
const SIGNATURE = { parameters: [ANY, OPTIONAL, OPTIONAL, OPTIONAL], vectorizationForbidden: true };

LinestPlugin.implementedFunctions = {
  LINEST: { method: 'linest', sizeOfResultArrayMethod: 'linestSize', ...SIGNATURE },
  LOGEST: { method: 'logest', sizeOfResultArrayMethod: 'linestSize', ...SIGNATURE },
  TREND: { method: 'trend', sizeOfResultArrayMethod: 'trendSize', ...SIGNATURE },
  GROWTH: { method: 'growth', sizeOfResultArrayMethod: 'trendSize', ...SIGNATURE },
};

export default { plugin: LinestPlugin };
