// serverless.ts / serverless.js read statically: the exported object becomes the same node tree a
// serverless.yml gives, with exact offsets in the file each value is written in. The files are
// never executed. What the reader follows:
//   - `const` bindings, imports and re-exports (ES modules and CommonJS), resolved like TypeScript
//     does (tsconfig `paths`, `baseUrl`, `extends`, index files), within the project only;
//   - object and array spreads, shorthand properties, computed keys that are constants;
//   - template literals, `+`, `??`/`||` on constants, numeric arithmetic (`15 * 60`);
//   - calls of the project's own small functions (an arrow or function whose body is one return,
//     or constants then a return), with their arguments bound: the `handlerPath(__dirname)` helper
//     of the aws-nodejs-typescript starter (serverless/examples, legacy/aws-nodejs-typescript,
//     src/libs/handler-resolver.ts: `context.split(process.cwd())[1].substring(1).replace(/\\/g, '/')`)
//     is read from its body, with `__dirname` the folder of the file that calls it and
//     `process.cwd()` the service folder (the framework runs from there);
//   - pure string and path operations on known strings (split, substring, slice, replace, join,
//     `path.join` / `relative` / `dirname` / `basename`, `fileURLToPath(import.meta.url)`).
// Everything else (a call into a package, `process.env.X`, a loop, a mutation) becomes a value the
// variable resolver cannot resolve, so it stays symbolic, and its place is returned in `dynamic` so
// the loader can say what was not checked.
//
// Over 600 lines because: one ScriptReader follows serverless.ts / .js statically (files and
// modules, names, expressions) in mutual recursion over one ts-morph project and one set of caches.
import fs from 'node:fs';
import nodePath from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { SourceFile, parseSource, type Entry, type ParseResult, type TNode } from '../source/parse.js';

type TsMorph = typeof import('ts-morph');
let tsMorph: TsMorph | undefined;

/** ts-morph is heavy: loaded on first use, only when a project has a serverless.ts / .js. */
function morph(): TsMorph {
  tsMorph ??= createRequire(import.meta.url)('ts-morph') as TsMorph;
  return tsMorph;
}

type N = import('ts-morph').Node;
type TsOptions = import('ts-morph').ts.CompilerOptions;

/** A place in a service file (or a file it imports) whose value lambdalint could not compute. */
export interface DynamicPart {
  /** Where it sits in the service: `['functions']`, `['functions', 'hello', 'handler']`. */
  path: string[];
  file: SourceFile;
  start: number;
  end: number;
  /** Why, when it is not code lambdalint does not run: `imported from package x`. */
  why?: string;
}

export type ScriptParseResult = ParseResult & { dynamic?: DynamicPart[] };

export interface ScriptOptions {
  /** Folder the framework runs in (`process.cwd()`): the service file's folder by default. */
  serviceDir?: string;
}

const MAX_DEPTH = 60;
const MAX_CALL_DEPTH = 12;
const MAX_FILES = 400;
const MAX_FILE_BYTES = 2 * 1024 * 1024;
const SOURCE_EXT = /\.(?:[cm]?[jt]sx?|json)$/i;

/** Values beside the node tree: a function of the project, a module, a regular expression, a built-in. */
type Special =
  | { kind: 'fn'; node: N }
  | { kind: 'module'; file: string }
  | { kind: 'regex'; re: RegExp }
  | { kind: 'builtin'; name: string }
  | { kind: 'unknown'; at: N; why?: string };
type V = TNode | Special;

const isNode = (v: V): v is TNode => v.kind === 'map' || v.kind === 'seq' || v.kind === 'scalar';

interface Ctx {
  env?: Map<string, V>;
  path: string[];
  depth: number;
  calls: number;
}

/** `path` and `url` functions the reader evaluates on known strings. */
const PATH_FNS = new Set(['join', 'resolve', 'relative', 'dirname', 'basename', 'extname', 'normalize']);

export function parseServerlessScript(path: string, text: string, options: ScriptOptions = {}): ScriptParseResult {
  return new ScriptReader(path, text, options).read();
}

class ScriptReader {
  private readonly m = morph();
  private readonly project = new this.m.Project({
    useInMemoryFileSystem: true,
    compilerOptions: { allowJs: true },
    skipLoadingLibFiles: true,
  });
  private readonly files = new Map<string, { sf: import('ts-morph').SourceFile; file: SourceFile } | null>();
  private readonly jsonFiles = new Map<string, TNode | null>();
  private readonly tsconfigs = new Map<string, TsOptions>();
  private readonly dynamic: DynamicPart[] = [];
  private readonly active = new Set<N>();
  private readonly serviceDir: string;

  constructor(
    private readonly path: string,
    private readonly text: string,
    options: ScriptOptions,
  ) {
    this.serviceDir = options.serviceDir ?? nodePath.dirname(path);
  }

  read(): ScriptParseResult {
    const main = this.load(this.path, this.text);
    const file = main.file;
    // Syntax errors only: the file is never type-checked (that would be slow and beside the point).
    const syntax = parseDiagnostics(main.sf)[0];
    if (syntax) {
      const at = syntax.start ?? 0;
      const msg = typeof syntax.messageText === 'string' ? syntax.messageText : syntax.messageText.messageText;
      return {
        ok: false,
        file,
        error: {
          message: `invalid ${/\.[cm]?ts$/.test(this.path) ? 'TypeScript' : 'JavaScript'}: ${msg}`,
          range: file.range(at, at + (syntax.length ?? 1)),
        },
      };
    }
    const exported = this.exportOf(this.path, 'default', new Set()) ?? this.exportOf(this.path, '=', new Set());
    if (!exported) return { ok: true, file, root: { kind: 'scalar', file, start: 0, end: 0, value: null } };
    let root: TNode;
    try {
      root = this.toNode(exported.value({ path: [], depth: 0, calls: 0 }), exported.at, []);
      root = this.applyAssignments(root, exported.name);
    } catch (e) {
      // A construct the reader does not expect: the whole service is unknown rather than a crash.
      if (!(e instanceof RangeError)) throw e;
      root = { kind: 'scalar', file, start: 0, end: 0, value: '${code:service}' };
      this.dynamic.push({ path: [], file, start: 0, end: 0 });
    }
    return { ok: true, file, root, dynamic: this.dynamic };
  }

  // ---- files and modules ------------------------------------------------------------------------

  private load(abs: string, text?: string): { sf: import('ts-morph').SourceFile; file: SourceFile } {
    const known = this.files.get(abs);
    if (known) return known;
    const body = text ?? fs.readFileSync(abs, 'utf8');
    const file = new SourceFile(abs, body);
    const sf = this.project.createSourceFile(abs.replace(/\.(?:json)$/i, '.json.ts'), body, { overwrite: true });
    const out = { sf, file };
    this.files.set(abs, out);
    return out;
  }

  /** A project file imported by `spec` from `from`, or undefined (a package, a missing file, too big). */
  private fileOf(spec: string, from: string): string | undefined {
    const ts = this.m.ts;
    const options = {
      ...this.compilerOptions(nodePath.dirname(from)),
      allowJs: true,
      resolveJsonModule: true,
      noEmit: true,
    };
    let resolved: string | undefined;
    try {
      const r = ts.resolveModuleName(spec, from, options, ts.sys).resolvedModule;
      if (r && !r.isExternalLibraryImport) resolved = r.resolvedFileName;
    } catch {
      resolved = undefined;
    }
    if (!resolved && spec.startsWith('.')) {
      // Module resolution modes that demand extensions: try the usual ones ourselves.
      const base = nodePath.resolve(nodePath.dirname(from), spec);
      resolved = ['', '.ts', '.js', '.mjs', '.cjs', '.json', '/index.ts', '/index.js']
        .map((x) => base + x)
        .find((f) => isFile(f));
    }
    if (
      !resolved ||
      /\.d\.[cm]?ts$/.test(resolved) ||
      !SOURCE_EXT.test(resolved) ||
      /[\\/]node_modules[\\/]/.test(resolved)
    )
      return undefined;
    const abs = nodePath.resolve(resolved);
    if (this.files.get(abs) === null) return undefined;
    if (!this.files.has(abs)) {
      let size: number;
      try {
        size = fs.statSync(abs).size;
      } catch {
        return undefined;
      }
      if (size > MAX_FILE_BYTES || this.files.size >= MAX_FILES) {
        this.files.set(abs, null);
        return undefined;
      }
    }
    return abs;
  }

  /** Compiler options of the nearest tsconfig.json / jsconfig.json (with `extends`), for `paths`. */
  private compilerOptions(dir: string): TsOptions {
    const cached = this.tsconfigs.get(dir);
    if (cached) return cached;
    const ts = this.m.ts;
    let out: TsOptions = { moduleResolution: ts.ModuleResolutionKind.Node10 };
    for (const name of ['tsconfig.json', 'jsconfig.json']) {
      const cfg = nodePath.join(dir, name);
      if (!isFile(cfg)) continue;
      try {
        const read = ts.readConfigFile(cfg, ts.sys.readFile);
        if (!read.error) {
          const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, dir, undefined, cfg);
          out = { ...parsed.options };
          // Modes that ask for explicit extensions still follow `paths`; node-style lookup does both.
          if (out.moduleResolution === undefined || out.moduleResolution === ts.ModuleResolutionKind.Classic)
            out.moduleResolution = ts.ModuleResolutionKind.Node10;
        }
      } catch {
        // an unreadable tsconfig: relative imports still resolve
      }
      this.tsconfigs.set(dir, out);
      return out;
    }
    const parent = nodePath.dirname(dir);
    out = parent !== dir && !isFile(nodePath.join(dir, 'package.json')) ? this.compilerOptions(parent) : out;
    this.tsconfigs.set(dir, out);
    return out;
  }

  private sourceOf(n: N): SourceFile {
    const p = n.getSourceFile().getFilePath() as string;
    const hit = this.files.get(p) ?? this.files.get(p.replace(/\.json\.ts$/, '.json'));
    if (hit) return hit.file;
    for (const f of this.files.values()) if (f && f.sf === n.getSourceFile()) return f.file;
    throw new Error(`lambdalint: no source for ${p}`);
  }

  /** A JSON file read by `import` / `require`, with its own positions. */
  private json(abs: string): TNode | undefined {
    if (!this.jsonFiles.has(abs)) {
      let root: TNode | null = null;
      try {
        const parsed = parseSource(abs, fs.readFileSync(abs, 'utf8'));
        if (parsed.ok) root = parsed.root;
      } catch {
        root = null;
      }
      this.jsonFiles.set(abs, root);
    }
    return this.jsonFiles.get(abs) ?? undefined;
  }

  /**
   * What module `abs` exports as `name` ('default' for `export default` or CommonJS
   * `module.exports =`, '=' for the CommonJS object itself): a thunk that evaluates it, where its
   * name is written, and the binding the exported value was declared as (for later mutations).
   */
  private exportOf(
    abs: string,
    name: string,
    seen: Set<string>,
  ): { value: (ctx: Ctx) => V; at: N; name?: string } | undefined {
    const k = `${abs}\u0000${name}`;
    if (seen.has(k)) return undefined;
    seen.add(k);
    if (/\.json$/i.test(abs)) {
      const root = this.json(abs);
      if (!root) return undefined;
      const v = name === 'default' || name === '=' ? root : root.entries?.find((e) => e.key === name)?.value;
      const at = this.load(abs).sf;
      return v ? { value: () => v, at } : undefined;
    }
    const { sf } = this.load(abs);
    const { Node, SyntaxKind } = this.m;
    let cjs: N | undefined;
    const cjsProps = new Map<string, N>();
    for (const st of sf.getStatements()) {
      if (Node.isExportAssignment(st)) {
        const expr = this.unwrap(st.getExpression());
        if (name === 'default' || name === '=')
          return { ...this.thunk(expr, expr), name: Node.isIdentifier(expr) ? expr.getText() : undefined };
      } else if (Node.isExpressionStatement(st)) {
        const e = st.getExpression();
        if (Node.isBinaryExpression(e) && e.getOperatorToken().getKind() === SyntaxKind.EqualsToken) {
          const left = e.getLeft().getText().replace(/\s+/g, '');
          if (left === 'module.exports') cjs = e.getRight();
          const prop = /^(?:module\.)?exports\.([\w$]+)$/.exec(left);
          if (prop) cjsProps.set(prop[1], e.getRight());
        }
      } else if (
        name !== '=' &&
        (Node.isVariableStatement(st) || Node.isFunctionDeclaration(st)) &&
        st.hasExportKeyword()
      ) {
        if (Node.isFunctionDeclaration(st)) {
          if ((st.hasDefaultKeyword() && name === 'default') || (!st.hasDefaultKeyword() && st.getName() === name))
            return { value: () => ({ kind: 'fn', node: st }), at: st.getNameNode() ?? st };
        } else {
          for (const d of st.getDeclarations()) {
            const nameNode = d.getNameNode();
            if (Node.isIdentifier(nameNode) && nameNode.getText() === name) {
              const init = d.getInitializer();
              return init ? { ...this.thunk(init, nameNode), name } : undefined;
            }
          }
        }
      } else if (name !== '=' && Node.isExportDeclaration(st)) {
        const spec = st.getModuleSpecifierValue();
        const target = spec !== undefined ? this.fileOf(spec, abs) : undefined;
        if (st.isNamespaceExport()) {
          const ns = st.getNamespaceExport();
          if (ns && ns.getName() === name && target)
            return { value: () => ({ kind: 'module', file: target }), at: ns.getNameNode() };
          if (!ns && target && name !== 'default') {
            const inner = this.exportOf(target, name, seen);
            if (inner) return inner;
          }
          continue;
        }
        for (const s of st.getNamedExports()) {
          const exported = s.getAliasNode()?.getText() ?? s.getName();
          if (exported !== name) continue;
          const local = s.getName();
          const at = s.getAliasNode() ?? s.getNameNode();
          if (spec !== undefined) {
            if (!target) return { value: () => ({ kind: 'unknown', at, why: importWhy(spec) }), at };
            const inner = this.exportOf(target, local, seen);
            return inner ? { ...inner, at } : { value: () => ({ kind: 'unknown', at }), at };
          }
          return {
            value: (ctx) => this.lookup(local, s, { path: ctx.path, depth: ctx.depth, calls: ctx.calls }),
            at,
            name: local,
          };
        }
      }
    }
    if (cjs) {
      if (name === 'default' || name === '=') {
        const right = this.unwrap(cjs);
        return {
          value: (ctx) => this.evalExpr(right, { path: ctx.path, depth: ctx.depth, calls: ctx.calls }),
          at: right,
          name: Node.isIdentifier(right) ? right.getText() : undefined,
        };
      }
      const obj = cjs;
      return {
        value: (ctx) =>
          this.member(this.evalExpr(obj, { path: ctx.path, depth: ctx.depth, calls: ctx.calls }), name, obj, ctx.path),
        at: obj,
      };
    }
    const p = cjsProps.get(name);
    if (p) return this.thunk(p, p);
    if (name === 'default' && cjsProps.size > 0) {
      // `exports.a = ...` files: their default import is the object of those properties.
      return { value: () => ({ kind: 'module', file: abs }), at: sf };
    }
    return undefined;
  }

  /** Evaluates a module-level expression: the caller's parameters do not reach into it. */
  private thunk(expr: N, at: N): { value: (ctx: Ctx) => V; at: N } {
    return { value: (ctx) => this.evalExpr(expr, { path: ctx.path, depth: ctx.depth, calls: ctx.calls }), at };
  }

  /** The named exports of a module, as a map (an `import * as fns` namespace). */
  private namespace(abs: string, at: N, ctx: Ctx, seen = new Set<string>()): TNode {
    const file = this.sourceOf(at);
    const entries: Entry[] = [];
    if (seen.has(abs)) return { kind: 'map', file, start: at.getStart(), end: at.getEnd(), entries };
    seen.add(abs);
    if (/\.json$/i.test(abs)) return this.json(abs) ?? this.unknownNode(at, ctx.path);
    const { sf } = this.load(abs);
    const { Node } = this.m;
    const add = (name: string, nameNode: N) => {
      if (name === 'default') return;
      const ex = this.exportOf(abs, name, new Set());
      if (!ex) return;
      const path = [...ctx.path, name];
      entries.push({
        key: name,
        keyStart: nameNode.getStart(),
        keyEnd: nameNode.getEnd(),
        keyFile: this.sourceOf(nameNode),
        value: this.toNode(ex.value({ path, depth: ctx.depth, calls: 0 }), nameNode, path),
      });
    };
    for (const st of sf.getStatements()) {
      if (Node.isVariableStatement(st) && st.hasExportKeyword()) {
        for (const d of st.getDeclarations()) if (Node.isIdentifier(d.getNameNode())) add(d.getName(), d.getNameNode());
      } else if (
        Node.isFunctionDeclaration(st) &&
        st.hasExportKeyword() &&
        !st.hasDefaultKeyword() &&
        st.getNameNode()
      ) {
        add(st.getName()!, st.getNameNode()!);
      } else if (Node.isExportDeclaration(st)) {
        if (st.isNamespaceExport()) {
          const ns = st.getNamespaceExport();
          const spec = st.getModuleSpecifierValue();
          const target = spec !== undefined ? this.fileOf(spec, abs) : undefined;
          if (ns) add(ns.getName(), ns.getNameNode());
          else if (target) entries.push(...(this.namespace(target, st, ctx, seen).entries ?? []));
          else this.record(st, ctx.path);
        } else
          for (const s of st.getNamedExports())
            add(s.getAliasNode()?.getText() ?? s.getName(), s.getAliasNode() ?? s.getNameNode());
      } else if (Node.isExpressionStatement(st)) {
        const e = st.getExpression();
        if (Node.isBinaryExpression(e) && e.getOperatorToken().getText() === '=') {
          const left = e.getLeft().getText().replace(/\s+/g, '');
          const prop = /^(?:module\.)?exports\.([\w$]+)$/.exec(left);
          if (prop && Node.isPropertyAccessExpression(e.getLeft()))
            add(prop[1], (e.getLeft() as import('ts-morph').PropertyAccessExpression).getNameNode());
          if (left === 'module.exports') {
            const v = this.toNode(this.evalExpr(e.getRight(), ctx), e.getRight(), ctx.path);
            if (v.kind === 'map') entries.push(...(v.entries ?? []));
          }
        }
      }
    }
    return { kind: 'map', file, start: at.getStart(), end: at.getEnd(), entries };
  }

  // ---- names ------------------------------------------------------------------------------------

  /** What `name` is bound to where `at` is: a parameter, a `const`, a function, an import. */
  private lookup(name: string, at: N, ctx: Ctx): V {
    const { Node, SyntaxKind } = this.m;
    if (ctx.env?.has(name)) return ctx.env.get(name)!;
    const file = this.sourceOf(at);
    const here = { file, start: at.getStart(), end: at.getEnd() };
    if (name === '__dirname') return { ...here, kind: 'scalar', value: nodePath.dirname(file.path) };
    if (name === '__filename') return { ...here, kind: 'scalar', value: file.path };
    if (name === 'undefined') return { ...here, kind: 'scalar', value: null };
    if (name === 'process') return { kind: 'builtin', name: 'process' };
    // Declarations found by scope are module-level here (a function's own constants are in env).
    const outer: Ctx = { path: ctx.path, depth: ctx.depth, calls: ctx.calls };
    for (let scope: N | undefined = at; scope; scope = scope.getParent()) {
      const statements =
        Node.isSourceFile(scope) || Node.isBlock(scope) || Node.isModuleBlock(scope)
          ? scope.getStatements()
          : undefined;
      if (!statements) continue;
      for (const st of statements) {
        if (Node.isVariableStatement(st)) {
          const isConst = st.getDeclarationKind() === this.m.VariableDeclarationKind.Const;
          for (const d of st.getDeclarations()) {
            const nameNode = d.getNameNode();
            const init = d.getInitializer();
            if (Node.isIdentifier(nameNode)) {
              if (nameNode.getText() !== name) continue;
              if (!init || (!isConst && this.reassigned(name, scope))) return { kind: 'unknown', at };
              return this.evalExpr(init, outer);
            }
            if (Node.isObjectBindingPattern(nameNode) && init) {
              for (const el of nameNode.getElements()) {
                if (el.getName() !== name || el.getDotDotDotToken()) continue;
                const prop = el.getPropertyNameNode()?.getText() ?? name;
                return this.member(this.evalExpr(init, outer), prop, el, ctx.path);
              }
            }
          }
        } else if (Node.isFunctionDeclaration(st) && st.getName() === name) return { kind: 'fn', node: st };
        else if (Node.isImportDeclaration(st)) {
          const v = this.imported(st, name, outer);
          if (v) return v;
        } else if (Node.isEnumDeclaration(st) && st.getName() === name) return { kind: 'unknown', at };
      }
      if (scope.getKind() === SyntaxKind.SourceFile) break;
    }
    return { kind: 'unknown', at };
  }

  /** Whether a `let` / `var` is assigned anywhere after its declaration. */
  private reassigned(name: string, scope: N): boolean {
    const { Node } = this.m;
    return scope
      .getDescendants()
      .some(
        (d) =>
          Node.isBinaryExpression(d) &&
          /^=|[-+*/]=$/.test(d.getOperatorToken().getText()) &&
          d.getLeft().getText() === name,
      );
  }

  private imported(st: import('ts-morph').ImportDeclaration, name: string, ctx: Ctx): V | undefined {
    const spec = st.getModuleSpecifierValue();
    const def = st.getDefaultImport();
    const ns = st.getNamespaceImport();
    const named = st.getNamedImports().find((s) => (s.getAliasNode()?.getText() ?? s.getName()) === name);
    if (def?.getText() !== name && ns?.getText() !== name && !named) return undefined;
    const at = (named ?? def ?? ns)!;
    const builtin = builtinModule(spec);
    if (builtin) {
      if (named) return { kind: 'builtin', name: `${builtin}.${named.getName()}` };
      return { kind: 'builtin', name: builtin };
    }
    const target = this.fileOf(spec, st.getSourceFile().getFilePath() as string);
    if (!target) return { kind: 'unknown', at, why: importWhy(spec) };
    if (ns?.getText() === name) return { kind: 'module', file: target };
    const exportName = named ? named.getName() : 'default';
    const ex = this.exportOf(target, exportName, new Set());
    if (ex) return ex.value(ctx);
    // A default import of a module without one (esModuleInterop): its named exports.
    if (!named) return { kind: 'module', file: target };
    return { kind: 'unknown', at };
  }

  // ---- expressions ------------------------------------------------------------------------------

  private unwrap(n: N): N {
    const { Node } = this.m;
    for (let i = 0; i < 20; i++) {
      if (
        Node.isAsExpression(n) ||
        Node.isSatisfiesExpression(n) ||
        Node.isParenthesizedExpression(n) ||
        Node.isTypeAssertion(n) ||
        Node.isNonNullExpression(n)
      )
        n = n.getExpression();
      else break;
    }
    return n;
  }

  private evalExpr(raw: N, ctx: Ctx): V {
    const n = this.unwrap(raw);
    if (ctx.depth > MAX_DEPTH || this.active.has(n)) return { kind: 'unknown', at: n };
    this.active.add(n);
    try {
      return this.evalInner(n, { ...ctx, depth: ctx.depth + 1 });
    } finally {
      this.active.delete(n);
    }
  }

  private evalInner(n: N, ctx: Ctx): V {
    const { Node, SyntaxKind } = this.m;
    const file = this.sourceOf(n);
    const base = { file, start: n.getStart(), end: n.getEnd() };
    const scalar = (value: string | number | boolean | null): TNode => ({ ...base, kind: 'scalar', value });
    if (Node.isIdentifier(n)) {
      const v = this.lookup(n.getText(), n, ctx);
      // A constant used here is reported here (the line that sets the function's timeout).
      return isNode(v) && v.kind === 'scalar' ? { ...v, ...base } : v;
    }
    if (Node.isStringLiteral(n) || Node.isNoSubstitutionTemplateLiteral(n)) return scalar(n.getLiteralValue());
    if (Node.isNumericLiteral(n)) return scalar(n.getLiteralValue());
    const kind = n.getKind();
    if (kind === SyntaxKind.TrueKeyword) return scalar(true);
    if (kind === SyntaxKind.FalseKeyword) return scalar(false);
    if (kind === SyntaxKind.NullKeyword) return scalar(null);
    if (Node.isRegularExpressionLiteral(n)) {
      const m = /^\/(.*)\/([a-z]*)$/s.exec(n.getText());
      try {
        return m ? { kind: 'regex', re: new RegExp(m[1], m[2]) } : { kind: 'unknown', at: n };
      } catch {
        return { kind: 'unknown', at: n };
      }
    }
    if (Node.isPrefixUnaryExpression(n)) {
      const v = this.evalExpr(n.getOperand(), ctx);
      const op = n.getOperatorToken();
      if (
        isNode(v) &&
        v.kind === 'scalar' &&
        typeof v.value === 'number' &&
        (op === SyntaxKind.MinusToken || op === SyntaxKind.PlusToken)
      )
        return scalar(op === SyntaxKind.MinusToken ? -v.value : v.value);
      if (isNode(v) && v.kind === 'scalar' && op === SyntaxKind.ExclamationToken && v.value !== undefined)
        return scalar(!v.value);
      return { kind: 'unknown', at: n };
    }
    if (Node.isTemplateExpression(n)) {
      let out = n.getHead().getLiteralText();
      for (const span of n.getTemplateSpans()) {
        const v = this.evalExpr(span.getExpression(), ctx);
        if (!isNode(v) || v.kind !== 'scalar' || v.value === null) return { kind: 'unknown', at: n };
        out += String(v.value) + span.getLiteral().getLiteralText();
      }
      return scalar(out);
    }
    if (Node.isBinaryExpression(n)) return this.binary(n, ctx, scalar);
    if (Node.isConditionalExpression(n)) {
      const c = this.evalExpr(n.getCondition(), ctx);
      if (isNode(c) && c.kind === 'scalar') return this.evalExpr(c.value ? n.getWhenTrue() : n.getWhenFalse(), ctx);
      return { kind: 'unknown', at: n };
    }
    if (Node.isArrayLiteralExpression(n)) return this.array(n, ctx);
    if (Node.isObjectLiteralExpression(n)) return this.object(n, ctx);
    if (Node.isArrowFunction(n) || Node.isFunctionExpression(n)) return { kind: 'fn', node: n };
    if (Node.isPropertyAccessExpression(n)) {
      const text = n.getExpression().getText();
      if (text === 'import.meta') {
        const name = n.getName();
        if (name === 'url') return scalar(pathToFileURL(file.path).href);
        if (name === 'dirname') return scalar(nodePath.dirname(file.path));
        if (name === 'filename') return scalar(file.path);
        return { kind: 'unknown', at: n };
      }
      return this.member(this.evalExpr(n.getExpression(), ctx), n.getName(), n, ctx.path);
    }
    if (Node.isElementAccessExpression(n)) {
      const arg = n.getArgumentExpression();
      const k = arg ? this.evalExpr(arg, ctx) : undefined;
      if (!k || !isNode(k) || k.kind !== 'scalar' || k.value === null) return { kind: 'unknown', at: n };
      return this.member(this.evalExpr(n.getExpression(), ctx), String(k.value), n, ctx.path);
    }
    if (Node.isCallExpression(n)) return this.call(n, ctx, scalar);
    return { kind: 'unknown', at: n };
  }

  private binary(
    n: import('ts-morph').BinaryExpression,
    ctx: Ctx,
    scalar: (v: string | number | boolean | null) => TNode,
  ): V {
    const op = n.getOperatorToken().getText();
    const left = this.evalExpr(n.getLeft(), ctx);
    if (op === '??' || op === '||' || op === '&&') {
      if (!isNode(left))
        return left.kind === 'unknown'
          ? { kind: 'unknown', at: n }
          : op === '&&'
            ? this.evalExpr(n.getRight(), ctx)
            : left;
      if (left.kind !== 'scalar') return op === '&&' ? this.evalExpr(n.getRight(), ctx) : left;
      const keep = op === '??' ? left.value !== null : op === '||' ? !!left.value : !left.value;
      return keep ? left : this.evalExpr(n.getRight(), ctx);
    }
    const right = this.evalExpr(n.getRight(), ctx);
    if (
      !isNode(left) ||
      !isNode(right) ||
      left.kind !== 'scalar' ||
      right.kind !== 'scalar' ||
      left.value === null ||
      right.value === null
    )
      return { kind: 'unknown', at: n };
    const a = left.value;
    const b = right.value;
    if (op === '+')
      return typeof a === 'string' || typeof b === 'string'
        ? scalar(String(a) + String(b))
        : typeof a === 'number' && typeof b === 'number'
          ? scalar(a + b)
          : { kind: 'unknown', at: n };
    if (typeof a !== 'number' || typeof b !== 'number')
      return op === '===' || op === '=='
        ? scalar(a === b)
        : op === '!==' || op === '!='
          ? scalar(a !== b)
          : { kind: 'unknown', at: n };
    switch (op) {
      case '-':
        return scalar(a - b);
      case '*':
        return scalar(a * b);
      case '/':
        return scalar(a / b);
      case '%':
        return scalar(a % b);
      case '**':
        return scalar(a ** b);
      default:
        return { kind: 'unknown', at: n };
    }
  }

  private array(n: import('ts-morph').ArrayLiteralExpression, ctx: Ctx): V {
    const { Node } = this.m;
    const items: TNode[] = [];
    for (const [i, el] of n.getElements().entries()) {
      const path = [...ctx.path, String(i)];
      if (Node.isSpreadElement(el)) {
        const inner = this.evalExpr(el.getExpression(), { ...ctx, path });
        if (isNode(inner) && inner.kind === 'seq') items.push(...inner.items!);
        else items.push(this.unknownNode(el, ctx.path));
      } else items.push(this.toNode(this.evalExpr(el, { ...ctx, path }), el, path));
    }
    return { kind: 'seq', file: this.sourceOf(n), start: n.getStart(), end: n.getEnd(), items };
  }

  private object(n: import('ts-morph').ObjectLiteralExpression, ctx: Ctx): V {
    const { Node } = this.m;
    const file = this.sourceOf(n);
    const entries: Entry[] = [];
    for (const p of n.getProperties()) {
      if (Node.isPropertyAssignment(p) || Node.isShorthandPropertyAssignment(p)) {
        const nameNode = p.getNameNode();
        let key: string | undefined;
        if (
          Node.isStringLiteral(nameNode) ||
          Node.isNumericLiteral(nameNode) ||
          Node.isNoSubstitutionTemplateLiteral(nameNode)
        )
          key = String(nameNode.getLiteralValue());
        else if (Node.isComputedPropertyName(nameNode)) {
          const k = this.evalExpr(nameNode.getExpression(), ctx);
          if (isNode(k) && k.kind === 'scalar' && k.value !== null) key = String(k.value);
          else {
            this.record(p, ctx.path);
            continue;
          }
        } else key = nameNode.getText();
        const path = [...ctx.path, key];
        const valueNode = Node.isPropertyAssignment(p) ? p.getInitializer() : nameNode;
        if (!valueNode) continue;
        const value = this.toNode(this.evalExpr(valueNode, { ...ctx, path }), valueNode, path);
        const e: Entry = { key, keyStart: nameNode.getStart(), keyEnd: nameNode.getEnd(), value };
        if (value.file !== file) e.keyFile = file;
        entries.push(e);
      } else if (Node.isSpreadAssignment(p)) {
        const inner = this.evalExpr(p.getExpression(), ctx);
        const v = isNode(inner) ? inner : inner.kind === 'module' ? this.namespace(inner.file, p, ctx) : undefined;
        if (v?.kind === 'map') entries.push(...v.entries!);
        else if (!(v?.kind === 'scalar' && v.value === null)) this.record(p, ctx.path);
      } else this.record(p, ctx.path); // methods, getters and setters are code
    }
    return { kind: 'map', file, start: n.getStart(), end: n.getEnd(), entries };
  }

  /** `obj.name` / `obj[name]` of a value. */
  private member(obj: V, name: string, at: N, path: string[] = []): V {
    const file = this.sourceOf(at);
    if (isNode(obj)) {
      if (obj.kind === 'map') {
        let found: TNode | undefined;
        for (const e of obj.entries ?? []) if (e.key === name) found = e.value;
        return found ?? { kind: 'unknown', at };
      }
      if (obj.kind === 'seq') {
        if (name === 'length')
          return { kind: 'scalar', file, start: at.getStart(), end: at.getEnd(), value: obj.items!.length };
        const item = /^\d+$/.test(name) ? obj.items![Number(name)] : undefined;
        return item ?? { kind: 'unknown', at };
      }
      if (typeof obj.value === 'string' && name === 'length')
        return { kind: 'scalar', file, start: at.getStart(), end: at.getEnd(), value: obj.value.length };
      if (typeof obj.value === 'string' && /^\d+$/.test(name) && Number(name) < obj.value.length)
        return { kind: 'scalar', file, start: at.getStart(), end: at.getEnd(), value: obj.value[Number(name)] };
      return { kind: 'unknown', at };
    }
    if (obj.kind === 'module') {
      const ex = this.exportOf(obj.file, name, new Set());
      return ex ? ex.value({ path, depth: 0, calls: 0 }) : { kind: 'unknown', at };
    }
    if (obj.kind === 'builtin') {
      if (obj.name === 'process' && name === 'cwd') return { kind: 'builtin', name: 'process.cwd' };
      if (obj.name === 'path' && (PATH_FNS.has(name) || name === 'posix'))
        return { kind: 'builtin', name: name === 'posix' ? 'path' : `path.${name}` };
      if (obj.name === 'path' && name === 'sep')
        return { kind: 'scalar', file, start: at.getStart(), end: at.getEnd(), value: '/' };
      if (obj.name === 'url' && name === 'fileURLToPath') return { kind: 'builtin', name: 'url.fileURLToPath' };
    }
    return { kind: 'unknown', at };
  }

  private call(
    n: import('ts-morph').CallExpression,
    ctx: Ctx,
    scalar: (v: string | number | boolean | null) => TNode,
  ): V {
    const { Node } = this.m;
    const callee = this.unwrap(n.getExpression());
    const args = n.getArguments();
    if (Node.isIdentifier(callee) && callee.getText() === 'require' && !ctx.env?.has('require') && args.length === 1) {
      const spec = this.evalExpr(args[0], ctx);
      if (!isNode(spec) || spec.kind !== 'scalar' || typeof spec.value !== 'string') return { kind: 'unknown', at: n };
      const builtin = builtinModule(spec.value);
      if (builtin) return { kind: 'builtin', name: builtin };
      const target = this.fileOf(spec.value, this.sourceOf(n).path);
      if (!target) return { kind: 'unknown', at: n, why: importWhy(spec.value) };
      const ex = this.exportOf(target, '=', new Set()) ?? this.exportOf(target, 'default', new Set());
      return ex ? ex.value(ctx) : { kind: 'module', file: target };
    }
    // A method of a known string or list.
    if (Node.isPropertyAccessExpression(callee)) {
      const recv = this.evalExpr(callee.getExpression(), ctx);
      if (isNode(recv) && recv.kind !== 'map') {
        const argv = args.map((a) => this.evalExpr(a, ctx));
        const r = method(recv, callee.getName(), argv);
        if (r === undefined) return { kind: 'unknown', at: n };
        if (Array.isArray(r))
          return {
            kind: 'seq',
            file: this.sourceOf(n),
            start: n.getStart(),
            end: n.getEnd(),
            items: r.map((x) => scalar(x)),
          };
        return scalar(r);
      }
      const fnv = this.member(recv, callee.getName(), callee);
      return this.apply(fnv, n, ctx, scalar);
    }
    return this.apply(this.evalExpr(callee, ctx), n, ctx, scalar);
  }

  private apply(
    fnv: V,
    n: import('ts-morph').CallExpression,
    ctx: Ctx,
    scalar: (v: string | number | boolean | null) => TNode,
  ): V {
    const { Node } = this.m;
    const args = n.getArguments();
    if (isNode(fnv) || fnv.kind === 'unknown' || fnv.kind === 'module' || fnv.kind === 'regex')
      return { kind: 'unknown', at: n };
    if (fnv.kind === 'builtin') {
      const argv = args.map((a) => this.evalExpr(a, ctx));
      const strs = argv.map((a) =>
        isNode(a) && a.kind === 'scalar' && typeof a.value === 'string' ? a.value : undefined,
      );
      if (fnv.name === 'process.cwd') return args.length === 0 ? scalar(this.serviceDir) : { kind: 'unknown', at: n };
      if (strs.some((s) => s === undefined)) return { kind: 'unknown', at: n };
      const s = strs as string[];
      if (fnv.name === 'url.fileURLToPath') {
        try {
          return scalar(fileURLToPath(s[0]));
        } catch {
          return { kind: 'unknown', at: n };
        }
      }
      const fn = /^path\.(\w+)$/.exec(fnv.name)?.[1];
      if (fn && PATH_FNS.has(fn)) {
        if (fn === 'resolve') return scalar(nodePath.resolve(this.serviceDir, ...s));
        const f = (nodePath.posix as unknown as Record<string, (...a: string[]) => string>)[fn];
        return scalar(f(...s));
      }
      return { kind: 'unknown', at: n };
    }
    // A function of the project: its parameters bound to the arguments, its body evaluated.
    if (ctx.calls >= MAX_CALL_DEPTH) return { kind: 'unknown', at: n };
    const decl = fnv.node;
    if (!(Node.isArrowFunction(decl) || Node.isFunctionExpression(decl) || Node.isFunctionDeclaration(decl)))
      return { kind: 'unknown', at: n };
    if (decl.isAsync() || (!Node.isArrowFunction(decl) && decl.isGenerator())) return { kind: 'unknown', at: n };
    const env = new Map<string, V>();
    for (const [i, p] of decl.getParameters().entries()) {
      const nameNode = p.getNameNode();
      if (!Node.isIdentifier(nameNode) || p.isRestParameter()) return { kind: 'unknown', at: n };
      const arg = args[i];
      const init = p.getInitializer();
      env.set(nameNode.getText(), arg ? this.evalExpr(arg, ctx) : init ? this.evalExpr(init, ctx) : scalar(null));
    }
    const inner: Ctx = { env, path: ctx.path, depth: ctx.depth, calls: ctx.calls + 1 };
    const body = decl.getBody();
    if (!body) return { kind: 'unknown', at: n };
    if (!Node.isBlock(body)) return this.evalExpr(body, inner);
    // A block of `const` declarations and one final `return`: anything else is code we do not run.
    for (const st of body.getStatements()) {
      if (Node.isVariableStatement(st) && st.getDeclarationKind() === this.m.VariableDeclarationKind.Const) {
        for (const d of st.getDeclarations()) {
          const nameNode = d.getNameNode();
          const init = d.getInitializer();
          if (!Node.isIdentifier(nameNode) || !init) return { kind: 'unknown', at: n };
          env.set(nameNode.getText(), this.evalExpr(init, inner));
        }
      } else if (Node.isReturnStatement(st)) {
        const e = st.getExpression();
        return e ? this.evalExpr(e, inner) : scalar(null);
      } else return { kind: 'unknown', at: n };
    }
    return scalar(null);
  }

  // ---- results ----------------------------------------------------------------------------------

  /** A value as a node of the tree: what is not data (a function, an unknown) becomes an unresolvable variable. */
  private toNode(v: V, at: N, path: string[]): TNode {
    if (isNode(v)) return v;
    if (v.kind === 'module') return this.namespace(v.file, at, { path, depth: 0, calls: 0 });
    return this.unknownNode(v.kind === 'unknown' ? v.at : at, path, v.kind === 'unknown' ? v.why : undefined);
  }

  private unknownNode(at: N, path: string[], why?: string): TNode {
    this.record(at, path, why);
    const file = this.sourceOf(at);
    return {
      kind: 'scalar',
      file,
      start: at.getStart(),
      end: at.getEnd(),
      value:
        '${code:' +
        at
          .getText()
          .replace(/[{}$\s]+/g, ' ')
          .slice(0, 60)
          .trim() +
        '}',
    };
  }

  private record(at: N, path: string[], why?: string): void {
    const file = this.sourceOf(at);
    if (this.dynamic.some((d) => d.file === file && d.start === at.getStart() && d.path.join('.') === path.join('.')))
      return;
    this.dynamic.push({ path, file, start: at.getStart(), end: at.getEnd(), ...(why ? { why } : {}) });
  }

  /**
   * `config.functions = {...}` / `config.plugins.push(...)`-style statements after the object is
   * declared, in the service file: simple assignments to a property path are applied, anything
   * else that touches the object leaves the touched part unknown.
   */
  private applyAssignments(root: TNode, name: string | undefined): TNode {
    if (!name || root.kind !== 'map') return root;
    const { Node } = this.m;
    const { sf } = this.load(this.path);
    for (const st of sf.getStatements()) {
      if (!Node.isExpressionStatement(st)) continue;
      const e = this.unwrap(st.getExpression());
      if (Node.isBinaryExpression(e) && e.getOperatorToken().getText() === '=') {
        const segs = propertyPath(e.getLeft().getText());
        if (!segs || segs[0] !== name || segs.length < 2) continue;
        const path = segs.slice(1);
        const value = this.toNode(this.evalExpr(e.getRight(), { path, depth: 0, calls: 0 }), e.getRight(), path);
        root = setPath(
          root,
          path,
          value,
          this.sourceOf(e.getLeft()),
          e.getLeft().getEnd() - path[path.length - 1].length,
          e.getLeft().getEnd(),
        );
      } else if (
        e.getText().startsWith(`${name}.`) ||
        e.getDescendants().some((d) => Node.isIdentifier(d) && d.getText() === name)
      ) {
        const segs = propertyPath(/^[\w$.]+/.exec(e.getText())?.[0].replace(/\.\w+$/, '') ?? '');
        this.record(e, segs && segs[0] === name ? segs.slice(1) : []);
      }
    }
    return root;
  }
}

function parseDiagnostics(
  sf: import('ts-morph').SourceFile,
): { start?: number; length?: number; messageText: string | { messageText: string } }[] {
  return (
    (
      sf.compilerNode as unknown as {
        parseDiagnostics?: { start?: number; length?: number; messageText: string | { messageText: string } }[];
      }
    ).parseDiagnostics ?? []
  );
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** Why an import was not followed. */
function importWhy(spec: string): string {
  return /^[./]/.test(spec)
    ? `imported from ${spec}, which is not in the project`
    : `imported from ${spec}, not a file of the project`;
}

function builtinModule(spec: string): string | undefined {
  const s = spec.replace(/^node:/, '');
  if (s === 'path' || s === 'path/posix') return 'path';
  if (s === 'url') return 'url';
  if (s === 'process') return 'process';
  return undefined;
}

/** `a.b.c` / `a['b']` as segments, or undefined when it is not a plain property path. */
function propertyPath(text: string): string[] | undefined {
  const t = text.replace(/\s+/g, '');
  if (!/^[\w$]+(?:\.[\w$]+|\[(?:'[^']*'|"[^"]*"|\d+)\])*$/.test(t)) return undefined;
  return [...t.matchAll(/[\w$]+|'([^']*)'|"([^"]*)"/g)].map((m) => m[1] ?? m[2] ?? m[0]);
}

function setPath(root: TNode, path: string[], value: TNode, file: SourceFile, keyStart: number, keyEnd: number): TNode {
  if (root.kind !== 'map') return root;
  const [head, ...rest] = path;
  const entries = [...(root.entries ?? [])];
  const i = entries.findIndex((e) => e.key === head);
  if (rest.length === 0) {
    const e: Entry = { key: head, keyStart, keyEnd, value, ...(value.file !== file ? { keyFile: file } : {}) };
    if (i >= 0) entries[i] = e;
    else entries.push(e);
  } else if (i >= 0)
    entries[i] = { ...entries[i], value: setPath(entries[i].value, rest, value, file, keyStart, keyEnd) };
  else return root;
  return { ...root, entries };
}

/** A pure method of a known string or list, or undefined when lambdalint does not evaluate it. */
function method(recv: TNode, name: string, argv: V[]): string | number | boolean | string[] | undefined {
  const str = (v: V | undefined) =>
    v && isNode(v) && v.kind === 'scalar' && typeof v.value === 'string' ? v.value : undefined;
  const num = (v: V | undefined) =>
    v && isNode(v) && v.kind === 'scalar' && typeof v.value === 'number' ? v.value : undefined;
  const pattern = (v: V | undefined): string | RegExp | undefined =>
    v && !isNode(v) && v.kind === 'regex' ? v.re : str(v);
  if (recv.kind === 'seq') {
    const items = (recv.items ?? []).map((i) =>
      i.kind === 'scalar' && typeof i.value === 'string' ? i.value : undefined,
    );
    if (items.some((x) => x === undefined)) return undefined;
    const list = items as string[];
    if (name === 'join') return list.join(argv.length ? (str(argv[0]) ?? ',') : ',');
    if (name === 'pop' || (name === 'at' && num(argv[0]) === -1)) return list[list.length - 1];
    if (name === 'slice') return list.slice(num(argv[0]) ?? 0, argv.length > 1 ? num(argv[1]) : undefined);
    return undefined;
  }
  const s = recv.value;
  if (typeof s !== 'string') return name === 'toString' ? String(s) : undefined;
  switch (name) {
    case 'split': {
      const sep = pattern(argv[0]);
      return sep === undefined ? undefined : s.split(sep);
    }
    case 'substring':
    case 'slice':
    case 'substr': {
      const a = num(argv[0]);
      const b = argv.length > 1 ? num(argv[1]) : undefined;
      if (a === undefined || (argv.length > 1 && b === undefined)) return undefined;
      return name === 'substring'
        ? s.substring(a, b)
        : name === 'slice'
          ? s.slice(a, b)
          : s.substring(
              a < 0 ? Math.max(0, s.length + a) : a,
              b === undefined ? undefined : (a < 0 ? Math.max(0, s.length + a) : a) + b,
            );
    }
    case 'replace':
    case 'replaceAll': {
      const p = pattern(argv[0]);
      const r = str(argv[1]);
      if (p === undefined || r === undefined) return undefined;
      if (name === 'replaceAll' && p instanceof RegExp && !p.flags.includes('g')) return undefined;
      return name === 'replace' ? s.replace(p, r) : s.replaceAll(p, r);
    }
    case 'trim':
    case 'toLowerCase':
    case 'toUpperCase':
    case 'toString':
      return s[name]();
    case 'concat':
      return argv.every((a) => str(a) !== undefined) ? s.concat(...argv.map((a) => str(a)!)) : undefined;
    case 'startsWith':
    case 'endsWith':
    case 'includes': {
      const a = str(argv[0]);
      return a === undefined ? undefined : s[name](a);
    }
    default:
      return undefined;
  }
}
