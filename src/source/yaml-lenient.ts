// Lenient reading of one YAML habit that CloudFormation accepts and the `yaml` package rejects: the
// lines of a flow collection (`Resource: [` ... `]`, `Schema: {` ... `}`) or of a quoted scalar
// (`PolicyDocument: !Sub '{` ... `}'`) indented no deeper than the key that opened it. PyYAML, which
// cfn-lint and the SAM CLI use, skips indentation checks while inside `[]`/`{}` (its scanner only
// unwinds indentation when flow_level is 0) and inside quoted scalars, so such templates deploy. js-yaml 5 rejects them too ("deficient indentation"), so instead of a second parser we
// re-indent those lines and map every offset of the repaired text back to the original file.

export interface Reindented {
  text: string;
  /** Offset in the repaired text → offset in the original text. */
  toOriginal(offset: number): number;
}

/**
 * Indents the continuation lines of flow collections that start in block context to one column past
 * the key that opened them. Returns undefined when no line needed it. Block scalars, comments and
 * quoted strings are skipped so brackets inside them do not count.
 */
export function reindentFlowCollections(text: string): Reindented | undefined {
  const lines = text.split('\n');
  // Insertions: at original offset `at`, `add` spaces were inserted.
  const inserts: { at: number; add: number }[] = [];
  const out: string[] = [];
  let depth = 0; // open flow brackets
  let quote: '"' | "'" | undefined; // open quoted scalar spanning lines (flow context only)
  let minIndent = 0; // continuation lines of the current flow collection need at least this
  let blockScalarIndent = -1; // > -1 while inside a `|` / `>` block scalar opened at this indent
  let offset = 0;
  for (const line of lines) {
    const lineStart = offset;
    offset += line.length + 1;
    const indent = line.length - line.trimStart().length;
    const blank = line.trim() === '' || line.trimStart().startsWith('#');
    if (blockScalarIndent > -1) {
      if (blank || indent > blockScalarIndent) {
        out.push(line);
        continue;
      }
      blockScalarIndent = -1;
    }
    let current = line;
    if ((depth > 0 || quote) && line.trim() !== '' && indent < minIndent) {
      const add = minIndent - indent;
      inserts.push({ at: lineStart, add });
      current = ' '.repeat(add) + line;
    }
    out.push(current);
    // Scan the line for flow brackets outside quotes and comments.
    const startedInBlock = depth === 0 && !quote;
    let keyColumn = -1;
    let valueStart = true; // at a position where a flow collection may begin (block context)
    for (let i = 0; i < line.length; i++) {
      const ch = line[i];
      if (quote) {
        if (ch === quote) {
          if (quote === "'" && line[i + 1] === "'") i++;
          else quote = undefined;
        } else if (ch === '\\' && quote === '"') i++;
        continue;
      }
      if (ch === '#' && (i === 0 || line[i - 1] === ' ' || line[i - 1] === '\t')) break;
      if (depth === 0) {
        if (ch === ' ' || ch === '\t') continue;
        if (keyColumn < 0 && ch !== '-') keyColumn = i;
        if ((ch === '[' || ch === '{') && valueStart) {
          depth = 1;
          minIndent = Math.max(keyColumn < 0 ? i : keyColumn, indent) + 1;
          continue;
        }
        if ((ch === '"' || ch === "'") && valueStart) {
          // A quoted scalar may run over several lines; PyYAML does not check their indentation either.
          quote = ch;
          valueStart = false;
          minIndent = Math.max(keyColumn < 0 ? i : keyColumn, indent) + 1;
          continue;
        }
        if (ch === '!') {
          // A tag: the value starts after it.
          while (i + 1 < line.length && line[i + 1] !== ' ') i++;
          valueStart = true;
          continue;
        }
        if (ch === ':' && (line[i + 1] === ' ' || i + 1 === line.length)) {
          valueStart = true;
          const rest = line.slice(i + 1).trim();
          if (/^[|>][0-9+-]*(\s+#.*)?$/.test(rest)) {
            blockScalarIndent = indent;
            break;
          }
          continue;
        }
        if (ch === '-' && (line[i + 1] === ' ' || i + 1 === line.length) && valueStart) continue;
        if (ch === '&') {
          while (i + 1 < line.length && line[i + 1] !== ' ') i++;
          continue;
        }
        valueStart = false;
        continue;
      }
      if (ch === '"' || ch === "'") {
        // In flow context a quote starts a string only where a scalar may begin.
        const prev = line.slice(0, i).trimEnd().slice(-1);
        const before = line.slice(0, i).trimEnd();
        const afterTag = /(^|[\s,[{])![^\s]*$/.test(before);
        if (prev === '' || prev === '[' || prev === '{' || prev === ',' || prev === ':' || prev === '?' || afterTag)
          quote = ch;
        continue;
      }
      if (ch === '[' || ch === '{') depth++;
      else if (ch === ']' || ch === '}') {
        depth--;
        if (depth === 0) valueStart = false;
      }
    }
    if (startedInBlock && depth === 0 && !quote) minIndent = 0;
  }
  if (inserts.length === 0) return undefined;
  // Repaired offset of each insertion point, for the reverse mapping.
  const marks: { repaired: number; shift: number }[] = [];
  let shift = 0;
  for (const ins of inserts) {
    marks.push({ repaired: ins.at + shift, shift });
    shift += ins.add;
    marks.push({ repaired: ins.at + shift, shift });
  }
  return {
    text: out.join('\n'),
    toOriginal(r: number): number {
      let lo = 0;
      let hi = marks.length - 1;
      let found = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (marks[mid].repaired <= r) {
          found = mid;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      if (found < 0) return r;
      const m = marks[found];
      // Inside inserted spaces: the insertion point itself.
      if (found % 2 === 0) return m.repaired - m.shift;
      return r - m.shift;
    },
  };
}
