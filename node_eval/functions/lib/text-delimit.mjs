// Delimiter matching shared by TEXTBEFORE, TEXTAFTER and TEXTSPLIT.

/** A text as compared under match_mode (1 = ignore case), same length as the text. */
export function folded(text, ignoreCase) {
  if (!ignoreCase) return text;
  return text.replace(/[\s\S]/gu, (c) => {
    const l = c.toLowerCase();
    return l.length === c.length ? l : c;
  });
}

/** The first match of any delimiter at or after `from`: {at, length}, longest on a tie. */
export function firstMatch(text, delimiters, from) {
  let best;
  for (const d of delimiters) {
    const at = text.indexOf(d, from);
    if (at >= 0 && (!best || at < best.at || (at === best.at && d.length > best.length))) {
      best = { at, length: d.length };
    }
  }
  return best;
}

/** The last match of any delimiter ending at or before `end`: {at, length}. */
export function lastMatch(text, delimiters, end) {
  let best;
  for (const d of delimiters) {
    if (d.length > end) continue;
    const at = text.lastIndexOf(d, end - d.length);
    if (at >= 0 && (!best || at > best.at || (at === best.at && d.length > best.length))) {
      best = { at, length: d.length };
    }
  }
  return best;
}

/** Split a text at every match of any delimiter (none: the text itself). */
export function splitAll(text, delimiters, ignoreCase) {
  if (delimiters.length === 0) return [text];
  const hay = folded(text, ignoreCase);
  const keys = delimiters.map((d) => folded(d, ignoreCase));
  const parts = [];
  let from = 0;
  for (;;) {
    const m = firstMatch(hay, keys, from);
    if (!m) break;
    parts.push(text.slice(from, m.at));
    from = m.at + m.length;
  }
  parts.push(text.slice(from));
  return parts;
}
