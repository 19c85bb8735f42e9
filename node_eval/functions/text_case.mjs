// UPPER, LOWER, PROPER, TRIM, CLEAN and EXACT.
//
// Replaces HyperFormula's versions, which turn a number into text with JS's toString
// (UPPER(1/3) was "0.3333333333333333", Excel "0.333333333333333"; EXACT(1/3,
// "0.333333333333333") was FALSE). Excel: UPPER/LOWER map each character to one
// character (German ß stays ß); PROPER capitalises every letter that follows a
// non-letter and lowers the others ("don't" -> "Don'T", "1st" -> "1St"); TRIM removes
// leading and trailing spaces (character 32 only) and shrinks runs of them to one;
// CLEAN removes characters 0-31; EXACT compares case-sensitively.

import { FunctionArgumentType, FunctionPlugin } from 'hyperformula';

import { isError, toText } from './lib/text-args.mjs';

const ARG = { argumentType: FunctionArgumentType.NOERROR };

/** Map each character with fn, keeping it when fn would change the text's length. */
const perChar = (s, fn) =>
  s.replace(/[\s\S]/gu, (c) => {
    const m = fn(c);
    return m.length === c.length ? m : c;
  });

const LETTER = /\p{L}/u;

function proper(s) {
  let out = '';
  let previousLetter = false;
  for (const c of s) {
    const letter = LETTER.test(c);
    if (letter) out += perChar(c, previousLetter ? (x) => x.toLowerCase() : (x) => x.toUpperCase());
    else out += c;
    previousLetter = letter;
  }
  return out;
}

class CasePlugin extends FunctionPlugin {
  mapText(ast, state, name, fn) {
    return this.runFunction(ast.args, state, this.metadata(name), (value) => {
      const t = toText(value);
      return isError(t) ? t : fn(t);
    });
  }

  upper(ast, state) {
    return this.mapText(ast, state, 'UPPER', (t) => perChar(t, (c) => c.toUpperCase()));
  }

  lower(ast, state) {
    return this.mapText(ast, state, 'LOWER', (t) => perChar(t, (c) => c.toLowerCase()));
  }

  proper(ast, state) {
    return this.mapText(ast, state, 'PROPER', proper);
  }

  trim(ast, state) {
    return this.mapText(ast, state, 'TRIM', (t) => t.replace(/^ +| +$/g, '').replace(/ {2,}/g, ' '));
  }

  clean(ast, state) {
    // eslint-disable-next-line no-control-regex
    return this.mapText(ast, state, 'CLEAN', (t) => t.replace(/[\u0000-\u001f]/g, ''));
  }

  exact(ast, state) {
    return this.runFunction(ast.args, state, this.metadata('EXACT'), (left, right) => {
      const [a, b] = [toText(left), toText(right)];
      if (isError(a)) return a;
      if (isError(b)) return b;
      return a === b;
    });
  }
}

CasePlugin.implementedFunctions = {
  UPPER: { method: 'upper', parameters: [ARG] },
  LOWER: { method: 'lower', parameters: [ARG] },
  PROPER: { method: 'proper', parameters: [ARG] },
  TRIM: { method: 'trim', parameters: [ARG] },
  CLEAN: { method: 'clean', parameters: [ARG] },
  EXACT: { method: 'exact', parameters: [ARG, ARG] },
};

export default { plugin: CasePlugin };
