// The tree copy of src/source/tree-sitter.ts: calling the runtime's cursor functions directly gives
// the tree web-tree-sitter's TreeCursor gives, node for node, on every Python and Terraform file of
// the fixtures and on nesting deep enough to grow the cursor's stack; the runtime stays usable
// after such copies (the cursor's memory is freed where it really is).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pythonWasmFiles } from '../src/code/python-wasm.js';
import { hclParser } from '../src/source/hcl.js';
import { copiesDirectly, copySyntaxTree, webTreeSitter, type SyntaxNode } from '../src/source/tree-sitter.js';

type Parser = import('web-tree-sitter').Parser;

/** Everything a copy holds, as plain data (parents are implied by nesting). */
function shape(n: SyntaxNode): unknown {
  return {
    type: n.type,
    named: n.isNamed,
    at: [n.startIndex, n.endIndex],
    fields: Object.fromEntries(Object.entries(n.fields ?? {}).map(([k, v]) => [k, [v.type, v.startIndex, v.endIndex]])),
    named_: n.namedChildren.map((c) => [c.type, c.startIndex]),
    kids: n.children.map(shape),
  };
}

/** What a copy without `children` can reach: fields and named children, recursively. */
function reachable(n: SyntaxNode): unknown {
  return {
    type: n.type,
    named: n.isNamed,
    at: [n.startIndex, n.endIndex],
    fields: Object.fromEntries(Object.entries(n.fields ?? {}).map(([k, v]) => [k, [v.type, v.startIndex, v.endIndex]])),
    named_: n.namedChildren.map(reachable),
  };
}

function bothWays(parser: Parser, text: string): [unknown, unknown] {
  const tree = parser.parse(text)!;
  try {
    const direct = copySyntaxTree(tree, text, { children: true, fields: true });
    const api = copySyntaxTree(tree, text, { children: true, fields: true, viaTreeCursor: true });
    return [shape(direct), shape(api)];
  } finally {
    tree.delete();
  }
}

async function pythonParser(): Promise<Parser> {
  const wts = await webTreeSitter();
  const p = new wts.Parser();
  p.setLanguage(await wts.Language.load(pythonWasmFiles().language));
  return p;
}

const fixtureFiles = (test: (name: string) => boolean): string[] =>
  fs
    .readdirSync('fixtures', { recursive: true, encoding: 'utf8' })
    .filter((f) => test(path.basename(f)))
    .map((f) => path.join('fixtures', f))
    .filter((f) => fs.statSync(f).isFile());

describe('copying a syntax tree', () => {
  it('calls the runtime directly here (web-tree-sitter exposes the cursor functions)', async () => {
    await webTreeSitter();
    expect(copiesDirectly()).toBe(true);
  });

  it('gives the TreeCursor copy of every Python file of the fixtures', async () => {
    const parser = await pythonParser();
    const files = fixtureFiles((n) => n.endsWith('.py'));
    expect(files.length).toBeGreaterThan(50);
    for (const f of files) {
      const [direct, api] = bothWays(parser, fs.readFileSync(f, 'utf8'));
      expect(direct, f).toEqual(api);
    }
  });

  it('copies without children everything a copy with them reaches through fields and named children', async () => {
    const parser = await pythonParser();
    for (const f of fixtureFiles((n) => n.endsWith('.py'))) {
      const text = fs.readFileSync(f, 'utf8');
      const tree = parser.parse(text)!;
      try {
        const full = copySyntaxTree(tree, text, { children: true, fields: true });
        const lean = copySyntaxTree(tree, text, { fields: true });
        expect(lean.children).toEqual([]);
        expect(reachable(lean), f).toEqual(reachable(full));
      } finally {
        tree.delete();
      }
    }
  });

  it('gives the TreeCursor copy of every Terraform file of the fixtures', async () => {
    const parser = await hclParser();
    const files = fixtureFiles((n) => n.endsWith('.tf'));
    expect(files.length).toBeGreaterThan(50);
    for (const f of files) {
      const [direct, api] = bothWays(parser, fs.readFileSync(f, 'utf8'));
      expect(direct, f).toEqual(api);
    }
  });

  it('copies every child under the types of childrenOf alone, and elsewhere what a copy without children reaches', async () => {
    const parser = await hclParser();
    const operations = new Set(['binary_operation', 'unary_operation']);
    const ops = 'locals {\n  a = !var.x && (var.n + 1) * -2 >= 3 || var.s != "b"\n  b = -(var.n % 4) / 2 - 1\n}\n';
    const texts = [ops, ...fixtureFiles((n) => n.endsWith('.tf')).map((f) => fs.readFileSync(f, 'utf8'))];
    let operators = 0;
    for (const text of texts) {
      const tree = parser.parse(text)!;
      try {
        const full = copySyntaxTree(tree, text, { children: true });
        const lean = copySyntaxTree(tree, text, { childrenOf: operations });
        expect(reachable(lean)).toEqual(reachable(full));
        // Every node of those types, with all its children, in the same order in both copies.
        const ofTypes = (n: SyntaxNode, out: SyntaxNode[] = []): SyntaxNode[] => {
          if (operations.has(n.type)) out.push(n);
          for (const c of n.namedChildren) ofTypes(c, out);
          return out;
        };
        const [a, b] = [ofTypes(lean), ofTypes(full)];
        const kids = (n: SyntaxNode) => n.children.map((c) => [c.type, c.isNamed, c.startIndex, c.endIndex]);
        expect(a.map(kids)).toEqual(b.map(kids));
        for (const n of a) operators += n.children.filter((c) => !c.isNamed).length;
        // Nowhere else.
        const others = (n: SyntaxNode): number =>
          (operations.has(n.type) ? 0 : n.children.length) + n.namedChildren.reduce((k, c) => k + others(c), 0);
        expect(others(lean)).toBe(0);
      } finally {
        tree.delete();
      }
    }
    expect(operators).toBeGreaterThanOrEqual(9);
  });

  it('copies nesting that grows the cursor, and the runtime parses correctly afterwards', async () => {
    const parser = await pythonParser();
    const deep = `x = ${'['.repeat(400)}1${']'.repeat(400)}\ndef handler(event, context):\n    return ${'('.repeat(300)}event${')'.repeat(300)}\n`;
    for (let i = 0; i < 20; i++) {
      const [direct, api] = bothWays(parser, deep);
      expect(direct).toEqual(api);
    }
    const text = 'import boto3\n\ndef handler(event, context):\n    boto3.client("s3").put_object(Bucket="b")\n';
    const tree = parser.parse(text)!;
    const root = copySyntaxTree(tree, text, { fields: true });
    tree.delete();
    const fn = root.namedChildren[1];
    expect(fn.type).toBe('function_definition');
    expect(fn.childForFieldName('name')?.text).toBe('handler');
    expect(fn.childForFieldName('body')?.text).toBe('boto3.client("s3").put_object(Bucket="b")');
  });
});
