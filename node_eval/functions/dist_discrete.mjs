// BINOM.DIST, BINOMDIST, BINOM.DIST.RANGE, BINOM.INV, CRITBINOM, NEGBINOM.DIST,
// NEGBINOMDIST, POISSON.DIST, POISSON, HYPGEOM.DIST, HYPGEOMDIST.
//
// Replaces HyperFormula's (jStat: NaN/#NUM! for large counts where Excel gives 0 or
// 1, domain checks made before later arguments' errors are seen) and adds
// BINOM.DIST.RANGE. Probabilities use Loader's saddle-point terms (lib/stats-special)
// so they keep full precision for a million trials; cumulative ones the incomplete
// beta/gamma functions.
//
// Excel: arguments are numbers (text that reads as one and TRUE/FALSE are taken);
// the first error among them is the result, before any domain check; counts are
// truncated (a negative one is #NUM! even when it truncates to 0). #NUM!:
// BINOM.DIST with trials < 0, number_s outside 0..trials or p outside [0, 1];
// BINOM.DIST.RANGE also s2 outside s..trials; BINOM.INV/CRITBINOM with trials < 0,
// p outside (0, 1) or alpha outside (0, 1); NEGBINOM.DIST with number_f < 0,
// number_s < 1 or p outside (0, 1); POISSON with x < 0 or mean < 0; HYPGEOM.DIST
// with a sample outside what the population allows.

import { FunctionArgumentType, FunctionPlugin } from 'hyperformula';

import { betaI, dbinomRaw, dpoisRaw, gammaQ } from './lib/stats-special.mjs';
import { error } from './lib/stats-values.mjs';

const num = () => error('NUM', 'An argument is outside the domain of the distribution.');

/** P(X = k) of a binomial(n, p). */
const binomPmf = (k, n, p) => dbinomRaw(k, n, p, 1 - p);

/** P(X <= k) of a binomial(n, p). */
function binomCdf(k, n, p) {
  if (k >= n) return 1;
  if (p === 0) return 1;
  if (p === 1) return 0;
  return betaI(1 - p, n - k, k + 1);
}

/** P(lo <= X <= hi), summed term by term (no cancellation) unless very wide. */
function binomRange(lo, hi, n, p) {
  if (hi - lo <= 200000) {
    let total = 0;
    for (let k = lo; k <= hi; k++) total += binomPmf(k, n, p);
    return Math.min(1, total);
  }
  return binomCdf(hi, n, p) - (lo > 0 ? binomCdf(lo - 1, n, p) : 0);
}

function binomInv(n, p, alpha) {
  // the smallest k with P(X <= k) >= alpha, by bisection over 0..n
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (binomCdf(mid, n, p) >= alpha * (1 - 1e-14)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function hypgeomPmf(k, n, successes, population) {
  const p = n / population;
  const q = (population - n) / population;
  const p1 = dbinomRaw(k, successes, p, q);
  const p2 = dbinomRaw(n - k, population - successes, p, q);
  const p3 = dbinomRaw(n, population, p, q);
  return (p1 * p2) / p3;
}

class DiscreteDistributionsPlugin extends FunctionPlugin {
  binomdist(ast, state) {
    return this.runFunction(ast.args, state, this.metadata(ast.procedureName), (s, n, p, cumulative) => {
      if (n < 0 || s < 0) return num();
      s = Math.trunc(s);
      n = Math.trunc(n);
      if (s > n || p < 0 || p > 1) return num();
      return cumulative ? binomCdf(s, n, p) : binomPmf(s, n, p);
    });
  }

  binomdistrange(ast, state) {
    return this.runFunction(ast.args, state, this.metadata(ast.procedureName), (n, p, s, s2) => {
      if (n < 0 || s < 0 || (s2 !== undefined && s2 < 0)) return num();
      n = Math.trunc(n);
      s = Math.trunc(s);
      s2 = s2 === undefined ? s : Math.trunc(s2);
      if (p < 0 || p > 1 || s < 0 || s > n || s2 < s || s2 > n) return num();
      return binomRange(s, s2, n, p);
    });
  }

  binominv(ast, state) {
    return this.runFunction(ast.args, state, this.metadata(ast.procedureName), (n, p, alpha) => {
      if (n < 0) return num();
      n = Math.trunc(n);
      if (p <= 0 || p >= 1 || alpha <= 0 || alpha >= 1) return num();
      return binomInv(n, p, alpha);
    });
  }

  negbinomdist(ast, state) {
    return this.runFunction(ast.args, state, this.metadata(ast.procedureName), (f, s, p, cumulative) => {
      if (f < 0) return num();
      f = Math.trunc(f);
      s = Math.trunc(s);
      if (s < 1 || p <= 0 || p >= 1) return num();
      if (cumulative) return betaI(p, s, f + 1);
      return (s / (s + f)) * dbinomRaw(s, f + s, p, 1 - p);
    });
  }

  poissondist(ast, state) {
    return this.runFunction(ast.args, state, this.metadata(ast.procedureName), (x, mean, cumulative) => {
      if (x < 0 || mean < 0) return num();
      x = Math.trunc(x);
      if (cumulative) return mean === 0 ? 1 : gammaQ(x + 1, mean);
      return dpoisRaw(x, mean);
    });
  }

  hypgeomdist(ast, state) {
    return this.runFunction(ast.args, state, this.metadata(ast.procedureName), (k, n, successes, population, cumulative) => {
      k = Math.trunc(k);
      n = Math.trunc(n);
      successes = Math.trunc(successes);
      population = Math.trunc(population);
      const low = Math.max(0, n - population + successes);
      if (population <= 0 || n <= 0 || n > population || successes <= 0 || successes > population) return num();
      if (k < low || k > Math.min(n, successes)) return num();
      if (!cumulative) return hypgeomPmf(k, n, successes, population);
      let total = 0;
      for (let i = low; i <= k; i++) total += hypgeomPmf(i, n, successes, population);
      return Math.min(1, total);
    });
  }
}

const NUMBER = { argumentType: FunctionArgumentType.NUMBER };
const BOOLEAN = { argumentType: FunctionArgumentType.BOOLEAN };
const OPTIONAL_NUMBER = { argumentType: FunctionArgumentType.NUMBER, optionalArg: true };
const FALSE_BY_DEFAULT = { argumentType: FunctionArgumentType.BOOLEAN, defaultValue: false };

const BINOM_DIST = { method: 'binomdist', parameters: [NUMBER, NUMBER, NUMBER, BOOLEAN] };
const BINOM_INV = { method: 'binominv', parameters: [NUMBER, NUMBER, NUMBER] };
const NEGBINOM = { method: 'negbinomdist', parameters: [NUMBER, NUMBER, NUMBER, BOOLEAN] };
const POISSON = { method: 'poissondist', parameters: [NUMBER, NUMBER, BOOLEAN] };

DiscreteDistributionsPlugin.implementedFunctions = {
  'BINOM.DIST': BINOM_DIST,
  BINOMDIST: BINOM_DIST,
  'BINOM.DIST.RANGE': { method: 'binomdistrange', parameters: [NUMBER, NUMBER, NUMBER, OPTIONAL_NUMBER] },
  'BINOM.INV': BINOM_INV,
  CRITBINOM: BINOM_INV,
  'NEGBINOM.DIST': NEGBINOM,
  // NEGBINOMDIST has no cumulative argument: the probability mass.
  NEGBINOMDIST: { method: 'negbinomdist', parameters: [NUMBER, NUMBER, NUMBER, FALSE_BY_DEFAULT] },
  'POISSON.DIST': POISSON,
  POISSON,
  'HYPGEOM.DIST': { method: 'hypgeomdist', parameters: [NUMBER, NUMBER, NUMBER, NUMBER, BOOLEAN] },
  HYPGEOMDIST: { method: 'hypgeomdist', parameters: [NUMBER, NUMBER, NUMBER, NUMBER, FALSE_BY_DEFAULT] },
};

export default { plugin: DiscreteDistributionsPlugin };
