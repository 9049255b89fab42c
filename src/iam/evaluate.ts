// IAM policy evaluation, restricted to what a Lambda execution role carries: identity policies
// (inline, customer managed, AWS managed) and a permissions boundary. Three answers: allowed,
// denied, unknown. "Unknown" is the honest answer whenever a value is symbolic, a Condition could
// go either way, or part of the policy set cannot be seen; rules say nothing on "unknown".
//
// Matching is exact where the values are known and three-valued where they are not:
// - action names: case-insensitive, `*` and `?` wildcards, NotAction;
// - resources: IAM ARN globbing (case-sensitive, `*` and `?` may span `:` and `/`), NotResource;
//   `${...}` placeholders are unknown text: `${AWS::Partition}` / `${AWS::Region}` /
//   `${AWS::AccountId}` (and their Terraform / Serverless spellings) stand for "this deployment's"
//   value and match whatever the other side has there; any other placeholder is an unknown name;
// - a symbolic request resource (`!GetAtt Queue.Arn`) is matched through the ARN shape its
//   resource type fixes (`arn:<p>:sqs:<r>:<a>:<name>`): a pattern that matches every queue ARN
//   matches, one of another service does not, one that pins a name is "unknown".
//
// Cost: each list of statements is indexed by the service prefix of its Action patterns, and how
// its statements match an action is decided once per list and action (a request looks only at the
// statements that can match its action); patterns, request resources and pattern / template pairs
// are each compiled or decided once; the automata run on integer tokens (src/iam/automaton.ts).
//
// Over 600 lines because: the three-valued matching of actions, resources, patterns and templates
// is one algorithm whose parts call each other; the effective policy set of a role at the end (~130
// lines) could move to a module of its own.

import type { Condition, Deployment, Model, Origin, Role, Statement, Symbolic, Val } from '../model/types.js';
import {
  isAwsManagedPolicyArn,
  managedPolicyByArn,
  managedPolicyDataAvailable,
  managedPolicyStatements,
} from './managed-policies.js';
import { arnShape } from '../model/resource-types.js';
import { ANY, emptyToks, included, intersects, NOC, NOS, pushClass, pushLiteral, type Toks } from './automaton.js';

type Decision = 'allowed' | 'denied' | 'unknown';

export interface Request {
  /** `service:Action`, any case. */
  action: string;
  /**
   * The resource the action is requested on. `'*'` is the request for actions without
   * resource-level permissions (xray:PutTraceSegments, ec2:DescribeNetworkInterfaces): only
   * statements whose Resource covers everything (`*`) grant it. For a resource that is not known
   * at all, pass a symbolic Val instead.
   */
  resource: Val<string> | '*';
}

export interface PolicySet {
  statements: Statement[];
  /** False when part of the identity policies cannot be seen: a missing Allow is then "unknown". */
  complete: boolean;
  /** What cannot be seen, in words a user can act on ("unknown managed policy arn:..."). */
  gaps?: string[];
  boundary?: { statements: Statement[]; complete: boolean; gaps?: string[] };
}

export interface Evaluation {
  decision: Decision;
  /**
   * 'allowed': the Allow statements that grant the request (all of them, for citing).
   * 'denied' by an explicit Deny: the Deny statements.
   */
  by?: Statement[];
  /** Why it is denied: an explicit Deny, no Allow at all, or the permissions boundary. */
  reason?: 'explicit-deny' | 'implicit-deny' | 'boundary';
  /** Statements that might apply but could not be decided (conditions, symbolic values). */
  uncertain?: Statement[];
}

type Tri = 'match' | 'nomatch' | 'unknown';

// ---- evaluation -------------------------------------------------------------------------------

/**
 * Evaluations of a policy set by request, for requests on `*` or on a literal resource: functions
 * that share a role ask the same (X-Ray, network interfaces, one queue) and get the first answer
 * instead of a walk of every statement each. Evaluations are read, never changed.
 */
const evaluations = new WeakMap<PolicySet, Map<string, KnownEvaluations>>();

/** By action: the evaluation on `*`, and those on literal resources by their text. */
interface KnownEvaluations {
  star?: Evaluation;
  byValue: Map<string, Evaluation>;
}

export function evaluate(policies: PolicySet, request: Request): Evaluation {
  const r = request.resource;
  if (r !== '*' && r.value === undefined) return evaluateNow(policies, request);
  let known = evaluations.get(policies);
  if (!known) evaluations.set(policies, (known = new Map()));
  let byAction = known.get(request.action);
  if (!byAction) known.set(request.action, (byAction = { byValue: new Map() }));
  if (r === '*') return (byAction.star ??= evaluateNow(policies, request));
  let e = byAction.byValue.get(r.value!);
  if (!e) byAction.byValue.set(r.value!, (e = evaluateNow(policies, request)));
  return e;
}

function evaluateNow(policies: PolicySet, request: Request): Evaluation {
  const req = compileRequest(request);
  const id = evalStatements(policies.statements, policies.complete, req);
  const b = policies.boundary;
  if (!b || id.decision === 'denied') return id;
  const be = evalStatements(b.statements, b.complete, req);
  if (be.decision === 'denied') return { decision: 'denied', by: be.by, reason: 'boundary' };
  if (id.decision === 'allowed' && be.decision === 'allowed') return id;
  const uncertain = [...(id.uncertain ?? []), ...(be.uncertain ?? [])];
  return uncertain.length ? { decision: 'unknown', uncertain } : { decision: 'unknown' };
}

interface CompiledRequest {
  /** Trimmed, lower case. */
  action: string;
  /** `action` as a template. */
  actionTemplate: Template;
  resource: Template;
  sym?: Symbolic;
  /** A request on a resource of the deployment, or on a part of it (`${Table.Arn}/index/byUser`). */
  lead?: Lead;
}

/**
 * A resource of the deployment named by a leading placeholder (`${Table.Arn}`, `!GetAtt Table.Arn`,
 * `aws_s3_bucket.b.arn`) and the text after it (`/index/byUser`, `/reports/2026.csv`, or nothing).
 */
interface Lead {
  /** The placeholder, lower-cased: `table.arn`, `aws_s3_bucket.b.arn`, `topic` (a Ref). */
  id: string;
  target: string;
  resourceType?: string;
  rest: string;
  /** `rest` as a template, once read. */
  restTemplate?: Template;
}

/** What the statements that may apply to a request say, gathered in policy order. */
interface Verdicts {
  allowBy?: Statement[];
  denyBy?: Statement[];
  uncertain?: Statement[];
  allowUnknown: boolean;
  denyUnknown: boolean;
}

/** Lists this long or shorter are scanned: indexing one costs more than the scans it saves. */
const SCAN_UP_TO = 16;

function evalStatements(statements: Statement[], complete: boolean, req: CompiledRequest): Evaluation {
  const v: Verdicts = { allowUnknown: false, denyUnknown: false };
  if (statements.length <= SCAN_UP_TO) {
    for (const s of statements) {
      const a = actionMatch(s, req.actionTemplate);
      if (a !== 'nomatch') consider(v, s, a, req);
    }
  } else {
    const forAction = statementsFor(statements, req.action, req.actionTemplate);
    for (let k = 0; k < forAction.statements.length; k++)
      consider(v, forAction.statements[k], forAction.actionMatch[k], req);
  }
  if (v.denyBy) return { decision: 'denied', by: v.denyBy, reason: 'explicit-deny' };
  if (v.allowBy && !v.denyUnknown) return { decision: 'allowed', by: v.allowBy };
  if (v.allowBy || v.allowUnknown || !complete) {
    return v.uncertain ? { decision: 'unknown', uncertain: v.uncertain } : { decision: 'unknown' };
  }
  return { decision: 'denied', reason: 'implicit-deny' };
}

/** Adds what a statement says of the request, given how its Action / NotAction matches (not 'nomatch'). */
function consider(v: Verdicts, s: Statement, a: Tri, req: CompiledRequest): void {
  const m = statementApplies(s, a, req);
  if (m === 'nomatch') return;
  const c = conditionsHold(s);
  if (c === 'nomatch') return;
  const certain = m === 'match' && c === 'match';
  if (s.effect === 'Deny') {
    if (certain) (v.denyBy ??= []).push(s);
    else {
      v.denyUnknown = true;
      (v.uncertain ??= []).push(s);
    }
  } else if (certain) (v.allowBy ??= []).push(s);
  else {
    v.allowUnknown = true;
    (v.uncertain ??= []).push(s);
  }
}

// ---- conditions -------------------------------------------------------------------------------
//
// A Condition is decided where lambdalint knows the request's value of its key. For the calls
// Lambda makes with the execution role (logs, traces, network interfaces, polling a source) and
// those the handler makes, `aws:RequestedRegion` is the Region of the function itself: "the AWS
// Region that was called in the request" (global condition keys,
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-requestedregion),
// which a template names as `${AWS::Region}` (or its Terraform / Serverless spelling). A Region
// written as a literal, any other key, or an operator not handled here is "unknown".

const REGION =
  /^(AWS::Region|aws:region|data\.aws_region\.[\w-]+\.(name|region|id)|(var|local)\.(aws_)?region|self:provider\.region|opt:region)$/i;

function isThisRegion(v: Val<string>): boolean {
  if (v.sym?.key === 'Ref:AWS::Region') return true;
  const text = v.value ?? (v.sym?.kind === 'expr' ? v.sym.text : undefined);
  const m = text === undefined ? null : /^\$\{([^}]+)\}$/.exec(text.trim());
  return !!m && REGION.test(m[1].trim());
}

/** Whether every entry of the statement's Condition block holds: 'match', 'nomatch' or 'unknown'. */
function conditionsHold(s: Statement): Tri {
  if (!s.hasCondition) return 'match';
  if (!s.conditions?.length) return 'unknown';
  let out: Tri = 'match';
  for (const c of s.conditions) {
    const t = conditionHolds(c);
    if (t === 'nomatch') return 'nomatch';
    if (t === 'unknown') out = 'unknown';
  }
  return out;
}

function conditionHolds(c: Condition): Tri {
  if (c.key.toLowerCase() !== 'aws:requestedregion') return 'unknown';
  // The key is in every request, so IfExists changes nothing; a set operator on it is not handled.
  const op = c.operator.replace(/IfExists$/, '');
  const here = c.values.some(isThisRegion);
  switch (op) {
    case 'StringEquals':
    case 'StringEqualsIgnoreCase':
    case 'StringLike':
      return here ? 'match' : 'unknown';
    case 'StringNotEquals':
    case 'StringNotEqualsIgnoreCase':
    case 'StringNotLike':
      return here ? 'nomatch' : 'unknown';
    default:
      return 'unknown';
  }
}

/** Whether the statement applies to the request, given how its Action / NotAction matches the request's action. */
function statementApplies(s: Statement, a: Tri, req: CompiledRequest): Tri {
  let r: Tri;
  if (s.resources) r = anyResource(s.resources, req);
  else if (s.notResources) r = not(anyResource(s.notResources, req));
  else r = 'unknown';
  if (r === 'nomatch') return 'nomatch';
  return a === 'match' && r === 'match' ? 'match' : 'unknown';
}

function anyResource(items: Val<string>[], req: CompiledRequest): Tri {
  let unknown = false;
  for (const x of items) {
    const r = matchResource(x, req);
    if (r === 'match') return 'match';
    if (r === 'unknown') unknown = true;
  }
  return unknown ? 'unknown' : 'nomatch';
}

function anyAction(items: Val<string>[], action: Template): Tri {
  let unknown = false;
  for (const x of items) {
    const r = matchAction(x, action);
    if (r === 'match') return 'match';
    if (r === 'unknown') unknown = true;
  }
  return unknown ? 'unknown' : 'nomatch';
}

function not(t: Tri): Tri {
  return t === 'match' ? 'nomatch' : t === 'nomatch' ? 'match' : 'unknown';
}

// ---- actions ----------------------------------------------------------------------------------
//
// A request looks only at the statements whose Action can match its action: each list of
// statements is indexed once by the service prefix its Action patterns fix (`sqs:Send*` can match
// only `sqs:` actions), and how each of those statements matches an action is decided once per
// list and action, not per request.

/** The statements of a list whose Action / NotAction may match one action, in list order, and how each matches it. */
interface ActionStatements {
  statements: Statement[];
  actionMatch: Tri[];
}

interface StatementIndex {
  /** The list's length when indexed (a list that grew is indexed again). */
  length: number;
  /** Positions of the statements whose every Action pattern fixes its service prefix, by prefix. */
  byService: Map<string, number[]>;
  /** Positions of the others (NotAction, `*`, `s3:*` after a wildcard, a placeholder, no Action). */
  anyService: number[];
  byAction: Map<string, ActionStatements>;
}

const statementIndexes = new WeakMap<Statement[], StatementIndex>();

/** The statements of the list that may apply to an action (lower case, trimmed), and how their Action matches it. */
function statementsFor(statements: Statement[], action: string, template: Template): ActionStatements {
  let index = statementIndexes.get(statements);
  if (!index || index.length !== statements.length) {
    index = indexStatements(statements);
    statementIndexes.set(statements, index);
  }
  let found = index.byAction.get(action);
  if (found) return found;
  const colon = action.indexOf(':');
  const some = colon < 0 ? undefined : index.byService.get(action.slice(0, colon));
  const positions =
    colon < 0 ? statements.map((_, i) => i) : some ? mergeSorted(some, index.anyService) : index.anyService;
  found = { statements: [], actionMatch: [] };
  for (const i of positions) {
    const s = statements[i];
    const a = actionMatch(s, template);
    if (a === 'nomatch') continue;
    found.statements.push(s);
    found.actionMatch.push(a);
  }
  index.byAction.set(action, found);
  return found;
}

/** How the statement's Action / NotAction matches an action (as a literal template). */
function actionMatch(s: Statement, action: Template): Tri {
  if (s.actions) return anyAction(s.actions, action);
  if (s.notActions) return not(anyAction(s.notActions, action));
  return 'unknown';
}

function indexStatements(statements: Statement[]): StatementIndex {
  const byService = new Map<string, number[]>();
  const anyService: number[] = [];
  for (let i = 0; i < statements.length; i++) {
    const actions = statements[i].actions;
    let services: string[] | undefined = actions ? [] : undefined;
    for (const v of actions ?? []) {
      const svc = servicePrefix(v);
      if (svc === null) {
        services = undefined;
        break;
      }
      if (!services!.includes(svc)) services!.push(svc);
    }
    if (!services) anyService.push(i);
    else
      for (const svc of services) {
        const list = byService.get(svc);
        if (list) list.push(i);
        else byService.set(svc, [i]);
      }
  }
  return { length: statements.length, byService, anyService, byAction: new Map() };
}

/** Service prefixes of Action patterns by the text they are written with (null: none). */
const servicePrefixes = new Map<string, string | null>();

/**
 * The service prefix (lower case) every action an Action pattern matches starts with: its text up
 * to the first `:` when nothing before it is a wildcard, a placeholder or an escape; null when
 * the pattern does not fix one (or has no `:` at all, or is not known).
 */
function servicePrefix(v: Val<string>): string | null {
  const text = v.value ?? (v.sym?.kind === 'expr' ? v.sym.text : undefined);
  if (text === undefined) return null;
  let svc = servicePrefixes.get(text);
  if (svc === undefined) {
    if (servicePrefixes.size > 10_000) servicePrefixes.clear();
    servicePrefixes.set(text, (svc = prefixOf(text)));
  }
  return svc;
}

function prefixOf(text: string): string | null {
  // Lower-cased whole, as matchAction reads it (lower-casing may depend on what follows).
  const lower = text.toLowerCase();
  for (let i = 0; i < lower.length; i++) {
    const c = lower[i];
    if (c === ':') return lower.slice(0, i);
    if (c === '*' || c === '?' || c === '$' || c === ESCAPE) return null;
  }
  return null;
}

/** Two increasing lists of positions as one. */
function mergeSorted(a: number[], b: number[]): number[] {
  if (b.length === 0) return a;
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i] < b[j])) out.push(a[i++]);
    else out.push(b[j++]);
  }
  return out;
}

/**
 * Action patterns by their text: a pattern (and its compiled form) depends on the text alone, and
 * the same few actions are written in every function's policy (a big template: 55,000 regular
 * expressions of eleven texts when they were kept per statement). Matched lower-cased. Kept for
 * the process (the ESLint plugin's worker lints again and again): bounded, and each key a copy of
 * its own, as a slice of a template's text would keep that whole text alive.
 */
const actionPatterns = new Map<string, Pattern>();

function matchAction(v: Val<string>, action: Template): Tri {
  const text = v.value ?? (v.sym?.kind === 'expr' ? v.sym.text : undefined);
  if (text === undefined) return 'unknown';
  let p = actionPatterns.get(text);
  if (!p) {
    if (actionPatterns.size > 10_000) actionPatterns.clear();
    const own = JSON.parse(JSON.stringify(text)) as string;
    actionPatterns.set(own, (p = parsePattern(own.toLowerCase())));
  }
  return matchPattern(p, action);
}

// ---- resources --------------------------------------------------------------------------------

/** What a request's resource compiles to, once per resource value (a value is asked about with several actions). */
type CompiledResource = Omit<CompiledRequest, 'action' | 'actionTemplate'>;
const compiledResources = new WeakMap<Val<string>, CompiledResource>();
const STAR: CompiledResource = { resource: literalTemplate('*') };

/** Request actions as matched (trimmed, lower case, and as a template), by the text they are asked with. */
const requestActions = new Map<string, Template>();

function compileRequest(r: Request): CompiledRequest {
  let actionTemplate = requestActions.get(r.action);
  if (actionTemplate === undefined) {
    if (requestActions.size > 10_000) requestActions.clear();
    requestActions.set(r.action, (actionTemplate = literalTemplate(r.action.trim().toLowerCase())));
  }
  const v = r.resource;
  let c = v === '*' ? STAR : compiledResources.get(v);
  if (!c) {
    c = compileResource(v as Val<string>);
    compiledResources.set(v as Val<string>, c);
  }
  return { action: actionTemplate.text, actionTemplate, resource: c.resource, sym: c.sym, lead: c.lead };
}

function compileResource(v: Val<string>): CompiledResource {
  if (v.value !== undefined) return { resource: literalTemplate(v.value) };
  if (v.sym) {
    const lead = leadOf(v.sym);
    return { resource: symbolTemplate(v.sym, lead), sym: v.sym, lead };
  }
  return { resource: { parts: [{ hole: 'opaque' }], text: '' } };
}

/** The lead id of a statement's `!GetAtt` / `!Ref` value (null: none), once per value. */
const statementLeadIds = new WeakMap<Symbolic, string | null>();

function statementLeadId(s: Symbolic): string | null {
  let id = statementLeadIds.get(s);
  if (id === undefined) statementLeadIds.set(s, (id = leadOf(s)?.id ?? null));
  return id;
}

function leadOf(s: Symbolic): Lead | undefined {
  if (!s.target) return undefined;
  if (s.kind === 'getatt' && s.attribute)
    return { id: `${s.target}.${s.attribute}`.toLowerCase(), target: s.target, resourceType: s.resourceType, rest: '' };
  if (s.kind === 'ref') return { id: s.target.toLowerCase(), target: s.target, resourceType: s.resourceType, rest: '' };
  if (s.kind === 'expr' && s.text.startsWith('${')) {
    const end = s.text.indexOf('}');
    const id = s.text.slice(2, end).trim();
    if (id === s.target || id.startsWith(`${s.target}.`))
      return { id: id.toLowerCase(), target: s.target, resourceType: s.resourceType, rest: s.text.slice(end + 1) };
  }
  return undefined;
}

// A statement ARN that names a resource by the name its Ref (or name attribute) gives, the way SAM
// policy templates and hand-written policies do: `arn:${AWS::Partition}:dynamodb:${AWS::Region}:
// ${AWS::AccountId}:table/${Table}/index/*`, `arn:aws:s3:::${Bucket}/*`, `...:sqs:...:${Queue.QueueName}`.
// The ARN formats are those of the Service Authorization Reference (table, bucket, queue).
const NAME_FORMS: [RegExp, Set<string>][] = [
  [
    /^arn:[^:]*:dynamodb:[^:]*:[^:]*:table\/\$\{([^}]+)\}/,
    new Set([
      'AWS::DynamoDB::Table',
      'AWS::DynamoDB::GlobalTable',
      'AWS::Serverless::SimpleTable',
      'aws_dynamodb_table',
    ]),
  ],
  [/^arn:[^:]*:s3:::\$\{([^}]+)\}/, new Set(['AWS::S3::Bucket', 'aws_s3_bucket'])],
  [/^arn:[^:]*:sqs:[^:]*:[^:]*:\$\{([^}]+)\}/, new Set(['AWS::SQS::Queue', 'aws_sqs_queue'])],
];
const NAME_ATTRS = new Set(['name', 'id', 'bucket', 'queuename', 'tablename']);

/** The statement text after the part that names the request's resource; undefined when it names something else or cannot tell. */
function restAfterLead(v: Val<string>, lead: Lead): string | undefined {
  const s = v.sym;
  if (v.value !== undefined || !s) return undefined;
  if (s.kind === 'getatt' || s.kind === 'ref') return statementLeadId(s) === lead.id ? '' : undefined;
  if (s.kind !== 'expr') return undefined;
  const own = leadOf({ ...s, target: lead.target });
  if (own) return own.id === lead.id ? own.rest : undefined;
  if (!lead.resourceType || !/\.arn$|^[^.]+\.(topicarn|id)$/i.test(lead.id)) return undefined;
  const text = s.text.replace(/\$\{([^}]*)\}/g, (whole, name: string) =>
    ENV_PLACEHOLDER.test(name.trim()) ? 'ENV' : whole,
  );
  for (const [re, types] of NAME_FORMS) {
    const m = re.exec(text);
    if (!m || !types.has(lead.resourceType)) continue;
    const ph = m[1].trim();
    const attr =
      ph === lead.target
        ? ''
        : ph.startsWith(`${lead.target}.`)
          ? ph.slice(lead.target.length + 1).toLowerCase()
          : undefined;
    if (attr === undefined || (attr !== '' && !NAME_ATTRS.has(attr))) return undefined;
    if (attr === '' && lead.resourceType.startsWith('aws_')) return undefined; // a Terraform resource address is not a name
    return text.slice(m[0].length);
  }
  return undefined;
}

const resourcePatterns = new WeakMap<Val<string>, Pattern>();
/** Patterns of what follows a resource of the deployment in a statement (`/index/*`), by text. */
const restPatterns = new Map<string, Pattern>();

function restPattern(text: string): Pattern {
  let p = restPatterns.get(text);
  if (!p) {
    if (restPatterns.size > 10_000) restPatterns.clear();
    restPatterns.set(text, (p = parsePattern(text)));
  }
  return p;
}

function matchResource(v: Val<string>, req: CompiledRequest): Tri {
  const rs = req.sym;
  const ss = v.sym;
  if (req.lead) {
    // Both name the same resource of the deployment: compare what follows (an index, a key).
    const rest = restAfterLead(v, req.lead);
    if (rest !== undefined)
      return matchPattern(restPattern(rest), (req.lead.restTemplate ??= parseTemplate(req.lead.rest)));
  }
  if (ss && v.value === undefined) {
    if (rs && ss.key === rs.key) return 'match';
    if (rs && ss.kind !== 'expr' && rs.kind !== 'expr' && ss.target && rs.target) {
      const sShape = shapeOf(ss);
      const rShape = shapeOf(rs);
      if (ss.target === rs.target) {
        if (sShape && sShape === rShape) return 'match';
      } else if (isResourceRef(ss) && isResourceRef(rs)) {
        // Two different resources of the deployment never share an ARN.
        return 'nomatch';
      }
    }
  }
  let p = resourcePatterns.get(v);
  if (!p) {
    p = resourcePattern(v);
    resourcePatterns.set(v, p);
  }
  return matchPattern(p, req.resource);
}

function isResourceRef(s: Symbolic): boolean {
  return (s.kind === 'ref' || s.kind === 'getatt') && !!s.resourceType && !s.target!.startsWith('data.');
}

function resourcePattern(v: Val<string>): Pattern {
  if (v.value !== undefined) return parsePattern(v.value);
  const s = v.sym;
  if (s?.kind === 'expr') return parsePattern(s.text);
  const shape = s ? shapeOf(s) : undefined;
  if (shape) return shapePattern(shape);
  return { parts: [{ ph: 'opaque' }], text: '' };
}

/** The ARN shape a symbolic value has, when it is the ARN of a resource of known type. */
function shapeOf(s: Symbolic): string | undefined {
  if (!s.resourceType) return undefined;
  // ARN shapes by resource type and attribute come from the one table (src/model/resource-types.ts).
  if (s.attribute) return arnShape(s.resourceType, s.attribute);
  return s.kind === 'ref' ? arnShape(s.resourceType, 'ref') : undefined;
}

function shapeParts(shape: string): { lit?: string; hole?: 'env' | 'name' | 'seg' }[] {
  const out: { lit?: string; hole?: 'env' | 'name' | 'seg' }[] = [];
  for (const piece of shape.split(/(\{[PRANS]\})/)) {
    if (piece === '') continue;
    if (piece === '{N}') out.push({ hole: 'name' });
    else if (piece === '{S}') out.push({ hole: 'seg' });
    else if (/^\{[PRA]\}$/.test(piece)) out.push({ hole: 'env' });
    else out.push({ lit: piece });
  }
  return out;
}

function shapePattern(shape: string): Pattern {
  return {
    parts: shapeParts(shape).map((p): PPart => (p.lit !== undefined ? { lit: p.lit } : { ph: p.hole! })),
    text: shape,
  };
}

function symbolTemplate(s: Symbolic, lead?: Lead): Template {
  if (s.kind === 'expr' && lead?.rest && lead.resourceType) {
    // `${Table.Arn}/index/byUser`: the ARN shape of the table, then the rest.
    const attr = lead.id.slice(lead.id.lastIndexOf('.') + 1);
    const shape = shapeOf({
      kind: 'getatt',
      key: '',
      text: '',
      target: lead.target,
      attribute: attr,
      resourceType: lead.resourceType,
    });
    if (shape) {
      const head = shapeParts(shape).map((p): TPart => (p.lit !== undefined ? { lit: p.lit } : { hole: p.hole! }));
      const rest = parseTemplate(lead.rest);
      return { parts: [...head, ...rest.parts], text: shape + lead.rest };
    }
  }
  if (s.kind === 'expr') return parseTemplate(s.text);
  const shape = shapeOf(s);
  if (shape) {
    return {
      parts: shapeParts(shape).map((p): TPart => (p.lit !== undefined ? { lit: p.lit } : { hole: p.hole! })),
      text: shape,
    };
  }
  return { parts: [{ hole: 'opaque' }], text: '' };
}

// ---- patterns and templates -------------------------------------------------------------------
//
// A pattern (statement side) is a glob: literal text, `*`, `?`, and placeholders. A template
// (request side) is literal text with holes: `env` (this deployment's partition / region /
// account: assumed to be whatever the pattern needs), `name` (unknown, any non-empty text without
// `:`), `seg` (the same without `/`), `opaque` (unknown, any text). Matching answers:
//   'nomatch' when no filling of the holes matches,
//   'match'   when some choice of the env holes matches for every name (and the pattern has no
//             unknown placeholders of its own),
//   'unknown' otherwise.

type Hole = 'env' | 'name' | 'seg' | 'opaque';
type PPart = { lit: string } | { star: true } | { one: true } | { ph: Hole };
type TPart = { lit: string } | { hole: Hole };

interface Pattern {
  parts: PPart[];
  /** The text the pattern was read from (segments give candidates for env holes). */
  text: string;
  possible?: Toks;
  certain?: Toks | null;
  /** The text's `:`-separated segments, placeholders marked (candidates for env holes). */
  segments?: string[];
  /** Compiled form for plain-text requests; null when the pattern has placeholders. */
  re?: RegExp | null;
  /** What is left of it after the head a template shares with it, by where the head ends (afterSharedHead). */
  rests?: Map<number, Pattern>;
}

function globRegExp(parts: PPart[]): RegExp {
  let src = '';
  for (const x of parts) {
    if ('lit' in x) src += x.lit.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if ('star' in x) src += '.*';
    else if ('one' in x) src += '.';
  }
  return new RegExp(`^${src}$`, 's');
}

interface Template {
  parts: TPart[];
  text: string;
  /** The template's tokens (env holes as holes), computed once. */
  toks?: Toks;
}

const ENV_PLACEHOLDER =
  /^(AWS::(Partition|Region|AccountId|URLSuffix)|aws:(partition|region|accountId|PrincipalAccount)|data\.aws_partition\.[\w-]+\.(partition|id)|data\.aws_region\.[\w-]+\.(name|region|id)|data\.aws_caller_identity\.[\w-]+\.account_id|(var|local)\.(aws_)?(region|account_id|partition)|self:provider\.region|opt:region)$/i;

/** Marks the next character as literal (IAM's `${*}` escapes). */
const ESCAPE = '\u0000';

/** Splits `${...}` placeholders out of a text; IAM's `${*}`, `${?}`, `${$}` are literal characters. */
function splitPlaceholders(text: string): ({ lit: string } | { ph: string })[] {
  const out: ({ lit: string } | { ph: string })[] = [];
  let lit = '';
  let i = 0;
  while (i < text.length) {
    const at = text.indexOf('${', i);
    // Without a closing `}` after it, a `${` is text, and so is the rest.
    const end = at < 0 ? -1 : text.indexOf('}', at + 2);
    if (end < 0) {
      lit += text.slice(i);
      break;
    }
    lit += text.slice(i, at);
    const inner = text.slice(at + 2, end);
    if (inner === '*' || inner === '?' || inner === '$') lit += ESCAPE + inner;
    else {
      if (lit) out.push({ lit });
      lit = '';
      out.push({ ph: inner.trim() });
    }
    i = end + 1;
  }
  if (lit) out.push({ lit });
  return out;
}

function placeholderKind(name: string, arnContext: boolean): 'env' | 'name' | 'opaque' {
  if (ENV_PLACEHOLDER.test(name)) return 'env';
  return arnContext ? 'name' : 'opaque';
}

/**
 * A statement value as a glob. In an ARN (`arn:...`) an unknown placeholder stands for a name
 * without `:`; elsewhere (an action, a whole `${Queue.Arn}/*`) it may be any text.
 */
function parsePattern(text: string): Pattern {
  const arnContext = text.startsWith('arn:');
  const parts: PPart[] = [];
  for (const seg of splitPlaceholders(text)) {
    if ('ph' in seg) {
      parts.push({ ph: placeholderKind(seg.ph, arnContext) });
      continue;
    }
    let lit = '';
    for (let i = 0; i < seg.lit.length; i++) {
      const c = seg.lit[i];
      if (c === ESCAPE) {
        lit += seg.lit[++i]; // escaped literal
      } else if (c === '*' || c === '?') {
        if (lit) parts.push({ lit });
        lit = '';
        parts.push(c === '*' ? { star: true } : { one: true });
      } else lit += c;
    }
    if (lit) parts.push({ lit });
  }
  return { parts, text };
}

/** A request value with holes (a partially resolved !Sub / !Join). `*` and `?` are literal here. */
function parseTemplate(text: string): Template {
  const arnContext = text.startsWith('arn:');
  const parts: TPart[] = splitPlaceholders(text).map((seg) =>
    'ph' in seg
      ? { hole: placeholderKind(seg.ph, arnContext) }
      : { lit: seg.lit.includes(ESCAPE) ? seg.lit.split(ESCAPE).join('') : seg.lit },
  );
  return { parts, text };
}

function literalTemplate(text: string): Template {
  return { parts: [{ lit: text }], text };
}

// Tokens (src/iam/automaton.ts): one character or class per position, repeated (`star`) or once.
const HOLE_CLASS: Record<Hole, number> = { env: NOC, name: NOC, seg: NOS, opaque: ANY };

function possibleToks(p: Pattern): Toks {
  if (p.possible) return p.possible;
  const out = emptyToks();
  for (const part of p.parts) {
    if ('lit' in part) pushLiteral(out, part.lit);
    else if ('star' in part) pushClass(out, ANY, true);
    else if ('one' in part) pushClass(out, ANY, false);
    else pushClass(out, HOLE_CLASS[part.ph], true);
  }
  return (p.possible = out);
}

/** Tokens for the "matches for certain" check; null when the pattern has unknown placeholders. */
function certainToks(p: Pattern): Toks | null {
  if (p.certain !== undefined) return p.certain;
  const out = emptyToks();
  for (const part of p.parts) {
    if ('lit' in part) pushLiteral(out, part.lit);
    else if ('star' in part) pushClass(out, ANY, true);
    else if ('one' in part) pushClass(out, ANY, false);
    else if (part.ph === 'env') pushClass(out, NOC, true);
    else return (p.certain = null);
  }
  return (p.certain = out);
}

function templateToks(t: Template, env?: string[]): Toks {
  if (!env && t.toks) return t.toks;
  const out = emptyToks();
  let e = 0;
  for (const part of t.parts) {
    if ('lit' in part) pushLiteral(out, part.lit);
    else if (part.hole === 'opaque') pushClass(out, ANY, true);
    else if (part.hole === 'env' && env) pushLiteral(out, env[e++]);
    else {
      pushClass(out, HOLE_CLASS[part.hole], false);
      pushClass(out, HOLE_CLASS[part.hole], true);
    }
  }
  if (!env) t.toks = out;
  return out;
}

function matchPattern(p: Pattern, t: Template): Tri {
  if (p.parts.length === 1 && 'star' in p.parts[0]) return 'match';
  // Fast path: a plain text against a glob without placeholders.
  if (t.parts.length === 1 && 'lit' in t.parts[0]) {
    if (p.re === undefined) p.re = p.parts.some((x) => 'ph' in x) ? null : globRegExp(p.parts);
    if (p.re) return p.re.test(t.parts[0].lit) ? 'match' : 'nomatch';
  }
  // The automaton path is slow and its answer depends only on the two texts and their parts; a
  // project repeats the same pairs (one per role × requirement), so each pair is decided once.
  const pk = partsKey(p);
  let byTemplate = slowMatches.get(pk);
  if (!byTemplate) slowMatches.set(pk, (byTemplate = new Map()));
  const tk = partsKey(t);
  let r = byTemplate.get(tk);
  if (r === undefined) {
    r = matchSlow(p, t);
    if (++slowMatchCount > 100_000) {
      slowMatches.clear();
      slowMatchCount = 0;
      slowMatches.set(pk, byTemplate);
      byTemplate.clear();
    }
    byTemplate.set(tk, r);
  }
  return r;
}

/** Decided pairs: by the pattern's key, then by the template's. */
const slowMatches = new Map<string, Map<string, Tri>>();
let slowMatchCount = 0;
const partKeys = new WeakMap<Pattern | Template, string>();

/** A key that tells patterns (or templates) apart: their text and their parts. */
function partsKey(x: Pattern | Template): string {
  let k = partKeys.get(x);
  if (k === undefined) {
    const parts = (x.parts as (PPart | TPart)[]).map((q) =>
      'lit' in q ? `l${q.lit}` : 'star' in q ? '*' : 'one' in q ? '?' : 'ph' in q ? `p${q.ph}` : `h${q.hole}`,
    );
    k = `${x.text}\u0001${parts.join('\u0001')}`;
    partKeys.set(x, k);
  }
  return k;
}

function matchSlow(p: Pattern, t: Template): Tri {
  const rest = afterSharedHead(p, t);
  if (rest) {
    if (rest.p.parts.length === 1 && 'star' in rest.p.parts[0]) return 'match';
    return matchAutomata(rest.p, rest.t);
  }
  return matchAutomata(p, t);
}

/**
 * A pattern and a template without the head they share, when they share one up to a `:`: the
 * same literal text, and env placeholders (this deployment's partition, region, account) at the
 * same places, each followed by a `:` (`arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:`
 * on both sides). Every string of that head on the template's side is one of the pattern's and
 * meets the pattern's strings in the same places (an env value holds no `:`), and the pattern's
 * text there gives no candidate for env holes: the answer for the rest is the answer for the
 * whole, which the automata decide on far fewer positions. When the template has no env hole
 * after it (no candidates to align by `:`), the head goes on through the literal text both share
 * (`/aws/lambda/svc-1-dev`). Undefined when nothing is shared.
 */
function afterSharedHead(p: Pattern, t: Template): { p: Pattern; t: Template } | undefined {
  const pp = p.parts;
  const tp = t.parts;
  /** The cut after a `:`: before part `at`'s character `off` on both sides, after `colons` literal colons. */
  let at = -1;
  let off = 0;
  let colons = 0;
  let seen = 0;
  /** The cut at the end of the literal text both share. */
  let litAt = -1;
  let litOff = 0;
  let afterEnv = false;
  for (let i = 0; i < pp.length && i < tp.length; i++) {
    const a = pp[i];
    const b = tp[i];
    if ('ph' in a && 'hole' in b && a.ph === 'env' && b.hole === 'env' && !afterEnv) {
      afterEnv = true;
      continue;
    }
    if (!('lit' in a) || !('lit' in b)) break;
    const x = a.lit;
    const y = b.lit;
    if (afterEnv && (x.charCodeAt(0) !== COLON_CODE || y.charCodeAt(0) !== COLON_CODE)) break;
    afterEnv = false;
    let same = 0;
    // Not past a character outside the Basic Multilingual Plane: the automata accept whatever
    // follows one in a template (src/iam/automaton.ts), which the rest alone would not show.
    while (same < x.length && same < y.length && x.charCodeAt(same) === y.charCodeAt(same) && !isSurrogate(x, same))
      same++;
    for (let k = 0; k < same; k++) {
      if (x.charCodeAt(k) !== COLON_CODE) continue;
      seen++;
      at = i;
      off = k + 1;
      colons = seen;
    }
    if (same > 0) {
      litAt = i;
      litOff = same;
    }
    if (same < x.length || same < y.length) break;
  }
  if (at < 0) return undefined;
  if (litAt > at || (litAt === at && litOff > off)) {
    let envAfter = false;
    for (let i = litAt + 1; i < tp.length && !envAfter; i++) {
      const b = tp[i];
      envAfter = 'hole' in b && b.hole === 'env';
    }
    if (!envAfter) {
      at = litAt;
      off = litOff;
    }
  }
  const restOf = <P extends PPart | TPart>(parts: P[]): P[] => {
    const first = parts[at] as P & { lit: string };
    return off < first.lit.length ? [{ lit: first.lit.slice(off) } as P, ...parts.slice(at + 1)] : parts.slice(at + 1);
  };
  // The pattern's rest is the same for every template cut at the same place: kept, with its tokens.
  // Its text gives env candidates: after a `:` cut, the text after as many colons; after a cut
  // within literal text (only for templates without env holes left), none is asked.
  const key = at * 0x100000000 + off;
  let rest = (p.rests ??= new Map()).get(key);
  if (!rest) {
    const afterColon = (pp[at] as { lit: string }).lit.charCodeAt(off - 1) === COLON_CODE;
    rest = { parts: restOf(pp), text: afterColon ? textAfterColons(p.text, colons) : '' };
    p.rests.set(key, rest);
  }
  return { p: rest, t: { parts: restOf(tp), text: '' } };
}

const COLON_CODE = 58;

function isSurrogate(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 0xd800 && c <= 0xdfff;
}

/** A pattern's text after its n-th `:` outside `${...}` placeholders (as envChoices counts them). */
function textAfterColons(text: string, n: number): string {
  let seen = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 36 && text.charCodeAt(i + 1) === 123) {
      const end = text.indexOf('}', i + 2);
      if (end >= 0) {
        i = end;
        continue;
      }
    }
    if (c === COLON_CODE && ++seen === n) return text.slice(i + 1);
  }
  return '';
}

function matchAutomata(p: Pattern, t: Template): Tri {
  if (!intersects(possibleToks(p), templateToks(t))) return 'nomatch';
  const certain = certainToks(p);
  if (!certain) return 'unknown';
  for (const env of envChoices(p, t)) {
    if (included(templateToks(t, env), certain)) return 'match';
  }
  return 'unknown';
}

const GENERIC = '\u0001';

/**
 * Candidate values for the template's env holes: the pattern's text at the same `:`-separated
 * position (wildcards dropped), or a generic value. Any candidate that works is a witness.
 */
function envChoices(p: Pattern, t: Template): string[][] {
  const segs = (p.segments ??= p.text.replace(/\$\{[^}]*\}/g, '\u0002').split(':'));
  const perHole: string[][] = [];
  let colons = 0;
  let aligned = true;
  for (const part of t.parts) {
    if ('lit' in part) {
      for (const c of part.lit) if (c === ':') colons++;
    } else if (part.hole === 'opaque') aligned = false;
    else if (part.hole === 'env') {
      const cands = new Set<string>();
      const seg = aligned ? segs[colons] : undefined;
      if (seg !== undefined && !seg.includes('\u0002')) {
        const c = seg.replace(/\*/g, '').replace(/\?/g, 'a');
        if (c) cands.add(c);
      }
      cands.add(GENERIC);
      perHole.push([...cands]);
    }
  }
  let combos: string[][] = [[]];
  for (const cands of perHole) {
    const next: string[][] = [];
    for (const combo of combos) for (const c of cands) if (next.length < 64) next.push([...combo, c]);
    combos = next;
  }
  return combos;
}

// ---- the effective policy set of a role -------------------------------------------------------

function sameDeployment(a: Deployment, b: Deployment): boolean {
  return a === b || (a.id === b.id && a.file === b.file);
}

type ManagedPolicy = Model['managedPolicies'][number];

/** The customer managed policies of a model by id, in model order; rebuilt when the list has grown. */
const policyIndexes = new WeakMap<readonly ManagedPolicy[], { size: number; byId: Map<string, ManagedPolicy[]> }>();

/** The first customer managed policy of the role's deployment with this id (an index, not a scan per role). */
function customerPolicy(model: Model, role: Role, id: string): ManagedPolicy | undefined {
  const list = model.managedPolicies;
  let index = policyIndexes.get(list);
  if (!index || index.size !== list.length) {
    const byId = new Map<string, ManagedPolicy[]>();
    for (const m of list) {
      const same = byId.get(m.id);
      if (same) same.push(m);
      else byId.set(m.id, [m]);
    }
    index = { size: list.length, byId };
    policyIndexes.set(list, index);
  }
  return index.byId.get(id)?.find((m) => sameDeployment(m.deployment, role.deployment));
}

/** Text of an ARN value: resolved, or the `${...}` form of a partially resolved one. */
function arnText(v: Val<string>): string | undefined {
  return v.value ?? (v.sym?.kind === 'expr' ? v.sym.text : undefined);
}

function managedOrigin(arn: Val<string>, name: string): Origin {
  const o: Origin = { via: 'implicit', note: `AWS managed policy ${name}` };
  if (arn.origin.range) o.range = arn.origin.range;
  return o;
}

/** A symbolic value in words: "parameter RoleArn", "another stack (ImportValue Shared-RoleArn)". */
export function symbolicWords(v: Val<string>): string {
  const s = v.sym;
  if (!s) return v.value ?? 'an unknown value';
  const mod = /^module\.[\w-]+(\[[^\]]*\])?(\.module\.[\w-]+(\[[^\]]*\])?)*\.[\w-]+/.exec(s.text);
  if (mod) return `a module output (${mod[0]})`;
  if (/^data\./.test(s.text)) return `a data source (${s.text})`;
  if (s.kind === 'param') {
    if (s.key.startsWith('Ref:')) return `parameter ${s.key.slice(4)}`;
    const tf = /^(var|local)\.([\w-]+)/.exec(s.text);
    if (tf) return `${tf[1] === 'var' ? 'variable' : 'local'} ${tf[2]}`;
    return s.text;
  }
  if (s.kind === 'import') return `another stack (${s.text.replace(/^!/, '')})`;
  if (s.kind === 'condition') return `a condition (${s.text.replace(/^!/, '')})`;
  return s.text;
}

/** The reason a set of policies cannot be read, for an ARN of an attached policy. */
function managedGap(arn: Val<string>, text: string | undefined): string {
  if (text !== undefined && (isAwsManagedPolicyArn(text) || /^arn:[^:]*:iam::aws:policy\//.test(text))) {
    return managedPolicyDataAvailable()
      ? `unknown managed policy ${text.replace(/^arn:\$\{[^}]*\}:/, 'arn:aws:')}`
      : 'AWS managed policy data not installed';
  }
  if (text !== undefined && /^arn:[^:]*:iam::[^:]*:policy\//.test(text))
    return `customer managed policy outside the template (${text})`;
  return `managed policy ARN from ${symbolicWords(arn)}`;
}

/**
 * Everything that grants or limits the role's permissions: inline documents, customer managed
 * policies of the deployment, AWS managed policies (every current one: managed-policies.ts) and
 * the permissions boundary. A piece that cannot be seen (a symbolic ARN, a customer policy outside
 * the model, an ARN AWS has no policy for) makes the set incomplete, and `gaps` says why.
 */
export function effectivePolicySet(role: Role, model: Model): PolicySet {
  const statements: Statement[] = [];
  const gaps: string[] = [];
  const gap = (g: string) => {
    if (!gaps.includes(g)) gaps.push(g);
  };
  let complete = role.complete;
  for (const g of role.gaps ?? []) gap(g);
  for (const doc of role.inline) {
    statements.push(...doc.statements);
    if (!doc.complete) {
      complete = false;
      gap(`policy document that does not resolve (${doc.name ? `${doc.name} of ` : ''}role ${role.id})`);
    }
  }
  const added = new Set<string>();
  const addCustomer = (id: string): boolean => {
    const mp = customerPolicy(model, role, id);
    if (!mp) return false;
    if (!added.has(id)) {
      added.add(id);
      statements.push(...mp.document.statements);
      if (!mp.document.complete) {
        complete = false;
        gap(`policy document that does not resolve (managed policy ${id})`);
      }
    }
    return true;
  };
  for (const id of role.managedPolicyIds) {
    if (!addCustomer(id)) {
      complete = false;
      gap(`managed policy not found in the template (${id})`);
    }
  }
  for (const arn of role.managedPolicyArns) {
    const text = arnText(arn);
    const aws = text === undefined ? undefined : managedPolicyByArn(text);
    if (aws) statements.push(...managedPolicyStatements(aws, managedOrigin(arn, aws.name)));
    else if (!(arn.sym?.target && addCustomer(arn.sym.target))) {
      complete = false;
      gap(managedGap(arn, text));
    }
  }
  if (!complete && gaps.length === 0) gap(`policies that cannot be read (role ${role.id})`);
  const set: PolicySet = { statements, complete };
  if (gaps.length) set.gaps = gaps;
  const pb = role.permissionsBoundary;
  if (pb) {
    const text = arnText(pb);
    const aws = text === undefined ? undefined : managedPolicyByArn(text);
    const mp = pb.sym?.target ? customerPolicy(model, role, pb.sym.target) : undefined;
    if (aws) set.boundary = { statements: managedPolicyStatements(aws, managedOrigin(pb, aws.name)), complete: true };
    else if (mp) {
      set.boundary = { statements: mp.document.statements, complete: mp.document.complete };
      if (!mp.document.complete) set.boundary.gaps = [`permissions boundary that does not resolve (${mp.id})`];
    } else {
      const reason =
        text !== undefined && text.startsWith('arn:')
          ? `permissions boundary outside the template (${text})`
          : `permissions boundary from ${symbolicWords(pb)}`;
      set.boundary = { statements: [], complete: false, gaps: [reason] };
    }
  }
  return set;
}

/**
 * Why `evaluate` answered "unknown" for a request, in words: the statement conditions it cannot
 * evaluate, the policies it cannot see, a call's resource the code does not tell
 * (`resourceNotTold`: a function's calls of that kind share one reason), or the values it cannot
 * resolve.
 */
export function unknownReason(
  policies: PolicySet,
  evaluation: Evaluation,
  roleId: string,
  resourceNotTold = false,
): string {
  const conditional = (evaluation.uncertain ?? []).filter((s) => s.hasCondition);
  if (conditional.length) {
    const keys = [...new Set(conditional.flatMap((s) => (s.conditions ?? []).map((c) => c.key)))];
    return `statement with a condition (${keys.length ? `${keys.slice(0, 3).join(', ')} in ` : ''}role ${roleId})`;
  }
  if (!policies.complete && policies.gaps?.length) return policies.gaps[0];
  if (policies.boundary && !policies.boundary.complete && policies.boundary.gaps?.length)
    return policies.boundary.gaps[0];
  if (resourceNotTold)
    return `a call on a resource the code does not tell, whose action role ${roleId} allows on some resources only`;
  const symbolic = (evaluation.uncertain ?? [])
    .flatMap((s) => [...(s.resources ?? []), ...(s.actions ?? []), ...(s.notResources ?? []), ...(s.notActions ?? [])])
    .find((v) => v.value === undefined);
  if (symbolic)
    return `policy statement with a value that does not resolve (${symbolic.sym?.kind === 'expr' ? symbolic.sym.text : symbolicWords(symbolic)} in role ${roleId})`;
  return `resource that cannot be matched to the policies (role ${roleId})`;
}
