// COMPLEX and the IM* functions as Excel computes them: IMREAL, IMAGINARY,
// IMABS, IMARGUMENT, IMCONJUGATE, IMSUM, IMSUB, IMPRODUCT, IMDIV, IMPOWER,
// IMSQRT, IMEXP, IMLN, IMLOG10, IMLOG2, IMSIN, IMCOS, IMTAN, IMCOT, IMSEC,
// IMCSC, IMSINH, IMCOSH, IMSECH, IMCSCH.
//
// Replaces HyperFormula's built-ins, which differ from Excel in reading and
// writing complex text (lib/math-complex.mjs): COMPLEX(1.23, 9.5121, "") and
// COMPLEX(x, y, empty cell) are "1.23+9.5121i" in Excel (HyperFormula: #VALUE!),
// parts are written with 15 significant digits ("1E-20", "0.00012+1.23456789i"),
// and the suffix of the input ("j") carries to the result.
// Errors: text that is not a complex number is #NUM!, a logical value #VALUE!,
// mixed suffixes #VALUE!, IMARGUMENT(0) #DIV/0!, IMLN/IMLOG*(0), IMCOT, IMCSC,
// IMCSCH of 0 and division by 0 #NUM!.

import { CellError, EmptyValue, ErrorType, FunctionArgumentType, SimpleRangeValue } from 'hyperformula';

import { finite, toNumbers } from './lib/math-coerce.mjs';
import * as C from './lib/math-complex.mjs';
import { numericPlugin } from './lib/math-plugin.mjs';

const undefinedAt = (name) => new CellError(ErrorType.NUM, `${name} is not defined there.`);

/** A unary function: parse, compute (a complex or a CellError), format with the input's suffix. */
function unaryComplex(compute) {
  return {
    fn(value) {
      const z = C.toComplex(value);
      if (z instanceof CellError) return z;
      const result = compute(z);
      return result instanceof CellError ? result : C.formatComplex(result, z.suffix);
    },
    raw: true,
  };
}

/** A unary function with a real result. */
function unaryReal(compute) {
  return {
    fn(value) {
      const z = C.toComplex(value);
      return z instanceof CellError ? z : finite(compute(z));
    },
    raw: true,
  };
}

/** quotient = a / b, #NUM! when b is 0. */
function quotient(a, b, name) {
  return C.isZero(b) ? undefinedAt(name) : C.div(a, b);
}

function logarithm(base) {
  return (z) => {
    if (C.isZero(z)) return undefinedAt('The logarithm');
    const l = C.ln(z);
    return base === undefined ? l : { re: l.re / Math.log(base), im: l.im / Math.log(base) };
  };
}

function complex(real, imaginary, suffix) {
  const parts = toNumbers(this, [real, imaginary], { booleans: false });
  if (parts instanceof CellError) return parts;
  if (suffix instanceof CellError) return suffix;
  // An omitted suffix, an empty cell and "" all mean "i".
  const letter = suffix === undefined || suffix === EmptyValue || suffix === '' ? 'i' : suffix;
  if (letter !== 'i' && letter !== 'j') return new CellError(ErrorType.VALUE, 'The suffix must be "i" or "j".');
  return C.formatComplex({ re: parts[0], im: parts[1] }, letter);
}

/** Two complex arguments, a complex result with their common suffix. */
function binary(compute) {
  return {
    fn(first, second) {
      const a = C.toComplex(first);
      if (a instanceof CellError) return a;
      const b = C.toComplex(second);
      if (b instanceof CellError) return b;
      const suffix = C.commonSuffix([a, b]);
      if (suffix instanceof CellError) return suffix;
      const result = compute(a, b);
      return result instanceof CellError ? result : C.formatComplex(result, suffix);
    },
    required: 2,
    raw: true,
  };
}

function impower(value, exponent) {
  const z = C.toComplex(value);
  if (z instanceof CellError) return z;
  const n = toNumbers(this, [exponent], { booleans: false });
  if (n instanceof CellError) return n;
  if (C.isZero(z)) return n[0] > 0 ? '0' : undefinedAt('IMPOWER');
  return C.formatComplex(C.pow(z, n[0]), z.suffix);
}

const ComplexPlugin = numericPlugin('ComplexPlugin', {
  COMPLEX: { fn: complex, required: 2, optional: 1, raw: true },
  IMREAL: unaryReal((z) => z.re),
  IMAGINARY: unaryReal((z) => z.im),
  IMABS: unaryReal(C.abs),
  IMARGUMENT: {
    fn(value) {
      const z = C.toComplex(value);
      if (z instanceof CellError) return z;
      return C.isZero(z) ? new CellError(ErrorType.DIV_BY_ZERO, 'IMARGUMENT of 0.') : C.arg(z);
    },
    raw: true,
  },
  IMCONJUGATE: unaryComplex((z) => ({ re: z.re, im: -z.im })),
  IMSQRT: unaryComplex((z) => {
    const r = Math.sqrt(C.abs(z));
    const theta = C.arg(z) / 2;
    return { re: r * Math.cos(theta), im: r * Math.sin(theta) };
  }),
  IMEXP: unaryComplex(C.exp),
  IMLN: unaryComplex(logarithm()),
  IMLOG10: unaryComplex(logarithm(10)),
  IMLOG2: unaryComplex(logarithm(2)),
  IMSIN: unaryComplex(C.sin),
  IMCOS: unaryComplex(C.cos),
  // tan(a+bi) = (sin 2a + i sinh 2b) / (cos 2a + cosh 2b), cot likewise, with
  // the denominators written as 2(cos^2 a + sinh^2 b) and 2(sin^2 a + sinh^2 b):
  // no cancellation for a large b nor for a tiny argument (IMCOT(1E-16) = 1E16).
  IMTAN: unaryComplex((z) => {
    const d = 2 * (Math.cos(z.re) ** 2 + Math.sinh(z.im) ** 2);
    return d === 0 ? undefinedAt('IMTAN') : { re: Math.sin(2 * z.re) / d, im: Math.sinh(2 * z.im) / d };
  }),
  IMCOT: unaryComplex((z) => {
    const d = 2 * (Math.sin(z.re) ** 2 + Math.sinh(z.im) ** 2);
    return d === 0 ? undefinedAt('IMCOT') : { re: Math.sin(2 * z.re) / d, im: -Math.sinh(2 * z.im) / d };
  }),
  IMSEC: unaryComplex((z) => quotient({ re: 1, im: 0 }, C.cos(z), 'IMSEC')),
  IMCSC: unaryComplex((z) => quotient({ re: 1, im: 0 }, C.sin(z), 'IMCSC')),
  IMSINH: unaryComplex(C.sinh),
  IMCOSH: unaryComplex(C.cosh),
  IMSECH: unaryComplex((z) => quotient({ re: 1, im: 0 }, C.cosh(z), 'IMSECH')),
  IMCSCH: unaryComplex((z) => quotient({ re: 1, im: 0 }, C.sinh(z), 'IMCSCH')),
  IMSUB: binary(C.sub),
  IMDIV: binary((a, b) => quotient(a, b, 'IMDIV')),
  IMPOWER: { fn: impower, required: 2, raw: true },
});

/** IMSUM and IMPRODUCT take any number of complex numbers, ranges included. */
const FOLDS = { IMSUM: [C.add, { re: 0, im: 0 }], IMPRODUCT: [C.mul, { re: 1, im: 0 }] };

for (const [id, [combine, start]] of Object.entries(FOLDS)) {
  const method = `fn_${id}`;
  ComplexPlugin.prototype[method] = function fold(ast, state) {
    const numbers = [];
    for (const argument of ast.args) {
      const value = this.evaluateAst(argument, state);
      const values = value instanceof SimpleRangeValue ? [...value.valuesFromTopLeftCorner()] : [value];
      for (const item of values) {
        const z = C.toComplex(item);
        if (z instanceof CellError) return z;
        numbers.push(z);
      }
    }
    const suffix = C.commonSuffix(numbers);
    if (suffix instanceof CellError) return suffix;
    return C.formatComplex(numbers.reduce(combine, start), suffix);
  };
  ComplexPlugin.implementedFunctions[id] = {
    method,
    parameters: [{ argumentType: FunctionArgumentType.ANY }],
    repeatLastArgs: 1,
  };
}

export default { plugin: ComplexPlugin };
