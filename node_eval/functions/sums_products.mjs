// SUMSQ, PRODUCT, SUMX2MY2, SUMX2PY2, SUMXMY2, SERIESSUM as Excel computes them.
//
// Replaces HyperFormula's built-ins, which differ from Excel in:
// - PRODUCT of no numbers at all (only text or empty cells) is 0 in Excel, 1 in
//   HyperFormula;
// - SUMX2MY2, SUMX2PY2, SUMXMY2 are #DIV/0! when no position holds a number in
//   both arrays (HyperFormula: 0); arrays of the same number of values pair up
//   in reading order whatever their shapes (B8:B10 with G8:I8), else #N/A;
//   pairs where either value is not a number are skipped, errors win;
// - SERIESSUM (from the Analysis ToolPak) refuses logical values, and a term
//   0^0 is #NUM! (SERIESSUM(0, 0, 2, {1,2,3}) in Excel; HyperFormula gave 1);
// - argument conversion for values typed in the formula: "" is #VALUE!.
// SUMSQ and PRODUCT read their arguments as SUM does (lib/math-args.mjs).

import { CellError, ErrorType, FunctionArgumentType, FunctionPlugin, SimpleRangeValue } from 'hyperformula';

import { collectNumbers } from './lib/math-args.mjs';
import { finite, toNumbers } from './lib/math-coerce.mjs';

/** The rows of an argument value: a range or array as is, a scalar as 1x1. */
function rowsOf(value) {
  return value instanceof SimpleRangeValue ? value.data : [[value]];
}

function numeric(value) {
  if (typeof value === 'number') return value;
  if (typeof value === 'object' && value !== null && typeof value.val === 'number') return value.val;
  return undefined;
}

/** Sum of term(x, y) over the positions where both arrays hold numbers. */
function pairSum(xs, ys, term) {
  const x = rowsOf(xs).flat();
  const y = rowsOf(ys).flat();
  if (x.length !== y.length) return new CellError(ErrorType.NA, 'The arrays differ in size.');
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < x.length; i += 1) {
    if (x[i] instanceof CellError) return x[i];
    if (y[i] instanceof CellError) return y[i];
    const [p, q] = [numeric(x[i]), numeric(y[i])];
    if (p === undefined || q === undefined) continue;
    sum += term(p, q);
    pairs += 1;
  }
  if (pairs === 0) return new CellError(ErrorType.DIV_BY_ZERO, 'No pair of numbers.');
  return finite(sum);
}

const PAIR_TERMS = {
  SUMX2MY2: (a, b) => a * a - b * b,
  SUMX2PY2: (a, b) => a * a + b * b,
  SUMXMY2: (a, b) => (a - b) * (a - b),
};

/** x^e as the terms of SERIESSUM need it: 0^0 #NUM!, 0^negative #DIV/0!. */
function term(x, e) {
  if (x === 0 && e === 0) return new CellError(ErrorType.NUM, '0^0 is undefined.');
  if (x === 0 && e < 0) return new CellError(ErrorType.DIV_BY_ZERO, 'Division by zero.');
  return Math.pow(x, e);
}

class SumsProductsPlugin extends FunctionPlugin {
  sumsq(ast, state) {
    const numbers = collectNumbers(this, ast.args, state, 'sum');
    if (numbers instanceof CellError) return numbers;
    return finite(numbers.reduce((sum, n) => sum + n * n, 0));
  }

  product(ast, state) {
    const numbers = collectNumbers(this, ast.args, state, 'sum');
    if (numbers instanceof CellError) return numbers;
    return numbers.length === 0 ? 0 : finite(numbers.reduce((product, n) => product * n, 1));
  }

  pairs(id, ast, state) {
    return this.runFunction(ast.args, state, this.metadata(id), (xs, ys) => pairSum(xs, ys, PAIR_TERMS[id]));
  }

  sumx2my2(ast, state) {
    return this.pairs('SUMX2MY2', ast, state);
  }

  sumx2py2(ast, state) {
    return this.pairs('SUMX2PY2', ast, state);
  }

  sumxmy2(ast, state) {
    return this.pairs('SUMXMY2', ast, state);
  }

  seriessum(ast, state) {
    return this.runFunction(ast.args, state, this.metadata('SERIESSUM'), (x, n, m, coefficients) => {
      const numbers = toNumbers(this, [x, n, m], { booleans: false });
      if (numbers instanceof CellError) return numbers;
      const [base, first, step] = numbers;
      let sum = 0;
      let index = 0;
      for (const row of rowsOf(coefficients)) {
        for (const cell of row) {
          if (cell instanceof CellError) return cell;
          const a = numeric(cell);
          if (a === undefined) return new CellError(ErrorType.VALUE, 'A coefficient is not a number.');
          const power = term(base, first + index * step);
          if (power instanceof CellError) return power;
          sum += a * power;
          index += 1;
        }
      }
      return finite(sum);
    });
  }
}

const ANY = { argumentType: FunctionArgumentType.ANY };
const SCALAR = { argumentType: FunctionArgumentType.SCALAR };

SumsProductsPlugin.implementedFunctions = {
  SUMSQ: { method: 'sumsq', parameters: [ANY], repeatLastArgs: 1 },
  PRODUCT: { method: 'product', parameters: [ANY], repeatLastArgs: 1 },
  SUMX2MY2: { method: 'sumx2my2', parameters: [ANY, ANY] },
  SUMX2PY2: { method: 'sumx2py2', parameters: [ANY, ANY] },
  SUMXMY2: { method: 'sumxmy2', parameters: [ANY, ANY] },
  SERIESSUM: { method: 'seriessum', parameters: [SCALAR, SCALAR, SCALAR, ANY] },
};

export default { plugin: SumsProductsPlugin };
