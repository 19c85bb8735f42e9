// ERF, ERFC, ERF.PRECISE, ERFC.PRECISE, GESTEP, DELTA as Excel computes them.
//
// HyperFormula lacks ERF.PRECISE and ERFC.PRECISE; its ERF, ERFC, GESTEP and
// DELTA are replaced because they read TRUE as 1 where Excel (these functions
// come from the Analysis ToolPak) gives #VALUE!, and "" as 0 where Excel gives
// #VALUE!. ERF(lower, upper) is erf(upper) - erf(lower); an empty cell is 0.
// GESTEP(x, step = 0) is 1 when x >= step; DELTA(a, b = 0) is 1 when a = b
// exactly (DELTA(3.000000000000001, 3) is 0 in Excel).

import { numericPlugin } from './lib/math-plugin.mjs';
import { erf, erfc } from './lib/math-erf.mjs';

const ErfGestepDeltaPlugin = numericPlugin('ErfGestepDeltaPlugin', {
  ERF: { fn: (lower, upper) => (upper === undefined ? erf(lower) : erf(upper) - erf(lower)), optional: 1, booleans: false },
  ERFC: { fn: erfc, booleans: false },
  'ERF.PRECISE': { fn: erf, booleans: false },
  'ERFC.PRECISE': { fn: erfc, booleans: false },
  GESTEP: { fn: (x, step = 0) => (x >= step ? 1 : 0), optional: 1, booleans: false },
  DELTA: { fn: (a, b = 0) => (a === b ? 1 : 0), optional: 1, booleans: false },
});

export default { plugin: ErfGestepDeltaPlugin };
