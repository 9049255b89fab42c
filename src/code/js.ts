// JavaScript / TypeScript handler files: exports, imports, AWS SDK calls. Parsed with oxc-parser
// (a native parser shipped in the npm package, ESTree output with UTF-16 offsets), loaded on first
// use: it starts in ~20 ms where the TypeScript compiler takes ~300 ms, which is most of a
// pre-commit run on one template.
import { createRequire } from 'node:module';
import type * as T from 'oxc-parser';
import type { ExportKind, FileFacts, RawSdkCall, ResourceHint } from './facts.js';
import { LineIndex } from '../source/lines.js';
import { MAX_NESTING, nestingDepth } from './nesting.js';
import { LIB_DYNAMODB, V2_DOCUMENT_CLIENT, camelToPascal } from './sdk-map.js';

type Oxc = typeof import('oxc-parser');
type Node = T.Node;
type Expr = T.Expression;

let oxc: Oxc | undefined;
function loadOxc(): Oxc {
  return (oxc ??= createRequire(import.meta.url)('oxc-parser') as Oxc);
}

const TRACER_MODULES = new Set(['aws-xray-sdk', 'aws-xray-sdk-core', '@aws-lambda-powertools/tracer']);

/** Request parameters that name the resource a call acts on. */
const RESOURCE_PARAMS = new Set(['IndexName', 'Name', 'TableName', 'QueueUrl', 'TopicArn', 'Bucket', 'Key', 'FunctionName', 'StateMachineArn', 'SecretId', 'StreamName', 'StreamARN', 'DeliveryStreamName', 'EventBusName', 'InvocationType', 'Qualifier', 'Publish']);

/** Client of a variable: a v3 aggregated client, a v2 service object, a v2 DocumentClient. */
interface ClientInfo {
  sdk: 'js-v3' | 'js-v2';
  service: string;
  document?: boolean;
}

/** Language and module kind by extension: `.cjs` may `return` at the top, `.js` may be either. */
function parserOptions(file: string): T.ParserOptions {
  if (/\.(ts|mts|cts)$/.test(file)) return { lang: 'ts', sourceType: /\.cts$/.test(file) ? 'commonjs' : 'module', preserveParens: false };
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
    if (e.type === 'TSAsExpression' || e.type === 'TSSatisfiesExpression' || e.type === 'TSNonNullExpression' || e.type === 'ParenthesizedExpression' || e.type === 'TSTypeAssertion') e = e.expression;
    else return e;
  }
}

const visitorKeysOf = (): Record<string, string[]> => loadOxc().visitorKeys;

/** Depth-first walk with the parent and whether the node is inside a `try` block (not its handlers). */
function walk(root: Node, visit: (n: Node, parent: Node | undefined, inTry: boolean) => void): void {
  const keys = visitorKeysOf();
  const stack: [Node, Node | undefined, boolean][] = [[root, undefined, false]];
  while (stack.length) {
    const [n, parent, inTry] = stack.pop()!;
    visit(n, parent, inTry);
    const ks = keys[n.type];
    if (!ks) continue;
    const rec = n as unknown as Record<string, unknown>;
    // Pushed in reverse so that children are visited in source order.
    for (let i = ks.length - 1; i >= 0; i--) {
      const child = rec[ks[i]];
      const childInTry = inTry || (n.type === 'TryStatement' && ks[i] === 'block');
      if (Array.isArray(child)) {
        for (let j = child.length - 1; j >= 0; j--) {
          const c = child[j] as Node | null;
          if (c && typeof c.type === 'string') stack.push([c, n, childInTry]);
        }
      } else if (child && typeof (child as Node).type === 'string') stack.push([child as Node, n, childInTry]);
    }
  }
}

/** TypeScript-only nodes that hold values (their type children are skipped on their own). */
const TS_VALUE_NODES = new Set(['TSAsExpression', 'TSSatisfiesExpression', 'TSNonNullExpression', 'TSTypeAssertion', 'TSInstantiationExpression', 'TSEnumDeclaration', 'TSEnumBody', 'TSEnumMember', 'TSModuleDeclaration', 'TSModuleBlock', 'TSExportAssignment', 'TSParameterProperty', 'TSImportEqualsDeclaration', 'TSExternalModuleReference']);

/** Names used outside types and import declarations (over-counted: any identifier, property names included). */
function valueNames(program: T.Program): Set<string> {
  const keys = visitorKeysOf();
  const out = new Set<string>();
  const stack: Node[] = [program];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'ImportDeclaration') continue;
    if (n.type.startsWith('TS') && !TS_VALUE_NODES.has(n.type)) continue;
    if (n.type === 'Identifier') out.add(n.name);
    const rec = n as unknown as Record<string, unknown>;
    for (const k of keys[n.type] ?? []) {
      const child = rec[k];
      if (Array.isArray(child)) {
        for (const c of child) if (c && typeof (c as Node).type === 'string') stack.push(c as Node);
      } else if (child && typeof (child as Node).type === 'string') stack.push(child as Node);
    }
  }
  return out;
}

/** Whether TypeScript drops this import: it names bindings and none is used as a value. */
function elided(n: T.ImportDeclaration, valueRefs: Set<string>): boolean {
  if (n.specifiers.length === 0) return false; // `import './side-effect'` stays
  return n.specifiers.every((sp) => (sp.type === 'ImportSpecifier' && sp.importKind === 'type') || !valueRefs.has(sp.local.name));
}

export function parseJs(file: string, text: string): FileFacts {
  if (nestingDepth(text) > MAX_NESTING) {
    // oxc-parser would overflow the native stack and kill the process (see nesting.ts).
    return { file, exports: new Map(), openExports: true, imports: [], calls: [], skipped: `the handler file nests more than ${MAX_NESTING} levels deep; lambdalint does not parse it` };
  }
  const { parseSync } = loadOxc();
  const parsed = parseSync(file, text, parserOptions(file));
  const program = parsed.program;
  const lines = new LineIndex(file, text);
  const rangeOf = (n: T.Span) => lines.range(n.start, n.end);
  const facts: FileFacts = { file, exports: new Map(), openExports: false, imports: [], calls: [] };
  if (parsed.errors.length) facts.parseError = parsed.errors[0].message || 'syntax error';

  // Local declarations, to judge `export { x as handler }` and `exports.handler = x`.
  const locals = new Map<string, ExportKind>();
  const kindOfExpr = (e: Expr | null | undefined): ExportKind => {
    if (!e) return 'unknown';
    e = unwrap(e);
    if (e.type === 'ArrowFunctionExpression' || e.type === 'FunctionExpression') return 'function';
    if (e.type === 'Literal' || e.type === 'ObjectExpression' || e.type === 'ArrayExpression' || e.type === 'TemplateLiteral' || e.type === 'ClassExpression') return 'not-function';
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
  const strings = new Map<string, string | { env?: string; event?: 's3-bucket' }>();

  const addImport = (specNode: T.Span, spec: string) => {
    facts.imports.push({ specifier: spec, range: rangeOf(specNode), relative: spec.startsWith('.') || spec.startsWith('/') });
    if (TRACER_MODULES.has(spec) && !facts.tracer) facts.tracer = rangeOf(specNode);
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
  const hintValue = (e: Expr | null | undefined): { literal?: string; env?: string; event?: 's3-bucket' } | undefined => {
    if (!e) return undefined;
    e = unwrap(e);
    const s = stringOf(e);
    if (s !== undefined) return { literal: s };
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
      if (svc && !/Command$|Client$/.test(named.name) && /^[A-Z]/.test(named.name)) return { sdk: 'js-v3', service: svc };
      if (named.module === '@aws-sdk/lib-dynamodb' && named.name === 'DynamoDBDocument') return { sdk: 'js-v3', service: 'dynamodb', document: true };
      if (named.module === 'aws-sdk' && /^[A-Z]/.test(named.name)) return { sdk: 'js-v2', service: named.name.toLowerCase() };
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
      if (parts.length === 2 && parts[0] === 'DynamoDB' && parts[1] === 'DocumentClient') return { sdk: 'js-v2', service: 'dynamodb', document: true };
    }
    if ((imp.module === 'aws-sdk' && imp.name === 'DynamoDB') || imp.module === 'aws-sdk/clients/dynamodb') {
      if (parts.length === 1 && parts[0] === 'DocumentClient') return { sdk: 'js-v2', service: 'dynamodb', document: true };
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
        if (imp?.module === '@aws-sdk/lib-dynamodb' && imp.name === 'DynamoDBDocument') return { sdk: 'js-v3', service: 'dynamodb', document: true };
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
  // package is not needed at run time (`import { Handler } from 'aws-lambda'`).
  const valueRefs = /\.[cm]?tsx?$/.test(file) ? valueNames(program) : undefined;

  // Exports and imports at the top of the module.
  for (const n of program.body) {
    if (n.type === 'ImportDeclaration') {
      const spec = n.source.value;
      if (n.importKind !== 'type' && !(valueRefs && elided(n, valueRefs))) addImport(n.source, spec);
      for (const s of n.specifiers) {
        if (s.type === 'ImportDefaultSpecifier') imported.set(s.local.name, { module: spec, name: spec === 'aws-sdk' ? '*' : 'default' });
        else if (s.type === 'ImportNamespaceSpecifier') imported.set(s.local.name, { module: spec, name: '*' });
        else if (s.importKind !== 'type') imported.set(s.local.name, { module: spec, name: nameOf(s.imported) ?? s.local.name });
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
          for (const v of d.declarations) if (v.id.type === 'Identifier') addExport(v.id.name, kindOfExpr(v.init), v.id);
        }
      } else {
        for (const s of n.specifiers) {
          const name = nameOf(s.exported);
          const local = nameOf(s.local);
          if (name !== undefined && s.exportKind !== 'type') addExport(name, (local !== undefined && locals.get(local)) || 'unknown', s);
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
  walk(program, (n, _parent, inTry) => {
    if (n.type === 'VariableDeclarator' && n.init) {
      const init = unwrap(n.init);
      if (n.id.type === 'Identifier') {
        const c = clientOfExpr(init);
        if (c) clients.set(n.id.name, c);
        const h = hintValue(init);
        if (h?.literal !== undefined) strings.set(n.id.name, h.literal);
        else if (h?.env) strings.set(n.id.name, { env: h.env });
        else if (h?.event) strings.set(n.id.name, { event: h.event });
      }
      // const AWS = require('aws-sdk'); const { S3 } = require('@aws-sdk/client-s3')
      // Bundlers wrap the require in an interop helper: `__toESM(require("x"))`.
      const req = init.type === 'CallExpression' && !isIdent(init.callee, 'require') && init.arguments.length <= 2 && init.arguments[0]?.type === 'CallExpression' ? init.arguments[0] : init;
      const spec = req.type === 'CallExpression' && isIdent(req.callee, 'require') ? stringOf(req.arguments[0]) : undefined;
      if (spec !== undefined) {
        if (n.id.type === 'Identifier') imported.set(n.id.name, { module: spec, name: spec === 'aws-sdk' ? '*' : 'default' });
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
      if (member && (isIdent(member.object, 'exports') || isModuleExports(member.object)) && l.type === 'MemberExpression') {
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
  });

  // Second pass: SDK calls.
  walk(program, (n, parent) => {
    if (n.type === 'NewExpression' && (n.callee.type === 'Identifier' || n.callee.type === 'MemberExpression')) {
      const imp = resolveImport(n.callee);
      // new Upload({ client, params: { Bucket, Key } }) from @aws-sdk/lib-storage: PutObject, or a
      // multipart upload, which s3:PutObject authorizes too (S3 API reference, CreateMultipartUpload).
      if (imp?.module === '@aws-sdk/lib-storage' && imp.name === 'Upload') {
        const opts = n.arguments[0] && n.arguments[0].type !== 'SpreadElement' ? unwrap(n.arguments[0]) : undefined;
        const params = opts?.type === 'ObjectExpression' ? opts.properties.find((p) => p.type === 'Property' && !p.computed && nameOf(p.key) === 'params') : undefined;
        push({ sdk: 'js-v3', service: 's3', operation: 'PutObject', label: 'Upload', hints: params?.type === 'Property' ? hintsOf(params.value) : [] }, n);
        return;
      }
      const cmd = imp && /^(.+)Command$/.exec(imp.name);
      if (imp && cmd) {
        const svc = v3Service(imp.module);
        // `client.send(new XCommand(...))` is reported on the whole call.
        const at = parent && parent.type === 'CallExpression' && parent.arguments.includes(n) ? parent : n;
        if (svc) push({ sdk: 'js-v3', service: svc, operation: cmd[1], label: `${cmd[1]}Command`, hints: hintsOf(n.arguments[0]) }, at);
        else if (imp.module === '@aws-sdk/lib-dynamodb' && LIB_DYNAMODB[cmd[1]]) {
          push({ sdk: 'js-v3', service: 'dynamodb', operation: LIB_DYNAMODB[cmd[1]], label: `${cmd[1]}Command`, hints: hintsOf(n.arguments[0]) }, at);
        }
      }
    } else if (n.type === 'CallExpression') {
      const callee = n.callee;
      // paginateListObjectsV2(config, input), or a bundle's (0, import_client_s3.paginateListObjectsV2)(...)
      const imp = resolveImport(callee);
      const pg = imp && /^paginate(.+)$/.exec(imp.name);
      const svc = imp && v3Service(imp.module);
      if (imp && pg && svc) push({ sdk: 'js-v3', service: svc, operation: pg[1], label: imp.name, hints: hintsOf(n.arguments[1]) }, n);
      else if (callee.type !== 'Identifier') {
        const member = staticMember(callee);
        const c = member && clientOfExpr(member.object);
        const method = member?.name;
        if (c && method && method !== 'send' && method !== 'promise' && method !== 'destroy' && method !== 'middlewareStack' && method !== 'getSignedUrl' && method !== 'createPresignedPost') {
          const op = c.document ? V2_DOCUMENT_CLIENT[method] : camelToPascal(method);
          if (op) push({ sdk: c.sdk, service: c.service, operation: op, label: `${c.document ? 'DocumentClient' : c.service}.${method}`, hints: hintsOf(n.arguments[0]) }, n);
        }
      }
    }
  });
  return facts;
}
