// PV, FV, PMT, NPER, IPMT, PPMT, CUMIPMT, CUMPRINC as Excel computes them.
//
// Replaces HyperFormula's built-ins where they differ from Excel:
// - PMT: a rate of -100% or less or nper = 0 is #NUM!;
// - PV/FV: (1+rate)^nper of 0 as a divisor is #DIV/0! (PV(-1,20,300), FV(-1,-2,1)),
//   any other non-finite result #NUM!;
// - NPER: rate 0 with pmt 0 is #NUM!;
// - IPMT/PPMT: per must satisfy 1 <= per < nper + 1 (fractional periods are fine,
//   IPMT(..., per=3.9, nper=3) is computed), else #NUM!; at exactly per = 1 with payments
//   at the start of the period the interest is 0 and PPMT = PMT; interest is
//   -(pv(1+r)^(per-1) r + PMT_end((1+r)^(per-1) - 1)), divided by 1+r for type 1;
// - CUMIPMT/CUMPRINC: an Analysis ToolPak function (TRUE/FALSE are #VALUE!), rate, nper
//   and pv must be positive, 1 <= start <= end <= nper and type 0 or 1 (else #NUM!);
//   fractional periods are truncated to whole ones (start rounded up).
// Everywhere: type is "at the start" when it is not 0; an error argument is the
// result (first one in argument order), text that is not a number is #VALUE!.

import { FunctionPlugin } from 'hyperformula';

import { div0, finite, num, numbers, OPTIONAL, SCALAR } from './lib/finance-args.mjs';

/** Payment per period (PMT) for rate > -1, nper != 0. */
function pmt(rate, nper, pv, fv, type) {
  if (rate === 0) return -(pv + fv) / nper;
  const t = (1 + rate) ** nper;
  return (-(fv + pv * t) * rate) / ((1 + rate * type) * (t - 1));
}

/** Interest part of payment `per` (IPMT) for valid arguments. */
function ipmt(rate, per, nper, pv, fv, type) {
  if (per === 1 && type) return 0;
  if (rate === 0) return 0;
  const t = (1 + rate) ** (per - 1);
  const interest = -(pv * t * rate + pmt(rate, nper, pv, fv, 0) * (t - 1));
  return type ? interest / (1 + rate) : interest;
}

const at = (type) => (type ? 1 : 0);

class AnnuityPlugin extends FunctionPlugin {
  /** Run fn on the arguments converted to numbers (omitted optional ones: 0). */
  tvm(ast, state, id, fn, booleans = true) {
    return this.runFunction(ast.args, state, this.metadata(id), (...args) => {
      const values = numbers(this, args, { booleans, defaults: [0, 0, 0, 0, 0, 0] });
      if (!Array.isArray(values)) return values;
      return finite(fn(...values));
    });
  }

  pv(ast, state) {
    return this.tvm(ast, state, 'PV', (rate, nper, payment, fv, type) => {
      if (rate === 0) return -fv - payment * nper;
      const t = (1 + rate) ** nper;
      if (t === 0) return div0('(1+rate)^nper is 0');
      return -(fv + (payment * (1 + rate * at(type)) * (t - 1)) / rate) / t;
    });
  }

  fv(ast, state) {
    return this.tvm(ast, state, 'FV', (rate, nper, payment, pv, type) => {
      if (rate === 0) return -pv - payment * nper;
      if (rate === -1 && nper < 0) return div0('(1+rate)^nper divides by 0');
      const t = (1 + rate) ** nper;
      return -pv * t - (payment * (1 + rate * at(type)) * (t - 1)) / rate;
    });
  }

  pmt(ast, state) {
    return this.tvm(ast, state, 'PMT', (rate, nper, pv, fv, type) => {
      if (rate <= -1) return num('PMT rate must be greater than -100%');
      if (nper === 0) return num('PMT nper must not be 0');
      return pmt(rate, nper, pv, fv, at(type));
    });
  }

  nper(ast, state) {
    return this.tvm(ast, state, 'NPER', (rate, payment, pv, fv, type) => {
      if (rate === 0) {
        if (payment === 0) return num('NPER with rate 0 needs a payment');
        return -(pv + fv) / payment;
      }
      const p = payment * (1 + rate * at(type));
      return Math.log((p - fv * rate) / (p + pv * rate)) / Math.log(1 + rate);
    });
  }

  /** IPMT/PPMT argument checks; undefined when valid. */
  periodError(rate, per, nper) {
    if (!(per >= 1 && per < nper + 1)) return num('per must be between 1 and nper');
    if (rate <= -1) return num('rate must be greater than -100%');
    return undefined;
  }

  ipmt(ast, state) {
    return this.tvm(ast, state, 'IPMT', (rate, per, nper, pv, fv, type) => this.periodError(rate, per, nper) ?? ipmt(rate, per, nper, pv, fv, at(type)));
  }

  ppmt(ast, state) {
    return this.tvm(ast, state, 'PPMT', (rate, per, nper, pv, fv, type) => {
      const bad = this.periodError(rate, per, nper);
      if (bad) return bad;
      return pmt(rate, nper, pv, fv, at(type)) - ipmt(rate, per, nper, pv, fv, at(type));
    });
  }

  cumulative(ast, state, id, principal) {
    return this.tvm(
      ast,
      state,
      id,
      (rate, nper, pv, start, end, type) => {
        if (rate <= 0 || nper <= 0 || pv <= 0) return num('rate, nper and pv must be positive');
        if (start < 1 || end < start || end > nper) return num('periods must satisfy 1 <= start <= end <= nper');
        if (type !== 0 && type !== 1) return num('type must be 0 or 1');
        let total = 0;
        for (let per = Math.ceil(start); per <= Math.trunc(end); per++) {
          const interest = ipmt(rate, per, nper, pv, 0, type);
          total += principal ? pmt(rate, nper, pv, 0, type) - interest : interest;
        }
        return total;
      },
      false,
    );
  }

  cumipmt(ast, state) {
    return this.cumulative(ast, state, 'CUMIPMT', false);
  }

  cumprinc(ast, state) {
    return this.cumulative(ast, state, 'CUMPRINC', true);
  }
}

const FIVE = [SCALAR, SCALAR, SCALAR, OPTIONAL, OPTIONAL];
const SIX = [SCALAR, SCALAR, SCALAR, SCALAR, OPTIONAL, OPTIONAL];
const CUM = [SCALAR, SCALAR, SCALAR, SCALAR, SCALAR, SCALAR];
AnnuityPlugin.implementedFunctions = {
  PV: { method: 'pv', parameters: FIVE },
  FV: { method: 'fv', parameters: FIVE },
  PMT: { method: 'pmt', parameters: FIVE },
  NPER: { method: 'nper', parameters: FIVE },
  IPMT: { method: 'ipmt', parameters: SIX },
  PPMT: { method: 'ppmt', parameters: SIX },
  CUMIPMT: { method: 'cumipmt', parameters: CUM },
  CUMPRINC: { method: 'cumprinc', parameters: CUM },
};

export default { plugin: AnnuityPlugin };
