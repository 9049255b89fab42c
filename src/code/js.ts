// JavaScript / TypeScript handler files: exports, imports, AWS SDK calls. Parsed with oxc-parser
// (a native parser shipped in the npm package, ESTree output with UTF-16 offsets), loaded on first
// use: it starts in ~20 ms where the TypeScript compiler takes ~300 ms, which is most of a
// pre-commit run on one template.
//
// Over 600 lines because: one parse and one walk of a handler file collect its exports, imports and
// AWS SDK calls together (each file is parsed once), and the walk's cases share the binding tables
// built for that file.
import { createRequire } from 'node:module';
import type * as T from 'oxc-parser';
import type {
  ClassInfo,
  CodeGraph,
  ExportKind,
  FileFacts,
  GraphArg,
  GraphRef,
  Guard,
  GuardValue,
  RawSdkCall,
  ResourceHint,
  Sym,
} from './facts.js';
import { LineIndex } from '../source/lines.js';
import { UNKNOWN, and, decidable, not, reachingBinding } from './guard.js';
import { MAX_NESTING, nestingDepth } from './nesting.js';
import {
  LIB_DYNAMODB,
  POWERTOOLS_FUNCTIONS,
  POWERTOOLS_IDEMPOTENCY,
  POWERTOOLS_PROVIDERS,
  RESOURCE_PARAMS,
  clientMethodOperation,
  type HelperCall,
} from './sdk-map.js';

type Oxc = typeof import('oxc-parser');
type Node = T.Node;
type Expr = T.Expression;

let oxc: Oxc | undefined;
function loadOxc(): Oxc {
  return (oxc ??= createRequire(import.meta.url)('oxc-parser') as Oxc);
}

/**
 * oxc-parser's JSON transfer taken apart: the native parse and the JSON.parse of its program.
 * oxc-parser's `parseSync` wraps the result and, before returning, converts every field of it to JS
 * objects, the module record and every comment included (src-js/wrap.js), which lambdalint never
 * reads: that was a third of the time of a parse with the program read. Fields left unread are freed
 * with the native result when it is collected.
 *
 * On every Node version, although Node 22+ could take oxc's raw transfer (`experimentalRawTransfer`:
 * the tree deserialized by generated JavaScript from the parser's own buffer). That JavaScript is
 * fast only once V8 has optimized it, and a run parses each handler file once, on two threads: it
 * never gets there. Measured on the 2,000-function bench project (2,172 TS/JS files, Node 22.23 and
 * 24.22, four alternating runs each): raw transfer took 0.85-1.25 s more CPU than JSON and 60-130 MB
 * more peak RSS; one template with 10 handlers, the same or more. In a loop over the same files in
 * one process it wins from the third pass on (raw 170-270 ms against JSON 420-500 ms), never before.
 */
interface JsonTransfer {
  parseSync(
    file: string,
    text: string,
    options: T.ParserOptions,
  ): { readonly program: string; readonly errors: T.OxcError[] };
  jsonParseAst(json: string): T.Program;
}
let jsonTransfer: JsonTransfer | null | undefined;
/**
 * The two pieces, or null when this oxc-parser version does not have them where 0.159 does
 * (`src-js/bindings`, `src-js/wrap` are files of the package, not its documented API): its public
 * parseSync is used then.
 */
function loadJsonTransfer(): JsonTransfer | null {
  if (jsonTransfer === undefined) {
    jsonTransfer = null;
    try {
      const req = createRequire(import.meta.url);
      const { parseSync } = req('oxc-parser/src-js/bindings') as Partial<JsonTransfer>;
      const { jsonParseAst } = req('oxc-parser/src-js/wrap') as Partial<JsonTransfer>;
      if (typeof parseSync === 'function' && typeof jsonParseAst === 'function')
        jsonTransfer = { parseSync, jsonParseAst };
    } catch {
      // Moved or renamed in this version of the package.
    }
  }
  return jsonTransfer;
}

const TRACER_MODULES = new Set(['aws-xray-sdk', 'aws-xray-sdk-core', '@aws-lambda-powertools/tracer']);

/** Client of a variable: a v3 aggregated client, a v2 service object, a v2 DocumentClient. */
interface ClientInfo {
  sdk: 'js-v3' | 'js-v2';
  service: string;
  document?: boolean;
}

/** Language and module kind by extension: `.cjs` may `return` at the top, `.js` may be either. */
function parserOptions(file: string): T.ParserOptions {
  if (/\.(ts|mts|cts)$/.test(file))
    return { lang: 'ts', sourceType: /\.cts$/.test(file) ? 'commonjs' : 'module', preserveParens: false };
  if (/\.tsx$/.test(file)) return { lang: 'tsx', sourceType: 'module', preserveParens: false };
  const sourceType = /\.mjs$/.test(file) ? 'module' : /\.cjs$/.test(file) ? 'commonjs' : 'unambiguous';
  return { lang: 'jsx', sourceType, preserveParens: false };
}

/** The value of a string literal or of a template without substitutions. */
function stringOf(e: Node | null | undefined): string | undefined {
  if (!e) return undefined;
  if (e.type === 'Literal' && typeof e.value === 'string') return e.value;
  if (e.type === 'TemplateLiteral' && e.expressions.length === 0) return e.quasis[0]?.value.cooked ?? undefined;
  return undefined;
}

/** The name of an identifier, or of a string literal used as a name (`export { x as 'y' }`). */
function nameOf(e: Node | null | undefined): string | undefined {
  if (!e) return undefined;
  if (e.type === 'Identifier') return e.name;
  return e.type === 'Literal' && typeof e.value === 'string' ? e.value : undefined;
}

function isIdent(e: Node | null | undefined, name?: string): e is T.IdentifierReference {
  return !!e && e.type === 'Identifier' && (name === undefined || e.name === name);
}

/** `a.b` (not `a[b]`): the object and the property name. */
function staticMember(e: Node | null | undefined): { object: Expr; name: string } | undefined {
  if (!e || e.type !== 'MemberExpression' || e.computed || e.property.type !== 'Identifier') return undefined;
  return { object: e.object, name: e.property.name };
}

/** Strips TypeScript-only wrappers (`x as T`, `x!`, `x satisfies T`) and parentheses. */
function unwrap(e: Expr): Expr {
  for (;;) {
    if (
      e.type === 'TSAsExpression' ||
      e.type === 'TSSatisfiesExpression' ||
      e.type === 'TSNonNullExpression' ||
      e.type === 'ParenthesizedExpression' ||
      e.type === 'TSTypeAssertion'
    )
      e = e.expression;
    else return e;
  }
}

type VisitorKeys = Readonly<Record<string, readonly string[]>>;
let visitorKeys: VisitorKeys | undefined;

/**
 * oxc's visitor keys, from the one file that holds them (`src-js/generated/visit/keys`, among the
 * package's exports in 0.159), else from its index. The index loads the rest of oxc-parser's
 * JavaScript too (its Visitor, the raw-transfer check), which the JSON transfer above does without:
 * 6-14 ms against 1-2 ms on Node 20, in every run that reads JS/TS handler code.
 */
function visitorKeysOf(): VisitorKeys {
  if (!visitorKeys) {
    try {
      const keys = (createRequire(import.meta.url)('oxc-parser/src-js/generated/visit/keys') as { default?: unknown })
        .default;
      if (keys && typeof keys === 'object') visitorKeys = keys as VisitorKeys;
    } catch {
      // Moved or renamed in this version of the package.
    }
    visitorKeys ??= loadOxc().visitorKeys;
  }
  return visitorKeys;
}

/** TypeScript-only nodes that hold values (their type children are skipped on their own). */
const TS_VALUE_NODES = new Set([
  'TSAsExpression',
  'TSSatisfiesExpression',
  'TSNonNullExpression',
  'TSTypeAssertion',
  'TSInstantiationExpression',
  'TSEnumDeclaration',
  'TSEnumBody',
  'TSEnumMember',
  'TSModuleDeclaration',
  'TSModuleBlock',
  'TSExportAssignment',
  'TSParameterProperty',
  'TSImportEqualsDeclaration',
  'TSExternalModuleReference',
]);

/**
 * Depth-first walk in source order, with whether the node is inside a `try` block (not its
 * handlers). With `values`, the same walk collects the names used outside types and import
 * declarations (over-counted: any identifier, property names included).
 */
function walk(root: Node, visit: (n: Node, inTry: boolean) => void, values?: Set<string>): void {
  const keys = visitorKeysOf();
  const nodes: Node[] = [root];
  /** Per node on the stack: IN_TRY, and IN_TYPE when it is in a type or an import declaration. */
  const flags: number[] = [0];
  while (nodes.length) {
    const n = nodes.pop()!;
    let f = flags.pop()!;
    visit(n, (f & IN_TRY) !== 0);
    const type = n.type;
    if (values && (f & IN_TYPE) === 0) {
      if (type === 'Identifier') values.add(n.name);
      else if (type === 'ImportDeclaration' || (type.startsWith('TS') && !TS_VALUE_NODES.has(type))) f |= IN_TYPE;
    }
    const ks = keys[type];
    if (!ks) continue;
    const rec = n as unknown as Record<string, unknown>;
    // Pushed in reverse so that children are visited in source order.
    for (let i = ks.length - 1; i >= 0; i--) {
      const child = rec[ks[i]];
      if (!child || typeof child !== 'object') continue;
      const cf = type === 'TryStatement' && ks[i] === 'block' ? f | IN_TRY : f;
      if (Array.isArray(child)) {
        for (let j = child.length - 1; j >= 0; j--) {
          const c = child[j] as Node | null;
          if (c && typeof c.type === 'string') {
            nodes.push(c);
            flags.push(cf);
          }
        }
      } else if (typeof (child as Node).type === 'string') {
        nodes.push(child as Node);
        flags.push(cf);
      }
    }
  }
}
const IN_TRY = 1;
const IN_TYPE = 2;

/** Whether TypeScript drops this import: it names bindings and none is used as a value. */
function elided(n: T.ImportDeclaration, valueRefs: Set<string>): boolean {
  if (n.specifiers.length === 0) return false; // `import './side-effect'` stays
  return n.specifiers.every(
    (sp) => (sp.type === 'ImportSpecifier' && sp.importKind === 'type') || !valueRefs.has(sp.local.name),
  );
}

export function parseJs(file: string, text: string): FileFacts {
  if (nestingDepth(text) > MAX_NESTING) {
    // oxc-parser would overflow the native stack and kill the process (see nesting.ts).
    return {
      file,
      exports: new Map(),
      openExports: true,
      imports: [],
      calls: [],
      skipped: `the handler file nests more than ${MAX_NESTING} levels deep; lambdalint does not parse it`,
    };
  }
  let program: T.Program;
  let errors: T.OxcError[];
  const json = loadJsonTransfer();
  if (json) {
    const parsed = json.parseSync(file, text, parserOptions(file));
    program = json.jsonParseAst(parsed.program);
    errors = parsed.errors;
  } else {
    const parsed = loadOxc().parseSync(file, text, parserOptions(file));
    program = parsed.program;
    errors = parsed.errors;
  }
  return readProgram(file, text, program, errors.length ? errors[0].message || 'syntax error' : undefined);
}

function readProgram(file: string, text: string, program: T.Program, parseError: string | undefined): FileFacts {
  const lines = new LineIndex(file, text);
  const rangeOf = (n: T.Span) => lines.range(n.start, n.end);
  const facts: FileFacts = { file, exports: new Map(), openExports: false, imports: [], calls: [] };
  if (parseError !== undefined) facts.parseError = parseError;

  // Local declarations, to judge `export { x as handler }` and `exports.handler = x`.
  const locals = new Map<string, ExportKind>();
  const kindOfExpr = (e: Expr | null | undefined): ExportKind => {
    if (!e) return 'unknown';
    e = unwrap(e);
    if (e.type === 'ArrowFunctionExpression' || e.type === 'FunctionExpression') return 'function';
    if (
      e.type === 'Literal' ||
      e.type === 'ObjectExpression' ||
      e.type === 'ArrayExpression' ||
      e.type === 'TemplateLiteral' ||
      e.type === 'ClassExpression'
    )
      return 'not-function';
    if (e.type === 'Identifier') return locals.get(e.name) ?? 'unknown';
    return 'unknown';
  };
  for (const top of program.body) {
    const st = top.type === 'ExportNamedDeclaration' && top.declaration ? top.declaration : top;
    if (st.type === 'FunctionDeclaration' && st.id) locals.set(st.id.name, 'function');
    else if (st.type === 'ClassDeclaration' && st.id) locals.set(st.id.name, 'not-function');
    else if (st.type === 'VariableDeclaration') {
      for (const d of st.declarations) if (d.id.type === 'Identifier') locals.set(d.id.name, kindOfExpr(d.init));
    }
  }
  const addExport = (name: string, k: ExportKind, n: T.Span) => {
    if (!facts.exports.has(name)) facts.exports.set(name, { kind: k, range: rangeOf(n) });
  };

  // Imported identifiers: local name → module and imported name.
  const imported = new Map<string, { module: string; name: string }>();
  const clients = new Map<string, ClientInfo>();
  const strings = new Map<string, string | { env?: string; prefix?: string; event?: 's3-bucket' }>();

  /** Where each import of facts.imports is written (the tracer is the first of a tracer module, once imports TypeScript drops are out). */
  const importNodes: T.Span[] = [];
  const addImport = (specNode: T.Span, spec: string) => {
    facts.imports.push({
      specifier: spec,
      range: rangeOf(specNode),
      relative: spec.startsWith('.') || spec.startsWith('/'),
    });
    importNodes.push(specNode);
  };

  const v3Service = (mod: string): string | undefined => {
    const m = /^@aws-sdk\/client-(.+)$/.exec(mod);
    return m ? m[1] : undefined;
  };

  /** `<record>.s3.bucket.name`: the bucket an S3 notification record names. */
  const isS3EventBucket = (e: Expr): boolean => {
    const names: string[] = [];
    let cur: Expr = e;
    for (let i = 0; i < 3; i++) {
      const m = staticMember(cur);
      if (!m) return false;
      names.unshift(m.name);
      cur = unwrap(m.object);
    }
    return names.join('.') === 's3.bucket.name';
  };

  /** `process.env.X`, `process.env['X']`, a string literal, the S3 event's bucket, or a const holding one of them. */
  const hintValue = (
    e: Expr | null | undefined,
  ): { literal?: string; env?: string; prefix?: string; event?: 's3-bucket' } | undefined => {
    if (!e) return undefined;
    e = unwrap(e);
    const s = stringOf(e);
    if (s !== undefined) return { literal: s };
    // A value built at run time: `${prefix}/${id}.json` or 'uploads/' + name. Known parts are
    // joined up to the first unknown one: the whole value, or only its start (a key prefix).
    if (e.type === 'TemplateLiteral' || (e.type === 'BinaryExpression' && e.operator === '+')) {
      const parts: (string | undefined)[] = [];
      const flatten = (x: Expr): void => {
        x = unwrap(x);
        if (x.type === 'TemplateLiteral') {
          x.quasis.forEach((q, i) => {
            parts.push(q.value.cooked ?? undefined);
            if (i < x.expressions.length) flatten(x.expressions[i] as Expr);
          });
        } else if (x.type === 'BinaryExpression' && x.operator === '+') {
          flatten(x.left);
          flatten(x.right);
        } else {
          const v = x.type === 'Literal' && typeof x.value === 'number' ? { literal: String(x.value) } : hintValue(x);
          parts.push(v?.literal ?? (v?.prefix !== undefined ? v.prefix : undefined));
          if (v?.literal === undefined) parts.push(undefined);
        }
      };
      flatten(e);
      const stop = parts.indexOf(undefined);
      const known = (stop < 0 ? parts : parts.slice(0, stop)).join('');
      return stop < 0 ? { literal: known } : { prefix: known };
    }
    if (e.type === 'Literal' && typeof e.value === 'boolean') return { literal: String(e.value) };
    if (e.type === 'MemberExpression') {
      if (isS3EventBucket(e)) return { event: 's3-bucket' };
      const env = staticMember(e.object);
      if (env && isIdent(env.object, 'process') && env.name === 'env') {
        if (!e.computed && e.property.type === 'Identifier') return { env: e.property.name };
        const key = e.computed ? stringOf(e.property) : undefined;
        if (key !== undefined) return { env: key };
      }
      return undefined;
    }
    if (e.type === 'Identifier') {
      const v = strings.get(e.name);
      if (typeof v === 'string') return { literal: v };
      if (v) return v;
    }
    return undefined;
  };
  const hintsOf = (node: T.Argument | undefined): ResourceHint[] => {
    const out: ResourceHint[] = [];
    const arg = node && node.type !== 'SpreadElement' ? unwrap(node) : undefined;
    if (!arg || arg.type !== 'ObjectExpression') return out;
    for (const p of arg.properties) {
      if (p.type !== 'Property' || p.computed || p.kind !== 'init' || p.method) continue;
      const name = nameOf(p.key);
      if (name === undefined || !RESOURCE_PARAMS.has(name)) continue;
      const v = hintValue(p.value);
      if (v) out.push({ param: name, ...v });
    }
    return out;
  };
  const push = (c: Omit<RawSdkCall, 'range'>, at: T.Span) => facts.calls.push({ ...c, range: rangeOf(at) });

  /**
   * The import an expression names: an imported identifier, or a member of a namespace
   * (`import * as ns`, or a `require()` kept whole, as bundlers emit: `import_client_s3.S3Client`).
   */
  const resolveImport = (e: Expr): { module: string; name: string } | undefined => {
    e = unwrap(e);
    // `(0, import_x.paginateFoo)(...)`: bundlers call imported functions through a sequence.
    if (e.type === 'SequenceExpression' && e.expressions.length) e = unwrap(e.expressions[e.expressions.length - 1]);
    if (e.type === 'Identifier') return imported.get(e.name);
    const m = staticMember(e);
    if (!m || m.object.type !== 'Identifier') return undefined;
    const ns = imported.get(m.object.name);
    if (!ns || (ns.name !== '*' && ns.name !== 'default') || ns.module === 'aws-sdk') return undefined;
    return { module: ns.module, name: m.name };
  };

  /** What client a `new X(...)` expression makes, if it is an SDK client. */
  const clientOfNew = (e: T.NewExpression): ClientInfo | undefined => {
    const callee = unwrap(e.callee);
    const named = resolveImport(callee);
    if (named) {
      const svc = v3Service(named.module);
      if (svc && !/Command$|Client$/.test(named.name) && /^[A-Z]/.test(named.name))
        return { sdk: 'js-v3', service: svc };
      if (named.module === '@aws-sdk/lib-dynamodb' && named.name === 'DynamoDBDocument')
        return { sdk: 'js-v3', service: 'dynamodb', document: true };
      if (named.module === 'aws-sdk' && /^[A-Z]/.test(named.name))
        return { sdk: 'js-v2', service: named.name.toLowerCase() };
      // import { DocumentClient } from 'aws-sdk/clients/dynamodb'
      if (named.module === 'aws-sdk/clients/dynamodb' && named.name === 'DocumentClient')
        return { sdk: 'js-v2', service: 'dynamodb', document: true };
      const m = /^aws-sdk\/clients\/([a-z0-9]+)$/.exec(named.module);
      if (m) return { sdk: 'js-v2', service: m[1] };
      return undefined;
    }
    // new AWS.S3(), new AWS.DynamoDB.DocumentClient(), new DynamoDB.DocumentClient()
    const parts: string[] = [];
    let x: Expr = callee;
    for (let m = staticMember(x); m; m = staticMember(x)) {
      parts.unshift(m.name);
      x = unwrap(m.object);
    }
    if (!parts.length || x.type !== 'Identifier') return undefined;
    const imp = imported.get(x.name);
    if (!imp) return undefined;
    if (imp.module === 'aws-sdk' && imp.name === '*') {
      if (parts.length === 1) return { sdk: 'js-v2', service: parts[0].toLowerCase() };
      if (parts.length === 2 && parts[0] === 'DynamoDB' && parts[1] === 'DocumentClient')
        return { sdk: 'js-v2', service: 'dynamodb', document: true };
    }
    if ((imp.module === 'aws-sdk' && imp.name === 'DynamoDB') || imp.module === 'aws-sdk/clients/dynamodb') {
      if (parts.length === 1 && parts[0] === 'DocumentClient')
        return { sdk: 'js-v2', service: 'dynamodb', document: true };
    }
    return undefined;
  };

  const clientOfExpr = (e: Expr): ClientInfo | undefined => {
    e = unwrap(e);
    if (e.type === 'Identifier') return clients.get(e.name);
    if (e.type === 'NewExpression') return clientOfNew(e);
    // DynamoDBDocument.from(client)
    if (e.type === 'CallExpression') {
      const m = staticMember(e.callee);
      if (m && m.name === 'from' && m.object.type === 'Identifier') {
        const imp = imported.get(m.object.name);
        if (imp?.module === '@aws-sdk/lib-dynamodb' && imp.name === 'DynamoDBDocument')
          return { sdk: 'js-v3', service: 'dynamodb', document: true };
      }
    }
    return undefined;
  };

  const isModuleExports = (e: Node) => {
    const m = staticMember(e);
    return !!m && isIdent(m.object, 'module') && m.name === 'exports';
  };

  // TypeScript: an import none of whose names is used as a value is removed by the compiler and by
  // esbuild (they may be types: https://esbuild.github.io/content-types/#typescript-caveats), so the
  // package is not needed at run time (`import { Handler } from 'aws-lambda'`). The names used as
  // values are collected by the first pass below: such imports are taken out after it.
  const valueRefs = /\.[cm]?tsx?$/.test(file) ? new Set<string>() : undefined;
  /** Imports that bind names, by index in facts.imports: out when none of their names is used as a value. */
  const bindingImports = new Map<number, T.ImportDeclaration>();

  // Exports and imports at the top of the module.
  for (const n of program.body) {
    if (n.type === 'ImportDeclaration') {
      const spec = n.source.value;
      if (n.importKind !== 'type') {
        if (valueRefs && n.specifiers.length) bindingImports.set(facts.imports.length, n);
        addImport(n.source, spec);
      }
      for (const s of n.specifiers) {
        if (s.type === 'ImportDefaultSpecifier')
          imported.set(s.local.name, { module: spec, name: spec === 'aws-sdk' ? '*' : 'default' });
        else if (s.type === 'ImportNamespaceSpecifier') imported.set(s.local.name, { module: spec, name: '*' });
        else if (s.importKind !== 'type')
          imported.set(s.local.name, { module: spec, name: nameOf(s.imported) ?? s.local.name });
      }
    } else if (n.type === 'ExportNamedDeclaration') {
      if (n.source) {
        if (n.exportKind !== 'type') addImport(n.source, n.source.value);
        for (const s of n.specifiers) {
          const name = nameOf(s.exported);
          if (name !== undefined && s.exportKind !== 'type') addExport(name, 'unknown', s);
        }
      } else if (n.declaration) {
        const d = n.declaration;
        if (d.type === 'FunctionDeclaration' && d.id) addExport(d.id.name, 'function', d.id);
        else if (d.type === 'ClassDeclaration' && d.id) addExport(d.id.name, 'not-function', d.id);
        else if (d.type === 'VariableDeclaration') {
          for (const v of d.declarations)
            if (v.id.type === 'Identifier') addExport(v.id.name, kindOfExpr(v.init), v.id);
        }
      } else {
        for (const s of n.specifiers) {
          const name = nameOf(s.exported);
          const local = nameOf(s.local);
          if (name !== undefined && s.exportKind !== 'type')
            addExport(name, (local !== undefined && locals.get(local)) || 'unknown', s);
        }
      }
    } else if (n.type === 'ExportAllDeclaration') {
      if (n.exportKind !== 'type') addImport(n.source, n.source.value);
      const name = nameOf(n.exported);
      if (name === undefined) facts.openExports = true;
      else addExport(name, 'not-function', n.exported!);
    } else if (n.type === 'ExportDefaultDeclaration') {
      const d = n.declaration;
      if (d.type === 'FunctionDeclaration') addExport('default', 'function', d.id ?? n);
      else if (d.type === 'ClassDeclaration') addExport('default', 'not-function', d.id ?? n);
      else if (d.type !== 'TSInterfaceDeclaration') addExport('default', kindOfExpr(d as Expr), n);
    } else if (n.type === 'TSExportAssignment') {
      addExport('default', 'unknown', n);
      facts.openExports = true;
    }
  }

  // First pass over the whole file: requires, CommonJS exports, and variable → client / string
  // bindings (file-wide by name).
  walk(
    program,
    (n, inTry) => {
      if (n.type === 'VariableDeclarator' && n.init) {
        const init = unwrap(n.init);
        if (n.id.type === 'Identifier') {
          const c = clientOfExpr(init);
          if (c) clients.set(n.id.name, c);
          const h = hintValue(init);
          if (h?.literal !== undefined) strings.set(n.id.name, h.literal);
          else if (h?.env) strings.set(n.id.name, { env: h.env });
          else if (h?.event) strings.set(n.id.name, { event: h.event });
          else if (h?.prefix !== undefined) strings.set(n.id.name, { prefix: h.prefix });
        }
        // const AWS = require('aws-sdk'); const { S3 } = require('@aws-sdk/client-s3')
        // Bundlers wrap the require in an interop helper: `__toESM(require("x"))`.
        const req =
          init.type === 'CallExpression' &&
          !isIdent(init.callee, 'require') &&
          init.arguments.length <= 2 &&
          init.arguments[0]?.type === 'CallExpression'
            ? init.arguments[0]
            : init;
        const spec =
          req.type === 'CallExpression' && isIdent(req.callee, 'require') ? stringOf(req.arguments[0]) : undefined;
        if (spec !== undefined) {
          if (n.id.type === 'Identifier')
            imported.set(n.id.name, { module: spec, name: spec === 'aws-sdk' ? '*' : 'default' });
          else if (n.id.type === 'ObjectPattern') {
            for (const p of n.id.properties) {
              if (p.type !== 'Property' || p.value.type !== 'Identifier') continue;
              imported.set(p.value.name, { module: spec, name: (!p.computed && nameOf(p.key)) || p.value.name });
            }
          }
        }
      } else if (n.type === 'CallExpression' && isIdent(n.callee, 'require')) {
        const a = n.arguments[0];
        const spec = stringOf(a);
        if (spec !== undefined && !inTry) addImport(a, spec);
      } else if (n.type === 'ImportExpression') {
        const spec = stringOf(n.source);
        if (spec !== undefined && !inTry) addImport(n.source, spec);
      } else if (n.type === 'AssignmentExpression' && n.operator === '=') {
        // CommonJS exports: exports.x = ..., module.exports.x = ..., module.exports = {...}
        const l = n.left;
        const member = staticMember(l);
        if (
          member &&
          (isIdent(member.object, 'exports') || isModuleExports(member.object)) &&
          l.type === 'MemberExpression'
        ) {
          addExport(member.name, kindOfExpr(n.right), l.property);
        } else if (isModuleExports(l)) {
          const right = unwrap(n.right);
          if (right.type === 'ObjectExpression') {
            for (const p of right.properties) {
              const name = p.type === 'Property' && !p.computed ? nameOf(p.key) : undefined;
              if (p.type !== 'Property' || name === undefined || p.kind !== 'init') facts.openExports = true;
              else if (p.shorthand) addExport(name, locals.get(name) ?? 'unknown', p.key);
              else if (p.method) addExport(name, 'function', p.key);
              else addExport(name, kindOfExpr(p.value), p.key);
            }
          } else facts.openExports = true;
        }
      }
    },
    valueRefs,
  );
  if (valueRefs && bindingImports.size) {
    let kept = 0;
    for (let i = 0; i < facts.imports.length; i++) {
      const decl = bindingImports.get(i);
      if (decl && elided(decl, valueRefs)) continue;
      facts.imports[kept] = facts.imports[i];
      importNodes[kept++] = importNodes[i];
    }
    facts.imports.length = importNodes.length = kept;
  }
  for (let i = 0; i < facts.imports.length; i++)
    if (TRACER_MODULES.has(facts.imports[i].specifier)) {
      facts.tracer = rangeOf(importNodes[i]);
      break;
    }

  // Second pass: the call graph and the SDK calls, each call in the unit (function body) that makes
  // it. Functions nested in a unit (callbacks, closures) belong to it; the top level is unit 0.
  const g: CodeGraph = {
    units: [],
    classes: [],
    bindings: new Map(),
    exports: new Map(),
    exportAll: [],
    staticImports: [],
  };
  interface Ctx {
    unit: number;
    params: string[];
    /** What `this` stands for: the class instance, or the object literal of a method. */
    self?: Sym;
    cls?: number;
    /** Names bound in the unit to something the graph can follow (`const svc = new Service()`). */
    aliases: Map<string, Sym>;
    /** Object literals bound to names in the unit, for hints (`const params = { TableName }`). */
    objects: Map<string, T.ObjectExpression>;
    /** The conditions of the branches being visited (src/code/guard.ts). */
    guard?: Guard;
  }
  const newUnit = (name: string, params: string[]): number => {
    g.units.push({
      name,
      params,
      refs: [],
      calls: [],
      dispatch: [],
      loads: [],
      dynamic: [],
    });
    return g.units.length - 1;
  };
  newUnit('<module>', []);
  const top: Ctx = { unit: 0, params: [], aliases: new Map(), objects: new Map() };
  const topNames = new Set<string>([...locals.keys(), ...imported.keys()]);
  for (const st of program.body) {
    const d = st.type === 'ExportNamedDeclaration' && st.declaration ? st.declaration : st;
    if (d.type !== 'VariableDeclaration') continue;
    for (const v of d.declarations) {
      if (v.id.type === 'ObjectPattern')
        for (const p of v.id.properties)
          if (p.type === 'Property' && p.value.type === 'Identifier') topNames.add(p.value.name);
    }
  }
  const unresolved = (ctx: Ctx, reason: string, n = 1) => {
    const u = (g.units[ctx.unit].unresolved ??= new Map());
    u.set(reason, (u.get(reason) ?? 0) + n);
  };

  const paramNames = (fn: T.Function | T.ArrowFunctionExpression): string[] =>
    fn.params.map((p) => {
      const q =
        (p.type as string) === 'TSParameterProperty' ? (p as unknown as { parameter: Node }).parameter : (p as Node);
      const id = q.type === 'AssignmentPattern' ? q.left : q.type === 'RestElement' ? q.argument : q;
      return id.type === 'Identifier' ? id.name : '';
    });

  /** Hints of an argument: an object literal, or a name bound to one in the unit or at the top. */
  const argHints = (arg: T.Argument | undefined, ctx: Ctx): ResourceHint[] => {
    const a = arg && arg.type !== 'SpreadElement' ? unwrap(arg) : undefined;
    if (a?.type === 'Identifier') {
      const o = ctx.objects.get(a.name) ?? top.objects.get(a.name);
      return o ? hintsOf(o) : [];
    }
    return hintsOf(arg);
  };
  const argsOf = (args: T.Argument[], ctx: Ctx): GraphArg[] =>
    args.map((a) => ({
      literal: a.type === 'SpreadElement' ? undefined : stringOf(unwrap(a)),
      hints: argHints(a, ctx),
    }));
  /** The parameter index an argument names, when it is a bare parameter of the unit. */
  const paramIndex = (arg: T.Argument | undefined, ctx: Ctx): number | undefined => {
    const a = arg && arg.type !== 'SpreadElement' ? unwrap(arg) : undefined;
    const i = a?.type === 'Identifier' ? ctx.params.indexOf(a.name) : -1;
    return i >= 0 ? i : undefined;
  };

  /** The SDK client (or Powertools provider) a `new X(...)` makes. */
  const providerOfNew = (e: T.NewExpression, ctx: Ctx): Sym | undefined => {
    const c = clientOfNew(e);
    if (c) return { k: 'client', ...c };
    const imp = resolveImport(e.callee);
    const p = imp && POWERTOOLS_PROVIDERS[imp.name];
    if (p && imp.module === p.module) {
      const opts = e.arguments[0] && e.arguments[0].type !== 'SpreadElement' ? unwrap(e.arguments[0]) : undefined;
      const table =
        opts?.type === 'ObjectExpression'
          ? opts.properties.find((q) => q.type === 'Property' && !q.computed && nameOf(q.key) === 'tableName')
          : undefined;
      const h = table?.type === 'Property' ? hintValue(table.value) : undefined;
      void ctx;
      return {
        k: 'client',
        sdk: 'js-v3',
        service: imp.name,
        provider: imp.name,
        hints: h ? [{ param: 'TableName', ...h }] : [],
      };
    }
    return undefined;
  };

  /** What a name / member chain / `this` / `new X()` / `require()` / `import()` stands for. */
  const chainSym = (e: Node, ctx: Ctx): Sym | undefined => {
    e = unwrap(e as Expr);
    if (e.type === 'Identifier')
      return (
        ctx.aliases.get(e.name) ??
        top.aliases.get(e.name) ??
        (topNames.has(e.name) ? { k: 'local', name: e.name } : undefined)
      );
    if (e.type === 'ThisExpression') return ctx.self;
    if (e.type === 'Super')
      return ctx.cls !== undefined && g.classes[ctx.cls].base ? { k: 'new', of: g.classes[ctx.cls].base! } : undefined;
    if (e.type === 'AwaitExpression') return chainSym(e.argument, ctx);
    if (e.type === 'ImportExpression') {
      const spec = stringOf(e.source);
      return spec === undefined ? undefined : { k: 'import', module: spec, name: '*' };
    }
    if (e.type === 'CallExpression' && isIdent(e.callee, 'require')) {
      const spec = stringOf(e.arguments[0]);
      return spec === undefined ? undefined : { k: 'import', module: spec, name: '*' };
    }
    if (e.type === 'NewExpression') {
      const p = providerOfNew(e, ctx);
      if (p) return p;
      const of = chainSym(e.callee, ctx);
      return of ? { k: 'new', of } : undefined;
    }
    if (e.type === 'CallExpression') {
      const c = clientOfExpr(e);
      return c ? { k: 'client', ...c } : undefined;
    }
    if (e.type === 'MemberExpression') {
      const name = e.computed ? stringOf(e.property) : e.property.type === 'Identifier' ? e.property.name : undefined;
      if (name === undefined) return undefined;
      const of = chainSym(e.object, ctx);
      return of ? { k: 'member', of, name } : undefined;
    }
    return undefined;
  };

  /** What a TypeScript type annotation names: an SDK client, or an instance of a class. */
  const typeSym = (ann: Node | null | undefined, ctx: Ctx): Sym | undefined => {
    if (!ann || ann.type !== 'TSTypeAnnotation') return undefined;
    const t = ann.typeAnnotation;
    if (t.type !== 'TSTypeReference') return undefined;
    const parts: string[] = [];
    let n: Node = t.typeName;
    while (n.type === 'TSQualifiedName') {
      parts.unshift(n.right.name);
      n = n.left;
    }
    if (n.type !== 'Identifier') return undefined;
    // Read the type as the constructor it names: `s3: S3Client` is what `new S3Client()` makes.
    let callee: Expr = { type: 'Identifier', name: n.name, start: 0, end: 0 } as unknown as Expr;
    for (const p of parts)
      callee = {
        type: 'MemberExpression',
        object: callee,
        property: { type: 'Identifier', name: p, start: 0, end: 0 },
        computed: false,
        optional: false,
        start: 0,
        end: 0,
      } as unknown as Expr;
    const c = clientOfNew({
      type: 'NewExpression',
      callee,
      arguments: [],
      start: 0,
      end: 0,
    } as unknown as T.NewExpression);
    if (c) return { k: 'client', ...c };
    const of = chainSym(callee, ctx);
    return of && parts.length === 0 && !imported.get(n.name)?.module.startsWith('@aws-sdk/')
      ? { k: 'new', of }
      : undefined;
  };

  const pushCall = (ctx: Ctx, c: Omit<RawSdkCall, 'range'>, at: T.Span, request?: T.Argument): number => {
    push(ctx.guard ? { ...c, guard: ctx.guard } : c, at);
    const idx = facts.calls.length - 1;
    g.units[ctx.unit].calls.push(idx);
    const pi = paramIndex(request, ctx);
    if (pi !== undefined && !c.hints.length) (g.units[ctx.unit].callParams ??= new Map()).set(idx, pi);
    return idx;
  };

  /** A helper call (Powertools) as one SDK call per operation. */
  const pushHelper = (
    ctx: Ctx,
    h: HelperCall,
    label: string,
    hints: ResourceHint[],
    at: T.Span,
    request?: T.Argument,
  ): number[] =>
    h.operations.map((op) =>
      pushCall(
        ctx,
        { sdk: 'js-v3', service: h.service, operation: op, label, hints },
        at,
        h.hint ? undefined : request,
      ),
    );

  const visitFn = (fn: T.Function | T.ArrowFunctionExpression, ctx: Ctx) => {
    for (const p of fn.params) {
      const q =
        (p.type as string) === 'TSParameterProperty' ? (p as unknown as { parameter: Node }).parameter : (p as Node);
      if (q.type === 'AssignmentPattern') visit(q.right, ctx);
    }
    if (fn.body) visit(fn.body, ctx);
  };
  const unitOf = (fn: T.Function | T.ArrowFunctionExpression, name: string, extra: Partial<Ctx> = {}): Sym => {
    const id = newUnit(name, paramNames(fn));
    visitFn(fn, { unit: id, params: g.units[id].params, aliases: new Map(), objects: new Map(), ...extra });
    return { k: 'unit', id };
  };

  const makeClass = (c: T.Class, name: string, ctx: Ctx): number => {
    const id = g.classes.length;
    const info: ClassInfo = { name, members: new Map(), fields: new Map() };
    g.classes.push(info);
    if (c.superClass) info.base = chainSym(c.superClass, ctx) ?? undefined;
    const self: Sym = { k: 'new', of: { k: 'class', id } };
    const inClass = { self, cls: id };
    const ctorFields: T.PropertyDefinition[] = [];
    for (const d of c.decorators ?? []) visit(d, ctx);
    for (const el of c.body.body) {
      if (el.type === 'StaticBlock') {
        for (const s of el.body) visit(s, ctx);
        continue;
      }
      if (
        el.type !== 'MethodDefinition' &&
        el.type !== 'PropertyDefinition' &&
        el.type !== 'TSAbstractMethodDefinition' &&
        el.type !== 'TSAbstractPropertyDefinition'
      )
        continue;
      const key = el.computed ? stringOf(el.key) : nameOf(el.key);
      if (el.computed && key === undefined) visit(el.key, ctx);
      if (el.type === 'MethodDefinition') {
        const u = unitOf(el.value, `${name}.${key ?? '[computed]'}`, inClass);
        const unit = g.units[(u as { id: number }).id];
        // Decorators run the method through them: what they hand over runs with it.
        for (const d of el.decorators ?? [])
          visit(d, {
            unit: (u as { id: number }).id,
            params: unit.params,
            aliases: new Map(),
            objects: new Map(),
            ...inClass,
          });
        if (key !== undefined) info.members.set(key, u);
        if (el.kind === 'constructor') {
          el.value.params.forEach((p) => {
            if ((p.type as string) !== 'TSParameterProperty') return;
            const q = (p as unknown as { parameter: Node }).parameter;
            const id2 = q.type === 'AssignmentPattern' ? q.left : q;
            const s = id2.type === 'Identifier' ? typeSym(id2.typeAnnotation, ctx) : undefined;
            if (id2.type === 'Identifier' && s) info.fields.set(id2.name, s);
          });
        }
      } else if (el.type === 'PropertyDefinition') {
        const v = el.value ? unwrap(el.value) : undefined;
        if (v && (v.type === 'ArrowFunctionExpression' || v.type === 'FunctionExpression')) {
          if (key !== undefined) info.members.set(key, unitOf(v, `${name}.${key}`, inClass));
          else unitOf(v, `${name}.[computed]`, inClass);
        } else {
          const s = v ? evalSym(v, ctx) : typeSym(el.typeAnnotation, ctx);
          if (key !== undefined && s) info.fields.set(key, s);
          if (v) ctorFields.push(el);
        }
      }
    }
    // Field initializers run with the constructor.
    if (ctorFields.length) {
      let ctor = info.members.get('constructor');
      if (!ctor) {
        ctor = { k: 'unit', id: newUnit(`${name}.constructor`, []) };
        info.members.set('constructor', ctor);
      }
      const cid = (ctor as { id: number }).id;
      const cctx: Ctx = { unit: cid, params: g.units[cid].params, aliases: new Map(), objects: new Map(), ...inClass };
      for (const f of ctorFields) if (f.value) visit(f.value, cctx);
    }
    return id;
  };

  /** A value without side effects on the graph: what `this.x = ...` or a field holds. */
  const evalSym = (e: Expr, ctx: Ctx): Sym | undefined => {
    e = unwrap(e);
    if (e.type === 'NewExpression') return providerOfNew(e, ctx) ?? chainSym(e, ctx);
    return chainSym(e, ctx);
  };

  /** Functions and names an argument hands over (run later, by whoever receives them). */
  const lazyRefs = (e: Node, ctx: Ctx, name: string, out: { refs: GraphRef[]; calls: number[] }): void => {
    e = unwrap(e as Expr);
    if (e.type === 'ArrowFunctionExpression' || e.type === 'FunctionExpression')
      out.refs.push({ sym: unitOf(e, name) });
    else if (e.type === 'ObjectExpression') {
      for (const p of e.properties) {
        if (p.type === 'SpreadElement') lazyRefs(p.argument, ctx, name, out);
        else {
          if (p.computed) visit(p.key, ctx);
          lazyRefs(p.value, ctx, name, out);
        }
      }
    } else if (e.type === 'ArrayExpression') {
      for (const x of e.elements) if (x) lazyRefs(x, ctx, name, out);
    } else if (e.type === 'CallExpression' || e.type === 'NewExpression') {
      const s = evalTop(e, name);
      if (s.k === 'lazy') {
        out.refs.push(...s.refs);
        out.calls.push(...s.calls);
      } else if (s.k !== 'unknown') out.refs.push({ sym: s });
    } else {
      const s = chainSym(e, ctx);
      if (s) out.refs.push({ sym: s });
      else visit(e, ctx);
    }
  };

  /**
   * What a top-level initializer or export holds. Calls in it run at load time (unit 0); the
   * functions and names handed to a call run when its result runs (a lazy value).
   */
  const evalTop = (e: Expr, name: string): Sym => {
    e = unwrap(e);
    if (e.type === 'ArrowFunctionExpression' || e.type === 'FunctionExpression') return unitOf(e, name);
    if (e.type === 'ClassExpression') return { k: 'class', id: makeClass(e, e.id?.name ?? name, top) };
    if (e.type === 'ObjectExpression') {
      const obj: Sym & { k: 'obj' } = { k: 'obj', members: new Map(), spreads: [] };
      for (const p of e.properties) {
        if (p.type === 'SpreadElement') {
          const s = chainSym(p.argument, top);
          if (s) obj.spreads.push(s);
          else visit(p.argument, top);
          continue;
        }
        const key = p.computed ? stringOf(p.key) : nameOf(p.key);
        if (p.computed && key === undefined) visit(p.key, top);
        const v = unwrap(p.value as Expr);
        let s: Sym;
        if (v.type === 'ArrowFunctionExpression' || v.type === 'FunctionExpression') {
          const id = newUnit(`${name}.${key ?? '[computed]'}`, paramNames(v));
          s = { k: 'unit', id };
          visitFn(v, { unit: id, params: g.units[id].params, aliases: new Map(), objects: new Map(), self: obj });
        } else s = evalTop(v, `${name}.${key}`);
        if (key !== undefined) obj.members.set(key, s);
      }
      return obj;
    }
    if (e.type === 'AwaitExpression') {
      if (e.argument.type === 'ImportExpression') {
        const spec = stringOf(e.argument.source);
        if (spec !== undefined) g.units[0].loads.push(spec);
      }
      const s = chainSym(e.argument, top);
      if (s) return s;
      visit(e.argument, top);
      return { k: 'unknown' };
    }
    if (e.type === 'NewExpression') {
      const imp = resolveImport(e.callee);
      if (imp?.module === POWERTOOLS_IDEMPOTENCY.module && imp.name === POWERTOOLS_IDEMPOTENCY.className) {
        // The persistence layer's calls happen when the idempotent function runs: charged where it is used.
        const lazy: Sym & { k: 'lazy' } = { k: 'lazy', refs: [], calls: [] };
        const before = facts.calls.length;
        persistenceCalls(e, top);
        const added = g.units[0].calls.splice(g.units[0].calls.length - (facts.calls.length - before));
        lazy.calls.push(...added);
        return lazy;
      }
      const p = providerOfNew(e, top);
      visit(e, top);
      if (p) return p;
      const s = chainSym(e, top);
      return s ?? { k: 'unknown' };
    }
    if (e.type === 'CallExpression') {
      if (isIdent(e.callee, 'require')) return chainSym(e, top) ?? { k: 'unknown' };
      const c = clientOfExpr(e);
      if (c) return { k: 'client', ...c };
      if (sdkCallAt(e, top)) return { k: 'unknown' };
      const lazy: Sym & { k: 'lazy' } = { k: 'lazy', refs: [], calls: [] };
      const callee = unwrap(e.callee);
      // middy(handler).use(...): the inner call's handover belongs to the result too.
      if (
        callee.type === 'MemberExpression' &&
        (unwrap(callee.object).type === 'CallExpression' || unwrap(callee.object).type === 'NewExpression')
      ) {
        lazyRefs(callee.object, top, name, lazy);
      } else {
        const s = chainSym(callee, top);
        if (s) g.units[0].refs.push({ sym: s, call: { range: rangeOf(e), args: argsOf(e.arguments, top) } });
        else visit(callee, top);
      }
      for (const a of e.arguments) lazyRefs(a.type === 'SpreadElement' ? a.argument : a, top, name, lazy);
      return lazy;
    }
    const s = chainSym(e, top);
    if (s) return s;
    visit(e, top);
    return { k: 'unknown' };
  };

  const persistenceCalls = (e: T.NewExpression, ctx: Ctx) => {
    const opts = e.arguments[0] && e.arguments[0].type !== 'SpreadElement' ? unwrap(e.arguments[0]) : undefined;
    const table =
      opts?.type === 'ObjectExpression'
        ? opts.properties.find((q) => q.type === 'Property' && !q.computed && nameOf(q.key) === 'tableName')
        : undefined;
    const h = table?.type === 'Property' ? hintValue(table.value) : undefined;
    pushHelper(
      ctx,
      { service: 'dynamodb', operations: POWERTOOLS_IDEMPOTENCY.operations },
      POWERTOOLS_IDEMPOTENCY.className,
      h ? [{ param: 'TableName', ...h }] : [],
      e,
    );
  };

  /** Records the SDK call a call expression is, if it is one; true when it was. */
  const sdkCallAt = (n: T.CallExpression, ctx: Ctx): boolean => {
    const callee = n.callee;
    const imp = resolveImport(callee);
    // paginateListObjectsV2(config, input), or a bundle's (0, import_client_s3.paginateListObjectsV2)(...)
    const pg = imp && /^paginate(.+)$/.exec(imp.name);
    const svc = imp && v3Service(imp.module);
    if (imp && pg && svc) {
      pushCall(
        ctx,
        { sdk: 'js-v3', service: svc, operation: pg[1], label: imp.name, hints: argHints(n.arguments[1], ctx) },
        n,
        n.arguments[1],
      );
      return true;
    }
    const helper = imp && POWERTOOLS_FUNCTIONS[imp.module]?.[imp.name];
    if (helper) {
      const h = helper.hint
        ? hintValue(n.arguments[0] && n.arguments[0].type !== 'SpreadElement' ? n.arguments[0] : undefined)
        : undefined;
      pushHelper(ctx, helper, imp.name, h ? [{ param: helper.hint!, ...h }] : [], n);
      return true;
    }
    const m = unwrap(callee);
    if (m.type !== 'MemberExpression') return false;
    const c = clientOfExpr(m.object);
    if (!c) return false;
    const method = m.computed ? stringOf(m.property) : m.property.type === 'Identifier' ? m.property.name : undefined;
    if (method === undefined) {
      // client[action](params): a wrapper when `action` is its parameter, otherwise unknown.
      const opParam = paramIndex(m.property as T.Argument, ctx);
      if (opParam !== undefined)
        g.units[ctx.unit].dispatch.push({
          call: { sdk: c.sdk, service: c.service, document: c.document },
          opParam,
          hintsParam: paramIndex(n.arguments[0], ctx),
        });
      else unresolved(ctx, 'computed property call');
      return true;
    }
    const op = clientMethodOperation(c, method);
    if (op)
      pushCall(
        ctx,
        {
          sdk: c.sdk,
          service: c.service,
          operation: op,
          label: `${c.document ? 'DocumentClient' : c.service}.${method}`,
          hints: argHints(n.arguments[0], ctx),
        },
        n,
        n.arguments[0],
      );
    return !!op || method === 'send';
  };

  const visitCall = (n: T.CallExpression, ctx: Ctx) => {
    if (isIdent(n.callee, 'require')) {
      const spec = stringOf(n.arguments[0]);
      if (spec !== undefined) g.units[ctx.unit].loads.push(spec);
      return;
    }
    if (!sdkCallAt(n, ctx)) {
      const callee = unwrap(n.callee);
      const s = chainSym(callee, ctx);
      if (s) {
        g.units[ctx.unit].refs.push({
          sym: s,
          call: { range: rangeOf(n), args: argsOf(n.arguments, ctx) },
          ...guardOf(ctx),
        });
        visitChainBase(callee, ctx);
      } else if (callee.type === 'MemberExpression' && callee.computed) {
        // lib[name](...): which member runs is not known; counted, not followed.
        const of = chainSym(callee.object, ctx);
        if (of) g.units[ctx.unit].dynamic.push(of);
        else visit(callee.object, ctx);
        visit(callee.property, ctx);
      } else visit(callee, ctx);
    } else {
      // The client expression itself may mention names (this.clients[region]...): nothing to follow.
    }
    for (const a of n.arguments) visit(a, ctx);
  };

  const visitNew = (n: T.NewExpression, ctx: Ctx) => {
    const imp =
      n.callee.type === 'Identifier' || n.callee.type === 'MemberExpression' ? resolveImport(n.callee) : undefined;
    const at = (): T.Span => n;
    if (imp?.module === '@aws-sdk/lib-storage' && imp.name === 'Upload') {
      // new Upload({ client, params: { Bucket, Key } }) from @aws-sdk/lib-storage: PutObject, or a
      // multipart upload, which s3:PutObject authorizes too (S3 API reference, CreateMultipartUpload).
      const opts = n.arguments[0] && n.arguments[0].type !== 'SpreadElement' ? unwrap(n.arguments[0]) : undefined;
      const params =
        opts?.type === 'ObjectExpression'
          ? opts.properties.find((p) => p.type === 'Property' && !p.computed && nameOf(p.key) === 'params')
          : undefined;
      pushCall(
        ctx,
        {
          sdk: 'js-v3',
          service: 's3',
          operation: 'PutObject',
          label: 'Upload',
          hints: params?.type === 'Property' ? hintsOf(params.value) : [],
        },
        at(),
      );
    } else if (imp?.module === POWERTOOLS_IDEMPOTENCY.module && imp.name === POWERTOOLS_IDEMPOTENCY.className) {
      persistenceCalls(n, ctx);
    } else {
      const cmd = imp && /^(.+)Command$/.exec(imp.name);
      if (imp && cmd) {
        const svc = v3Service(imp.module);
        // `client.send(new XCommand(...))` is reported on the whole call.
        const parent = parents.get(n);
        const site = parent && parent.type === 'CallExpression' && parent.arguments.includes(n) ? parent : n;
        if (svc)
          pushCall(
            ctx,
            {
              sdk: 'js-v3',
              service: svc,
              operation: cmd[1],
              label: `${cmd[1]}Command`,
              hints: argHints(n.arguments[0], ctx),
            },
            site,
            n.arguments[0],
          );
        else if (imp.module === '@aws-sdk/lib-dynamodb' && LIB_DYNAMODB[cmd[1]]) {
          pushCall(
            ctx,
            {
              sdk: 'js-v3',
              service: 'dynamodb',
              operation: LIB_DYNAMODB[cmd[1]],
              label: `${cmd[1]}Command`,
              hints: argHints(n.arguments[0], ctx),
            },
            site,
            n.arguments[0],
          );
        }
      } else if (!imp || imp.module.startsWith('.') || imp.module.startsWith('/')) {
        // Constructing a class of the project runs its constructor.
        const s = chainSym(n.callee, ctx);
        if (s)
          g.units[ctx.unit].refs.push({
            sym: { k: 'new', of: s },
            call: { range: rangeOf(n), args: argsOf(n.arguments, ctx) },
            ...guardOf(ctx),
          });
        else visit(n.callee, ctx);
      }
    }
    for (const a of n.arguments) visit(a, ctx);
  };

  /** `new X().m()`, `(await f()).m`: the expression a member chain starts from still runs. */
  const visitChainBase = (e: Node, ctx: Ctx) => {
    let b = unwrap(e as Expr);
    while (b.type === 'MemberExpression') b = unwrap(b.object);
    if (b.type === 'AwaitExpression') b = unwrap(b.argument);
    if (b.type === 'NewExpression' || (b.type === 'CallExpression' && !isIdent(b.callee, 'require'))) visit(b, ctx);
  };

  /** Marks the parent of each argument that is a `new` (for `send(new X())` ranges). */
  const parents = new Map<Node, Node>();

  const keys = visitorKeysOf();
  // ---- Branch guards: conditions on environment variables (src/code/guard.ts). ----------------
  const startOf = (n: Node): number => (n as { range?: [number, number] }).range?.[0] ?? n.start;
  const endOf = (n: Node): number => (n as { range?: [number, number] }).range?.[1] ?? n.end;
  const readsEnv = text.includes('process.env');
  /** Names a declaration may set from process.env: only these are looked up in the bindings. */
  const envNames = new Set<string>();
  if (readsEnv) {
    for (const m of text.matchAll(/\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=;]+)?=\s*process\.env\b/g))
      envNames.add(m[1]);
    for (const m of text.matchAll(/\b(?:const|let|var)\s*\{([^}]*)\}\s*(?::[^=;]+)?=\s*process\.env\b/g))
      for (const p of m[1].split(',')) envNames.add(p.split(':').pop()!.split('=')[0].trim());
  }
  /** `process.env.X` / `process.env['X']`: X. */
  const envOf = (e: Expr): string | undefined => {
    if (e.type !== 'MemberExpression') return undefined;
    const env = staticMember(e.object);
    if (!env || !isIdent(env.object, 'process') || env.name !== 'env') return undefined;
    if (!e.computed && e.property.type === 'Identifier') return e.property.name;
    return e.computed ? stringOf(e.property) : undefined;
  };
  interface JsBinding {
    start: number;
    fn: Node;
    decl: boolean;
    /** A declaration's value: its initializer, or the variable it destructures from process.env. */
    init?: Expr | { env: string };
    /** A declaration that is a statement of its function's body (or of the module). */
    direct: boolean;
  }
  interface JsScopes {
    bindings: Map<string, JsBinding[]>;
    /** Where each condition is: its function and the loops around it in that function. */
    tests: Map<Node, { fn: Node; loops: [number, number][] }>;
  }
  let jsScopes: JsScopes | undefined;
  const scopesOf = (): JsScopes => {
    if (jsScopes) return jsScopes;
    const out: JsScopes = { bindings: new Map(), tests: new Map() };
    const add = (name: string, b: JsBinding) => {
      const list = out.bindings.get(name);
      if (list) list.push(b);
      else out.bindings.set(name, [b]);
    };
    const ids = (p: Node | null | undefined, fn: Node, decl: boolean): void => {
      if (!p) return;
      if (p.type === 'Identifier') add(p.name, { start: startOf(p), fn, decl, direct: false });
      else if (p.type === 'ObjectPattern')
        for (const q of p.properties) ids(q.type === 'RestElement' ? q.argument : q.value, fn, decl);
      else if (p.type === 'ArrayPattern') for (const q of p.elements) ids(q, fn, decl);
      else if (p.type === 'AssignmentPattern') ids(p.left, fn, decl);
      else if (p.type === 'RestElement') ids(p.argument, fn, decl);
      else if ((p.type as string) === 'TSParameterProperty')
        ids((p as unknown as { parameter: Node }).parameter, fn, decl);
    };
    const direct = new Set<Node>();
    const LOOPS = new Set(['ForStatement', 'ForInStatement', 'ForOfStatement', 'WhileStatement', 'DoWhileStatement']);
    const go = (n: Node, fn: Node, loops: [number, number][], parent: Node | undefined): void => {
      switch (n.type) {
        case 'FunctionDeclaration':
        case 'FunctionExpression':
        case 'ArrowFunctionExpression':
          if (n.type === 'FunctionDeclaration') ids(n.id, fn, true);
          for (const p of n.params) ids(p as Node, n, true);
          break;
        case 'ClassDeclaration':
          ids(n.id, fn, true);
          break;
        case 'CatchClause':
          ids(n.param, fn, true);
          break;
        case 'ImportDeclaration':
          for (const s of n.specifiers) ids(s.local, fn, true);
          return;
        case 'VariableDeclaration':
          if (
            parent?.type === 'Program' ||
            (parent?.type === 'ExportNamedDeclaration' && fn.type === 'Program') ||
            (parent !== undefined && parent === (fn as { body?: Node }).body)
          )
            direct.add(n);
          break;
        case 'VariableDeclarator': {
          const init = n.init ? unwrap(n.init) : undefined;
          const isDirect = !!parent && direct.has(parent);
          const fromEnv =
            init?.type === 'MemberExpression' &&
            isIdent(unwrap(init.object), 'process') &&
            staticMember(init)?.name === 'env';
          if (n.id.type === 'Identifier')
            add(n.id.name, { start: startOf(n.id), fn, decl: true, init, direct: !!init && isDirect });
          else if (n.id.type === 'ObjectPattern' && fromEnv) {
            for (const q of n.id.properties) {
              const key = q.type === 'Property' && !q.computed ? nameOf(q.key) : undefined;
              const v =
                q.type === 'Property' ? (q.value.type === 'AssignmentPattern' ? q.value.left : q.value) : undefined;
              if (key !== undefined && v?.type === 'Identifier')
                add(v.name, { start: startOf(v), fn, decl: true, init: { env: key }, direct: isDirect });
              else ids(q.type === 'RestElement' ? q.argument : q.value, fn, true);
            }
          } else ids(n.id, fn, true);
          break;
        }
        case 'AssignmentExpression':
          ids(n.left as Node, fn, false);
          break;
        case 'UpdateExpression':
          ids(n.argument, fn, false);
          break;
        case 'ForInStatement':
        case 'ForOfStatement':
          if (n.left.type !== 'VariableDeclaration') ids(n.left as Node, fn, false);
          break;
        case 'IfStatement':
        case 'ConditionalExpression':
          out.tests.set(n.test, { fn, loops });
          break;
        case 'LogicalExpression':
          out.tests.set(n.left, { fn, loops });
          break;
      }
      const inner =
        n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression'
          ? n
          : fn;
      const innerLoops: [number, number][] =
        inner !== fn ? [] : LOOPS.has(n.type) ? [...loops, [startOf(n), endOf(n)]] : loops;
      const ks = keys[n.type];
      if (!ks) return;
      const rec = n as unknown as Record<string, unknown>;
      for (const k of ks) {
        const child = rec[k];
        if (Array.isArray(child)) {
          for (const c of child as (Node | null)[]) if (c && typeof c.type === 'string') go(c, inner, innerLoops, n);
        } else if (child && typeof (child as Node).type === 'string') go(child as Node, inner, innerLoops, n);
      }
    };
    go(program, program, [], undefined);
    return (jsScopes = out);
  };
  type At = { fn: Node; loops: [number, number][] } | undefined;
  /** The value a name holds where a condition reads it, when it is an environment variable or a literal. */
  const nameValue = (id: T.IdentifierReference, test: Node, depth: number): GuardValue | undefined => {
    if (!envNames.has(id.name)) return undefined;
    const s = scopesOf();
    const at: At = s.tests.get(test);
    const all = s.bindings.get(id.name) ?? [];
    const decls = all.filter((b) => b.decl);
    if (!at || decls.length !== 1 || !decls[0].init) return undefined;
    const d = decls[0];
    const init = d.init!;
    const value = (): GuardValue | undefined =>
      'env' in init && typeof init.env === 'string' ? { env: init.env } : jsValue(init as Expr, test, depth + 1);
    const assigns = all.filter((b) => !b.decl);
    const pos = startOf(id);
    if (!assigns.length) return at.fn === d.fn && pos < d.start ? undefined : value();
    // Assigned again: only straight-line code of the function that declares it is read.
    if (!d.direct || at.fn !== d.fn || assigns.some((a) => a.fn !== d.fn)) return undefined;
    const b = reachingBinding(
      [{ start: d.start, plain: true }, ...assigns.map((a) => ({ start: a.start, plain: false }))],
      pos,
      at.loops,
    );
    return b?.start === d.start ? value() : undefined;
  };
  const JS_CASE: Record<string, 'lower' | 'upper' | 'strip'> = {
    toLowerCase: 'lower',
    toLocaleLowerCase: 'lower',
    toUpperCase: 'upper',
    toLocaleUpperCase: 'upper',
    trim: 'strip',
  };
  function jsValue(e: Expr, test: Node, depth = 0): GuardValue | undefined {
    if (depth > 8) return undefined;
    e = unwrap(e);
    const s = stringOf(e);
    if (s !== undefined) return { lit: s };
    if (e.type === 'Literal' && e.value === null) return { lit: null };
    if (e.type === 'Identifier') return e.name === 'undefined' ? { lit: null } : nameValue(e, test, depth);
    const env = envOf(e);
    if (env !== undefined) return { env };
    if (e.type === 'CallExpression' && !e.arguments.length) {
      const m = staticMember(unwrap(e.callee as Expr));
      const op = m && JS_CASE[m.name];
      const v = op ? jsValue(m.object, test, depth + 1) : undefined;
      if (v && 'env' in v) return { env: v.env, ops: [...(v.ops ?? []), op!] };
      if (v?.lit)
        return { lit: op === 'lower' ? v.lit.toLowerCase() : op === 'upper' ? v.lit.toUpperCase() : v.lit.trim() };
    }
    return undefined;
  }
  /** A condition as a guard (truthiness, as `if` reads it); `test` is the condition's root, for scopes. */
  const jsCond = (e: Expr, test: Node, depth = 0): Guard => {
    if (depth > 20) return UNKNOWN;
    e = unwrap(e);
    if (e.type === 'UnaryExpression' && e.operator === '!') return not(jsCond(e.argument, test, depth + 1));
    if (e.type === 'LogicalExpression' && e.operator !== '??')
      return {
        k: e.operator === '&&' ? 'and' : 'or',
        of: [jsCond(e.left, test, depth + 1), jsCond(e.right, test, depth + 1)],
      };
    if (e.type === 'BinaryExpression') {
      const op = e.operator;
      if (op === '===' || op === '==' || op === '!==' || op === '!=') {
        const a = jsValue(e.left as Expr, test);
        const b = jsValue(e.right, test);
        if (!a || !b) return UNKNOWN;
        const g: Guard = { k: 'eq', a, b };
        return op.startsWith('!') ? not(g) : g;
      }
      if (op === 'in') {
        const k = stringOf(e.left as Expr);
        const r = unwrap(e.right);
        if (
          k !== undefined &&
          r.type === 'MemberExpression' &&
          isIdent(unwrap(r.object), 'process') &&
          staticMember(r)?.name === 'env'
        )
          return { k: 'has', env: k };
      }
      return UNKNOWN;
    }
    if (e.type === 'CallExpression' && e.arguments.length === 1 && e.arguments[0].type !== 'SpreadElement') {
      const arg = unwrap(e.arguments[0]);
      if (isIdent(e.callee, 'Boolean')) return jsCond(arg, test, depth + 1);
      const m = staticMember(unwrap(e.callee as Expr));
      if (m && (m.name === 'startsWith' || m.name === 'endsWith' || m.name === 'includes')) {
        const obj = unwrap(m.object);
        if (m.name === 'includes' && obj.type === 'ArrayExpression') {
          const list = obj.elements.map((x) => (x && x.type !== 'SpreadElement' ? jsValue(x, test) : undefined));
          const v = jsValue(arg, test);
          if (v && list.every((x) => x && 'lit' in x))
            return { k: 'oneOf', v, list: list.map((x) => (x as { lit: string | null }).lit) };
          return UNKNOWN;
        }
        const s = jsValue(obj, test);
        const a = stringOf(arg);
        if (s && a !== undefined)
          return { k: m.name === 'startsWith' ? 'starts' : m.name === 'endsWith' ? 'ends' : 'contains', s, args: [a] };
        return UNKNOWN;
      }
    }
    const v = jsValue(e, test);
    return v ? { k: 'truthy', v } : UNKNOWN;
  };
  const condAt = (test: Expr): Guard => (readsEnv ? jsCond(test, test) : UNKNOWN);
  /** The context for a branch: the guard of the branches around it and this one. */
  const branch = (ctx: Ctx, g: Guard): Ctx => (decidable(g) ? { ...ctx, guard: and(ctx.guard, g) } : ctx);
  const guardOf = (ctx: Ctx): { guard?: Guard } => (ctx.guard ? { guard: ctx.guard } : {});

  const TS_EXPRESSIONS = new Set([
    'TSAsExpression',
    'TSSatisfiesExpression',
    'TSNonNullExpression',
    'TSTypeAssertion',
    'TSInstantiationExpression',
    'TSParameterProperty',
    'TSExportAssignment',
  ]);
  const visit = (n: Node, ctx: Ctx): void => {
    switch (n.type) {
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        visitFn(n, ctx);
        return;
      case 'ClassDeclaration':
      case 'ClassExpression': {
        const id = makeClass(n, n.id?.name ?? '<class>', ctx);
        if (n.id) ctx.aliases.set(n.id.name, { k: 'class', id });
        return;
      }
      case 'CallExpression':
        for (const a of n.arguments) if (a.type === 'NewExpression') parents.set(a, n);
        visitCall(n, ctx);
        return;
      case 'NewExpression':
        visitNew(n, ctx);
        return;
      case 'IfStatement':
      case 'ConditionalExpression': {
        visit(n.test, ctx);
        const c = condAt(n.test);
        visit(n.consequent, branch(ctx, c));
        if (n.alternate) visit(n.alternate, branch(ctx, not(c)));
        return;
      }
      case 'LogicalExpression': {
        visit(n.left, ctx);
        let c: Guard = UNKNOWN;
        if (n.operator === '??') {
          const v = readsEnv ? jsValue(n.left, n.left) : undefined;
          if (v) c = { k: 'eq', a: v, b: { lit: null } };
        } else {
          c = condAt(n.left);
          if (n.operator === '||') c = not(c);
        }
        visit(n.right, branch(ctx, c));
        return;
      }
      case 'ImportExpression': {
        const spec = stringOf(n.source);
        if (spec !== undefined) g.units[ctx.unit].loads.push(spec);
        return;
      }
      case 'Identifier': {
        const s = chainSym(n, ctx);
        if (s) g.units[ctx.unit].refs.push({ sym: s, ...guardOf(ctx) });
        return;
      }
      case 'MemberExpression': {
        const s = chainSym(n, ctx);
        if (s) {
          g.units[ctx.unit].refs.push({ sym: s, ...guardOf(ctx) });
          visitChainBase(n, ctx);
        } else {
          visit(n.object, ctx);
          if (n.computed) visit(n.property, ctx);
        }
        return;
      }
      case 'Property':
        if (n.computed) visit(n.key, ctx);
        visit(n.value, ctx);
        return;
      case 'VariableDeclarator': {
        if (n.init) {
          const init = unwrap(n.init);
          if (n.id.type === 'Identifier') {
            if (init.type === 'ObjectExpression') ctx.objects.set(n.id.name, init);
            const s =
              init.type === 'ArrowFunctionExpression' || init.type === 'FunctionExpression'
                ? undefined
                : evalSym(init, ctx);
            if (s && s.k !== 'client') ctx.aliases.set(n.id.name, s);
          } else if (n.id.type === 'ObjectPattern') {
            const s = chainSym(init, ctx);
            for (const p of n.id.properties) {
              if (p.type !== 'Property' || p.value.type !== 'Identifier') continue;
              const key = p.computed ? undefined : nameOf(p.key);
              if (s && key !== undefined) {
                ctx.aliases.set(p.value.name, { k: 'member', of: s, name: key });
                // Destructured from a module loaded here: what it names runs (conservatively) with the unit.
                if (s.k === 'import')
                  g.units[ctx.unit].refs.push({ sym: { k: 'member', of: s, name: key }, ...guardOf(ctx) });
              }
            }
          }
          if (init.type === 'AwaitExpression' && init.argument.type === 'ImportExpression') {
            const spec = stringOf(init.argument.source);
            if (spec !== undefined) g.units[ctx.unit].loads.push(spec);
          } else visit(init, ctx);
        }
        return;
      }
      case 'AssignmentExpression': {
        const l = n.left;
        if (
          l.type === 'MemberExpression' &&
          l.object.type === 'ThisExpression' &&
          ctx.cls !== undefined &&
          !l.computed &&
          l.property.type === 'Identifier'
        ) {
          const s = evalSym(n.right, ctx);
          if (s) g.classes[ctx.cls].fields.set(l.property.name, s);
        }
        if (l.type !== 'MemberExpression') visit(l, ctx);
        else {
          visit(l.object, ctx);
          if (l.computed) visit(l.property, ctx);
        }
        visit(n.right, ctx);
        return;
      }
      case 'LabeledStatement':
      case 'BreakStatement':
      case 'ContinueStatement':
        if (n.type === 'LabeledStatement') visit(n.body, ctx);
        return;
      default:
        break;
    }
    if (n.type.startsWith('TS') && !TS_EXPRESSIONS.has(n.type)) return;
    const ks = keys[n.type];
    if (!ks) return;
    const rec = n as unknown as Record<string, unknown>;
    for (const k of ks) {
      if (k === 'typeAnnotation' || k === 'returnType' || k === 'typeParameters' || k === 'typeArguments') continue;
      const child = rec[k];
      if (Array.isArray(child)) {
        for (const c of child as (Node | null)[]) if (c && typeof c.type === 'string') visit(c, ctx);
      } else if (child && typeof (child as Node).type === 'string') visit(child as Node, ctx);
    }
  };

  /** Declares a top-level function, class or variable; false for other statements. */
  const declare = (st: Node): string[] | undefined => {
    if (st.type === 'FunctionDeclaration') {
      if (!st.id || !st.body) return [];
      g.bindings.set(st.id.name, unitOf(st, st.id.name));
      return [st.id.name];
    }
    if (st.type === 'ClassDeclaration') {
      if (!st.id) return [];
      g.bindings.set(st.id.name, { k: 'class', id: makeClass(st, st.id.name, top) });
      return [st.id.name];
    }
    if (st.type === 'VariableDeclaration') {
      const names: string[] = [];
      for (const d of st.declarations) {
        if (d.id.type === 'Identifier') {
          names.push(d.id.name);
          const init = d.init ? unwrap(d.init) : undefined;
          if (init?.type === 'ObjectExpression') top.objects.set(d.id.name, init);
          const s = init ? evalTop(init, d.id.name) : typeSym(d.id.typeAnnotation, top);
          if (s) g.bindings.set(d.id.name, s);
          if (init?.type === 'CallExpression' && isIdent(init.callee, 'require')) {
            const spec = stringOf(init.arguments[0]);
            if (spec !== undefined) g.staticImports.push(spec);
          }
        } else if (d.init) {
          const init = unwrap(d.init);
          const s = chainSym(init, top);
          if (!s) visit(init, top);
          const req =
            init.type === 'CallExpression' && isIdent(init.callee, 'require') ? stringOf(init.arguments[0]) : undefined;
          if (req !== undefined) g.staticImports.push(req);
          if (init.type === 'AwaitExpression' && init.argument.type === 'ImportExpression') {
            const spec = stringOf(init.argument.source);
            if (spec !== undefined) g.units[0].loads.push(spec);
          }
          if (d.id.type === 'ObjectPattern') {
            for (const p of d.id.properties) {
              if (p.type !== 'Property' || p.value.type !== 'Identifier') continue;
              const key = p.computed ? undefined : nameOf(p.key);
              names.push(p.value.name);
              if (s && key !== undefined) g.bindings.set(p.value.name, { k: 'member', of: s, name: key });
            }
          }
        }
      }
      return names;
    }
    if (st.type.startsWith('TS')) return [];
    return undefined;
  };

  for (const st of program.body) {
    if (st.type === 'ImportDeclaration') {
      if (st.importKind === 'type') continue;
      const spec = st.source.value;
      g.staticImports.push(spec);
      for (const s of st.specifiers) {
        if (s.type === 'ImportDefaultSpecifier')
          g.bindings.set(s.local.name, { k: 'import', module: spec, name: 'default' });
        else if (s.type === 'ImportNamespaceSpecifier')
          g.bindings.set(s.local.name, { k: 'import', module: spec, name: '*' });
        else if (s.importKind !== 'type')
          g.bindings.set(s.local.name, { k: 'import', module: spec, name: nameOf(s.imported) ?? s.local.name });
      }
    } else if (st.type === 'ExportNamedDeclaration') {
      if (st.exportKind === 'type') continue;
      if (st.source) {
        g.staticImports.push(st.source.value);
        for (const s of st.specifiers) {
          const name = nameOf(s.exported);
          const local = nameOf(s.local);
          if (name !== undefined && local !== undefined)
            g.exports.set(name, {
              k: 'import',
              module: st.source.value,
              name: local === 'default' ? 'default' : local,
            });
        }
      } else if (st.declaration) {
        for (const name of declare(st.declaration) ?? []) g.exports.set(name, { k: 'local', name });
      } else {
        for (const s of st.specifiers) {
          const name = nameOf(s.exported);
          const local = nameOf(s.local);
          if (name !== undefined && local !== undefined) g.exports.set(name, { k: 'local', name: local });
        }
      }
    } else if (st.type === 'ExportDefaultDeclaration') {
      const d = st.declaration;
      if ((d.type === 'FunctionDeclaration' || d.type === 'ClassDeclaration') && d.id) {
        declare(d);
        g.exports.set('default', { k: 'local', name: d.id.name });
      } else if (d.type === 'FunctionDeclaration') g.exports.set('default', unitOf(d, 'default'));
      else if (d.type === 'ClassDeclaration')
        g.exports.set('default', { k: 'class', id: makeClass(d, 'default', top) });
      else if (!d.type.startsWith('TS')) g.exports.set('default', evalTop(d as Expr, 'default'));
    } else if (st.type === 'ExportAllDeclaration') {
      if (st.exportKind === 'type') continue;
      g.staticImports.push(st.source.value);
      const name = nameOf(st.exported);
      if (name === undefined) g.exportAll.push(st.source.value);
      else g.exports.set(name, { k: 'import', module: st.source.value, name: '*' });
    } else if (st.type === 'TSExportAssignment') {
      g.cjs = evalTop(st.expression, 'module.exports');
    } else if (declare(st) === undefined) {
      const e = st.type === 'ExpressionStatement' ? unwrap(st.expression) : undefined;
      if (e?.type === 'AssignmentExpression' && e.operator === '=') {
        const l = e.left;
        const member = staticMember(l);
        if (isModuleExports(l)) {
          g.cjs = evalTop(e.right, 'module.exports');
          continue;
        }
        if (member && (isIdent(member.object, 'exports') || isModuleExports(member.object))) {
          g.exports.set(member.name, evalTop(e.right, member.name));
          continue;
        }
      }
      // esbuild's ESM-to-CommonJS output: __export(src_exports, { handler: () => handler })
      if (
        e?.type === 'CallExpression' &&
        isIdent(e.callee, '__export') &&
        e.arguments[1]?.type === 'ObjectExpression'
      ) {
        for (const p of e.arguments[1].properties) {
          const key = p.type === 'Property' && !p.computed ? nameOf(p.key) : undefined;
          const v = p.type === 'Property' ? unwrap(p.value as Expr) : undefined;
          if (key !== undefined && v?.type === 'ArrowFunctionExpression' && v.body.type === 'Identifier')
            g.exports.set(key, { k: 'local', name: v.body.name });
        }
      }
      visit(st, top);
    }
  }
  facts.graph = g;
  return facts;
}
