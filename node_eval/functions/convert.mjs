// CONVERT(number, from_unit, to_unit), which HyperFormula lacks, as Excel
// computes it: every unit of Excel's list with its metric prefixes (and binary
// prefixes ki..Yi for bits and bytes), see lib/math-units.mjs. Unit names are
// case-sensitive; an unknown unit, a prefix on a unit that takes none, or units
// of different categories give #N/A. The number is converted as Excel converts a
// numeric argument ("" and other text #VALUE!); a unit that is not text is #N/A.

import { CellError, ErrorType } from 'hyperformula';

import { finite, toNumber } from './lib/math-coerce.mjs';
import { numericPlugin } from './lib/math-plugin.mjs';
import { convertUnits, findUnit } from './lib/math-units.mjs';

function convert(value, fromText, toText) {
  const number = toNumber(this, value);
  if (number instanceof CellError) return number;
  for (const unit of [fromText, toText]) {
    if (unit instanceof CellError) return unit;
  }
  const notFound = (text) => new CellError(ErrorType.NA, `Unknown unit ${JSON.stringify(String(text))}.`);
  const from = typeof fromText === 'string' ? findUnit(fromText) : undefined;
  if (!from) return notFound(fromText);
  const to = typeof toText === 'string' ? findUnit(toText) : undefined;
  if (!to) return notFound(toText);
  if (from.category !== to.category) {
    return new CellError(ErrorType.NA, `Cannot convert ${from.category} to ${to.category}.`);
  }
  return finite(convertUnits(number, from, to));
}

const ConvertPlugin = numericPlugin('ConvertPlugin', {
  CONVERT: { fn: convert, required: 3, raw: true },
});

export default { plugin: ConvertPlugin };
