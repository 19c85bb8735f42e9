// TEXTBEFORE and TEXTAFTER(text, delimiter, [instance_num], [match_mode], [match_end],
// [if_not_found]).
//
// HyperFormula has neither. Excel: the delimiter may be an array (any of them
// matches); instance_num counts from the start, or from the end when negative; 0 is
// #VALUE!, a fraction is rounded down (-1.2 is -2, the second from the end), and an
// explicit instance beyond what the text can hold, |n| > LEN(text) - LEN(delimiter) + 1,
// is #VALUE!. match_mode 1 ignores case; match_end 1 treats the end of the text (the
// start, counting backwards) as one more delimiter; either other than 0 or 1 is
// #VALUE!. Not found gives if_not_found when given, else #N/A. An empty delimiter
// matches at the start (the end when counting backwards). Arguments skipped with
// commas take their defaults.

import { CellError, EmptyValue, ErrorType, FunctionArgumentType, FunctionPlugin } from 'hyperformula';

import { flatten, isError, raw, toNumber, toText, valueError } from './lib/text-args.mjs';
import { firstMatch, folded, lastMatch } from './lib/text-delimit.mjs';

const TEXT = { argumentType: FunctionArgumentType.NOERROR };
const DELIMITER = { argumentType: FunctionArgumentType.ANY };
const OPTIONAL = { argumentType: FunctionArgumentType.NOERROR, optionalArg: true };
const FALLBACK = { argumentType: FunctionArgumentType.SCALAR, optionalArg: true };

/** The n-th match (n != 0) of any delimiter: {at, length}, or undefined. */
function nthMatch(text, delimiters, n, matchEnd) {
  let found;
  if (n > 0) {
    let from = 0;
    for (let k = 0; k < n; k++) {
      found = firstMatch(text, delimiters, from);
      if (!found) return matchEnd && k === n - 1 && from <= text.length ? { at: text.length, length: 0 } : undefined;
      from = found.at + found.length;
    }
    return found;
  }
  let end = text.length;
  for (let k = 0; k < -n; k++) {
    found = lastMatch(text, delimiters, end);
    if (!found) return matchEnd && k === -n - 1 ? { at: 0, length: 0 } : undefined;
    end = found.at;
  }
  return found;
}

class TextBeforeAfterPlugin extends FunctionPlugin {
  split(ast, state, name, pick) {
    return this.runFunction(ast.args, state, this.metadata(name), (text, delimiter, instance, mode, end, notFound) => {
      const t = toText(text);
      if (isError(t)) return t;
      const delimiters = [];
      for (const d of flatten(delimiter)) {
        const s = toText(d);
        if (isError(s)) return s;
        delimiters.push(s);
      }
      const options = [];
      // An argument skipped with commas (,,) arrives as an empty value: the default.
      const given = (arg) => arg !== undefined && arg !== EmptyValue;
      for (const [arg, fallback] of [[instance, 1], [mode, 0], [end, 0]]) {
        const v = given(arg) ? toNumber(arg, this.config) : fallback;
        if (isError(v)) return v;
        options.push(Math.floor(v)); // Excel: INT, so -1.2 is the second from the end
      }
      const [n, matchMode, matchEnd] = options;
      if (n === 0 || ![0, 1].includes(matchMode) || ![0, 1].includes(matchEnd)) return valueError('Bad argument.');
      const shortest = delimiters.reduce((m, d) => Math.min(m, d.length), Infinity);
      if (given(instance) && Math.abs(n) > t.length - shortest + 1) return valueError('Instance out of range.');
      const ignoreCase = matchMode === 1;
      const found = nthMatch(folded(t, ignoreCase), delimiters.map((d) => folded(d, ignoreCase)), n, matchEnd === 1);
      if (!found) {
        if (notFound === undefined) return new CellError(ErrorType.NA, 'Delimiter not found.');
        const v = raw(notFound);
        return v === EmptyValue ? '' : v;
      }
      return pick(t, found);
    });
  }

  textbefore(ast, state) {
    return this.split(ast, state, 'TEXTBEFORE', (t, m) => t.slice(0, m.at));
  }

  textafter(ast, state) {
    return this.split(ast, state, 'TEXTAFTER', (t, m) => t.slice(m.at + m.length));
  }
}

const PARAMETERS = [TEXT, DELIMITER, OPTIONAL, OPTIONAL, OPTIONAL, FALLBACK];

TextBeforeAfterPlugin.implementedFunctions = {
  TEXTBEFORE: { method: 'textbefore', parameters: PARAMETERS },
  TEXTAFTER: { method: 'textafter', parameters: PARAMETERS },
};

export default { plugin: TextBeforeAfterPlugin };
