// The fast YAML path (js-yaml events, used for big files) must build the same tree as the `yaml`
// path: same kinds, keys, values, tags, starts and key ranges. Ends of block collections may differ
// where blank and comment lines follow them; everything else is compared exactly.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { duplicateKeys, fastLenientYaml, parseSource, SourceFile, type TNode } from '../src/source/parse.js';
import { fastYaml, piecewiseYaml } from '../src/source/yaml-fast.js';
import { FIXTURES } from './helpers.js';

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yamlFiles(p, out);
    else if (/\.ya?ml$/.test(e.name)) out.push(p);
  }
  return out;
}

function differences(a: TNode, b: TNode, where: string, out: string[]): void {
  const f = a.file;
  const at = (o: number): string => `${f.position(o).line}:${f.position(o).column}`;
  if (a.kind !== b.kind) return void out.push(`${where}: kind ${a.kind} vs ${b.kind}`);
  if (a.start !== b.start) out.push(`${where}: start ${at(a.start)} vs ${at(b.start)}`);
  if (a.kind === 'scalar' && a.end !== b.end) out.push(`${where}: end ${at(a.end)} vs ${at(b.end)}`);
  if (a.kind === 'scalar' && !Object.is(a.value, b.value))
    out.push(`${where}: value ${JSON.stringify(a.value)} vs ${JSON.stringify(b.value)}`);
  if (a.tag !== b.tag) out.push(`${where}: tag ${a.tag} vs ${b.tag}`);
  const ai = a.items ?? [];
  const bi = b.items ?? [];
  if (ai.length !== bi.length) return void out.push(`${where}: ${ai.length} vs ${bi.length} items`);
  ai.forEach((x, i) => differences(x, bi[i], `${where}[${i}]`, out));
  const ae = a.entries ?? [];
  const be = b.entries ?? [];
  if (ae.length !== be.length) return void out.push(`${where}: ${ae.length} vs ${be.length} entries`);
  ae.forEach((x, i) => {
    const y = be[i];
    if (x.key !== y.key || x.keyStart !== y.keyStart || x.keyEnd !== y.keyEnd)
      out.push(`${where}: key ${x.key}@${at(x.keyStart)} vs ${y.key}@${at(y.keyStart)}`);
    differences(x.value, y.value, `${where}.${x.key}`, out);
  });
}

it('reads a flow collection indented no deeper than its key re-indented, with the yaml path tree and offsets', () => {
  const text = [
    'Resources:', // a document start marker is not needed
    '  Role:',
    '    Type: AWS::IAM::Role',
    '    Properties:',
    '      Policies:',
    '        - PolicyDocument:',
    '            Statement:',
    '              - Action: [',
    '                "sqs:ReceiveMessage",',
    '                !Sub "sqs:${Verb}"',
    '                ]',
    '                Resource: &queue { "Fn::GetAtt": [Q, Arn],',
    '                "Extra": 1 }',
    '  Q:',
    '    Type: AWS::SQS::Queue',
    '    Metadata: *queue',
    '',
  ].join('\n');
  const file = new SourceFile('t.yaml', text);
  // js-yaml rejects it ("deficient indentation"): the plain fast path declines.
  expect(fastYaml(file, text, 0, 500, 2_000_000)).toBeUndefined();
  const slow = parseSource('t.yaml', text, { fast: false });
  const fast = fastLenientYaml(file, text, 0);
  expect(slow.ok && fast?.ok).toBe(true);
  if (!slow.ok || !fast?.ok) return;
  const out: string[] = [];
  differences(slow.root, fast.root, 't.yaml', out);
  expect(out).toEqual([]);
  const q = fast.root.entries![0].value.entries![1];
  expect(file.position(q.keyStart)).toEqual({ line: 14, column: 3 });
  expect(fast.aliasFree).toBeUndefined();
});

it('builds the same tree as the yaml path for every YAML file in the fixtures', () => {
  const files = yamlFiles(FIXTURES);
  expect(files.length).toBeGreaterThan(50);
  const out: string[] = [];
  let compared = 0;
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const slow = parseSource(file, text, { fast: false });
    if (!slow.ok) continue;
    const fast = fastYaml(new SourceFile(file, text), text, 0, 500, 2_000_000);
    if (!fast) continue;
    compared++;
    differences(slow.root, fast, path.relative(FIXTURES, file), out);
  }
  expect(compared).toBeGreaterThan(50);
  expect(out).toEqual([]);
});

it('reads tags, anchors, empty values, quoted and block scalars like the yaml path', () => {
  const text = [
    'A: &x "quoted"',
    'B: *x',
    'C: !Ref Foo',
    'D: !Sub',
    '  - "${X}-y"',
    '  - { X: !GetAtt R.Arn }',
    'E: |',
    '  line one',
    '  line two',
    '',
    'F:',
    'G: !Select [ 0, !GetAZs ]',
    'H: [0x1F, 0o17, 1e3, .inf, ~, True, "true", 2012-10-17]',
    'I:',
    '  - ',
    '  # comment',
    '  - [Ref: Bucket]',
    '',
  ].join('\n');
  const slow = parseSource('t.yaml', text, { fast: false });
  expect(slow.ok).toBe(true);
  if (!slow.ok) return;
  const fast = fastYaml(slow.file, text, 0, 500, 2_000_000);
  expect(fast).toBeDefined();
  const out: string[] = [];
  differences(slow.root, fast!, 't', out);
  expect(out).toEqual([]);
});

it('declines what it does not handle, so the yaml path reports it', () => {
  const file = new SourceFile('t.yaml', '');
  expect(fastYaml(file, 'a: [1, 2\n', 0, 500, 1000)).toBeUndefined();
  expect(fastYaml(file, 'a: 1\n---\nb: 2\n', 0, 500, 1000)).toBeUndefined();
  expect(fastYaml(file, '? [a]\n: 1\n', 0, 500, 1000)).toBeUndefined();
});

it('parses a big template through the fast path with the same findings positions', () => {
  const lines = ['AWSTemplateFormatVersion: "2010-09-09"', 'Resources:'];
  for (let i = 0, size = 0; size < 600 * 1024; i++) {
    lines.push(`  Q${i}:`, '    Type: AWS::SQS::Queue', '    Properties: { VisibilityTimeout: 60 }');
    size += 70;
  }
  const text = lines.join('\n') + '\n';
  const r = parseSource('big.yaml', text);
  expect(r.ok).toBe(true);
  if (!r.ok) return;
  const last = r.root.entries![1].value.entries!.at(-1)!;
  expect(r.file.position(last.keyStart)).toEqual({ line: lines.length - 2, column: 3 });
  expect(r.file.position(last.value.entries![1].value.entries![0].value.start)).toEqual({
    line: lines.length,
    column: 38,
  });
});

/** Every field of two trees, ends included: the piecewise reader must build exactly fastYaml's tree. */
function exactDifferences(a: TNode, b: TNode, where: string, out: string[]): void {
  for (const k of ['kind', 'start', 'end', 'tag'] as const)
    if (a[k] !== b[k]) out.push(`${where}: ${k} ${String(a[k])} vs ${String(b[k])}`);
  if (!Object.is(a.value, b.value)) out.push(`${where}: value ${String(a.value)} vs ${String(b.value)}`);
  if ((a.items?.length ?? -1) !== (b.items?.length ?? -1)) return void out.push(`${where}: items differ`);
  a.items?.forEach((x, i) => exactDifferences(x, b.items![i], `${where}[${i}]`, out));
  if ((a.entries?.length ?? -1) !== (b.entries?.length ?? -1)) return void out.push(`${where}: entries differ`);
  a.entries?.forEach((x, i) => {
    const y = b.entries![i];
    if (x.key !== y.key || x.keyStart !== y.keyStart || x.keyEnd !== y.keyEnd)
      out.push(`${where}: key ${x.key}@${x.keyStart}-${x.keyEnd} vs ${y.key}@${y.keyStart}-${y.keyEnd}`);
    exactDifferences(x.value, y.value, `${where}.${x.key}`, out);
  });
}

describe('piecewiseYaml (big templates read one entry at a time)', () => {
  const resource = (i: number): string[] => [
    `  Fn${i}: # a comment after the key`,
    '    Type: AWS::Lambda::Function',
    '',
    '    Properties:',
    `      Role: !GetAtt Role${i}.Arn`,
    '      Environment: { Variables: { A: "1", B: two } }',
    '      Code:',
    '        ZipFile: |',
    '          def handler(event, context):',
    '              return 1',
    '',
    '      Layers:',
    '      - !Ref Layer',
    '      Tags:',
    '        - { Key: k, Value: v }',
    '      Meta: { A: &a x, B: *a }',
    '    # a comment indented like the properties',
    '  # a comment indented like the resources',
  ];
  const template = (n: number, extra: string[] = []): string =>
    [
      '# leading comment',
      '',
      "AWSTemplateFormatVersion: '2010-09-09'",
      'Description: >',
      '  folded text',
      'Resources:',
      ...Array.from({ length: n }, (_, i) => resource(i)).flat(),
      ...extra,
      'Outputs:',
      '  Out: { Value: !Ref Fn0 }',
      '1.0: numeric key',
      '',
    ].join('\n');

  it('builds exactly the tree fastYaml builds of the whole text, ends included', () => {
    for (const text of [template(40), template(40).replace(/\n/g, '\r\n'), template(3).trimEnd()]) {
      const file = new SourceFile('t.yaml', text);
      const whole = fastYaml(file, text, 0, 500, 2_000_000);
      // Pieces of 200 characters: every resource is read on its own, and so are its properties.
      const pieces = piecewiseYaml(file, text, 0, 500, 2_000_000, 200);
      expect(whole).toBeDefined();
      expect(pieces).toBeDefined();
      const out: string[] = [];
      exactDifferences(whole!, pieces!, 't', out);
      expect(out).toEqual([]);
    }
  });

  it('reads several small entries as one piece, and builds the same tree', () => {
    // Resources of about 500 characters: pieces of 1,500 hold two or three of them, 1,000,000 all.
    for (const splitAbove of [1_500, 1_000_000]) {
      const text = template(40);
      const file = new SourceFile('t.yaml', text);
      const out: string[] = [];
      exactDifferences(
        fastYaml(file, text, 0, 500, 2_000_000)!,
        piecewiseYaml(file, text, 0, 500, 2_000_000, splitAbove)!,
        't',
        out,
      );
      expect(out, `pieces of ${splitAbove}`).toEqual([]);
    }
  });

  it("never builds a tree other than the whole text's, whatever the pieces hold", () => {
    const extras = [
      ['  Alias: *a'],
      ['  Quoted: "one', '  Two: three"'],
      ['  Flow: { a: 1,', '  b: 2 }'],
      ['  Plain: one', '    two', '  Three: 3'],
    ];
    for (const extra of extras)
      for (const splitAbove of [200, 1_500, 1_000_000]) {
        const text = template(10, extra);
        const file = new SourceFile('t.yaml', text);
        const pieces = piecewiseYaml(file, text, 0, 500, 2_000_000, splitAbove);
        if (!pieces) continue; // declined: parseSource reads the whole text
        const out: string[] = [];
        exactDifferences(fastYaml(file, text, 0, 500, 2_000_000)!, pieces, 't', out);
        expect(out, `${extra.join('|')}, pieces of ${splitAbove}`).toEqual([]);
      }
  });

  it('gives up, so the whole text is read, where a cut would split something', () => {
    const declines = (extra: string[]): void => {
      const text = template(10, extra);
      const file = new SourceFile('t.yaml', text);
      expect(piecewiseYaml(file, text, 0, 500, 2_000_000, 200), extra.join('|')).toBeUndefined();
    };
    declines(['  Alias: *a']); // an alias to an anchor in another piece
    declines(['  Quoted: "one', '  Two: three"']); // a quoted value running over a line that looks like a key
    declines(['  Flow: { a: 1,', '  b: 2 }']); // a flow mapping running over such a line
    declines(['  "Quoted": 1']); // a key that is not a simple one
    declines(['  - item']); // a sequence item where keys are
    const other = ['---', 'a: 1', ''].join('\n');
    expect(piecewiseYaml(new SourceFile('t.yaml', other), other, 0, 500, 1000, 2)).toBeUndefined();
  });

  it('counts nodes across pieces, and depth, as the whole text does', () => {
    const text = template(40);
    const file = new SourceFile('t.yaml', text);
    expect(() => fastYaml(file, text, 0, 500, 500)).toThrow('document too large to analyse');
    expect(() => piecewiseYaml(file, text, 0, 500, 500, 200)).toThrow('document too large to analyse');
    // Too deep: the same outcome as the whole text (no tree: parseSource then reads it with `yaml`).
    const deep = ['Resources:', '  A:', '    B:', '      C:', '        D: 1', ''].join('\n');
    const deepFile = new SourceFile('d.yaml', deep);
    const outcome = (read: () => TNode | undefined): string => {
      try {
        return read() ? 'tree' : 'none';
      } catch (e) {
        return (e as Error).message;
      }
    };
    for (const depth of [2, 3, 4, 5, 10])
      expect(
        outcome(() => piecewiseYaml(deepFile, deep, 0, depth, 1000, 2)),
        `maxDepth ${depth}`,
      ).toBe(outcome(() => fastYaml(deepFile, deep, 0, depth, 1000)));
  });
});

describe('duplicate keys without a set of visited nodes', () => {
  const keys = (n: number, dup: string): string =>
    [...Array.from({ length: n }, (_, i) => `  K${i}: ${i}`), `  ${dup}: again`].join('\n');
  const yaml = [
    'Small:',
    keys(3, 'K1'),
    'Big:',
    keys(40, 'K7'),
    'List:',
    '  - { A: 1, B: 2, A: 3 }',
    '  - !Sub [x, { A: 1 }]',
    '',
  ].join('\n');

  it('says which trees share no node, and finds the same duplicates in them either way', () => {
    const plain = parseSource('t.yaml', yaml);
    const aliased = parseSource('a.yaml', `${yaml}Anchor: &a { X: 1, X: 2 }\nAlias: *a\n`);
    const json = parseSource('t.json', '{ "A": 1, "B": { "C": 1, "C": 2 }, "A": 3 }');
    expect([plain, aliased, json].map((p) => p.ok && p.aliasFree)).toEqual([true, undefined, true]);
    const found = (p: typeof plain, aliasFree: boolean): string[] =>
      p.ok
        ? duplicateKeys(p.root, aliasFree).map(
            (d) =>
              `${[...d.path, d.key].join('.')} ${d.at.start.line}:${d.at.start.column} after ${d.first.start.line}:${d.first.start.column}`,
          )
        : [];
    expect(found(plain, true)).toEqual([
      'Small.K1 5:3 after 3:3',
      'Big.K7 47:3 after 14:3',
      'List.[0].A 49:19 after 49:7',
    ]);
    expect(found(plain, false)).toEqual(found(plain, true));
    expect(found(json, true)).toEqual(found(json, false));
    expect(found(json, true)).toEqual(['B.C 1:26 after 1:18', 'A 1:36 after 1:3']);
    // The alias shares the anchored mapping: its duplicate is reported once.
    expect(found(aliased, false)).toEqual([...found(plain, true), 'Anchor.X 51:20 after 51:14']);
  });
});
