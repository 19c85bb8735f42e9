// SHEETS as Excel computes it. Replaces HyperFormula's built-in, which counts
// every sheet of the engine, including the cached sheets of linked workbooks
// that dcmodel adds as "[n]Sheet" (a name Excel never allows for a sheet).
//
// Excel: SHEETS() is the number of sheets in the workbook (hidden ones too);
// SHEETS(reference) is 1 for a reference on one sheet; an error propagates;
// a value that is not a reference is #VALUE!.

import { FunctionArgumentType, FunctionPlugin } from 'hyperformula';

import { evaluateReference, isReference, unwrap } from './lib/lookup-array.mjs';
import { isError, naError, valueError } from './lib/lookup-values.mjs';

const LINKED_WORKBOOK_SHEET = /^\[\d+\]/;

class SheetsPlugin extends FunctionPlugin {
  sheets(ast, state) {
    if (ast.args.length > 1) return naError('Wrong number of arguments');
    if (ast.args.length === 0 || unwrap(ast.args[0]).type === 'EMPTY') {
      return this.dependencyGraph.sheetMapping.getSheetNames().filter((name) => !LINKED_WORKBOOK_SHEET.test(name)).length;
    }
    const node = unwrap(ast.args[0]);
    if (['CELL_REFERENCE', 'CELL_RANGE', 'COLUMN_RANGE', 'ROW_RANGE'].includes(node.type)) return 1;
    const value = evaluateReference(this, node, state);
    if (isError(value)) return value;
    return isReference(value) ? 1 : valueError('Not a reference');
  }
}

SheetsPlugin.implementedFunctions = {
  SHEETS: {
    method: 'sheets',
    parameters: [{ argumentType: FunctionArgumentType.ANY, optionalArg: true }],
    doesNotNeedArgumentsToBeComputed: true,
    vectorizationForbidden: true,
  },
};

export default { plugin: SheetsPlugin };
