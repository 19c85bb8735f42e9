// The rows Excel hides on each sheet, as the workbook file records them, for SUBTOTAL
// and AGGREGATE. The engine sets them when it builds a workbook (build's `hiddenRows`);
// each sheet keeps two sorted lists of [first, last] runs (0-based rows): every hidden
// row, and those hidden by a filter (inside an autoFilter range).

const bySheet = new Map(); // HyperFormula sheet id -> { hidden: runs, filtered: runs }

/** Replace the hidden rows: [[sheet, hidden runs, filtered runs], ...], 0-based. */
export function setHiddenRows(entries) {
  bySheet.clear();
  for (const [sheet, hidden, filtered] of entries) bySheet.set(sheet, { hidden, filtered });
}

/** True when `row` lies in one of the sorted [first, last] runs. */
function inRuns(runs, row) {
  let low = 0;
  let high = runs.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const [first, last] = runs[middle];
    if (row < first) high = middle - 1;
    else if (row > last) low = middle + 1;
    else return true;
  }
  return false;
}

/**
 * A test (sheet, row) -> true for the rows to skip: those hidden by a filter with
 * `which` 'filtered', every hidden row with 'all'; null when nothing is skipped.
 */
export function hiddenRowTest(which) {
  if (which !== 'filtered' && which !== 'all') return null;
  if (bySheet.size === 0) return null;
  return (sheet, row) => {
    const rows = bySheet.get(sheet);
    return rows !== undefined && inRuns(which === 'all' ? rows.hidden : rows.filtered, row);
  };
}
