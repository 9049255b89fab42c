// The smallest statement that gives a role what a permission finding says it lacks, written in the
// dialect of the place the role is declared, as one insertion into that file:
// - a CloudFormation / SAM role resource (YAML or JSON): a new `AWS::IAM::Policy` resource naming
//   the role, first under `Resources`;
// - a role SAM generates for an `AWS::Serverless::Function`: a `Statement` entry first in the
//   function's `Policies` (or a new `Policies` list);
// - the role the Serverless Framework generates: an entry first in `provider.iam.role.statements`
//   (or `provider.iamRoleStatements` where the service uses it; the keys are created when absent),
//   or in `functions.<name>.iamRoleStatements` for a role of its own (serverless-iam-roles-per-function);
// - a Terraform `aws_iam_role`: an `aws_iam_role_policy` resource appended to the file declaring it.
// Resources are as specific as the model knows them (the queue's `!GetAtt Queue.Arn`, the table's
// index ARN); `*` only where the action takes no resource or the resource cannot be named. Where no
// insertion can be written safely (a flow-style list, a serverless.ts, a synthesized CDK template,
// a role a registry module makes) the fix is the statement alone, shown as help.
import type { Request } from '../iam/evaluate.js';
import type { LambdaFunction, Role, Val } from '../model/types.js';
import { get, parseSource, type ParseResult, type TNode } from '../source/parse.js';

interface TextEdit {
  /** Absolute path of the file to change. */
  file: string;
  /** Where to insert, as a UTF-16 offset into the file's text. */
  offset: number;
  text: string;
}

export interface PermissionFix {
  /** One line: what the fix adds, and where. */
  description: string;
  /** The insertion; absent when the statement can only be shown. */
  edit?: TextEdit;
  /** The statement as the user would write it, for help text. */
  snippet: string;
}

interface StatementSpec {
  actions: string[];
  /** Resources in order; `'*'` alone when the actions take no resource. */
  resources: (Val<string> | '*')[];
}

/** Groups requests into statements: actions sharing the same resources go in one. */
function statementsFor(requests: readonly Request[]): StatementSpec[] {
  const byResource = new Map<string, StatementSpec>();
  for (const r of requests) {
    const any = unnamed(r.resource);
    const key = any ? '*' : resourceKey(r.resource as Val<string>);
    let s = byResource.get(key);
    if (!s) byResource.set(key, (s = { actions: [], resources: [any ? '*' : r.resource] }));
    if (!s.actions.includes(r.action)) s.actions.push(r.action);
  }
  return [...byResource.values()];
}

function resourceKey(v: Val<string>): string {
  return v.value ?? v.sym?.key ?? '?';
}

// ---- resources in each dialect -----------------------------------------------------------------

/** A resource nobody can name (an unknown call resource, a network interface): only `*` grants it. */
function unnamed(v: Val<string> | '*'): boolean {
  return (
    v === '*' ||
    (v.value === undefined &&
      (!v.sym || v.sym.kind === 'param' || v.sym.kind === 'import' || v.sym.kind === 'condition'))
  );
}

type Plain = string | { [k: string]: Plain } | Plain[];

/** CloudFormation (and serverless.yml, which passes intrinsics through): a plain value with intrinsics. */
function cfnResource(v: Val<string> | '*', serverless: boolean): Plain {
  if (unnamed(v)) return '*';
  const val = v as Val<string>;
  if (val.value !== undefined) return val.value;
  const s = val.sym!;
  if (s.kind === 'getatt' && s.target && s.attribute) return { 'Fn::GetAtt': [s.target, s.attribute] };
  if (s.kind === 'ref' && s.target) return { Ref: s.target };
  const text = s.text.replace(/^!Sub\s+/, '').replace(/^'(.*)'$/, '$1');
  if (!serverless) return { 'Fn::Sub': text };
  // serverless.yml reads `${...}` as its own variables: spell the placeholders with Fn::Join.
  const parts: Plain[] = [];
  let last = 0;
  for (const m of text.matchAll(/\$\{([^}]+)\}/g)) {
    if (m.index > last) parts.push(text.slice(last, m.index));
    const [target, attribute] = m[1].split('.');
    parts.push(attribute && !m[1].startsWith('AWS::') ? { 'Fn::GetAtt': [target, attribute] } : { Ref: m[1] });
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return { 'Fn::Join': ['', parts] };
}

/** Terraform: a quoted string (with interpolations) or a bare reference. */
function tfResource(v: Val<string> | '*', fn: LambdaFunction): string {
  if (unnamed(v)) return '"*"';
  const val = v as Val<string>;
  if (val.value !== undefined) return JSON.stringify(val.value);
  const s = val.sym!;
  if (/^[A-Za-z_][\w-]*(\.[\w-]+|\[[^\]]+\])+$/.test(s.text) && !s.text.includes('${')) return s.text;
  // A derived ARN in CloudFormation spelling: the deployment's partition, region and account are
  // wildcards here (Terraform names them through data sources the configuration may not have).
  const text = s.text.replace(/\$\{([^}]+)\}/g, (_, inner: string) => {
    if (inner.startsWith('AWS::')) return '*';
    if (inner === fn.id && fn.id.startsWith('aws_lambda_function.')) return `\${${fn.id}.function_name}`;
    return /^[A-Za-z_][\w-]*\.[\w.[\]"-]+$/.test(inner) ? `\${${inner}}` : '*';
  });
  return JSON.stringify(text).replace(/\\"/g, '"').replace(/^"|"$/g, '"');
}

// ---- writing YAML ------------------------------------------------------------------------------

/** A plain scalar where YAML reads it back as the same string, else single-quoted. */
function yamlScalar(s: string): string {
  const plain = /^[A-Za-z_/][\w./:*@-]*$/.test(s) && !/^(true|false|null|yes|no|on|off|y|n)$/i.test(s);
  return plain ? s : `'${s.replace(/'/g, "''")}'`;
}

/** A plain value as YAML lines, intrinsics in their long form (valid in every YAML template). */
function yamlLines(v: Plain, indent: string): string[] {
  if (typeof v === 'string') return [`${indent}${yamlScalar(v)}`];
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x === 'string')) return [`${indent}[${(v as string[]).map(yamlScalar).join(', ')}]`];
    return v.flatMap((x) => {
      const lines = yamlLines(x, `${indent}  `);
      return [`${indent}- ${lines[0].trimStart()}`, ...lines.slice(1)];
    });
  }
  return Object.entries(v).flatMap(([k, x]) => {
    if (typeof x === 'string' || (Array.isArray(x) && x.every((y) => typeof y === 'string')))
      return [`${indent}${k}: ${yamlLines(x, '')[0]}`];
    return [`${indent}${k}:`, ...yamlLines(x, `${indent}  `)];
  });
}

function statementPlain(s: StatementSpec, serverless: boolean): Plain {
  const resources = s.resources.map((r) => cfnResource(r, serverless));
  return {
    Effect: 'Allow',
    Action: s.actions.length === 1 ? s.actions[0] : s.actions,
    Resource: resources.length === 1 ? resources[0] : resources,
  };
}

/** A list item `- Effect: Allow ...` at `indent`. */
function yamlListItem(v: Plain, indent: string): string {
  const lines = yamlLines(v, `${indent}  `);
  return [`${indent}- ${lines[0].trimStart()}`, ...lines.slice(1)].join('\n');
}

// ---- finding places in a parsed file -----------------------------------------------------------

interface Parsed {
  text: string;
  root: TNode;
  json: boolean;
}

function parseFile(
  file: string,
  readText: (file: string) => string | undefined,
  parse: (file: string, text: string) => ParseResult,
): Parsed | undefined {
  const text = readText(file);
  if (text === undefined) return undefined;
  const parsed = parse(file, text);
  if (!parsed.ok) return undefined;
  return { text, root: parsed.root, json: /^\s*[{[]/.test(text) };
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function columnOf(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}

/** A block mapping or sequence (not `{...}` / `[...]` written inline), whose items start lines. */
function isBlock(p: Parsed, n: TNode | undefined): n is TNode {
  if (!n || (n.kind !== 'map' && n.kind !== 'seq')) return false;
  const c = p.text[n.start];
  return c !== '{' && c !== '[';
}

/** The start of the line of a block collection's first entry: where a new first entry goes. */
function beforeFirst(p: Parsed, n: TNode): number {
  const first = n.kind === 'map' ? n.entries![0].keyStart : n.items![0].start;
  return lineStart(p.text, n.kind === 'seq' ? seqItemDash(p.text, first) : first);
}

/** The `-` of a sequence item whose value starts at `valueStart`. */
function seqItemDash(text: string, valueStart: number): number {
  const dash = text.lastIndexOf('-', valueStart);
  return dash >= 0 ? dash : valueStart;
}

function indentOfFirst(p: Parsed, n: TNode): string {
  const first = n.kind === 'map' ? n.entries![0].keyStart : seqItemDash(p.text, n.items![0].start);
  return ' '.repeat(columnOf(p.text, first));
}

/** The indentation step the file uses (the first nested key's extra indent), default two spaces. */
function step(p: Parsed): string {
  const m = /\n( +)\S/.exec(p.text);
  return m && m[1].length <= 8 ? m[1] : '  ';
}

// ---- the dialects ------------------------------------------------------------------------------

function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9]/g, '');
}

function cfnPolicyResource(
  p: Parsed,
  file: string,
  role: Role,
  statements: StatementSpec[],
  name: string,
  serverless = false,
): TextEdit | undefined {
  const resources = get(p.root, 'Resources');
  if (!resources || resources.kind !== 'map' || !resources.entries?.length) return undefined;
  const plain: Plain = {
    Type: 'AWS::IAM::Policy',
    Properties: {
      PolicyName: name,
      Roles: [{ Ref: role.id }],
      PolicyDocument: { Version: '2012-10-17', Statement: statements.map((s) => statementPlain(s, serverless)) },
    },
  };
  if (p.json) {
    const indent = indentOfFirstJson(p, resources);
    const body = JSON.stringify({ [name]: plain }, null, 2)
      .slice(1, -1)
      .trim();
    const text = `\n${body
      .split('\n')
      .map((l, i) => (i === 0 ? indent + l : indent + l.replace(/^ {2}/, '')))
      .join('\n')},`;
    return { file, offset: resources.start + 1, text };
  }
  if (!isBlock(p, resources)) return undefined;
  const indent = indentOfFirst(p, resources);
  const offset = beforeFirst(p, resources);
  const text = `${indent}${name}:\n${yamlLines(plain, indent + step(p)).join('\n')}\n`;
  return { file, offset, text };
}

function indentOfFirstJson(p: Parsed, n: TNode): string {
  const first = n.entries![0].keyStart;
  return ' '.repeat(columnOf(p.text, first));
}

/** A SAM function's generated role: a `Statement` first in its `Policies`. */
function samPolicies(p: Parsed, file: string, fn: LambdaFunction, statements: StatementSpec[]): TextEdit | undefined {
  if (p.json) return undefined;
  const props = get(get(get(p.root, 'Resources'), fn.id), 'Properties');
  if (!isBlock(p, props) || props.kind !== 'map' || !props.entries?.length) return undefined;
  const item: Plain = { Statement: statements.map((s) => statementPlain(s, false)) };
  const policies = get(props, 'Policies');
  if (policies) {
    if (!isBlock(p, policies) || policies.kind !== 'seq' || !policies.items?.length) return undefined;
    const indent = indentOfFirst(p, policies);
    return { file, offset: beforeFirst(p, policies), text: `${yamlListItem(item, indent)}\n` };
  }
  const indent = indentOfFirst(p, props);
  return { file, offset: beforeFirst(p, props), text: `${indent}Policies:\n${yamlListItem(item, indent + step(p))}\n` };
}

/** serverless.yml: the provider's statements, or a function's own (serverless-iam-roles-per-function). */
function serverlessStatements(
  p: Parsed,
  file: string,
  fn: LambdaFunction,
  role: Role,
  statements: StatementSpec[],
): TextEdit | undefined {
  if (p.json) return undefined;
  const items = statements.map((s) => statementPlain(s, true));
  const list = (indent: string): string => `${items.map((i) => yamlListItem(i, indent)).join('\n')}\n`;
  const st = step(p);
  if (role.id !== 'IamRoleLambdaExecution') {
    const fnNode = get(get(p.root, 'functions'), fn.id);
    const own = get(fnNode, 'iamRoleStatements');
    if (own && isBlock(p, own) && own.kind === 'seq' && own.items?.length)
      return { file, offset: beforeFirst(p, own), text: list(indentOfFirst(p, own)) };
    return undefined;
  }
  const provider = get(p.root, 'provider');
  if (!isBlock(p, provider) || provider.kind !== 'map' || !provider.entries?.length) return undefined;
  const iam = get(provider, 'iam');
  const legacy = get(provider, 'iamRoleStatements');
  if (!iam && legacy) {
    if (!isBlock(p, legacy) || legacy.kind !== 'seq' || !legacy.items?.length) return undefined;
    return { file, offset: beforeFirst(p, legacy), text: list(indentOfFirst(p, legacy)) };
  }
  if (!iam) {
    const indent = indentOfFirst(p, provider);
    return {
      file,
      offset: beforeFirst(p, provider),
      text: `${indent}iam:\n${indent}${st}role:\n${indent}${st}${st}statements:\n${list(indent + st + st + st)}`,
    };
  }
  if (!isBlock(p, iam) || iam.kind !== 'map' || !iam.entries?.length) return undefined;
  const roleNode = get(iam, 'role');
  if (!roleNode) {
    const indent = indentOfFirst(p, iam);
    return {
      file,
      offset: beforeFirst(p, iam),
      text: `${indent}role:\n${indent}${st}statements:\n${list(indent + st + st)}`,
    };
  }
  if (!isBlock(p, roleNode) || roleNode.kind !== 'map' || !roleNode.entries?.length) return undefined; // a role name or ARN: not the generated role
  const existing = get(roleNode, 'statements');
  if (!existing) {
    const indent = indentOfFirst(p, roleNode);
    return { file, offset: beforeFirst(p, roleNode), text: `${indent}statements:\n${list(indent + st)}` };
  }
  if (!isBlock(p, existing) || existing.kind !== 'seq' || !existing.items?.length) return undefined;
  return { file, offset: beforeFirst(p, existing), text: list(indentOfFirst(p, existing)) };
}

function terraformPolicy(
  text: string,
  file: string,
  fn: LambdaFunction,
  role: Role,
  statements: StatementSpec[],
  name: string,
): TextEdit | undefined {
  const m = /^aws_iam_role\.([A-Za-z_][\w-]*)$/.exec(role.id);
  if (!m) return undefined;
  const body = statements
    .map((s) => {
      const resources = s.resources.map((r) => tfResource(r, fn));
      return [
        '      {',
        '        Effect   = "Allow"',
        `        Action   = [${s.actions.map((a) => JSON.stringify(a)).join(', ')}]`,
        `        Resource = ${resources.length === 1 ? resources[0] : `[${resources.join(', ')}]`}`,
        '      },',
      ].join('\n');
    })
    .join('\n');
  const block = [
    `resource "aws_iam_role_policy" "${name}" {`,
    `  role = ${role.id}.id`,
    '  policy = jsonencode({',
    '    Version = "2012-10-17"',
    '    Statement = [',
    body,
    '    ]',
    '  })',
    '}',
  ].join('\n');
  return { file, offset: text.length, text: `${text.endsWith('\n') ? '' : '\n'}\n${block}\n` };
}

/** The offset just past the `}` closing the block whose `{` is at `open` (strings and comments skipped). */
function blockEnd(text: string, open: number): number | undefined {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i + 1;
  }
  return undefined;
}

/**
 * terraform-aws-modules/lambda: an entry in the module call's `policy_statements` (the module
 * attaches them with `attach_policy_statements = true`; iam.tf `additional_inline`).
 */
function lambdaModuleStatements(
  text: string,
  file: string,
  headLine: number,
  fn: LambdaFunction,
  statements: StatementSpec[],
  label: string,
): TextEdit | undefined {
  let headStart = 0;
  for (let l = 1; l < headLine && headStart >= 0; l++) headStart = text.indexOf('\n', headStart) + 1;
  const open = text.indexOf('{', headStart);
  if (open < 0) return undefined;
  const end = blockEnd(text, open);
  if (end === undefined) return undefined;
  const body = text.slice(open, end);
  const attach = /\n[ \t]*attach_policy_statements[ \t]*=[ \t]*([^\n#]*)/.exec(body);
  if (attach && attach[1].trim() !== 'true') return undefined; // false or computed: not an insertion
  const entries = statements.map((s, i) => {
    const resources = s.resources.map((r) => tfResource(r, fn));
    return [
      `    lambdalint_${label}${statements.length > 1 ? `_${i + 1}` : ''} = {`,
      '      effect    = "Allow"',
      `      actions   = [${s.actions.map((a) => JSON.stringify(a)).join(', ')}]`,
      `      resources = [${resources.join(', ')}]`,
      '    }',
    ].join('\n');
  });
  const existing = /\n([ \t]*)policy_statements[ \t]*=[ \t]*\{[ \t]*\n/.exec(body);
  if (existing) return { file, offset: open + existing.index + existing[0].length, text: `${entries.join('\n')}\n` };
  if (/\n[ \t]*policy_statements[ \t]*=/.test(body)) return undefined; // a variable or an expression
  const closing = lineStart(text, end - 1);
  const lines = [
    ...(attach ? [] : ['  attach_policy_statements = true']),
    '  policy_statements = {',
    ...entries,
    '  }',
  ];
  return { file, offset: closing, text: `\n${lines.join('\n')}\n` };
}

export interface FixRequest {
  fn: LambdaFunction;
  role: Role;
  /** What the role must be allowed. */
  grants: readonly Request[];
  /** Distinguishes fixes of one role (a rule and a running number): part of a new resource's name. */
  label: string;
}

/** The fix of a permission finding, or undefined when nothing useful can be written. */
export function permissionFix(
  req: FixRequest,
  readText: (file: string) => string | undefined,
  /** How the template is parsed: lint() hands its own parse (kept between runs in the ESLint worker). */
  parse: (file: string, text: string) => ParseResult = parseSource,
): PermissionFix | undefined {
  const { fn, role } = req;
  if (req.grants.length === 0) return undefined;
  const statements = statementsFor(req.grants);
  const framework = role.deployment.framework;
  const file = role.origin.range?.file ?? role.deployment.file;
  const snippet = yamlLines(
    { Statement: statements.map((s) => statementPlain(s, framework === 'serverless')) },
    '',
  ).join('\n');
  const actions = [...new Set(statements.flatMap((s) => s.actions))].join(', ');
  if (framework === 'terraform') {
    const text = readText(file);
    if (text === undefined || !file.endsWith('.tf')) return { description: `allow ${actions} to ${role.id}`, snippet };
    const moduleRole = /^(module\.[\w-]+)\.aws_iam_role\.lambda$/.exec(role.id);
    if (moduleRole && role.origin.range) {
      const label = req.label.replace(/([a-z])([A-Z0-9])/g, '$1_$2').toLowerCase();
      const edit = lambdaModuleStatements(text, file, role.origin.range.start.line, fn, statements, label);
      return edit
        ? {
            description: `add a policy_statements entry allowing ${actions} to ${moduleRole[1]}`,
            edit,
            snippet: edit.text.replace(/^\n/, ''),
          }
        : { description: `allow ${actions} to the role of ${moduleRole[1]} (its policy_statements)`, snippet };
    }
    const name =
      `${role.id.replace(/^aws_iam_role\./, '')}_lambdalint_${req.label.replace(/([a-z])([A-Z0-9])/g, '$1_$2').toLowerCase()}`.replace(
        /-/g,
        '_',
      );
    const edit = terraformPolicy(text, file, fn, role, statements, name);
    return edit
      ? {
          description: `add aws_iam_role_policy.${name} allowing ${actions} to ${role.id}`,
          edit,
          snippet: edit.text.trim(),
        }
      : { description: `allow ${actions} to ${role.id}`, snippet };
  }
  if (framework === 'cdk') {
    return {
      description: `allow ${actions} to the role in the CDK app (role.addToPolicy / grant methods); the synthesized template is not edited`,
      snippet,
    };
  }
  const p = parseFile(file, readText, parse);
  if (!p) return { description: `allow ${actions} to role ${role.id}`, snippet };
  let edit: TextEdit | undefined;
  let where: string;
  const policyName = `${safeName(role.id)}${safeName(req.label)}`;
  if (framework === 'serverless' && role.generated) {
    edit = serverlessStatements(p, file, fn, role, statements);
    where =
      role.id === 'IamRoleLambdaExecution' ? 'provider.iam.role.statements' : `functions.${fn.id}.iamRoleStatements`;
  } else if (framework === 'serverless') {
    // A role declared under `resources.Resources`: a policy resource beside it.
    const resources = get(p.root, 'resources');
    edit = resources
      ? cfnPolicyResource({ ...p, root: resources }, file, role, statements, policyName, true)
      : undefined;
    where = `a new AWS::IAM::Policy ${policyName} for role ${role.id}`;
  } else if (role.generated) {
    edit = samPolicies(p, file, fn, statements);
    where = `the Policies of ${fn.id}`;
  } else {
    edit = cfnPolicyResource(p, file, role, statements, policyName);
    where = `a new AWS::IAM::Policy ${policyName} for role ${role.id}`;
  }
  if (!edit) return { description: `allow ${actions} to role ${role.id}`, snippet };
  return { description: `add a statement allowing ${actions} to ${where}`, edit, snippet };
}

/** Applies edits to a text: later offsets first; edits at one offset keep their order. */
export function applyEdits(text: string, edits: readonly { offset: number; text: string }[]): string {
  const sorted = edits.map((e, i) => ({ ...e, i })).sort((a, b) => b.offset - a.offset || b.i - a.i);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.offset) + e.text + out.slice(e.offset);
  return out;
}
