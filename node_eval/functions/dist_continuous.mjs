// NORM.DIST, NORMDIST, NORM.INV, NORMINV, NORM.S.DIST, NORMSDIST, NORM.S.INV,
// NORMSINV, LOGNORM.DIST, LOGNORMDIST, LOGNORM.INV, LOGINV, STANDARDIZE, PHI, GAUSS,
// CONFIDENCE, CONFIDENCE.NORM, FISHER, FISHERINV, EXPON.DIST, EXPONDIST,
// WEIBULL.DIST, WEIBULL, GAMMA, GAMMALN, GAMMALN.PRECISE, GAMMA.DIST, GAMMADIST,
// GAMMA.INV, GAMMAINV, BETA.DIST, BETADIST, BETA.INV, BETAINV.
//
// Replaces HyperFormula's (jStat): its GAMMA is good to ~1e-9 only, its inverses fail
// in the tails (NORM.S.INV of 7.6e-24, LOGNORM.INV of 5.7e-31, GAMMA.INV of 2.8e-51
// are #NUM! or wrong), BETA.DIST rejects x = 1 and does not scale the density to
// [A, B]. Here: AS241 for the normal quantile, incomplete gamma/beta to ~1e-14, and
// quantiles by safeguarded Newton on those.
//
// Excel's domains (#NUM! outside): standard deviations, rates, shapes and scales > 0;
// probabilities of the *.INV functions in (0, 1) ([0, 1] for GAMMA.INV and BETA.INV);
// LOGNORM.DIST x > 0; EXPON/WEIBULL/GAMMA.DIST x >= 0; BETA.DIST A <= x <= B, A < B;
// FISHER |x| < 1; GAMMA not at 0 or a negative integer; GAMMALN x > 0;
// CONFIDENCE alpha in (0, 1), size >= 1 (truncated). Arguments are read as numbers
// (referenced text that reads as one and booleans are taken), the first error wins.

import { FunctionArgumentType, FunctionPlugin } from 'hyperformula';

import { betaI, gamma, gammaP, invert, lbeta, lgamma, normCdf, normInv, normPdf } from './lib/stats-special.mjs';
import { error, finite } from './lib/stats-values.mjs';

const num = () => error('NUM', 'An argument is outside the domain of the function.');

function gammaPdf(x, shape, scale) {
  if (x === 0) return shape === 1 ? 1 / scale : shape < 1 ? Infinity : 0;
  return Math.exp((shape - 1) * Math.log(x) - x / scale - lgamma(shape) - shape * Math.log(scale));
}

function gammaInv(p, shape, scale) {
  if (p === 0) return 0;
  if (p === 1) return Infinity;
  const cdf = (x) => gammaP(shape, x);
  const pdf = (x) => gammaPdf(x, shape, 1);
  // Wilson-Hilferty start
  const z = normInv(p);
  let guess = shape * (1 - 1 / (9 * shape) + (z * Math.sqrt(1 / (9 * shape)))) ** 3;
  if (!(guess > 0)) guess = Math.exp((Math.log(p) + lgamma(shape + 1)) / shape);
  return scale * invert(cdf, p, { lo: 0, hi: Infinity, guess, pdf });
}

function betaPdf(x, a, b) {
  if (x === 0) return a === 1 ? Math.exp(-lbeta(a, b)) : a < 1 ? Infinity : 0;
  if (x === 1) return b === 1 ? Math.exp(-lbeta(a, b)) : b < 1 ? Infinity : 0;
  return Math.exp((a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - lbeta(a, b));
}

class ContinuousDistributionsPlugin extends FunctionPlugin {
  run(ast, state, fn) {
    return this.runFunction(ast.args, state, this.metadata(ast.procedureName), (...args) => {
      const result = fn(...args);
      return typeof result === 'number' ? finite(result) : result;
    });
  }

  normdist(ast, state) {
    return this.run(ast, state, (x, mean, sd, cumulative) => {
      if (sd <= 0) return num();
      const z = (x - mean) / sd;
      return cumulative ? normCdf(z) : normPdf(z) / sd;
    });
  }

  norminv(ast, state) {
    return this.run(ast, state, (p, mean, sd) => {
      if (p <= 0 || p >= 1 || sd <= 0) return num();
      return mean + sd * normInv(p);
    });
  }

  normsdist(ast, state) {
    return this.run(ast, state, (z, cumulative) => (cumulative ? normCdf(z) : normPdf(z)));
  }

  normsinv(ast, state) {
    return this.run(ast, state, (p) => (p <= 0 || p >= 1 ? num() : normInv(p)));
  }

  lognormdist(ast, state) {
    return this.run(ast, state, (x, mean, sd, cumulative) => {
      if (x <= 0 || sd <= 0) return num();
      const z = (Math.log(x) - mean) / sd;
      return cumulative ? normCdf(z) : normPdf(z) / (sd * x);
    });
  }

  loginv(ast, state) {
    return this.run(ast, state, (p, mean, sd) => {
      if (p <= 0 || p >= 1 || sd <= 0) return num();
      return Math.exp(mean + sd * normInv(p));
    });
  }

  standardize(ast, state) {
    return this.run(ast, state, (x, mean, sd) => (sd <= 0 ? num() : (x - mean) / sd));
  }

  phi(ast, state) {
    return this.run(ast, state, (x) => normPdf(x));
  }

  gauss(ast, state) {
    return this.run(ast, state, (z) => normCdf(z) - 0.5);
  }

  confidence(ast, state) {
    return this.run(ast, state, (alpha, sd, size) => {
      if (alpha <= 0 || alpha >= 1 || sd <= 0 || size < 1) return num();
      return (normInv(1 - alpha / 2) * sd) / Math.sqrt(Math.trunc(size));
    });
  }

  fisher(ast, state) {
    return this.run(ast, state, (x) => (x <= -1 || x >= 1 ? num() : 0.5 * Math.log((1 + x) / (1 - x))));
  }

  fisherinv(ast, state) {
    return this.run(ast, state, (y) => {
      const e = Math.exp(2 * y);
      return Number.isFinite(e) ? (e - 1) / (e + 1) : 1;
    });
  }

  expondist(ast, state) {
    return this.run(ast, state, (x, lambda, cumulative) => {
      if (x < 0 || lambda <= 0) return num();
      return cumulative ? -Math.expm1(-lambda * x) : lambda * Math.exp(-lambda * x);
    });
  }

  weibulldist(ast, state) {
    return this.run(ast, state, (x, alpha, beta, cumulative) => {
      if (x < 0 || alpha <= 0 || beta <= 0) return num();
      const t = (x / beta) ** alpha;
      if (cumulative) return -Math.expm1(-t);
      return (alpha / beta) * (x / beta) ** (alpha - 1) * Math.exp(-t);
    });
  }

  gammafn(ast, state) {
    return this.run(ast, state, (x) => {
      if (x <= 0 && Number.isInteger(x)) return num();
      return gamma(x);
    });
  }

  gammaln(ast, state) {
    return this.run(ast, state, (x) => (x <= 0 ? num() : lgamma(x)));
  }

  gammadist(ast, state) {
    return this.run(ast, state, (x, shape, scale, cumulative) => {
      if (x < 0 || shape <= 0 || scale <= 0) return num();
      return cumulative ? gammaP(shape, x / scale) : gammaPdf(x / scale, shape, 1) / scale;
    });
  }

  gammainv(ast, state) {
    return this.run(ast, state, (p, shape, scale) => {
      if (p < 0 || p > 1 || shape <= 0 || scale <= 0) return num();
      return gammaInv(p, shape, scale);
    });
  }

  betadist(ast, state) {
    return this.run(ast, state, (x, a, b, cumulative, lo = 0, hi = 1) => {
      if (a <= 0 || b <= 0 || lo >= hi || x < lo || x > hi) return num();
      const t = (x - lo) / (hi - lo);
      return cumulative ? betaI(t, a, b) : betaPdf(t, a, b) / (hi - lo);
    });
  }

  betadistLegacy(ast, state) {
    return this.run(ast, state, (x, a, b, lo = 0, hi = 1) => {
      if (a <= 0 || b <= 0 || lo >= hi || x < lo || x > hi) return num();
      return betaI((x - lo) / (hi - lo), a, b);
    });
  }

  betainv(ast, state) {
    return this.run(ast, state, (p, a, b, lo = 0, hi = 1) => {
      if (p <= 0 || p > 1 || a <= 0 || b <= 0 || lo >= hi) return num();
      if (p === 1) return hi;
      const t = invert((x) => betaI(x, a, b), p, { lo: 0, hi: 1, pdf: (x) => betaPdf(x, a, b) });
      return lo + t * (hi - lo);
    });
  }
}

const NUMBER = { argumentType: FunctionArgumentType.NUMBER };
const BOOLEAN = { argumentType: FunctionArgumentType.BOOLEAN };
const OPTIONAL = { argumentType: FunctionArgumentType.NUMBER, optionalArg: true };
const TRUE_BY_DEFAULT = { argumentType: FunctionArgumentType.BOOLEAN, defaultValue: true };
const fn = (method, ...parameters) => ({ method, parameters });

ContinuousDistributionsPlugin.implementedFunctions = {
  'NORM.DIST': fn('normdist', NUMBER, NUMBER, NUMBER, BOOLEAN),
  NORMDIST: fn('normdist', NUMBER, NUMBER, NUMBER, BOOLEAN),
  'NORM.INV': fn('norminv', NUMBER, NUMBER, NUMBER),
  NORMINV: fn('norminv', NUMBER, NUMBER, NUMBER),
  'NORM.S.DIST': fn('normsdist', NUMBER, BOOLEAN),
  NORMSDIST: fn('normsdist', NUMBER, TRUE_BY_DEFAULT),
  'NORM.S.INV': fn('normsinv', NUMBER),
  NORMSINV: fn('normsinv', NUMBER),
  'LOGNORM.DIST': fn('lognormdist', NUMBER, NUMBER, NUMBER, BOOLEAN),
  LOGNORMDIST: fn('lognormdist', NUMBER, NUMBER, NUMBER, TRUE_BY_DEFAULT),
  'LOGNORM.INV': fn('loginv', NUMBER, NUMBER, NUMBER),
  LOGINV: fn('loginv', NUMBER, NUMBER, NUMBER),
  STANDARDIZE: fn('standardize', NUMBER, NUMBER, NUMBER),
  PHI: fn('phi', NUMBER),
  GAUSS: fn('gauss', NUMBER),
  CONFIDENCE: fn('confidence', NUMBER, NUMBER, NUMBER),
  'CONFIDENCE.NORM': fn('confidence', NUMBER, NUMBER, NUMBER),
  FISHER: fn('fisher', NUMBER),
  FISHERINV: fn('fisherinv', NUMBER),
  'EXPON.DIST': fn('expondist', NUMBER, NUMBER, BOOLEAN),
  EXPONDIST: fn('expondist', NUMBER, NUMBER, BOOLEAN),
  'WEIBULL.DIST': fn('weibulldist', NUMBER, NUMBER, NUMBER, BOOLEAN),
  WEIBULL: fn('weibulldist', NUMBER, NUMBER, NUMBER, BOOLEAN),
  GAMMA: fn('gammafn', NUMBER),
  GAMMALN: fn('gammaln', NUMBER),
  'GAMMALN.PRECISE': fn('gammaln', NUMBER),
  'GAMMA.DIST': fn('gammadist', NUMBER, NUMBER, NUMBER, BOOLEAN),
  GAMMADIST: fn('gammadist', NUMBER, NUMBER, NUMBER, BOOLEAN),
  'GAMMA.INV': fn('gammainv', NUMBER, NUMBER, NUMBER),
  GAMMAINV: fn('gammainv', NUMBER, NUMBER, NUMBER),
  'BETA.DIST': fn('betadist', NUMBER, NUMBER, NUMBER, BOOLEAN, OPTIONAL, OPTIONAL),
  BETADIST: fn('betadistLegacy', NUMBER, NUMBER, NUMBER, OPTIONAL, OPTIONAL),
  'BETA.INV': fn('betainv', NUMBER, NUMBER, NUMBER, OPTIONAL, OPTIONAL),
  BETAINV: fn('betainv', NUMBER, NUMBER, NUMBER, OPTIONAL, OPTIONAL),
};

export default { plugin: ContinuousDistributionsPlugin };
