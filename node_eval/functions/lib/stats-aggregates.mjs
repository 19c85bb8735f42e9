// Shared by the stats family: Excel's aggregates over a list of numbers (SUBTOTAL and
// AGGREGATE dispatch to these). Each returns a number or a CellError.

import { devsq, error, mean, sum } from './stats-values.mjs';

const divZero = () => error('DIV_BY_ZERO', 'Not enough numbers.');

export function variance(numbers, sample) {
  const n = numbers.length;
  if (n === 0 || (sample && n === 1)) return divZero();
  return devsq(numbers) / (sample ? n - 1 : n);
}

export function stdev(numbers, sample) {
  const v = variance(numbers, sample);
  return typeof v === 'number' ? Math.sqrt(v) : v;
}

const sorted = (numbers) => [...numbers].sort((a, b) => a - b);

export function median(numbers) {
  const n = numbers.length;
  if (n === 0) return error('NUM', 'No numbers.');
  const s = sorted(numbers);
  return n % 2 === 1 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/** The most frequent number, the first in data order on a tie; #N/A when none repeats. */
export function modeSingle(numbers) {
  const counts = new Map();
  let best;
  let bestCount = 1;
  for (const x of numbers) {
    const c = (counts.get(x) ?? 0) + 1;
    counts.set(x, c);
  }
  for (const x of numbers) {
    const c = counts.get(x);
    if (c > bestCount) {
      best = x;
      bestCount = c;
    }
  }
  return best === undefined ? error('NA', 'No value repeats.') : best;
}

/** k-th largest (largest) or smallest, k rounded up; #NUM! outside 1..n. */
export function kth(numbers, k, largest) {
  const index = Math.ceil(k);
  if (!(index >= 1 && index <= numbers.length)) return error('NUM', 'k is out of range.');
  const s = sorted(numbers);
  return largest ? s[s.length - index] : s[index - 1];
}

/** PERCENTILE.INC / .EXC of a fraction k. */
export function percentile(numbers, k, exclusive) {
  const n = numbers.length;
  if (n === 0) return error('NUM', 'No numbers.');
  let rank;
  if (exclusive) {
    if (!(k > 0 && k < 1)) return error('NUM', 'k must be in (0, 1).');
    rank = k * (n + 1) - 1;
    if (rank < 0 || rank > n - 1) return error('NUM', 'k is out of range for this many numbers.');
  } else {
    if (!(k >= 0 && k <= 1)) return error('NUM', 'k must be in [0, 1].');
    rank = k * (n - 1);
  }
  const s = sorted(numbers);
  const lo = Math.floor(rank);
  const frac = rank - lo;
  return lo + 1 < n ? s[lo] + frac * (s[lo + 1] - s[lo]) : s[lo];
}

/** QUARTILE.INC (q 0..4) / .EXC (q 1..3), q truncated. */
export function quartile(numbers, q, exclusive) {
  const quart = Math.trunc(q);
  if (exclusive ? quart < 1 || quart > 3 : quart < 0 || quart > 4) return error('NUM', 'quart is out of range.');
  return percentile(numbers, quart / 4, exclusive);
}

/** The aggregate of each function number of AGGREGATE (1-13; SUBTOTAL uses 1-11). */
export const BY_NUMBER = {
  1: (xs) => (xs.length === 0 ? divZero() : mean(xs)),
  2: (xs) => xs.length,
  3: (xs, all) => all,
  4: (xs) => (xs.length === 0 ? 0 : Math.max(...xs)),
  5: (xs) => (xs.length === 0 ? 0 : Math.min(...xs)),
  6: (xs) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a * b, 1)),
  7: (xs) => stdev(xs, true),
  8: (xs) => stdev(xs, false),
  9: (xs) => sum(xs),
  10: (xs) => variance(xs, true),
  11: (xs) => variance(xs, false),
  12: (xs) => median(xs),
  13: (xs) => modeSingle(xs),
};

/** AGGREGATE's functions 14-19, which take a second argument k. */
export const WITH_K = {
  14: (xs, k) => kth(xs, k, true),
  15: (xs, k) => kth(xs, k, false),
  16: (xs, k) => percentile(xs, k, false),
  17: (xs, k) => quartile(xs, k, false),
  18: (xs, k) => percentile(xs, k, true),
  19: (xs, k) => quartile(xs, k, true),
};
