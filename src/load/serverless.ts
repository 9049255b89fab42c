// Serverless Framework services (serverless.yml / .yaml / .json, and serverless.ts / .js read
// statically) → the model. The framework's implicit behaviour is modelled from docs/FACTS.md §5:
// provider defaults merged into functions, the shared role IamRoleLambdaExecution with the
// statements the framework adds, events wired to the unqualified function (§8.1), and `resources:`
// loaded by the CloudFormation loader into the same deployment.
import path from 'node:path';
import { duplicateKeys, entry, entryRange, get, keyRange, nodeRange, parseSource, type DuplicateKey, type Entry, type TNode } from '../source/parse.js';
import { parseServerlessScript, type DynamicPart, type ScriptParseResult } from './serverless-script.js';
import { customerManagedQueueKey, loadTemplate } from './cloudformation.js';
import { CfnResolver, intrinsicKey, scalarString, toVal, type CfnScope } from '../values/cfn.js';
import { ServerlessVariables } from '../values/serverless.js';
import { isProductionName, productionFromFolders } from '../model/production.js';
import { notChecked } from '../model/coverage.js';
import { applyLift, liftVariable, type LiftResult } from './serverless-lift.js';
import type {
  CodeLocation,
  Deployment,
  Destination,
  EventSourceKind,
  FunctionTarget,
  LambdaFunction,
  LayerRef,
  Model,
  Origin,
  PolicyDocument,
  Production,
  Role,
  RoleRef,
  SourceRange,
  Statement,
  Trigger,
  TriggerKind,
  Val,
  Via,
  VpcConfig,
} from '../model/types.js';
import { resourceType } from '../model/resource-types.js';

export interface ServerlessLoadOptions {
  cwd: string;
  /** `--stage`: feeds `${opt:stage}` and decides production. */
  stage?: string;
  productionNames: readonly string[];
}

export const GENERATED_ROLE = 'IamRoleLambdaExecution';
const LOGS_ARN = 'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:';
/** The plugin that gives a function with `iamRoleStatements` a role of its own (github functionalone/serverless-iam-roles-per-function). */
export const ROLES_PLUGIN = 'serverless-iam-roles-per-function';
/** The rules that read a function's execution role. */
const ROLE_RULES_LIST = ['logs-permission', 'xray-permission', 'event-source-permission', 'destination-permission', 'vpc-permission', 'sdk-permission'];
const ROLE_RULES = ROLE_RULES_LIST;
/** The rules that read each function property, for saying what a value computed in code leaves unchecked. */
const PROPERTY_RULES: Record<string, string[]> = {
  handler: ['handler-not-found', 'sdk-permission', 'missing-dependency', 'aws-sdk-v2-runtime', 'recursive-trigger', 'tracing-disabled'],
  runtime: ['deprecated-runtime', 'aws-sdk-v2-runtime', 'missing-dependency'],
  timeout: ['timeout-limit', 'api-gateway-timeout', 'sqs-visibility-timeout'],
  memorySize: ['memory-limit'],
  ephemeralStorageSize: ['memory-limit'],
  vpc: ['vpc-config', 'vpc-permission', 'vpc-public-subnet'],
  events: ['event-source-permission', 'invoke-permission', 'async-failure-destination', 'recursive-trigger', 'latest-in-production', 'sqs-visibility-timeout', 'api-gateway-timeout'],
  role: ROLE_RULES_LIST,
  iam: ROLE_RULES_LIST,
  iamRoleStatements: ROLE_RULES_LIST,
  iamRoleStatementsInherit: ROLE_RULES_LIST,
  tracing: ['xray-permission', 'tracing-disabled'],
  destinations: ['destination-permission', 'async-failure-destination'],
  onError: ['destination-permission', 'async-failure-destination'],
  reservedConcurrency: ['reserved-concurrency'],
  package: ['package-size', 'handler-not-found'],
  layers: ['package-size', 'missing-dependency'],
};
/** Who made a function's own role: the plugin (v3.2.0, src/lib/index.ts) or Framework v4 (roles-per-function.js). */
type Dedicated = 'plugin' | 'v4';
/** Whom a function runs as: its own `role`, the provider's role, the shared role, a role of its own, or unknown (why). */
type RoleMode = 'custom' | 'provider' | 'shared' | Dedicated | { unknown: string };
const EC2_ACTIONS = ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DeleteNetworkInterface', 'ec2:DescribeVpcs', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups'];

/** A Serverless service file: a map with `service` and (`provider` or `functions`). */
export function isServerlessRoot(root: TNode): boolean {
  if (root.kind !== 'map') return false;
  return get(root, 'service') !== undefined && (get(root, 'provider') !== undefined || get(root, 'functions') !== undefined);
}

/** `my-bucket.v2` → `Mybucketv2`, as the framework names buckets and topics (naming.js `normalizeNameToAlphaNumericOnly`). */
function normalizedAlnum(name: string): string {
  const s = name.replace(/[^0-9A-Za-z]/g, '');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** `hello-world_x` → `HelloDashworldUnderscorex`, as the framework names logical ids (naming.js). */
export function normalizedName(key: string): string {
  const s = key.replace(/-/g, 'Dash').replace(/_/g, 'Underscore');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

const PUSH: Record<string, TriggerKind> = {
  s3: 's3',
  sns: 'sns',
  http: 'api',
  httpApi: 'http-api',
  websocket: 'websocket',
  eventBridge: 'eventbridge',
  cloudwatchEvent: 'eventbridge',
  schedule: 'schedule',
  cloudwatchLog: 'cloudwatch-logs',
  iot: 'iot',
  iotFleetProvisioning: 'iot',
  alexaSkill: 'alexa',
  alexaSmartHome: 'alexa',
  cognitoUserPool: 'cognito',
  alb: 'other',
  cloudFront: 'other',
};

interface FunctionSpec {
  key: string;
  entry: Entry;
  node: TNode;
}

export function loadServerless(raw: TNode, model: Model, options: ServerlessLoadOptions, dynamic: DynamicPart[] = []): Deployment | undefined {
  if (!isServerlessRoot(raw)) return undefined;
  return new ServerlessLoader(raw, model, options, dynamic).load();
}

class ServerlessLoader {
  private vars: ServerlessVariables;
  private cfg: TNode;
  private provider: TNode | undefined;
  private providerEntry: Entry | undefined;
  private deployment!: Deployment;
  private r!: CfnResolver;
  private file: string;
  private relFile: string;
  private lift: LiftResult;

  constructor(
    raw: TNode,
    private model: Model,
    private options: ServerlessLoadOptions,
    private dynamic: DynamicPart[] = [],
  ) {
    this.file = raw.file.path;
    this.relFile = path.relative(options.cwd, this.file).split(path.sep).join('/');
    this.vars = new ServerlessVariables(raw, { serviceDir: path.dirname(this.file), stage: options.stage, construct: (address, at) => liftVariable(raw, address, at) });
    const lift = applyLift(cfnify(this.vars.resolve(raw), this.vars, false), path.dirname(this.file));
    this.cfg = lift.cfg;
    this.lift = lift.result;
    this.providerEntry = entry(this.cfg, 'provider');
    this.provider = this.providerEntry?.value.kind === 'map' ? this.providerEntry.value : undefined;
  }

  load(): Deployment | undefined {
    const providerName = scalarString(get(this.provider, 'name'));
    if (providerName !== undefined && providerName !== 'aws') return undefined;
    this.deployment = { id: this.relFile, framework: 'serverless', file: this.file, production: this.production(), notes: [] };
    this.model.deployments.push(this.deployment);

    const stage = this.vars.stage();
    const fns = this.functionSpecs();
    this.recordDynamic(fns);
    const external = new Map<string, { type: string; functionId?: string }>();
    const layerDefs = (get(this.cfg, 'layers')?.entries ?? []).filter((e) => e.value.kind === 'map' && !intrinsicKey(e.value));
    for (const l of layerDefs) external.set(`${normalizedName(l.key)}LambdaLayer`, { type: 'AWS::Lambda::LayerVersion' });
    for (const [id, type] of this.lift.resources) external.set(id, { type });
    for (const f of fns) {
      external.set(`${normalizedName(f.key)}LambdaFunction`, { type: 'AWS::Lambda::Function', functionId: f.key });
      external.set(`${normalizedName(f.key)}LogGroup`, { type: 'AWS::Logs::LogGroup' });
    }

    // Whom each function runs as (docs/FACTS.md §5.3): its own `role`, the provider's, the shared
    // IamRoleLambdaExecution, or a role of its own made by the serverless-iam-roles-per-function
    // plugin or by Framework v4.
    const providerRole = this.providerRoleEntry();
    const perFunctionMode = scalarString(get(get(get(this.provider, 'iam'), 'role'), 'mode')) === 'perFunction';
    const modes = new Map(fns.map((f) => [f.key, this.roleMode(f, providerRole, perFunctionMode)]));
    // The shared role exists unless a role is given for the service or for every function, or in
    // perFunction mode (merge-iam-templates.js, v3 and v4); the plugin copies it as its template.
    const generated = !providerRole && !perFunctionMode && fns.some((f) => modes.get(f.key) !== 'custom');
    const dedicated = fns.filter((f) => modes.get(f.key) === 'plugin' || modes.get(f.key) === 'v4');
    const ownRoleIds = new Map(dedicated.map((f) => [f.key, `${normalizedName(f.key)}${GENERATED_ROLE}`]));
    const extras = [...(generated ? [this.generatedRoleEntry()] : []), ...dedicated.map((f) => this.generatedRoleEntry(f, ownRoleIds.get(f.key)!, modes.get(f.key) as Dedicated, perFunctionMode))];
    const resourcesRoot = this.resourcesRoot(extras);
    if (generated) external.delete(GENERATED_ROLE);

    // The scope the service's own intrinsics (`Fn::GetAtt: [Queue, Arn]` in an event) resolve in.
    const scope: CfnScope = { parameters: new Map(), conditions: new Map(), mappings: get(resourcesRoot, 'Mappings'), resources: new Map() };
    for (const e of get(resourcesRoot, 'Conditions')?.entries ?? []) scope.conditions.set(e.key, e.value);
    for (const e of get(resourcesRoot, 'Resources')?.entries ?? []) {
      const type = scalarString(get(e.value, 'Type'));
      if (type) scope.resources.set(e.key, { id: e.key, type, entry: e, node: e.value });
    }
    for (const [id, ext] of external) {
      if (!scope.resources.has(id)) scope.resources.set(id, { id, type: ext.type, entry: { key: id, keyStart: 0, keyEnd: 0, value: this.cfg }, node: this.cfg });
    }
    this.r = new CfnResolver(scope);
    const service = this.service();

    loadTemplate(resourcesRoot, this.model, { cwd: this.options.cwd, productionNames: this.options.productionNames, into: this.deployment, external });
    const roles = new Map(this.model.roles.filter((ro) => ro.deployment === this.deployment).map((ro) => [ro.id, ro]));
    const role = generated ? roles.get(GENERATED_ROLE) : undefined;
    if (role) {
      role.generated = true;
      role.origin = { ...role.origin, via: 'implicit', note: 'role generated by the Serverless Framework' };
    }

    // A policy resource in `resources:` may attach to a per-function role under a logical id
    // lambdalint does not know: those roles are then not complete.
    const policyResources = (get(resourcesRoot, 'Resources')?.entries ?? []).some((e) => /^AWS::IAM::(Policy|ManagedPolicy|RolePolicy)$/.test(scalarString(get(e.value, 'Type')) ?? ''));
    for (const f of dedicated) {
      const r = roles.get(ownRoleIds.get(f.key)!);
      if (!r) continue;
      r.generated = true;
      r.origin = { ...r.origin, via: 'implicit', note: `role generated ${modes.get(f.key) === 'plugin' ? `by ${ROLES_PLUGIN}` : 'by the Serverless Framework'} for ${f.key}` };
      if (policyResources) r.complete = false;
    }

    // What serverless-lift adds that lambdalint does not model (src/load/serverless-lift.ts).
    for (const g of this.lift.gaps) {
      notChecked(this.model, { file: this.file, rules: g.rules, reason: g.reason });
      if (g.rules.includes('sdk-permission')) {
        for (const r of [role, ...dedicated.map((f) => roles.get(ownRoleIds.get(f.key)!))]) {
          if (!r) continue;
          r.complete = false;
          r.gaps = [...(r.gaps ?? []), g.reason];
        }
      }
    }

    for (const l of layerDefs) this.loadLayer(l);
    const loaded: { fn: LambdaFunction; spec: FunctionSpec }[] = [];
    for (const spec of fns) {
      try {
        const mode = modes.get(spec.key)!;
        const fn = this.loadFunction(spec, service, stage, roles, providerRole, mode === 'shared' && role !== undefined, ownRoleIds.get(spec.key), typeof mode === 'object' ? mode.unknown : undefined);
        loaded.push({ fn, spec });
      } catch (e) {
        this.deployment.notes.push(`function ${spec.key}: not modelled (${(e as Error).message})`);
      }
    }
    // Framework v4 puts the event permissions of a function with a role of its own on that role
    // only; v3 (and v4 beside the plugin) on the shared role whatever role the function uses
    // (docs/sf/providers/aws/guide/iam.md; compile/events/sqs.js).
    if (role) this.addImplicitStatements(role, loaded.filter((l) => modes.get(l.spec.key) !== 'v4'), service, stage);
    for (const l of loaded) {
      const own = ownRoleIds.get(l.spec.key);
      const r = own ? roles.get(own) : undefined;
      if (r) this.addDedicatedStatements(r, l, modes.get(l.spec.key) as Dedicated, perFunctionMode);
    }
    return this.deployment;
  }

  // ---- service-level ----------------------------------------------------------------------------

  private service(): Val<string> {
    const e = entry(this.cfg, 'service');
    const node = e?.value.kind === 'map' ? get(e.value, 'name') : e?.value;
    const v = node ? this.str(node) : undefined;
    return v ?? { origin: { via: 'direct' } };
  }

  private production(): Production {
    const names = this.options.productionNames;
    if (this.options.stage !== undefined) {
      return isProductionName(this.options.stage, names) ? { isProduction: true, reason: `--stage ${this.options.stage}` } : { isProduction: false };
    }
    const stageEntry = entry(this.provider, 'stage');
    const stage = this.vars.stage();
    if (stageEntry && isProductionName(stage, names)) {
      return { isProduction: true, reason: `provider.stage resolves to ${stage}`, origin: { via: 'direct', range: entryRange(stageEntry) } };
    }
    return productionFromFolders(this.relFile, names);
  }

  private functionSpecs(): FunctionSpec[] {
    const fnsNode = get(this.cfg, 'functions');
    const maps = fnsNode?.kind === 'seq' ? fnsNode.items!.filter((i) => i.kind === 'map') : fnsNode ? [fnsNode] : [];
    const out: FunctionSpec[] = [];
    for (const m of maps) for (const e of m.entries ?? []) if (e.value.kind === 'map' && !intrinsicKey(e.value)) out.push({ key: e.key, entry: e, node: e.value });
    return out;
  }

  /**
   * What serverless.ts / .js computes in code that lambdalint could not follow (serverless-script.ts):
   * the functions object or a function built at run time, or a function property computed there.
   */
  private recordDynamic(fns: FunctionSpec[]): void {
    const found = new Set(fns.map((f) => f.key));
    const relPath = (abs: string) => path.relative(this.options.cwd, abs).split(path.sep).join('/');
    for (const d of this.dynamic) {
      const where = `${relPath(d.file.path)} (line ${d.file.range(d.start, d.end).start.line})`;
      const how = d.why ?? 'built dynamically';
      const [top, key, prop] = d.path;
      const record = (reason: string, rules: readonly string[] = [], fn?: string) => notChecked(this.model, { ...(fn !== undefined ? { fn } : {}), file: this.file, rules, reason });
      if (top === undefined) record(`service object changed by code in ${where}`);
      else if (top === 'functions' && key === undefined) record(`functions ${how} in ${where}`);
      else if (top === 'functions' && prop === undefined) record(found.has(key) ? `part of function ${key} ${how} in ${where}` : `function ${key} ${how} in ${where}`, [], key);
      else if (top === 'functions' && found.has(key) && PROPERTY_RULES[prop]) record(`${prop} of ${key} computed in code in ${where}`, PROPERTY_RULES[prop], key);
      else if (top === 'provider' && key !== undefined && PROPERTY_RULES[key === 'tracing' ? 'tracing' : key]) record(`provider.${key} computed in code in ${where}`, PROPERTY_RULES[key]);
      else if (top === 'provider' && key === undefined) record(`provider ${how} in ${where}`);
      else if (top === 'plugins') record(`plugins ${how} in ${where}`, ROLE_RULES);
      else if (top === 'resources' && (key === undefined || key === 'Resources')) record(`resources ${how} in ${where}`);
    }
  }

  /** `provider.iam.role` as a name / ARN / intrinsic, or legacy `provider.role`: a role the user gives. */
  private providerRoleEntry(): Entry | undefined {
    const iamRole = entry(get(this.provider, 'iam'), 'role');
    if (iamRole) {
      const v = iamRole.value;
      if (v.kind === 'scalar' || (v.kind === 'map' && (v.entries ?? []).some((e) => e.key.includes('::') || e.key === 'Ref'))) return iamRole;
      return undefined;
    }
    return entry(this.provider, 'role');
  }

  /** The service's `plugins:` (a list, or `modules:` of a map); `resolved` is false when one is not a plain name. */
  private plugins(): { names: string[]; resolved: boolean } {
    const p = get(this.cfg, 'plugins');
    const list = p?.kind === 'map' ? get(p, 'modules') : p;
    if (!list) return { names: [], resolved: p === undefined || p.kind === 'map' };
    if (list.kind !== 'seq') return { names: [], resolved: false };
    const names = (list.items ?? []).map((i) => (i.kind === 'scalar' && typeof i.value === 'string' ? i.value : undefined));
    return { names: names.filter((n): n is string => n !== undefined), resolved: names.every((n) => n !== undefined) };
  }

  /**
   * Whom a function runs as (docs/FACTS.md §5.3). `functions.X.role` and a provider role win. The
   * serverless-iam-roles-per-function plugin gives a function with `iamRoleStatements` a role of its
   * own (src/lib/index.ts `createRoleForFunction`, v3.2.0), and Framework v4 then leaves per-function
   * roles to it (uses-dedicated-per-function-role.js `hasExternalIamPerFunctionPlugin`). Without the
   * plugin, v4 makes the role itself for `iamRoleStatements`, `iam.role.statements`, a non-empty
   * `iam.role.managedPolicies`, or every function in perFunction mode (same file); v3 ignores these
   * keys (not in its schema), so the function runs as the shared role.
   */
  private roleMode(f: FunctionSpec, providerRole: Entry | undefined, perFunctionMode: boolean): RoleMode {
    if (entry(f.node, 'role')) return 'custom';
    if (providerRole) return 'provider';
    const legacy = get(f.node, 'iamRoleStatements') !== undefined;
    const fnRole = get(get(f.node, 'iam'), 'role');
    const plugins = this.plugins();
    const fork = plugins.names.find((n) => n !== ROLES_PLUGIN && n.includes(ROLES_PLUGIN));
    if (plugins.names.includes(ROLES_PLUGIN)) {
      if (perFunctionMode) return { unknown: `provider.iam.role.mode perFunction beside the ${ROLES_PLUGIN} plugin` };
      return legacy ? 'plugin' : 'shared';
    }
    if (fork && legacy) return { unknown: `role made by the plugin ${fork}, a fork lambdalint does not model` };
    const managed = get(fnRole, 'managedPolicies');
    const own = perFunctionMode || legacy || get(fnRole, 'statements') !== undefined || (managed !== undefined && !(managed.kind === 'seq' && managed.items!.length === 0));
    if (!own) return 'shared';
    const version = scalarString(get(this.cfg, 'frameworkVersion'));
    if (version !== undefined && /^\D*[0-3](\D|$)/.test(version)) {
      // v3 and older ignore per-function roles: the shared role, unless a plugin lambdalint cannot name may add one.
      return plugins.resolved ? 'shared' : { unknown: 'per-function role settings with a plugins list lambdalint cannot read' };
    }
    if (version === undefined && legacy && !perFunctionMode && get(f.node, 'iam') === undefined) {
      return { unknown: `iamRoleStatements without the ${ROLES_PLUGIN} plugin or a frameworkVersion (v4 makes a role of its own, v3 ignores them)` };
    }
    return 'v4';
  }

  /**
   * A synthetic role resource holding the user's statements, so the CloudFormation loader reads
   * them: the shared `IamRoleLambdaExecution`, or a function's own role. What the framework or the
   * plugin adds on its own comes later (addImplicitStatements, addDedicatedStatements).
   */
  private generatedRoleEntry(fn?: FunctionSpec, id = GENERATED_ROLE, flavour?: Dedicated, perFunctionMode = false): Entry {
    const iam = get(this.provider, 'iam');
    const roleCfg = get(iam, 'role');
    const fnIam = fn ? get(fn.node, 'iam') : undefined;
    const fnRole = get(fnIam, 'role');
    const legacy = fn ? entry(fn.node, 'iamRoleStatements') : undefined;
    const at = (fn ? (flavour === 'plugin' ? legacy : undefined) ?? entry(fnIam, 'role') ?? entry(fn.node, 'iam') ?? legacy ?? fn.entry : undefined) ?? entry(iam, 'role') ?? entry(this.provider, 'iam') ?? this.providerEntry ?? entry(this.cfg, 'service')!;
    const file = at.keyFile ?? at.value.file;
    const mk = (entries: Entry[]): TNode => ({ kind: 'map', file, start: at.keyStart, end: at.keyEnd, entries });
    const e = (key: string, value: TNode): Entry => ({ key, keyStart: at.keyStart, keyEnd: at.keyEnd, value, keyFile: file });
    const seq = (...nodes: (TNode | undefined)[]): TNode | undefined => {
      const present = nodes.filter((n): n is TNode => n !== undefined && !isNull(n));
      if (present.length <= 1) return present[0];
      // Lists from two places: one list of their items (an intrinsic in place of a list stays opaque).
      if (present.some((n) => n.kind !== 'seq')) return present.find((n) => n.kind !== 'seq');
      return { kind: 'seq', file, start: at.keyStart, end: at.keyEnd, items: present.flatMap((n) => n.items ?? []) };
    };
    const custom = get(get(this.cfg, 'custom'), ROLES_PLUGIN);
    const providerBoundary = get(roleCfg, 'permissionsBoundary') ?? get(roleCfg, 'permissionBoundary') ?? get(this.provider, 'rolePermissionsBoundary');
    let statements: TNode | undefined;
    let managed: TNode | undefined;
    let boundary: TNode | undefined;
    if (!fn) {
      // The shared role (merge-iam-templates.js): provider statements, managed policies, boundary.
      statements = get(roleCfg, 'statements') ?? get(this.provider, 'iamRoleStatements');
      managed = get(roleCfg, 'managedPolicies') ?? get(this.provider, 'iamManagedPolicies');
      boundary = providerBoundary;
    } else {
      // Both copy the provider's statements only when inheriting, from `provider.iam.role.statements`
      // when `provider.iam` exists, else from the legacy `provider.iamRoleStatements` (plugin
      // src/lib/index.ts lines 344-358; v4 roles-per-function.js lines 280-316).
      const inherit = this.inherits(fn, flavour!, perFunctionMode);
      const providerStatements = iam ? get(roleCfg, 'statements') : get(this.provider, 'iamRoleStatements');
      const own = flavour === 'v4' ? get(fnRole, 'statements') ?? legacy?.value : legacy?.value;
      statements = seq(inherit !== false ? providerStatements : undefined, own);
      // The plugin empties the managed policies of the role it copies (line 312); v4 keeps the
      // provider's only in perFunction mode (`preserveManagedPolicies`), and adds the function's.
      managed = flavour === 'v4' ? seq(perFunctionMode ? get(roleCfg, 'managedPolicies') : undefined, get(fnRole, 'managedPolicies')) : undefined;
      boundary = (flavour === 'v4' ? get(fnRole, 'permissionsBoundary') : undefined) ?? get(fn.node, 'iamPermissionsBoundary') ?? get(custom, 'iamGlobalPermissionsBoundary') ?? providerBoundary;
    }
    const props: Entry[] = [];
    if (statements) {
      props.push(e('Policies', { kind: 'seq', file, start: at.keyStart, end: at.keyEnd, items: [mk([e('PolicyName', scalar(file, at, 'lambda')), e('PolicyDocument', mk([e('Statement', statements)]))])] }));
    }
    if (managed) props.push(e('ManagedPolicyArns', managed));
    if (boundary) props.push(e('PermissionsBoundary', boundary));
    return e(id, mk([e('Type', scalar(file, at, 'AWS::IAM::Role')), e('Properties', mk(props))]));
  }

  /**
   * Whether a function's own role copies the provider's statements: true, false, or undefined when
   * a flag cannot be read. Plugin: `iamRoleStatementsInherit || (defaultInherit && iamRoleStatementsInherit !== false)`
   * (src/lib/index.ts line 344). v4: `iam.inheritStatements`, else `iamRoleStatementsInherit`, else
   * the plugin's `defaultInherit`, else true in perFunction mode and false otherwise
   * (roles-per-function.js lines 286-308).
   */
  private inherits(fn: FunctionSpec, flavour: Dedicated, perFunctionMode: boolean): boolean | undefined {
    const flag = (n: TNode | undefined): boolean | undefined | 'unknown' => {
      if (!n) return undefined;
      if (n.kind !== 'scalar' || (typeof n.value !== 'boolean' && n.value !== null)) return 'unknown';
      return n.value === null ? undefined : n.value;
    };
    const legacyFlag = flag(get(fn.node, 'iamRoleStatementsInherit'));
    const defaultFlag = flag(get(get(get(this.cfg, 'custom'), ROLES_PLUGIN), 'defaultInherit'));
    if (flavour === 'plugin') {
      if (legacyFlag === true) return true;
      if (legacyFlag === 'unknown' || defaultFlag === 'unknown') return undefined;
      return defaultFlag === true && legacyFlag !== false;
    }
    for (const f of [flag(get(get(fn.node, 'iam'), 'inheritStatements')), legacyFlag, defaultFlag]) {
      if (f === 'unknown') return undefined;
      if (f !== undefined) return f;
    }
    return perFunctionMode;
  }

  /** `resources:` (a map, or a list of maps from `${file(...)}`) as one template root. */
  private resourcesRoot(extras: Entry[]): TNode {
    const res = get(this.cfg, 'resources');
    const parts = res?.kind === 'seq' ? res.items!.filter((i) => i.kind === 'map') : res?.kind === 'map' ? [res] : [];
    const sections = new Map<string, Entry[]>();
    for (const p of parts) {
      for (const e of p.entries ?? []) {
        if (e.value.kind !== 'map') continue;
        const list = sections.get(e.key) ?? [];
        list.push(...(e.value.entries ?? []));
        sections.set(e.key, list);
      }
    }
    const ids = new Set(extras.map((x) => x.key));
    const resources = (sections.get('Resources') ?? []).filter((e) => !ids.has(e.key));
    for (const extra of extras) {
      if ((sections.get('Resources') ?? []).some((e) => e.key === extra.key)) {
        this.deployment.notes.push(`resources: ${extra.key} is extended in resources; its added properties are not modelled`);
      }
      resources.push(extra);
    }
    sections.set('Resources', resources);
    const base = res ?? this.cfg;
    const file = base.file;
    return {
      kind: 'map',
      file,
      start: base.start,
      end: base.end,
      entries: [...sections].map(([key, entries]) => ({ key, keyStart: base.start, keyEnd: base.start, value: { kind: 'map', file: base.file, start: base.start, end: base.end, entries } })),
    };
  }

  // ---- values -------------------------------------------------------------------------------------

  private str(node: TNode): Val<string> | undefined {
    const s = this.r.str(node);
    if (s.absent) return undefined;
    return toVal<string>(s, node);
  }

  private strAt(e: Entry | undefined, via: Via): Val<string> | undefined {
    if (!e) return undefined;
    const s = this.r.str(e.value);
    if (s.absent) return undefined;
    return this.withCopy(toVal<string>(s, e, via), e.value);
  }

  private numAt(e: Entry | undefined, via: Via): Val<number> | undefined {
    if (!e) return undefined;
    const n = this.r.num(e.value);
    if (n.value === undefined && !n.sym && n.raw === undefined) return undefined;
    const v = this.withCopy(toVal<number>(n, e, via), e.value);
    if (n.value === undefined && n.raw !== undefined) v.raw = n.raw;
    return v;
  }

  private listAt(e: Entry | undefined, via: Via): Val<Val<string>[]> | undefined {
    if (!e) return undefined;
    const l = this.r.list(e.value);
    if (l.absent) return undefined;
    const v = toVal<Val<string>[]>({ sym: l.sym }, e, via);
    if (l.value) {
      v.value = l.value.map((item) => {
        const iv: Val<string> = { origin: item.node ? { via, range: nodeRange(item.node) } : v.origin };
        if (item.value !== undefined) iv.value = item.value;
        else if (item.sym) iv.sym = item.sym;
        return iv;
      });
      delete v.sym;
    }
    return this.withCopy(v, e.value);
  }

  /** Notes where a value copied by a variable (`${self:custom.timeout}`) was written. */
  private withCopy<T>(v: Val<T>, node: TNode): Val<T> {
    const from = this.vars.copiedFrom.get(node);
    if (from && from.end > from.start && !v.origin.also) v.origin.also = { range: nodeRange(from), message: 'value set here' };
    return v;
  }

  /** The function's own key, else the provider's (via 'provider'). */
  private pick(fn: TNode, key: string, providerKey = key, providerNode = this.provider): { e: Entry; via: Via } | undefined {
    const own = entry(fn, key);
    if (own && !isNull(own.value)) return { e: own, via: 'direct' };
    const p = entry(providerNode, providerKey);
    if (p && !isNull(p.value)) return { e: p, via: 'provider' };
    return undefined;
  }

  // ---- functions ----------------------------------------------------------------------------------

  private loadFunction(spec: FunctionSpec, service: Val<string>, stage: string, roles: Map<string, Role>, providerRole: Entry | undefined, usesGenerated: boolean, ownRoleId?: string, unknownRole?: string): LambdaFunction {
    const { key, node } = spec;
    const origin: Origin = { via: 'direct', range: keyRange(spec.entry) };
    const val = <T>(p: { e: Entry; via: Via } | undefined, f: (e: Entry, via: Via) => Val<T> | undefined) => (p ? f(p.e, p.via) : undefined);
    const num = (k: string, pk = k) => val(this.pick(node, k, pk), (e, v) => this.numAt(e, v));
    const str = (k: string, pk = k) => val(this.pick(node, k, pk), (e, v) => this.strAt(e, v));

    const fn: LambdaFunction = {
      id: key,
      deployment: this.deployment,
      framework: 'serverless',
      origin,
      name: this.functionName(node, key, service, stage),
      runtime: str('runtime'),
      handler: this.strAt(entry(node, 'handler'), 'direct'),
      timeout: num('timeout'),
      memorySize: num('memorySize'),
      ephemeralStorage: num('ephemeralStorageSize'),
      packageType: get(node, 'image') ? 'Image' : 'Zip',
      code: this.code(node, origin),
      layers: this.layers(node),
      role: { origin },
      vpc: this.vpc(node),
      reservedConcurrency: this.numAt(entry(node, 'reservedConcurrency'), 'direct'),
      environment: {},
      meta: { serviceFile: this.relFile },
    };
    const arch = str('architecture');
    if (arch) fn.architectures = [arch];
    this.buildOf(node, fn);
    // docs/FACTS.md §5.4: a version is published on every deploy unless turned off; events still use $LATEST.
    const versioned = entry(node, 'versionFunction') ?? entry(this.provider, 'versionFunctions');
    fn.meta.versionFunctions = versioned && !truthy(versioned.value) ? 'false' : 'true';
    // docs/FACTS.md §5.1: `functionObject.tracing || provider.tracing.lambda`; `true` means Active.
    const tr = entry(node, 'tracing');
    const ptr = entry(get(this.provider, 'tracing'), 'lambda');
    const trPick = tr && truthy(tr.value) ? { e: tr, via: 'direct' as Via } : ptr && truthy(ptr.value) ? { e: ptr, via: 'provider' as Via } : undefined;
    if (trPick) {
      const t = trPick.e.value.kind === 'scalar' && trPick.e.value.value === true ? { value: 'Active', origin: { via: trPick.via, range: entryRange(trPick.e) } } : this.strAt(trPick.e, trPick.via);
      if (t) fn.tracing = t;
    } else if (this.plugins().names.includes('serverless-plugin-tracing')) this.pluginTracing(fn, node);
    for (const [src, via] of [[get(this.provider, 'environment'), 'provider'], [get(node, 'environment'), 'direct']] as const) {
      for (const e of src?.entries ?? []) {
        const v = this.strAt(e, via);
        if (v) fn.environment[e.key] = v;
        else delete fn.environment[e.key];
      }
    }
    const lg = this.strAt(entry(get(node, 'logs'), 'logGroup'), 'direct') ?? this.strAt(entry(get(get(this.provider, 'logs'), 'lambda'), 'logGroup'), 'provider');
    if (lg) fn.logGroup = lg;
    if (fn.packageType === 'Image') fn.code = { kind: 'image', directUpload: false, built: false, origin: this.originOf(entry(node, 'image')) ?? origin };

    // Role (docs/FACTS.md §5.3): the function's own role, the provider's, or the generated one.
    const own = entry(node, 'role');
    if (own) fn.role = this.roleRef(own, 'direct', roles);
    else if (ownRoleId && roles.has(ownRoleId)) {
      const r = roles.get(ownRoleId)!;
      fn.role = { roleId: ownRoleId, origin: { via: 'implicit', range: r.origin.range ?? origin.range, note: r.origin.note } };
    } else if (unknownRole !== undefined) {
      fn.role = { origin: this.originOf(entry(node, 'iamRoleStatements') ?? entry(node, 'iam')) ?? origin };
      notChecked(this.model, { fn: key, file: this.file, rules: ROLE_RULES, reason: unknownRole });
    } else if (providerRole) fn.role = this.roleRef(providerRole, 'provider', roles);
    else if (usesGenerated) fn.role = { roleId: GENERATED_ROLE, origin: { via: 'implicit', range: origin.range, note: 'role generated by the Serverless Framework' } };

    // Dead-letter target and async destinations.
    const onError = this.strAt(entry(node, 'onError'), 'direct');
    if (onError) fn.deadLetter = { kind: 'dead-letter', arn: onError, type: 'SNS' };
    const dests = this.destinations(node);
    if (dests.length) {
      const de = entry(node, 'destinations')!;
      this.model.invokeConfigs.push({ id: `${normalizedName(key)}LambdaEvConf`, deployment: this.deployment, target: this.target(key, node, this.originOf(de)!), destinations: dests, origin: this.originOf(de)! });
    }

    // Versions and aliases (docs/FACTS.md §5.4, §8.1).
    const alias = this.aliasOf(node, key);
    if (alias) {
      this.model.aliases.push({
        id: alias.id,
        deployment: this.deployment,
        name: { value: alias.name, origin: alias.origin },
        functionId: key,
        version: { value: 'published', origin: { ...alias.origin, via: 'implicit', note: `version published by the Serverless Framework for ${alias.name}` } },
        pointsToPublished: true,
        origin: alias.origin,
      });
    }

    // The log group the framework creates for every function (docs/FACTS.md §5.1).
    if (!truthy(get(node, 'disableLogs')) && !fn.logGroup && fn.name) {
      const nameText = fn.name.value ?? (fn.name.sym?.kind === 'expr' ? fn.name.sym.text : undefined);
      if (nameText !== undefined) {
        const groupName = `/aws/lambda/${nameText}`;
        const gv: Val<string> = nameText.includes('${') ? { sym: { kind: 'expr', key: `expr:${groupName}`, text: groupName }, origin: { via: 'implicit' } } : { value: groupName, origin: { via: 'implicit' } };
        this.model.logGroups.push({ id: `${normalizedName(key)}LogGroup`, deployment: this.deployment, name: gv, origin: { via: 'implicit', range: origin.range, note: 'log group created by the Serverless Framework' } });
      }
    }

    this.events(fn, node);
    this.model.functions.push(fn);
    return fn;
  }

  /**
   * serverless-plugin-tracing (v2.0.0, index.js `processTracing`): `provider.tracing: true` turns
   * tracing on for every function whose own `tracing` is not false, a function's `tracing: true`
   * for that function; Active or PassThrough. It finds the function by `name`, else by
   * `<service>-<stage>-<key>` with the stage of the `--stage` option only: deployed without it, a
   * function without a `name` is left as it is. It adds no X-Ray permission.
   */
  private pluginTracing(fn: LambdaFunction, node: TNode): void {
    const on = (n: TNode | undefined) => n?.kind === 'scalar' && (n.value === true || n.value === 'true');
    const off = (n: TNode | undefined) => n?.kind === 'scalar' && (n.value === false || n.value === 'false');
    const own = entry(node, 'tracing');
    const prov = entry(this.provider, 'tracing');
    const at = on(own?.value) ? own : on(prov?.value) && !off(own?.value) ? prov : undefined;
    if (!at) return;
    const origin: Origin = { via: at === own ? 'direct' : 'provider', range: entryRange(at), note: 'tracing set by serverless-plugin-tracing' };
    if (this.options.stage !== undefined || entry(node, 'name')) fn.tracing = { value: 'Active', origin };
    else {
      fn.tracing = { sym: { kind: 'param', key: `unknown:${fn.id}.tracing`, text: 'tracing set by serverless-plugin-tracing' }, origin };
      notChecked(this.model, { fn: fn.id, file: this.file, rules: ['xray-permission', 'tracing-disabled'], reason: 'serverless-plugin-tracing turns tracing on only when deployed with --stage' });
    }
  }

  private originOf(e: Entry | undefined, via: Via = 'direct'): Origin | undefined {
    return e ? { via, range: entryRange(e) } : undefined;
  }

  /** `name:` or the framework's `${service}-${stage}-${key}` (naming.js). */
  private functionName(node: TNode, key: string, service: Val<string>, stage: string): Val<string> | undefined {
    const own = this.strAt(entry(node, 'name'), 'direct');
    if (own) return own;
    const origin: Origin = { via: 'default', note: 'name given by the Serverless Framework' };
    if (service.value !== undefined) return { value: `${service.value}-${stage}-${key}`, origin };
    const text = `${service.sym?.kind === 'expr' ? service.sym.text : '${service}'}-${stage}-${key}`;
    return { sym: { kind: 'expr', key: `expr:${text}`, text }, origin };
  }

  /**
   * Which build turns the handler's sources into the package (`fn.meta.buildMethod`, read by the
   * code analysis): a bundler plugin (serverless-esbuild, serverless-webpack, serverless-bundle) or
   * serverless-plugin-typescript (tsc, dependencies packaged from node_modules); otherwise Framework
   * v4's built-in esbuild, which builds a function when `build: esbuild` / `build.esbuild` is set or,
   * with no `build` setting, when its handler file is TypeScript (`buildWhen: ts`, decided where the
   * file is looked for); `build.esbuild: false` and a prebuilt `package.artifact` turn it off.
   * Source: serverless/serverless packages/serverless/lib/plugins/esbuild/index.js
   * `_shouldBuildFunction`, and lib/classes/plugin-manager.js (those plugins require
   * `build.esbuild: false` in v4), main @ b9d7ea5; docs https://www.serverless.com/framework/docs/providers/aws/guide/building
   */
  private buildOf(node: TNode, fn: LambdaFunction): void {
    if (get(get(node, 'package'), 'artifact')) return;
    if (!truthy(get(get(node, 'package'), 'individually')) && get(get(this.cfg, 'package'), 'artifact')) return;
    const plugins = get(this.cfg, 'plugins');
    const list = plugins?.kind === 'map' ? get(plugins, 'modules') : plugins;
    const names = (list?.items ?? []).map((i) => scalarString(i)).filter((x): x is string => !!x);
    // Forks published under a scope (`@hewmen/serverless-plugin-typescript`) build the same way.
    const plugin = names.find((n) => n.replace(/^@[^/]+\//, '') in BUILD_PLUGINS);
    if (plugin) {
      fn.meta.buildMethod = BUILD_PLUGINS[plugin.replace(/^@[^/]+\//, '')];
      fn.meta.buildBy = plugin;
      return;
    }
    const version = scalarString(get(this.cfg, 'frameworkVersion'));
    if (version !== undefined && /^\D*[0-3](\D|$)/.test(version)) return; // built-in esbuild is v4's
    const build = get(this.cfg, 'build');
    const esb = get(build, 'esbuild');
    if (esb?.kind === 'scalar' && esb.value === false) return;
    if (get(node, 'build') !== undefined) {
      if (scalarString(get(node, 'build')) === 'esbuild') {
        fn.meta.buildMethod = 'esbuild';
        fn.meta.buildBy = 'the Framework (build: esbuild)';
      }
      return;
    }
    fn.meta.buildMethod = 'esbuild';
    if (scalarString(build) === 'esbuild' || (esb && truthy(esb))) {
      fn.meta.buildBy = 'the Framework (build.esbuild)';
    } else {
      fn.meta.buildWhen = 'ts';
      fn.meta.buildBy = 'the Framework (v4 builds TypeScript handlers with esbuild)';
    }
  }

  /** `package.artifact` (function, else service when not `individually`); otherwise packaged by the framework. */
  private code(node: TNode, fnOrigin: Origin): CodeLocation {
    const pkg = get(this.cfg, 'package');
    const ownArtifact = entry(get(node, 'package'), 'artifact');
    const individually = truthy(get(pkg, 'individually'));
    const svcArtifact = individually ? undefined : entry(pkg, 'artifact');
    const art = ownArtifact ?? svcArtifact;
    if (art) {
      const via: Via = ownArtifact ? 'direct' : 'provider';
      const origin: Origin = { via, range: entryRange(art) };
      const v = this.r.str(art.value);
      if (v.value === undefined) return { kind: 'unknown', directUpload: false, built: true, origin };
      if (/^(s3|https?):\/\//i.test(v.value)) return { kind: 's3', directUpload: false, built: true, origin };
      return { kind: /\.(zip|jar)$/i.test(v.value) ? 'local-zip' : 'unknown', path: path.resolve(path.dirname(this.file), v.value), directUpload: false, built: true, origin };
    }
    // The framework zips the service folder through `package.patterns` (and v4 bundles with esbuild),
    // then uploads through S3 (docs/FACTS.md §1.2): the patterns are not evaluated here, so the size is unknown.
    const pe = entry(get(node, 'package'), 'patterns') ?? entry(pkg, 'patterns') ?? entry(get(node, 'package'), 'include') ?? entry(pkg, 'include');
    // The handler is still found relative to the service folder; with serverless-python-requirements,
    // a function's `module:` is its own folder (requirements.txt included) and the root of its zip,
    // the handler relative to it (the plugin's README, "Per-function requirements").
    const mod = get(node, 'module');
    const modDir = mod?.kind === 'scalar' && typeof mod.value === 'string' && this.plugins().names.includes('serverless-python-requirements') ? mod.value : undefined;
    return {
      kind: 'local-dir',
      path: modDir ? path.resolve(path.dirname(this.file), modDir) : path.dirname(this.file),
      directUpload: false,
      built: false,
      unmeasured: 'packaged by the Serverless Framework through package.patterns',
      origin: this.originOf(pe) ?? fnOrigin,
    };
  }

  /** A layer of the service's `layers:`: its folder (`path`) is zipped as it is, or its prebuilt artifact. */
  private loadLayer(l: Entry): void {
    const origin: Origin = { via: 'direct', range: keyRange(l) };
    const art = entry(get(l.value, 'package'), 'artifact');
    const dir = entry(l.value, 'path');
    const at = art ?? dir;
    const v = at ? this.r.str(at.value).value : undefined;
    const codeOrigin = at ? { via: 'direct' as Via, range: entryRange(at) } : origin;
    let code: CodeLocation = { kind: 'unknown', directUpload: false, built: true, origin: codeOrigin };
    if (v !== undefined && /^(s3|https?):\/\//i.test(v)) code = { kind: 's3', directUpload: false, built: true, origin: codeOrigin };
    else if (v !== undefined && art) code = { kind: /\.(zip|jar)$/i.test(v) ? 'local-zip' : 'unknown', path: path.resolve(path.dirname(this.file), v), directUpload: false, built: true, origin: codeOrigin };
    else if (v !== undefined) code = { kind: 'local-dir', path: path.resolve(path.dirname(this.file), v), directUpload: false, built: true, origin: codeOrigin };
    this.model.layers.push({ id: `${normalizedName(l.key)}LambdaLayer`, deployment: this.deployment, code, origin });
  }

  private layers(node: TNode): LayerRef[] {
    const p = this.pick(node, 'layers');
    const l = p ? this.listAt(p.e, p.via) : undefined;
    return (l?.value ?? []).map((v) => (v.sym?.target && v.sym.resourceType === 'AWS::Lambda::LayerVersion' ? { target: v.sym.target, ref: v } : { ref: v }));
  }

  /** provider.vpc and functions.X.vpc merged key by key (docs/FACTS.md §5.4). */
  private vpc(node: TNode): VpcConfig | undefined {
    const own = entry(node, 'vpc');
    const prov = entry(this.provider, 'vpc');
    if ((!own || isNull(own.value)) && (!prov || isNull(prov.value))) return undefined;
    const cfg: VpcConfig = { origin: own && !isNull(own.value) ? { via: 'direct', range: entryRange(own) } : { via: 'provider', range: entryRange(prov!) } };
    // A whole `vpc` (or list) left as a variable that does not resolve (`${file(./vpc.yml):vpc}`,
    // `${ssm:/app/subnets}`) is an unknown list, not a missing one nor a list of one ID.
    const unresolved = (e: Entry | undefined, via: Via): Val<Val<string>[]> | undefined => {
      if (!e || (e.value.kind !== 'scalar' && !intrinsicKey(e.value))) return undefined;
      const s = this.r.str(e.value);
      return s.value === undefined && s.sym ? toVal<Val<string>[]>({ sym: s.sym }, e, via) : undefined;
    };
    const whole = own && !isNull(own.value) ? unresolved(own, 'direct') : undefined;
    if (whole) return { ...cfg, subnetIds: whole, securityGroupIds: whole };
    const provWhole = unresolved(prov, 'provider');
    const field = (k: string): Val<Val<string>[]> | undefined => {
      const p = this.pick(own?.value ?? ({ kind: 'map', file: node.file, start: 0, end: 0, entries: [] } as TNode), k, k, prov?.value);
      if (!p) return provWhole;
      return unresolved(p.e, p.via) ?? this.listAt(p.e, p.via);
    };
    cfg.subnetIds = field('subnetIds');
    cfg.securityGroupIds = field('securityGroupIds');
    return cfg;
  }

  private roleRef(e: Entry, via: Via, roles: Map<string, Role>): RoleRef {
    const origin: Origin = { via, range: entryRange(e) };
    const s = this.r.str(e.value);
    const t = s.sym?.target;
    if (t && roles.has(t)) return { roleId: t, origin };
    if (s.value !== undefined) {
      // A bare name is a logical id in `resources:` (the framework wraps it in Fn::GetAtt).
      if (roles.has(s.value)) return { roleId: s.value, origin };
      const name = /:role\/(?:.*\/)?([^/]+)$/.exec(s.value)?.[1];
      if (name) {
        for (const id of roles.keys()) {
          const res = this.r.scope.resources.get(id);
          if (res && this.r.str(get(get(res.node, 'Properties'), 'RoleName')).value === name) return { roleId: id, origin };
        }
      }
    }
    return { ref: toVal<string>(s, e, via), origin };
  }

  private destinations(node: TNode): Destination[] {
    const d = get(node, 'destinations');
    const out: Destination[] = [];
    for (const [k, kind] of [['onSuccess', 'on-success'], ['onFailure', 'on-failure']] as const) {
      const e = entry(d, k);
      if (!e) continue;
      const arnEntry = e.value.kind === 'map' && !intrinsicKey(e.value) ? entry(e.value, 'arn') : e;
      const arn = this.strAt(arnEntry, 'direct');
      if (!arn) continue;
      const type = scalarString(get(e.value, 'type')) ?? destType(arn);
      out.push({ kind, arn, type });
    }
    return out;
  }

  private aliasOf(node: TNode, fnKey: string): { id: string; name: string; origin: Origin } | undefined {
    const key = entry(node, 'provisionedConcurrency') ?? (truthy(get(node, 'snapStart')) ? entry(node, 'snapStart') : undefined) ?? entry(node, 'durableConfig');
    if (!key || isNull(key.value) || (key.key === 'provisionedConcurrency' && key.value.value === 0)) return undefined;
    const name = key.key === 'provisionedConcurrency' ? 'provisioned' : key.key === 'snapStart' ? 'snapstart' : 'durable';
    const suffix = key.key === 'provisionedConcurrency' ? 'ProvConcLambdaAlias' : key.key === 'snapStart' ? 'SnapStartLambdaAlias' : 'DurableLambdaAlias';
    return { id: `${normalizedName(fnKey)}${suffix}`, name, origin: { via: 'direct', range: entryRange(key) } };
  }

  /** Every event points at the unqualified function unless an alias is created (docs/FACTS.md §8.1). */
  private target(key: string, node: TNode, origin: Origin): FunctionTarget {
    const alias = this.aliasOf(node, key);
    return alias ? { functionId: key, qualifier: 'alias', aliasId: alias.id, origin } : { functionId: key, qualifier: 'unqualified', origin };
  }

  private events(fn: LambdaFunction, node: TNode): void {
    const list = get(node, 'events');
    for (const [i, item] of (list?.kind === 'seq' ? list.items! : []).entries()) {
      const ev = item.kind === 'map' ? item.entries?.[0] : undefined;
      if (!ev) continue;
      const type = ev.key;
      const origin: Origin = { via: 'direct', range: keyRange(ev) };
      const id = `${fn.id}.events[${i}]`;
      const label = `${type} event ${i + 1} of ${fn.id}`;
      const target = this.target(fn.id, node, origin);
      // `sqs: arn:...` and `sqs: !GetAtt Queue.Arn` are the short forms of `sqs: { arn: ... }`.
      const cfg = ev.value.kind === 'map' && intrinsicKey(ev.value) ? scalarNode(ev.value) : ev.value;
      const arnEntry = cfg.kind === 'map' ? entry(cfg, 'arn') : ev;
      const num = (k: string) => (cfg.kind === 'map' ? this.numAt(entry(cfg, k), 'direct') : undefined);
      const base = { id, deployment: this.deployment, target, origin, label };
      if (type === 'sqs') {
        const source = this.strAt(arnEntry, 'direct');
        const sourceKey = customerManagedQueueKey(this.r, source, (queue) => {
          const node = get(get(queue.node, 'Properties'), 'KmsMasterKeyId');
          return node ? this.str(node) : undefined;
        });
        const filtered = cfg.kind === 'map' && entry(cfg, 'filterPatterns') !== undefined;
        this.model.mappings.push({ ...base, kind: 'sqs', source, batchSize: num('batchSize'), batchingWindow: num('maximumBatchingWindow'), ...(sourceKey ? { sourceKey } : {}), ...(filtered ? { filtered: true } : {}) });
      } else if (type === 'stream') {
        const source = this.strAt(arnEntry, 'direct');
        this.model.mappings.push({ ...base, kind: streamKind(scalarString(get(cfg, 'type')), source), source, batchSize: num('batchSize'), batchingWindow: num('batchWindow'), destinations: this.streamDestinations(cfg) });
      } else if (type === 'msk') {
        this.model.mappings.push({ ...base, kind: 'msk', source: this.strAt(arnEntry, 'direct'), batchSize: num('batchSize'), batchingWindow: num('maximumBatchingWindow'), accessConfigs: this.accessConfigs(get(cfg, 'saslScram512') ? [['SASL_SCRAM_512_AUTH', entry(cfg, 'saslScram512')]] : []) });
      } else if (type === 'kafka') {
        const ac = get(cfg, 'accessConfigurations');
        const pairs: [string, Entry | undefined][] = [];
        const kinds: Record<string, string> = { vpcSubnet: 'VPC_SUBNET', vpcSecurityGroup: 'VPC_SECURITY_GROUP', saslPlainAuth: 'BASIC_AUTH', saslScram256Auth: 'SASL_SCRAM_256_AUTH', saslScram512Auth: 'SASL_SCRAM_512_AUTH', clientCertificateTlsAuth: 'CLIENT_CERTIFICATE_TLS_AUTH', serverRootCaCertificate: 'SERVER_ROOT_CA_CERTIFICATE' };
        for (const e of ac?.entries ?? []) if (kinds[e.key]) pairs.push(...this.listEntries(e).map((x): [string, Entry] => [kinds[e.key], x]));
        this.model.mappings.push({ ...base, kind: 'kafka', batchSize: num('batchSize'), batchingWindow: num('maximumBatchingWindow'), accessConfigs: this.accessConfigs(pairs) });
      } else if (type === 'activemq' || type === 'rabbitmq') {
        this.model.mappings.push({ ...base, kind: 'mq', source: this.strAt(arnEntry, 'direct'), batchSize: num('batchSize'), accessConfigs: this.accessConfigs([['BASIC_AUTH', entry(cfg, 'basicAuthArn')]]) });
      } else {
        // Push events: the framework adds the resource-based permission itself.
        const trigger: Trigger = { ...base, kind: PUSH[type] ?? 'other', implicitPermission: true };
        // An API event's own timeout setting (Framework v4 lets an http event raise the REST
        // integration timeout) is not modelled: the integration timeout is then unknown.
        const timeout = cfg.kind === 'map' ? entry(cfg, 'timeout') : undefined;
        if ((type === 'http' || type === 'httpApi' || type === 'websocket') && timeout) trigger.integrationTimeout = { sym: { kind: 'param', key: `unknown:${id}.timeout`, text: `${id}.timeout` }, origin: { via: 'direct', range: entryRange(timeout) } };
        if (type === 's3' || type === 'sns') this.pushSource(trigger, type, cfg, ev);
        this.model.triggers.push(trigger);
      }
    }
  }

  /**
   * The bucket or topic an s3 / sns event names, and its filter (s3 `rules`, sns `filterPolicy`),
   * for recursive-trigger. A bucket or topic given by name is one the framework creates with the
   * logical id `S3Bucket<Name>` / `SNSTopic<Name>` (naming.js `getBucketLogicalId`,
   * `getTopicLogicalId`: the name's letters and digits, first one upper-cased), so a `!Ref` to that
   * id is the same resource as the name.
   */
  private pushSource(trigger: Trigger, type: 's3' | 'sns', cfg: TNode, ev: Entry): void {
    const at = cfg.kind === 'map' ? (type === 's3' ? entry(cfg, 'bucket') : (entry(cfg, 'arn') ?? entry(cfg, 'topicName'))) : ev;
    const v = at ? this.strAt(at, 'direct') : undefined;
    if (!v) return;
    if (v.value !== undefined && !v.value.startsWith('arn:')) {
      const id = `${type === 's3' ? 'S3Bucket' : 'SNSTopic'}${normalizedAlnum(v.value)}`;
      v.sym = { kind: 'ref', key: `Ref:${id}`, text: `!Ref ${id}`, target: id, resourceType: type === 's3' ? 'AWS::S3::Bucket' : 'AWS::SNS::Topic' };
    }
    trigger.source = v;
    if (cfg.kind === 'map' && (entry(cfg, 'rules') || entry(cfg, 'filterPolicy'))) trigger.filtered = true;
  }

  private listEntries(e: Entry): Entry[] {
    if (e.value.kind !== 'seq') return [e];
    return e.value.items!.map((it) => ({ key: e.key, keyStart: it.start, keyEnd: it.end, value: it }));
  }

  private accessConfigs(pairs: [string, Entry | undefined][]): { type?: string; uri: Val<string> }[] | undefined {
    const out: { type?: string; uri: Val<string> }[] = [];
    for (const [type, e] of pairs) {
      const uri = this.strAt(e, 'direct');
      if (uri) out.push({ type, uri });
    }
    return out.length ? out : undefined;
  }

  private streamDestinations(cfg: TNode): Destination[] | undefined {
    const e = entry(get(cfg, 'destinations'), 'onFailure');
    if (!e) return undefined;
    const arnEntry = e.value.kind === 'map' && !intrinsicKey(e.value) ? entry(e.value, 'arn') : e;
    const arn = this.strAt(arnEntry, 'direct');
    if (!arn) return undefined;
    return [{ kind: 'on-failure', arn, type: scalarString(get(e.value, 'type')) ?? destType(arn) }];
  }

  // ---- the generated role -------------------------------------------------------------------------

  /** What the framework adds to IamRoleLambdaExecution on its own (docs/FACTS.md §5.1, §5.2). */
  private addImplicitStatements(role: Role, loaded: { fn: LambdaFunction; spec: FunctionSpec }[], service: Val<string>, stage: string): void {
    const ids = new Set(loaded.map((l) => l.fn.id));
    const providerRange = this.providerEntry ? keyRange(this.providerEntry) : undefined;
    const docs: PolicyDocument[] = [];
    const add = (note: string, range: Origin['range'], stmts: { actions: string[]; resources: Val<string>[]; effect?: Statement['effect'] }[]) => {
      const origin: Origin = { via: 'implicit', range, note };
      const statements: Statement[] = stmts.map((s) => ({
        effect: s.effect ?? 'Allow',
        actions: s.actions.map((a) => ({ value: a, origin })),
        resources: s.resources.map((r) => ({ ...r, origin })),
        hasCondition: false,
        origin,
      }));
      docs.push({ name: `${service.value ?? 'service'}-${stage}-lambda`, statements, complete: true, origin });
    };
    const text = (t: string): Val<string> => (t.includes('${') ? { sym: { kind: 'expr', key: `expr:${t}`, text: t }, origin: { via: 'implicit' } } : { value: t, origin: { via: 'implicit' } });
    const star = text('*');
    const svc = service.value ?? (service.sym?.kind === 'expr' ? service.sym.text : '${service}');
    const prefix = `${svc}-${stage}`;

    // Logs: one pattern for canonically named functions, one per custom-named function.
    const groups: string[] = [];
    let canonical = false;
    for (const { fn } of loaded) {
      const group = fn.logGroup ? fn.logGroup.value ?? (fn.logGroup.sym?.kind === 'expr' ? fn.logGroup.sym.text : undefined) : undefined;
      if (fn.logGroup) {
        if (group !== undefined) groups.push(group);
        else role.complete = false;
        continue;
      }
      const name = fn.name?.value ?? (fn.name?.sym?.kind === 'expr' ? fn.name.sym.text : undefined);
      if (name !== undefined && name.startsWith(prefix)) canonical = true;
      else if (name !== undefined) groups.push(`/aws/lambda/${name}`);
      else role.complete = false;
    }
    const logGroups = [...(canonical ? [`/aws/lambda/${prefix}*`] : []), ...new Set(groups)];
    if (logGroups.length) {
      add('added by the Serverless Framework for the functions\' logs', providerRange, [
        { actions: ['logs:CreateLogStream', 'logs:CreateLogGroup', 'logs:TagResource'], resources: logGroups.map((g) => text(`${LOGS_ARN}${g}:*`)) },
        { actions: ['logs:PutLogEvents'], resources: logGroups.map((g) => text(`${LOGS_ARN}${g}:*:*`)) },
      ]);
    }
    for (const { fn, spec } of loaded) {
      const dl = entry(spec.node, 'disableLogs');
      if (dl && truthy(dl.value) && fn.name?.value?.startsWith(prefix)) {
        add(`added by the Serverless Framework for disableLogs of ${fn.id}`, entryRange(dl), [{ effect: 'Deny', actions: ['logs:PutLogEvents'], resources: [text(`${LOGS_ARN}/aws/lambda/${fn.name.value}:*`)] }]);
      }
    }

    // Events of every function (v3 pushes them to the shared role whatever role the function uses).
    for (const m of this.model.mappings.filter((x) => x.deployment === this.deployment && ids.has(x.target.functionId ?? ''))) {
      const fnId = m.target.functionId ?? '';
      const source = m.source;
      const note = `added by the Serverless Framework for the ${m.label.replace(/ event \d+ of .*$/, '')} event of ${fnId}`;
      const range = m.origin.range;
      const arn = (v: Val<string> | undefined) => (v ? [v] : []);
      if (m.kind === 'sqs' && source) add(note, range, [{ actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'], resources: [source] }]);
      else if (m.kind === 'dynamodb' && source) add(note, range, [{ actions: ['dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:DescribeStream', 'dynamodb:ListStreams'], resources: [source] }]);
      else if (m.kind === 'kinesis' && source) {
        const ev = this.eventNode(m.id);
        const consumer = ev ? entry(ev, 'consumer') : undefined;
        if (consumer && truthy(consumer.value)) {
          add(note, range, [{ actions: ['kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:DescribeStreamSummary', 'kinesis:ListShards'], resources: [source] }]);
          const c = this.strAt(consumer, 'direct');
          if (c && c.value !== 'true' && typeof consumer.value.value !== 'boolean') add(note, range, [{ actions: ['kinesis:SubscribeToShard'], resources: [c] }]);
          else role.complete = false; // the consumer the framework creates: its ARN is not modelled
        } else add(note, range, [{ actions: ['kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:DescribeStream', 'kinesis:ListStreams'], resources: [source] }]);
      } else if (m.kind === 'msk' && source) {
        add(note, range, [
          { actions: ['kafka:DescribeCluster', 'kafka:GetBootstrapBrokers'], resources: [source] },
          { actions: EC2_ACTIONS, resources: [star] },
        ]);
      } else if (m.kind === 'kafka') {
        const secrets = (m.accessConfigs ?? []).filter((a) => a.type && /AUTH$/.test(a.type)).map((a) => a.uri);
        const hasVpc = (m.accessConfigs ?? []).some((a) => a.type === 'VPC_SUBNET') && (m.accessConfigs ?? []).some((a) => a.type === 'VPC_SECURITY_GROUP');
        const stmts = [...(secrets.length ? [{ actions: ['secretsmanager:GetSecretValue'], resources: secrets }] : []), ...(hasVpc ? [{ actions: EC2_ACTIONS, resources: [star] }] : [])];
        if (stmts.length) add(note, range, stmts);
      } else if (m.kind === 'mq') {
        const secrets = (m.accessConfigs ?? []).map((a) => a.uri);
        add(note, range, [
          { actions: EC2_ACTIONS, resources: [star] },
          ...(secrets.length ? [{ actions: ['secretsmanager:GetSecretValue'], resources: secrets }] : []),
          ...(source ? [{ actions: ['mq:DescribeBroker'], resources: arn(source) }] : []),
        ]);
      }
      for (const d of m.destinations ?? []) {
        if (d.type === 'sns') add(`${note} (on-failure destination)`, range, [{ actions: ['sns:Publish'], resources: [d.arn] }]);
        else if (d.type === 'sqs') add(`${note} (on-failure destination)`, range, [{ actions: ['sqs:ListQueues', 'sqs:SendMessage'], resources: [d.arn] }]);
        else role.complete = false;
      }
    }

    // A websocket event on any function: the API's @connections for the shared role, unless the
    // API is an existing one (compile/events/websockets/lib/api.js `compileApi`, v3.40.0 and v4).
    const ws = this.functionSpecs().map((f) => (get(f.node, 'events')?.items ?? []).map((i) => entry(i, 'websocket')).find((e) => e !== undefined)).find((e) => e !== undefined);
    if (ws && get(get(this.provider, 'apiGateway'), 'websocketApiId') === undefined) {
      add('added by the Serverless Framework for websocket events', keyRange(ws), [{ actions: ['execute-api:ManageConnections'], resources: [text('arn:${AWS::Partition}:execute-api:*:*:*/@connections/*')] }]);
    }

    // Tracing, VPC, dead-letter topics, destinations, KMS (compile/functions.js).
    const ptr = entry(get(this.provider, 'tracing'), 'lambda');
    const traced = loaded.find(({ spec }) => truthy(get(spec.node, 'tracing')));
    if ((ptr && truthy(ptr.value)) || traced) {
      const at = ptr && truthy(ptr.value) ? ptr : entry(traced!.spec.node, 'tracing')!;
      add('added by the Serverless Framework for tracing', entryRange(at), [{ actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], resources: [star] }]);
    }
    const pvpc = entry(this.provider, 'vpc');
    const fvpc = loaded.map(({ spec }) => entry(spec.node, 'vpc')).find((e) => e !== undefined);
    const vpcAt = pvpc ?? fvpc;
    if (vpcAt) {
      role.managedPolicyArns.push({ value: 'arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole', origin: { via: 'implicit', range: entryRange(vpcAt), note: 'added by the Serverless Framework for vpc' } });
    }
    for (const { fn, spec } of loaded) {
      if (fn.deadLetter) add(`added by the Serverless Framework for onError of ${fn.id}`, fn.deadLetter.arn.origin.range, [{ actions: ['sns:Publish'], resources: [fn.deadLetter.arn] }]);
      const kms = this.strAt(entry(spec.node, 'kmsKeyArn'), 'direct') ?? this.strAt(entry(this.provider, 'kmsKeyArn'), 'provider');
      if (kms) add(`added by the Serverless Framework for kmsKeyArn of ${fn.id}`, kms.origin.range, [{ actions: ['kms:Decrypt'], resources: [kms] }]);
    }
    for (const c of this.model.invokeConfigs.filter((x) => x.deployment === this.deployment && ids.has(x.target.functionId ?? ''))) {
      for (const d of c.destinations) {
        const actions: Record<string, string> = { function: 'lambda:InvokeFunction', sqs: 'sqs:SendMessage', sns: 'sns:Publish', eventBus: 'events:PutEvents' };
        const action = d.type ? actions[d.type] : undefined;
        if (action) add(`added by the Serverless Framework for destinations of ${c.target.functionId}`, d.arn.origin.range, [{ actions: [action], resources: [d.arn] }]);
        else role.complete = false;
      }
    }
    role.inline.unshift(...docs);
  }

  /**
   * What the serverless-iam-roles-per-function plugin (v3.2.0, src/lib/index.ts
   * `createRoleForFunction`, lines 298-342) or Framework v4 (roles-per-function-permissions.js)
   * puts on a function's own role besides the user's statements.
   *
   * The plugin copies the shared role, empties its statements and managed policies, then adds:
   * logs:CreateLogStream, logs:CreateLogGroup and logs:PutLogEvents on `/aws/lambda/<name>:*:*`
   * (its own group by the default name, whatever `logs.logGroup` says); the VPC managed policy when
   * the function or the provider has a `vpc`; the four read actions per DynamoDB or Kinesis stream
   * (none for a Kinesis consumer, none for a stream's on-failure destination); the three SQS
   * actions per queue; sns:Publish for `onError`. It adds nothing for tracing (no X-Ray), kmsKeyArn,
   * destinations, MSK, Kafka, MQ or websockets, and drops the provider's managed policies.
   *
   * v4 adds all of that with the group resolved from `logs.logGroup`, and also: a Deny of
   * logs:PutLogEvents with `disableLogs`, the durable-execution managed policy, Kinesis consumer
   * and stream on-failure statements, execute-api:ManageConnections for websockets, MQ, Kafka and
   * MSK statements, CloudFront (Lambda@Edge) logs, X-Ray when traced, kms:Decrypt for kmsKeyArn,
   * EFS mount actions and async destinations.
   */
  private addDedicatedStatements(role: Role, { fn, spec }: { fn: LambdaFunction; spec: FunctionSpec }, flavour: Dedicated, perFunctionMode: boolean): void {
    const by = flavour === 'plugin' ? ROLES_PLUGIN : 'the Serverless Framework';
    const docs: PolicyDocument[] = [];
    const add = (what: string, range: Origin['range'], stmts: { actions: string[]; resources: Val<string>[]; effect?: Statement['effect'] }[]) => {
      const origin: Origin = { via: 'implicit', range, note: `added by ${by} for ${what}` };
      const statements: Statement[] = stmts.map((st) => ({
        effect: st.effect ?? 'Allow',
        actions: st.actions.map((a) => ({ value: a, origin })),
        resources: st.resources.map((r) => ({ ...r, origin })),
        hasCondition: false,
        origin,
      }));
      docs.push({ name: 'lambda', statements, complete: true, origin });
    };
    const text = (t: string): Val<string> => (t.includes('${') ? { sym: { kind: 'expr', key: `expr:${t}`, text: t }, origin: { via: 'implicit' } } : { value: t, origin: { via: 'implicit' } });
    const asText = (v: Val<string> | undefined): string | undefined => v?.value ?? (v?.sym?.kind === 'expr' ? v.sym.text : undefined);
    const node = spec.node;
    const fnRange = fn.origin.range;
    const v4 = flavour === 'v4';
    if (this.inherits(spec, flavour, perFunctionMode) === undefined) {
      role.complete = false;
      notChecked(this.model, { fn: fn.id, file: this.file, rules: ROLE_RULES, reason: 'whether its role inherits the provider\'s statements is not known' });
    }

    // Logs: the function's group by its default name (plugin), or the resolved group (v4).
    const name = asText(fn.name);
    const group = v4 && fn.logGroup ? asText(fn.logGroup) : name !== undefined ? `/aws/lambda/${name}` : undefined;
    if (group === undefined) role.complete = false;
    else {
      const logs = text(`${LOGS_ARN}${group}:*:*`);
      add(`the logs of ${fn.id}`, fnRange, [{ actions: ['logs:CreateLogStream', 'logs:CreateLogGroup', 'logs:PutLogEvents'], resources: [logs] }]);
      const dl = entry(node, 'disableLogs');
      if (v4 && dl && truthy(dl.value)) add(`disableLogs of ${fn.id}`, entryRange(dl), [{ effect: 'Deny', actions: ['logs:PutLogEvents'], resources: [logs] }]);
    }
    const managed = (policy: string, what: string, at: Entry) => role.managedPolicyArns.push({ value: `arn:aws:iam::aws:policy/${policy}`, origin: { via: 'implicit', range: entryRange(at), note: `added by ${by} for ${what}` } });
    const vpcAt = [entry(node, 'vpc'), entry(this.provider, 'vpc')].find((e) => e !== undefined && !isEmptyNode(e.value));
    if (vpcAt) managed('service-role/AWSLambdaVPCAccessExecutionRole', 'vpc', vpcAt);
    const durable = entry(node, 'durableConfig');
    if (v4 && durable && truthy(durable.value)) managed('service-role/AWSLambdaBasicDurableExecutionRolePolicy', 'durableConfig', durable);

    // Event sources of this function.
    const star = text('*');
    for (const m of this.model.mappings.filter((x) => x.deployment === this.deployment && x.target.functionId === fn.id && /\.events\[\d+\]$/.test(x.id))) {
      const what = `the ${m.label.replace(/ event \d+ of .*$/, '')} event of ${fn.id}`;
      const range = m.origin.range;
      const source = m.source;
      if (m.kind === 'sqs') {
        if (source) add(what, range, [{ actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'], resources: [source] }]);
        else role.complete = false;
      } else if (m.kind === 'dynamodb' && source) add(what, range, [{ actions: ['dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:DescribeStream', 'dynamodb:ListStreams'], resources: [source] }]);
      else if (m.kind === 'kinesis' && source) {
        const consumer = v4 ? entry(this.eventNode(m.id), 'consumer') : undefined;
        if (consumer && truthy(consumer.value)) {
          add(what, range, [{ actions: ['kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:DescribeStreamSummary', 'kinesis:ListShards'], resources: [source] }]);
          const c = typeof consumer.value.value === 'boolean' ? undefined : this.strAt(consumer, 'direct');
          if (c) add(what, range, [{ actions: ['kinesis:SubscribeToShard'], resources: [c] }]);
          else role.complete = false; // the consumer the framework creates: its ARN is not modelled
        } else add(what, range, [{ actions: ['kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:DescribeStream', 'kinesis:ListStreams'], resources: [source] }]);
      } else if (m.kind === 'dynamodb' || m.kind === 'kinesis' || m.kind === 'unknown') role.complete = false;
      else if (!v4) continue; // the plugin adds nothing for MSK, Kafka or MQ
      else if (m.kind === 'msk') {
        add(what, range, [...(source ? [{ actions: ['kafka:DescribeCluster', 'kafka:GetBootstrapBrokers'], resources: [source] }] : []), { actions: EC2_ACTIONS, resources: [star] }]);
      } else if (m.kind === 'kafka') {
        const ac = m.accessConfigs ?? [];
        const secrets = ac.filter((a) => a.type !== 'VPC_SUBNET' && a.type !== 'VPC_SECURITY_GROUP').map((a) => a.uri);
        const vpc = ac.some((a) => a.type === 'VPC_SUBNET' || a.type === 'VPC_SECURITY_GROUP');
        const stmts = [...(secrets.length ? [{ actions: ['secretsmanager:GetSecretValue'], resources: secrets }] : []), ...(vpc ? [{ actions: EC2_ACTIONS, resources: [star] }] : [])];
        if (stmts.length) add(what, range, stmts);
      } else if (m.kind === 'mq') {
        const secrets = (m.accessConfigs ?? []).map((a) => a.uri);
        add(what, range, [...(secrets.length ? [{ actions: ['secretsmanager:GetSecretValue'], resources: secrets }] : []), ...(source ? [{ actions: ['mq:DescribeBroker'], resources: [source] }] : []), { actions: EC2_ACTIONS, resources: [star] }]);
      }
      if (!v4) continue;
      // v4 only: a stream's on-failure destination (SNS, else SQS).
      for (const d of m.destinations ?? []) {
        add(`${what} (on-failure destination)`, range, [d.type === 'sns' ? { actions: ['sns:Publish'], resources: [d.arn] } : { actions: ['sqs:ListQueues', 'sqs:SendMessage'], resources: [d.arn] }]);
      }
    }
    if (fn.deadLetter) add(`onError of ${fn.id}`, fn.deadLetter.arn.origin.range, [{ actions: ['sns:Publish'], resources: [fn.deadLetter.arn] }]);
    if (v4) {
      const events = get(node, 'events')?.items ?? [];
      const eventOf = (type: string) => events.map((i) => entry(i, type)).find((e) => e !== undefined);
      const ws = eventOf('websocket');
      if (ws) add(`the websocket event of ${fn.id}`, keyRange(ws), [{ actions: ['execute-api:ManageConnections'], resources: [text('arn:${AWS::Partition}:execute-api:*:*:*/@connections/*')] }]);
      const cf = eventOf('cloudFront');
      if (cf) add(`the cloudFront event of ${fn.id}`, keyRange(cf), [{ actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:TagResource'], resources: [text('arn:${AWS::Partition}:logs:*:*:*')] }]);
      if (fn.tracing) add(`tracing of ${fn.id}`, fn.tracing.origin.range, [{ actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], resources: [star] }]);
      const kms = this.strAt(entry(node, 'kmsKeyArn'), 'direct') ?? this.strAt(entry(this.provider, 'kmsKeyArn'), 'provider');
      if (kms) add(`kmsKeyArn of ${fn.id}`, kms.origin.range, [{ actions: ['kms:Decrypt'], resources: [kms] }]);
      const efs = this.strAt(entry(get(node, 'fileSystemConfig'), 'arn'), 'direct');
      if (efs) add(`fileSystemConfig of ${fn.id}`, efs.origin.range, [{ actions: /:s3files:/.test(asText(efs) ?? '') ? ['s3files:ClientMount', 's3files:ClientWrite'] : ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'], resources: [efs] }]);
      for (const c of this.model.invokeConfigs.filter((x) => x.deployment === this.deployment && x.target.functionId === fn.id)) {
        for (const d of c.destinations) {
          const actions: Record<string, string> = { function: 'lambda:InvokeFunction', sqs: 'sqs:SendMessage', sns: 'sns:Publish', eventBus: 'events:PutEvents' };
          const action = d.type ? actions[d.type] : undefined;
          if (action) add(`destinations of ${fn.id}`, d.arn.origin.range, [{ actions: [action], resources: [d.arn] }]);
          else role.complete = false;
        }
      }
    }
    role.inline.unshift(...docs);
  }

  private eventNode(mappingId: string): TNode | undefined {
    const m = /^(.*)\.events\[(\d+)\]$/.exec(mappingId);
    if (!m) return undefined;
    const spec = this.functionSpecs().find((f) => f.key === m[1]);
    const item = get(spec?.node, 'events')?.items?.[Number(m[2])];
    const v = item?.entries?.[0]?.value;
    return v?.kind === 'map' ? v : undefined;
  }
}

function scalar(file: TNode['file'], at: Entry, value: string): TNode {
  return { kind: 'scalar', file, start: at.keyStart, end: at.keyEnd, value };
}

/** A placeholder scalar standing for an intrinsic given where a map of options may also stand. */
function scalarNode(n: TNode): TNode {
  return { kind: 'scalar', file: n.file, start: n.start, end: n.end, value: null };
}

/** lodash `isEmpty` of a config value: null, an empty string, list or map. */
function isEmptyNode(n: TNode): boolean {
  if (n.kind === 'scalar') return !(typeof n.value === 'string' && n.value !== '');
  return n.kind === 'seq' ? (n.items ?? []).length === 0 : (n.entries ?? []).length === 0;
}

/** Plugins that build a service's handlers, and how: a bundle, or TypeScript compiled file by file. */
const BUILD_PLUGINS: Record<string, string> = {
  'serverless-esbuild': 'esbuild',
  'serverless-webpack': 'webpack',
  'serverless-bundle': 'webpack',
  'serverless-plugin-typescript': 'tsc',
};

function isNull(n: TNode): boolean {
  return n.kind === 'scalar' && n.value === null;
}

function truthy(n: TNode | undefined): boolean {
  if (!n) return false;
  if (n.kind !== 'scalar') return true;
  return n.value !== null && n.value !== false && n.value !== 0 && n.value !== '' && n.value !== 'false';
}

function streamKind(type: string | undefined, source: Val<string> | undefined): EventSourceKind {
  if (type === 'dynamodb' || type === 'kinesis') return type;
  const rt = source?.sym?.resourceType;
  if (rt === 'AWS::DynamoDB::Table') return 'dynamodb';
  if (rt === 'AWS::Kinesis::Stream' || rt === 'AWS::Kinesis::StreamConsumer') return 'kinesis';
  const svc = /^arn:[^:]+:([a-z0-9-]+):/.exec(source?.value ?? (source?.sym?.kind === 'expr' ? source.sym.text : ''))?.[1];
  return svc === 'dynamodb' ? 'dynamodb' : svc === 'kinesis' ? 'kinesis' : 'unknown';
}

/** The kind of a destination ARN the way the framework tells them apart (compile/functions.js). */
function destType(arn: Val<string>): string | undefined {
  const t = arn.value ?? (arn.sym?.kind === 'expr' ? arn.sym.text : '');
  if (arn.sym?.resourceType) {
    const rt = arn.sym.resourceType;
    const kind = resourceType(rt)?.destination;
    return kind === 's3' ? undefined : kind;
  }
  if (/:sqs:/.test(t)) return 'sqs';
  if (/:sns:/.test(t)) return 'sns';
  if (/:event-bus\//.test(t)) return 'eventBus';
  if (/:function:/.test(t) || (arn.value !== undefined && !t.startsWith('arn:'))) return 'function';
  return undefined;
}

/**
 * Strings still holding an unresolved Serverless variable become `Fn::Sub` expressions, so the
 * CloudFormation resolver keeps them symbolic (an unknown part of an ARN, a timeout nobody can know).
 */
function cfnify(node: TNode, vars: ServerlessVariables, underSub: boolean, depth = 0): TNode {
  if (depth > 400) return node;
  if (node.kind === 'scalar') {
    if (!underSub && vars.symbolic.has(node)) {
      return { kind: 'map', file: node.file, start: node.start, end: node.end, entries: [{ key: 'Fn::Sub', keyStart: node.start, keyEnd: node.start, value: node }] };
    }
    return node;
  }
  if (node.kind === 'seq') {
    const items = node.items!.map((i) => cfnify(i, vars, underSub, depth + 1));
    return items.every((x, i) => x === node.items![i]) ? node : { ...node, items };
  }
  const entries = node.entries!.map((e) => {
    const v = cfnify(e.value, vars, e.key === 'Fn::Sub', depth + 1);
    return v === e.value ? e : { ...e, value: v };
  });
  return entries.every((x, i) => x === node.entries![i]) ? node : { ...node, entries };
}

export interface ServiceFileResult {
  /** Where and why the file could not be parsed. */
  parseError?: { message: string; range: SourceRange };
  /** Whether a service was loaded into the model. */
  loaded: boolean;
  /** Keys written twice in one mapping of a YAML or JSON service file. */
  duplicates?: DuplicateKey[];
}

/** Reads, parses and loads one service file. Throws only on lambdalint's own bugs. */
export function loadServiceFile(file: string, text: string, model: Model, options: ServerlessLoadOptions): ServiceFileResult {
  const parsed: ScriptParseResult = /\.[cm]?[jt]s$/.test(file) ? parseServerlessScript(file, text) : parseSource(file, text);
  if (!parsed.ok) return { parseError: parsed.error, loaded: false };
  const loaded = loadServerless(parsed.root, model, options, parsed.dynamic) !== undefined;
  return { loaded, duplicates: loaded && /\.(ya?ml|json)$/i.test(file) ? duplicateKeys(parsed.root) : undefined };
}
