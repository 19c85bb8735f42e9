// T.DIST, T.DIST.2T, T.DIST.RT, TDIST, T.INV, T.INV.2T, TINV, F.DIST, F.DIST.RT,
// FDIST, F.INV, F.INV.RT, FINV, CHISQ.DIST, CHISQ.DIST.RT, CHIDIST, CHISQ.INV,
// CHISQ.INV.RT, CHIINV, CONFIDENCE.T, T.TEST, TTEST, F.TEST, FTEST, CHISQ.TEST,
// CHITEST, Z.TEST, ZTEST.
//
// Replaces HyperFormula's (jStat): its inverses are good to ~1e-9 only (T.INV(…) =
// 2.9999999934 for 3, CONFIDENCE.T off by 2e-8), F.DIST by 1e-8, and its T.TEST
// doubles one-tailed results and rejects tails/type given as 2.2 / 3.3. Here the
// CDFs come from the incomplete beta/gamma functions to ~1e-14 and quantiles from a
// safeguarded Newton iteration on them.
//
// Excel: degrees of freedom are truncated and must be >= 1 (#NUM!); x < 0 is #NUM! for the F and chi-squared distributions and
// for the two-tailed/right-tailed T forms of old (TDIST); probabilities of the
// inverses must lie in (0, 1] (T.INV: (0, 1)). CONFIDENCE.T with a sample of 1 is
// #DIV/0!. T.TEST(a, b, tails, type): tails and type truncated, tails 1 or 2, type 1
// paired (same count of values, pairs with a non-number skipped), 2 equal variances,
// 3 unequal variances (Welch); F.TEST: two-tailed variance-ratio test; CHISQ.TEST:
// df (rows-1)(cols-1), or n-1 for one row or column; Z.TEST: one-tailed p-value,
// sigma defaulting to the sample standard deviation.

import { CellError, FunctionArgumentType, FunctionPlugin, SimpleRangeValue } from 'hyperformula';

import { betaI, betaIc, gammaP, gammaQ, invert, lbeta, lgamma, normCdf } from './lib/stats-special.mjs';
import { devsq, error, finite, mean, numberOf, rangeRows } from './lib/stats-values.mjs';

const num = () => error('NUM', 'An argument is outside the domain of the function.');
const divZero = () => error('DIV_BY_ZERO', 'Not enough data.');

/** P(T > t) for t >= 0, Student's t with df degrees of freedom. */
function tUpper(t, df) {
  return 0.5 * betaI(df / (df + t * t), df / 2, 0.5);
}

function tCdf(t, df) {
  return t >= 0 ? 1 - tUpper(t, df) : tUpper(-t, df);
}

function tPdf(t, df) {
  return Math.exp(-((df + 1) / 2) * Math.log1p((t * t) / df) - 0.5 * Math.log(df) - lbeta(df / 2, 0.5));
}

/** The t with P(T > t) = q, for 0 < q <= 1/2 (t >= 0). */
function tUpperInv(q, df) {
  if (q === 0.5) return 0;
  return invert((t) => -tUpper(t, df), -q, {
    lo: 0,
    hi: Infinity,
    guess: 1,
    pdf: (t) => tPdf(t, df),
  });
}

/** Student's t quantile. */
function tInv(p, df) {
  if (p === 0.5) return 0;
  return p < 0.5 ? -tUpperInv(p, df) : tUpperInv(1 - p, df);
}

/** F distribution: P(X <= x) and P(X > x). */
const fCdf = (x, d1, d2) => betaI((d1 * x) / (d1 * x + d2), d1 / 2, d2 / 2);
const fSf = (x, d1, d2) => betaIc((d1 * x) / (d1 * x + d2), d1 / 2, d2 / 2);

function fPdf(x, d1, d2) {
  if (x === 0) return d1 === 2 ? 1 : d1 < 2 ? Infinity : 0;
  return Math.exp(
    (d1 / 2) * Math.log((d1 * x) / (d1 * x + d2)) + (d2 / 2) * Math.log(d2 / (d1 * x + d2)) - Math.log(x) - lbeta(d1 / 2, d2 / 2),
  );
}

function fInv(p, d1, d2) {
  if (p === 0) return 0;
  return invert((x) => fCdf(x, d1, d2), p, { lo: 0, hi: Infinity, guess: 1, pdf: (x) => fPdf(x, d1, d2) });
}

function fInvRight(q, d1, d2) {
  if (q === 1) return 0;
  // solve on the upper tail directly to keep precision for small q
  return invert((x) => -fSf(x, d1, d2), -q, { lo: 0, hi: Infinity, guess: 1, pdf: (x) => fPdf(x, d1, d2) });
}

function chisqPdf(x, df) {
  const k = df / 2;
  if (x === 0) return k === 1 ? 0.5 : k < 1 ? Infinity : 0;
  return Math.exp((k - 1) * Math.log(x / 2) - x / 2 - lgamma(k)) / 2;
}

const chisqInv = (p, df) =>
  p === 0 ? 0 : invert((x) => gammaP(df / 2, x / 2), p, { lo: 0, hi: Infinity, guess: df, pdf: (x) => chisqPdf(x, df) });

const chisqInvRight = (q, df) =>
  q === 1 ? 0 : invert((x) => -gammaQ(df / 2, x / 2), -q, { lo: 0, hi: Infinity, guess: df, pdf: (x) => chisqPdf(x, df) });

/** The values of a range or array argument, flat. */
function cells(plugin, value) {
  if (value instanceof SimpleRangeValue) return [].concat(...rangeRows(plugin, value));
  return [value];
}

/** Only the numbers of an argument, or its first error. */
function numbers(plugin, value) {
  const out = [];
  for (const v of cells(plugin, value)) {
    if (v instanceof CellError) return v;
    const n = numberOf(v);
    if (n !== undefined) out.push(n);
  }
  return out;
}

const variance = (xs) => devsq(xs) / (xs.length - 1);

class SamplingDistributionsPlugin extends FunctionPlugin {
  run(ast, state, fn) {
    return this.runFunction(ast.args, state, this.metadata(ast.procedureName), (...args) => {
      const result = fn(...args);
      return typeof result === 'number' ? finite(result) : result;
    });
  }

  tdist(ast, state) {
    return this.run(ast, state, (x, df, cumulative) => {
      df = Math.trunc(df);
      if (df < 1) return num();
      return cumulative ? tCdf(x, df) : tPdf(x, df);
    });
  }

  tdist2t(ast, state) {
    return this.run(ast, state, (x, df) => {
      df = Math.trunc(df);
      return x < 0 || df < 1 ? num() : Math.min(1, 2 * tUpper(x, df));
    });
  }

  tdistrt(ast, state) {
    return this.run(ast, state, (x, df) => {
      df = Math.trunc(df);
      if (df < 1) return num();
      return x >= 0 ? tUpper(x, df) : 1 - tUpper(-x, df);
    });
  }

  tdistLegacy(ast, state) {
    return this.run(ast, state, (x, df, tails) => {
      df = Math.trunc(df);
      tails = Math.trunc(tails);
      if (x < 0 || df < 1 || (tails !== 1 && tails !== 2)) return num();
      return tails === 1 ? tUpper(x, df) : Math.min(1, 2 * tUpper(x, df));
    });
  }

  tinv(ast, state) {
    return this.run(ast, state, (p, df) => {
      df = Math.trunc(df);
      return p <= 0 || p >= 1 || df < 1 ? num() : tInv(p, df);
    });
  }

  tinv2t(ast, state) {
    return this.run(ast, state, (p, df) => {
      df = Math.trunc(df);
      return p <= 0 || p > 1 || df < 1 ? num() : tUpperInv(p / 2, df);
    });
  }

  fdist(ast, state) {
    return this.run(ast, state, (x, d1, d2, cumulative) => {
      d1 = Math.trunc(d1);
      d2 = Math.trunc(d2);
      if (x < 0 || d1 < 1 || d2 < 1) return num();
      return cumulative ? fCdf(x, d1, d2) : fPdf(x, d1, d2);
    });
  }

  fdistrt(ast, state) {
    return this.run(ast, state, (x, d1, d2) => {
      d1 = Math.trunc(d1);
      d2 = Math.trunc(d2);
      return x < 0 || d1 < 1 || d2 < 1 ? num() : fSf(x, d1, d2);
    });
  }

  finv(ast, state) {
    return this.run(ast, state, (p, d1, d2) => {
      d1 = Math.trunc(d1);
      d2 = Math.trunc(d2);
      return p < 0 || p > 1 || d1 < 1 || d2 < 1 ? num() : fInv(p, d1, d2);
    });
  }

  finvrt(ast, state) {
    return this.run(ast, state, (q, d1, d2) => {
      d1 = Math.trunc(d1);
      d2 = Math.trunc(d2);
      return q <= 0 || q > 1 || d1 < 1 || d2 < 1 ? num() : fInvRight(q, d1, d2);
    });
  }

  chisqdist(ast, state) {
    return this.run(ast, state, (x, df, cumulative) => {
      df = Math.trunc(df);
      if (x < 0 || df < 1 || df > 1e10) return num();
      return cumulative ? gammaP(df / 2, x / 2) : chisqPdf(x, df);
    });
  }

  chisqdistrt(ast, state) {
    return this.run(ast, state, (x, df) => {
      df = Math.trunc(df);
      return x < 0 || df < 1 || df > 1e10 ? num() : gammaQ(df / 2, x / 2);
    });
  }

  chisqinv(ast, state) {
    return this.run(ast, state, (p, df) => {
      df = Math.trunc(df);
      return p < 0 || p >= 1 || df < 1 || df > 1e10 ? num() : chisqInv(p, df);
    });
  }

  chisqinvrt(ast, state) {
    return this.run(ast, state, (q, df) => {
      df = Math.trunc(df);
      return q <= 0 || q > 1 || df < 1 || df > 1e10 ? num() : chisqInvRight(q, df);
    });
  }

  confidencet(ast, state) {
    return this.run(ast, state, (alpha, sd, size) => {
      size = Math.trunc(size);
      if (alpha <= 0 || alpha >= 1 || sd <= 0 || size < 1) return num();
      if (size === 1) return divZero();
      return (tUpperInv(alpha / 2, size - 1) * sd) / Math.sqrt(size);
    });
  }

  ttest(ast, state) {
    return this.run(ast, state, (a, b, tailsArg, typeArg) => {
      const tails = Math.trunc(tailsArg);
      const type = Math.trunc(typeArg);
      if ((tails !== 1 && tails !== 2) || type < 1 || type > 3) return num();
      let t;
      let df;
      if (type === 1) {
        const xs = cells(this, a);
        const ys = cells(this, b);
        if (xs.length !== ys.length) return error('NA', 'The arrays must have as many values.');
        const diffs = [];
        for (let i = 0; i < xs.length; i++) {
          if (xs[i] instanceof CellError) return xs[i];
          if (ys[i] instanceof CellError) return ys[i];
          const x = numberOf(xs[i]);
          const y = numberOf(ys[i]);
          if (x !== undefined && y !== undefined) diffs.push(x - y);
        }
        const n = diffs.length;
        if (n < 2) return divZero();
        const sd = Math.sqrt(variance(diffs));
        if (sd === 0) return divZero();
        t = mean(diffs) / (sd / Math.sqrt(n));
        df = n - 1;
      } else {
        const xs = numbers(this, a);
        if (xs instanceof CellError) return xs;
        const ys = numbers(this, b);
        if (ys instanceof CellError) return ys;
        const n1 = xs.length;
        const n2 = ys.length;
        if (n1 < 2 || n2 < 2) return divZero();
        const v1 = variance(xs);
        const v2 = variance(ys);
        if (type === 2) {
          df = n1 + n2 - 2;
          const pooled = ((n1 - 1) * v1 + (n2 - 1) * v2) / df;
          t = (mean(xs) - mean(ys)) / Math.sqrt(pooled * (1 / n1 + 1 / n2));
        } else {
          const s1 = v1 / n1;
          const s2 = v2 / n2;
          t = (mean(xs) - mean(ys)) / Math.sqrt(s1 + s2);
          df = (s1 + s2) ** 2 / (s1 ** 2 / (n1 - 1) + s2 ** 2 / (n2 - 1));
        }
        if (!Number.isFinite(t)) return divZero();
      }
      const p = tUpper(Math.abs(t), df);
      return tails === 1 ? p : Math.min(1, 2 * p);
    });
  }

  ftest(ast, state) {
    return this.run(ast, state, (a, b) => {
      const xs = numbers(this, a);
      if (xs instanceof CellError) return xs;
      const ys = numbers(this, b);
      if (ys instanceof CellError) return ys;
      if (xs.length < 2 || ys.length < 2) return divZero();
      const v1 = variance(xs);
      const v2 = variance(ys);
      if (v1 === 0 || v2 === 0) return divZero();
      const f = v1 / v2;
      const d1 = xs.length - 1;
      const d2 = ys.length - 1;
      const lower = fCdf(f, d1, d2);
      return Math.min(1, 2 * Math.min(lower, 1 - lower));
    });
  }

  chisqtest(ast, state) {
    return this.run(ast, state, (actual, expected) => {
      const rows = actual instanceof SimpleRangeValue ? actual.height() : 1;
      const cols = actual instanceof SimpleRangeValue ? actual.width() : 1;
      const expRows = expected instanceof SimpleRangeValue ? expected.height() : 1;
      const expCols = expected instanceof SimpleRangeValue ? expected.width() : 1;
      if (rows !== expRows || cols !== expCols) return error('NA', 'The ranges must have the same shape.');
      const xs = cells(this, actual);
      const es = cells(this, expected);
      let chi = 0;
      for (let i = 0; i < xs.length; i++) {
        if (xs[i] instanceof CellError) return xs[i];
        if (es[i] instanceof CellError) return es[i];
        const x = numberOf(xs[i]);
        const e = numberOf(es[i]);
        if (x === undefined || e === undefined) continue;
        if (e === 0) return divZero();
        chi += (x - e) ** 2 / e;
      }
      const df = rows === 1 || cols === 1 ? Math.max(rows, cols) - 1 : (rows - 1) * (cols - 1);
      if (df < 1) return error('NA', 'Not enough values.');
      return gammaQ(df / 2, chi / 2);
    });
  }

  ztest(ast, state) {
    return this.run(ast, state, (array, x, sigma) => {
      const xs = numbers(this, array);
      if (xs instanceof CellError) return xs;
      const n = xs.length;
      if (n === 0) return error('NA', 'No numbers.');
      const sd = sigma === undefined ? (n < 2 ? NaN : Math.sqrt(variance(xs))) : sigma;
      if (!(sd > 0)) return divZero();
      return 1 - normCdf((mean(xs) - x) / (sd / Math.sqrt(n)));
    });
  }
}

const NUMBER = { argumentType: FunctionArgumentType.NUMBER };
const BOOLEAN = { argumentType: FunctionArgumentType.BOOLEAN };
const RANGE = { argumentType: FunctionArgumentType.RANGE };
const OPTIONAL = { argumentType: FunctionArgumentType.NUMBER, optionalArg: true };
const fn = (method, ...parameters) => ({ method, parameters });

SamplingDistributionsPlugin.implementedFunctions = {
  'T.DIST': fn('tdist', NUMBER, NUMBER, BOOLEAN),
  'T.DIST.2T': fn('tdist2t', NUMBER, NUMBER),
  'T.DIST.RT': fn('tdistrt', NUMBER, NUMBER),
  TDIST: fn('tdistLegacy', NUMBER, NUMBER, NUMBER),
  'T.INV': fn('tinv', NUMBER, NUMBER),
  'T.INV.2T': fn('tinv2t', NUMBER, NUMBER),
  TINV: fn('tinv2t', NUMBER, NUMBER),
  'F.DIST': fn('fdist', NUMBER, NUMBER, NUMBER, BOOLEAN),
  'F.DIST.RT': fn('fdistrt', NUMBER, NUMBER, NUMBER),
  FDIST: fn('fdistrt', NUMBER, NUMBER, NUMBER),
  'F.INV': fn('finv', NUMBER, NUMBER, NUMBER),
  'F.INV.RT': fn('finvrt', NUMBER, NUMBER, NUMBER),
  FINV: fn('finvrt', NUMBER, NUMBER, NUMBER),
  'CHISQ.DIST': fn('chisqdist', NUMBER, NUMBER, BOOLEAN),
  'CHISQ.DIST.RT': fn('chisqdistrt', NUMBER, NUMBER),
  CHIDIST: fn('chisqdistrt', NUMBER, NUMBER),
  'CHISQ.INV': fn('chisqinv', NUMBER, NUMBER),
  'CHISQ.INV.RT': fn('chisqinvrt', NUMBER, NUMBER),
  CHIINV: fn('chisqinvrt', NUMBER, NUMBER),
  'CONFIDENCE.T': fn('confidencet', NUMBER, NUMBER, NUMBER),
  'T.TEST': fn('ttest', RANGE, RANGE, NUMBER, NUMBER),
  TTEST: fn('ttest', RANGE, RANGE, NUMBER, NUMBER),
  'F.TEST': fn('ftest', RANGE, RANGE),
  FTEST: fn('ftest', RANGE, RANGE),
  'CHISQ.TEST': fn('chisqtest', RANGE, RANGE),
  CHITEST: fn('chisqtest', RANGE, RANGE),
  'Z.TEST': fn('ztest', RANGE, NUMBER, OPTIONAL),
  ZTEST: fn('ztest', RANGE, NUMBER, OPTIONAL),
};

export default { plugin: SamplingDistributionsPlugin };
