// Terraform's JSON syntax (`*.tf.json`, https://developer.hashicorp.com/terraform/language/syntax/json)
// converted into the same AST as native `.tf` files, with positions in the JSON file. Strings that
// hold `${...}` templates are parsed as HCL templates; every node of such a string points at the
// string. Whether an object is a nested block or an attribute depends on the provider's schema,
// which lambdalint does not have: in resources and data sources an object (or a list of objects)
// is a block, unless it is one of the map-typed arguments named below.
import { type Node as JsonNode, type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import { type Attribute, type Body, type Expr, HclFile, type ParsedHcl, parseHcl, type Span } from './hcl.js';

type TSParser = Parameters<typeof parseHcl>[0];

/** Map-typed arguments (attributes, not blocks) of the resources lambdalint reads. */
const MAP_ATTRIBUTES = new Set([
  'tags',
  'tags_all',
  'variables',
  'triggers',
  'request_parameters',
  'request_templates',
  'response_parameters',
  'response_templates',
  'endpoints',
  'input',
  'additional_version_weights',
  'environment_variables',
  'default_tags',
  'stage_variables',
  'policy',
  'assume_role_policy',
]);

/** Block types whose labels are the keys of nested objects: `resource.TYPE.NAME`, `variable.NAME`... */
const LABELS: Record<string, number> = {
  resource: 2,
  data: 2,
  variable: 1,
  output: 1,
  module: 1,
  provider: 1,
  locals: 0,
  terraform: 0,
};

export function parseTfJson(parser: TSParser, filePath: string, text: string): ParsedHcl {
  const file = new HclFile(filePath, text);
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  const body: Body = { attrs: new Map(), blocks: [] };
  if (errors.length || !root || root.type !== 'object') {
    const e = errors[0];
    const at = e?.offset ?? 0;
    return {
      file,
      body,
      error: {
        span: { file, start: at, end: at + Math.max(1, e?.length ?? 1) },
        message: e ? `JSON syntax error: ${printParseErrorCode(e.error)}` : 'a .tf.json file holds one JSON object',
      },
    };
  }
  const conv = new Converter(parser, file);
  for (const prop of root.children ?? []) {
    const [k, v] = prop.children ?? [];
    if (!k || !v || typeof k.value !== 'string') continue;
    const type = k.value;
    const labels = LABELS[type];
    if (labels === undefined) continue;
    for (const item of v.type === 'array' ? (v.children ?? []) : [v]) conv.labelled(type, labels, [], item, k, body);
  }
  return { file, body };
}

class Converter {
  constructor(
    private parser: TSParser,
    private file: HclFile,
  ) {}

  private span(n: JsonNode): Span {
    return { file: this.file, start: n.offset, end: n.offset + n.length };
  }

  /** `"resource": { "TYPE": { "NAME": { ...body } } }`: descends one object per label. */
  labelled(type: string, remaining: number, labels: string[], n: JsonNode, head: JsonNode, out: Body): void {
    if (remaining === 0) {
      for (const b of n.type === 'array' ? (n.children ?? []) : [n]) {
        if (b.type !== 'object') continue;
        const attrsOnly =
          type === 'locals' || type === 'variable' || type === 'output' || type === 'module' || type === 'terraform';
        out.blocks.push({ type, labels, body: this.body(b, attrsOnly), headSpan: this.span(head), span: this.span(b) });
      }
      return;
    }
    if (n.type !== 'object') return;
    for (const prop of n.children ?? []) {
      const [k, v] = prop.children ?? [];
      if (!k || !v || typeof k.value !== 'string') continue;
      for (const item of v.type === 'array' && remaining === 1 ? (v.children ?? []) : [v])
        this.labelled(type, remaining - 1, [...labels, k.value], item, k, out);
    }
  }

  private body(n: JsonNode, attrsOnly: boolean): Body {
    const body: Body = { attrs: new Map(), blocks: [] };
    for (const prop of n.children ?? []) {
      const [k, v] = prop.children ?? [];
      if (!k || !v || typeof k.value !== 'string' || k.value === '//') continue;
      const name = k.value;
      const objects =
        v.type === 'object'
          ? [v]
          : v.type === 'array' && (v.children ?? []).length > 0 && (v.children ?? []).every((c) => c.type === 'object')
            ? v.children!
            : undefined;
      if (!attrsOnly && objects && !MAP_ATTRIBUTES.has(name) && name !== 'dynamic') {
        for (const o of objects)
          body.blocks.push({
            type: name,
            labels: [],
            body: this.body(o, false),
            headSpan: this.span(k),
            span: this.span(o),
          });
        continue;
      }
      if (!attrsOnly && name === 'dynamic' && v.type === 'object') {
        this.labelled('dynamic', 1, [], v, k, body);
        continue;
      }
      const attr: Attribute = {
        name,
        expr: this.expr(v, name === 'depends_on' || name === 'providers'),
        span: this.span(prop),
        nameSpan: this.span(k),
      };
      body.attrs.set(name, attr);
    }
    return body;
  }

  /** A JSON value as an expression; strings with `${` are templates. */
  private expr(n: JsonNode, literal = false): Expr {
    const span = this.span(n);
    switch (n.type) {
      case 'object':
        return {
          k: 'object',
          entries: (n.children ?? []).flatMap((p) => {
            const [k, v] = p.children ?? [];
            return k && v
              ? [
                  {
                    key: { k: 'lit', value: String(k.value), span: this.span(k) } as Expr,
                    value: this.expr(v, literal),
                    span: this.span(p),
                  },
                ]
              : [];
          }),
          span,
        };
      case 'array':
        return { k: 'tuple', items: (n.children ?? []).map((c) => this.expr(c, literal)), span };
      case 'number':
      case 'boolean':
        return { k: 'lit', value: n.value as number | boolean, span };
      case 'null':
        return { k: 'lit', value: null, span };
      case 'string': {
        const s = String(n.value);
        if (literal || !s.includes('${')) return { k: 'lit', value: s.replace(/\$\$\{/g, '${'), span };
        return this.template(s, span);
      }
      default:
        return { k: 'other', what: n.type, span };
    }
  }

  /** Parses a template string as HCL, then points every node of it at the JSON string. */
  private template(s: string, at: Span): Expr {
    const parsed = parseHcl(this.parser, this.file.path, `v = ${JSON.stringify(s)}\n`);
    const e = parsed.error ? undefined : parsed.body.attrs.get('v')?.expr;
    if (!e) return { k: 'other', what: 'template', span: at };
    return respan(e, at, 0);
  }
}

function respan(e: Expr, at: Span, depth: number): Expr {
  if (depth > 64) return { k: 'other', what: 'deep', span: at };
  const d = depth + 1;
  const r = (x: Expr) => respan(x, at, d);
  switch (e.k) {
    case 'template':
      return { ...e, parts: e.parts.map((p) => (typeof p === 'string' ? p : r(p))), span: at };
    case 'tuple':
      return { ...e, items: e.items.map(r), span: at };
    case 'object':
      return { ...e, entries: e.entries.map((x) => ({ key: r(x.key), value: r(x.value), span: at })), span: at };
    case 'ref':
      return { ...e, steps: e.steps.map((s) => ('index' in s ? { index: r(s.index) } : s)), span: at };
    case 'call':
      return { ...e, args: e.args.map(r), span: at };
    case 'cond':
      return { ...e, test: r(e.test), then: r(e.then), else: r(e.else), span: at };
    case 'postfix':
      return { ...e, base: r(e.base), steps: e.steps.map((s) => ('index' in s ? { index: r(s.index) } : s)), span: at };
    case 'binop':
      return { ...e, left: r(e.left), right: r(e.right), span: at };
    case 'unop':
      return { ...e, x: r(e.x), span: at };
    default:
      return { ...e, span: at };
  }
}
