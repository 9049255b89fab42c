// HCL (Terraform) parsing with positions: web-tree-sitter and the tree-sitter-hcl project's
// terraform grammar, loaded lazily the first time a .tf file is read. The tree is converted at once
// into the small AST below, so the wasm tree can be freed and the rest of the loader is plain code.
import { createRequire } from 'node:module';
import path from 'node:path';
import type { SourceRange } from './range.js';
import { LineIndex } from './lines.js';
import { type SyntaxNode, copySyntaxTree, grammarParser } from './tree-sitter.js';

/** A span of a file, kept as UTF-16 offsets until a SourceRange is needed. */
export interface Span {
  file: HclFile;
  start: number;
  end: number;
}

/** A .tf (or tfvars, or file()) text with its line index. */
export class HclFile extends LineIndex {}

export function spanRange(s: Span): SourceRange {
  return s.file.range(s.start, s.end);
}

export type Expr =
  | { k: 'lit'; value: string | number | boolean | null; span: Span }
  | {
      k: 'template';
      parts: (string | Expr)[];
      span: Span;
      /** offset where the literal text starts (heredocs) */ heredoc?: boolean;
    }
  | { k: 'tuple'; items: Expr[]; span: Span }
  | { k: 'object'; entries: { key: Expr; value: Expr; span: Span }[]; span: Span }
  | { k: 'ref'; root: string; steps: Step[]; span: Span }
  | { k: 'call'; name: string; args: Expr[]; expand: boolean; span: Span }
  | { k: 'cond'; test: Expr; then: Expr; else: Expr; span: Span }
  | { k: 'postfix'; base: Expr; steps: Step[]; span: Span }
  | { k: 'binop'; op: string; left: Expr; right: Expr; span: Span }
  | { k: 'unop'; op: string; x: Expr; span: Span }
  | { k: 'other'; what: string; span: Span };

export type Step = { attr: string } | { index: Expr } | { splat: true };

export interface Attribute {
  name: string;
  expr: Expr;
  /** The whole `name = value`. */
  span: Span;
  nameSpan: Span;
}

export interface Block {
  type: string;
  labels: string[];
  body: Body;
  /** From the block type to its last label (the block's "header"). */
  headSpan: Span;
  span: Span;
}

export interface Body {
  attrs: Map<string, Attribute>;
  blocks: Block[];
}

export interface ParsedHcl {
  file: HclFile;
  body: Body;
  /** The first syntax error (an ERROR or MISSING node), when there is one. */
  error?: { span: Span; message: string };
}

// ---- lazy parser ----------------------------------------------------------------------------

type TSParser = import('web-tree-sitter').Parser;
type TSNode = SyntaxNode;
/** A node of web-tree-sitter's own API (the error search reads `isMissing` and `hasError`). */
type TSNodeApi = import('web-tree-sitter').Node;

let parserPromise: Promise<TSParser> | undefined;

function grammarPath(): string {
  const require = createRequire(import.meta.url);
  const dir = path.dirname(require.resolve('@tree-sitter-grammars/tree-sitter-hcl/package.json'));
  return dir;
}

/** The parser, created once; tree-sitter's wasm runtime is loaded only on the first call. */
export function hclParser(): Promise<TSParser> {
  parserPromise ??= (async () => {
    const dir = grammarPath();
    return grammarParser([path.join(dir, 'tree-sitter-terraform.wasm'), path.join(dir, 'tree-sitter-hcl.wasm')]);
  })();
  return parserPromise;
}

const MAX_DEPTH = 200;

/**
 * The only nodes whose `children` the conversion reads (convertOperation: their operators are
 * anonymous nodes); everything else is read through named children. The copy keeps every child under
 * these alone: a copy with every child of every node (punctuation, keywords, quotes) made 18 % more
 * nodes on the Terraform of the 2,000-function bench, and a list of children for each of them.
 */
const OPERATIONS: ReadonlySet<string> = new Set(['binary_operation', 'unary_operation']);

/** Parses one file. Never throws for bad input: syntax errors come back in `error`. */
export function parseHcl(parser: TSParser, filePath: string, text: string): ParsedHcl {
  const file = new HclFile(filePath, text);
  const tree = parser.parse(text);
  if (!tree)
    return {
      file,
      body: { attrs: new Map(), blocks: [] },
      error: { span: { file, start: 0, end: 0 }, message: 'the file could not be parsed' },
    };
  try {
    const out: ParsedHcl = { file, body: { attrs: new Map(), blocks: [] } };
    if (tree.rootNode.hasError) out.error = firstError(tree.rootNode, file);
    const root = copySyntaxTree(tree, text, { childrenOf: OPERATIONS });
    const body = root.namedChildren.find((c) => c.type === 'body');
    if (body) out.body = convertBody(body, file, 0);
    return out;
  } finally {
    tree.delete();
  }
}

function firstError(root: TSNodeApi, file: HclFile): { span: Span; message: string } {
  const stack: TSNodeApi[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.isMissing)
      return {
        span: { file, start: n.startIndex, end: n.endIndex },
        message: `syntax error: missing ${JSON.stringify(n.type)}`,
      };
    if (n.isError) {
      const snippet = n.text.split('\n')[0].slice(0, 40);
      return {
        span: {
          file,
          start: n.startIndex,
          end: Math.max(n.startIndex + 1, Math.min(n.endIndex, n.startIndex + snippet.length)),
        },
        message: `syntax error: unexpected ${JSON.stringify(snippet)}`,
      };
    }
    if (!n.hasError) continue;
    const kids = n.children.filter((c): c is TSNodeApi => !!c);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  }
  return { span: { file, start: 0, end: 0 }, message: 'syntax error' };
}

function span(n: TSNode, file: HclFile): Span {
  return { file, start: n.startIndex, end: n.endIndex };
}

function named(n: TSNode): readonly TSNode[] {
  return n.namedChildren;
}

function convertBody(n: TSNode, file: HclFile, depth: number): Body {
  const body: Body = { attrs: new Map(), blocks: [] };
  if (depth > MAX_DEPTH) return body;
  for (const c of named(n)) {
    if (c.type === 'attribute') {
      const kids = named(c);
      const id = kids.find((k) => k.type === 'identifier');
      const ex = kids.find((k) => k.type === 'expression');
      if (!id || !ex) continue;
      body.attrs.set(id.text, {
        name: id.text,
        expr: convertExpr(ex, file, depth + 1),
        span: span(c, file),
        nameSpan: span(id, file),
      });
    } else if (c.type === 'block') {
      const kids = named(c);
      const id = kids.find((k) => k.type === 'identifier');
      if (!id) continue;
      const labels: string[] = [];
      let headEnd = id.endIndex;
      for (const k of kids) {
        if (k.type === 'string_lit') {
          labels.push(
            k.namedChildren
              .filter((x) => x?.type === 'template_literal')
              .map((x) => x!.text)
              .join(''),
          );
          headEnd = k.endIndex;
        } else if (k.type === 'identifier' && k !== id) {
          labels.push(k.text);
          headEnd = k.endIndex;
        }
      }
      const inner = kids.find((k) => k.type === 'body');
      body.blocks.push({
        type: id.text,
        labels,
        body: inner ? convertBody(inner, file, depth + 1) : { attrs: new Map(), blocks: [] },
        headSpan: { file, start: id.startIndex, end: headEnd },
        span: span(c, file),
      });
    }
  }
  return body;
}

function other(n: TSNode, file: HclFile): Expr {
  return { k: 'other', what: n.type, span: span(n, file) };
}

/** An `expression` node: a primary followed by postfix get_attr / index / splat nodes. */
function convertExpr(n: TSNode, file: HclFile, depth: number): Expr {
  if (depth > MAX_DEPTH) return other(n, file);
  if (n.type !== 'expression') return convertPrimary(n, file, depth);
  return convertSeq(named(n), span(n, file), file, depth);
}

/** A primary node followed by its get_attr / index / splat nodes. */
function convertSeq(kids: readonly TSNode[], sp: Span, file: HclFile, depth: number): Expr {
  if (kids.length === 0) return { k: 'other', what: 'empty', span: sp };
  const steps: Step[] = [];
  for (const k of kids.slice(1)) {
    if (k.type === 'get_attr') {
      const id = named(k).find((x) => x.type === 'identifier');
      if (id) steps.push({ attr: id.text });
    } else if (k.type === 'index') {
      const inner = named(k)[0];
      if (inner?.type === 'legacy_index') {
        const num = named(inner).find((x) => x.type === 'identifier' || x.type === 'numeric_lit');
        steps.push({ index: { k: 'lit', value: Number(num?.text ?? 0), span: span(inner, file) } });
      } else {
        const ix = inner ? named(inner).find((x) => x.type === 'expression') : undefined;
        steps.push({ index: ix ? convertExpr(ix, file, depth + 1) : other(k, file) });
      }
    } else if (k.type === 'splat') steps.push({ splat: true });
  }
  const first = kids[0];
  if (first.type === 'variable_expr') {
    const id = named(first).find((x) => x.type === 'identifier');
    return { k: 'ref', root: id?.text ?? first.text, steps, span: sp };
  }
  const base = convertPrimary(first, file, depth + 1);
  if (steps.length === 0) return base;
  return { k: 'postfix', base, steps, span: sp };
}

const BINARY = new Set(['==', '!=', '&&', '||', '<', '>', '<=', '>=', '+', '-', '*', '/', '%']);

function convertOperation(n: TSNode, file: HclFile, depth: number): Expr {
  const sp = span(n, file);
  const inner = named(n)[0];
  if (!inner) return other(n, file);
  const all = inner.children.filter((c): c is TSNode => !!c);
  const opAt = all.findIndex((c) => !c.isNamed && BINARY.has(c.type));
  if (inner.type === 'binary_operation' && opAt > 0) {
    const seq = (nodes: TSNode[]) =>
      nodes.length === 1 && nodes[0].type === 'operation'
        ? convertOperation(nodes[0], file, depth + 1)
        : convertSeq(
            nodes.filter((x) => x.isNamed),
            { file, start: nodes[0]?.startIndex ?? 0, end: nodes[nodes.length - 1]?.endIndex ?? 0 },
            file,
            depth + 1,
          );
    return { k: 'binop', op: all[opAt].type, left: seq(all.slice(0, opAt)), right: seq(all.slice(opAt + 1)), span: sp };
  }
  if (inner.type === 'unary_operation' && all.length >= 2 && !all[0].isNamed) {
    const rest = all.slice(1);
    const x =
      rest.length === 1 && rest[0].type === 'operation'
        ? convertOperation(rest[0], file, depth + 1)
        : convertSeq(
            rest.filter((c) => c.isNamed),
            { file, start: rest[0].startIndex, end: rest[rest.length - 1].endIndex },
            file,
            depth + 1,
          );
    if (all[0].type === '-' && x.k === 'lit' && typeof x.value === 'number')
      return { k: 'lit', value: -x.value, span: sp };
    return { k: 'unop', op: all[0].type, x, span: sp };
  }
  return other(n, file);
}

function convertPrimary(n: TSNode, file: HclFile, depth: number): Expr {
  const sp = span(n, file);
  switch (n.type) {
    case 'expression':
      return convertExpr(n, file, depth + 1);
    case 'literal_value': {
      const c = named(n)[0];
      return c ? convertPrimary(c, file, depth + 1) : other(n, file);
    }
    case 'numeric_lit':
      return { k: 'lit', value: Number(n.text), span: sp };
    case 'bool_lit':
      return { k: 'lit', value: n.text.trim() === 'true', span: sp };
    case 'null_lit':
      return { k: 'lit', value: null, span: sp };
    case 'string_lit':
      return {
        k: 'lit',
        value: unescape(
          named(n)
            .filter((x) => x.type === 'template_literal')
            .map((x) => x.text)
            .join(''),
        ),
        span: sp,
      };
    case 'template_expr': {
      const c = named(n)[0];
      return c ? convertPrimary(c, file, depth + 1) : other(n, file);
    }
    case 'quoted_template':
    case 'heredoc_template':
      return convertTemplate(n, file, depth, n.type === 'heredoc_template');
    case 'collection_value': {
      const c = named(n)[0];
      return c ? convertPrimary(c, file, depth + 1) : other(n, file);
    }
    case 'tuple':
      return {
        k: 'tuple',
        items: named(n)
          .filter((x) => x.type === 'expression')
          .map((x) => convertExpr(x, file, depth + 1)),
        span: sp,
      };
    case 'object': {
      const entries: { key: Expr; value: Expr; span: Span }[] = [];
      for (const el of named(n).filter((x) => x.type === 'object_elem')) {
        const parts = named(el).filter((x) => x.type === 'expression');
        if (parts.length < 2) continue;
        entries.push({
          key: objectKey(parts[0], file, depth),
          value: convertExpr(parts[1], file, depth + 1),
          span: span(el, file),
        });
      }
      return { k: 'object', entries, span: sp };
    }
    case 'function_call': {
      const kids = named(n);
      const id = kids.find((x) => x.type === 'identifier');
      const argsNode = kids.find((x) => x.type === 'function_arguments');
      const args = argsNode
        ? named(argsNode)
            .filter((x) => x.type === 'expression')
            .map((x) => convertExpr(x, file, depth + 1))
        : [];
      const expand = argsNode
        ? named(argsNode).some((x) => x.type === 'expand_or_ellipsis' || x.type === 'ellipsis')
        : false;
      return { k: 'call', name: id?.text ?? '', args, expand, span: sp };
    }
    case 'conditional': {
      const parts = named(n).filter((x) => x.type === 'expression');
      if (parts.length !== 3) return other(n, file);
      return {
        k: 'cond',
        test: convertExpr(parts[0], file, depth + 1),
        then: convertExpr(parts[1], file, depth + 1),
        else: convertExpr(parts[2], file, depth + 1),
        span: sp,
      };
    }
    case 'operation':
      return convertOperation(n, file, depth + 1);
    case 'variable_expr': {
      const id = named(n).find((x) => x.type === 'identifier');
      return { k: 'ref', root: id?.text ?? n.text, steps: [], span: sp };
    }
    default:
      return other(n, file);
  }
}

/** An object key: a bare identifier is a string; `(expr)` or a quoted key is an expression. */
function objectKey(n: TSNode, file: HclFile, depth: number): Expr {
  const kids = named(n);
  if (kids.length === 1 && kids[0].type === 'variable_expr')
    return { k: 'lit', value: kids[0].text, span: span(n, file) };
  return convertExpr(n, file, depth + 1);
}

function convertTemplate(n: TSNode, file: HclFile, depth: number, heredoc: boolean): Expr {
  const parts: (string | Expr)[] = [];
  const kids = named(n);
  let strip = false;
  for (const k of kids) {
    if (k.type === 'heredoc_start') strip = k.text.startsWith('<<-');
    if (k.type === 'template_literal') parts.push(unescape(k.text));
    else if (k.type === 'template_interpolation') {
      const ex = named(k).find((x) => x.type === 'expression');
      parts.push(ex ? convertExpr(ex, file, depth + 1) : other(k, file));
    } else if (k.type === 'template_directive') parts.push(other(k, file));
  }
  if (heredoc) {
    // The grammar leaves the line breaks between literal pieces out of the nodes: take the text
    // between the opening line and the closing marker from the source instead.
    const ids = kids.filter((k) => k.type === 'heredoc_identifier');
    const open = ids[0];
    const close = ids[ids.length - 1];
    if (open && close && open !== close) {
      const bodyStart = file.text.indexOf('\n', open.endIndex) + 1;
      let bodyEnd = close.startIndex;
      while (bodyEnd > bodyStart && file.text[bodyEnd - 1] !== '\n') bodyEnd--;
      const interps = kids.filter((k) => k.type === 'template_interpolation' || k.type === 'template_directive');
      if (bodyStart > 0) {
        const out: (string | Expr)[] = [];
        let at = bodyStart;
        for (const it of interps) {
          out.push(file.text.slice(at, it.startIndex));
          const ex = it.type === 'template_interpolation' ? named(it).find((x) => x.type === 'expression') : undefined;
          out.push(ex ? convertExpr(ex, file, depth + 1) : other(it, file));
          at = it.endIndex;
        }
        out.push(file.text.slice(at, bodyEnd));
        return {
          k: 'template',
          parts: strip ? dedent(out) : out,
          span: { file, start: bodyStart, end: bodyEnd },
          heredoc: true,
        };
      }
    }
  }
  return { k: 'template', parts, span: span(n, file) };
}

/** `<<-` heredocs drop the common leading whitespace. */
function dedent(parts: (string | Expr)[]): (string | Expr)[] {
  const text = parts.map((p) => (typeof p === 'string' ? p : '\u0001')).join('');
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const indent = Math.min(...lines.map((l) => /^[ \t]*/.exec(l)![0].length));
  if (!Number.isFinite(indent) || indent === 0) return parts;
  const re = new RegExp(`(^|\\n)[ \\t]{0,${indent}}`, 'g');
  return parts.map((p, i) =>
    typeof p === 'string' ? (i === 0 ? p : p.replace(/^/, '\u0002')).replace(re, '$1').replace('\u0002', '') : p,
  );
}

function unescape(s: string): string {
  if (!s.includes('\\') && !s.includes('$${') && !s.includes('%%{')) return s;
  return s
    .replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[nrt"\\])/g, (_, e: string) => {
      if (e[0] === 'u' || e[0] === 'U') return String.fromCodePoint(parseInt(e.slice(1), 16));
      return ({ n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' } as Record<string, string>)[e] ?? e;
    })
    .replace(/\$\$\{/g, '${')
    .replace(/%%\{/g, '%{');
}
