// PERMUT, PERMUTATIONA, PROB, FREQUENCY, KURT: missing in HyperFormula.
//
// Excel:
// - PERMUT(n, k) = n! / (n - k)!, PERMUTATIONA(n, k) = n^k, n and k truncated; a
//   negative n or k (or k > n for PERMUT) is #NUM!.
// - PROB(x_range, prob_range, lower, [upper]): the sum of the probabilities whose x is
//   in [lower, upper] (x = lower without upper); ranges of different sizes are #N/A;
//   a probability outside [0, 1] or probabilities not summing to 1 are #NUM!; pairs
//   that are not both numbers are left out, and none left is #DIV/0!.
// - FREQUENCY(data, bins): for each bin (in the given order), how many numbers lie
//   above the next smaller bin and at most the bin, then how many lie above the
//   largest; one column, one more row than bins. Text and booleans are skipped.
// - KURT: sample excess kurtosis, #DIV/0! with fewer than 4 numbers or no spread.

import { ArraySize, CellError, FunctionArgumentType, FunctionPlugin, SimpleRangeValue } from 'hyperformula';

import { collectNumbers, error, evaluateArgs, numberOf, rangeRows } from './lib/stats-values.mjs';

function cells(plugin, value) {
  if (value instanceof SimpleRangeValue) return [].concat(...rangeRows(plugin, value));
  return [value];
}

class CountingPlugin extends FunctionPlugin {
  permut(ast, state) {
    return this.runFunction(ast.args, state, this.metadata('PERMUT'), (n, k) => {
      n = Math.trunc(n);
      k = Math.trunc(k);
      if (n < 0 || k < 0 || k > n) return error('NUM', 'PERMUT needs 0 <= k <= n.');
      let result = 1;
      for (let i = 0; i < k; i++) result *= n - i;
      return Number.isFinite(result) ? result : error('NUM', 'The result is too large.');
    });
  }

  permutationa(ast, state) {
    return this.runFunction(ast.args, state, this.metadata('PERMUTATIONA'), (n, k) => {
      n = Math.trunc(n);
      k = Math.trunc(k);
      if (n < 0 || k < 0) return error('NUM', 'PERMUTATIONA needs n, k >= 0.');
      const result = n ** k;
      return Number.isFinite(result) ? result : error('NUM', 'The result is too large.');
    });
  }

  prob(ast, state) {
    return this.runFunction(ast.args, state, this.metadata('PROB'), (xRange, pRange, lower, upper) => {
      const xs = cells(this, xRange);
      const ps = cells(this, pRange);
      if (xs.length !== ps.length) return error('NA', 'The ranges must have as many values.');
      const pairs = [];
      for (let i = 0; i < xs.length; i++) {
        if (xs[i] instanceof CellError) return xs[i];
        if (ps[i] instanceof CellError) return ps[i];
        const x = numberOf(xs[i]);
        const p = numberOf(ps[i]);
        if (x === undefined || p === undefined) continue;
        if (p < 0 || p > 1) return error('NUM', 'A probability is outside [0, 1].');
        pairs.push([x, p]);
      }
      if (pairs.length === 0) return error('DIV_BY_ZERO', 'No numeric pairs.');
      const total = pairs.reduce((s, [, p]) => s + p, 0);
      if (Math.abs(total - 1) > 1e-10) return error('NUM', 'The probabilities do not sum to 1.');
      const hi = upper === undefined ? lower : upper;
      return pairs.reduce((s, [x, p]) => (x >= lower && x <= hi ? s + p : s), 0);
    });
  }

  frequency(ast, state) {
    if (ast.args.length !== 2) return error('NA', 'Wrong number of arguments.');
    const [dataValue, binsValue] = ast.args.map((arg) => this.evaluateAst(arg, state));
    const data = collectNumbers(this, [{ value: dataValue, ref: true, empty: false }]);
    if (data instanceof CellError) return data;
    const bins = collectNumbers(this, [{ value: binsValue, ref: true, empty: false }]);
    if (bins instanceof CellError) return bins;
    const sortedBins = [...bins].sort((a, b) => a - b);
    const counts = bins.map((bin) => {
      const below = sortedBins.filter((b) => b < bin);
      const floor = below.length > 0 ? below[below.length - 1] : -Infinity;
      return data.filter((x) => x > floor && x <= bin).length;
    });
    const top = sortedBins.length > 0 ? sortedBins[sortedBins.length - 1] : -Infinity;
    counts.push(data.filter((x) => x > top).length);
    const size = this.frequencySize(ast, state);
    return SimpleRangeValue.onlyValues(counts.slice(0, Math.max(1, size.height)).map((c) => [c]));
  }

  frequencySize(ast, state) {
    if (ast.args.length !== 2) return ArraySize.error();
    const bins = this.arraySizeForAst(ast.args[1], state);
    return new ArraySize(1, bins.width * bins.height + 1);
  }

  kurt(ast, state) {
    const numbers = collectNumbers(this, evaluateArgs(this, ast.args, state));
    if (numbers instanceof CellError) return numbers;
    const n = numbers.length;
    if (n < 4) return error('DIV_BY_ZERO', 'KURT needs at least 4 numbers.');
    const mean = numbers.reduce((a, b) => a + b, 0) / n;
    let m2 = 0;
    let m4 = 0;
    for (const x of numbers) {
      const d = (x - mean) ** 2;
      m2 += d;
      m4 += d * d;
    }
    if (m2 === 0) return error('DIV_BY_ZERO', 'The numbers have no spread.');
    const s2 = m2 / (n - 1);
    return (
      ((n * (n + 1)) / ((n - 1) * (n - 2) * (n - 3))) * (m4 / (s2 * s2)) -
      (3 * (n - 1) ** 2) / ((n - 2) * (n - 3))
    );
  }
}

const NUMBER = { argumentType: FunctionArgumentType.NUMBER };
const RANGE = { argumentType: FunctionArgumentType.RANGE };

CountingPlugin.implementedFunctions = {
  PERMUT: { method: 'permut', parameters: [NUMBER, NUMBER] },
  PERMUTATIONA: { method: 'permutationa', parameters: [NUMBER, NUMBER] },
  PROB: {
    method: 'prob',
    parameters: [RANGE, RANGE, NUMBER, { argumentType: FunctionArgumentType.NUMBER, optionalArg: true }],
  },
  FREQUENCY: {
    method: 'frequency',
    sizeOfResultArrayMethod: 'frequencySize',
    parameters: [RANGE, RANGE],
    vectorizationForbidden: true,
  },
  KURT: { method: 'kurt', parameters: [{ argumentType: FunctionArgumentType.ANY }], repeatLastArgs: 1 },
};

export default { plugin: CountingPlugin };
