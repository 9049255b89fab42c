// Terraform root module → model. Functions, roles and their policies, aliases, event source
// mappings, permissions, invoke configs, S3 / SNS / EventBridge triggers, layers and log groups,
// with every value pointing at the attribute that wrote it. Local modules are loaded into the same
// deployment with their addresses prefixed `module.NAME.`; registry and remote modules are unknown.
import fs from 'node:fs';
import path from 'node:path';
import { parseTree, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import { notChecked } from '../../model/coverage.js';
import { isProductionName, productionFromFolders, STAGE_PARAMETER } from '../../model/production.js';
import { resourceType, sourceKindOfArn } from '../../model/resource-types.js';
import type {
  CodeLocation,
  Deployment,
  Destination,
  EventSourceKind,
  FunctionTarget,
  LambdaFunction,
  Model,
  Origin,
  PolicyDocument,
  Production,
  Role,
  SourceRange,
  Statement,
  Subnet,
  Trigger,
  TriggerKind,
  Val,
  VpcConfig,
} from '../../model/types.js';
import { type Attribute, type Block, type Body, type Expr, HclFile, type ParsedHcl, type Span, spanRange } from '../../source/hcl.js';
import { lambdaModuleCopy, lambdaModuleKind, type LambdaModuleKind, LambdaModules } from './lambda-module.js';
import {
  attrRange,
  countOf,
  Evaluator,
  type From,
  type Instance,
  listItems,
  numVal,
  originAt,
  type Scope,
  scalarText,
  strVal,
  type TV,
  unknownSym,
} from './values.js';

export interface TerraformLoadOptions {
  cwd: string;
  stage?: string;
  productionNames: readonly string[];
  /** Folders file() may read and packages may lie in. */
  within: readonly string[];
  /** Parsed .tf files of a folder (cached; undefined when the folder has none or cannot be read). */
  filesOf(dir: string): ParsedHcl[] | undefined;
  /**
   * Where `terraform init` put a registry or remote module: its folder, from the root's
   * `.terraform/modules/modules.json` (`key` is the module path, `api` or `api.inner`), or why not.
   */
  installedModule?(rootDir: string, key: string, source: string): { dir: string } | { note: string } | undefined;
}

export interface RootInput {
  dir: string;
  files: ParsedHcl[];
  tfvars: ParsedHcl[];
}

const MAX_MODULE_DEPTH = 8;

type ModuleEntry = Scope['modules'] extends Map<string, infer M> ? M : never;

/** An expression as written, on one line and short, for notes and coverage reasons. */
function exprText(e: Expr): string {
  const t = e.span.file.text.slice(e.span.start, e.span.end).replace(/\s+/g, ' ').trim();
  return t.length > 60 ? `${t.slice(0, 57)}...` : t;
}
const META_ARGS = new Set(['source', 'version', 'count', 'for_each', 'providers', 'depends_on']);

/** Resource types whose addresses the permission rules can recognise in symbolic ARNs. */
export interface Res {
  address: string;
  type: string;
  block: Block;
  scope: Scope;
  inst: Instance;
}

export function loadTerraformRoot(input: RootInput, model: Model, options: TerraformLoadOptions): Deployment {
  return new TerraformLoader(input, model, options).load();
}

class TerraformLoader {
  ev: Evaluator;
  private scopes: Scope[] = [];
  deployment!: Deployment;
  roles = new Map<string, Role>();
  private resources: Res[] = [];
  notes: string[] = [];
  moduleCalls = new Map<string, { name: string; source: string; range: SourceRange }>();

  constructor(
    private input: RootInput,
    readonly model: Model,
    private options: TerraformLoadOptions,
  ) {
    this.ev = new Evaluator((scope, name) => scope.modules.get(name)?.scope);
    this.lambdaModules = new LambdaModules(this);
  }

  /** Calls of terraform-aws-modules/lambda, modelled from their inputs. */
  readonly lambdaModules: LambdaModules;

  load(): Deployment {
    const { dir } = this.input;
    const mainFile = this.input.files.find((f) => path.basename(f.file.path) === 'main.tf') ?? this.input.files[0];
    const relDir = path.relative(this.options.cwd, dir).split(path.sep).join('/') || '.';
    this.chain = [dir];
    const root = this.scope(dir, '', dir, this.input.files, 0, (s) => this.applyTfvars(s));
    this.deployment = { id: relDir === '.' ? path.basename(dir) : relDir, framework: 'terraform', file: mainFile.file.path, production: { isProduction: false }, notes: this.notes, moduleCalls: this.moduleCalls };
    this.deployment.production = this.production(root, relDir);
    this.model.deployments.push(this.deployment);
    const types = new Map<string, string>();
    for (const r of this.resources) types.set(r.address, r.type);
    for (const [a, t] of this.lambdaModules.types) types.set(a, t);
    this.model.resourceTypes.set(this.deployment, types);

    const byType = (t: string) => this.resources.filter((r) => r.type === t);
    for (const r of byType('aws_iam_role')) this.loadRole(r);
    this.lambdaModules.loadRoles();
    for (const r of byType('aws_iam_policy')) this.loadManagedPolicy(r);
    for (const r of byType('aws_iam_role_policy')) this.loadRolePolicy(r);
    for (const r of byType('aws_iam_role_policy_attachment')) this.loadAttachment(r, 'role');
    for (const r of byType('aws_iam_policy_attachment')) this.loadAttachment(r, 'roles');
    for (const r of byType('aws_lambda_layer_version')) this.loadLayer(r);
    this.lambdaModules.loadLayers();
    for (const r of byType('aws_cloudwatch_log_group')) this.loadLogGroup(r);
    for (const r of byType('aws_subnet')) this.loadSubnet(r);
    for (const r of byType('aws_sqs_queue')) {
      this.model.queues.push({ id: r.address, deployment: this.deployment, visibilityTimeout: this.num(r, r.block.body, 'visibility_timeout_seconds'), origin: this.head(r) });
    }
    for (const r of byType('aws_lambda_function')) this.loadFunction(r);
    this.lambdaModules.loadFunctions();
    for (const r of byType('aws_lambda_alias')) this.loadAlias(r);
    this.lambdaModules.loadAliases();
    for (const r of byType('aws_lambda_event_source_mapping')) this.loadMapping(r);
    this.lambdaModules.loadMappings();
    for (const r of byType('aws_lambda_permission')) this.loadPermission(r);
    this.lambdaModules.loadPermissions();
    for (const p of this.passedToRemote) {
      // A module lambdalint cannot read may add invoke permissions for the function it is given.
      if (!this.fnByAddress(p.target)) continue;
      const origin: Origin = { via: 'implicit', range: spanRange(p.head), note: `possibly granted by ${p.module}` };
      this.model.permissions.push({ id: `${p.module}:${p.target}`, deployment: this.deployment, target: { functionId: p.target, qualifier: 'unknown', origin }, origin });
    }
    for (const r of byType('aws_api_gateway_integration')) this.loadApiIntegration(r, 'rest');
    for (const r of byType('aws_apigatewayv2_integration')) this.loadApiIntegration(r, 'v2');
    for (const r of byType('aws_lambda_function_event_invoke_config')) this.loadInvokeConfig(r);
    this.lambdaModules.loadInvokeConfigs();
    for (const r of byType('aws_s3_bucket_notification')) this.loadBucketNotification(r);
    for (const r of byType('aws_sns_topic_subscription')) this.loadSubscription(r);
    for (const r of byType('aws_cloudwatch_event_target')) this.loadEventTarget(r);
    return this.deployment;
  }

  // ---- scopes and modules -------------------------------------------------------------------

  /** Builds a module's scope; `bind` gives its variables their values before anything is evaluated. */
  private scope(dir: string, prefix: string, rootDir: string, files: ParsedHcl[], depth: number, bind: (scope: Scope) => void): Scope {
    const scope: Scope = {
      prefix,
      dir,
      rootDir,
      variables: new Map(),
      locals: new Map(),
      resources: new Map(),
      data: new Map(),
      modules: new Map(),
      outputs: new Map(),
      within: this.options.within,
    };
    const blocks: Block[] = files.flatMap((f) => f.body.blocks);
    for (const b of blocks) {
      const [a, c] = b.labels;
      if (b.type === 'variable' && a) scope.variables.set(a, { name: a, block: b });
      else if (b.type === 'locals') for (const [k, attr] of b.body.attrs) scope.locals.set(k, attr);
      else if (b.type === 'resource' && a && c) scope.resources.set(`${a}.${c}`, b);
      else if (b.type === 'data' && a && c) scope.data.set(`${a}.${c}`, b);
      else if (b.type === 'output' && a) {
        const v = b.body.attrs.get('value');
        if (v) scope.outputs.set(a, v);
      } else if (b.type === 'module' && a) scope.modules.set(a, { block: b });
    }
    this.scopes.push(scope);
    bind(scope);
    // Child modules first get their inputs (evaluated here), then their own resources.
    for (const [name, m] of scope.modules) {
      const src = m.block.body.attrs.get('source');
      const source = src ? scalarText(this.ev.eval(src.expr, scope)) : undefined;
      const local = !!source && /^\.\.?(\/|\\|$)/.test(source);
      // terraform-aws-modules/lambda (from the registry, git, .terraform/modules or a local copy of
      // it) is modelled from the call's inputs, at the lines of the call.
      const lambdaKind = source === undefined ? undefined : local ? lambdaModuleCopy(this.options.filesOf(path.resolve(dir, source)) ?? []) : lambdaModuleKind(source);
      if (source !== undefined && lambdaKind) {
        this.lambdaModule(name, m, scope, source, lambdaKind);
        continue;
      }
      let childDir: string;
      if (!source || !local) {
        // A registry or remote module is read only where `terraform init` downloaded it.
        // `module.a.module.b.` + `c` → `a.b.c`, the key `terraform init` records.
        const key = [...prefix.split('.').filter((_, i) => i % 2 === 1 && _ !== ''), name].join('.');
        const installed = source ? this.options.installedModule?.(rootDir, key, source) : undefined;
        if (!installed || 'note' in installed) {
          if (installed) this.notes.push(`module ${prefix}${name}: ${installed.note}`);
          this.remoteModule(name, m.block, scope, source, !!installed);
          continue;
        }
        childDir = installed.dir;
      } else childDir = path.resolve(dir, source);
      if (this.chain.includes(childDir)) {
        this.moduleCalls.set(`${prefix}module.${name}.`, { name: `${prefix}module.${name}`, source: source ?? '', range: spanRange(m.block.headSpan) });
        this.notes.push(`module ${prefix}${name}: ${source} calls itself; not followed`);
        continue;
      }
      const childFiles = depth < MAX_MODULE_DEPTH ? this.options.filesOf(childDir) : undefined;
      if (!childFiles) {
        this.moduleCalls.set(`${prefix}module.${name}.`, { name: `${prefix}module.${name}`, source: source ?? '', range: spanRange(m.block.headSpan) });
        this.notes.push(`module ${prefix}${name}: ${source} has no readable .tf files; not modelled`);
        continue;
      }
      this.localModule(name, m, scope, source ?? '', childDir, childFiles, depth);
    }
    for (const [address, b] of scope.resources) {
      for (const { suffix, inst } of this.instances(b, scope)) {
        this.resources.push({ address: `${prefix}${address}${suffix}`, type: address.split('.')[0], block: b, scope, inst });
      }
    }
    return scope;
  }

  /**
   * A module whose files lambdalint reads (a local folder, or a copy `terraform init` downloaded).
   * With `count` / `for_each` over known values each instance is loaded on its own
   * (`module.x[0].`, `module.x["k"].`), its inputs evaluated with that instance's `count.index` /
   * `each.*`; over values that cannot be known, the instances are not modelled and coverage says why.
   */
  private localModule(name: string, m: ModuleEntry, scope: Scope, source: string, childDir: string, childFiles: ParsedHcl[], depth: number): void {
    const prefix = scope.prefix;
    const unknown = this.unknownInstances(m.block, scope);
    if (unknown) {
      this.moduleCalls.set(`${prefix}module.${name}.`, { name: `${prefix}module.${name}`, source, range: spanRange(m.block.headSpan) });
      this.notes.push(`module ${prefix}${name}: ${unknown}; its instances are not modelled`);
      notChecked(this.model, { file: m.block.headSpan.file.path, rules: [], reason: `resources of module ${prefix}${name}: ${unknown}` });
      return;
    }
    const instances = this.instances(m.block, scope);
    const scopes = new Map<string, Scope>();
    this.chain.push(childDir);
    for (const { suffix, inst, key } of instances) {
      const address = `${prefix}module.${name}${suffix}`;
      this.moduleCalls.set(`${address}.`, { name: address, source, range: spanRange(m.block.headSpan) });
      const bindInputs = (child: Scope): void => {
        for (const [k, attr] of m.block.body.attrs) {
          if (META_ARGS.has(k)) continue;
          const info = child.variables.get(k);
          if (!info) continue;
          const v = this.ev.eval(attr.expr, scope, inst);
          if (v.t === 'unknown') continue;
          info.given = { ...v, from: { ...(v.from ?? { range: attrRange(attr), message: `input ${k} of module ${address}` }), via: 'module' } };
        }
      };
      scopes.set(key ?? '', this.scope(childDir, `${address}.`, scope.rootDir, childFiles, depth + 1, bindInputs));
    }
    this.chain.pop();
    if (!m.block.body.attrs.has('count') && !m.block.body.attrs.has('for_each')) {
      m.scope = scopes.get('');
      return;
    }
    // `module.x[0].out`, `module.x["k"].out`: the output of that instance.
    m.outputs = (output, key) => {
      const k = key === undefined ? undefined : scalarText(key);
      const child = k === undefined ? (scopes.size === 1 && scopes.has('') ? scopes.get('') : undefined) : (scopes.get(k) ?? (scopes.size === 1 && scopes.has('') ? scopes.get('') : undefined));
      const a = child?.outputs.get(output);
      return child && a ? this.ev.eval(a.expr, child) : undefined;
    };
  }

  /** Why the instances of a block with `count` / `for_each` cannot be known, if they cannot. */
  private unknownInstances(b: Block, scope: Scope): string | undefined {
    const count = b.body.attrs.get('count');
    if (count) {
      const v = this.ev.eval(count.expr, scope);
      if (v.t !== 'num') return `count = ${exprText(count.expr)} is not known statically`;
      return undefined; // a count over the instance limit is one instance, as for resources
    }
    const fe = b.body.attrs.get('for_each');
    if (!fe) return undefined;
    const v = this.ev.eval(fe.expr, scope);
    if (v.t === 'obj' || (v.t === 'list' && v.items.every((i) => i.t === 'str'))) return undefined;
    return `for_each = ${exprText(fe.expr)} is not known statically`;
  }

  private lambdaModule(name: string, m: { block: Block; outputs?: (output: string, key: TV | undefined) => TV | undefined }, scope: Scope, source: string, kind: LambdaModuleKind): void {
    const prefix = `${scope.prefix}module.${name}`;
    this.moduleCalls.set(`${prefix}.`, { name: prefix, source, range: spanRange(m.block.headSpan) });
    const calls = new Map<string, ReturnType<LambdaModules['add']>>();
    for (const { suffix, inst, key } of this.instances(m.block, scope)) {
      calls.set(key ?? '', this.lambdaModules.add(kind, m.block, scope, name, suffix, inst, source));
    }
    m.outputs = (output, key) => {
      const k = key === undefined ? '' : scalarText(key);
      const call = k === undefined ? undefined : (calls.get(k) ?? (calls.size === 1 ? [...calls.values()][0] : undefined));
      return call ? this.lambdaModules.output(call, output) : undefined;
    };
  }

  /** A registry or remote module: its resources are unknown, and roles it is given may gain policies. */
  private remoteModule(name: string, block: Block, scope: Scope, source: string | undefined, stale = false): void {
    this.notes.push(`module ${scope.prefix}${name}${source ? ` (${source})` : ''} is not a local module; its resources are not modelled`);
    // Whatever functions it declares are not checked: say which module, and what would let lambdalint read it.
    const registry = source !== undefined && /^([a-z0-9.-]+\/)?[\w-]+\/[\w-]+\/[\w-]+(\/\/[^?]*)?$/i.test(source);
    const why = source === undefined ? 'a module whose source cannot be read' : registry ? `registry module ${source} (${stale ? 'the downloaded copy is of another source' : 'not downloaded'}; run terraform init)` : `remote module ${source} (not read)`;
    notChecked(this.model, { file: block.headSpan.file.path, rules: [], reason: `resources of module ${scope.prefix}${name}: ${why}` });
    for (const [k, attr] of block.body.attrs) {
      if (META_ARGS.has(k)) continue;
      const v = this.ev.eval(attr.expr, scope);
      for (const t of new Set([...symTargets(v), ...exprRefs(attr.expr).map((a) => scope.prefix + a)])) {
        this.opaqueRoles.add(t);
        this.passedToRemote.push({ target: t, module: `${scope.prefix}module.${name}`, head: block.headSpan });
      }
    }
  }

  /** Resources handed to registry / remote modules, which may grant permissions on them. */
  passedToRemote: { target: string; module: string; head: Span }[] = [];

  opaqueRoles = new Set<string>();
  /** Folders of the modules being built, outermost first (a module calling itself is not followed). */
  private chain: string[] = [];

  /**
   * count = 0 drops a resource; a known count of 2 or more makes instances `[0]`, `[1]`...; for_each
   * over known keys makes one instance per key (`["a"]`). `key` is the instance key, when there are several.
   */
  instances(b: Block, scope: Scope): { suffix: string; inst: Instance; key?: string }[] {
    const count = b.body.attrs.get('count');
    if (count) {
      const n = countOf(this.ev, b, scope);
      if (n === 0) return [];
      if (n !== undefined && n >= 2) return Array.from({ length: n }, (_, i) => ({ suffix: `[${i}]`, inst: { countIndex: { t: 'num', v: i } }, key: String(i) }));
      return [{ suffix: '', inst: n === 1 ? { countIndex: { t: 'num', v: 0 } } : {} }];
    }
    const fe = b.body.attrs.get('for_each');
    if (fe) {
      const v = this.ev.eval(fe.expr, scope);
      if (v.t === 'obj') return [...v.entries].map(([k, val]) => ({ suffix: `[${JSON.stringify(k)}]`, inst: { each: { key: { t: 'str', v: k }, value: val } }, key: k }));
      if (v.t === 'list' && v.items.every((i) => i.t === 'str')) {
        return v.items.map((i) => ({ suffix: `[${JSON.stringify((i as { v: string }).v)}]`, inst: { each: { key: i, value: i } }, key: (i as { v: string }).v }));
      }
      return [{ suffix: '', inst: {} }];
    }
    return [{ suffix: '', inst: {} }];
  }

  private applyTfvars(root: Scope): void {
    for (const f of this.input.tfvars) {
      const name = path.basename(f.file.path);
      for (const [k, attr] of f.body.attrs) {
        const info = root.variables.get(k);
        if (!info) continue;
        const v = this.ev.eval(attr.expr, { ...root, variables: new Map() });
        if (v.t === 'unknown') continue;
        info.given = { ...v, from: { range: attrRange(attr), message: `var.${k} set in ${name}`, via: 'parameter' } };
      }
    }
  }

  private production(root: Scope, relDir: string): Production {
    for (const info of root.variables.values()) {
      if (!STAGE_PARAMETER.test(info.name)) continue;
      if (this.options.stage !== undefined) {
        return isProductionName(this.options.stage, this.options.productionNames) ? { isProduction: true, reason: `--stage ${this.options.stage}` } : { isProduction: false };
      }
      const v = this.ev.variable(info, root, 0);
      if (v.t === 'str' && isProductionName(v.v, this.options.productionNames)) {
        const how = info.given ? `is ${v.v}` : `defaults to ${v.v}`;
        const origin: Origin = { via: 'parameter', range: v.from?.range ?? spanRange(info.block.headSpan) };
        return { isProduction: true, reason: `variable ${info.name} ${how}`, origin };
      }
      if (v.t === 'str' && info.given) return { isProduction: false, reason: `variable ${info.name} is ${v.v}` };
    }
    if (this.options.stage !== undefined) {
      return isProductionName(this.options.stage, this.options.productionNames) ? { isProduction: true, reason: `--stage ${this.options.stage}` } : { isProduction: false };
    }
    return productionFromFolders(relDir === '.' ? 'main.tf' : `${relDir}/main.tf`, this.options.productionNames);
  }

  // ---- value helpers ------------------------------------------------------------------------

  value(r: Res, body: Body, name: string): { attr: Attribute; v: TV } | undefined {
    const attr = body.attrs.get(name);
    if (!attr) return undefined;
    const v = this.ev.eval(attr.expr, r.scope, r.inst);
    if (v.t === 'null') return undefined;
    return { attr, v };
  }

  str(r: Res, body: Body | undefined, name: string): Val<string> | undefined {
    const got = body ? this.value(r, body, name) : undefined;
    return got ? strVal(got.v, originAt(got.attr, got.v)) : undefined;
  }

  num(r: Res, body: Body | undefined, name: string): Val<number> | undefined {
    const got = body ? this.value(r, body, name) : undefined;
    return got ? numVal(got.v, originAt(got.attr, got.v)) : undefined;
  }

  list(r: Res, body: Body | undefined, name: string): Val<Val<string>[]> | undefined {
    const got = body ? this.value(r, body, name) : undefined;
    if (!got) return undefined;
    const origin = originAt(got.attr, got.v);
    const items = listItems(got.v);
    if (!items) return { sym: got.v.t === 'sym' ? got.v.sym : unknownSym(got.v), origin };
    return { value: items.map((i) => strVal(i, i.span ? originAt(i.span, i) : origin)), origin };
  }

  /** An attribute of a nested block; unknown (symbolic) when a dynamic block may or may not set it. */
  private subStr(r: Res, body: Body, type: string, name: string, useContent = false): Val<string> | undefined {
    const b = this.sub(r, body, type);
    if (!b) return undefined;
    if (b.unknown && this.contentIsNull(r, b.unknown, name)) return undefined;
    if (b.unknown && useContent) {
      // The value the block sets when it is there (its iterator unknown); kept only when that value is
      // not itself unknown.
      const content = b.unknown.body.blocks.find((x) => x.type === 'content')!;
      const v = this.str(r, content.body, name);
      if (v && (v.value !== undefined || v.sym?.kind === 'expr' || v.sym?.target)) return { ...v, origin: { ...v.origin, note: `set in a dynamic ${type} block` } };
    }
    if (b.unknown) return { sym: { kind: 'param', key: `unknown:${r.address}.${type}.${name}`, text: `${type}.${name}` }, origin: { via: 'direct', range: spanRange(b.unknown.headSpan) } };
    return this.str(b.r, b.block.body, name);
  }

  /** Whether a dynamic block's content leaves `name` unset (null) whatever it iterates over. */
  private contentIsNull(r: Res, dyn: Block, name: string): boolean {
    const content = dyn.body.blocks.find((x) => x.type === 'content');
    const a = content?.body.attrs.get(name);
    if (!a) return true;
    return this.ev.eval(a.expr, r.scope, r.inst).t === 'null';
  }

  private subNum(r: Res, body: Body, type: string, name: string): Val<number> | undefined {
    const b = this.sub(r, body, type);
    if (!b) return undefined;
    if (b.unknown && this.contentIsNull(r, b.unknown, name)) return undefined;
    if (b.unknown) return { sym: { kind: 'param', key: `unknown:${r.address}.${type}.${name}`, text: `${type}.${name}` }, origin: { via: 'direct', range: spanRange(b.unknown.headSpan) } };
    return this.num(b.r, b.block.body, name);
  }

  head(r: Res): Origin {
    return { via: r.scope.prefix ? 'module' : 'direct', range: spanRange(r.block.headSpan) };
  }

  /**
   * Nested blocks of a type, written out or made by `dynamic` blocks over known collections, each
   * with the resource instance its iterator is bound in; `unknown` when a `dynamic` block iterates
   * over something that cannot be known.
   */
  private blocksOf(r: Res, body: Body, type: string): { items: { block: Block; r: Res }[]; unknown: boolean } {
    const items: { block: Block; r: Res }[] = [];
    let unknown = false;
    for (const b of body.blocks) {
      if (b.type === type) items.push({ block: b, r });
      else if (b.type === 'dynamic' && b.labels[0] === type) {
        const content = b.body.blocks.find((x) => x.type === 'content');
        const fe = b.body.attrs.get('for_each');
        const v = fe ? this.ev.eval(fe.expr, r.scope, r.inst) : ({ t: 'unknown' } as TV);
        const itAttr = b.body.attrs.get('iterator');
        const itName = (itAttr?.expr.k === 'ref' ? itAttr.expr.root : undefined) ?? type;
        const pairs: [TV, TV][] =
          v.t === 'list' ? v.items.map((x, i) => [{ t: 'num', v: i }, x]) : v.t === 'obj' ? [...v.entries].map(([k, x]) => [{ t: 'str', v: k }, x]) : [];
        if (v.t !== 'list' && v.t !== 'obj' && v.t !== 'null') unknown = true;
        else if (content) {
          for (const [key, value] of pairs) items.push({ block: content, r: { ...r, inst: { ...r.inst, iters: { ...r.inst.iters, [itName]: { key, value } } } } });
        }
      }
    }
    return { items, unknown };
  }

  /** The first block of a type; `{ unknown }` (the dynamic block) when whether there is one cannot be known. */
  private sub(r: Res, body: Body, type: string): { block: Block; r: Res; unknown?: undefined } | { unknown: Block } | undefined {
    const { items, unknown } = this.blocksOf(r, body, type);
    if (items[0]) return items[0];
    const dyn = unknown ? body.blocks.find((b) => b.type === 'dynamic' && b.labels[0] === type) : undefined;
    return dyn ? { unknown: dyn } : undefined;
  }

  private byAddress = new Map<string, Res>();

  resource(address: string | undefined): Res | undefined {
    if (address === undefined) return undefined;
    if (this.byAddress.size !== this.resources.length) for (const r of this.resources) this.byAddress.set(r.address, r);
    return this.byAddress.get(address);
  }

  // ---- IAM ----------------------------------------------------------------------------------

  private loadRole(r: Res): void {
    const role: Role = { id: r.address, deployment: this.deployment, generated: false, inline: [], managedPolicyArns: [], managedPolicyIds: [], complete: !this.opaqueRoles.has(r.address), origin: this.head(r) };
    const inline = this.blocksOf(r, r.block.body, 'inline_policy');
    if (inline.unknown) role.complete = false;
    for (const { block: b, r: br } of inline.items) {
      const p = this.value(br, b.body, 'policy');
      if (!p) continue;
      const name = this.str(br, b.body, 'name')?.value;
      const doc = this.document(p.v, p.attr, br, name);
      role.inline.push(doc);
    }
    const managed = this.list(r, r.block.body, 'managed_policy_arns');
    if (managed?.sym) role.complete = false;
    for (const arn of managed?.value ?? []) this.attachArn(role, arn);
    const boundary = this.str(r, r.block.body, 'permissions_boundary');
    if (boundary) role.permissionsBoundary = this.managedRef(boundary);
    this.roles.set(r.address, role);
    this.model.roles.push(role);
  }

  private managedRef(arn: Val<string>): Val<string> {
    const t = arn.sym?.target;
    if (t && this.resource(t)?.type === 'aws_iam_policy') return { ...arn, sym: { ...arn.sym!, target: t } };
    return arn;
  }

  attachArn(role: Role, arn: Val<string>): void {
    const t = arn.sym?.target;
    if (t && this.resource(t)?.type === 'aws_iam_policy') {
      if (!role.managedPolicyIds.includes(t)) role.managedPolicyIds.push(t);
    } else role.managedPolicyArns.push(arn);
  }

  private loadManagedPolicy(r: Res): void {
    const p = this.value(r, r.block.body, 'policy');
    const doc = p ? this.document(p.v, p.attr, r, r.address) : { statements: [], complete: false, origin: this.head(r) };
    this.model.managedPolicies.push({ id: r.address, deployment: this.deployment, document: doc });
  }

  /** The roles a `role` / `roles` argument names; `unknown` when one of them cannot be found. */
  private rolesNamed(r: Res, name: 'role' | 'roles'): { roles: Role[]; unknown: boolean } {
    const got = this.value(r, r.block.body, name);
    if (!got) return { roles: [], unknown: true };
    const items = name === 'roles' ? listItems(got.v) : [got.v];
    if (!items) return { roles: [], unknown: true };
    const roles: Role[] = [];
    let unknown = false;
    for (const v of items) {
      const t = v.t === 'sym' ? v.sym.target : undefined;
      let role = t ? this.roles.get(t) : undefined;
      const text = scalarText(v);
      if (!role && text !== undefined) {
        const bare = /:role\/(?:.*\/)?([^/]+)$/.exec(text)?.[1] ?? text;
        role = [...this.roles.values()].find((ro) => {
          const res = this.resource(ro.id);
          return res && this.str(res, res.block.body, 'name')?.value === bare;
        });
      }
      if (role) roles.push(role);
      else unknown = true;
    }
    return { roles, unknown };
  }

  /** A policy attached to a role lambdalint cannot identify may grant anything to any role. */
  private unknownGrant(r: Res): void {
    this.notes.push(`${r.address}: attaches a policy to a role that cannot be identified; permission checks treat every role as incomplete`);
    for (const role of this.roles.values()) role.complete = false;
  }

  private loadRolePolicy(r: Res): void {
    const { roles, unknown } = this.rolesNamed(r, 'role');
    if (unknown) return this.unknownGrant(r);
    const p = this.value(r, r.block.body, 'policy');
    if (!p) return;
    const doc = this.document(p.v, p.attr, r, this.str(r, r.block.body, 'name')?.value ?? r.address);
    for (const role of roles) role.inline.push(doc);
  }

  private loadAttachment(r: Res, name: 'role' | 'roles'): void {
    const { roles, unknown } = this.rolesNamed(r, name);
    if (unknown && name === 'role') return this.unknownGrant(r);
    const arn = this.str(r, r.block.body, 'policy_arn');
    if (!arn) return;
    for (const role of roles) this.attachArn(role, arn);
  }

  /** A policy document from whatever a `policy` argument holds. */
  document(v: TV, attr: Attribute, r: Res, name?: string): PolicyDocument {
    const origin: Origin = { via: r.scope.prefix ? 'module' : 'direct', range: attrRange(attr), note: `${r.address}` };
    if (v.doc) return this.policyDocumentData(v.doc.block, v.doc.scope, origin, name, 0);
    if (v.json) return this.docFromTV(v.json, origin, name);
    if (v.t === 'str') {
      const parsed = this.jsonTV(v, attr);
      if (parsed) return this.docFromTV(parsed, origin, name);
    }
    return { name, statements: [], complete: false, origin };
  }

  /** Parses a JSON policy string, keeping ranges when its text is exactly what the file holds. */
  private jsonTV(v: TV & { t: 'str' }, attr: Attribute): TV | undefined {
    const errors: ParseError[] = [];
    const tree = parseTree(v.v, errors, { allowTrailingComma: true });
    if (!tree || errors.length) return undefined;
    let file: HclFile | undefined;
    let base = 0;
    if (v.readFrom) {
      file = new HclFile(v.readFrom, v.v);
    } else if (v.span && v.span.file.text.slice(v.span.start, v.span.end) === v.v) {
      file = v.span.file;
      base = v.span.start;
    }
    const fallback: Span = attr.span;
    const conv = (n: JsonNode): TV => {
      const span: Span = file ? { file, start: base + n.offset, end: base + n.offset + n.length } : fallback;
      switch (n.type) {
        case 'object': {
          const entries = new Map<string, TV>();
          for (const p of n.children ?? []) {
            const [k, val] = p.children ?? [];
            if (k && val) entries.set(String(k.value), conv(val));
          }
          return { t: 'obj', entries, span };
        }
        case 'array':
          return { t: 'list', items: (n.children ?? []).map(conv), span };
        case 'string':
          return { t: 'str', v: String(n.value), span };
        case 'number':
          return { t: 'num', v: Number(n.value), span };
        case 'boolean':
          return { t: 'bool', v: Boolean(n.value), span };
        default:
          return { t: 'null', span };
      }
    };
    return conv(tree);
  }

  docFromTV(v: TV, origin: Origin, name?: string): PolicyDocument {
    const doc: PolicyDocument = { name, statements: [], complete: true, origin };
    if (v.t !== 'obj') return { ...doc, complete: false };
    const st = v.entries.get('Statement');
    if (!st) return doc;
    const items = st.t === 'obj' ? [st] : listItems(st);
    if (!items) return { ...doc, complete: false };
    for (const s of items) {
      if (s.t !== 'obj') {
        doc.complete = false;
        continue;
      }
      const strings = (key: string): Val<string>[] | undefined => {
        const x = s.entries.get(key);
        if (!x) return undefined;
        const list = listItems(x);
        const at = (i: TV) => (i.span ? originAt(i.span, i, origin.via) : origin);
        if (!list) return [strVal(x, at(x))];
        return list.map((i) => strVal(i, at(i)));
      };
      const effect = scalarText(s.entries.get('Effect'));
      if (effect !== undefined && effect !== 'Allow' && effect !== 'Deny') {
        doc.complete = false;
        continue;
      }
      doc.statements.push({
        effect: effect === 'Deny' ? 'Deny' : 'Allow',
        actions: strings('Action'),
        notActions: strings('NotAction'),
        resources: strings('Resource'),
        notResources: strings('NotResource'),
        hasCondition: s.entries.has('Condition'),
        origin: { via: origin.via, range: s.span ? spanRange(s.span) : origin.range, note: origin.note },
      });
    }
    return doc;
  }

  /** data.aws_iam_policy_document: statements, then source / override documents merged by sid. */
  private policyDocumentData(block: Block, scope: Scope, origin: Origin, name: string | undefined, depth: number): PolicyDocument {
    const doc: PolicyDocument = { name, statements: [], complete: true, origin };
    if (depth > 8) return { ...doc, complete: false };
    const r: Res = { address: `data.${block.labels.join('.')}`, type: block.labels[0], block, scope, inst: {} };
    const withSid: { sid?: string; st: Statement }[] = [];
    const merge = (items: { sid?: string; st: Statement }[], replace: boolean): void => {
      for (const it of items) {
        const at = it.sid ? withSid.findIndex((x) => x.sid === it.sid) : -1;
        if (at >= 0 && replace) withSid[at] = it;
        else if (at >= 0) withSid[at] = it;
        else withSid.push(it);
      }
    };
    const docsOf = (attrName: string): { sid?: string; st: Statement }[] => {
      const got = this.value(r, block.body, attrName);
      if (!got) return [];
      const items = attrName.endsWith('_json') ? [got.v] : listItems(got.v);
      if (!items) {
        doc.complete = false;
        return [];
      }
      const out: { sid?: string; st: Statement }[] = [];
      for (const i of items) {
        const d = i.doc
          ? this.policyDocumentData(i.doc.block, i.doc.scope, origin, undefined, depth + 1)
          : i.json
            ? this.docFromTV(i.json, origin)
            : i.t === 'str'
              ? this.document(i, got.attr, r)
              : undefined;
        if (!d || !d.complete) doc.complete = false;
        if (d) out.push(...d.statements.map((st) => ({ sid: (st as Statement & { sid?: string }).sid, st })));
      }
      return out;
    };
    merge(docsOf('source_policy_documents'), false);
    merge(docsOf('source_json'), false);
    const own: { sid?: string; st: Statement }[] = [];
    const stmts = this.blocksOf(r, block.body, 'statement');
    if (stmts.unknown) doc.complete = false;
    for (const { block: b, r: sr } of stmts.items) {
      const r = sr;
      const sid = this.str(r, b.body, 'sid')?.value;
      const effect = this.str(r, b.body, 'effect');
      if (effect && effect.value === undefined) {
        doc.complete = false;
        continue;
      }
      const strings = (k: string): Val<string>[] | undefined => {
        const l = this.list(r, b.body, k);
        if (!l) return undefined;
        return l.value ?? [{ sym: l.sym, origin: l.origin }];
      };
      const st: Statement & { sid?: string } = {
        effect: effect?.value === 'Deny' ? 'Deny' : 'Allow',
        actions: strings('actions'),
        notActions: strings('not_actions'),
        resources: strings('resources'),
        notResources: strings('not_resources'),
        hasCondition: b.body.blocks.some((x) => x.type === 'condition' || (x.type === 'dynamic' && x.labels[0] === 'condition')),
        origin: { via: origin.via, range: spanRange(b.headSpan), note: origin.note },
      };
      if (sid) st.sid = sid;
      own.push({ sid, st });
    }
    merge(own, true);
    merge(docsOf('override_policy_documents'), true);
    merge(docsOf('override_json'), true);
    doc.statements = withSid.map((x) => x.st);
    return doc;
  }

  // ---- functions ------------------------------------------------------------------------------

  roleRef(r: Res, body: Body, name = 'role'): LambdaFunction['role'] {
    const got = this.value(r, body, name);
    if (!got) return { origin: this.head(r) };
    const origin = originAt(got.attr, got.v);
    const t = got.v.t === 'sym' ? got.v.sym.target : undefined;
    if (t && this.roles.has(t)) return { roleId: t, origin };
    const text = scalarText(got.v);
    if (text !== undefined) {
      const name = /:role\/(?:.*\/)?([^/]+)$/.exec(text)?.[1];
      const role = name ? [...this.roles.values()].find((ro) => { const res = this.resource(ro.id); return res && this.str(res, res.block.body, 'name')?.value === name; }) : undefined;
      if (role) return { roleId: role.id, origin };
    }
    return { ref: strVal(got.v, origin), origin };
  }

  private loadFunction(r: Res): void {
    const body = r.block.body;
    const head = this.head(r);
    const fn: LambdaFunction = {
      id: r.address,
      deployment: this.deployment,
      framework: 'terraform',
      origin: head,
      name: this.str(r, body, 'function_name'),
      runtime: this.str(r, body, 'runtime'),
      handler: this.str(r, body, 'handler'),
      timeout: this.num(r, body, 'timeout'),
      memorySize: this.num(r, body, 'memory_size'),
      ephemeralStorage: this.subNum(r, body, 'ephemeral_storage', 'size'),
      packageType: this.str(r, body, 'package_type')?.value === 'Image' ? 'Image' : 'Zip',
      code: this.code(r, body),
      layers: [],
      role: this.roleRef(r, body),
      environment: {},
      meta: {},
    };
    if (fn.code.kind === 'image') fn.packageType = 'Image';
    const layers = this.list(r, body, 'layers');
    for (const l of layers?.value ?? []) {
      const t = l.sym?.target;
      fn.layers.push(t && (this.resource(t)?.type ?? this.lambdaModules.types.get(t)) === 'aws_lambda_layer_version' ? { target: t, ref: l } : { ref: l });
    }
    const vpcBlock = this.sub(r, body, 'vpc_config');
    if (vpcBlock?.unknown) {
      // A dynamic vpc_config over an unknown collection: attached or not, nobody can say.
      const origin: Origin = { via: head.via, range: spanRange(vpcBlock.unknown.headSpan) };
      const sym = { kind: 'param' as const, key: `unknown:vpc:${r.address}`, text: 'vpc_config' };
      fn.vpc = { origin, subnetIds: { sym, origin }, securityGroupIds: { sym, origin } };
    } else if (vpcBlock) {
      const vpc: VpcConfig = { origin: { via: head.via, range: spanRange(vpcBlock.block.headSpan) } };
      const subnets = this.list(vpcBlock.r, vpcBlock.block.body, 'subnet_ids');
      const groups = this.list(vpcBlock.r, vpcBlock.block.body, 'security_group_ids');
      if (subnets) vpc.subnetIds = subnets;
      if (groups) vpc.securityGroupIds = groups;
      fn.vpc = vpc;
    }
    fn.tracing = this.subStr(r, body, 'tracing_config', 'mode');
    const dlqArn = this.subStr(r, body, 'dead_letter_config', 'target_arn');
    if (dlqArn) fn.deadLetter = { kind: 'dead-letter', arn: dlqArn };
    // Whether a dynamic logging_config applies (often a partition check) changes only which group
    // is written to: take the group it names.
    const group = this.subStr(r, body, 'logging_config', 'log_group', true);
    if (group) fn.logGroup = group;
    const reserved = this.num(r, body, 'reserved_concurrent_executions');
    // -1 (the default) removes the reservation.
    if (reserved && reserved.value !== -1) fn.reservedConcurrency = reserved;
    const arch = this.list(r, body, 'architectures');
    if (arch?.value) fn.architectures = arch.value;
    const durable = this.sub(r, body, 'durable_config');
    if (durable) fn.durable = { via: head.via, range: spanRange(durable.unknown ? durable.unknown.headSpan : durable.block.headSpan) };
    const cap = this.sub(r, body, 'capacity_provider_config');
    if (cap) fn.capacityProvider = { via: head.via, range: spanRange(cap.unknown ? cap.unknown.headSpan : cap.block.headSpan) };
    const env = this.sub(r, body, 'environment');
    const vars = env && !env.unknown ? this.value(env.r, env.block.body, 'variables') : undefined;
    if (vars?.v.t === 'obj') for (const [k, v] of vars.v.entries) fn.environment[k] = strVal(v, v.span ? originAt(v.span, v) : originAt(vars.attr, v));
    const publish = this.value(r, body, 'publish');
    fn.meta.publish = publish ? (scalarText(publish.v) ?? 'unknown') : 'false';
    if (r.scope.prefix) fn.meta.module = r.scope.prefix.slice(0, -1);
    this.model.functions.push(fn);
  }

  /** filename (uploaded directly in the API call), s3_*, image_uri; data.archive_file resolved to its folder. */
  private code(r: Res, body: Body): CodeLocation {
    const rootDir = r.scope.rootDir;
    const image = this.value(r, body, 'image_uri');
    if (image) return { kind: 'image', directUpload: false, built: true, origin: originAt(image.attr, image.v) };
    const s3 = this.value(r, body, 's3_bucket');
    if (s3) {
      const origin = originAt(s3.attr, s3.v);
      // The zip that an aws_s3_object uploads (`source`), or whose hash the function tracks
      // (`source_code_hash = filebase64sha256("build/fn.zip")`), is the package, sent through S3.
      const local = this.uploadedPackage(r, body) ?? this.hashedPackage(r, body);
      if (local) {
        const code = this.localPackage(local, origin, rootDir, r.scope);
        if (code.kind !== 'unknown') return { ...code, directUpload: false };
      }
      return { kind: 's3', directUpload: false, built: true, origin };
    }
    const file = this.value(r, body, 'filename');
    if (!file) return { kind: 'unknown', directUpload: false, built: false, origin: this.head(r) };
    const origin = originAt(file.attr, file.v);
    const code = this.localPackage(file.v, origin, rootDir, r.scope);
    if (code.kind === 'unknown') {
      const hashed = this.hashedPackage(r, body);
      if (hashed) return this.localPackage(hashed, origin, rootDir, r.scope);
    }
    return code;
  }

  /** `source` of the aws_s3_object (or legacy aws_s3_bucket_object) that `s3_key` / `s3_bucket` name. */
  private uploadedPackage(r: Res, body: Body): TV | undefined {
    for (const name of ['s3_key', 's3_object_version', 's3_bucket']) {
      const attr = body.attrs.get(name);
      if (!attr) continue;
      for (const a of exprRefs(attr.expr)) {
        const obj = this.resource(r.scope.prefix + a);
        if (!obj || (obj.type !== 'aws_s3_object' && obj.type !== 'aws_s3_bucket_object')) continue;
        const src = this.value(obj, obj.block.body, 'source');
        if (src) return src.v;
      }
    }
    return undefined;
  }

  /**
   * The local file `source_code_hash` is computed from: `filebase64sha256("x.zip")` (or another
   * file hash function), or `data.archive_file.X.output_base64sha256`.
   */
  private hashedPackage(r: Res, body: Body): TV | undefined {
    const e = body.attrs.get('source_code_hash')?.expr;
    if (!e) return undefined;
    if (e.k === 'call' && /^file(base64)?(sha1|sha256|sha512|md5)$/.test(e.name) && e.args[0]) {
      const v = this.ev.eval(e.args[0], r.scope, r.inst);
      return scalarText(v) !== undefined || v.archive ? v : undefined;
    }
    if (e.k === 'ref' && e.root === 'data') {
      const names = e.steps.map((x) => ('attr' in x ? x.attr : undefined));
      const block = names[0] === 'archive_file' && names[1] ? r.scope.data.get(`archive_file.${names[1]}`) : undefined;
      if (!block) return undefined;
      const out = block.body.attrs.get('output_path');
      const v: TV = out ? this.ev.eval(out.expr, r.scope) : { t: 'unknown' };
      return { ...v, archive: { block, scope: r.scope } };
    }
    return undefined;
  }

  localPackage(v: TV, origin: Origin, rootDir: string, scope: Scope): CodeLocation {
    // docs/FACTS.md §7 / §9.5: `filename` sends the zip in the CreateFunction / UpdateFunctionCode call.
    const out: CodeLocation = { kind: 'unknown', directUpload: true, built: true, origin };
    const p = scalarText(v);
    if (p !== undefined && (!v.archive || fs.existsSync(path.resolve(rootDir, p)))) {
      out.kind = 'local-zip';
      out.path = path.resolve(rootDir, p);
      return out;
    }
    if (v.archive) {
      // The zip is made at plan time; until then, what it zips is the package: a folder
      // (source_dir), one file (source_file), or files whose content is read from disk (source blocks).
      const body = v.archive.block.body;
      const r: Res = { address: `data.archive_file.${v.archive.block.labels[1]}`, type: 'archive_file', block: v.archive.block, scope: v.archive.scope, inst: {} };
      const dir = this.str(r, body, 'source_dir')?.value;
      const file = this.str(r, body, 'source_file')?.value;
      if (dir !== undefined) {
        out.kind = 'local-dir';
        out.path = path.resolve(scope.rootDir, dir);
      } else if (file !== undefined) {
        out.kind = 'local-dir';
        out.path = path.dirname(path.resolve(scope.rootDir, file));
        out.unmeasured = `archive_file zips one file of this folder (${path.basename(file)})`;
      } else {
        // `source { content = file("src/app.py"), filename = "app.py" }`: the folder the files come
        // from, when each keeps its name and they share one folder.
        const sources = this.blocksOf(r, body, 'source');
        const from = new Set<string>();
        let ok = !sources.unknown && sources.items.length > 0;
        for (const { block: b, r: br } of sources.items) {
          const content = this.value(br, b.body, 'content')?.v;
          const name = this.str(br, b.body, 'filename')?.value;
          if (!content?.readFrom || name === undefined || path.basename(content.readFrom) !== path.basename(name)) ok = false;
          else from.add(path.dirname(content.readFrom));
        }
        if (ok && from.size === 1) {
          out.kind = 'local-dir';
          out.path = [...from][0];
          out.unmeasured = 'archive_file zips some files of this folder (source blocks)';
        }
      }
    }
    return out;
  }

  private loadLayer(r: Res): void {
    const body = r.block.body;
    const s3 = this.value(r, body, 's3_bucket');
    const file = this.value(r, body, 'filename');
    const code: CodeLocation = s3
      ? { kind: 's3', directUpload: false, built: true, origin: originAt(s3.attr, s3.v) }
      : file
        ? this.localPackage(file.v, originAt(file.attr, file.v), r.scope.rootDir, r.scope)
        : { kind: 'unknown', directUpload: false, built: false, origin: this.head(r) };
    this.model.layers.push({ id: r.address, deployment: this.deployment, code, origin: this.head(r) });
  }

  private loadLogGroup(r: Res): void {
    this.model.logGroups.push({ id: r.address, deployment: this.deployment, name: this.str(r, r.block.body, 'name'), origin: this.head(r) });
  }

  /** A subnet and the default routes of the route tables associated with it (as the CloudFormation loader reads them). */
  private loadSubnet(r: Res): void {
    const subnet: Subnet = { id: r.address, deployment: this.deployment, defaultRoutes: [], routesKnown: true, origin: this.head(r) };
    const mp = this.value(r, r.block.body, 'map_public_ip_on_launch');
    if (mp) {
      const origin = originAt(mp.attr, mp.v);
      const text = scalarText(mp.v);
      subnet.mapPublicIpOnLaunch = text === 'true' || text === 'false' ? { value: text === 'true', origin } : { sym: unknownSym(mp.v), origin };
    }
    const targetOf = (x: Res, name: string): string | undefined => {
      const v = this.value(x, x.block.body, name)?.v;
      return v?.t === 'sym' ? v.sym.target : undefined;
    };
    const gatewayKind = (g: TV | undefined): Subnet['defaultRoutes'][number]['to'] => {
      if (!g) return 'other';
      const type = g.t === 'sym' && g.sym.target ? this.resource(g.sym.target)?.type : undefined;
      const text = scalarText(g);
      if (type === 'aws_internet_gateway' || text?.startsWith('igw-')) return 'internet-gateway';
      if (!type && !text?.startsWith('vgw-')) return 'unknown';
      return 'other';
    };
    for (const assoc of this.resources.filter((x) => x.type === 'aws_route_table_association' && x.scope === r.scope)) {
      if (targetOf(assoc, 'subnet_id') !== r.address) continue;
      const table = targetOf(assoc, 'route_table_id');
      const tableRes = this.resource(table);
      if (!tableRes || tableRes.type !== 'aws_route_table') {
        subnet.routesKnown = false;
        continue;
      }
      const inline = this.blocksOf(tableRes, tableRes.block.body, 'route');
      if (inline.unknown) subnet.routesKnown = false;
      for (const { block: b, r: br } of inline.items) {
        const dest = this.str(br, b.body, 'cidr_block')?.value ?? this.str(br, b.body, 'ipv6_cidr_block')?.value;
        if (dest !== '0.0.0.0/0' && dest !== '::/0') continue;
        const gw = this.value(br, b.body, 'gateway_id');
        subnet.defaultRoutes.push({ to: gatewayKind(gw?.v), origin: gw ? originAt(gw.attr, gw.v) : { via: 'direct', range: spanRange(b.headSpan) } });
      }
      for (const route of this.resources.filter((x) => x.type === 'aws_route' && targetOf(x, 'route_table_id') === table)) {
        const dest = this.str(route, route.block.body, 'destination_cidr_block')?.value ?? this.str(route, route.block.body, 'destination_ipv6_cidr_block')?.value;
        if (dest !== '0.0.0.0/0' && dest !== '::/0') continue;
        const gw = this.value(route, route.block.body, 'gateway_id');
        subnet.defaultRoutes.push({ to: gatewayKind(gw?.v), origin: gw ? originAt(gw.attr, gw.v) : this.head(route) });
      }
    }
    this.model.subnets.push(subnet);
  }

  // ---- what invokes functions -----------------------------------------------------------------

  fnByAddress(address: string | undefined): LambdaFunction | undefined {
    return address === undefined ? undefined : this.model.functions.find((f) => f.deployment === this.deployment && f.id === address);
  }

  /** The function (and qualifier) a function_name / ARN value names. */
  target(v: TV | undefined, origin: Origin): FunctionTarget {
    if (!v) return { qualifier: 'unknown', origin };
    if (v.t === 'sym') {
      const s = v.sym;
      if (s.kind === 'getatt' && s.target) return this.targetOf(s.target, s.attribute ?? '', undefined, origin);
      if (s.kind === 'expr') {
        const m = /^\$\{(.+)\.(arn|function_name|id)\}(?::(.+))?$/.exec(s.text);
        if (m && this.resource(m[1])) return this.targetOf(m[1], m[2], m[3], origin);
        if (/:function:[^:]+:\$LATEST$/.test(s.text)) return { qualifier: 'latest', origin };
      }
      return { qualifier: 'unknown', origin };
    }
    const text = scalarText(v);
    if (text === undefined) return { qualifier: 'unknown', origin };
    const m = /^(?:arn:[^:]+:lambda:[^:]*:[^:]*:function:|\d{12}:function:)?([A-Za-z0-9_-]+)(?::([^:]+))?$/.exec(text);
    if (!m) return { qualifier: 'unknown', origin };
    const fn = this.model.functions.find((f) => f.deployment === this.deployment && f.name?.value === m[1]);
    const qualifier = m[2] === undefined ? 'unqualified' : m[2] === '$LATEST' ? 'latest' : /^\d+$/.test(m[2]) ? 'version' : 'alias';
    return { functionId: fn?.id, qualifier, origin };
  }

  private targetOf(address: string, attribute: string, qualifier: string | undefined, origin: Origin): FunctionTarget {
    const res = this.resource(address);
    const type = res?.type ?? this.lambdaModules.types.get(address);
    if (!type) return { qualifier: 'unknown', origin };
    if (type === 'aws_lambda_function') {
      const fn = this.fnByAddress(address);
      if (qualifier !== undefined) {
        return { functionId: fn?.id, qualifier: qualifier === '$LATEST' ? 'latest' : /^\d+$/.test(qualifier) ? 'version' : qualifier.includes('${') ? 'unknown' : 'alias', origin };
      }
      if (attribute === 'arn' || attribute === 'function_name' || attribute === 'id' || attribute === 'invoke_arn') return { functionId: fn?.id, qualifier: 'unqualified', origin };
      if (attribute === 'qualified_arn' || attribute === 'qualified_invoke_arn') {
        // docs/FACTS.md §8.1: without publish, qualified_arn ends in :$LATEST.
        const pub = fn?.meta.publish;
        return { functionId: fn?.id, qualifier: pub === 'false' ? 'latest' : pub === 'true' ? 'version' : 'unknown', origin };
      }
      return { qualifier: 'unknown', origin };
    }
    const modelled = this.lambdaModules.aliases.get(address);
    if (modelled && qualifier === undefined) return { functionId: modelled.functionId, qualifier: 'alias', aliasId: address, origin };
    if (res && res.type === 'aws_lambda_alias' && qualifier === undefined) {
      const fnRef = this.value(res, res.block.body, 'function_name');
      const inner = fnRef ? this.target(fnRef.v, origin) : undefined;
      return { functionId: inner?.functionId, qualifier: 'alias', aliasId: address, origin };
    }
    return { qualifier: 'unknown', origin };
  }

  withQualifier(base: FunctionTarget, q: Val<string> | undefined): FunctionTarget {
    if (!q) return base;
    const t: FunctionTarget = { ...base };
    if (q.value === '$LATEST') {
      t.qualifier = 'latest';
      t.origin = q.origin;
    } else if (q.value !== undefined) t.qualifier = /^\d+$/.test(q.value) ? 'version' : 'alias';
    else if (q.sym?.target && this.resource(q.sym.target)?.type === 'aws_lambda_alias') {
      t.qualifier = 'alias';
      t.aliasId = q.sym.target;
    } else t.qualifier = 'unknown';
    if (t.qualifier === 'alias' && !t.aliasId && q.value !== undefined) {
      const alias = this.model.aliases.find((a) => a.deployment === this.deployment && a.functionId === t.functionId && a.name?.value === q.value);
      if (alias) t.aliasId = alias.id;
    }
    return t;
  }

  private loadAlias(r: Res): void {
    const body = r.block.body;
    const fnRef = this.value(r, body, 'function_name');
    const target = fnRef ? this.target(fnRef.v, originAt(fnRef.attr, fnRef.v)) : undefined;
    const ver = this.value(r, body, 'function_version');
    let version: Val<string> = ver ? strVal(ver.v, originAt(ver.attr, ver.v)) : { origin: this.head(r) };
    if (ver && version.value === '$LATEST' && ver.v.t === 'str' && ver.v.span && ver.v.span !== ver.attr.expr.span && !ver.v.from) {
      version = { ...version, origin: { ...version.origin, note: 'publish is not true, so version is $LATEST' } };
    }
    const sym = ver?.v.t === 'sym' ? ver.v.sym : undefined;
    const published = (sym?.resourceType === 'aws_lambda_function' && sym.attribute === 'version') || (version.value !== undefined && /^\d+$/.test(version.value));
    this.model.aliases.push({ id: r.address, deployment: this.deployment, name: this.str(r, body, 'name'), functionId: target?.functionId, version, pointsToPublished: published, origin: this.head(r) });
  }

  private loadMapping(r: Res): void {
    const body = r.block.body;
    const head = this.head(r);
    const fnRef = this.value(r, body, 'function_name');
    const source = this.str(r, body, 'event_source_arn');
    const dc = this.sub(r, body, 'destination_config');
    const destArn = dc?.unknown ? this.subStr(r, body, 'destination_config', 'on_failure') : dc ? this.subStr(dc.r, dc.block.body, 'on_failure', 'destination_arn') : undefined;
    const access = this.blocksOf(r, body, 'source_access_configuration')
      .items.map(({ block: b, r: br }) => ({ type: this.str(br, b.body, 'type')?.value, uri: this.str(br, b.body, 'uri') }))
      .filter((x): x is { type: string | undefined; uri: Val<string> } => !!x.uri);
    this.model.mappings.push({
      id: r.address,
      deployment: this.deployment,
      kind: this.mappingKind(source, body),
      target: this.target(fnRef?.v, fnRef ? originAt(fnRef.attr, fnRef.v) : head),
      source,
      batchSize: this.num(r, body, 'batch_size'),
      batchingWindow: this.num(r, body, 'maximum_batching_window_in_seconds'),
      destinations: destArn ? [{ kind: 'on-failure', arn: destArn }] : undefined,
      accessConfigs: access.length ? access : undefined,
      sourceKey: this.queueKey(source),
      // FilterCriteria keeps some records from invoking the function (recursive-trigger).
      ...(body.blocks.some((b) => b.type === 'filter_criteria' || (b.type === 'dynamic' && b.labels[0] === 'filter_criteria')) || body.attrs.has('filter_criteria') ? { filtered: true } : {}),
      origin: head,
      label: `event source mapping ${r.address}`,
    });
  }

  mappingKind(source: Val<string> | undefined, body: Body): EventSourceKind {
    const known = resourceType(source?.sym?.resourceType)?.source;
    if (known) return known;
    if (body.blocks.some((b) => b.type === 'self_managed_event_source' || (b.type === 'dynamic' && b.labels[0] === 'self_managed_event_source'))) return 'kafka';
    return sourceKindOfArn(source?.value ?? (source?.sym?.kind === 'expr' ? source.sym.text : ''));
  }

  /** The customer managed key of a queue of this configuration (Lambda then needs kms:Decrypt; docs/FACTS.md §3.2). */
  queueKey(source: Val<string> | undefined): Val<string> | undefined {
    const q = this.resource(source?.sym?.target);
    if (!q || q.type !== 'aws_sqs_queue') return undefined;
    const key = this.str(q, q.block.body, 'kms_master_key_id');
    if (!key) return undefined;
    if (key.value !== undefined && /^(alias\/aws\/sqs|arn:[^:]+:kms:[^:]*:[^:]*:alias\/aws\/sqs)$/.test(key.value)) return undefined;
    const t = key.sym?.target;
    if (t && this.resource(t)?.type === 'aws_kms_key') {
      return { sym: { kind: 'getatt', key: `${t}.arn`, text: `${t}.arn`, target: t, attribute: 'arn', resourceType: 'aws_kms_key' }, origin: key.origin };
    }
    return key.value?.startsWith('arn:') && key.value.includes(':key/') ? key : { sym: { kind: 'param', key: `unknown:key:${key.value ?? key.sym?.key}`, text: "the queue's key" }, origin: key.origin };
  }

  private loadPermission(r: Res): void {
    const body = r.block.body;
    const fnRef = this.value(r, body, 'function_name');
    const base = this.target(fnRef?.v, fnRef ? originAt(fnRef.attr, fnRef.v) : this.head(r));
    this.model.permissions.push({ id: r.address, deployment: this.deployment, target: this.withQualifier(base, this.str(r, body, 'qualifier')), principal: this.str(r, body, 'principal'), origin: this.head(r) });
  }

  private loadInvokeConfig(r: Res): void {
    const body = r.block.body;
    const fnRef = this.value(r, body, 'function_name');
    const base = this.target(fnRef?.v, fnRef ? originAt(fnRef.attr, fnRef.v) : this.head(r));
    const dests: Destination[] = [];
    const dc = this.sub(r, body, 'destination_config');
    for (const [k, kind] of [['on_success', 'on-success'], ['on_failure', 'on-failure']] as const) {
      const arn = dc?.unknown ? this.subStr(r, body, 'destination_config', k) : dc ? this.subStr(dc.r, dc.block.body, k, 'destination') : undefined;
      if (arn) dests.push({ kind, arn });
    }
    const retries = this.num(r, body, 'maximum_retry_attempts');
    this.model.invokeConfigs.push({
      id: r.address,
      deployment: this.deployment,
      target: this.withQualifier(base, this.str(r, body, 'qualifier')),
      destinations: dests,
      origin: this.head(r),
      ...(retries ? { maximumRetryAttempts: retries } : {}),
    });
  }

  private trigger(r: Res, id: string, kind: TriggerKind, v: { attr: Attribute; v: TV }, label: string, extra: Partial<Trigger> = {}): void {
    const origin = originAt(v.attr, v.v);
    this.model.triggers.push({ id, deployment: this.deployment, kind, target: this.target(v.v, origin), implicitPermission: false, origin, label, ...extra });
  }

  /**
   * An API Gateway integration that invokes a function: `aws_api_gateway_integration` (REST, `uri`)
   * or `aws_apigatewayv2_integration` (HTTP or WebSocket, `integration_uri`), each with
   * `timeout_milliseconds` (the provider's names for TimeoutInMillis). The URI is a function's
   * `invoke_arn`, an alias's, or an `arn:aws:apigateway:...:lambda:path/.../functions/<arn>/invocations`
   * text.
   */
  private loadApiIntegration(r: Res, api: 'rest' | 'v2'): void {
    const body = r.block.body;
    const type = this.str(r, body, api === 'rest' ? 'type' : 'integration_type')?.value;
    if (type !== undefined && type !== 'AWS_PROXY' && type !== 'AWS') return;
    const uri = this.value(r, body, api === 'rest' ? 'uri' : 'integration_uri');
    if (!uri) return;
    const origin = originAt(uri.attr, uri.v);
    let target = this.target(uri.v, origin);
    if (!target.functionId) {
      // The invocation URI spelled out: the function ARN sits between `functions/` and `/invocations`.
      const text = uri.v.t === 'sym' ? (uri.v.sym.kind === 'expr' ? uri.v.sym.text : undefined) : scalarText(uri.v);
      const inner = text === undefined ? undefined : /:lambda:path\/[^/]+\/functions\/(.+)\/invocations$/.exec(text)?.[1];
      if (inner === undefined) return;
      const v: TV = inner.includes('${') ? { t: 'sym', sym: { kind: 'expr', key: `expr:${inner}`, text: inner } } : { t: 'str', v: inner };
      target = this.target(v, origin);
    }
    if (!target.functionId) return;
    let kind: TriggerKind = 'api';
    if (api === 'v2') {
      // An API that cannot be seen counts as an HTTP API, whose 30 s limit is the more lenient one.
      const apiId = this.value(r, body, 'api_id');
      const apiRes = this.resource(apiId?.v.t === 'sym' ? apiId.v.sym.target : undefined);
      const protocol = apiRes?.type === 'aws_apigatewayv2_api' ? this.str(apiRes, apiRes.block.body, 'protocol_type')?.value : undefined;
      kind = protocol === 'WEBSOCKET' ? 'websocket' : 'http-api';
    }
    const trigger: Trigger = { id: r.address, deployment: this.deployment, kind, target, implicitPermission: false, origin, label: `API Gateway integration ${r.address}` };
    const timeout = this.num(r, body, 'timeout_milliseconds');
    if (timeout) trigger.integrationTimeout = timeout;
    // A non-proxy REST integration may ask Lambda for an asynchronous invocation with this header.
    const params = this.value(r, body, 'request_parameters');
    const header = params?.v.t === 'obj' ? params.v.entries.get('integration.request.header.X-Amz-Invocation-Type') : undefined;
    if (header && scalarText(header)?.replace(/'/g, '').trim() === 'Event') trigger.asyncInvocation = true;
    this.model.triggers.push(trigger);
  }

  /** The bucket (for recursive-trigger), and whether a key prefix or suffix filters what invokes the function. */
  private loadBucketNotification(r: Res): void {
    const bucket = this.str(r, r.block.body, 'bucket');
    this.blocksOf(r, r.block.body, 'lambda_function').items.forEach(({ block: b, r: br }, i) => {
      const arn = this.value(br, b.body, 'lambda_function_arn');
      const filtered = b.body.attrs.has('filter_prefix') || b.body.attrs.has('filter_suffix');
      if (arn) this.trigger(r, `${r.address}.lambda_function[${i}]`, 's3', arn, `S3 notification ${r.address}`, { ...(bucket ? { source: bucket } : {}), ...(filtered ? { filtered: true } : {}) });
    });
  }

  private loadSubscription(r: Res): void {
    const body = r.block.body;
    if (this.str(r, body, 'protocol')?.value !== 'lambda') return;
    const ep = this.value(r, body, 'endpoint');
    const topic = this.str(r, body, 'topic_arn');
    const filtered = body.attrs.has('filter_policy');
    if (ep) this.trigger(r, r.address, 'sns', ep, `SNS subscription ${r.address}`, { ...(topic ? { source: topic } : {}), ...(filtered ? { filtered: true } : {}) });
  }

  private loadEventTarget(r: Res): void {
    const body = r.block.body;
    const arn = this.value(r, body, 'arn');
    if (!arn) return;
    const t = this.target(arn.v, originAt(arn.attr, arn.v));
    const text = arn.v.t === 'sym' ? arn.v.sym.text : (scalarText(arn.v) ?? '');
    if (!t.functionId && t.qualifier === 'unknown' && !/:lambda:|:function:|aws_lambda_/.test(text)) return;
    const rule = this.value(r, body, 'rule');
    const ruleRes = this.resource(rule?.v.t === 'sym' ? rule.v.sym.target : undefined);
    const kind: TriggerKind = ruleRes && ruleRes.block.body.attrs.has('schedule_expression') ? 'schedule' : 'eventbridge';
    this.trigger(r, r.address, kind, arn, `EventBridge target ${r.address}`);
    const dlq = this.sub(r, body, 'dead_letter_config');
    // The target's dead-letter queue catches delivery failures only (see async-failure-destination).
    if (dlq) this.model.triggers[this.model.triggers.length - 1].deliveryDeadLetter = { via: 'direct', range: spanRange(dlq.unknown ? dlq.unknown.headSpan : dlq.block.headSpan) };
  }
}

const NOT_RESOURCES = new Set(['var', 'local', 'each', 'count', 'path', 'terraform', 'data', 'module', 'self']);

/** Resource addresses (`type.name`) an expression names directly, anywhere inside it. */
function exprRefs(e: Expr, depth = 0): string[] {
  if (depth > 64) return [];
  const d = depth + 1;
  switch (e.k) {
    case 'ref': {
      const first = e.steps[0];
      const here = !NOT_RESOURCES.has(e.root) && first && 'attr' in first ? [`${e.root}.${first.attr}`] : [];
      return [...here, ...e.steps.flatMap((s) => ('index' in s ? exprRefs(s.index, d) : []))];
    }
    case 'template':
      return e.parts.flatMap((p) => (typeof p === 'string' ? [] : exprRefs(p, d)));
    case 'tuple':
      return e.items.flatMap((x) => exprRefs(x, d));
    case 'object':
      return e.entries.flatMap((x) => [...exprRefs(x.key, d), ...exprRefs(x.value, d)]);
    case 'call':
      return e.args.flatMap((x) => exprRefs(x, d));
    case 'cond':
      return [...exprRefs(e.test, d), ...exprRefs(e.then, d), ...exprRefs(e.else, d)];
    case 'postfix':
      return exprRefs(e.base, d);
    case 'binop':
      return [...exprRefs(e.left, d), ...exprRefs(e.right, d)];
    case 'unop':
      return exprRefs(e.x, d);
    default:
      return [];
  }
}

/** Resource addresses a value refers to, anywhere inside it. */
function symTargets(v: TV): string[] {
  if (v.t === 'sym') {
    const out = v.sym.target ? [v.sym.target] : [];
    for (const m of v.sym.text.matchAll(/\$\{([^}]+)\}/g)) out.push(m[1].split('.').slice(0, -1).join('.'));
    return out;
  }
  if (v.t === 'list') return v.items.flatMap(symTargets);
  if (v.t === 'obj') return [...v.entries.values()].flatMap(symTargets);
  return [];
}

export type { From };
