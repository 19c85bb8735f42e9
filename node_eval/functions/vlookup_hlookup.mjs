// VLOOKUP and HLOOKUP as Excel computes them. Replaces HyperFormula's built-ins,
// which differ from Excel: approximate match is a plain binary search over every
// kind of value (Excel only compares values of the key's kind, passing blanks,
// errors and other kinds), text matching and wildcards, the coercion of
// col_index_num/range_lookup, and arrays as lookup values or indices (Excel
// lifts the function over them).
//
// Excel: lookup_value blank counts as 0; an error in lookup_value, table or index
// is the result; index < 1 is #VALUE!, beyond the table #REF!; range_lookup
// TRUE (default) = approximate (largest value <= key, of the key's kind), FALSE
// = exact (first match, text case-insensitive, * ? ~ wildcards); not found #N/A;
// a blank result cell is 0.

import { EmptyValue, FunctionArgumentType, FunctionPlugin } from 'hyperformula';

import { cellOf, dimensions, evaluateReference, isOmitted, lift, lineOf, resultValue } from './lib/lookup-array.mjs';
import { approximateMatch, exactMatch } from './lib/lookup-search.mjs';
import { isError, naError, refError, toBoolean, toNumber, valueError } from './lib/lookup-values.mjs';

class VHLookupPlugin extends FunctionPlugin {
  vlookup(ast, state) {
    return this.tableLookup(ast, state, 'col');
  }

  hlookup(ast, state) {
    return this.tableLookup(ast, state, 'row');
  }

  /** `axis` 'col': search the first column, return from column index (VLOOKUP); 'row' the transpose. */
  tableLookup(ast, state, axis) {
    if (ast.args.length < 3 || ast.args.length > 4) return naError('Wrong number of arguments');
    const key = this.evaluateAst(ast.args[0], state);
    const table = this.tableArgument(ast.args[1], state);
    const index = this.evaluateAst(ast.args[2], state);
    // range_lookup: omitted means TRUE, an empty argument (VLOOKUP(a,b,c,)) means FALSE.
    const approximate = ast.args.length < 4 ? true : isOmitted(ast.args[3]) ? false : this.evaluateAst(ast.args[3], state);
    return lift([key, index, approximate], [true, true, true], (k, i, a) => this.lookupOne(k, table, i, a, axis));
  }

  /** table_array: a reference or an array; a single number or logical is a 1x1 table, text #VALUE!. */
  tableArgument(ast, state) {
    const table = evaluateReference(this, ast, state);
    return typeof table === 'string' ? valueError('table_array is text') : table;
  }

  lookupOne(key, table, indexValue, approximateValue, axis) {
    if (isError(key)) return key;
    if (isError(table)) return table;
    const index = toNumber(indexValue, this.arithmeticHelper);
    if (isError(index)) return index;
    const approximate = toBoolean(approximateValue);
    if (isError(approximate)) return approximate;
    const position = Math.trunc(index);
    if (position < 1) return valueError('Index is less than 1');
    const [height, width] = dimensions(table);
    if (position > (axis === 'col' ? width : height)) return refError('Index is beyond the table');
    const keys = lineOf(this, table, axis, 0);
    const searchKey = key === EmptyValue ? 0 : key; // a blank lookup value is 0
    const found = approximate ? approximateMatch(keys, searchKey) : exactMatch(keys, searchKey, { wildcards: true });
    if (found < 0) return naError('Value not found');
    const value = axis === 'col' ? cellOf(this, table, found, position - 1) : cellOf(this, table, position - 1, found);
    return resultValue(value);
  }
}

VHLookupPlugin.implementedFunctions = {
  VLOOKUP: {
    method: 'vlookup',
    parameters: [
      { argumentType: FunctionArgumentType.NOERROR },
      { argumentType: FunctionArgumentType.RANGE },
      { argumentType: FunctionArgumentType.NUMBER },
      { argumentType: FunctionArgumentType.BOOLEAN, optionalArg: true },
    ],
  },
  HLOOKUP: {
    method: 'hlookup',
    parameters: [
      { argumentType: FunctionArgumentType.NOERROR },
      { argumentType: FunctionArgumentType.RANGE },
      { argumentType: FunctionArgumentType.NUMBER },
      { argumentType: FunctionArgumentType.BOOLEAN, optionalArg: true },
    ],
  },
};

export default { plugin: VHLookupPlugin };
