// REGEXTEST, REGEXEXTRACT and REGEXREPLACE (Excel's PCRE2 regular expressions).
//
// HyperFormula has none of them. Excel: case_sensitivity 0 (default) matches case,
// 1 ignores it; REGEXEXTRACT return_mode 0 gives the first match (#N/A if none), 1 every
// match and 2 the capture groups of the first match, both as one row that spills;
// REGEXREPLACE replaces every match (occurrence 0), the n-th, or the n-th from the end
// when negative, with $1 / ${1} / $0 references. An invalid pattern or mode is #VALUE!.
// Patterns run on JS's engine after translating the PCRE-only spellings it lacks:
// (?i) at the start, \A, \Z, \z, (?P<name>...), possessive and atomic forms are not
// supported and give #VALUE!.

import { CellError, ErrorType, FunctionArgumentType, FunctionPlugin, SimpleRangeValue } from 'hyperformula';

import { isError, toNumber, toText, valueError } from './lib/text-args.mjs';
import { predictedSize } from './lib/text-static.mjs';

const ARG = { argumentType: FunctionArgumentType.NOERROR };
const OPTIONAL = { argumentType: FunctionArgumentType.NOERROR, optionalArg: true };

/** A JS RegExp for a PCRE pattern, or a #VALUE! error. */
function compile(pattern, ignoreCase) {
  let source = pattern;
  let flags = 'gu';
  const inline = /^\(\?([a-z]+)\)/.exec(source);
  if (inline) {
    if (/[^imsx]/.test(inline[1])) return valueError('Unsupported inline flag.');
    if (inline[1].includes('i')) ignoreCase = true;
    if (inline[1].includes('m')) flags += 'm';
    if (inline[1].includes('s')) flags += 's';
    if (inline[1].includes('x')) return valueError('Extended mode is not supported.');
    source = source.slice(inline[0].length);
  }
  source = source
    .replace(/\(\?P</g, '(?<')
    .replace(/(^|[^\\])\\A/g, '$1^')
    .replace(/(^|[^\\])\\[zZ]/g, '$1$');
  if (ignoreCase) flags += 'i';
  try {
    return new RegExp(source, flags);
  } catch {
    return valueError('Invalid regular expression.');
  }
}

/** The case flag argument: 0 or 1, or an error. */
function caseFlag(config, arg) {
  if (arg === undefined) return false;
  const n = toNumber(arg, config);
  if (isError(n)) return n;
  const f = Math.trunc(n);
  return f === 0 || f === 1 ? f === 1 : valueError('case_sensitivity must be 0 or 1.');
}

const row = (values) => (values.length === 1 ? values[0] : SimpleRangeValue.onlyValues([values]));

export function regexextract(config, text, pattern, modeArg, caseArg) {
  const [t, p] = [toText(text), toText(pattern)];
  if (isError(t)) return t;
  if (isError(p)) return p;
  const mode = modeArg === undefined ? 0 : toNumber(modeArg, config);
  if (isError(mode)) return mode;
  const ignore = caseFlag(config, caseArg);
  if (isError(ignore)) return ignore;
  const re = compile(p, ignore);
  if (isError(re)) return re;
  const notFound = () => new CellError(ErrorType.NA, 'No match.');
  switch (Math.trunc(mode)) {
    case 0: {
      const m = re.exec(t);
      return m ? m[0] : notFound();
    }
    case 1: {
      const all = [...t.matchAll(re)].map((m) => m[0]);
      return all.length ? row(all) : notFound();
    }
    case 2: {
      const m = re.exec(t);
      if (!m) return notFound();
      return m.length > 1 ? row(m.slice(1).map((g) => g ?? '')) : m[0];
    }
    default:
      return valueError('return_mode must be 0, 1 or 2.');
  }
}

class RegexPlugin extends FunctionPlugin {
  regextest(ast, state) {
    return this.runFunction(ast.args, state, this.metadata('REGEXTEST'), (text, pattern, caseArg) => {
      const [t, p] = [toText(text), toText(pattern)];
      if (isError(t)) return t;
      if (isError(p)) return p;
      const ignore = caseFlag(this.config, caseArg);
      if (isError(ignore)) return ignore;
      const re = compile(p, ignore);
      return isError(re) ? re : re.test(t);
    });
  }

  regexextract(ast, state) {
    return this.runFunction(ast.args, state, this.metadata('REGEXEXTRACT'), (...args) =>
      regexextract(this.config, ...args),
    );
  }

  regexextractArraySize(ast, state) {
    return predictedSize(this, ast, state, (values) => {
      if (values.some((v) => v instanceof CellError || v instanceof SimpleRangeValue)) return undefined;
      return regexextract(this.config, ...values);
    });
  }

  regexreplace(ast, state) {
    return this.runFunction(ast.args, state, this.metadata('REGEXREPLACE'), (text, pattern, replacement, occurrenceArg, caseArg) => {
      const [t, p, r] = [toText(text), toText(pattern), toText(replacement)];
      for (const v of [t, p, r]) if (isError(v)) return v;
      const occurrence = occurrenceArg === undefined ? 0 : toNumber(occurrenceArg, this.config);
      if (isError(occurrence)) return occurrence;
      const ignore = caseFlag(this.config, caseArg);
      if (isError(ignore)) return ignore;
      const re = compile(p, ignore);
      if (isError(re)) return re;
      // PCRE2 substitution: $n, ${n}, ${name}, $$; JS needs $& for the whole match.
      const js = r.replace(/\$(\$|\{(\w+)\}|(\d+))/g, (whole, _, braced, digits) => {
        if (whole === '$$') return '$$';
        const ref = braced ?? digits;
        if (ref === '0') return '$&';
        return /^\d+$/.test(ref) ? `$${ref}` : `$<${ref}>`;
      });
      const n = Math.trunc(occurrence);
      if (n === 0) return t.replace(re, js);
      const matches = [...t.matchAll(re)];
      const m = matches[n > 0 ? n - 1 : matches.length + n];
      if (!m) return t;
      const single = new RegExp(re.source, re.flags.replace('g', ''));
      return t.slice(0, m.index) + m[0].replace(single, js) + t.slice(m.index + m[0].length);
    });
  }
}

RegexPlugin.implementedFunctions = {
  REGEXTEST: { method: 'regextest', parameters: [ARG, ARG, OPTIONAL] },
  REGEXEXTRACT: {
    method: 'regexextract',
    parameters: [ARG, ARG, OPTIONAL, OPTIONAL],
    vectorizationForbidden: true,
    sizeOfResultArrayMethod: 'regexextractArraySize',
  },
  REGEXREPLACE: { method: 'regexreplace', parameters: [ARG, ARG, ARG, OPTIONAL, OPTIONAL] },
};

export default { plugin: RegexPlugin };
