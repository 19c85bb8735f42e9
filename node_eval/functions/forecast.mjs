// INTERCEPT, FORECAST, FORECAST.LINEAR (missing in HyperFormula; its SLOPE, RSQ,
// CORREL, STEYX follow the same rules and are kept).
//
// Excel: known_y's and known_x's must hold as many values (#N/A); a pair where either
// value is not a number (text, boolean, blank) is left out; an error is returned;
// no pairs or x without spread is #DIV/0!. INTERCEPT = mean(y) - slope * mean(x);
// FORECAST(x, ...) = intercept + slope * x, x a number (text that reads as one, TRUE).

import { CellError, FunctionArgumentType, FunctionPlugin, SimpleRangeValue } from 'hyperformula';

import { coerceScalar, error, isEmpty, numberOf, rangeRows } from './lib/stats-values.mjs';

function valuesOf(plugin, value) {
  if (value instanceof SimpleRangeValue) return [].concat(...rangeRows(plugin, value));
  return [value];
}

/** [slope, intercept] of the numeric pairs, or a CellError. */
function line(plugin, yValue, xValue) {
  const ys = valuesOf(plugin, yValue);
  const xs = valuesOf(plugin, xValue);
  if (ys.length !== xs.length) return error('NA', "known_y's and known_x's must have as many values.");
  const px = [];
  const py = [];
  for (let i = 0; i < ys.length; i++) {
    if (ys[i] instanceof CellError) return ys[i];
    if (xs[i] instanceof CellError) return xs[i];
    const y = numberOf(ys[i]);
    const x = numberOf(xs[i]);
    if (x === undefined || y === undefined) continue;
    px.push(x);
    py.push(y);
  }
  const n = px.length;
  if (n === 0) return error('DIV_BY_ZERO', 'No numeric pairs.');
  const mx = px.reduce((a, b) => a + b, 0) / n;
  const my = py.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (px[i] - mx) ** 2;
    sxy += (px[i] - mx) * (py[i] - my);
  }
  if (sxx === 0) return error('DIV_BY_ZERO', "known_x's have no spread.");
  const slope = sxy / sxx;
  return [slope, my - slope * mx];
}

class ForecastPlugin extends FunctionPlugin {
  intercept(ast, state) {
    return this.runFunction(ast.args, state, this.metadata('INTERCEPT'), (y, x) => {
      const fit = line(this, y, x);
      return fit instanceof CellError ? fit : fit[1];
    });
  }

  forecast(ast, state) {
    return this.runFunction(ast.args, state, this.metadata('FORECAST'), (target, y, x) => {
      if (target instanceof CellError) return target;
      const at = isEmpty(target) ? 0 : coerceScalar(this, target);
      if (at === undefined) return error('VALUE', 'x must be a number.');
      const fit = line(this, y, x);
      return fit instanceof CellError ? fit : fit[1] + fit[0] * at;
    });
  }
}

const RANGE = { argumentType: FunctionArgumentType.RANGE };
const FORECAST = {
  method: 'forecast',
  parameters: [{ argumentType: FunctionArgumentType.SCALAR }, RANGE, RANGE],
};

ForecastPlugin.implementedFunctions = {
  INTERCEPT: { method: 'intercept', parameters: [RANGE, RANGE] },
  FORECAST,
  'FORECAST.LINEAR': FORECAST,
};

export default { plugin: ForecastPlugin };
