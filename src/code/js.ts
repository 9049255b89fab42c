// JavaScript / TypeScript handler files: exports, imports, AWS SDK calls. Parsed with the
// TypeScript compiler that ts-morph ships (syntax only, no type-checking), loaded on first use.
import { createRequire } from 'node:module';
import type { ExportKind, FileFacts, RawSdkCall, ResourceHint } from './facts.js';
import { LineIndex } from './lines.js';
import { LIB_DYNAMODB, V2_DOCUMENT_CLIENT, camelToPascal } from './sdk-map.js';

type TS = typeof import('ts-morph').ts;
type Node = import('ts-morph').ts.Node;
let tsModule: Promise<TS> | undefined;
function loadTs(): Promise<TS> {
  // require(), not import(): Node would otherwise scan the whole CommonJS bundle for named exports.
  return (tsModule ??= Promise.resolve((createRequire(import.meta.url)('ts-morph') as typeof import('ts-morph')).ts));
}

const TRACER_MODULES = new Set(['aws-xray-sdk', 'aws-xray-sdk-core', '@aws-lambda-powertools/tracer']);

/** Request parameters that name the resource a call acts on. */
const RESOURCE_PARAMS = new Set(['TableName', 'QueueUrl', 'TopicArn', 'Bucket', 'Key', 'FunctionName', 'StateMachineArn', 'SecretId', 'StreamName', 'StreamARN', 'DeliveryStreamName', 'EventBusName', 'InvocationType', 'Qualifier', 'Publish']);

/** Client of a variable: a v3 aggregated client, a v2 service object, a v2 DocumentClient. */
interface ClientInfo {
  sdk: 'js-v3' | 'js-v2';
  service: string;
  document?: boolean;
}

export async function parseJs(file: string, text: string): Promise<FileFacts> {
  const ts = await loadTs();
  const kind = /\.(ts|mts|cts)$/.test(file) ? ts.ScriptKind.TS : /\.tsx$/.test(file) ? ts.ScriptKind.TSX : ts.ScriptKind.JS;
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
  const lines = new LineIndex(file, text);
  const rangeOf = (n: Node) => lines.range(n.getStart(sf), n.getEnd());
  const facts: FileFacts = { file, exports: new Map(), openExports: false, imports: [], calls: [] };
  const diags = (sf as unknown as { parseDiagnostics?: { messageText: unknown }[] }).parseDiagnostics;
  if (diags && diags.length) facts.parseError = String(typeof diags[0].messageText === 'string' ? diags[0].messageText : 'syntax error');

  // Local declarations, to judge `export { x as handler }` and `exports.handler = x`.
  const locals = new Map<string, ExportKind>();
  const kindOfExpr = (e: Node | undefined): ExportKind => {
    if (!e) return 'unknown';
    while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
    if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) return 'function';
    if (ts.isStringLiteralLike(e) || ts.isNumericLiteral(e) || ts.isObjectLiteralExpression(e) || ts.isArrayLiteralExpression(e) || ts.isTemplateExpression(e)) return 'not-function';
    if (e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword || e.kind === ts.SyntaxKind.NullKeyword) return 'not-function';
    if (ts.isIdentifier(e)) return locals.get(e.text) ?? 'unknown';
    return 'unknown';
  };
  for (const st of sf.statements) {
    if (ts.isFunctionDeclaration(st) && st.name) locals.set(st.name.text, 'function');
    else if (ts.isClassDeclaration(st) && st.name) locals.set(st.name.text, 'not-function');
    else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) locals.set(d.name.text, kindOfExpr(d.initializer));
    }
  }
  const addExport = (name: string, k: ExportKind, n: Node) => {
    if (!facts.exports.has(name)) facts.exports.set(name, { kind: k, range: rangeOf(n) });
  };

  // Imported identifiers: local name → module and imported name.
  const imported = new Map<string, { module: string; name: string }>();
  const clients = new Map<string, ClientInfo>();
  const strings = new Map<string, ResourceHint['literal'] | { env: string }>();

  const moduleOf = (spec: string) => spec;
  const addImport = (specNode: Node, spec: string) => {
    facts.imports.push({ specifier: spec, range: rangeOf(specNode), relative: spec.startsWith('.') || spec.startsWith('/') });
    if (TRACER_MODULES.has(spec) && !facts.tracer) facts.tracer = rangeOf(specNode);
  };
  const inTry = (n: Node): boolean => {
    for (let p = n.parent; p; p = p.parent) if (ts.isTryStatement(p) && p.tryBlock.pos <= n.pos && n.end <= p.tryBlock.end) return true;
    return false;
  };

  const v3Service = (mod: string): string | undefined => {
    const m = /^@aws-sdk\/client-(.+)$/.exec(mod);
    return m ? m[1] : undefined;
  };

  /** `process.env.X`, `process.env['X']`, a string literal, or a const holding one of them. */
  const hintValue = (e: Node | undefined): { literal?: string; env?: string } | undefined => {
    if (!e) return undefined;
    if (ts.isStringLiteralLike(e)) return { literal: e.text };
    if (e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword) return { literal: String(e.kind === ts.SyntaxKind.TrueKeyword) };
    if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
      const obj = e.expression;
      const isEnv = ts.isPropertyAccessExpression(obj) && ts.isIdentifier(obj.expression) && obj.expression.text === 'process' && obj.name.text === 'env';
      if (isEnv) {
        if (ts.isPropertyAccessExpression(e)) return { env: e.name.text };
        const arg = (e as import('ts-morph').ts.ElementAccessExpression).argumentExpression;
        if (ts.isStringLiteralLike(arg)) return { env: arg.text };
      }
      return undefined;
    }
    if (ts.isIdentifier(e)) {
      const s = strings.get(e.text);
      if (typeof s === 'string') return { literal: s };
      if (s && typeof s === 'object') return s;
    }
    return undefined;
  };
  const hintsOf = (arg: Node | undefined): ResourceHint[] => {
    const out: ResourceHint[] = [];
    if (!arg || !ts.isObjectLiteralExpression(arg)) return out;
    for (const p of arg.properties) {
      if (!ts.isPropertyAssignment(p) || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) continue;
      const name = p.name.text;
      if (!RESOURCE_PARAMS.has(name)) continue;
      const v = hintValue(p.initializer);
      if (v) out.push({ param: name, ...v });
    }
    return out;
  };
  const push = (c: Omit<RawSdkCall, 'range'>, at: Node) => facts.calls.push({ ...c, range: rangeOf(at) });

  /** What client a `new X(...)` expression makes, if it is an SDK client. */
  const clientOfNew = (e: import('ts-morph').ts.NewExpression): ClientInfo | undefined => {
    const callee = e.expression;
    if (ts.isIdentifier(callee)) {
      const imp = imported.get(callee.text);
      if (!imp) return undefined;
      const svc = v3Service(imp.module);
      if (svc && !/Command$|Client$/.test(imp.name) && /^[A-Z]/.test(imp.name)) return { sdk: 'js-v3', service: svc };
      if (imp.module === '@aws-sdk/lib-dynamodb' && imp.name === 'DynamoDBDocument') return { sdk: 'js-v3', service: 'dynamodb', document: true };
      if (imp.module === 'aws-sdk' && /^[A-Z]/.test(imp.name)) return { sdk: 'js-v2', service: imp.name.toLowerCase() };
      const m = /^aws-sdk\/clients\/([a-z0-9]+)$/.exec(imp.module);
      if (m) return { sdk: 'js-v2', service: m[1] };
      return undefined;
    }
    if (ts.isPropertyAccessExpression(callee)) {
      // new AWS.S3(), new AWS.DynamoDB.DocumentClient(), new DynamoDB.DocumentClient()
      const parts: string[] = [];
      let x: Node = callee;
      while (ts.isPropertyAccessExpression(x)) {
        parts.unshift(x.name.text);
        x = x.expression;
      }
      if (!ts.isIdentifier(x)) return undefined;
      const imp = imported.get(x.text);
      if (!imp) return undefined;
      if (imp.module === 'aws-sdk' && imp.name === '*') {
        if (parts.length === 1) return { sdk: 'js-v2', service: parts[0].toLowerCase() };
        if (parts.length === 2 && parts[0] === 'DynamoDB' && parts[1] === 'DocumentClient') return { sdk: 'js-v2', service: 'dynamodb', document: true };
      }
      if ((imp.module === 'aws-sdk' && imp.name === 'DynamoDB') || imp.module === 'aws-sdk/clients/dynamodb') {
        if (parts.length === 1 && parts[0] === 'DocumentClient') return { sdk: 'js-v2', service: 'dynamodb', document: true };
      }
    }
    return undefined;
  };

  const clientOfExpr = (e: Node): ClientInfo | undefined => {
    if (ts.isIdentifier(e)) return clients.get(e.text);
    if (ts.isNewExpression(e)) return clientOfNew(e);
    if (ts.isParenthesizedExpression(e)) return clientOfExpr(e.expression);
    // DynamoDBDocument.from(client)
    if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && ts.isIdentifier(e.expression.expression) && e.expression.name.text === 'from') {
      const imp = imported.get(e.expression.expression.text);
      if (imp?.module === '@aws-sdk/lib-dynamodb' && imp.name === 'DynamoDBDocument') return { sdk: 'js-v3', service: 'dynamodb', document: true };
    }
    return undefined;
  };

  // First pass: imports, requires, exports, and variable → client / string bindings (file-wide by name).
  const visit = (n: Node): void => {
    if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier)) {
      const spec = n.moduleSpecifier.text;
      const typeOnly = n.importClause?.isTypeOnly ?? false;
      if (!typeOnly) addImport(n.moduleSpecifier, spec);
      const cl = n.importClause;
      if (cl?.name) imported.set(cl.name.text, { module: moduleOf(spec), name: spec === 'aws-sdk' ? '*' : 'default' });
      if (cl?.namedBindings) {
        if (ts.isNamespaceImport(cl.namedBindings)) imported.set(cl.namedBindings.name.text, { module: spec, name: '*' });
        else for (const el of cl.namedBindings.elements) if (!el.isTypeOnly) imported.set(el.name.text, { module: spec, name: (el.propertyName ?? el.name).text });
      }
      if (/^aws-sdk\/clients\//.test(spec) && cl?.name) imported.set(cl.name.text, { module: spec, name: 'default' });
    } else if (ts.isExportDeclaration(n)) {
      if (n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) {
        if (!n.isTypeOnly) addImport(n.moduleSpecifier, n.moduleSpecifier.text);
        if (!n.exportClause) facts.openExports = true;
        else if (ts.isNamedExports(n.exportClause)) for (const el of n.exportClause.elements) addExport(el.name.text, 'unknown', el);
      } else if (n.exportClause && ts.isNamedExports(n.exportClause)) {
        for (const el of n.exportClause.elements) addExport(el.name.text, locals.get((el.propertyName ?? el.name).text) ?? 'unknown', el);
      }
    } else if (ts.isExportAssignment(n)) {
      addExport('default', n.isExportEquals ? 'unknown' : kindOfExpr(n.expression), n);
      if (n.isExportEquals) facts.openExports = true;
    } else if (ts.isFunctionDeclaration(n) && n.name && n.parent === sf && n.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
      const isDefault = n.modifiers.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
      addExport(isDefault ? 'default' : n.name.text, 'function', n.name);
    } else if (ts.isClassDeclaration(n) && n.name && n.parent === sf && n.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
      addExport(n.name.text, 'not-function', n.name);
    } else if (ts.isVariableStatement(n) && n.parent === sf && n.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
      for (const d of n.declarationList.declarations) if (ts.isIdentifier(d.name)) addExport(d.name.text, kindOfExpr(d.initializer), d.name);
    } else if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer) {
      const init = n.initializer;
      const c = clientOfExpr(init);
      if (c) clients.set(n.name.text, c);
      const h = hintValue(init);
      if (h?.literal !== undefined) strings.set(n.name.text, h.literal);
      else if (h?.env) strings.set(n.name.text, { env: h.env });
      // const AWS = require('aws-sdk'); const { S3 } = require('@aws-sdk/client-s3')
    }
    if (ts.isVariableDeclaration(n) && n.initializer && ts.isCallExpression(n.initializer) && ts.isIdentifier(n.initializer.expression) && n.initializer.expression.text === 'require') {
      const a = n.initializer.arguments[0];
      if (a && ts.isStringLiteralLike(a)) {
        const spec = a.text;
        if (ts.isIdentifier(n.name)) imported.set(n.name.text, { module: spec, name: spec === 'aws-sdk' ? '*' : 'default' });
        else if (ts.isObjectBindingPattern(n.name)) {
          for (const el of n.name.elements) if (ts.isIdentifier(el.name)) imported.set(el.name.text, { module: spec, name: el.propertyName && ts.isIdentifier(el.propertyName) ? el.propertyName.text : el.name.text });
        }
      }
    }
    if (ts.isCallExpression(n)) {
      const a = n.arguments[0];
      const isRequire = ts.isIdentifier(n.expression) && n.expression.text === 'require';
      const isDynamic = n.expression.kind === ts.SyntaxKind.ImportKeyword;
      if ((isRequire || isDynamic) && a && ts.isStringLiteralLike(a) && !inTry(n)) addImport(a, a.text);
    }
    // CommonJS exports: exports.x = ..., module.exports.x = ..., module.exports = {...}
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const l = n.left;
      const isModuleExports = (e: Node) => ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'module' && e.name.text === 'exports';
      if (ts.isPropertyAccessExpression(l) && ((ts.isIdentifier(l.expression) && l.expression.text === 'exports') || isModuleExports(l.expression))) {
        addExport(l.name.text, kindOfExpr(n.right), l.name);
      } else if (isModuleExports(l)) {
        if (ts.isObjectLiteralExpression(n.right)) {
          for (const p of n.right.properties) {
            if (ts.isShorthandPropertyAssignment(p)) addExport(p.name.text, locals.get(p.name.text) ?? 'unknown', p.name);
            else if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) addExport(p.name.text, kindOfExpr(p.initializer), p.name);
            else if (ts.isMethodDeclaration(p) && ts.isIdentifier(p.name)) addExport(p.name.text, 'function', p.name);
            else facts.openExports = true;
          }
        } else facts.openExports = true;
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);

  // Second pass: SDK calls.
  const calls = (n: Node): void => {
    if (ts.isNewExpression(n) && ts.isIdentifier(n.expression)) {
      const imp = imported.get(n.expression.text);
      const cmd = imp && /^(.+)Command$/.exec(imp.name);
      if (imp && cmd) {
        const svc = v3Service(imp.module);
        const at = n.parent && ts.isCallExpression(n.parent) && n.parent.arguments.includes(n as never) ? n.parent : n;
        if (svc) push({ sdk: 'js-v3', service: svc, operation: cmd[1], label: `${cmd[1]}Command`, hints: hintsOf(n.arguments?.[0]) }, at);
        else if (imp.module === '@aws-sdk/lib-dynamodb' && LIB_DYNAMODB[cmd[1]]) {
          push({ sdk: 'js-v3', service: 'dynamodb', operation: LIB_DYNAMODB[cmd[1]], label: `${cmd[1]}Command`, hints: hintsOf(n.arguments?.[0]) }, at);
        }
      }
    } else if (ts.isCallExpression(n)) {
      const callee = n.expression;
      if (ts.isIdentifier(callee)) {
        // paginateListObjectsV2(config, input)
        const imp = imported.get(callee.text);
        const m = imp && /^paginate(.+)$/.exec(imp.name);
        const svc = imp && v3Service(imp.module);
        if (m && svc) push({ sdk: 'js-v3', service: svc, operation: m[1], label: imp!.name, hints: hintsOf(n.arguments[1]) }, n);
      } else if (ts.isPropertyAccessExpression(callee)) {
        const c = clientOfExpr(callee.expression);
        const method = callee.name.text;
        if (c && method !== 'send' && method !== 'promise' && method !== 'destroy' && method !== 'middlewareStack' && method !== 'getSignedUrl' && method !== 'createPresignedPost') {
          let op: string | undefined;
          if (c.document) op = V2_DOCUMENT_CLIENT[method];
          else op = camelToPascal(method);
          if (op) push({ sdk: c.sdk, service: c.service, operation: op, label: `${c.document ? 'DocumentClient' : c.service}.${method}`, hints: hintsOf(n.arguments[0]) }, n);
        }
      }
    }
    ts.forEachChild(n, calls);
  };
  calls(sf);
  return facts;
}
