// serverless.ts / serverless.js read statically: the exported object literal becomes the same node
// tree a serverless.yml gives, with exact offsets. The file is never executed. What is not a
// literal (a function call, an import from another module, `process.env.X`) becomes a variable the
// resolver cannot resolve, so it stays symbolic.
import { createRequire } from 'node:module';
import { SourceFile, type Entry, type ParseResult, type TNode } from '../source/parse.js';

type TsMorph = typeof import('ts-morph');
let tsMorph: TsMorph | undefined;

/** ts-morph is heavy: loaded on first use, only when a project has a serverless.ts / .js. */
function morph(): TsMorph {
  tsMorph ??= createRequire(import.meta.url)('ts-morph') as TsMorph;
  return tsMorph;
}

const MAX_DEPTH = 60;

export function parseServerlessScript(path: string, text: string): ParseResult {
  const file = new SourceFile(path, text);
  const { Project, Node, SyntaxKind } = morph();
  const project = new Project({ useInMemoryFileSystem: true, compilerOptions: { allowJs: true }, skipLoadingLibFiles: true });
  const sf = project.createSourceFile(path.endsWith('.js') || path.endsWith('.cjs') || path.endsWith('.mjs') ? '/serverless.js' : '/serverless.ts', text);
  // Syntax errors only: the file is never type-checked (that would be slow and beside the point).
  const parseDiagnostics = (sf.compilerNode as unknown as { parseDiagnostics?: { start?: number; length?: number; messageText: string | { messageText: string } }[] }).parseDiagnostics ?? [];
  const syntax = parseDiagnostics[0];
  if (syntax) {
    const at = syntax.start ?? 0;
    const msg = typeof syntax.messageText === 'string' ? syntax.messageText : syntax.messageText.messageText;
    return { ok: false, file, error: { message: `invalid ${/\.[cm]?ts$/.test(path) ? 'TypeScript' : 'JavaScript'}: ${msg}`, range: file.range(at, at + (syntax.length ?? 1)) } };
  }

  type N = import('ts-morph').Node;
  const unknown = (n: N): TNode => ({ kind: 'scalar', file, start: n.getStart(), end: n.getEnd(), value: '${code:' + n.getText().replace(/[{}$\s]+/g, ' ').slice(0, 60).trim() + '}' });

  const unwrap = (n: N): N => {
    for (let i = 0; i < 20; i++) {
      if (Node.isAsExpression(n) || Node.isSatisfiesExpression(n) || Node.isParenthesizedExpression(n) || Node.isTypeAssertion(n) || Node.isNonNullExpression(n)) n = n.getExpression();
      else break;
    }
    return n;
  };

  /** An identifier's `const` initializer in this file. */
  const follow = (n: N): N | undefined => {
    if (!Node.isIdentifier(n)) return undefined;
    const decl = sf.getVariableDeclaration(n.getText());
    return decl?.getInitializer();
  };

  const convert = (raw: N, depth: number): TNode => {
    const n = unwrap(raw);
    if (depth > MAX_DEPTH) return unknown(n);
    if (Node.isIdentifier(n)) {
      const init = follow(n);
      if (!init) return n.getText() === 'undefined' ? { kind: 'scalar', file, start: n.getStart(), end: n.getEnd(), value: null } : unknown(n);
      const inner = convert(init, depth + 1);
      return inner.kind === 'scalar' ? { ...inner, start: n.getStart(), end: n.getEnd() } : inner;
    }
    const base = { file, start: n.getStart(), end: n.getEnd() };
    if (Node.isStringLiteral(n) || Node.isNoSubstitutionTemplateLiteral(n)) return { ...base, kind: 'scalar', value: n.getLiteralValue() };
    if (Node.isNumericLiteral(n)) return { ...base, kind: 'scalar', value: n.getLiteralValue() };
    if (n.getKind() === SyntaxKind.TrueKeyword) return { ...base, kind: 'scalar', value: true };
    if (n.getKind() === SyntaxKind.FalseKeyword) return { ...base, kind: 'scalar', value: false };
    if (n.getKind() === SyntaxKind.NullKeyword) return { ...base, kind: 'scalar', value: null };
    if (Node.isPrefixUnaryExpression(n) && n.getOperatorToken() === SyntaxKind.MinusToken && Node.isNumericLiteral(n.getOperand())) {
      return { ...base, kind: 'scalar', value: -Number(n.getOperand().getText()) };
    }
    if (Node.isArrayLiteralExpression(n)) {
      const items: TNode[] = [];
      for (const el of n.getElements()) {
        if (Node.isSpreadElement(el)) {
          const inner = convert(el.getExpression(), depth + 1);
          if (inner.kind === 'seq') items.push(...inner.items!);
          else items.push(unknown(el));
        } else items.push(convert(el, depth + 1));
      }
      return { ...base, kind: 'seq', items };
    }
    if (Node.isObjectLiteralExpression(n)) {
      const entries: Entry[] = [];
      for (const p of n.getProperties()) {
        if (Node.isPropertyAssignment(p)) {
          const nameNode = p.getNameNode();
          const key = Node.isStringLiteral(nameNode) || Node.isNumericLiteral(nameNode) || Node.isNoSubstitutionTemplateLiteral(nameNode) ? String(nameNode.getLiteralValue()) : Node.isComputedPropertyName(nameNode) ? undefined : nameNode.getText();
          if (key === undefined) continue;
          const init = p.getInitializer();
          if (!init) continue;
          entries.push({ key, keyStart: nameNode.getStart(), keyEnd: nameNode.getEnd(), value: convert(init, depth + 1) });
        } else if (Node.isShorthandPropertyAssignment(p)) {
          const nameNode = p.getNameNode();
          entries.push({ key: nameNode.getText(), keyStart: nameNode.getStart(), keyEnd: nameNode.getEnd(), value: convert(nameNode, depth + 1) });
        } else if (Node.isSpreadAssignment(p)) {
          const inner = convert(p.getExpression(), depth + 1);
          if (inner.kind === 'map') entries.push(...inner.entries!);
        }
      }
      return { ...base, kind: 'map', entries };
    }
    return unknown(n);
  };

  // `export default X`, `export = X`, `module.exports = X`.
  let exported: N | undefined;
  for (const st of sf.getStatements()) {
    if (Node.isExportAssignment(st)) exported = st.getExpression();
    else if (Node.isExpressionStatement(st)) {
      const e = st.getExpression();
      if (Node.isBinaryExpression(e) && e.getOperatorToken().getKind() === SyntaxKind.EqualsToken && /^module\.exports$/.test(e.getLeft().getText())) exported = e.getRight();
    }
  }
  if (!exported) return { ok: true, file, root: { kind: 'scalar', file, start: 0, end: 0, value: null } };
  return { ok: true, file, root: convert(exported, 0) };
}
