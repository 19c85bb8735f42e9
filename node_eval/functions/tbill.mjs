// TBILLEQ, TBILLPRICE, TBILLYIELD as Excel computes them.
//
// Replaces HyperFormula's built-ins: TRUE/FALSE are #VALUE! (Analysis ToolPak), the
// one-year limit is calendar based (maturity at most the same day a year later, so
// 366 days across a 29 February are fine), and TBILLEQ for more than 182 days to
// maturity is the bond-equivalent yield of the quadratic in Excel's documentation
// (HyperFormula uses the short-bill formula throughout).
// #NUM!: settlement not before maturity, maturity more than a year after settlement,
// discount <= 0, price <= 0, a TBILLPRICE at or below 0, a TBILLEQ with no real solution.

import { FunctionPlugin } from 'hyperformula';

import { finite, num, SCALAR } from './lib/finance-args.mjs';
import { bondArgs } from './lib/finance-bonds.mjs';

class TbillPlugin extends FunctionPlugin {
  tbill(ast, state, id, fn) {
    return this.runFunction(ast.args, state, this.metadata(id), (...args) => {
      const parsed = bondArgs(this, args, ['date', 'date', 'number']);
      if (!parsed.values) return parsed;
      const { ds, values } = parsed;
      const [settlement, maturity, x] = values;
      if (settlement.s >= maturity.s) return num('settlement must be before maturity');
      const yearLater = ds.addMonths(settlement, 12);
      if (maturity.s > ds.toSerial(yearLater.y, yearLater.m, yearLater.d)) return num('maturity must be within a year of settlement');
      return finite(fn(maturity.s - settlement.s, x));
    });
  }

  tbilleq(ast, state) {
    return this.tbill(ast, state, 'TBILLEQ', (dsm, discount) => {
      if (discount <= 0) return num('discount must be positive');
      if (dsm <= 182) return (365 * discount) / (360 - discount * dsm);
      const price = (100 - (discount * 100 * dsm) / 360) / 100;
      const days = dsm === 366 ? 366 : 365;
      const ratio = dsm / days;
      const disc = ratio ** 2 - (2 * ratio - 1) * (1 - 1 / price);
      if (disc < 0 || 2 * ratio - 1 === 0) return num('TBILLEQ has no solution');
      return (2 * (Math.sqrt(disc) - ratio)) / (2 * ratio - 1);
    });
  }

  tbillprice(ast, state) {
    return this.tbill(ast, state, 'TBILLPRICE', (dsm, discount) => {
      if (discount <= 0) return num('discount must be positive');
      const price = 100 * (1 - (discount * dsm) / 360);
      return price <= 0 ? num('the price would not be positive') : price;
    });
  }

  tbillyield(ast, state) {
    return this.tbill(ast, state, 'TBILLYIELD', (dsm, pr) => {
      if (pr <= 0) return num('price must be positive');
      return (((100 - pr) / pr) * 360) / dsm;
    });
  }
}

const PARAMS = [SCALAR, SCALAR, SCALAR];
TbillPlugin.implementedFunctions = {
  TBILLEQ: { method: 'tbilleq', parameters: PARAMS },
  TBILLPRICE: { method: 'tbillprice', parameters: PARAMS },
  TBILLYIELD: { method: 'tbillyield', parameters: PARAMS },
};

export default { plugin: TbillPlugin };
