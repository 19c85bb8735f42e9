// Excel's CONVERT units: every unit name, its category, its size in the
// category's base unit, and whether it takes a metric prefix ("km", "MWh").
//
// Sizes are the exact definitions (1 lbm = 453.59237 g, 1 ft = 0.3048 m,
// 1 gal = 231 in^3, 1 lbf = 1 lbm * 9.80665 m/s^2, ...) or the constants Excel
// documents (eV, u, BTU, parsec). Prefixes on a squared or cubed unit (km2,
// cm^3) scale as the square or cube; on "ar", "l" and "uk_pt" linearly.
// Measured in Excel 365: "Mmph", "Muk_pt", "Mu", "Mly", "Mpc" are accepted,
// "Mlbm", "Mpsi", "MTorr", "MHP", "Mflb", "Mha", "MC" are #N/A.

const IN = 0.0254;
const FT = 0.3048;
const YD = 0.9144;
const MI = 1609.344;
const NMI = 1852;
const LY = 9460730472580800;
const PICA_POINT = IN / 72;
const LBM = 453.59237; // g
const G0 = 9.80665;
const LBF = (LBM / 1000) * G0; // N
const FLB = LBF * FT; // J
const HP = 550 * FLB; // W
const GAL = 231 * IN ** 3; // m^3
const UK_GAL = 0.00454609;
const SURVEY_FT = 1200 / 3937;

/** [names, size, prefixes ('linear' | 'square' | 'cube' | false)] per category. */
const CATEGORIES = {
  mass: [
    [['g'], 1, 'linear'],
    [['sg'], (LBF / FT) * 1000, false],
    [['lbm'], LBM, false],
    [['u'], 1.660538782e-24, 'linear'],
    [['ozm'], LBM / 16, false],
    [['grain'], 0.06479891, false],
    [['cwt', 'shweight'], 100 * LBM, false],
    [['uk_cwt', 'lcwt', 'hweight'], 112 * LBM, false],
    [['stone'], 14 * LBM, false],
    [['ton'], 2000 * LBM, false],
    [['uk_ton', 'LTON', 'brton'], 2240 * LBM, false],
  ],
  distance: [
    [['m'], 1, 'linear'],
    [['mi'], MI, false],
    [['Nmi'], NMI, false],
    [['in'], IN, false],
    [['ft'], FT, false],
    [['yd'], YD, false],
    [['ang'], 1e-10, 'linear'],
    [['ell'], 45 * IN, false],
    [['ly'], LY, 'linear'],
    [['parsec', 'pc'], 3.08567758128155e16, 'linear'],
    [['Picapt', 'Pica'], PICA_POINT, false],
    [['pica'], IN / 6, false],
    [['survey_mi'], 5280 * SURVEY_FT, false],
  ],
  time: [
    [['yr'], 365.25 * 86400, false],
    [['day', 'd'], 86400, false],
    [['hr'], 3600, false],
    [['mn', 'min'], 60, false],
    [['sec', 's'], 1, 'linear'],
  ],
  pressure: [
    [['Pa', 'p'], 1, 'linear'],
    [['atm', 'at'], 101325, 'linear'],
    [['mmHg'], 133.322, 'linear'],
    [['psi'], LBF / IN ** 2, false],
    [['Torr'], 101325 / 760, false],
  ],
  force: [
    [['N'], 1, 'linear'],
    [['dyn', 'dy'], 1e-5, 'linear'],
    [['lbf'], LBF, false],
    [['pond'], G0 / 1000, 'linear'],
  ],
  energy: [
    [['J'], 1, 'linear'],
    [['e'], 1e-7, 'linear'],
    [['c'], 4.184, 'linear'],
    [['cal'], 4.1868, 'linear'],
    [['eV', 'ev'], 1.602176487e-19, 'linear'],
    [['HPh', 'hh'], HP * 3600, false],
    [['Wh', 'wh'], 3600, 'linear'],
    [['flb'], FLB, false],
    [['BTU', 'btu'], 1055.05585262, false],
  ],
  power: [
    [['HP', 'h'], HP, false],
    [['PS'], 735.49875, false],
    [['W', 'w'], 1, 'linear'],
  ],
  magnetism: [
    [['T'], 1, 'linear'],
    [['ga'], 1e-4, 'linear'],
  ],
  temperature: [
    [['C', 'cel'], 'C', false],
    [['F', 'fah'], 'F', false],
    [['K', 'kel'], 'K', 'linear'],
    [['Rank'], 'Rank', false],
    [['Reau'], 'Reau', false],
  ],
  volume: [
    [['tsp'], GAL / 768, false],
    [['tspm'], 5e-6, false],
    [['tbs'], GAL / 256, false],
    [['oz'], GAL / 128, false],
    [['cup'], GAL / 16, false],
    [['pt', 'us_pt'], GAL / 8, false],
    [['uk_pt'], UK_GAL / 8, 'linear'],
    [['qt'], GAL / 4, false],
    [['uk_qt'], UK_GAL / 4, false],
    [['gal'], GAL, false],
    [['uk_gal'], UK_GAL, false],
    [['l', 'L', 'lt'], 1e-3, 'linear'],
    [['ang3', 'ang^3'], 1e-30, 'cube'],
    [['barrel'], 42 * GAL, false],
    [['bushel'], 2150.42 * IN ** 3, false],
    [['ft3', 'ft^3'], FT ** 3, false],
    [['in3', 'in^3'], IN ** 3, false],
    [['ly3', 'ly^3'], LY ** 3, false],
    [['m3', 'm^3'], 1, 'cube'],
    [['mi3', 'mi^3'], MI ** 3, false],
    [['yd3', 'yd^3'], YD ** 3, false],
    [['Nmi3', 'Nmi^3'], NMI ** 3, false],
    [['Picapt3', 'Picapt^3', 'Pica3', 'Pica^3'], PICA_POINT ** 3, false],
    [['GRT', 'regton'], 100 * FT ** 3, false],
    [['MTON'], 40 * FT ** 3, false],
  ],
  area: [
    [['uk_acre'], 43560 * FT ** 2, false],
    [['us_acre'], 43560 * SURVEY_FT ** 2, false],
    [['ang2', 'ang^2'], 1e-20, 'square'],
    [['ar'], 100, 'linear'],
    [['ft2', 'ft^2'], FT ** 2, false],
    [['ha'], 1e4, false],
    [['in2', 'in^2'], IN ** 2, false],
    [['ly2', 'ly^2'], LY ** 2, false],
    [['m2', 'm^2'], 1, 'square'],
    [['Morgen'], 2500, false],
    [['mi2', 'mi^2'], MI ** 2, false],
    [['Nmi2', 'Nmi^2'], NMI ** 2, false],
    [['Picapt2', 'Pica2', 'Pica^2', 'Picapt^2'], PICA_POINT ** 2, false],
    [['yd2', 'yd^2'], YD ** 2, false],
  ],
  information: [
    [['bit'], 1, 'linear'],
    [['byte'], 8, 'linear'],
  ],
  speed: [
    [['admkn'], (6080 * FT) / 3600, false],
    [['kn'], NMI / 3600, false],
    [['m/h', 'm/hr'], 1 / 3600, 'linear'],
    [['m/s', 'm/sec'], 1, 'linear'],
    [['mph'], MI / 3600, 'linear'],
  ],
};

const DECIMAL_PREFIXES = {
  Y: 1e24, Z: 1e21, E: 1e18, P: 1e15, T: 1e12, G: 1e9, M: 1e6, k: 1e3, h: 1e2, da: 1e1, e: 1e1,
  d: 1e-1, c: 1e-2, m: 1e-3, u: 1e-6, n: 1e-9, p: 1e-12, f: 1e-15, a: 1e-18, z: 1e-21, y: 1e-24,
};
// Binary prefixes, for bits and bytes only.
const BINARY_PREFIXES = { Yi: 2 ** 80, Zi: 2 ** 70, Ei: 2 ** 60, Pi: 2 ** 50, Ti: 2 ** 40, Gi: 2 ** 30, Mi: 2 ** 20, ki: 2 ** 10 };

const UNITS = new Map();
for (const [category, units] of Object.entries(CATEGORIES)) {
  for (const [names, size, prefixes] of units) {
    for (const name of names) UNITS.set(name, { category, size, prefixes, name: names[0] });
  }
}

const POWERS = { linear: 1, square: 2, cube: 3 };

/**
 * The unit a CONVERT unit text names: { category, size, name, scale }, scale
 * being the prefix's factor (1 without one); undefined when Excel knows no such
 * unit. An exact unit name wins over a prefix reading ("pc" is parsec, not
 * pico-calorie).
 */
export function findUnit(text) {
  const exact = UNITS.get(text);
  if (exact) return { ...exact, scale: 1 };
  for (const [prefixes, binary] of [
    [DECIMAL_PREFIXES, false],
    [BINARY_PREFIXES, true],
  ]) {
    for (const [prefix, factor] of Object.entries(prefixes)) {
      if (!text.startsWith(prefix)) continue;
      const unit = UNITS.get(text.slice(prefix.length));
      if (!unit || !unit.prefixes || (binary && unit.category !== 'information')) continue;
      return { ...unit, scale: factor ** POWERS[unit.prefixes] };
    }
  }
  return undefined;
}

/** Temperature in kelvin from a value in a temperature unit, and back. */
const TO_KELVIN = {
  C: (t) => t + 273.15,
  F: (t) => ((t - 32) * 5) / 9 + 273.15,
  K: (t) => t,
  Rank: (t) => (t * 5) / 9,
  Reau: (t) => t * 1.25 + 273.15,
};
const FROM_KELVIN = {
  C: (k) => k - 273.15,
  F: (k) => ((k - 273.15) * 9) / 5 + 32,
  K: (k) => k,
  Rank: (k) => (k * 9) / 5,
  Reau: (k) => (k - 273.15) * 0.8,
};

/** value converted between two units found by findUnit (same category). */
export function convertUnits(value, from, to) {
  if (from.category === 'temperature') {
    return FROM_KELVIN[to.size](TO_KELVIN[from.size](value * from.scale)) / to.scale;
  }
  return (value * from.size * from.scale) / (to.size * to.scale);
}
