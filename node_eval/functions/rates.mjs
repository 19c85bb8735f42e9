// EFFECT, NOMINAL, DOLLARDE, DOLLARFR as Excel computes them.
//
// Analysis ToolPak functions: TRUE/FALSE arguments are #VALUE! (HyperFormula's
// built-ins read them as 1/0), numeric text is accepted.
// EFFECT/NOMINAL: npery is truncated; a rate <= 0 or npery < 1 is #NUM!
// (HyperFormula: 0 for a zero rate).
// DOLLARDE/DOLLARFR: fraction is truncated; a negative fraction is #NUM!, one below 1
// #DIV/0!; the fractional part is scaled by 10^ceil(log10(fraction)) as Excel does.

import { FunctionPlugin } from 'hyperformula';

import { div0, finite, num, numbers, SCALAR } from './lib/finance-args.mjs';

class RatesPlugin extends FunctionPlugin {
  atp(ast, state, id, fn) {
    return this.runFunction(ast.args, state, this.metadata(id), (...args) => {
      const values = numbers(this, args, { booleans: false });
      if (!Array.isArray(values)) return values;
      return finite(fn(...values));
    });
  }

  effect(ast, state) {
    return this.atp(ast, state, 'EFFECT', (rate, npery) => {
      const n = Math.trunc(npery);
      if (rate <= 0 || n < 1) return num('EFFECT needs rate > 0 and npery >= 1');
      return (1 + rate / n) ** n - 1;
    });
  }

  nominal(ast, state) {
    return this.atp(ast, state, 'NOMINAL', (rate, npery) => {
      const n = Math.trunc(npery);
      if (rate <= 0 || n < 1) return num('NOMINAL needs rate > 0 and npery >= 1');
      return ((rate + 1) ** (1 / n) - 1) * n;
    });
  }

  dollar(ast, state, id, toDecimal) {
    return this.atp(ast, state, id, (dollar, fractionArg) => {
      if (fractionArg < 0) return num('fraction must not be negative');
      const fraction = Math.trunc(fractionArg);
      if (fraction === 0) return div0('fraction must be at least 1');
      const whole = dollar > 0 ? Math.floor(dollar) : Math.ceil(dollar);
      const rest = dollar - whole;
      const digits = 10 ** Math.ceil(Math.log10(fraction));
      return toDecimal ? (rest * digits) / fraction + whole : (rest * fraction) / digits + whole;
    });
  }

  dollarde(ast, state) {
    return this.dollar(ast, state, 'DOLLARDE', true);
  }

  dollarfr(ast, state) {
    return this.dollar(ast, state, 'DOLLARFR', false);
  }
}

RatesPlugin.implementedFunctions = {
  EFFECT: { method: 'effect', parameters: [SCALAR, SCALAR] },
  NOMINAL: { method: 'nominal', parameters: [SCALAR, SCALAR] },
  DOLLARDE: { method: 'dollarde', parameters: [SCALAR, SCALAR] },
  DOLLARFR: { method: 'dollarfr', parameters: [SCALAR, SCALAR] },
};

export default { plugin: RatesPlugin };
