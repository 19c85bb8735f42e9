// The size of a text function's array result, known before the workbook is computed.
//
// HyperFormula fixes the size of a formula's result when it builds the workbook
// (sizeOfResultArrayMethod), long before values exist, and cuts or pads the computed
// array to that size. TEXTSPLIT("a,b,c", ",") or REGEXEXTRACT(A1, "\d+", 1) spill by as
// many cells as their text gives. So the size method evaluates the call early when
// every input is already known: literals, and cells that hold constants and were
// added before this formula (HyperFormula adds a sheet's cells row by row). Anything
// else (a formula cell, a cell not added yet, a name, a volatile function) leaves the
// size unknown and the result is one cell: its top-left value.

import { ArraySize, SimpleRangeValue } from 'hyperformula';

const MAX_CELLS = 10000;

/** True for a cell whose value is known during the build: a constant, or empty and already passed. */
function knownCell(plugin, address, state) {
  const vertex = plugin.dependencyGraph.getCell(address);
  if (vertex) return typeof vertex.getValues === 'function'; // a constant (ValueCellVertex)
  const here = state.formulaAddress;
  if (address.sheet !== here.sheet) return false;
  return address.row < here.row || (address.row === here.row && address.col < here.col);
}

function isStatic(plugin, ast, state) {
  switch (ast.type) {
    case 'NUMBER':
    case 'STRING':
    case 'EMPTY':
    case 'ERROR':
      return true;
    case 'ARRAY':
      return ast.args.every((row) => row.every((item) => isStatic(plugin, item, state)));
    case 'MINUS_UNARY_OP':
    case 'PLUS_UNARY_OP':
    case 'PERCENT_OP':
      return isStatic(plugin, ast.value, state);
    case 'PARENTHESES':
      return isStatic(plugin, ast.expression, state);
    case 'FUNCTION_CALL': {
      const meta = plugin.interpreter?.functionRegistry?.getMetadata?.(ast.procedureName);
      if (!meta || meta.isVolatile || meta.doesNotNeedArgumentsToBeComputed) return false;
      return ast.args.every((arg) => isStatic(plugin, arg, state));
    }
    case 'CELL_REFERENCE':
      return knownCell(plugin, ast.reference.toSimpleCellAddress(state.formulaAddress), state);
    case 'CELL_RANGE': {
      const start = ast.start.toSimpleCellAddress(state.formulaAddress);
      const end = ast.end.toSimpleCellAddress(state.formulaAddress);
      if (start.sheet !== end.sheet) return false;
      const rows = Math.abs(end.row - start.row) + 1;
      const cols = Math.abs(end.col - start.col) + 1;
      if (rows * cols > MAX_CELLS) return false;
      for (let r = Math.min(start.row, end.row); r <= Math.max(start.row, end.row); r++) {
        for (let c = Math.min(start.col, end.col); c <= Math.max(start.col, end.col); c++) {
          if (!knownCell(plugin, { sheet: start.sheet, row: r, col: c }, state)) return false;
        }
      }
      return true;
    }
    default:
      if (ast.left && ast.right) return isStatic(plugin, ast.left, state) && isStatic(plugin, ast.right, state);
      return false;
  }
}

/**
 * The ArraySize of a call whose result `compute(values)` gives from its evaluated
 * arguments, when they can be known during the build; else one cell.
 */
export function predictedSize(plugin, ast, state, compute) {
  try {
    if (!ast.args.every((arg) => isStatic(plugin, arg, state))) return ArraySize.scalar();
    const values = ast.args.map((arg) => (arg.type === 'EMPTY' ? undefined : plugin.evaluateAst(arg, state)));
    const result = compute(values);
    if (result instanceof SimpleRangeValue) return new ArraySize(result.width(), result.height());
    return ArraySize.scalar();
  } catch {
    return ArraySize.scalar();
  }
}
