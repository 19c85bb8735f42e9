// How Excel searches a vector: exact match (with wildcards where the function
// allows them), the classic approximate binary search of LOOKUP, VLOOKUP,
// HLOOKUP and MATCH, MATCH's descending search, and XLOOKUP/XMATCH's modes.
// `values` is a plain array of interpreter values; results are 0-based indices
// or -1 for "not found".

import {
  BLANK,
  LOGICAL,
  NUMBER,
  TEXT,
  compareForSort,
  compareSameKind,
  hasWildcards,
  kindOf,
  equalityKey,
  lookupEquals,
  toText,
  wildcardMatcher,
} from './lookup-values.mjs';

/** The first (or, `reverse`, last) value equal to key; text keys may use wildcards. */
export function exactMatch(values, key, { wildcards = false, reverse = false } = {}) {
  if (wildcards && kindOf(key) === TEXT && hasWildcards(key)) {
    const matches = wildcardMatcher(key);
    if (reverse) {
      for (let i = values.length - 1; i >= 0; i--) if (matches(values[i])) return i;
      return -1;
    }
    for (let i = 0; i < values.length; i++) if (matches(values[i])) return i;
    return -1;
  }
  const positions = positionsOf(values).get(equalityKey(key));
  if (positions === undefined) return -1;
  return reverse ? positions[1] : positions[0];
}

/**
 * Where each value first and last occurs, built once per vector (the vector of a
 * sheet range is cached with the range, and so is this index).
 */
function positionsOf(values) {
  if (values.dcPositions === undefined) {
    const positions = new Map();
    for (let i = 0; i < values.length; i++) {
      const key = equalityKey(values[i]);
      if (key === undefined) continue;
      const entry = positions.get(key);
      if (entry === undefined) positions.set(key, [i, i]);
      else entry[1] = i;
    }
    Object.defineProperty(values, 'dcPositions', { value: positions });
  }
  return values.dcPositions;
}

/**
 * The approximate match of LOOKUP, VLOOKUP/HLOOKUP(..., TRUE) and MATCH(..., 1):
 * Excel's binary search over the positions of the whole vector. A probe that
 * lands on a value of another kind than the key (a blank, an error, text for a
 * number key) moves to the nearest value of the key's kind, downwards first;
 * an equal value ends the search (at the last of a run of equal values),
 * otherwise the result is the last probed value below the key. On sorted data
 * this is the largest value <= key; on unsorted data it is what Excel answers
 * (e.g. LOOKUP(2, 1/(A1:A9<>""), B1:B9) finds the last non-blank row).
 */
export function approximateMatch(values, key) {
  const kind = kindOf(key);
  const n = values.length;
  let lo = 0;
  let hi = n - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    let j = mid;
    while (j >= lo && kindOf(values[j]) !== kind) j--;
    if (j < lo) {
      j = mid + 1;
      while (j <= hi && kindOf(values[j]) !== kind) j++;
      if (j > hi) break;
    }
    const order = compareSameKind(values[j], key);
    if (order === 0) {
      while (j + 1 < n && kindOf(values[j + 1]) === kind && compareSameKind(values[j + 1], key) === 0) j++;
      return j;
    }
    if (order < 0) {
      best = j;
      lo = Math.max(mid, j) + 1;
    } else {
      hi = j - 1;
    }
  }
  return best;
}

/**
 * MATCH(..., -1): values expected in descending order; scanning from the first,
 * the last value >= key before the first one < key (the first equal one stops it).
 */
export function descendingMatch(values, key) {
  const kind = kindOf(key);
  let found = -1;
  for (let i = 0; i < values.length; i++) {
    if (kindOf(values[i]) !== kind) continue;
    const order = compareSameKind(values[i], key);
    if (order < 0) break;
    found = i;
    if (order === 0) break;
  }
  return found;
}

/**
 * XLOOKUP/XMATCH: match_mode 0 exact, -1 exact or next smaller, 1 exact or next
 * larger, 2 wildcard, 3 regular expression (found anywhere in the text, case
 * sensitive); search_mode 1 first to last, -1 last to first, 2 binary on
 * ascending data, -2 binary on descending data. A blank key matches blank cells.
 */
export function xSearch(values, key, matchMode, searchMode) {
  if (matchMode === 3) return regexMatch(values, key, searchMode === -1 || searchMode === -2);
  if (searchMode === 2 || searchMode === -2) {
    if (searchMode === 2) return binarySearch(values, key, matchMode);
    const reversed = values.slice().reverse();
    const index = binarySearch(reversed, key, matchMode);
    return index < 0 ? -1 : values.length - 1 - index;
  }
  const reverse = searchMode === -1;
  if (matchMode === 0 || matchMode === 2) return exactMatch(values, key, { wildcards: matchMode === 2, reverse });
  // Next smaller / larger: Excel's order across kinds (numbers < text < logicals).
  let best = -1;
  const n = values.length;
  for (let step = 0; step < n; step++) {
    const i = reverse ? n - 1 - step : step;
    const value = values[i];
    if (!isOrdered(value)) continue;
    if (lookupEquals(value, key)) return i;
    const order = compareForSort(value, key);
    if (order * matchMode < 0) continue; // on the wrong side of the key
    if (best < 0 || compareForSort(value, values[best]) * matchMode < 0) best = i;
  }
  return best;
}

/** A value approximate XLOOKUP can land on: a number, text or logical. */
function isOrdered(value) {
  const kind = kindOf(value);
  return kind === NUMBER || kind === TEXT || kind === LOGICAL;
}

function regexMatch(values, key, reverse) {
  let regex;
  try {
    regex = new RegExp(toText(key), 'u');
  } catch {
    return -1;
  }
  const matches = (value) => isOrdered(value) && regex.test(toText(value));
  const n = values.length;
  for (let step = 0; step < n; step++) {
    const i = reverse ? n - 1 - step : step;
    if (matches(values[i])) return i;
  }
  return -1;
}

/** Binary search on ascending data (Excel's kind order): first equal, else the neighbour the mode asks for. */
function binarySearch(values, key, matchMode) {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareForSort(values[mid], key) < 0) lo = mid + 1;
    else hi = mid;
  }
  const kind = kindOf(key);
  if (lo < values.length && (kind === BLANK ? kindOf(values[lo]) === BLANK : lookupEquals(values[lo], key))) return lo;
  if (matchMode === -1) return lo - 1 >= 0 && isOrdered(values[lo - 1]) ? lo - 1 : -1;
  if (matchMode === 1) return lo < values.length && isOrdered(values[lo]) ? lo : -1;
  return -1;
}
