// LARGE, SMALL, MODE, MODE.SNGL, MODE.MULT, RANK, RANK.EQ, RANK.AVG, PERCENTRANK,
// PERCENTRANK.INC, PERCENTRANK.EXC, TRIMMEAN: Excel's order statistics.
//
// Missing in HyperFormula, except LARGE/SMALL, replaced because HyperFormula reads a
// value typed directly as no data (LARGE(TRUE,1), LARGE("2.3",1) are 1 and 2.3 in
// Excel; SMALL("x",1) is #VALUE!).
//
// Excel: in references and arrays only numbers count (text, booleans, blanks are
// skipped); a value typed directly is coerced; the first error is the result.
// - LARGE/SMALL(k): k is rounded up and must be 1..n, else #NUM!.
// - MODE/MODE.SNGL: the most frequent number, the first in data order on a tie; #N/A
//   when no number repeats; a value typed directly that is not a number, or a one-cell
//   reference to a blank cell, is #VALUE!. MODE.MULT: every number with that
//   frequency, in order of first appearance, as a column.
// - RANK/RANK.EQ(x, ref, order): 1 + how many numbers are greater (order 0 or omitted)
//   or smaller (order not 0); RANK.AVG averages the ranks of ties; #N/A if x is not in
//   ref.
// - PERCENTRANK.INC: (numbers below x) / (n - 1), interpolated between neighbours;
//   .EXC: (numbers below x + 1) / (n + 1), interpolated; x outside [min, max] is #N/A;
//   the result is truncated (not rounded) to `significance` digits (default 3, < 1 is
//   #NUM!). PERCENTRANK is .INC.
// - TRIMMEAN(percent): drops floor(n * percent / 2) numbers at each end and averages
//   the rest; percent outside [0, 1) is #NUM!.

import { ArraySize, CellError, EmptyValue, FunctionArgumentType, FunctionPlugin, SimpleRangeValue } from 'hyperformula';

import {
  collectNumbers,
  error,
  evaluateArgs,
  fitToPrediction,
  lift,
  mean,
  numberOf,
  toNumber,
} from './lib/stats-values.mjs';

/** The numbers of one array-like argument (the AST is used to tell a direct value), or a CellError. */
function numbersOf(plugin, ast, state) {
  return collectNumbers(plugin, evaluateArgs(plugin, [ast], state));
}

/** The value of an optional scalar argument (undefined when omitted or empty). */
function scalarValue(plugin, ast, state) {
  if (ast === undefined || ast.type === 'EMPTY') return undefined;
  return plugin.evaluateAst(ast, state);
}

const wrongArgs = () => error('NA', 'Wrong number of arguments.');

/** Values with their counts, in order of first appearance; [] entries [value, count]. */
function frequencies(numbers) {
  const counts = new Map();
  for (const x of numbers) counts.set(x, (counts.get(x) ?? 0) + 1);
  return [...counts.entries()];
}

/** Truncate to `digits` decimals, after rounding away binary noise at 15 significant digits. */
function truncate(x, digits) {
  const factor = 10 ** digits;
  return Math.trunc(Number((x * factor).toPrecision(15))) / factor;
}

class OrderStatsPlugin extends FunctionPlugin {
  fit(ast, state, result) {
    return fitToPrediction(this, ast, state, result);
  }

  kth(ast, state, largest) {
    if (ast.args.length !== 2) return wrongArgs();
    const numbers = numbersOf(this, ast.args[0], state);
    if (numbers instanceof CellError) return numbers;
    const sorted = [...numbers].sort((a, b) => (largest ? b - a : a - b));
    return this.fit(ast, state, lift([scalarValue(this, ast.args[1], state)], (kValue) => {
      const k = toNumber(this, kValue);
      if (k instanceof CellError) return k;
      const index = Math.ceil(k);
      if (index < 1 || index > sorted.length) return error('NUM', 'k is out of range.');
      return sorted[index - 1];
    }));
  }

  large(ast, state) {
    return this.kth(ast, state, true);
  }

  small(ast, state) {
    return this.kth(ast, state, false);
  }

  /**
   * The modes of all arguments, or a CellError. MODE is stricter than AVERAGE: a value
   * typed directly must be a number (text, even "1", is #VALUE!), and a one-cell
   * reference to a blank cell is #VALUE!.
   */
  modes(ast, state) {
    if (ast.args.length < 1) return wrongArgs();
    const numbers = [];
    for (const item of evaluateArgs(this, ast.args, state)) {
      const { value, ref } = item;
      if (!(value instanceof SimpleRangeValue) && !(value instanceof CellError) && numberOf(value) === undefined) {
        if (!ref || value === EmptyValue) return error('VALUE', 'MODE takes numbers only.');
      }
      const found = collectNumbers(this, [item]);
      if (found instanceof CellError) return found;
      numbers.push(...found);
    }
    const table = frequencies(numbers);
    const best = Math.max(0, ...table.map(([, count]) => count));
    if (best < 2) return error('NA', 'No value repeats.');
    return table.filter(([, count]) => count === best).map(([value]) => value);
  }

  mode(ast, state) {
    const modes = this.modes(ast, state);
    return modes instanceof CellError ? modes : modes[0];
  }

  modemult(ast, state) {
    const modes = this.modes(ast, state);
    if (modes instanceof CellError) return modes;
    const size = this.modeMultSize(ast, state);
    return SimpleRangeValue.onlyValues(modes.slice(0, Math.max(1, size.height)).map((v) => [v]));
  }

  /** At most half the values can be modes: the result is sized for that many. */
  modeMultSize(ast, state) {
    let cells = 0;
    for (const arg of ast.args) {
      const size = this.arraySizeForAst(arg, state);
      cells += size.width * size.height;
    }
    return new ArraySize(1, Math.max(1, Math.floor(cells / 2)));
  }

  rankOf(ast, state, average) {
    if (ast.args.length < 2 || ast.args.length > 3) return wrongArgs();
    const numbers = numbersOf(this, ast.args[1], state);
    const values = [scalarValue(this, ast.args[0], state), scalarValue(this, ast.args[2], state)];
    return this.fit(ast, state, lift(values, (xValue, orderValue) => {
      const x = toNumber(this, xValue);
      if (x instanceof CellError) return x;
      if (numbers instanceof CellError) return numbers;
      const order = toNumber(this, orderValue);
      if (order instanceof CellError) return order;
      let before = 0;
      let ties = 0;
      for (const v of numbers) {
        if (v === x) ties++;
        else if (order === 0 ? v > x : v < x) before++;
      }
      if (ties === 0) return error('NA', 'The number is not in the list.');
      return average ? before + (ties + 1) / 2 : before + 1;
    }));
  }

  rank(ast, state) {
    return this.rankOf(ast, state, false);
  }

  rankavg(ast, state) {
    return this.rankOf(ast, state, true);
  }

  percentRank(ast, state, exclusive) {
    if (ast.args.length < 2 || ast.args.length > 3) return wrongArgs();
    const numbers = numbersOf(this, ast.args[0], state);
    if (numbers instanceof CellError) return numbers;
    const sorted = [...numbers].sort((a, b) => a - b);
    const values = [scalarValue(this, ast.args[1], state), scalarValue(this, ast.args[2], state)];
    const rank = (xValue, significanceValue) => this.rankIn(sorted, xValue, significanceValue, exclusive);
    return this.fit(ast, state, lift(values, rank));
  }

  rankIn(sorted, xValue, significanceValue, exclusive) {
    const x = toNumber(this, xValue);
    if (x instanceof CellError) return x;
    const significance = toNumber(this, significanceValue, 3);
    if (significance instanceof CellError) return significance;
    const digits = Math.trunc(significance);
    if (digits < 1) return error('NUM', 'significance must be at least 1.');
    const n = sorted.length;
    if (n === 0 || x < sorted[0] || x > sorted[n - 1]) return error('NA', 'x is outside the data.');
    let below = 0;
    while (below < n && sorted[below] < x) below++;
    let position = below; // numbers strictly below x
    if (sorted[below] !== x) {
      // between sorted[below - 1] and sorted[below]
      const lo = sorted[below - 1];
      const hi = sorted[below];
      position = below - 1 + (x - lo) / (hi - lo);
    }
    const rank = exclusive ? (position + 1) / (n + 1) : n === 1 ? 1 : position / (n - 1);
    return truncate(rank, digits);
  }

  percentrankinc(ast, state) {
    return this.percentRank(ast, state, false);
  }

  percentrankexc(ast, state) {
    return this.percentRank(ast, state, true);
  }

  trimmean(ast, state) {
    if (ast.args.length !== 2) return wrongArgs();
    const numbers = numbersOf(this, ast.args[0], state);
    if (numbers instanceof CellError) return numbers;
    const sorted = [...numbers].sort((a, b) => a - b);
    return this.fit(ast, state, lift([scalarValue(this, ast.args[1], state)], (percentValue) => {
      const percent = toNumber(this, percentValue);
      if (percent instanceof CellError) return percent;
      if (percent < 0 || percent >= 1) return error('NUM', 'percent must be in [0, 1).');
      const n = sorted.length;
      if (n === 0) return error('NUM', 'No numbers.');
      const drop = Math.floor((n * percent) / 2);
      return mean(sorted.slice(drop, n - drop));
    }));
  }
}

// Metadata for HyperFormula's result-size prediction: an array-like parameter is ANY,
// a scalar one SCALAR (an array given there makes the result an array of its size).
const ANY = { argumentType: FunctionArgumentType.ANY };
const SCALAR = { argumentType: FunctionArgumentType.SCALAR };
const OPTIONAL = { argumentType: FunctionArgumentType.SCALAR, optionalArg: true };
const fixed = (method, ...parameters) => ({ method, parameters });
const MODE = { method: 'mode', parameters: [ANY], repeatLastArgs: 1 };

OrderStatsPlugin.implementedFunctions = {
  LARGE: fixed('large', ANY, SCALAR),
  SMALL: fixed('small', ANY, SCALAR),
  MODE,
  'MODE.SNGL': MODE,
  'MODE.MULT': {
    method: 'modemult',
    sizeOfResultArrayMethod: 'modeMultSize',
    parameters: [ANY],
    repeatLastArgs: 1,
  },
  RANK: fixed('rank', SCALAR, ANY, OPTIONAL),
  'RANK.EQ': fixed('rank', SCALAR, ANY, OPTIONAL),
  'RANK.AVG': fixed('rankavg', SCALAR, ANY, OPTIONAL),
  PERCENTRANK: fixed('percentrankinc', ANY, SCALAR, OPTIONAL),
  'PERCENTRANK.INC': fixed('percentrankinc', ANY, SCALAR, OPTIONAL),
  'PERCENTRANK.EXC': fixed('percentrankexc', ANY, SCALAR, OPTIONAL),
  TRIMMEAN: fixed('trimmean', ANY, SCALAR),
};

export default { plugin: OrderStatsPlugin };
