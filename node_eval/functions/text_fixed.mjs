// FIXED(number, [decimals], [no_commas]) and DOLLAR(number, [decimals]).
//
// HyperFormula has neither. Excel rounds half away from zero from the number's 15
// significant digits, to `decimals` places (default 2, truncated; negative rounds to
// the left of the point: FIXED(1234.567,-1) is "1,230"; more than 127 is #VALUE!),
// groups thousands with commas (FIXED without no_commas, DOLLAR always), and DOLLAR
// writes the en-US currency format: "$1,234.57", negatives in parentheses "($1.00)".

import { FunctionArgumentType, FunctionPlugin } from 'hyperformula';

import { isError, toBoolean, toNumber, valueError } from './lib/text-args.mjs';
import { roundDecimal } from './lib/text-general.mjs';

const ARG = { argumentType: FunctionArgumentType.NOERROR };
const OPTIONAL = { argumentType: FunctionArgumentType.NOERROR, optionalArg: true };

const group = (digits) => digits.replace(/\B(?=(\d{3})+$)/g, ',');

/** |x| rounded to `decimals` places as {int, frac}, decimals may be negative. */
function rounded(x, decimals) {
  if (decimals >= 0) return roundDecimal(Math.abs(x), decimals);
  const { int } = roundDecimal(Math.abs(x) / 10 ** -decimals, 0);
  return { int: int === '' ? '' : int + '0'.repeat(-decimals), frac: '' };
}

class FixedPlugin extends FunctionPlugin {
  /** [number, decimals] coerced, or an error. */
  numbers(number, decimals) {
    const n = toNumber(number, this.config);
    if (isError(n)) return n;
    let d = 2;
    if (decimals !== undefined) {
      const v = toNumber(decimals, this.config);
      if (isError(v)) return v;
      d = Math.trunc(v);
    }
    if (d > 127) return valueError('More than 127 decimals.');
    return [n, d];
  }

  fixed(ast, state) {
    return this.runFunction(ast.args, state, this.metadata('FIXED'), (number, decimals, noCommas) => {
      const args = this.numbers(number, decimals);
      if (isError(args)) return args;
      const [n, d] = args;
      const plain = noCommas === undefined ? false : toBoolean(noCommas);
      if (isError(plain)) return plain;
      const { int, frac } = rounded(n, d);
      const body = (plain ? int || '0' : group(int || '0')) + (d > 0 ? `.${frac}` : '');
      return (n < 0 && /[1-9]/.test(int + frac) ? '-' : '') + body;
    });
  }

  dollar(ast, state) {
    return this.runFunction(ast.args, state, this.metadata('DOLLAR'), (number, decimals) => {
      const args = this.numbers(number, decimals);
      if (isError(args)) return args;
      const [n, d] = args;
      const { int, frac } = rounded(n, d);
      const body = `$${group(int || '0')}${d > 0 ? `.${frac}` : ''}`;
      return n < 0 && /[1-9]/.test(int + frac) ? `(${body})` : body;
    });
  }
}

FixedPlugin.implementedFunctions = {
  FIXED: { method: 'fixed', parameters: [ARG, OPTIONAL, OPTIONAL] },
  DOLLAR: { method: 'dollar', parameters: [ARG, OPTIONAL] },
};

export default { plugin: FixedPlugin };
