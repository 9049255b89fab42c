// A bound on how deeply a JavaScript / TypeScript file nests, measured before the file reaches
// oxc-parser. oxc's parser and serializer recurse on the native stack without a guard: a file with a
// few thousand nested brackets, template substitutions, ternaries or arrow functions overflows it,
// and a native stack overflow kills the whole process, where no try/catch can see it (upstream:
// oxc-project/oxc#24375, open; measured here on oxc-parser 0.159 with an 8 MB stack: `(` ×5,900,
// `${` ×4,100, `Array<` ×4,300, `a?b:` ×8,600, `()=>` ×8,600, `if(a)` ×6,700, `!` ×29,000,
// `a+` ×63,000). Files over the bound are not parsed; the handler is reported as not checked.
//
// The measure is a light tokenizer (comments, strings, template literals and regular expressions
// are skipped, so brackets inside them do not count): every opening bracket and every token that
// can open a nested construct (`?`, `=>`, `=`, `<`, `!`, `~`, keywords such as `if` and `new`)
// adds one level to the current statement, a label's or key's `:` a quarter, a binary operator an
// eighth and a postfix step (`.b`, `()`, `[0]`, a template) a sixteenth (their chains recurse with
// smaller frames); a closing bracket returns to the level of its opening one, and `;`, `,` or a
// line break that ends a statement starts again. Real code, minified bundles included, stays far
// below the bound (at most ~160 over the 3,500 JavaScript and TypeScript files of this project's
// node_modules).

/** Levels lambdalint accepts: a quarter of the shallowest crash above, on an 8 MB stack. */
export const MAX_NESTING = 1000;

/**
 * Levels are counted in sixteenths, as integers: a fraction held in a variable is a heap-allocated
 * number wherever the scan runs unoptimized (every handler file is scanned once, most before V8
 * optimizes the loop), 33 MB of garbage on the 2,000-function bench project; small integers are
 * not allocated.
 */
const UNIT = 16;

/** Words that open a nested construct (1), or continue a chain that recurses with small frames (in sixteenths). */
const WORD_WEIGHT = new Map<string, number>([
  ...[
    'if',
    'else',
    'for',
    'while',
    'do',
    'with',
    'new',
    'typeof',
    'void',
    'delete',
    'await',
    'yield',
    'return',
    'throw',
    'keyof',
    'extends',
  ].map((w): [string, number] => [w, UNIT]),
  ...['in', 'of', 'instanceof'].map((w): [string, number] => [w, UNIT / 8]),
  ...['as', 'satisfies'].map((w): [string, number] => [w, UNIT / 16]),
]);
/** Words whose parenthesised head is followed by the rest of their statement. */
const CONTROL_KEYWORDS = new Set(['if', 'for', 'while', 'with']);
/** After these words a `/` starts a regular expression, not a division. */
const BEFORE_REGEX = new Set([
  'return',
  'typeof',
  'case',
  'do',
  'else',
  'in',
  'of',
  'new',
  'delete',
  'void',
  'throw',
  'yield',
  'await',
  'instanceof',
]);

/**
 * The words above by length and first letter: a word is looked up only when one of them has its
 * length and first letter (most identifiers are not sliced out of the text at all).
 */
const CANDIDATES = new Set(
  [...WORD_WEIGHT.keys(), ...CONTROL_KEYWORDS, ...BEFORE_REGEX].map((w) => w.length * 128 + w.charCodeAt(0)),
);

const isIdentChar = (c: number): boolean =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 36 || c === 95 || c > 127;

/**
 * Skips a template literal's text from i (after the backtick or a closing `}`): where it stopped,
 * after the closing backtick or at the end of the text, or, after a `${`, that position's
 * complement (~position, negative).
 */
function templateText(text: string, i: number): number {
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 92)
      i += 2; // backslash
    else if (c === 96)
      return i + 1; // closing backtick: back to code
    else if (c === 36 && text.charCodeAt(i + 1) === 123) return ~(i + 2);
    else i++;
  }
  return n;
}

/**
 * The open brackets, innermost last: for each, the level to return to, whether it is a template's
 * `${`, its opening character, and whether it is a `(` after `if` / `for` / `while` / `with`.
 */
interface Brackets {
  bases: number[];
  templ: boolean[];
  opener: number[];
  control: boolean[];
}

function openBracket(b: Brackets, level: number, opener: number, templ: boolean, control: boolean): void {
  b.bases.push(level);
  b.templ.push(templ);
  b.opener.push(opener);
  b.control.push(control);
}

/**
 * The deepest nesting of `text` by the measure above; stops counting (and returns) as soon as it
 * passes `limit`.
 */
export function nestingDepth(text: string, limit = MAX_NESTING): number {
  const n = text.length;
  const bound = limit * UNIT;
  const open: Brackets = { bases: [], templ: [], opener: [], control: [] };
  const { bases, templ, opener, control } = open;
  let lastWord = '';
  let afterControlParen = false;
  let level = 0;
  let max = 0;
  // What came before, to tell a regular expression from a division: true after an operand.
  let afterOperand = false;
  // The counting is written out in the loop (no closures over its variables: they stay in registers).
  let i = 0;
  while (i < n && max <= bound) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      // A line break after an operand, before a word or a literal, at the top level or in a block:
      // a statement ends there without a semicolon (`a = b⏎c = d`). Not after `if (x)` /
      // `for (...)` / `while (x)`, whose statement goes on, nor before an operator.
      const inBlock = bases.length === 0 || (opener[opener.length - 1] === 123 && !templ[templ.length - 1]);
      if (afterOperand && !afterControlParen && inBlock) {
        let j = i + 1;
        while (
          j < n &&
          (text.charCodeAt(j) === 32 ||
            text.charCodeAt(j) === 9 ||
            text.charCodeAt(j) === 13 ||
            text.charCodeAt(j) === 10)
        )
          j++;
        const d = text.charCodeAt(j);
        if (isIdentChar(d) || d === 39 || d === 34 || d === 96)
          level = bases.length ? bases[bases.length - 1] + UNIT : 0;
      }
      i++;
      continue;
    }
    if (c === 32 || c === 9 || c === 13) {
      i++;
      continue;
    }
    if (c === 47 && text.charCodeAt(i + 1) === 47) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? n : end; // the line break itself is looked at above
      continue;
    }
    if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
      continue;
    }
    // Every other character starts a token: what came just before is no longer a word or `if (...)`.
    const prevWord = lastWord;
    lastWord = '';
    afterControlParen = false;
    if (c === 47) {
      if (!afterOperand) {
        // A regular expression: to the closing slash outside a character class.
        let j = i + 1;
        let inClass = false;
        while (j < n) {
          const e = text.charCodeAt(j);
          if (e === 92) j += 2;
          else if (e === 10) break;
          else {
            if (e === 91) inClass = true;
            else if (e === 93) inClass = false;
            else if (e === 47 && !inClass) break;
            j++;
          }
        }
        i = j + 1;
        while (i < n && isIdentChar(text.charCodeAt(i))) i++; // flags
        afterOperand = true;
        continue;
      }
      level += UNIT / 8;
      if (level > max) max = level;
      i += text.charCodeAt(i + 1) === 61 ? 2 : 1;
      afterOperand = false;
      continue;
    }
    if (c === 39 || c === 34) {
      // A string literal, to its closing quote (or the end of the line, if unterminated).
      let j = i + 1;
      while (j < n) {
        const e = text.charCodeAt(j);
        if (e === 92) j += 2;
        else if (e === c || e === 10) break;
        else j++;
      }
      i = j + 1;
      afterOperand = true;
      continue;
    }
    if (c === 96) {
      level += UNIT / 16; // tagged templates chain: a`x``y`
      if (level > max) max = level;
      i = templateText(text, i + 1);
      if (i < 0) {
        // `${`: a bracket of its own.
        i = ~i;
        openBracket(open, level, 123, true, false);
        level += UNIT;
        if (level > max) max = level;
      }
      afterOperand = true;
      continue;
    }
    if (isIdentChar(c)) {
      let j = i + 1;
      while (j < n && isIdentChar(text.charCodeAt(j))) j++;
      if (CANDIDATES.has((j - i) * 128 + c)) {
        const word = text.slice(i, j);
        const w = WORD_WEIGHT.get(word);
        if (w) {
          level += w;
          if (level > max) max = level;
        }
        afterOperand = !BEFORE_REGEX.has(word);
        lastWord = word;
      } else {
        // No word above: an operand, and no keyword for the next token to look back at.
        afterOperand = true;
        lastWord = '';
      }
      i = j;
      continue;
    }
    switch (c) {
      case 40: // (
      case 91: // [
      case 123: // {
        openBracket(open, level, c, false, c === 40 && CONTROL_KEYWORDS.has(prevWord));
        level += UNIT;
        if (level > max) max = level;
        afterOperand = false;
        i++;
        continue;
      case 41: // )
      case 93: // ]
      case 125: {
        // }
        const wasTemplate = templ.pop() ?? false;
        level = bases.pop() ?? 0;
        opener.pop();
        afterControlParen = control.pop() ?? false;
        // `f()()`, `a[0][0]`, `T[][]`: postfix chains recurse too, with small frames.
        if (c !== 125) {
          level += UNIT / 16;
          if (level > max) max = level;
        }
        i++;
        if (c === 125 && wasTemplate) {
          i = templateText(text, i);
          if (i < 0) {
            // Another `${` in the same template.
            i = ~i;
            openBracket(open, level, 123, true, false);
            level += UNIT;
            if (level > max) max = level;
          }
        }
        afterOperand = true;
        continue;
      }
      case 59: // ;
      case 44: // ,
        level = bases.length ? bases[bases.length - 1] + UNIT : 0;
        afterOperand = false;
        i++;
        continue;
      case 46: // .  (member chains recurse with small frames)
        level += UNIT / 16;
        if (level > max) max = level;
        afterOperand = false;
        i++;
        continue;
      case 63: // ?  (optional chaining `?.` and `??` are not nesting)
      case 61: // =  `=>`, `==`, `===` or an assignment
      case 60: // <  (a type argument list, or `<=` / `<<` / a comparison)
      case 33: {
        // !  (`!=` and `!==` are comparisons)
        // The operator's length and how many levels it nests: one character nesting one level,
        // unless the next character makes it one of the operators below.
        const d = text.charCodeAt(i + 1);
        let weight = UNIT;
        let length = 1;
        if (c === 63) {
          const digit = text.charCodeAt(i + 2) >= 48 && text.charCodeAt(i + 2) <= 57;
          if (d === 46 && !digit) {
            weight = 0;
            length = 2;
          } else if (d === 63) {
            weight = UNIT / 8;
            length = 2;
          }
        } else if (c === 61) {
          if (d === 62) length = 2;
          else if (d === 61) {
            weight = UNIT / 8;
            length = text.charCodeAt(i + 2) === 61 ? 3 : 2;
          }
        } else if (d === 61 || (c === 60 && d === 60)) {
          weight = UNIT / 8;
          length = 2;
        }
        level += weight;
        if (level > max) max = level;
        i += length;
        afterOperand = false;
        continue;
      }
      case 126: // ~
        level += UNIT;
        if (level > max) max = level;
        afterOperand = false;
        i++;
        continue;
      default:
        // Any other operator character (+ - * % & | ^ > :) or a digit's neighbour: a binary operator
        // at most. Numbers are operands.
        if (c >= 48 && c <= 57) {
          let j = i + 1;
          while (j < n && (isIdentChar(text.charCodeAt(j)) || text.charCodeAt(j) === 46)) j++;
          i = j;
          afterOperand = true;
          continue;
        }
        // `:` ends a label (`a: b: c:` nests), a key or a type annotation; others are binary operators.
        level += c === 58 ? UNIT / 4 : UNIT / 8;
        if (level > max) max = level;
        afterOperand = false;
        i++;
    }
  }
  return max / UNIT;
}
