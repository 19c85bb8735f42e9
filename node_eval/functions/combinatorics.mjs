// FACT, FACTDOUBLE, COMBIN, COMBINA, MULTINOMIAL, GCD, LCM as Excel computes them.
//
// Replaces HyperFormula's built-ins, which differ from Excel in argument
// reading: "" is #VALUE!, ISO date text is a date; the Analysis ToolPak functions
// (FACTDOUBLE, MULTINOMIAL, GCD, LCM) refuse logical values even inside ranges,
// convert text numbers inside ranges, skip a reference to an empty cell and are
// #VALUE! with no values at all (lib/math-args.mjs). HyperFormula's LCM also
// gave 0 when an empty cell was passed (LCM(10, 3, empty) is 30 in Excel).
// Rules: arguments are truncated to integers; FACT needs 0 <= n <= 170; GCD and
// LCM need 0 <= n < 2^53 and so must LCM's result; MULTINOMIAL is
// (a+b+...)!/(a!b!...) with every value >= 0; COMBINA(n, k) is COMBIN(n+k-1, k).

import { CellError, FunctionArgumentType } from 'hyperformula';

import { collectNumbers } from './lib/math-args.mjs';
import { finite, numError } from './lib/math-coerce.mjs';
import { numericPlugin } from './lib/math-plugin.mjs';

const LIMIT = 2 ** 53;
const outOfRange = () => numError('Argument out of range.');

function fact(x) {
  const n = Math.trunc(x);
  if (n < 0 || n > 170) return outOfRange();
  let result = 1;
  for (let i = 2; i <= n; i += 1) result *= i;
  return result;
}

function factDouble(x) {
  const n = Math.trunc(x);
  if (n < -1) return outOfRange();
  let result = 1;
  for (let i = n; i > 1; i -= 2) result *= i;
  return result;
}

/** n choose k for integers 0 <= k <= n, exact while the result is below 2^53. */
function choose(n, k) {
  const j = Math.min(k, n - k);
  let result = 1;
  for (let i = 1; i <= j; i += 1) result = (result * (n - j + i)) / i;
  return result < LIMIT ? Math.round(result) : result;
}

function combin(x, y) {
  const n = Math.trunc(x);
  const k = Math.trunc(y);
  if (n < 0 || k < 0 || n < k) return outOfRange();
  return choose(n, k);
}

function combina(x, y) {
  const n = Math.trunc(x);
  const k = Math.trunc(y);
  if (n < 0 || k < 0) return outOfRange();
  if (n === 0) return k === 0 ? 1 : 0;
  return choose(n + k - 1, k);
}

function gcd2(a, b) {
  let [x, y] = [a, b];
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

function gcd(numbers) {
  let result = 0;
  for (const number of numbers) {
    const n = Math.trunc(number);
    if (n < 0 || n >= LIMIT) return outOfRange();
    result = gcd2(result, n);
  }
  return result;
}

function lcm(numbers) {
  let result = 1;
  for (const number of numbers) {
    const n = Math.trunc(number);
    if (n < 0 || n >= LIMIT) return outOfRange();
    if (n === 0 || result === 0) {
      result = 0;
      continue;
    }
    result = (result / gcd2(result, n)) * n;
    if (result >= LIMIT) return outOfRange();
  }
  return result;
}

function multinomial(numbers) {
  let total = 0;
  let result = 1;
  for (const number of numbers) {
    const n = Math.trunc(number);
    if (n < 0) return outOfRange();
    total += n;
    result *= choose(total, n);
  }
  return result;
}

const AGGREGATES = { GCD: gcd, LCM: lcm, MULTINOMIAL: multinomial };

const CombinatoricsPlugin = numericPlugin('CombinatoricsPlugin', {
  FACT: { fn: fact },
  FACTDOUBLE: { fn: factDouble, booleans: false },
  COMBIN: { fn: combin, required: 2 },
  COMBINA: { fn: combina, required: 2 },
});

for (const [id, compute] of Object.entries(AGGREGATES)) {
  const method = `fn_${id}`;
  CombinatoricsPlugin.prototype[method] = function aggregate(ast, state) {
    const numbers = collectNumbers(this, ast.args, state, 'toolpak');
    return numbers instanceof CellError ? numbers : finite(compute(numbers));
  };
  CombinatoricsPlugin.implementedFunctions[id] = {
    method,
    parameters: [{ argumentType: FunctionArgumentType.ANY }],
    repeatLastArgs: 1,
  };
}

export default { plugin: CombinatoricsPlugin };
