// ASC(text) and DBCS(text): full-width <-> half-width characters.
//
// HyperFormula has neither. Excel's ASC turns full-width (double-byte) letters, digits,
// punctuation and the ideographic space into their half-width forms; DBCS does the
// reverse. Other characters are unchanged. (Katakana width changes are not done.)

import { FunctionArgumentType, FunctionPlugin } from 'hyperformula';

import { isError, toText } from './lib/text-args.mjs';

const ARG = { argumentType: FunctionArgumentType.NOERROR };

const toHalf = (t) =>
  t.replace(/[\uff01-\uff5e\u3000]/g, (c) => (c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0)));

const toFull = (t) =>
  t.replace(/[\u0020-\u007e]/g, (c) => (c === ' ' ? '\u3000' : String.fromCharCode(c.charCodeAt(0) + 0xfee0)));

class WidthPlugin extends FunctionPlugin {
  asc(ast, state) {
    return this.runFunction(ast.args, state, this.metadata('ASC'), (value) => {
      const t = toText(value);
      return isError(t) ? t : toHalf(t);
    });
  }

  dbcs(ast, state) {
    return this.runFunction(ast.args, state, this.metadata('DBCS'), (value) => {
      const t = toText(value);
      return isError(t) ? t : toFull(t);
    });
  }
}

WidthPlugin.implementedFunctions = {
  ASC: { method: 'asc', parameters: [ARG] },
  DBCS: { method: 'dbcs', parameters: [ARG] },
};

export default { plugin: WidthPlugin };
