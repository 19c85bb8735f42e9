// How Excel reads the numbers of a function that takes any number of values
// (SUMSQ, PRODUCT, GCD, LCM, MULTINOMIAL), for the math family.
//
// 'sum' (SUMSQ, PRODUCT, like SUM): in a range or array only numbers count
//   (text, logical values and empty cells are skipped); a single-cell reference
//   is read the same way; a value typed in the formula is converted (TRUE is 1,
//   "3" is 3, "x" is #VALUE!). Errors win, the first one in argument order.
// 'toolpak' (GCD, LCM, MULTINOMIAL, from the Analysis ToolPak): every value is
//   converted as a scalar argument is: text numbers count, "" and other text are
//   #VALUE!, logical values are #VALUE! (also in ranges), an empty cell in a
//   range is 0, a reference to an empty cell is skipped; an omitted argument
//   (GCD(,5)) is #N/A; no values at all is #VALUE!. Measured in Excel 365.

import { CellError, EmptyValue, ErrorType, SimpleRangeValue } from 'hyperformula';

import { toNumber, valueError } from './math-coerce.mjs';

const REFERENCE_TYPES = new Set(['CELL_REFERENCE', 'NAMED_EXPRESSION']);

/** The value of an argument AST without parentheses around it. */
function unwrap(ast) {
  let node = ast;
  while (node.type === 'PARENTHESES') node = node.expression;
  return node;
}

/**
 * The numbers of `asts` read as Excel does in `mode` ('sum' or 'toolpak'), or
 * the CellError that decides the result.
 */
export function collectNumbers(plugin, asts, state, mode) {
  const numbers = [];
  const toolpak = mode === 'toolpak';
  for (const ast of asts) {
    const node = unwrap(ast);
    if (node.type === 'EMPTY') {
      if (toolpak) return new CellError(ErrorType.NA, 'An argument is missing.');
      continue;
    }
    const value = plugin.evaluateAst(ast, state);
    const isArray = value instanceof SimpleRangeValue;
    if (isArray || node.type === 'ARRAY') {
      // A 1x1 array constant such as {"a"} evaluates to its only value.
      for (const cell of isArray ? value.valuesFromTopLeftCorner() : [value]) {
        if (cell instanceof CellError) return cell;
        if (toolpak) {
          const number = toNumber(plugin, cell, { booleans: false });
          if (number instanceof CellError) return number;
          numbers.push(number);
        } else if (typeof cell === 'number') {
          numbers.push(cell);
        } else if (typeof cell === 'object' && cell !== null && typeof cell.val === 'number') {
          numbers.push(cell.val);
        }
      }
      continue;
    }
    if (value instanceof CellError) return value;
    const reference = REFERENCE_TYPES.has(node.type);
    if (reference && value === EmptyValue) continue;
    if (reference && !toolpak) {
      const number = typeof value === 'number' ? value : value?.val;
      if (typeof number === 'number') numbers.push(number);
      continue;
    }
    const number = toNumber(plugin, value, { booleans: !toolpak });
    if (number instanceof CellError) return number;
    numbers.push(number);
  }
  if (toolpak && numbers.length === 0) return valueError('No values.');
  return numbers;
}
