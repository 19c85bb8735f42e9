// TYPE and ERROR.TYPE, which HyperFormula 3.5.0 lacks.
//
// Excel: TYPE(value) is 1 for a number (and a blank cell), 2 text, 4 logical,
// 16 error, 64 an array or a range of more than one cell. ERROR.TYPE(error) is
// the error's number: #NULL! 1, #DIV/0! 2, #VALUE! 3, #REF! 4, #NAME? 5, #NUM! 6,
// #N/A 7, #GETTING_DATA 8, #SPILL! 9, #CONNECT! 10, #BLOCKED! 11, #UNKNOWN! 12,
// #FIELD! 13, #CALC! 14, #EXTERNAL! 19, #BUSY! 20, #PYTHON! 21; anything that
// is not an error gives #N/A. An array of errors gives an array of numbers.

import { FunctionArgumentType, FunctionPlugin } from 'hyperformula';

import { evaluateReference, lift } from './lib/lookup-array.mjs';
import { ERROR, ERROR_NUMBERS, LOGICAL, TEXT, isError, isRange, kindOf, naError } from './lib/lookup-values.mjs';

class TypePlugin extends FunctionPlugin {
  type(ast, state) {
    if (ast.args.length !== 1) return naError('Wrong number of arguments');
    const value = evaluateReference(this, ast.args[0], state);
    if (isRange(value)) return value.height() * value.width() > 1 ? 64 : typeNumber(value.data[0][0]);
    return typeNumber(value);
  }

  errortype(ast, state) {
    if (ast.args.length !== 1) return naError('Wrong number of arguments');
    const value = this.evaluateAst(ast.args[0], state);
    return lift([value], [true], (v) => (isError(v) && ERROR_NUMBERS[v.type] !== undefined ? ERROR_NUMBERS[v.type] : naError('Not an error')));
  }
}

function typeNumber(value) {
  switch (kindOf(value)) {
    case TEXT:
      return 2;
    case LOGICAL:
      return 4;
    case ERROR:
      return 16;
    default:
      return 1;
  }
}

TypePlugin.implementedFunctions = {
  TYPE: { method: 'type', parameters: [{ argumentType: FunctionArgumentType.ANY }] },
  'ERROR.TYPE': { method: 'errortype', parameters: [{ argumentType: FunctionArgumentType.SCALAR }] },
};

export default { plugin: TypePlugin };
