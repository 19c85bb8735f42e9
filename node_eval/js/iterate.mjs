// Excel-style iterative calculation of one circular group.
//
// Every cell of the group becomes the constant 0, then each sweep computes the
// cells in the given order from the latest values (Gauss-Seidel) and stores each
// result as a constant, so everything downstream recalculates from it. Sweeps stop
// when the largest change of a sweep is below maxChange, or after maxIterations.
// Loops only, no recursion: a group may have 10,000 cells.

import { calculate, constantOf, withEvaluationSuspended } from './excel.mjs';

/** How far a value moved: |a - b| for numbers, else 0 when equal and Infinity when not. */
function change([kindA, valueA], [kindB, valueB]) {
  if (kindA === 'n' && kindB === 'n') return Math.abs(valueA - valueB);
  return kindA === kindB && valueA === valueB ? 0 : Infinity;
}

/** One sweep over the group; returns the largest change. */
function sweep(hf, group, current) {
  let largest = 0;
  for (let i = 0; i < group.length; i++) {
    const { address, formula } = group[i];
    const value = calculate(hf, formula, address.sheet);
    largest = Math.max(largest, change(current[i], value));
    current[i] = value;
    hf.setCellContents(address, constantOf(value));
  }
  return largest;
}

/**
 * Iterate one group. `group` holds {address (HyperFormula's), formula}; returns the
 * final exported values in group order, the sweep count, the last sweep's largest
 * change (null when infinite) and whether it converged.
 */
export function iterateGroup(hf, group, { maxIterations = 100, maxChange = 0.001 }) {
  withEvaluationSuspended(hf, () => group.forEach(({ address }) => hf.setCellContents(address, 0)));
  const current = group.map(() => ['n', 0, null]);
  let iterations = 0;
  let largest = Infinity;
  while (iterations < maxIterations) {
    largest = sweep(hf, group, current);
    iterations += 1;
    if (largest < maxChange) break;
  }
  return {
    values: current,
    iterations,
    maxChange: Number.isFinite(largest) ? largest : null,
    converged: largest < maxChange,
  };
}
