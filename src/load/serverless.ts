// Serverless Framework services (serverless.yml / .yaml / .json, and serverless.ts / .js read
// statically) → the model. The framework's implicit behaviour is modelled from docs/FACTS.md §5:
// provider defaults merged into functions, events wired to the unqualified function (§8.1), and
// `resources:` loaded by the CloudFormation loader into the same deployment. Reading the config is in
// ./serverless-config.ts, values after variable resolution in ./serverless-variables.ts, and the
// generated roles and the statements the framework adds in ./serverless-generated.ts.
//
// Over 600 lines because: a function's properties and its events are read by one class holding the
// resolved service config; reading the config, the values after variable resolution and the
// generated roles already live apart.
import path from 'node:path';
import { notChecked } from '../model/coverage.js';
import { resourceType } from '../model/resource-types.js';
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
  Trigger,
  TriggerKind,
  Val,
  Via,
  VpcConfig,
} from '../model/types.js';
import {
  duplicateKeys,
  entry,
  type Entry,
  entryRange,
  get,
  keyRange,
  parseSource,
  type TNode,
} from '../source/parse.js';
import { CfnResolver, type CfnScope, intrinsicKey, scalarString, toVal } from '../values/cfn.js';
import { ServerlessVariables } from '../values/serverless.js';
import { customerManagedQueueKey, loadTemplate } from './cloudformation.js';
import {
  type FunctionSpec,
  functionSpecs,
  isServerlessRoot,
  normalizedAlnum,
  normalizedName,
  pluginNames,
  production,
  providerRoleEntry,
  recordDynamic,
  ROLE_RULES,
  scalarNode,
  serviceName,
  truthy,
} from './serverless-config.js';
import {
  addDedicatedStatements,
  addImplicitStatements,
  type Dedicated,
  frameworkV3OrOlder,
  GENERATED_ROLE,
  generatedRoleEntry,
  mergedResources,
  ignoredRoleSetting,
  roleMode,
  ROLES_PLUGIN,
} from './serverless-generated.js';
import {
  duplicateKeyProblem,
  overLimit,
  readInput,
  type LoadContext,
  type Loader,
  type LoadOutcome,
} from './loader.js';
import { applyLift, type LiftResult, liftVariable } from './serverless-lift.js';
import { type DynamicPart, parseServerlessScript, type ScriptParseResult } from './serverless-script.js';
import { cfnify, isNull, listAt, numAt, originOf, pick, str, strAt } from './serverless-variables.js';

export interface ServerlessLoadOptions {
  cwd: string;
  /** `--stage`: feeds `${opt:stage}` and decides production. */
  stage?: string;
  productionNames: readonly string[];
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

function loadServerless(
  raw: TNode,
  model: Model,
  options: ServerlessLoadOptions,
  dynamic: DynamicPart[] = [],
): Deployment | undefined {
  if (!isServerlessRoot(raw)) return undefined;
  return new ServerlessLoader(raw, model, options, dynamic).load();
}

export class ServerlessLoader {
  vars: ServerlessVariables;
  cfg: TNode;
  provider: TNode | undefined;
  providerEntry: Entry | undefined;
  deployment!: Deployment;
  r!: CfnResolver;
  file: string;
  relFile: string;
  private lift: LiftResult;

  constructor(
    raw: TNode,
    readonly model: Model,
    readonly options: ServerlessLoadOptions,
    readonly dynamic: DynamicPart[] = [],
  ) {
    this.file = raw.file.path;
    this.relFile = path.relative(options.cwd, this.file).split(path.sep).join('/');
    this.vars = new ServerlessVariables(raw, {
      serviceDir: path.dirname(this.file),
      stage: options.stage,
      construct: (address, at) => liftVariable(raw, address, at),
    });
    const lift = applyLift(cfnify(this.vars.resolve(raw), this.vars, false), path.dirname(this.file));
    this.cfg = lift.cfg;
    this.lift = lift.result;
    this.providerEntry = entry(this.cfg, 'provider');
    this.provider = this.providerEntry?.value.kind === 'map' ? this.providerEntry.value : undefined;
  }

  load(): Deployment | undefined {
    const providerName = scalarString(get(this.provider, 'name'));
    if (providerName !== undefined && providerName !== 'aws') return undefined;
    this.deployment = {
      id: this.relFile,
      framework: 'serverless',
      file: this.file,
      production: production(this),
      notes: [],
    };
    this.model.deployments.push(this.deployment);

    const stage = this.vars.stage();
    const fns = functionSpecs(this);
    recordDynamic(this, fns);
    const external = new Map<string, { type: string; functionId?: string }>();
    const layerDefs = (get(this.cfg, 'layers')?.entries ?? []).filter(
      (e) => e.value.kind === 'map' && !intrinsicKey(e.value),
    );
    for (const l of layerDefs)
      external.set(`${normalizedName(l.key)}LambdaLayer`, { type: 'AWS::Lambda::LayerVersion' });
    for (const [id, type] of this.lift.resources) external.set(id, { type });
    for (const f of fns) {
      external.set(`${normalizedName(f.key)}LambdaFunction`, { type: 'AWS::Lambda::Function', functionId: f.key });
      external.set(`${normalizedName(f.key)}LogGroup`, { type: 'AWS::Logs::LogGroup' });
    }

    // Whom each function runs as (docs/FACTS.md §5.3): its own `role`, the provider's, the shared
    // IamRoleLambdaExecution, or a role of its own made by the serverless-iam-roles-per-function
    // plugin or by Framework v4.
    const providerRole = providerRoleEntry(this);
    const perFunctionMode = scalarString(get(get(get(this.provider, 'iam'), 'role'), 'mode')) === 'perFunction';
    const modes = new Map(fns.map((f) => [f.key, roleMode(this, f, providerRole, perFunctionMode)]));
    // The shared role exists unless a role is given for the service or for every function, or in
    // perFunction mode (merge-iam-templates.js, v3 and v4); the plugin copies it as its template.
    const generated = !providerRole && !perFunctionMode && fns.some((f) => modes.get(f.key) !== 'custom');
    const dedicated = fns.filter((f) => modes.get(f.key) === 'plugin' || modes.get(f.key) === 'v4');
    const ownRoleIds = new Map(dedicated.map((f) => [f.key, `${normalizedName(f.key)}${GENERATED_ROLE}`]));
    const extras = [
      ...(generated ? [generatedRoleEntry(this)] : []),
      ...dedicated.map((f) =>
        generatedRoleEntry(this, f, ownRoleIds.get(f.key)!, modes.get(f.key) as Dedicated, perFunctionMode),
      ),
    ];
    const resourcesRoot = mergedResources(this, extras);
    if (generated) external.delete(GENERATED_ROLE);

    // The scope the service's own intrinsics (`Fn::GetAtt: [Queue, Arn]` in an event) resolve in.
    const scope: CfnScope = {
      parameters: new Map(),
      conditions: new Map(),
      mappings: get(resourcesRoot, 'Mappings'),
      resources: new Map(),
    };
    for (const e of get(resourcesRoot, 'Conditions')?.entries ?? []) scope.conditions.set(e.key, e.value);
    for (const e of get(resourcesRoot, 'Resources')?.entries ?? []) {
      const type = scalarString(get(e.value, 'Type'));
      if (type) scope.resources.set(e.key, { id: e.key, type, entry: e, node: e.value });
    }
    for (const [id, ext] of external) {
      if (!scope.resources.has(id))
        scope.resources.set(id, {
          id,
          type: ext.type,
          entry: { key: id, keyStart: 0, keyEnd: 0, value: this.cfg },
          node: this.cfg,
        });
    }
    this.r = new CfnResolver(scope);
    const service = serviceName(this);

    loadTemplate(resourcesRoot, this.model, {
      cwd: this.options.cwd,
      productionNames: this.options.productionNames,
      into: this.deployment,
      external,
    });
    const roles = new Map(this.model.roles.filter((ro) => ro.deployment === this.deployment).map((ro) => [ro.id, ro]));
    const role = generated ? roles.get(GENERATED_ROLE) : undefined;
    if (role) {
      role.generated = true;
      role.origin = { ...role.origin, via: 'implicit', note: 'role generated by the Serverless Framework' };
    }

    // A policy resource in `resources:` may attach to a per-function role under a logical id
    // lambdalint does not know: those roles are then not complete.
    const policyResources = (get(resourcesRoot, 'Resources')?.entries ?? []).some((e) =>
      /^AWS::IAM::(Policy|ManagedPolicy|RolePolicy)$/.test(scalarString(get(e.value, 'Type')) ?? ''),
    );
    for (const f of dedicated) {
      const r = roles.get(ownRoleIds.get(f.key)!);
      if (!r) continue;
      r.generated = true;
      r.origin = {
        ...r.origin,
        via: 'implicit',
        note: `role generated ${modes.get(f.key) === 'plugin' ? `by ${ROLES_PLUGIN}` : 'by the Serverless Framework'} for ${f.key}`,
      };
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
        const fn = this.loadFunction(
          spec,
          service,
          stage,
          roles,
          providerRole,
          mode === 'shared' && role !== undefined,
          ownRoleIds.get(spec.key),
          typeof mode === 'object' ? mode.unknown : undefined,
        );
        // Its own role settings that this Framework version ignores: said beside its role's findings.
        const ignored = ignoredRoleSetting(this, spec, mode);
        if (ignored)
          fn.role.ignored = { origin: { via: 'direct', range: keyRange(ignored.entry) }, message: ignored.message };
        loaded.push({ fn, spec });
      } catch (e) {
        this.deployment.notes.push(`function ${spec.key}: not modelled (${(e as Error).message})`);
      }
    }
    // Framework v4 puts the event permissions of a function with a role of its own on that role
    // only; v3 (and v4 beside the plugin) on the shared role whatever role the function uses
    // (docs/sf/providers/aws/guide/iam.md; compile/events/sqs.js).
    if (role)
      addImplicitStatements(
        this,
        role,
        loaded.filter((l) => modes.get(l.spec.key) !== 'v4'),
        service,
        stage,
      );
    const of = {
      mappings: this.byFunction(this.model.mappings),
      invokeConfigs: this.byFunction(this.model.invokeConfigs),
    };
    for (const l of loaded) {
      const own = ownRoleIds.get(l.spec.key);
      const r = own ? roles.get(own) : undefined;
      if (r) addDedicatedStatements(this, r, l, modes.get(l.spec.key) as Dedicated, perFunctionMode, of);
    }
    return this.deployment;
  }

  /** The items of this deployment by the id of the function they target, in model order. */
  private byFunction<T extends { deployment: Deployment; target: FunctionTarget }>(
    items: readonly T[],
  ): Map<string, T[]> {
    const out = new Map<string, T[]>();
    for (const item of items) {
      const id = item.target.functionId;
      if (item.deployment !== this.deployment || id === undefined) continue;
      const list = out.get(id);
      if (list) list.push(item);
      else out.set(id, [item]);
    }
    return out;
  }

  // ---- functions ----------------------------------------------------------------------------------

  private loadFunction(
    spec: FunctionSpec,
    service: Val<string>,
    stage: string,
    roles: Map<string, Role>,
    providerRole: Entry | undefined,
    usesGenerated: boolean,
    ownRoleId?: string,
    unknownRole?: string,
  ): LambdaFunction {
    const { key, node } = spec;
    const origin: Origin = { via: 'direct', range: keyRange(spec.entry) };
    const val = <T>(p: { e: Entry; via: Via } | undefined, f: (e: Entry, via: Via) => Val<T> | undefined) =>
      p ? f(p.e, p.via) : undefined;
    const num = (k: string, pk = k) => val(pick(this, node, k, pk), (e, v) => numAt(this, e, v));
    const str = (k: string, pk = k) => val(pick(this, node, k, pk), (e, v) => strAt(this, e, v));

    const fn: LambdaFunction = {
      id: key,
      deployment: this.deployment,
      framework: 'serverless',
      origin,
      name: this.functionName(node, key, service, stage),
      // An `image` function has no Runtime: the framework sets it only for `handler` functions
      // (SLS3 v3.40.0 compile/functions.js), so the provider's runtime does not apply to it.
      runtime: get(node, 'image') ? undefined : str('runtime'),
      handler: strAt(this, entry(node, 'handler'), 'direct'),
      timeout: num('timeout'),
      memorySize: num('memorySize'),
      ephemeralStorage: num('ephemeralStorageSize'),
      packageType: get(node, 'image') ? 'Image' : 'Zip',
      code: this.code(node, origin),
      layers: this.layers(node),
      role: { origin },
      vpc: this.vpc(node),
      reservedConcurrency: numAt(this, entry(node, 'reservedConcurrency'), 'direct'),
      environment: {},
      meta: { serviceFile: this.relFile },
    };
    const arch = str('architecture');
    if (arch) fn.architectures = [arch];
    this.buildOf(node, fn);
    this.wsgiOf(fn);
    // docs/FACTS.md §5.4: a version is published on every deploy unless turned off; events still use $LATEST.
    const versioned = entry(node, 'versionFunction') ?? entry(this.provider, 'versionFunctions');
    fn.meta.versionFunctions = versioned && !truthy(versioned.value) ? 'false' : 'true';
    // docs/FACTS.md §5.1: `functionObject.tracing || provider.tracing.lambda`; `true` means Active.
    const tr = entry(node, 'tracing');
    const ptr = entry(get(this.provider, 'tracing'), 'lambda');
    const trPick =
      tr && truthy(tr.value)
        ? { e: tr, via: 'direct' as Via }
        : ptr && truthy(ptr.value)
          ? { e: ptr, via: 'provider' as Via }
          : undefined;
    if (trPick) {
      const t =
        trPick.e.value.kind === 'scalar' && trPick.e.value.value === true
          ? { value: 'Active', origin: { via: trPick.via, range: entryRange(trPick.e) } }
          : strAt(this, trPick.e, trPick.via);
      if (t) fn.tracing = t;
    } else if (pluginNames(this).names.includes('serverless-plugin-tracing')) this.pluginTracing(fn, node);
    for (const [src, via] of [
      [get(this.provider, 'environment'), 'provider'],
      [get(node, 'environment'), 'direct'],
    ] as const) {
      for (const e of src?.entries ?? []) {
        const v = strAt(this, e, via);
        if (v) fn.environment[e.key] = v;
        else delete fn.environment[e.key];
      }
    }
    const lg =
      strAt(this, entry(get(node, 'logs'), 'logGroup'), 'direct') ??
      strAt(this, entry(get(get(this.provider, 'logs'), 'lambda'), 'logGroup'), 'provider');
    if (lg) fn.logGroup = lg;
    if (fn.packageType === 'Image')
      fn.code = { kind: 'image', directUpload: false, built: false, origin: originOf(entry(node, 'image')) ?? origin };

    // Role (docs/FACTS.md §5.3): the function's own role, the provider's, or the generated one.
    const own = entry(node, 'role');
    if (own) fn.role = this.roleRef(own, 'direct', roles);
    else if (ownRoleId && roles.has(ownRoleId)) {
      const r = roles.get(ownRoleId)!;
      fn.role = {
        roleId: ownRoleId,
        origin: { via: 'implicit', range: r.origin.range ?? origin.range, note: r.origin.note },
      };
    } else if (unknownRole !== undefined) {
      fn.role = { origin: originOf(entry(node, 'iamRoleStatements') ?? entry(node, 'iam')) ?? origin };
      notChecked(this.model, { fn: key, file: this.file, rules: ROLE_RULES, reason: unknownRole });
    } else if (providerRole) fn.role = this.roleRef(providerRole, 'provider', roles);
    else if (usesGenerated)
      fn.role = {
        roleId: GENERATED_ROLE,
        origin: { via: 'implicit', range: origin.range, note: 'role generated by the Serverless Framework' },
      };

    // Dead-letter target and async destinations.
    const onError = strAt(this, entry(node, 'onError'), 'direct');
    if (onError) fn.deadLetter = { kind: 'dead-letter', arn: onError, type: 'SNS' };
    const dests = this.destinations(node);
    if (dests.length) {
      const de = entry(node, 'destinations')!;
      this.model.invokeConfigs.push({
        id: `${normalizedName(key)}LambdaEvConf`,
        deployment: this.deployment,
        target: this.target(key, node, originOf(de)!),
        destinations: dests,
        origin: originOf(de)!,
      });
    }

    // Versions and aliases (docs/FACTS.md §5.4, §8.1).
    const alias = this.aliasOf(node, key);
    if (alias) {
      this.model.aliases.push({
        id: alias.id,
        deployment: this.deployment,
        name: { value: alias.name, origin: alias.origin },
        functionId: key,
        version: {
          value: 'published',
          origin: {
            ...alias.origin,
            via: 'implicit',
            note: `version published by the Serverless Framework for ${alias.name}`,
          },
        },
        pointsToPublished: true,
        origin: alias.origin,
      });
    }

    // The log group the framework creates for every function (docs/FACTS.md §5.1).
    if (!truthy(get(node, 'disableLogs')) && !fn.logGroup && fn.name) {
      const nameText = fn.name.value ?? (fn.name.sym?.kind === 'expr' ? fn.name.sym.text : undefined);
      if (nameText !== undefined) {
        const groupName = `/aws/lambda/${nameText}`;
        const gv: Val<string> = nameText.includes('${')
          ? { sym: { kind: 'expr', key: `expr:${groupName}`, text: groupName }, origin: { via: 'implicit' } }
          : { value: groupName, origin: { via: 'implicit' } };
        this.model.logGroups.push({
          id: `${normalizedName(key)}LogGroup`,
          deployment: this.deployment,
          name: gv,
          origin: { via: 'implicit', range: origin.range, note: 'log group created by the Serverless Framework' },
        });
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
    const origin: Origin = {
      via: at === own ? 'direct' : 'provider',
      range: entryRange(at),
      note: 'tracing set by serverless-plugin-tracing',
    };
    if (this.options.stage !== undefined || entry(node, 'name')) fn.tracing = { value: 'Active', origin };
    else {
      fn.tracing = {
        sym: { kind: 'param', key: `unknown:${fn.id}.tracing`, text: 'tracing set by serverless-plugin-tracing' },
        origin,
      };
      notChecked(this.model, {
        fn: fn.id,
        file: this.file,
        rules: ['xray-permission', 'tracing-disabled'],
        reason: 'serverless-plugin-tracing turns tracing on only when deployed with --stage',
      });
    }
  }

  /** `name:` or the framework's `${service}-${stage}-${key}` (naming.js). */
  private functionName(node: TNode, key: string, service: Val<string>, stage: string): Val<string> | undefined {
    const own = strAt(this, entry(node, 'name'), 'direct');
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
    if (frameworkV3OrOlder(this)) return; // built-in esbuild is v4's
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

  /**
   * serverless-wsgi: `wsgi_handler.handler` (`wsgi.handler` before 1.7.0) names a file the plugin
   * copies into the package when it packages (with serverless_wsgi.py and a `.serverless-wsgi` file
   * naming `custom.wsgi.app`); at run time it imports the WSGI app `custom.wsgi.app`
   * (`<folder>/<module>.<attribute>`) and hands it each request. `fn.meta.wsgiApp` keeps the app
   * for the code analysis ('' when none is set). Source: logandk/serverless-wsgi @ c8655da (3.1.0),
   * index.js `packWsgiHandler` and wsgi_handler.py `import_app`.
   */
  private wsgiOf(fn: LambdaFunction): void {
    const h = fn.handler?.value;
    if ((h !== 'wsgi_handler.handler' && h !== 'wsgi.handler') || !pluginNames(this).names.includes('serverless-wsgi'))
      return;
    const app = get(get(get(this.cfg, 'custom'), 'wsgi'), 'app');
    fn.meta.wsgiApp = (app ? this.r.str(app).value : undefined) ?? '';
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
      return {
        kind: /\.(zip|jar)$/i.test(v.value) ? 'local-zip' : 'unknown',
        path: path.resolve(path.dirname(this.file), v.value),
        directUpload: false,
        built: true,
        origin,
      };
    }
    // The framework zips the service folder through `package.patterns` (and v4 bundles with esbuild),
    // then uploads through S3 (docs/FACTS.md §1.2): the patterns are not evaluated here, so the size is unknown.
    const pe =
      entry(get(node, 'package'), 'patterns') ??
      entry(pkg, 'patterns') ??
      entry(get(node, 'package'), 'include') ??
      entry(pkg, 'include');
    // The handler is still found relative to the service folder; with serverless-python-requirements,
    // a function's `module:` is its own folder (requirements.txt included) and the root of its zip,
    // the handler relative to it (the plugin's README, "Per-function requirements").
    const mod = get(node, 'module');
    const modDir =
      mod?.kind === 'scalar' &&
      typeof mod.value === 'string' &&
      pluginNames(this).names.includes('serverless-python-requirements')
        ? mod.value
        : undefined;
    return {
      kind: 'local-dir',
      path: modDir ? path.resolve(path.dirname(this.file), modDir) : path.dirname(this.file),
      directUpload: false,
      built: false,
      unmeasured: 'packaged by the Serverless Framework through package.patterns',
      origin: originOf(pe) ?? fnOrigin,
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
    if (v !== undefined && /^(s3|https?):\/\//i.test(v))
      code = { kind: 's3', directUpload: false, built: true, origin: codeOrigin };
    else if (v !== undefined && art)
      code = {
        kind: /\.(zip|jar)$/i.test(v) ? 'local-zip' : 'unknown',
        path: path.resolve(path.dirname(this.file), v),
        directUpload: false,
        built: true,
        origin: codeOrigin,
      };
    else if (v !== undefined)
      code = {
        kind: 'local-dir',
        path: path.resolve(path.dirname(this.file), v),
        directUpload: false,
        built: true,
        origin: codeOrigin,
      };
    this.model.layers.push({ id: `${normalizedName(l.key)}LambdaLayer`, deployment: this.deployment, code, origin });
  }

  private layers(node: TNode): LayerRef[] {
    const p = pick(this, node, 'layers');
    const l = p ? listAt(this, p.e, p.via) : undefined;
    return (l?.value ?? []).map((v) =>
      v.sym?.target && v.sym.resourceType === 'AWS::Lambda::LayerVersion'
        ? { target: v.sym.target, ref: v }
        : { ref: v },
    );
  }

  /** provider.vpc and functions.X.vpc merged key by key (docs/FACTS.md, section 5.4). */
  private vpc(node: TNode): VpcConfig | undefined {
    const own = entry(node, 'vpc');
    const prov = entry(this.provider, 'vpc');
    if ((!own || isNull(own.value)) && (!prov || isNull(prov.value))) return undefined;
    const cfg: VpcConfig = {
      origin:
        own && !isNull(own.value)
          ? { via: 'direct', range: entryRange(own) }
          : { via: 'provider', range: entryRange(prov!) },
    };
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
      const p = pick(
        this,
        own?.value ?? ({ kind: 'map', file: node.file, start: 0, end: 0, entries: [] } as TNode),
        k,
        k,
        prov?.value,
      );
      if (!p) return provWhole;
      return unresolved(p.e, p.via) ?? listAt(this, p.e, p.via);
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
          if (res && this.r.str(get(get(res.node, 'Properties'), 'RoleName')).value === name)
            return { roleId: id, origin };
        }
      }
    }
    return { ref: toVal<string>(s, e, via), origin };
  }

  private destinations(node: TNode): Destination[] {
    const d = get(node, 'destinations');
    const out: Destination[] = [];
    for (const [k, kind] of [
      ['onSuccess', 'on-success'],
      ['onFailure', 'on-failure'],
    ] as const) {
      const e = entry(d, k);
      if (!e) continue;
      const arnEntry = e.value.kind === 'map' && !intrinsicKey(e.value) ? entry(e.value, 'arn') : e;
      const arn = strAt(this, arnEntry, 'direct');
      if (!arn) continue;
      const type = scalarString(get(e.value, 'type')) ?? destType(arn);
      out.push({ kind, arn, type });
    }
    return out;
  }

  private aliasOf(node: TNode, fnKey: string): { id: string; name: string; origin: Origin } | undefined {
    const key =
      entry(node, 'provisionedConcurrency') ??
      (truthy(get(node, 'snapStart')) ? entry(node, 'snapStart') : undefined) ??
      entry(node, 'durableConfig');
    if (!key || isNull(key.value) || (key.key === 'provisionedConcurrency' && key.value.value === 0)) return undefined;
    const name =
      key.key === 'provisionedConcurrency' ? 'provisioned' : key.key === 'snapStart' ? 'snapstart' : 'durable';
    const suffix =
      key.key === 'provisionedConcurrency'
        ? 'ProvConcLambdaAlias'
        : key.key === 'snapStart'
          ? 'SnapStartLambdaAlias'
          : 'DurableLambdaAlias';
    return { id: `${normalizedName(fnKey)}${suffix}`, name, origin: { via: 'direct', range: entryRange(key) } };
  }

  /** Every event points at the unqualified function unless an alias is created (docs/FACTS.md, section 8.1). */
  private target(key: string, node: TNode, origin: Origin): FunctionTarget {
    const alias = this.aliasOf(node, key);
    return alias
      ? { functionId: key, qualifier: 'alias', aliasId: alias.id, origin }
      : { functionId: key, qualifier: 'unqualified', origin };
  }

  private events(fn: LambdaFunction, node: TNode): void {
    // `url: true` / `url: { authorizer: aws_iam }`: an AWS::Lambda::Url on the function (or its alias)
    // and, for AuthType NONE, the public permission (SLS3 v3.40.0 compile/functions.js `compileFunctionUrl`).
    const url = entry(node, 'url');
    if (url && truthy(url.value)) {
      const origin: Origin = { via: 'direct', range: keyRange(url) };
      const auth =
        url.value.kind === 'map' && scalarString(get(url.value, 'authorizer')) === 'aws_iam' ? 'AWS_IAM' : 'NONE';
      this.model.triggers.push({
        id: `${fn.id}.url`,
        deployment: this.deployment,
        kind: 'function-url',
        target: this.target(fn.id, node, origin),
        implicitPermission: true,
        authType: { value: auth, origin },
        origin,
        label: `function URL of ${fn.id}`,
      });
    }
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
      const num = (k: string) => (cfg.kind === 'map' ? numAt(this, entry(cfg, k), 'direct') : undefined);
      const base = { id, deployment: this.deployment, target, origin, label };
      if (type === 'sqs') {
        const source = strAt(this, arnEntry, 'direct');
        const sourceKey = customerManagedQueueKey(this.r, source, (queue) => {
          const node = get(get(queue.node, 'Properties'), 'KmsMasterKeyId');
          return node ? str(this, node) : undefined;
        });
        const filtered = cfg.kind === 'map' && entry(cfg, 'filterPatterns') !== undefined;
        this.model.mappings.push({
          ...base,
          kind: 'sqs',
          source,
          batchSize: num('batchSize'),
          batchingWindow: num('maximumBatchingWindow'),
          ...(sourceKey ? { sourceKey } : {}),
          ...(filtered ? { filtered: true } : {}),
        });
      } else if (type === 'stream') {
        const source = strAt(this, arnEntry, 'direct');
        this.model.mappings.push({
          ...base,
          kind: streamKind(scalarString(get(cfg, 'type')), source),
          source,
          batchSize: num('batchSize'),
          batchingWindow: num('batchWindow'),
          destinations: this.streamDestinations(cfg),
        });
      } else if (type === 'msk') {
        this.model.mappings.push({
          ...base,
          kind: 'msk',
          source: strAt(this, arnEntry, 'direct'),
          batchSize: num('batchSize'),
          batchingWindow: num('maximumBatchingWindow'),
          accessConfigs: this.accessConfigs(
            get(cfg, 'saslScram512') ? [['SASL_SCRAM_512_AUTH', entry(cfg, 'saslScram512')]] : [],
          ),
        });
      } else if (type === 'kafka') {
        const ac = get(cfg, 'accessConfigurations');
        const pairs: [string, Entry | undefined][] = [];
        const kinds: Record<string, string> = {
          vpcSubnet: 'VPC_SUBNET',
          vpcSecurityGroup: 'VPC_SECURITY_GROUP',
          saslPlainAuth: 'BASIC_AUTH',
          saslScram256Auth: 'SASL_SCRAM_256_AUTH',
          saslScram512Auth: 'SASL_SCRAM_512_AUTH',
          clientCertificateTlsAuth: 'CLIENT_CERTIFICATE_TLS_AUTH',
          serverRootCaCertificate: 'SERVER_ROOT_CA_CERTIFICATE',
        };
        for (const e of ac?.entries ?? [])
          if (kinds[e.key]) pairs.push(...this.listEntries(e).map((x): [string, Entry] => [kinds[e.key], x]));
        this.model.mappings.push({
          ...base,
          kind: 'kafka',
          batchSize: num('batchSize'),
          batchingWindow: num('maximumBatchingWindow'),
          accessConfigs: this.accessConfigs(pairs),
        });
      } else if (type === 'activemq' || type === 'rabbitmq') {
        this.model.mappings.push({
          ...base,
          kind: 'mq',
          source: strAt(this, arnEntry, 'direct'),
          batchSize: num('batchSize'),
          accessConfigs: this.accessConfigs([['BASIC_AUTH', entry(cfg, 'basicAuthArn')]]),
        });
      } else {
        // Push events: the framework adds the resource-based permission itself.
        const trigger: Trigger = { ...base, kind: PUSH[type] ?? 'other', implicitPermission: true };
        // An API event's own timeout setting (Framework v4 lets an http event raise the REST
        // integration timeout) is not modelled: the integration timeout is then unknown.
        const timeout = cfg.kind === 'map' ? entry(cfg, 'timeout') : undefined;
        if ((type === 'http' || type === 'httpApi' || type === 'websocket') && timeout)
          trigger.integrationTimeout = {
            sym: { kind: 'param', key: `unknown:${id}.timeout`, text: `${id}.timeout` },
            origin: { via: 'direct', range: entryRange(timeout) },
          };
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
    const at =
      cfg.kind === 'map' ? (type === 's3' ? entry(cfg, 'bucket') : (entry(cfg, 'arn') ?? entry(cfg, 'topicName'))) : ev;
    const v = at ? strAt(this, at, 'direct') : undefined;
    if (!v) return;
    if (v.value !== undefined && !v.value.startsWith('arn:')) {
      const id = `${type === 's3' ? 'S3Bucket' : 'SNSTopic'}${normalizedAlnum(v.value)}`;
      v.sym = {
        kind: 'ref',
        key: `Ref:${id}`,
        text: `!Ref ${id}`,
        target: id,
        resourceType: type === 's3' ? 'AWS::S3::Bucket' : 'AWS::SNS::Topic',
      };
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
      const uri = strAt(this, e, 'direct');
      if (uri) out.push({ type, uri });
    }
    return out.length ? out : undefined;
  }

  private streamDestinations(cfg: TNode): Destination[] | undefined {
    const e = entry(get(cfg, 'destinations'), 'onFailure');
    if (!e) return undefined;
    const arnEntry = e.value.kind === 'map' && !intrinsicKey(e.value) ? entry(e.value, 'arn') : e;
    const arn = strAt(this, arnEntry, 'direct');
    if (!arn) return undefined;
    return [{ kind: 'on-failure', arn, type: scalarString(get(e.value, 'type')) ?? destType(arn) }];
  }

  // ---- the generated role -------------------------------------------------------------------------
}

/** Plugins that build a service's handlers, and how: a bundle, or TypeScript compiled file by file. */
const BUILD_PLUGINS: Record<string, string> = {
  'serverless-esbuild': 'esbuild',
  'serverless-webpack': 'webpack',
  'serverless-bundle': 'webpack',
  'serverless-plugin-typescript': 'tsc',
};

function streamKind(type: string | undefined, source: Val<string> | undefined): EventSourceKind {
  if (type === 'dynamodb' || type === 'kinesis') return type;
  const rt = source?.sym?.resourceType;
  if (rt === 'AWS::DynamoDB::Table') return 'dynamodb';
  if (rt === 'AWS::Kinesis::Stream' || rt === 'AWS::Kinesis::StreamConsumer') return 'kinesis';
  const svc = /^arn:[^:]+:([a-z0-9-]+):/.exec(
    source?.value ?? (source?.sym?.kind === 'expr' ? source.sym.text : ''),
  )?.[1];
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

/** Parses and loads one service file. Throws only on lambdalint's own bugs. */
function loadServiceFile(file: string, text: string, ctx: LoadContext, out: LoadOutcome): void {
  const parsed: ScriptParseResult = /\.[cm]?[jt]s$/.test(file)
    ? parseServerlessScript(file, text)
    : parseSource(file, text);
  if (!parsed.ok) {
    out.problems.push({ file, message: parsed.error.message, range: parsed.error.range });
    return;
  }
  const options = { cwd: ctx.cwd, stage: ctx.stage, productionNames: ctx.productionNames };
  if (loadServerless(parsed.root, ctx.model, options, parsed.dynamic) === undefined) return;
  out.templates++;
  if (/\.(ya?ml|json)$/i.test(file))
    for (const d of duplicateKeys(parsed.root, parsed.aliasFree))
      out.problems.push(duplicateKeyProblem(file, d, 'serverless'));
}

/** Serverless Framework service files (src/load/loader.ts). */
export const serverlessLoader: Loader = {
  inputs: (found) => found.serverless,
  load(files, ctx, out) {
    for (const file of files) {
      ctx.step(file);
      out.files++;
      const text = readInput(file, ctx, out, { tooBig: overLimit });
      if (text === undefined) continue;
      try {
        loadServiceFile(file, text, ctx, out);
      } catch (e) {
        out.notes.push(`${ctx.rel(file)}: could not be modelled (${(e as Error).message})`);
      }
    }
  },
};
