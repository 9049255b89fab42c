// compareText (src/source/collate.ts) sorts as localeCompare does in this process: its own order for
// ASCII identifiers under an English or C default locale, localeCompare's for anything else.
import { describe, expect, it } from 'vitest';
import { compareText } from '../src/source/collate.js';

const sign = (n: number) => Math.sign(n);

/** A small seeded generator (mulberry32), so that every run checks the same strings. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('compareText', () => {
  it('orders every pair of ASCII letters and digits, and strings that differ in case or length, as localeCompare does', () => {
    const chars = [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'];
    const strings = [
      '',
      ...chars,
      ...chars.flatMap((c) => [`${c}a`, `a${c}`, `${c}A`, `${c}0`]),
      'Fn1x',
      'fn1x',
      'FN1X',
      'Fn1X',
      'LocalCode',
      'localcode',
      'Localcode',
      'ReservedEnv',
      'NodeWithSnapStart',
      'TextLogLevel',
      'TextAppLogLevel',
      'abc',
      'abcd',
      'ABC',
      'aBc',
      'AbC',
      'a1b2',
      'a12b',
      'Function10',
      'Function9',
    ];
    for (const a of strings)
      for (const b of strings) expect(sign(compareText(a, b)), `${a} vs ${b}`).toBe(sign(a.localeCompare(b)));
  });

  it('agrees with localeCompare on random identifiers (mostly equal but for case), and on other strings', () => {
    const next = random(18);
    const pick = (s: string) => s[Math.floor(next() * s.length)];
    const alnum = 'aAbBzZ09x1XmM';
    const others = 'aA -_.:/éß0';
    for (let i = 0; i < 20000; i++) {
      const set = i % 4 === 0 ? others : alnum;
      const len = 1 + Math.floor(next() * 6);
      let a = '';
      for (let k = 0; k < len; k++) a += pick(set);
      // Half the time b is a with one character's case flipped, else with one character changed.
      let b: string;
      const at = Math.floor(next() * a.length);
      if (next() < 0.5)
        b =
          a.slice(0, at) +
          (a[at] === a[at].toUpperCase() ? a[at].toLowerCase() : a[at].toUpperCase()) +
          a.slice(at + 1);
      else b = a.slice(0, at) + pick(set) + a.slice(at + 1) + (next() < 0.3 ? pick(set) : '');
      expect(sign(compareText(a, b)), `${a} vs ${b}`).toBe(sign(a.localeCompare(b)));
    }
  });
});
