// VALUE and NUMBERVALUE: text to a number.
//
// Replaces HyperFormula's VALUE, which read "$1,000", "(5)", "Nov 6, 1982" or
// "2-Feb-2026" as #VALUE! and an empty cell as #VALUE! (Excel: 0). Excel's VALUE reads
// text as a typed entry is read (en-US): numbers with thousands separators, a currency
// sign, a sign or parentheses, a percent, an exponent; dates (month first) and times;
// TRUE/FALSE and "" are #VALUE!. NUMBERVALUE(text, decimal, group) ignores every space,
// takes the first character of each separator (#VALUE! if they are equal), ignores
// group separators before the decimal and rejects them after it, and divides by 100
// for each trailing %. An empty text is 0.

import { FunctionArgumentType, FunctionPlugin } from 'hyperformula';

import { isError, raw, toText, valueError } from './lib/text-args.mjs';
import { is1904 } from './lib/text-dates.mjs';
import { parseNumber } from './lib/text-parse.mjs';

const ARG = { argumentType: FunctionArgumentType.NOERROR };
const OPTIONAL = { argumentType: FunctionArgumentType.NOERROR, optionalArg: true };

function numberValue(text, decimal, group) {
  let s = text.replace(/\s+/g, '');
  if (s === '') return 0;
  let percents = 0;
  while (s.endsWith('%')) {
    s = s.slice(0, -1);
    percents += 1;
  }
  const point = s.indexOf(decimal);
  const int = (point >= 0 ? s.slice(0, point) : s).split(group).join('');
  const frac = point >= 0 ? s.slice(point + 1) : undefined;
  if (frac !== undefined && (frac.includes(decimal) || frac.includes(group))) return undefined;
  const candidate = frac === undefined ? int : `${int}.${frac}`;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(candidate)) return undefined;
  const value = Number(candidate);
  return Number.isFinite(value) ? value / 100 ** percents : undefined;
}

class ValuePlugin extends FunctionPlugin {
  value(ast, state) {
    return this.runFunction(ast.args, state, this.metadata('VALUE'), (arg) => {
      const v = raw(arg);
      if (typeof v === 'number') return v;
      if (typeof v === 'string') return parseNumber(v, is1904(this.config)) ?? valueError(`"${v}" is not a number.`);
      if (typeof v === 'boolean') return valueError('VALUE does not take TRUE or FALSE.');
      return 0; // an empty cell
    });
  }

  numbervalue(ast, state) {
    return this.runFunction(ast.args, state, this.metadata('NUMBERVALUE'), (arg, decimalArg, groupArg) => {
      const v = raw(arg);
      if (typeof v === 'number') return v;
      if (typeof v === 'boolean') return valueError('NUMBERVALUE does not take TRUE or FALSE.');
      const text = toText(v);
      const decimal = decimalArg === undefined ? '.' : toText(decimalArg);
      const group = groupArg === undefined ? ',' : toText(groupArg);
      for (const x of [text, decimal, group]) if (isError(x)) return x;
      if (decimal === '' || group === '' || decimal[0] === group[0]) return valueError('Bad separators.');
      return numberValue(text, decimal[0], group[0]) ?? valueError(`"${text}" is not a number.`);
    });
  }
}

ValuePlugin.implementedFunctions = {
  VALUE: { method: 'value', parameters: [ARG] },
  NUMBERVALUE: { method: 'numbervalue', parameters: [ARG, OPTIONAL, OPTIONAL] },
};

export default { plugin: ValuePlugin };
