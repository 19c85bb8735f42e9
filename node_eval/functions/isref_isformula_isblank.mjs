// ISREF, ISFORMULA and ISBLANK as Excel computes them. Replaces HyperFormula's
// built-ins: its ISREF is TRUE only for a #REF! error (Excel: TRUE for any
// reference, including ranges and INDEX/OFFSET/INDIRECT results, without reading
// the cells, so a reference to its own cell is no cycle); its ISFORMULA only
// accepts a written reference; its ISBLANK is TRUE for a formula whose result is
// a blank reference (Excel: a formula cell is never blank).
//
// Excel: ISREF(value) TRUE for a reference (a name that refers to cells too),
// FALSE otherwise; ISFORMULA(reference) TRUE when the (first) cell holds a
// formula, #VALUE! for a value that is not a reference; ISBLANK(value) TRUE for
// a reference to an empty cell, cell by cell for a range.

import { EmptyValue, FunctionArgumentType, FunctionPlugin, SimpleRangeValue } from 'hyperformula';

import { evaluateReference, isReference, lift, unwrap } from './lib/lookup-array.mjs';
import { isError, naError, valueError } from './lib/lookup-values.mjs';

const REFERENCE_NODES = new Set(['CELL_REFERENCE', 'CELL_RANGE', 'COLUMN_RANGE', 'ROW_RANGE']);

class ReferenceInfoPlugin extends FunctionPlugin {
  isref(ast, state) {
    if (ast.args.length !== 1) return naError('Wrong number of arguments');
    return this.refersToCells(ast.args[0], state, 0);
  }

  /** True when the argument is a reference, judged from the formula (cells are never read). */
  refersToCells(argAst, state, depth) {
    const node = unwrap(argAst);
    if (REFERENCE_NODES.has(node.type)) return true;
    if (node.type === 'NAMED_EXPRESSION') {
      const formula = this.namedFormula(node, state);
      return formula !== undefined && depth < 8 && this.refersToCells(formula, state, depth + 1);
    }
    if (node.type === 'FUNCTION_CALL') return isReference(evaluateReference(this, node, state));
    return false;
  }

  /** The formula a defined name stands for, if it is one. */
  namedFormula(node, state) {
    const expression = this.interpreter.namedExpressions.nearestNamedExpression(node.expressionName, state.formulaAddress.sheet);
    if (expression === undefined) return undefined;
    return this.dependencyGraph.addressMapping.getCell(expression.address)?.formula;
  }

  isformula(ast, state) {
    if (ast.args.length !== 1) return naError('Wrong number of arguments');
    const node = unwrap(ast.args[0]);
    let address;
    if (node.type === 'CELL_REFERENCE') {
      address = node.reference.toSimpleCellAddress(state.formulaAddress);
    } else {
      const value = REFERENCE_NODES.has(node.type) || node.type === 'FUNCTION_CALL' ? evaluateReference(this, node, state) : undefined;
      if (isError(value)) return value;
      if (!isReference(value)) return valueError('Not a reference');
      address = value.range.start;
    }
    return this.dependencyGraph.addressMapping.getCell(address)?.formula !== undefined;
  }

  isblank(ast, state) {
    if (ast.args.length !== 1) return naError('Wrong number of arguments');
    const value = evaluateReference(this, ast.args[0], state);
    if (!isReference(value)) return lift([value], [true], (v) => v === EmptyValue);
    const { sheet, start } = value.range;
    const rows = value.data.map((row, r) =>
      row.map((cell, c) => cell === EmptyValue && this.dependencyGraph.addressMapping.getCell({ sheet, row: start.row + r, col: start.col + c })?.formula === undefined),
    );
    return rows.length === 1 && rows[0].length === 1 ? rows[0][0] : SimpleRangeValue.onlyValues(rows);
  }
}

ReferenceInfoPlugin.implementedFunctions = {
  ISREF: {
    method: 'isref',
    parameters: [{ argumentType: FunctionArgumentType.ANY }],
    doesNotNeedArgumentsToBeComputed: true,
  },
  ISFORMULA: {
    method: 'isformula',
    parameters: [{ argumentType: FunctionArgumentType.ANY }],
    doesNotNeedArgumentsToBeComputed: true,
    isDependentOnSheetStructureChange: true,
  },
  ISBLANK: { method: 'isblank', parameters: [{ argumentType: FunctionArgumentType.SCALAR }] },
};

export default { plugin: ReferenceInfoPlugin };
