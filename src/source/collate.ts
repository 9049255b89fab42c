// String order as `a.localeCompare(b)` gives it, without its first-call cost where that is known.
// The first localeCompare of a process builds ICU's collator for the default locale (about 10 ms of
// a run that sorts a few coverage entries by function name). For identifiers of ASCII letters and
// digits only, under a default locale whose collation leaves them as the CLDR root collation orders
// them (English and C/POSIX, which Node maps to en-US), the order is computed here: digits before
// letters, letters alphabetically whatever their case, then, between strings equal but for case,
// lower case first at the first difference (Unicode Technical Standard #10, tertiary level;
// https://www.unicode.org/reports/tr10/). Anything else, and any other locale, asks localeCompare.
// test/collate.test.ts checks the two agree.

const IDENTIFIER = /^[A-Za-z0-9]*$/;

let rootOrder: boolean | undefined;

/**
 * Whether the process's default collation is the root one for ASCII letters and digits: the locale
 * ICU takes from the environment (LC_ALL, then LC_MESSAGES, then LANG; unset, C and POSIX are
 * en-US) is English.
 */
function defaultIsRoot(): boolean {
  if (rootOrder === undefined) {
    const env = process.env;
    const name = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
    const lang = name.split(/[._@]/)[0];
    rootOrder = typeof Intl === 'object' && (lang === '' || lang === 'C' || lang === 'POSIX' || /^en(-|$)/.test(lang));
  }
  return rootOrder;
}

/** A character's primary weight among [0-9A-Za-z]: digits first, then letters whatever their case. */
function primary(code: number): number {
  if (code <= 57) return code - 48; // 0-9
  return 10 + ((code | 32) - 97); // A-Z, a-z
}

/** `a.localeCompare(b)`'s sign, for strings of ASCII letters and digits. */
function compareIdentifiers(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const pa = primary(a.charCodeAt(i));
    const pb = primary(b.charCodeAt(i));
    if (pa !== pb) return pa < pb ? -1 : 1;
  }
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  // Equal but for case: lower case first at the first difference.
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca !== cb) return ca > cb ? -1 : 1;
  }
  return 0;
}

/** Sorts as `a.localeCompare(b)` does in this process (its sign). */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  if (defaultIsRoot() && IDENTIFIER.test(a) && IDENTIFIER.test(b)) return compareIdentifiers(a, b);
  return a.localeCompare(b);
}
