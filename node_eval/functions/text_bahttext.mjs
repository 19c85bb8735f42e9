// BAHTTEXT(number): a number as Thai words for an amount of baht.
//
// HyperFormula has no BAHTTEXT. Excel rounds to satang (2 decimals), writes the baht
// part with Thai digit and place words (สิบ for 1 in the tens place, ยี่สิบ for 2,
// เอ็ด for a final 1 after higher digits, ล้าน for each million), then "บาท" and
// "ถ้วน" (exactly) or the satang and "สตางค์"; negatives start with "ลบ"; zero is
// "ศูนย์บาทถ้วน".

import { FunctionArgumentType, FunctionPlugin } from 'hyperformula';

import { isError, toNumber } from './lib/text-args.mjs';
import { roundDecimal } from './lib/text-general.mjs';

const ARG = { argumentType: FunctionArgumentType.NOERROR };

const DIGITS = ['', 'หนึ่ง', 'สอง', 'สาม', 'สี่', 'ห้า', 'หก', 'เจ็ด', 'แปด', 'เก้า'];
const PLACES = ['', 'สิบ', 'ร้อย', 'พัน', 'หมื่น', 'แสน'];

/** Thai words for a whole number given as decimal digits (no leading zeros); '' for 0. */
function words(digits) {
  if (digits.length > 6) {
    const high = words(digits.slice(0, -6));
    const low = digits.slice(-6).replace(/^0+/, '');
    return `${high}ล้าน${low ? words(low) : ''}`.replace(/ล้านหนึ่ง$/, 'ล้านเอ็ด');
  }
  let out = '';
  const n = digits.length;
  for (let i = 0; i < n; i++) {
    const d = Number(digits[i]);
    const place = n - 1 - i;
    if (d === 0) continue;
    if (place === 1 && d === 1) out += 'สิบ';
    else if (place === 1 && d === 2) out += 'ยี่สิบ';
    else if (place === 0 && d === 1 && n > 1) out += 'เอ็ด';
    else out += DIGITS[d] + PLACES[place];
  }
  return out;
}

class BahtTextPlugin extends FunctionPlugin {
  bahttext(ast, state) {
    return this.runFunction(ast.args, state, this.metadata('BAHTTEXT'), (value) => {
      const n = toNumber(value, this.config);
      if (isError(n)) return n;
      const { int, frac } = roundDecimal(Math.abs(n), 2);
      const baht = words(int);
      const satang = words(frac.replace(/^0+/, ''));
      if (!baht && !satang) return 'ศูนย์บาทถ้วน';
      const sign = n < 0 ? 'ลบ' : '';
      return sign + (baht ? `${baht}บาท` : '') + (satang ? `${satang}สตางค์` : 'ถ้วน');
    });
  }
}

BahtTextPlugin.implementedFunctions = {
  BAHTTEXT: { method: 'bahttext', parameters: [ARG] },
};

export default { plugin: BahtTextPlugin };
