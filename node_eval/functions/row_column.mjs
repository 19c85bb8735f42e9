// ROW and COLUMN as Excel computes them, and AREAS, which HyperFormula 3.5.0
// lacks. HyperFormula's ROW/COLUMN give the first row/column of a range only and
// reject a reference returned by a function (ROW(INDEX(...))).
//
// Excel: ROW() is the formula's own row; ROW(reference) the row numbers of the
// reference, one per row ({5;6;7} for A5:C7, used by SUMPRODUCT(...ROW(...)),
// a single cell showing the first); COLUMN likewise across. The cells are never
// read, so a reference to the formula's own cell is no cycle. A value that is
// not a reference is #VALUE!. AREAS(reference) is the number of areas: 1 for any
// single range (HyperFormula has no multi-area references); not a reference:
// #VALUE!.

import { FunctionArgumentType, FunctionPlugin, SimpleRangeValue } from 'hyperformula';

import { evaluateReference, isReference, unwrap } from './lib/lookup-array.mjs';
import { SCALAR, boundedSize, exactSize, fitSpill, isTopLevel, sizeOf, sizeResult } from './lib/lookup-size.mjs';
import { isError, naError, valueError } from './lib/lookup-values.mjs';

const RANGE_NODES = new Set(['CELL_RANGE', 'COLUMN_RANGE', 'ROW_RANGE']);

class RowColumnPlugin extends FunctionPlugin {
  row(ast, state) {
    return fitSpill(ast, state, this.positions(ast, state, 'row'));
  }

  column(ast, state) {
    return fitSpill(ast, state, this.positions(ast, state, 'col'));
  }

  positions(ast, state, axis) {
    if (ast.args.length > 1) return naError('Wrong number of arguments');
    if (ast.args.length === 0 || unwrap(ast.args[0]).type === 'EMPTY') return state.formulaAddress[axis] + 1;
    const node = unwrap(ast.args[0]);
    if (node.type === 'CELL_REFERENCE') return node.reference.toSimpleCellAddress(state.formulaAddress)[axis] + 1;
    const value = RANGE_NODES.has(node.type) || node.type === 'FUNCTION_CALL' ? evaluateReference(this, node, state) : undefined;
    if (isError(value)) return value;
    if (!isReference(value)) return valueError('Not a reference');
    const { start } = value.range;
    const count = axis === 'row' ? value.height() : value.width();
    if (count === 1) return start[axis] + 1;
    const numbers = Array.from({ length: count }, (_, i) => start[axis] + 1 + i);
    return SimpleRangeValue.onlyValues(axis === 'row' ? numbers.map((n) => [n]) : [numbers]);
  }

  /** Inside a function the row numbers of a range are a column; one cell at the top of a formula (see isTopLevel). */
  rowSize(ast, state) {
    return this.positionsSize(ast, state, 'row');
  }

  columnSize(ast, state) {
    return this.positionsSize(ast, state, 'col');
  }

  positionsSize(ast, state, axis) {
    if (isTopLevel(state) || ast.args.length !== 1 || unwrap(ast.args[0]).type === 'CELL_REFERENCE') return sizeResult(SCALAR, state);
    const size = sizeOf(this, ast.args[0], state);
    const rows = axis === 'row' ? size.rows : 1;
    const cols = axis === 'row' ? 1 : size.cols;
    return sizeResult(size.exact ? exactSize(rows, cols) : boundedSize(rows, cols), state);
  }

  areas(ast, state) {
    if (ast.args.length !== 1) return naError('Wrong number of arguments');
    const node = unwrap(ast.args[0]);
    if (node.type === 'CELL_REFERENCE' || RANGE_NODES.has(node.type)) return 1;
    const value = node.type === 'FUNCTION_CALL' || node.type === 'NAMED_EXPRESSION' ? evaluateReference(this, node, state) : undefined;
    if (isError(value)) return value;
    return isReference(value) ? 1 : valueError('Not a reference');
  }
}

const referenceFunction = {
  parameters: [{ argumentType: FunctionArgumentType.ANY, optionalArg: true }],
  doesNotNeedArgumentsToBeComputed: true,
  isDependentOnSheetStructureChange: true,
  vectorizationForbidden: true,
};

RowColumnPlugin.implementedFunctions = {
  ROW: { method: 'row', sizeOfResultArrayMethod: 'rowSize', ...referenceFunction },
  COLUMN: { method: 'column', sizeOfResultArrayMethod: 'columnSize', ...referenceFunction },
  AREAS: { method: 'areas', ...referenceFunction },
};

export default { plugin: RowColumnPlugin };
