// DB, DDB, VDB, AMORDEGRC, AMORLINC as Excel computes them.
//
// DB (replaces HyperFormula's, which needs whole month/period and returns 0 when the
// salvage exceeds the cost): rate = 1 - (salvage/cost)^(1/life) rounded to 3 decimals;
// the first year's depreciation is cost*rate*month/12, later ones (cost - total so
// far)*rate, the year after the life (cost - total)*rate*(12 - month)/12. month and
// period are truncated (a period below 1 is the first); cost 0 gives 0; #NUM! for cost or
// salvage < 0, life or period <= 0, month outside 1-12, period past life (+1 when month < 12).
// DDB (replaces HyperFormula's, which needs a whole life and period): the declining
// balance cost*(1 - factor/life)^period, limited by the salvage, at fractional periods
// too (a period below 1 is the first); #NUM! for cost or salvage < 0, life, period or
// factor <= 0, period > life.
// VDB: double-declining balance between two (fractional) periods, switching to
// straight line when that is larger unless no_switch.
// AMORLINC/AMORDEGRC: the French linear / degressive schedules, the first period
// prorated by the basis' year fraction from purchase to the end of the first period.

import { CellError, EmptyValue, FunctionPlugin } from 'hyperformula';

import { finite, num, numbers, OPTIONAL, SCALAR, value } from './lib/finance-args.mjs';
import { bondArgs } from './lib/finance-bonds.mjs';

/** Excel's rounding to `digits` decimals (half away from zero, on the 15-digit value). */
function round(x, digits) {
  const scale = 10 ** digits;
  const v = Number.parseFloat((Math.abs(x) * scale).toPrecision(15));
  return (Math.sign(x) * Math.round(v)) / scale;
}

/** Depreciation accumulated at a (fractional) period by double-declining balance. */
function totalDepreciation(cost, salvage, life, period, factor, straightLine) {
  const ddb = (total) => Math.min((cost - total) * (factor / life), cost - salvage - total);
  const sln = (total, per) => (cost - total - salvage) / (life - per);
  const whole = Math.trunc(period);
  const frac = period - whole;
  let total = 0;
  for (let per = 0; ; per++) {
    const d = ddb(total);
    const s = sln(total, per);
    const next = total + (straightLine && d < s ? s : d);
    if (whole === 0) return next * frac;
    if (per === whole - 1) {
      const dn = ddb(next);
      const sn = sln(next, per + 1);
      let after = dn;
      if (straightLine && dn < sn) after = whole === Math.trunc(life) ? 0 : sn;
      return next + after * frac;
    }
    total = next;
  }
}

/** AMOR* first-period depreciation and asset life. */
function firstPeriod(dc, cost, purchased, first, salvage, rate, life, basis) {
  const ds = dc.ds;
  const fix29 = (d) => ((basis === 1 || basis === 3) && ds.isLeap(d.y) && d.m === 2 && d.d >= 28 ? { ...d, d: 28, s: ds.toSerial(d.y, 2, 28) } : d);
  const yearDays = basis === 1 ? (ds.isLeap(purchased.y) ? 366 : 365) : dc.yearDays(purchased, purchased);
  const len = dc.days(fix29(purchased), fix29(first));
  const prorated = (len / yearDays) * rate * cost;
  const depr = prorated === 0 ? cost * rate : prorated;
  return [Math.min(depr, cost - salvage), prorated === 0 ? life : life + 1];
}

class DepreciationPlugin extends FunctionPlugin {
  core(ast, state, id, fn) {
    return this.runFunction(ast.args, state, this.metadata(id), (...args) => {
      const values = numbers(this, args, { defaults: [0, 0, 0, 0, 0, 2, false] });
      if (!Array.isArray(values)) return values;
      return finite(fn(...values));
    });
  }

  db(ast, state) {
    return this.runFunction(ast.args, state, this.metadata('DB'), (...args) => {
      const values = numbers(this, args, { defaults: [0, 0, 0, 0, 12] });
      if (!Array.isArray(values)) return values;
      const [cost, salvage, life, periodArg, monthArg] = values;
      const period = Math.max(Math.trunc(periodArg), 1); // a period within the first is the first
      const month = Math.trunc(monthArg);
      if (cost < 0 || salvage < 0 || life <= 0 || periodArg <= 0 || month < 1 || month > 12) return num('DB argument out of range');
      if (period > life + 1 || (month === 12 && period > life)) return num('DB period is past the life');
      if (cost === 0) return 0;
      const rate = round(1 - (salvage / cost) ** (1 / life), 3);
      let total = 0;
      let depreciation = 0;
      for (let p = 1; p <= period; p++) {
        if (p === 1) depreciation = (cost * rate * month) / 12;
        else if (p === Math.trunc(life) + 1) depreciation = ((cost - total) * rate * (12 - month)) / 12;
        else depreciation = (cost - total) * rate;
        total += depreciation;
      }
      return finite(depreciation);
    });
  }

  ddb(ast, state) {
    return this.core(ast, state, 'DDB', (cost, salvage, life, periodArg, factor) => {
      if (cost < 0 || salvage < 0 || life <= 0 || periodArg <= 0 || factor <= 0 || periodArg > life) return num('DDB argument out of range');
      const period = Math.max(periodArg, 1); // a period within the first counts as the first
      let rate = factor / life;
      let before;
      if (rate >= 1) {
        rate = 1;
        before = period === 1 ? cost : 0;
      } else {
        before = cost * (1 - rate) ** (period - 1);
      }
      const after = cost * (1 - rate) ** period;
      return Math.max(after < salvage ? before - salvage : before - after, 0);
    });
  }

  vdb(ast, state) {
    return this.runFunction(ast.args, state, this.metadata('VDB'), (...args) => {
      const switchArg = args[6];
      const values = numbers(this, args.slice(0, 6), { defaults: [0, 0, 0, 0, 0, 2] });
      if (!Array.isArray(values)) return values;
      let noSwitch = false;
      if (switchArg instanceof CellError) return switchArg;
      if (typeof switchArg === 'boolean' || typeof switchArg === 'number') noSwitch = Boolean(switchArg);
      else if (switchArg !== undefined && switchArg !== EmptyValue) {
        const text = String(switchArg).toUpperCase();
        if (text !== 'TRUE' && text !== 'FALSE') return value('no_switch must be a logical value');
        noSwitch = text === 'TRUE';
      }
      const [cost, salvage, life, start, end, factor] = values;
      if (cost < 0 || salvage < 0 || life <= 0 || factor <= 0 || start < 0 || start > end || end > life) return num('VDB argument out of range');
      const straight = !noSwitch;
      if (straight && life === start && start === end) return num('VDB periods all equal to the life');
      return finite(totalDepreciation(cost, salvage, life, end, factor, straight) - totalDepreciation(cost, salvage, life, start, factor, straight));
    });
  }

  amor(ast, state, id, degressive) {
    return this.runFunction(ast.args, state, this.metadata(id), (...args) => {
      const parsed = bondArgs(this, args, ['number', 'date', 'date', 'number', 'number', 'number', 'basis']);
      if (!parsed.values) return parsed;
      const { dc, values } = parsed;
      // a fractional period counts the whole periods up to it (0 < period < 1 gives 0)
      const [cost, purchased, first, salvage, period, rate, basis] = values;
      if (cost < 0 || salvage < 0 || salvage >= cost || period < 0 || rate <= 0 || basis === 2 || purchased.s >= first.s) return num(`${id} argument out of range`);
      const life = Math.ceil(1 / rate);
      if (degressive) {
        const years = 1 / rate;
        if ((years >= 0 && years <= 3) || (years >= 4 && years <= 5)) return num('AMORDEGRC asset life must not be 0-3 or 4-5 years');
      }
      if (cost === salvage || period > life) return 0;
      if (!degressive) {
        const [first0] = firstPeriod(dc, cost, purchased, first, salvage, rate, life, basis);
        if (period === 0) return first0;
        let available = cost - salvage - first0;
        let depr = rate * cost;
        for (let p = 1; p <= period; p++) {
          depr = Math.min(depr, available);
          available = Math.max(available - depr, 0);
        }
        return finite(depr);
      }
      const coeff = life >= 3 && life <= 4 ? 1.5 : life >= 5 && life <= 6 ? 2 : life > 6 ? 2.5 : 1;
      let degRate = rate * coeff;
      const [firstRaw, assetLife] = firstPeriod(dc, cost, purchased, first, salvage, degRate, life, basis);
      const first0 = round(firstRaw, 0);
      if (period === 0) return first0;
      let remaining = cost - first0;
      let depr = 0;
      for (let counted = 1; counted <= period; counted++) {
        const left = assetLife - (counted + 1);
        const twoLeft = Math.abs(left - 2) < 1e-4;
        const candidate = twoLeft ? remaining * 0.5 : degRate * remaining;
        if (twoLeft) degRate = 1;
        depr = remaining < salvage ? Math.max(remaining - salvage, 0) : candidate;
        remaining -= depr;
      }
      return finite(round(depr, 0));
    });
  }

  amordegrc(ast, state) {
    return this.amor(ast, state, 'AMORDEGRC', true);
  }

  amorlinc(ast, state) {
    return this.amor(ast, state, 'AMORLINC', false);
  }
}

const AMOR = [SCALAR, SCALAR, SCALAR, SCALAR, SCALAR, SCALAR, OPTIONAL];
DepreciationPlugin.implementedFunctions = {
  DB: { method: 'db', parameters: [SCALAR, SCALAR, SCALAR, SCALAR, OPTIONAL] },
  DDB: { method: 'ddb', parameters: [SCALAR, SCALAR, SCALAR, SCALAR, OPTIONAL] },
  VDB: { method: 'vdb', parameters: [SCALAR, SCALAR, SCALAR, SCALAR, SCALAR, OPTIONAL, OPTIONAL] },
  AMORDEGRC: { method: 'amordegrc', parameters: AMOR },
  AMORLINC: { method: 'amorlinc', parameters: AMOR },
};

export default { plugin: DepreciationPlugin };
