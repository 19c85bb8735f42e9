// Shared by the stats family: least squares as Excel's LINEST does it.
//
// Excel (since 2003) fits by QR decomposition and drops an x column that is collinear
// with the columns before it (or, with a constant, constant itself): a dropped column
// gets coefficient 0 and standard error 0, and the degrees of freedom count only the
// columns kept. Here: Householder QR of the centred columns (centring is the
// intercept), a column dropped when what is left of it after the previous reflections
// is below 1e-10 of its own size.

const DROP_TOLERANCE = 1e-10;

const dot = (a, b) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

/**
 * Fit y ~ X (n rows, k columns given as k arrays of n numbers) with or without an
 * intercept. Returns {coefficients (k, x order), intercept, kept (k booleans),
 * standardErrors (k), interceptError, r2, sey, f, df, ssreg, ssresid, fitted}.
 */
export function leastSquares(y, columns, constant) {
  const n = y.length;
  const k = columns.length;
  const ybar = constant ? y.reduce((a, b) => a + b, 0) / n : 0;
  const means = columns.map((col) => (constant ? col.reduce((a, b) => a + b, 0) / n : 0));
  // Working copies: A (columns), b (right-hand side).
  const A = columns.map((col, j) => col.map((v) => v - means[j]));
  const b = y.map((v) => v - ybar);
  const reflections = []; // {v, start}
  const keptIndex = []; // original column index of each pivot
  const R = []; // R rows as arrays indexed by pivot position: R[p][q] for q >= p
  const columnsAfter = []; // transformed columns of kept pivots
  const kept = new Array(k).fill(false);

  for (let j = 0; j < k; j++) {
    const col = A[j].slice();
    const size = Math.sqrt(dot(A[j], A[j]));
    for (const { v, start } of reflections) applyReflection(col, v, start);
    const rank = reflections.length;
    if (rank >= n) continue;
    let rest = 0;
    for (let i = rank; i < n; i++) rest += col[i] * col[i];
    rest = Math.sqrt(rest);
    if (size === 0 || rest <= DROP_TOLERANCE * size) continue;
    // Householder vector for col[rank..]
    const alpha = col[rank] > 0 ? -rest : rest;
    const v = new Array(n).fill(0);
    for (let i = rank; i < n; i++) v[i] = col[i];
    v[rank] -= alpha;
    const vnorm = Math.sqrt(dot(v, v));
    for (let i = rank; i < n; i++) v[i] /= vnorm;
    reflections.push({ v, start: rank });
    applyReflection(col, v, rank);
    kept[j] = true;
    keptIndex.push(j);
    columnsAfter.push(col);
  }
  const p = keptIndex.length;
  for (let q = 0; q < p; q++) {
    R.push(columnsAfter.map((col) => col[q]));
  }
  const qtb = b.slice();
  for (const { v, start } of reflections) applyReflection(qtb, v, start);
  // Back substitution R beta = (Q^T b)[0..p)
  const beta = new Array(p).fill(0);
  for (let q = p - 1; q >= 0; q--) {
    let s = qtb[q];
    for (let r = q + 1; r < p; r++) s -= R[q][r] * beta[r];
    beta[q] = s / R[q][q];
  }
  const coefficients = new Array(k).fill(0);
  keptIndex.forEach((j, q) => {
    coefficients[j] = beta[q];
  });
  const intercept = constant ? ybar - dot(coefficients, means) : 0;

  const fitted = y.map((_, i) => {
    let s = intercept;
    for (let j = 0; j < k; j++) s += coefficients[j] * columns[j][i];
    return s;
  });
  let ssresid = 0;
  let ssreg = 0;
  let sstotal = 0;
  for (let i = 0; i < n; i++) {
    ssresid += (y[i] - fitted[i]) ** 2;
    ssreg += (fitted[i] - ybar) ** 2;
    sstotal += (y[i] - ybar) ** 2;
  }
  const df = n - p - (constant ? 1 : 0);
  const sey = Math.sqrt(ssresid / df);
  // (R^T R)^-1 = R^-1 R^-T: the covariance of the centred coefficients / sigma^2.
  const Rinv = invertUpper(R, p);
  const covariance = (a, c) => {
    let s = 0;
    for (let r = Math.max(a, c); r < p; r++) s += Rinv[a][r] * Rinv[c][r];
    return s;
  };
  const standardErrors = new Array(k).fill(0);
  keptIndex.forEach((j, q) => {
    standardErrors[j] = sey * Math.sqrt(covariance(q, q));
  });
  let interceptError;
  if (constant) {
    let quad = 0;
    for (let a = 0; a < p; a++) {
      for (let c = 0; c < p; c++) quad += means[keptIndex[a]] * covariance(a, c) * means[keptIndex[c]];
    }
    interceptError = sey * Math.sqrt(1 / n + quad);
  }
  const r2 = ssreg / sstotal;
  const f = ssreg / p / (ssresid / df);
  if (constant && p === 0 && k > 0 && n - k - 1 <= 0) {
    // Every x column is collinear with the constant and there are no more points
    // than parameters: Excel counts the dropped columns in df and reports an exact fit
    // (df 0, ssresid 0, r2 1, standard errors 0, F #NUM!). Measured: pycel stats.xlsx
    // LinestArrayExp F21:H25, LINEST({1;2;3},{2,3;2,3;2,3},,TRUE).
    return {
      coefficients, intercept, kept, standardErrors, interceptError: 0, r2: 1, sey: 0, f: NaN,
      df: 0, ssreg: sstotal, ssresid: 0, fitted, used: p,
    };
  }
  return { coefficients, intercept, kept, standardErrors, interceptError, r2, sey, f, df, ssreg, ssresid, fitted, used: p };
}

function applyReflection(x, v, start) {
  let s = 0;
  for (let i = start; i < x.length; i++) s += v[i] * x[i];
  s *= 2;
  for (let i = start; i < x.length; i++) x[i] -= s * v[i];
}

function invertUpper(R, p) {
  const inv = Array.from({ length: p }, () => new Array(p).fill(0));
  for (let i = p - 1; i >= 0; i--) {
    inv[i][i] = 1 / R[i][i];
    for (let j = i + 1; j < p; j++) {
      let s = 0;
      for (let m = i + 1; m <= j; m++) s += R[i][m] * inv[m][j];
      inv[i][j] = -s / R[i][i];
    }
  }
  return inv;
}
