// IRR, MIRR, XNPV, XIRR as Excel computes them.
//
// Replaces HyperFormula's built-ins:
// - IRR: Newton's method from the guess, run to full precision (HyperFormula stops once
//   |NPV| < 1e-10); when Newton leaves (-1, inf) or stalls, the root is bracketed around
//   the guess and refined. Text, logicals and empty cells in the values are skipped; a
//   guess <= -1 is #VALUE!; #NUM! without a positive and a negative value, when no root
//   is found or when it lies within 1e-8 of -100%.
// - XIRR: Excel does not use Newton's method here but a bracket-and-bisect search that
//   stops at a width of about 1e-8 (see excelXirr), so its results differ from the
//   exact rate in the 8th digit; this reproduces them. Text or a logical among the
//   values is #VALUE!, an empty value cell #NUM!.
// - XNPV: accepts typed numbers such as DATE() results (HyperFormula: #VALUE!); a
//   value cell that is not a number is #NUM!, a date that is not a number #VALUE!, a
//   date before the first date or a count mismatch #NUM!, rate <= -1 #NUM!.
// - MIRR: a finance rate of -100% is fine when the only negative flow is the first
//   (HyperFormula divides by 1 + rate); no negative flow is #DIV/0!, no positive one
//   gives -1 (Excel); empty cells and text in the values are skipped.
// Dates are truncated; XNPV/XIRR discount by (date - first date)/365 years.

import { CellError, EmptyValue, FunctionPlugin, SimpleRangeValue } from 'hyperformula';

import { cellNumber, div0, finite, num, numbers, OPTIONAL, RANGE, rangeNumbers, SCALAR, value } from './lib/finance-args.mjs';
import { brent } from './lib/finance-solve.mjs';

/** f(r) = sum v_i (1+r)^-t_i, the present value of the cash flows, and its derivative. */
function presentValue(values, times) {
  const f = (r) => {
    let s = 0;
    for (let i = 0; i < values.length; i++) s += values[i] / (1 + r) ** times[i];
    return s;
  };
  const df = (r) => {
    let s = 0;
    for (let i = 0; i < values.length; i++) s -= (times[i] * values[i]) / (1 + r) ** (times[i] + 1);
    return s;
  };
  return [f, df];
}

/**
 * A root of the net present value f(r) = sum v_i (1+r)^-t_i near `guess`: Newton's
 * method, then a bracket search. Undefined when none is found.
 */
function rateOfReturn(values, times, guess) {
  const [f, df] = presentValue(values, times);
  let r = guess;
  for (let i = 0; i < 100; i++) {
    const fr = f(r);
    if (fr === 0) return r;
    const d = df(r);
    if (!Number.isFinite(fr) || !Number.isFinite(d) || d === 0) break;
    let next = r - fr / d;
    if (!Number.isFinite(next)) break;
    if (next <= -1) next = (r - 1) / 2; // halfway to -100%
    if (Math.abs(next - r) <= 1e-13 * Math.max(1, Math.abs(r))) return next;
    r = next;
  }
  return bracketed(f, guess);
}

/** Search outwards from the guess for a sign change of f within (-1, 1e10), then Brent. */
function bracketed(f, guess) {
  const lo = -1 + 1e-12;
  const hi = 1e10;
  let a = Math.max(lo, guess - 0.01);
  let b = Math.min(hi, guess + 0.01);
  let fa = f(a);
  let fb = f(b);
  for (let i = 0; i < 200 && fa * fb > 0; i++) {
    const width = b - a;
    a = Math.max(lo, a - 1.6 * width);
    b = Math.min(hi, b + 1.6 * width);
    fa = f(a);
    fb = f(b);
    if (!Number.isFinite(fa) || !Number.isFinite(fb)) break;
  }
  if (!(fa * fb <= 0)) return undefined;
  return brent(f, a, b, fa, fb, 1e-15);
}

/**
 * XIRR the way Excel computes it (reconstructed from Excel's results, which all lie on
 * the grid guess * k / 2^n): from the guess x0 (1e-5 for a guess of 0) it walks in
 * Newton's direction, upwards through x0 + |x0| 2^i, downwards through x0 - x0 2^i
 * while that stays above -|x0|, then halving the distance to -100%, until XNPV changes
 * sign (trying the other direction if needed, at most 32 steps each); then it bisects
 * and returns the first midpoint whose interval is narrower than 1.25e-8 (1 + |rate|).
 * So Excel's XIRR is only accurate to about 1e-8, and this reproduces its digits.
 */
function excelXirr(values, times, guess) {
  const [f, df] = presentValue(values, times);
  const x0 = guess === 0 ? 1e-5 : guess;
  const f0 = f(x0);
  if (f0 === 0) return x0;
  if (!Number.isFinite(f0)) return undefined;
  const step = Math.abs(x0);
  const bracket = (up) => {
    let prev = x0;
    let fPrev = f0;
    for (let i = 0; i < 32; i++) {
      let x;
      if (up) x = x0 + step * 2 ** i;
      else if (x0 > 0 && x0 - x0 * 2 ** i >= -step) x = x0 - x0 * 2 ** i;
      else x = (prev - 1) / 2;
      const fx = f(x);
      if (!Number.isFinite(fx)) return undefined;
      if (fx * fPrev <= 0) return up ? [prev, fPrev, x] : [x, fx, prev];
      prev = x;
      fPrev = fx;
    }
    return undefined;
  };
  const newtonUp = -f0 / df(x0) > 0;
  const found = bracket(newtonUp) ?? bracket(!newtonUp);
  if (!found) return undefined;
  let [a, fa, b] = found;
  for (let i = 0; i < 200; i++) {
    const m = (a + b) / 2;
    const fm = f(m);
    if (b - a < 1.25e-8 * (1 + Math.abs(m))) return m;
    if (fm * fa <= 0) b = m;
    else {
      a = m;
      fa = fm;
    }
  }
  return undefined;
}

/** Values and dates of XNPV/XIRR; `strict` (XIRR): text/logical values are #VALUE!. */
function schedule(valuesArg, datesArg, strict) {
  const rawValues = valuesArg instanceof SimpleRangeValue ? valuesArg.valuesFromTopLeftCorner() : [valuesArg];
  const rawDates = datesArg instanceof SimpleRangeValue ? datesArg.valuesFromTopLeftCorner() : [datesArg];
  const values = [];
  for (const v of rawValues) {
    if (v instanceof CellError) return v;
    const n = cellNumber(v);
    if (n === undefined) return strict && v !== EmptyValue ? value('a cash flow is not a number') : num('a cash flow is not a number');
    values.push(n);
  }
  const dates = [];
  for (const d of rawDates) {
    if (d instanceof CellError) return d;
    const n = cellNumber(d);
    if (n === undefined) return value('a date is not a number');
    dates.push(Math.floor(n));
  }
  if (values.length !== dates.length) return num('values and dates must have the same count');
  if (dates.some((d) => d < 0 || d < dates[0])) return num('a date is before the first date');
  return { values, times: dates.map((d) => (d - dates[0]) / 365) };
}

const mixedSigns = (values) => values.some((v) => v > 0) && values.some((v) => v < 0);

class IrrPlugin extends FunctionPlugin {
  irr(ast, state) {
    return this.runFunction(ast.args, state, this.metadata('IRR'), (range, guessArg) => {
      const cashFlows = rangeNumbers(range);
      if (cashFlows instanceof CellError) return cashFlows;
      const guessValue = numbers(this, [guessArg], { defaults: [0.1] });
      if (!Array.isArray(guessValue)) return guessValue;
      const guess = guessValue[0];
      if (guess <= -1) return value('IRR guess must be greater than -1');
      if (!mixedSigns(cashFlows)) return num('IRR needs a positive and a negative cash flow');
      const rate = rateOfReturn(
        cashFlows,
        cashFlows.map((_, i) => i),
        guess,
      );
      return rate === undefined || rate < -1 + 1e-8 ? num('IRR did not converge') : rate;
    });
  }

  xnpv(ast, state) {
    return this.runFunction(ast.args, state, this.metadata('XNPV'), (rateArg, valuesArg, datesArg) => {
      const rate = numbers(this, [rateArg]);
      if (!Array.isArray(rate)) return rate;
      const flows = schedule(valuesArg, datesArg, false);
      if (flows instanceof CellError) return flows;
      if (rate[0] <= -1) return num('XNPV rate must be greater than -1');
      let total = 0;
      for (let i = 0; i < flows.values.length; i++) total += flows.values[i] / (1 + rate[0]) ** flows.times[i];
      return finite(total);
    });
  }

  xirr(ast, state) {
    return this.runFunction(ast.args, state, this.metadata('XIRR'), (valuesArg, datesArg, guessArg) => {
      const flows = schedule(valuesArg, datesArg, true);
      if (flows instanceof CellError) return flows;
      const guessValue = numbers(this, [guessArg], { defaults: [0.1] });
      if (!Array.isArray(guessValue)) return guessValue;
      const guess = guessValue[0];
      if (guess <= -1) return num('XIRR guess must be greater than -1');
      if (flows.values.length < 2 || !mixedSigns(flows.values)) return num('XIRR needs a positive and a negative cash flow');
      const rate = excelXirr(flows.values, flows.times, guess);
      return rate === undefined || rate < -1 + 1e-8 ? num('XIRR did not converge') : rate;
    });
  }

  mirr(ast, state) {
    return this.runFunction(ast.args, state, this.metadata('MIRR'), (range, financeArg, reinvestArg) => {
      const flows = rangeNumbers(range);
      if (flows instanceof CellError) return flows;
      const rates = numbers(this, [financeArg, reinvestArg]);
      if (!Array.isArray(rates)) return rates;
      const [finance, reinvest] = rates;
      const n = flows.length;
      let negatives = 0;
      let positives = 0;
      for (let i = 0; i < n; i++) {
        const v = flows[i];
        if (v < 0) {
          if (i > 0 && finance === -1) return div0('MIRR finance rate of -100%');
          negatives += v / (1 + finance) ** i;
        } else if (v > 0) {
          positives += v * (1 + reinvest) ** (n - 1 - i);
        }
      }
      if (negatives === 0 || n < 2) return div0('MIRR needs a negative cash flow');
      return finite((-positives / negatives) ** (1 / (n - 1)) - 1);
    });
  }
}

IrrPlugin.implementedFunctions = {
  IRR: { method: 'irr', parameters: [RANGE, OPTIONAL] },
  XNPV: { method: 'xnpv', parameters: [SCALAR, RANGE, RANGE] },
  XIRR: { method: 'xirr', parameters: [RANGE, RANGE, OPTIONAL] },
  MIRR: { method: 'mirr', parameters: [RANGE, SCALAR, SCALAR] },
};

export default { plugin: IrrPlugin };
