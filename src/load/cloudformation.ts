// The CloudFormation reader: CloudFormation, SAM and synthesized CDK templates → the model. It reads
// parameters, conditions and every resource type lambdalint models; the SAM transform's implicit
// behaviour (Globals, the generated role, events, AutoPublishAlias) is in ./sam.ts, modelled from
// docs/FACTS.md §4, without running the SAM translator; roles and policies are read by
// ./cloudformation-iam.ts, triggers and API Gateway integrations by ./cloudformation-triggers.ts.
//
// Over 600 lines because: one TemplateLoader holds the resolver and the value readers (props,
// strVal, target, roleRef) every reader borrows, and reads functions, mappings, permissions,
// aliases, invoke configs, layers, queues, subnets and SAM connectors itself.
import path from 'node:path';
import { entry, entryRange, get, keyRange, nodeRange, type Entry, type TNode } from '../source/parse.js';
import {
  CfnResolver,
  scalarString,
  toVal,
  type CfnScope,
  type ParameterInfo,
  type ResourceInfo,
} from '../values/cfn.js';
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
  Role,
  RoleRef,
  SourceRange,
  Statement,
  Subnet,
  Symbolic,
  Val,
  Via,
  VpcConfig,
} from '../model/types.js';
import { productionFromFolders, isProductionName, STAGE_PARAMETER } from '../model/production.js';
import { sourceKindOf } from '../model/resource-types.js';
import { lookupBy } from '../model/lookup.js';
import { CONNECTOR_ARN, CONNECTOR_PROFILES, CONNECTOR_TYPE } from './sam-connector-profiles.js';
import { loadSamFunction } from './sam.js';
import { loadManagedPolicy, loadPolicy, loadRole } from './cloudformation-iam.js';
import {
  loadBucket,
  loadCdkBucketNotifications,
  loadDefinitionIntegrations,
  loadFunctionUrl,
  loadRestMethod,
  loadRule,
  loadSubscription,
  loadSubscriptionFilter,
  loadTopic,
  loadTopicRule,
  loadV2Integration,
} from './cloudformation-triggers.js';

export interface TemplateLoadOptions {
  cwd: string;
  /** Stage the user named (`--stage`): overrides a Stage-like parameter. */
  stage?: string;
  productionNames: readonly string[];
  /** Parameter values from samconfig.toml or the command line. */
  parameterOverrides?: Record<string, string>;
  /** The stack's name, when known (samconfig.toml `stack_name`, the CDK stack): `${AWS::StackName}`. */
  stackName?: string;
  /** Set for stacks read from a cloud assembly. */
  cdk?: { assemblyDir: string; stackName: string };
  /**
   * Load into this deployment instead of a new one (the `resources:` of a Serverless service):
   * no production check, no deployment of its own.
   */
  into?: Deployment;
  /**
   * Resources the framework generates outside this template (a Serverless function's
   * `<Name>LambdaFunction`): references to them resolve, they are not loaded from here, and a
   * reference to a function maps to its id in the model.
   */
  external?: Map<string, { type: string; functionId?: string }>;
}

const SAM_TRANSFORM = /^AWS::Serverless-\d{4}-\d{2}-\d{2}$/;

export function isTemplateRoot(root: TNode): boolean {
  if (root.kind !== 'map') return false;
  const resources = get(root, 'Resources');
  if (get(root, 'AWSTemplateFormatVersion') !== undefined && resources) return true;
  if (!resources || resources.kind !== 'map') return false;
  return (resources.entries ?? []).some((e) => {
    const t = scalarString(get(e.value, 'Type'));
    return t !== undefined && /^(AWS|Custom|Alexa)::/.test(t);
  });
}

function transforms(root: TNode): string[] {
  const t = get(root, 'Transform');
  if (!t) return [];
  if (t.kind === 'scalar') return t.value === null ? [] : [String(t.value)];
  if (t.kind === 'seq') return t.items!.map((i) => scalarString(i) ?? '').filter(Boolean);
  return [];
}

export function loadTemplate(root: TNode, model: Model, options: TemplateLoadOptions): Deployment | undefined {
  if (!options.into && !isTemplateRoot(root)) return undefined;
  const file = root.file.path;
  const isSam = transforms(root).some((t) => SAM_TRANSFORM.test(t));
  const framework = options.cdk ? 'cdk' : isSam ? 'sam' : 'cloudformation';

  const scope: CfnScope = {
    parameters: new Map(),
    conditions: new Map(),
    mappings: get(root, 'Mappings'),
    resources: new Map(),
  };
  for (const e of get(root, 'Parameters')?.entries ?? []) {
    const p: ParameterInfo = {
      name: e.key,
      entry: e,
      type: scalarString(get(e.value, 'Type')),
      defaultEntry: entry(e.value, 'Default'),
    };
    const override = options.parameterOverrides?.[e.key];
    if (override !== undefined) p.override = override;
    else if (options.stage !== undefined && STAGE_PARAMETER.test(e.key)) p.override = options.stage;
    scope.parameters.set(e.key, p);
  }
  for (const e of get(root, 'Conditions')?.entries ?? []) scope.conditions.set(e.key, e.value);
  for (const e of get(root, 'Resources')?.entries ?? []) {
    const type = scalarString(get(e.value, 'Type'));
    if (type) scope.resources.set(e.key, { id: e.key, type, entry: e, node: e.value });
  }
  for (const [id, ext] of options.external ?? []) {
    const at: Entry = { key: id, keyStart: root.start, keyEnd: root.start, value: root };
    scope.resources.set(id, {
      id,
      type: ext.type,
      entry: scope.resources.get(id)?.entry ?? at,
      node: scope.resources.get(id)?.node ?? root,
    });
  }
  const r = new CfnResolver(scope);

  const relFile = path.relative(options.cwd, file).split(path.sep).join('/');
  if (options.into) {
    const types = model.resourceTypes.get(options.into) ?? new Map<string, string>();
    for (const [id, res] of scope.resources) types.set(id, res.type);
    model.resourceTypes.set(options.into, types);
    new TemplateLoader(root, model, options.into, scope, r, options).load();
    return options.into;
  }
  const deployment: Deployment = {
    id: options.cdk ? options.cdk.stackName : relFile,
    framework,
    file,
    production: { isProduction: false },
    notes: [],
  };
  deployment.production = productionOf(scope, r, options, relFile);
  model.deployments.push(deployment);
  const types = new Map<string, string>();
  for (const [id, res] of scope.resources) types.set(id, res.type);
  model.resourceTypes.set(deployment, types);

  if (options.stackName) deployment.stackName = options.stackName;
  const loader = new TemplateLoader(root, model, deployment, scope, r, options);
  loader.load();
  loader.loadExports();
  return deployment;
}

function productionOf(
  scope: CfnScope,
  r: CfnResolver,
  options: TemplateLoadOptions,
  relFile: string,
): Deployment['production'] {
  for (const p of scope.parameters.values()) {
    if (!STAGE_PARAMETER.test(p.name)) continue;
    const v = r.str({
      kind: 'map',
      file: p.entry.value.file,
      start: 0,
      end: 0,
      entries: [
        {
          key: 'Ref',
          keyStart: 0,
          keyEnd: 0,
          value: { kind: 'scalar', file: p.entry.value.file, start: 0, end: 0, value: p.name },
        },
      ],
    });
    if (v.value !== undefined && isProductionName(v.value, options.productionNames)) {
      const how = p.override !== undefined ? `is ${v.value}` : `defaults to ${v.value}`;
      const origin: Origin = {
        via: 'parameter',
        range: p.override === undefined && p.defaultEntry ? entryRange(p.defaultEntry) : keyRange(p.entry),
      };
      return { isProduction: true, reason: `parameter ${p.name} ${how}`, origin };
    }
    if (v.value !== undefined && p.override !== undefined)
      return { isProduction: false, reason: `parameter ${p.name} is ${v.value}` };
  }
  if (options.stage !== undefined) {
    return isProductionName(options.stage, options.productionNames)
      ? { isProduction: true, reason: `--stage ${options.stage}` }
      : { isProduction: false };
  }
  return productionFromFolders(relFile, options.productionNames);
}

export class TemplateLoader {
  roles = new Map<string, Role>();
  /** `function\u0000api` for every SAM Api / HttpApi event on an API of the template. */
  eventApis = new Set<string>();
  globals: TNode | undefined;
  private globalsRange: [number, number] | undefined;
  /** The functions of the model by deployment and id, and by name: the first of each, as a scan finds it. */
  private readonly fnById: (deployment: Deployment, id: string | undefined) => LambdaFunction | undefined;
  private readonly fnByName: (deployment: Deployment, name: string | undefined) => LambdaFunction | undefined;

  constructor(
    private root: TNode,
    readonly model: Model,
    readonly deployment: Deployment,
    readonly scope: CfnScope,
    readonly r: CfnResolver,
    private options: TemplateLoadOptions,
  ) {
    const g = get(root, 'Globals');
    this.globals = get(g, 'Function');
    if (g) this.globalsRange = [g.start, g.end];
    this.fnById = lookupBy(model.functions, (f) => f.id);
    this.fnByName = lookupBy(model.functions, (f) => f.name?.value);
  }

  private dir(): string {
    return path.dirname(this.root.file.path);
  }

  load(): void {
    const resources = [...this.scope.resources.values()].filter((res) => !this.options.external?.has(res.id));
    for (const res of resources) if (res.type === 'AWS::IAM::Role') loadRole(this, res);
    for (const res of resources) {
      if (this.conditionFalse(res)) continue;
      try {
        switch (res.type) {
          case 'AWS::Lambda::Function':
            this.loadFunction(res);
            break;
          case 'AWS::Serverless::Function':
            loadSamFunction(this, res);
            break;
          case 'AWS::IAM::Policy':
            loadPolicy(this, res);
            break;
          case 'AWS::IAM::ManagedPolicy':
            loadManagedPolicy(this, res);
            break;
          case 'AWS::Lambda::EventSourceMapping':
            this.loadMapping(res);
            break;
          case 'AWS::Lambda::Permission':
            this.loadPermission(res);
            break;
          case 'AWS::Lambda::Url':
            loadFunctionUrl(this, res);
            break;
          case 'AWS::Lambda::Alias':
            this.loadAlias(res);
            break;
          case 'AWS::Lambda::EventInvokeConfig':
            this.loadInvokeConfig(res);
            break;
          case 'AWS::Lambda::LayerVersion':
          case 'AWS::Serverless::LayerVersion':
            this.loadLayer(res);
            break;
          case 'AWS::S3::Bucket':
            loadBucket(this, res);
            break;
          case 'AWS::SNS::Subscription':
            loadSubscription(this, res);
            break;
          case 'AWS::SNS::Topic':
            loadTopic(this, res);
            break;
          case 'AWS::IoT::TopicRule':
            loadTopicRule(this, res);
            break;
          case 'Custom::S3BucketNotifications':
            loadCdkBucketNotifications(this, res);
            break;
          case 'AWS::Events::Rule':
            loadRule(this, res);
            break;
          case 'AWS::SQS::Queue':
            this.loadQueue(res);
            break;
          case 'AWS::Logs::SubscriptionFilter':
            loadSubscriptionFilter(this, res);
            break;
          case 'AWS::EC2::Subnet':
            this.loadSubnet(res);
            break;
          case 'AWS::ApiGateway::Method':
            loadRestMethod(this, res);
            break;
          case 'AWS::ApiGatewayV2::Integration':
            loadV2Integration(this, res);
            break;
          case 'AWS::Logs::LogGroup':
            this.model.logGroups.push({
              id: res.id,
              deployment: this.deployment,
              name: this.strVal(this.props(res), 'LogGroupName'),
              origin: { via: 'direct', range: keyRange(res.entry) },
            });
            break;
          default:
            break;
        }
      } catch (e) {
        this.deployment.notes.push(`${res.id}: not modelled (${(e as Error).message})`);
      }
    }
    for (const res of resources) {
      if (this.conditionFalse(res)) continue;
      try {
        loadDefinitionIntegrations(this, res);
      } catch (e) {
        this.deployment.notes.push(`${res.id}: OpenAPI definition not modelled (${(e as Error).message})`);
      }
    }
    // SAM connectors (AWS::Serverless::Connector, or `Connectors` on a resource) add policies and
    // permissions of their own: expanded as SAM does where they join a function of this template.
    for (const res of resources) {
      if (this.conditionFalse(res)) continue;
      if (res.type === 'AWS::Serverless::Connector') {
        const props = this.props(res);
        this.connector(
          res.id,
          get(props, 'Source'),
          get(props, 'Destination'),
          get(props, 'Permissions'),
          keyRange(res.entry),
        );
      }
      for (const c of get(res.node, 'Connectors')?.entries ?? []) {
        const props = get(c.value, 'Properties');
        const self: TNode = {
          kind: 'map',
          file: c.value.file,
          start: c.value.start,
          end: c.value.end,
          entries: [
            {
              key: 'Id',
              keyStart: c.value.start,
              keyEnd: c.value.start,
              value: { kind: 'scalar', file: c.value.file, start: c.value.start, end: c.value.end, value: res.id },
            },
          ],
        };
        this.connector(`${res.id}${c.key}`, self, get(props, 'Destination'), get(props, 'Permissions'), keyRange(c));
      }
    }
    if (this.deployment.opaquePermissions) for (const role of this.roles.values()) role.complete = false;
  }

  /** A connector endpoint: the resource it names in this template (by Id or an Arn that refers to one), its type and its ARN. */
  private connectorEnd(n: TNode | undefined): { id?: string; type?: string; arn?: Val<string> } {
    const idText = scalarString(get(n, 'Id'));
    const arnVal = this.strVal(n, 'Arn');
    const id = idText ?? arnVal?.sym?.target;
    const res = id ? this.scope.resources.get(id) : undefined;
    const written = scalarString(get(n, 'Type'));
    const raw = res?.type ?? written;
    const type = raw ? (CONNECTOR_TYPE[raw] ?? raw) : undefined;
    let arn = arnVal;
    if (!arn && res && type) {
      const origin: Origin = { via: 'implicit', range: keyRange(res.entry) };
      arn = {
        sym: CONNECTOR_ARN[type] === 'ref' ? this.r.refSymbol(res.id) : this.r.getAttSymbol(res.id, 'Arn'),
        origin,
      };
    }
    return { ...(res ? { id: res.id } : {}), ...(type ? { type } : {}), ...(arn ? { arn } : {}) };
  }

  /**
   * One SAM connector, expanded as profiles.json says (src/load/sam-connector-profiles.ts): the
   * statements it adds to a function's role, the permission it adds to a function. A connector that
   * joins a function in a way lambdalint cannot expand leaves that function's permissions unknown.
   */
  private connector(
    id: string,
    source: TNode | undefined,
    destinations: TNode | undefined,
    permissions: TNode | undefined,
    range: SourceRange,
  ): void {
    const origin: Origin = { via: 'implicit', range, note: `added by SAM connector ${id}` };
    const src = this.connectorEnd(source);
    const access = (permissions?.items ?? []).map((i) => scalarString(i)).filter((x): x is string => x !== undefined);
    const dests = destinations?.kind === 'seq' ? destinations.items! : destinations ? [destinations] : [];
    const fnOf = (end: { id?: string }) => this.fnById(this.deployment, end.id);
    const opaque = (why: string): void => {
      this.deployment.opaquePermissions ??= `SAM connector ${id}: ${why}`;
      this.deployment.notes.push(`permissions not checked: SAM connector ${id}: ${why}`);
    };
    for (const d of dests) {
      const dst = this.connectorEnd(d);
      const touches =
        src.type === 'AWS::Lambda::Function' || dst.type === 'AWS::Lambda::Function' || !src.type || !dst.type;
      if (!touches) continue;
      const profile = src.type && dst.type ? CONNECTOR_PROFILES[src.type]?.[dst.type] : undefined;
      if (!profile || access.length === 0) {
        opaque(
          `${src.type ?? 'a source that does not resolve'} to ${dst.type ?? 'a destination that does not resolve'}`,
        );
        continue;
      }
      const fill = (text: string): Val<string> => {
        // `%{Source.Arn}/stream/*` → `${Table.Arn}/stream/*`: symbolic, tied to the resource it names.
        const m = /^%\{(Source|Destination)\.Arn\}(.*)$/.exec(text);
        const end = m ? (m[1] === 'Source' ? src : dst) : undefined;
        if (end?.arn && m![2] === '') return end.arn;
        if (end?.arn?.value !== undefined) return { value: end.arn.value + m![2], origin };
        if (end?.arn?.sym) {
          const t = `\${${end.arn.sym.target ?? end.arn.sym.text}${end.arn.sym.kind === 'getatt' ? `.${end.arn.sym.attribute}` : ''}}${m![2]}`;
          return {
            sym: {
              kind: 'expr',
              key: `expr:${t}`,
              text: t,
              ...(end.arn.sym.target ? { target: end.arn.sym.target } : {}),
              ...(end.arn.sym.resourceType ? { resourceType: end.arn.sym.resourceType } : {}),
            },
            origin,
          };
        }
        return {
          sym: { kind: 'expr', key: `expr:\${${id}.${text.slice(2, -1)}}`, text: `\${${id}.${text.slice(2, -1)}}` },
          origin,
        };
      };
      if (profile.kind === 'role') {
        const holder = profile.sourcePolicy ? src : dst;
        const fn = fnOf(holder);
        if (!fn) {
          if (holder.type === 'AWS::Lambda::Function') opaque('a function that does not resolve');
          continue;
        }
        const role = fn.role.roleId ? this.roles.get(fn.role.roleId) : undefined;
        if (!role) continue; // a role lambdalint cannot see: its function is unknown already
        const statements: Statement[] = access.flatMap((a) =>
          (profile.access[a] ?? []).map((st) => ({
            effect: 'Allow' as const,
            actions: st.actions.map((value) => ({ value, origin })),
            resources: st.resources.map(fill),
            hasCondition: st.hasCondition,
            origin,
          })),
        );
        role.inline.push({
          name: `SAM connector ${id}`,
          statements,
          complete: access.every((a) => a in profile.access),
          origin,
        });
        if (!access.every((a) => a in profile.access)) role.complete = false;
      } else {
        const fn = fnOf(dst);
        if (!fn) {
          opaque('a function that does not resolve');
          continue;
        }
        for (const a of access) {
          const p = profile.access[a];
          if (!p) continue;
          this.model.permissions.push({
            id,
            deployment: this.deployment,
            target: { functionId: fn.id, qualifier: 'unqualified', origin },
            principal: { value: p.principal, origin },
            origin,
          });
        }
      }
    }
  }

  private conditionFalse(res: ResourceInfo): boolean {
    const c = scalarString(get(res.node, 'Condition'));
    return c !== undefined && this.r.condition(c) === false;
  }

  props(res: ResourceInfo): TNode | undefined {
    const p = get(res.node, 'Properties');
    return p && p.kind === 'map' ? p : undefined;
  }

  origin(e: Entry | undefined, via: Via = 'direct'): Origin {
    return e ? { via, range: entryRange(e) } : { via };
  }

  viaOf(e: Entry): Via {
    return this.globalsRange && e.keyStart >= this.globalsRange[0] && e.keyStart < this.globalsRange[1]
      ? 'globals'
      : 'direct';
  }

  strVal(props: TNode | undefined, key: string): Val<string> | undefined {
    const e = entry(props, key);
    if (!e) return undefined;
    const s = this.r.str(e.value);
    if (s.absent) return undefined;
    return toVal(s, e, this.viaOf(e));
  }

  numVal(props: TNode | undefined, key: string): Val<number> | undefined {
    const e = entry(props, key);
    if (!e) return undefined;
    const n = this.r.num(e.value);
    if (n.value === undefined && !n.sym && n.raw === undefined) return undefined;
    const v = toVal<number>(n, e, this.viaOf(e));
    if (n.value === undefined && n.raw !== undefined) v.raw = n.raw;
    return v;
  }

  listVal(props: TNode | undefined, key: string): Val<Val<string>[]> | undefined {
    const e = entry(props, key);
    if (!e) return undefined;
    const l = this.r.list(e.value);
    if (l.absent) return undefined;
    const v = toVal<Val<string>[]>({ sym: l.sym, param: l.param }, e, this.viaOf(e));
    if (l.value) {
      v.value = l.value.map((item) => {
        const iv: Val<string> = { origin: item.node ? { via: this.viaOf(e), range: nodeRange(item.node) } : v.origin };
        if (item.value !== undefined) iv.value = item.value;
        else if (item.sym) iv.sym = item.sym;
        return iv;
      });
      delete v.sym;
    }
    return v;
  }

  /** Resolves a reference to a function (FunctionName of a mapping, an ARN in a trigger). */
  target(v: Val<string> | undefined, origin: Origin): FunctionTarget {
    if (!v) return { qualifier: 'unknown', origin };
    if (v.sym) {
      const t = v.sym.target;
      if (t && (v.sym.kind === 'ref' || v.sym.kind === 'getatt')) return this.targetOfResource(t, origin, v.sym);
      if (v.sym.kind === 'import')
        return { qualifier: 'unknown', origin, importName: this.withStackName(v.sym.key.slice('Import:'.length)) };
      if (v.sym.kind === 'expr') {
        const m = /^\$\{([A-Za-z0-9]+)(?:\.Arn)?\}(?::(.+))?$/.exec(v.sym.text);
        if (m && this.scope.resources.has(m[1])) {
          const base = this.targetOfResource(m[1], origin, v.sym);
          if (m[2] === undefined) return base;
          return {
            ...base,
            qualifier:
              m[2] === '$LATEST'
                ? 'latest'
                : /^\d+$/.test(m[2])
                  ? 'version'
                  : m[2].startsWith('${')
                    ? 'unknown'
                    : 'alias',
          };
        }
        const q = /:function:[^:]+:(.+)$/.exec(v.sym.text)?.[1];
        if (q === '$LATEST') return { qualifier: 'latest', origin };
      }
      return { qualifier: 'unknown', origin };
    }
    const value = v.value ?? '';
    // arn:aws:lambda:region:acct:function:name[:qualifier] | acct:function:name | name[:qualifier]
    const m = /^(?:arn:[^:]+:lambda:[^:]*:[^:]*:function:|\d{12}:function:)?([A-Za-z0-9_-]+)(?::([^:]+))?$/.exec(value);
    if (!m) return { qualifier: 'unknown', origin };
    const fn = this.fnByName(this.deployment, m[1]);
    const qualifier =
      m[2] === undefined ? 'unqualified' : m[2] === '$LATEST' ? 'latest' : /^\d+$/.test(m[2]) ? 'version' : 'alias';
    return { functionId: fn?.id, qualifier, origin };
  }

  /** `${AWS::StackName}` in a name, replaced when this stack's name is known. */
  private withStackName(text: string): string {
    const name = this.deployment.stackName;
    return name ? text.split('${AWS::StackName}').join(name) : text;
  }

  /** Outputs with `Export.Name`: what `Fn::ImportValue` in another template of the run finds. */
  loadExports(): void {
    for (const e of get(this.root, 'Outputs')?.entries ?? []) {
      const nameNode = get(get(e.value, 'Export'), 'Name');
      const valueEntry = entry(e.value, 'Value');
      if (!nameNode || !valueEntry) continue;
      const n = this.r.str(nameNode);
      const text =
        n.value ??
        (n.sym?.kind === 'expr' ? n.sym.text : n.sym?.key === 'Ref:AWS::StackName' ? '${AWS::StackName}' : undefined);
      if (text === undefined) continue;
      const name = this.withStackName(text);
      if (name.includes('${')) continue; // a part of the name lambdalint cannot know
      const s = this.r.str(valueEntry.value);
      if (s.absent) continue;
      (this.deployment.exports ??= new Map()).set(name, toVal<string>(s, valueEntry));
    }
  }

  private targetOfResource(id: string, origin: Origin, sym: Symbolic): FunctionTarget {
    const res = this.scope.resources.get(id);
    if (!res) return { qualifier: 'unknown', origin };
    if (res.type === 'AWS::Lambda::Function' || res.type === 'AWS::Serverless::Function') {
      if (sym.kind === 'getatt' && sym.attribute !== 'Arn') return { qualifier: 'unknown', origin };
      return { functionId: this.options.external?.get(id)?.functionId ?? id, qualifier: 'unqualified', origin };
    }
    const fnVal = this.strVal(this.props(res), 'FunctionName');
    const inner = fnVal?.sym?.target;
    if (res.type === 'AWS::Lambda::Alias') return { functionId: inner, qualifier: 'alias', aliasId: id, origin };
    if (res.type === 'AWS::Lambda::Version') return { functionId: inner, qualifier: 'version', origin };
    return { qualifier: 'unknown', origin };
  }

  roleRef(props: TNode | undefined, key: string): RoleRef | undefined {
    const e = entry(props, key);
    if (!e) return undefined;
    const s = this.r.str(e.value);
    if (s.absent) return undefined;
    const v = toVal<string>(s, e);
    const t = s.sym?.target;
    if (t && this.roles.has(t) && (s.sym?.kind === 'getatt' || s.sym?.kind === 'ref'))
      return { roleId: t, origin: v.origin };
    if (s.value !== undefined) {
      // An ARN naming a role of this stack by its RoleName is still that role.
      const name = /:role\/(?:.*\/)?([^/]+)$/.exec(s.value)?.[1];
      const role = name
        ? [...this.scope.resources.values()].find(
            (res) => res.type === 'AWS::IAM::Role' && this.r.str(get(this.props(res), 'RoleName')).value === name,
          )
        : undefined;
      if (role && this.roles.has(role.id)) return { roleId: role.id, origin: v.origin };
    }
    return { ref: v, origin: v.origin };
  }

  // ---- IAM ----------------------------------------------------------------------------------

  // ---- functions ------------------------------------------------------------------------------

  baseFunction(res: ResourceInfo, props: TNode | undefined, framework: LambdaFunction['framework']): LambdaFunction {
    const meta: Record<string, string> = {};
    const md = get(res.node, 'Metadata');
    const cdkPath = scalarString(get(md, 'aws:cdk:path'));
    if (cdkPath) meta.cdkPath = cdkPath;
    const fn: LambdaFunction = {
      id: res.id,
      deployment: this.deployment,
      framework,
      origin: { via: 'direct', range: keyRange(res.entry) },
      name: this.strVal(props, 'FunctionName'),
      runtime: this.strVal(props, 'Runtime'),
      handler: this.strVal(props, 'Handler'),
      timeout: this.numVal(props, 'Timeout'),
      memorySize: this.numVal(props, 'MemorySize'),
      ephemeralStorage: this.numVal(get(props, 'EphemeralStorage'), 'Size'),
      packageType: scalarString(get(props, 'PackageType')) === 'Image' ? 'Image' : 'Zip',
      code: {
        kind: 'unknown',
        directUpload: false,
        built: false,
        origin: { via: 'direct', range: keyRange(res.entry) },
      },
      layers: this.layerRefs(props),
      role: { origin: { via: 'direct' } },
      vpc: this.vpc(props),
      logGroup: this.strVal(get(props, 'LoggingConfig'), 'LogGroup'),
      reservedConcurrency: this.numVal(props, 'ReservedConcurrentExecutions'),
      environment: {},
      meta,
    };
    const arch = this.listVal(props, 'Architectures');
    if (arch?.value) fn.architectures = arch.value;
    const cap = entry(props, 'CapacityProviderConfig');
    if (cap && this.r.evaluate(cap.value).k !== 'novalue') fn.capacityProvider = this.origin(cap, this.viaOf(cap));
    const durableConfig = entry(props, 'DurableConfig');
    if (durableConfig && this.r.evaluate(durableConfig.value).k !== 'novalue')
      fn.durable = this.origin(durableConfig, this.viaOf(durableConfig));
    for (const e of get(get(props, 'Environment'), 'Variables')?.entries ?? []) {
      const s = this.r.str(e.value);
      if (!s.absent) fn.environment[e.key] = toVal<string>(s, e, this.viaOf(e));
    }
    return fn;
  }

  private layerRefs(props: TNode | undefined): LayerRef[] {
    const l = this.listVal(props, 'Layers');
    return (l?.value ?? []).map((v) => {
      const t = v.sym?.target;
      const type = t ? this.scope.resources.get(t)?.type : undefined;
      return type === 'AWS::Lambda::LayerVersion' || type === 'AWS::Serverless::LayerVersion'
        ? { target: t, ref: v }
        : { ref: v };
    });
  }

  private vpc(props: TNode | undefined): VpcConfig | undefined {
    const e = entry(props, 'VpcConfig');
    if (!e) return undefined;
    const ev = this.r.evaluate(e.value);
    if (ev.k === 'novalue') return undefined;
    const cfg: VpcConfig = { origin: this.origin(e, this.viaOf(e)) };
    if (ev.k !== 'node') {
      const sym = ev.k === 'sym' ? ev.sym : undefined;
      cfg.subnetIds = { sym, origin: cfg.origin };
      cfg.securityGroupIds = { sym, origin: cfg.origin };
      return cfg;
    }
    cfg.subnetIds = this.listVal(ev.node, 'SubnetIds');
    cfg.securityGroupIds = this.listVal(ev.node, 'SecurityGroupIds');
    return cfg;
  }

  private cfnCode(res: ResourceInfo, props: TNode | undefined, key: 'Code' | 'Content'): CodeLocation {
    const e = entry(props, key);
    const origin = e ? this.origin(e) : { via: 'direct' as Via, range: keyRange(res.entry) };
    const asset = scalarString(get(get(res.node, 'Metadata'), 'aws:asset:path'));
    if (asset && this.options.cdk) {
      const p = path.resolve(this.options.cdk.assemblyDir, asset);
      return { kind: /\.zip$/i.test(p) ? 'local-zip' : 'local-dir', path: p, directUpload: false, built: true, origin };
    }
    if (!e) return { kind: 'unknown', directUpload: false, built: false, origin };
    const ev = this.r.evaluate(e.value);
    if (ev.k === 'node' && ev.node.kind === 'scalar' && typeof ev.node.value === 'string') {
      // `aws cloudformation package` zips this local folder as it is and uploads it to S3.
      return this.localCode(ev.node.value, origin, true);
    }
    if (ev.k === 'node' && ev.node.kind === 'map') {
      const zip = entry(ev.node, 'ZipFile');
      if (zip) {
        const s = this.r.str(zip.value);
        return {
          kind: 'inline',
          inline: s.value ?? undefined,
          directUpload: false,
          built: false,
          origin: this.origin(zip),
        };
      }
      if (get(ev.node, 'ImageUri')) return { kind: 'image', directUpload: false, built: false, origin };
      if (get(ev.node, 'S3Bucket') || get(ev.node, 'S3Key'))
        return { kind: 's3', directUpload: false, built: false, origin };
    }
    return { kind: 'unknown', directUpload: false, built: false, origin };
  }

  localCode(p: string, origin: Origin, built: boolean): CodeLocation {
    if (/^s3:\/\//i.test(p) || /^https?:\/\//i.test(p)) return { kind: 's3', directUpload: false, built, origin };
    const abs = path.resolve(this.dir(), p);
    return { kind: /\.(zip|jar)$/i.test(p) ? 'local-zip' : 'local-dir', path: abs, directUpload: false, built, origin };
  }

  private loadFunction(res: ResourceInfo): void {
    const props = this.props(res);
    const fn = this.baseFunction(res, props, this.options.cdk ? 'cdk' : 'cloudformation');
    fn.code = this.cfnCode(res, props, 'Code');
    if (fn.code.kind === 'image') fn.packageType = 'Image';
    fn.role = this.roleRef(props, 'Role') ?? { origin: fn.origin };
    fn.tracing = this.strVal(get(props, 'TracingConfig'), 'Mode');
    const dlq = this.strVal(get(props, 'DeadLetterConfig'), 'TargetArn');
    if (dlq) fn.deadLetter = { kind: 'dead-letter', arn: dlq };
    this.model.functions.push(fn);
  }

  // ---- other resources ------------------------------------------------------------------------

  private loadMapping(res: ResourceInfo): void {
    const props = this.props(res);
    const origin: Origin = { via: 'direct', range: keyRange(res.entry) };
    const fnEntry = entry(props, 'FunctionName');
    const source = this.strVal(props, 'EventSourceArn');
    this.model.mappings.push({
      id: res.id,
      deployment: this.deployment,
      kind: mappingKind(source, props),
      target: this.target(this.strVal(props, 'FunctionName'), fnEntry ? this.origin(fnEntry) : origin),
      source,
      batchSize: this.numVal(props, 'BatchSize'),
      batchingWindow: this.numVal(props, 'MaximumBatchingWindowInSeconds'),
      destinations: this.mappingDestinations(props, 'Destination'),
      accessConfigs: this.accessConfigs(props),
      sourceKey: this.queueKey(source),
      filtered: get(props, 'FilterCriteria') ? true : undefined,
      origin,
      label: `event source mapping ${res.id}`,
    });
  }

  queueKey(source: Val<string> | undefined): Val<string> | undefined {
    return customerManagedQueueKey(this.r, source, (queue) => this.strVal(this.props(queue), 'KmsMasterKeyId'));
  }

  /** DestinationConfig.OnFailure of a mapping (`Destination` in CloudFormation and SAM). */
  mappingDestinations(props: TNode | undefined, key: string): Destination[] | undefined {
    const onFailure = get(get(props, 'DestinationConfig'), 'OnFailure');
    const arn = this.strVal(onFailure, key);
    return arn ? [{ kind: 'on-failure', arn, type: scalarString(get(onFailure, 'Type')) }] : undefined;
  }

  accessConfigs(props: TNode | undefined): { type?: string; uri: Val<string> }[] | undefined {
    const list = get(props, 'SourceAccessConfigurations');
    if (!list || list.kind !== 'seq') return undefined;
    const out: { type?: string; uri: Val<string> }[] = [];
    for (const item of list.items!) {
      const uri = this.strVal(item, 'URI');
      if (uri) out.push({ type: this.r.str(get(item, 'Type')).value, uri });
    }
    return out;
  }

  private loadPermission(res: ResourceInfo): void {
    const props = this.props(res);
    const fnEntry = entry(props, 'FunctionName');
    const origin: Origin = { via: 'direct', range: keyRange(res.entry) };
    this.model.permissions.push({
      id: res.id,
      deployment: this.deployment,
      target: this.target(this.strVal(props, 'FunctionName'), fnEntry ? this.origin(fnEntry) : origin),
      principal: this.strVal(props, 'Principal'),
      action: this.strVal(props, 'Action'),
      origin,
    });
    const p = this.model.permissions[this.model.permissions.length - 1];
    const sourceArn = this.strVal(props, 'SourceArn');
    if (sourceArn) {
      p.sourceArn = sourceArn;
      p.sourceArnResources = this.namedResources(sourceArn);
    }
    const sourceAccount = this.strVal(props, 'SourceAccount');
    if (sourceAccount) p.sourceAccount = sourceAccount;
  }

  /** The resources of this template a value names (`!GetAtt Rule.Arn`, `${Api}` in a `!Sub`), each with the text after it. */
  private namedResources(v: Val<string>): { id: string; rest: string }[] {
    const s = v.sym;
    if (!s) return [];
    if ((s.kind === 'ref' || s.kind === 'getatt') && s.target && this.scope.resources.has(s.target))
      return [{ id: s.target, rest: '' }];
    if (s.kind !== 'expr') return [];
    const out: { id: string; rest: string }[] = [];
    for (const m of s.text.matchAll(/\$\{([^}.]+)(?:\.[^}]*)?\}/g)) {
      if (this.scope.resources.has(m[1])) out.push({ id: m[1], rest: s.text.slice(m.index + m[0].length) });
    }
    return out;
  }

  private loadAlias(res: ResourceInfo): void {
    const props = this.props(res);
    const fnTarget = this.target(this.strVal(props, 'FunctionName'), { via: 'direct' });
    const version = this.strVal(props, 'FunctionVersion') ?? {
      origin: { via: 'direct' as Via, range: keyRange(res.entry) },
    };
    const published =
      !!version.sym?.target && this.scope.resources.get(version.sym.target)?.type === 'AWS::Lambda::Version';
    this.model.aliases.push({
      id: res.id,
      deployment: this.deployment,
      name: this.strVal(props, 'Name'),
      functionId: fnTarget.functionId,
      version,
      pointsToPublished: published || (version.value !== undefined && /^\d+$/.test(version.value)),
      origin: { via: 'direct', range: keyRange(res.entry) },
    });
    const pc = entry(props, 'ProvisionedConcurrencyConfig');
    if (pc && fnTarget.functionId) {
      const onLatest = version.value === '$LATEST';
      const target: FunctionTarget = {
        functionId: fnTarget.functionId,
        qualifier: onLatest ? 'latest' : 'alias',
        aliasId: res.id,
        origin: onLatest ? version.origin : this.origin(pc),
      };
      this.model.provisionedConcurrency.push({
        id: res.id,
        deployment: this.deployment,
        target,
        executions: this.numVal(pc.value, 'ProvisionedConcurrentExecutions'),
        origin: this.origin(pc),
        label: `alias ${res.id}`,
      });
    }
  }

  private loadInvokeConfig(res: ResourceInfo): void {
    const props = this.props(res);
    const fnEntry = entry(props, 'FunctionName');
    const qualifier = this.strVal(props, 'Qualifier');
    const base = this.target(this.strVal(props, 'FunctionName'), fnEntry ? this.origin(fnEntry) : { via: 'direct' });
    const target: FunctionTarget = { ...base };
    if (qualifier?.value === '$LATEST') {
      target.qualifier = 'latest';
      target.origin = qualifier.origin;
    } else if (qualifier?.value !== undefined) target.qualifier = /^\d+$/.test(qualifier.value) ? 'version' : 'alias';
    else if (qualifier?.sym) {
      const t = qualifier.sym.target;
      target.qualifier = t && this.scope.resources.get(t)?.type === 'AWS::Lambda::Version' ? 'version' : 'alias';
    }
    const dests: Destination[] = [];
    const dc = get(props, 'DestinationConfig');
    for (const [k, kind] of [
      ['OnSuccess', 'on-success'],
      ['OnFailure', 'on-failure'],
    ] as const) {
      const arn = this.strVal(get(dc, k), 'Destination');
      if (arn) dests.push({ kind, arn });
    }
    this.model.invokeConfigs.push({
      id: res.id,
      deployment: this.deployment,
      target,
      destinations: dests,
      maximumRetryAttempts: this.numVal(props, 'MaximumRetryAttempts'),
      origin: { via: 'direct', range: keyRange(res.entry) },
    });
  }

  private loadLayer(res: ResourceInfo): void {
    const props = this.props(res);
    let code: CodeLocation;
    if (res.type === 'AWS::Serverless::LayerVersion') {
      const e = entry(props, 'ContentUri');
      const s = e ? this.r.evaluate(e.value) : undefined;
      const origin = e ? this.origin(e) : { via: 'direct' as Via, range: keyRange(res.entry) };
      // Without a BuildMethod, `sam build` copies a layer folder as it is (dependencies included).
      const buildMethod = scalarString(get(get(res.node, 'Metadata'), 'BuildMethod'));
      const built = buildMethod === undefined;
      if (s?.k === 'node' && s.node.kind === 'scalar' && typeof s.node.value === 'string')
        code = this.localCode(s.node.value, origin, built);
      else
        code = {
          kind: s?.k === 'node' && s.node.kind === 'map' ? 's3' : 'unknown',
          directUpload: false,
          built: false,
          origin,
        };
      this.model.layers.push({
        id: res.id,
        deployment: this.deployment,
        code,
        origin: { via: 'direct', range: keyRange(res.entry) },
        ...(buildMethod ? { buildMethod } : {}),
      });
      return;
    } else code = this.cfnCode(res, props, 'Content');
    this.model.layers.push({
      id: res.id,
      deployment: this.deployment,
      code,
      origin: { via: 'direct', range: keyRange(res.entry) },
    });
  }

  // ---- queues, subnets, API Gateway integrations ----------------------------------------------

  private loadQueue(res: ResourceInfo): void {
    this.model.queues.push({
      id: res.id,
      deployment: this.deployment,
      visibilityTimeout: this.numVal(this.props(res), 'VisibilityTimeout'),
      origin: { via: 'direct', range: keyRange(res.entry) },
    });
  }

  /** A subnet, and the default routes of the route tables associated with it in this template. */
  private loadSubnet(res: ResourceInfo): void {
    const props = this.props(res);
    const subnet: Subnet = {
      id: res.id,
      deployment: this.deployment,
      defaultRoutes: [],
      routesKnown: true,
      origin: { via: 'direct', range: keyRange(res.entry) },
    };
    const mp = entry(props, 'MapPublicIpOnLaunch');
    const s = mp ? this.r.str(mp.value) : undefined;
    if (mp && s && !s.absent) {
      const v = toVal<string>(s, mp);
      subnet.mapPublicIpOnLaunch =
        v.value !== undefined
          ? { value: v.value.toLowerCase() === 'true', origin: v.origin }
          : { sym: v.sym, origin: v.origin };
    }
    const refersTo = (n: TNode | undefined, id: string): boolean => this.r.str(n).sym?.target === id;
    for (const assoc of this.scope.resources.values()) {
      if (assoc.type !== 'AWS::EC2::SubnetRouteTableAssociation' || this.conditionFalse(assoc)) continue;
      const ap = this.props(assoc);
      if (!refersTo(get(ap, 'SubnetId'), res.id)) continue;
      const table = this.r.str(get(ap, 'RouteTableId')).sym?.target;
      if (!table || this.scope.resources.get(table)?.type !== 'AWS::EC2::RouteTable') {
        subnet.routesKnown = false;
        continue;
      }
      for (const route of this.scope.resources.values()) {
        if (route.type !== 'AWS::EC2::Route' || this.conditionFalse(route)) continue;
        const rp = this.props(route);
        if (!refersTo(get(rp, 'RouteTableId'), table)) continue;
        const dest =
          this.r.str(get(rp, 'DestinationCidrBlock')).value ?? this.r.str(get(rp, 'DestinationIpv6CidrBlock')).value;
        if (dest !== '0.0.0.0/0' && dest !== '::/0') continue;
        const gw = entry(rp, 'GatewayId');
        let to: Subnet['defaultRoutes'][number]['to'] = 'other';
        if (gw) {
          const g = this.r.str(gw.value);
          const type = g.sym?.target ? this.scope.resources.get(g.sym.target)?.type : undefined;
          if (type === 'AWS::EC2::InternetGateway' || g.value?.startsWith('igw-')) to = 'internet-gateway';
          else if (!type && !g.value?.startsWith('vgw-')) to = 'unknown';
        }
        subnet.defaultRoutes.push({
          to,
          origin: gw ? this.origin(gw) : { via: 'direct', range: keyRange(route.entry) },
        });
      }
    }
    this.model.subnets.push(subnet);
  }
}

/**
 * The customer managed key of a queue of the template (CloudFormation or a Serverless service's
 * `resources:`): Lambda then needs kms:Decrypt on it (docs/FACTS.md §3.2). SSE-SQS and the AWS managed
 * alias/aws/sqs need nothing. `keyOf` reads the queue's KmsMasterKeyId the way the loader reads values.
 */
export function customerManagedQueueKey(
  r: CfnResolver,
  source: Val<string> | undefined,
  keyOf: (queue: ResourceInfo) => Val<string> | undefined,
): Val<string> | undefined {
  const id = source?.sym?.target;
  const queue = id ? r.scope.resources.get(id) : undefined;
  if (!queue || queue.type !== 'AWS::SQS::Queue') return undefined;
  const key = keyOf(queue);
  if (!key) return undefined;
  if (key.value !== undefined && /^(alias\/aws\/sqs|arn:[^:]+:kms:[^:]*:[^:]*:alias\/aws\/sqs)$/.test(key.value))
    return undefined;
  if (key.sym?.target && r.scope.resources.get(key.sym.target)?.type === 'AWS::KMS::Key')
    return { sym: r.getAttSymbol(key.sym.target, 'Arn'), origin: key.origin };
  return key.value?.startsWith('arn:') && key.value.includes(':key/')
    ? key
    : {
        sym: { kind: 'param', key: `unknown:key:${key.value ?? key.sym?.key}`, text: "the queue's key" },
        origin: key.origin,
      };
}

function mappingKind(source: Val<string> | undefined, props: TNode | undefined): EventSourceKind {
  if (get(props, 'SelfManagedEventSource')) return 'kafka';
  if (get(props, 'DocumentDBEventSourceConfig')) return 'documentdb';
  if (get(props, 'Queues')) return 'mq';
  if (!source) return 'unknown';
  return sourceKindOf(source.sym?.resourceType, source.value ?? source.sym?.text ?? '');
}
