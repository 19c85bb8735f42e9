// Builds a HyperFormula function plugin for Excel functions of scalar numbers.
//
// Each function is declared as { fn, required, optional, booleans }: its
// arguments are converted to numbers in order with Excel's rules (see
// math-coerce.mjs; an omitted optional argument reaches `fn` as undefined), the
// first error wins, and `fn`'s number is checked (overflow is #NUM!, subnormal
// and negative zero are 0). A range where a scalar is expected goes through
// HyperFormula's own implicit intersection / array broadcasting.

import { CellError, FunctionArgumentType, FunctionPlugin } from 'hyperformula';

import { finite, toNumbers } from './math-coerce.mjs';

/** The name of the plugin method for a function id (FLOOR.MATH -> fn_FLOOR_MATH). */
function methodName(id) {
  return `fn_${id.replace(/\W/g, '_')}`;
}

/**
 * A FunctionPlugin class implementing `specs`: { ID: { fn, required = 1,
 * optional = 0, booleans = true, raw = false } }. With `raw` the arguments reach
 * `fn` as they are (errors included) and its result is returned as is.
 */
export function numericPlugin(className, specs) {
  const plugin = {
    [className]: class extends FunctionPlugin {},
  }[className];
  plugin.implementedFunctions = {};
  for (const [id, spec] of Object.entries(specs)) {
    const { fn, required = 1, optional = 0, booleans = true, raw = false } = spec;
    const method = methodName(id);
    plugin.prototype[method] = function compute(ast, state) {
      return this.runFunction(ast.args, state, this.metadata(id), (...args) => {
        if (raw) return fn.call(this, ...args);
        const numbers = toNumbers(this, args, { booleans });
        return numbers instanceof CellError ? numbers : finite(fn.call(this, ...numbers));
      });
    };
    plugin.implementedFunctions[id] = {
      method,
      parameters: [
        ...Array.from({ length: required }, () => ({ argumentType: FunctionArgumentType.SCALAR })),
        ...Array.from({ length: optional }, () => ({ argumentType: FunctionArgumentType.SCALAR, optionalArg: true })),
      ],
    };
  }
  return plugin;
}
