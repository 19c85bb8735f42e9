// COUNT, COUNTBLANK, AVEDEV, DEVSQ, replacing HyperFormula's where it differs from Excel.
//
// Excel: COUNT counts numbers in references and arrays, and the arguments typed
// directly that are numbers, booleans or text reading as a number; errors and other
// text are not counted (never an error). HyperFormula counts "" typed directly.
// AVEDEV (mean absolute deviation) and DEVSQ (sum of squared deviations) read their
// arguments like AVERAGE and are #NUM! without any number; HyperFormula gives
// #DIV/0! and 0. An empty formula result counts as 0, as it does in Excel.
// COUNTBLANK counts the blank cells of a range and those holding empty text (="");
// HyperFormula declares its argument a single value, which makes the normaliser
// intersect the range with the formula's row; here it is a range (ANY).

import { CellError, EmptyValue, FunctionArgumentType, FunctionPlugin } from 'hyperformula';

import { collectNumbers, devsq, error, evaluateArgs, forEachValue, mean, numberOf, parseNumber } from './lib/stats-values.mjs';

class CountDevsqPlugin extends FunctionPlugin {
  count(ast, state) {
    let count = 0;
    forEachValue(this, evaluateArgs(this, ast.args, state), (value, ref, empty) => {
      if (numberOf(value) !== undefined) count++;
      else if (ref || value instanceof CellError) return undefined;
      else if (empty || value === EmptyValue || typeof value === 'boolean') count++;
      else if (parseNumber(this, value) !== undefined) count++;
      return undefined;
    });
    return count;
  }

  countblank(ast, state) {
    if (ast.args.length !== 1) return error('NA', 'COUNTBLANK takes one range.');
    let count = 0;
    forEachValue(this, evaluateArgs(this, ast.args, state), (value) => {
      if (value === EmptyValue || value === '') count++;
      return undefined;
    });
    return count;
  }

  numbers(ast, state) {
    const numbers = collectNumbers(this, evaluateArgs(this, ast.args, state));
    if (numbers instanceof CellError) return numbers;
    return numbers.length === 0 ? error('NUM', 'No numbers.') : numbers;
  }

  avedev(ast, state) {
    const numbers = this.numbers(ast, state);
    if (numbers instanceof CellError) return numbers;
    const m = mean(numbers);
    return mean(numbers.map((x) => Math.abs(x - m)));
  }

  devsq(ast, state) {
    const numbers = this.numbers(ast, state);
    return numbers instanceof CellError ? numbers : devsq(numbers);
  }
}

const VALUES = { parameters: [{ argumentType: FunctionArgumentType.ANY }], repeatLastArgs: 1 };

CountDevsqPlugin.implementedFunctions = {
  COUNT: { method: 'count', ...VALUES },
  COUNTBLANK: { method: 'countblank', parameters: [{ argumentType: FunctionArgumentType.ANY }] },
  AVEDEV: { method: 'avedev', ...VALUES },
  DEVSQ: { method: 'devsq', ...VALUES },
};

export default { plugin: CountDevsqPlugin };
