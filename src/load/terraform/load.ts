// Terraform root module → model. Functions, their packages, layers, log groups and subnets, with
// every value pointing at the attribute that wrote it; the scopes and modules are read by
// ./modules.ts, IAM by ./iam.ts, and what invokes or feeds a function by ./triggers.ts. Local modules
// are loaded into the same deployment with their addresses prefixed `module.NAME.`; registry and
// remote modules are unknown.
// Over 600 lines because: the loader class holds the value readers every resource reader shares;
// the resource readers that need no loader state are already in ./iam.ts and ./triggers.ts.
import fs from 'node:fs';
import path from 'node:path';
import { resourceType, sourceKindOfArn } from '../../model/resource-types.js';
import type {
  Alias,
  CodeLocation,
  Deployment,
  EventSourceKind,
  FunctionTarget,
  LambdaFunction,
  Model,
  Origin,
  PolicyDocument,
  Role,
  SourceRange,
  Subnet,
  Val,
  VpcConfig,
} from '../../model/types.js';
import { type Attribute, type Block, type Body, type ParsedHcl, type Span, spanRange } from '../../source/hcl.js';
import {
  docFromTV,
  jsonTV,
  loadAttachment,
  loadManagedPolicy,
  loadRole,
  loadRolePolicy,
  policyDocumentData,
} from './iam.js';
import { LambdaModules } from './lambda-module.js';
import { applyTfvars, buildScope, exprRefs, exprText, production } from './modules.js';
import { notChecked } from '../../model/coverage.js';
import { lookupBy } from '../../model/lookup.js';
import {
  aliasKey,
  loadAlias,
  loadApiIntegration,
  loadBucketNotification,
  loadEventTarget,
  loadInvokeConfig,
  loadMapping,
  loadFunctionUrl,
  loadPermission,
  loadSubscription,
  targetOf,
} from './triggers.js';
import {
  attrRange,
  Evaluator,
  type Instance,
  listItems,
  numVal,
  originAt,
  scalarText,
  type Scope,
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

export class TerraformLoader {
  ev: Evaluator;
  scopes: Scope[] = [];
  deployment!: Deployment;
  roles = new Map<string, Role>();
  resources: Res[] = [];
  notes: string[] = [];
  moduleCalls = new Map<string, { name: string; source: string; range: SourceRange }>();

  constructor(
    readonly input: RootInput,
    readonly model: Model,
    readonly options: TerraformLoadOptions,
  ) {
    this.ev = new Evaluator((scope, name) => scope.modules.get(name)?.scope);
    this.lambdaModules = new LambdaModules(this);
    this.fnById = lookupBy(model.functions, (f) => f.id);
    this.fnByName = lookupBy(model.functions, (f) => f.name?.value);
    this.aliasByName = lookupBy(model.aliases, (a) =>
      a.name?.value === undefined ? undefined : aliasKey(a.functionId, a.name.value),
    );
  }

  /** The aliases of the model by deployment, function and name (`aliasKey`): the first of each. */
  readonly aliasByName: (deployment: Deployment, key: string) => Alias | undefined;

  /** The functions of the model by deployment and address, and by name: the first of each, as a scan finds it. */
  private readonly fnById: (deployment: Deployment, id: string | undefined) => LambdaFunction | undefined;
  private readonly fnByName: (deployment: Deployment, name: string | undefined) => LambdaFunction | undefined;

  /** Calls of terraform-aws-modules/lambda, modelled from their inputs. */
  readonly lambdaModules: LambdaModules;

  load(): Deployment {
    const { dir } = this.input;
    const mainFile = this.input.files.find((f) => path.basename(f.file.path) === 'main.tf') ?? this.input.files[0];
    const relDir = path.relative(this.options.cwd, dir).split(path.sep).join('/') || '.';
    this.chain = [dir];
    const root = buildScope(this, dir, '', dir, this.input.files, 0, (s) => applyTfvars(this, s));
    this.deployment = {
      id: relDir === '.' ? path.basename(dir) : relDir,
      framework: 'terraform',
      file: mainFile.file.path,
      production: { isProduction: false },
      notes: this.notes,
      moduleCalls: this.moduleCalls,
    };
    this.deployment.production = production(this, root, relDir);
    this.model.deployments.push(this.deployment);
    const types = new Map<string, string>();
    for (const r of this.resources) types.set(r.address, r.type);
    for (const [a, t] of this.lambdaModules.types) types.set(a, t);
    this.model.resourceTypes.set(this.deployment, types);

    const byType = (t: string) => this.resources.filter((r) => r.type === t);
    for (const r of byType('aws_iam_role')) loadRole(this, r);
    this.lambdaModules.loadRoles();
    for (const r of byType('aws_iam_policy')) loadManagedPolicy(this, r);
    for (const r of byType('aws_iam_role_policy')) loadRolePolicy(this, r);
    for (const r of byType('aws_iam_role_policy_attachment')) loadAttachment(this, r, 'role');
    for (const r of byType('aws_iam_policy_attachment')) loadAttachment(this, r, 'roles');
    for (const r of byType('aws_lambda_layer_version')) this.loadLayer(r);
    this.lambdaModules.loadLayers();
    for (const r of byType('aws_cloudwatch_log_group')) this.loadLogGroup(r);
    for (const r of byType('aws_subnet')) this.loadSubnet(r);
    for (const r of byType('aws_sqs_queue')) {
      this.model.queues.push({
        id: r.address,
        deployment: this.deployment,
        visibilityTimeout: this.num(r, r.block.body, 'visibility_timeout_seconds'),
        origin: this.head(r),
      });
    }
    for (const r of byType('aws_lambda_function')) this.loadFunction(r);
    this.lambdaModules.loadFunctions();
    for (const r of byType('aws_lambda_alias')) loadAlias(this, r);
    this.lambdaModules.loadAliases();
    for (const r of byType('aws_lambda_event_source_mapping')) loadMapping(this, r);
    this.lambdaModules.loadMappings();
    for (const r of byType('aws_lambda_permission')) loadPermission(this, r);
    for (const r of byType('aws_lambda_function_url')) loadFunctionUrl(this, r);
    this.lambdaModules.loadPermissions();
    this.lambdaModules.loadUrls();
    for (const p of this.passedToRemote) {
      // A module lambdalint cannot read may add invoke permissions for the function it is given.
      if (!this.fnByAddress(p.target)) continue;
      const origin: Origin = { via: 'implicit', range: spanRange(p.head), note: `possibly granted by ${p.module}` };
      this.model.permissions.push({
        id: `${p.module}:${p.target}`,
        deployment: this.deployment,
        target: { functionId: p.target, qualifier: 'unknown', origin },
        origin,
      });
    }
    for (const r of byType('aws_api_gateway_integration')) loadApiIntegration(this, r, 'rest');
    for (const r of byType('aws_apigatewayv2_integration')) loadApiIntegration(this, r, 'v2');
    for (const r of byType('aws_lambda_function_event_invoke_config')) loadInvokeConfig(this, r);
    this.lambdaModules.loadInvokeConfigs();
    for (const r of byType('aws_s3_bucket_notification')) loadBucketNotification(this, r);
    for (const r of byType('aws_sns_topic_subscription')) loadSubscription(this, r);
    for (const r of byType('aws_cloudwatch_event_target')) loadEventTarget(this, r);
    return this.deployment;
  }

  // ---- scopes and modules -------------------------------------------------------------------

  /** Resources handed to registry / remote modules, which may grant permissions on them. */
  passedToRemote: { target: string; module: string; head: Span }[] = [];

  opaqueRoles = new Set<string>();
  /** Folders of the modules being built, outermost first (a module calling itself is not followed). */
  chain: string[] = [];

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
  subStr(r: Res, body: Body, type: string, name: string, useContent = false): Val<string> | undefined {
    const b = this.sub(r, body, type);
    if (!b) return undefined;
    if (b.unknown && this.contentIsNull(r, b.unknown, name)) return undefined;
    if (b.unknown && useContent) {
      // The value the block sets when it is there (its iterator unknown); kept only when that value is
      // not itself unknown.
      const content = b.unknown.body.blocks.find((x) => x.type === 'content')!;
      const v = this.str(r, content.body, name);
      if (v && (v.value !== undefined || v.sym?.kind === 'expr' || v.sym?.target))
        return { ...v, origin: { ...v.origin, note: `set in a dynamic ${type} block` } };
    }
    if (b.unknown)
      return {
        sym: { kind: 'param', key: `unknown:${r.address}.${type}.${name}`, text: `${type}.${name}` },
        origin: { via: 'direct', range: spanRange(b.unknown.headSpan) },
      };
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
    if (b.unknown)
      return {
        sym: { kind: 'param', key: `unknown:${r.address}.${type}.${name}`, text: `${type}.${name}` },
        origin: { via: 'direct', range: spanRange(b.unknown.headSpan) },
      };
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
  blocksOf(r: Res, body: Body, type: string): { items: { block: Block; r: Res }[]; unknown: boolean } {
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
          v.t === 'list'
            ? v.items.map((x, i) => [{ t: 'num', v: i }, x])
            : v.t === 'obj' && !v.partial
              ? [...v.entries].map(([k, x]) => [{ t: 'str', v: k }, x])
              : [];
        if ((v.t !== 'list' && v.t !== 'obj' && v.t !== 'null') || (v.t === 'obj' && v.partial)) unknown = true;
        else if (content) {
          for (const [key, value] of pairs)
            items.push({
              block: content,
              r: { ...r, inst: { ...r.inst, iters: { ...r.inst.iters, [itName]: { key, value } } } },
            });
        }
      }
    }
    return { items, unknown };
  }

  /** The first block of a type; `{ unknown }` (the dynamic block) when whether there is one cannot be known. */
  sub(
    r: Res,
    body: Body,
    type: string,
  ): { block: Block; r: Res; unknown?: undefined } | { unknown: Block } | undefined {
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

  attachArn(role: Role, arn: Val<string>): void {
    const t = arn.sym?.target;
    if (t && this.resource(t)?.type === 'aws_iam_policy') {
      if (!role.managedPolicyIds.includes(t)) role.managedPolicyIds.push(t);
    } else role.managedPolicyArns.push(arn);
  }

  /** A policy document from whatever a `policy` argument holds. */
  document(v: TV, attr: Attribute, r: Res, name?: string): PolicyDocument {
    const origin: Origin = { via: r.scope.prefix ? 'module' : 'direct', range: attrRange(attr), note: `${r.address}` };
    if (v.doc) return policyDocumentData(this, v.doc.block, v.doc.scope, origin, name, 0);
    if (v.json) return docFromTV(v.json, origin, name);
    if (v.t === 'str') {
      const parsed = jsonTV(v, attr);
      if (parsed) return docFromTV(parsed, origin, name);
    }
    return { name, statements: [], complete: false, origin };
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
      const role = name
        ? [...this.roles.values()].find((ro) => {
            const res = this.resource(ro.id);
            return res && this.str(res, res.block.body, 'name')?.value === name;
          })
        : undefined;
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
      fn.layers.push(
        t && (this.resource(t)?.type ?? this.lambdaModules.types.get(t)) === 'aws_lambda_layer_version'
          ? { target: t, ref: l }
          : { ref: l },
      );
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
    if (durable)
      fn.durable = {
        via: head.via,
        range: spanRange(durable.unknown ? durable.unknown.headSpan : durable.block.headSpan),
      };
    const cap = this.sub(r, body, 'capacity_provider_config');
    if (cap)
      fn.capacityProvider = {
        via: head.via,
        range: spanRange(cap.unknown ? cap.unknown.headSpan : cap.block.headSpan),
      };
    const env = this.sub(r, body, 'environment');
    const vars = env && !env.unknown ? this.value(env.r, env.block.body, 'variables') : undefined;
    if (vars?.v.t === 'obj')
      for (const [k, v] of vars.v.entries)
        fn.environment[k] = strVal(v, v.span ? originAt(v.span, v) : originAt(vars.attr, v));
    if (vars?.v.t === 'obj' && vars.v.partial) this.partialEnvironment(fn, vars.v.partial);
    else if (vars && vars.v.t !== 'obj' && vars.v.t !== 'null')
      this.partialEnvironment(fn, `environment variables from ${exprText(vars.attr.expr)}`);
    const publish = this.value(r, body, 'publish');
    fn.meta.publish = publish ? (scalarText(publish.v) ?? 'unknown') : 'false';
    if (r.scope.prefix) fn.meta.module = r.scope.prefix.slice(0, -1);
    this.model.functions.push(fn);
  }

  /**
   * Environment variables lambdalint can only partly see: code that reads one of the others is
   * checked without knowing the resource it names.
   */
  partialEnvironment(fn: LambdaFunction, why: string): void {
    notChecked(this.model, {
      fn: fn.id,
      file: fn.deployment.file,
      rules: ['sdk-permission', 'recursive-trigger'],
      reason: `environment variables partly unknown (${why})`,
    });
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
      const r: Res = {
        address: `data.archive_file.${v.archive.block.labels[1]}`,
        type: 'archive_file',
        block: v.archive.block,
        scope: v.archive.scope,
        inst: {},
      };
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
          if (!content?.readFrom || name === undefined || path.basename(content.readFrom) !== path.basename(name))
            ok = false;
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
    this.model.logGroups.push({
      id: r.address,
      deployment: this.deployment,
      name: this.str(r, r.block.body, 'name'),
      origin: this.head(r),
    });
  }

  /** A subnet and the default routes of the route tables associated with it (as the CloudFormation loader reads them). */
  private loadSubnet(r: Res): void {
    const subnet: Subnet = {
      id: r.address,
      deployment: this.deployment,
      defaultRoutes: [],
      routesKnown: true,
      origin: this.head(r),
    };
    const mp = this.value(r, r.block.body, 'map_public_ip_on_launch');
    if (mp) {
      const origin = originAt(mp.attr, mp.v);
      const text = scalarText(mp.v);
      subnet.mapPublicIpOnLaunch =
        text === 'true' || text === 'false' ? { value: text === 'true', origin } : { sym: unknownSym(mp.v), origin };
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
        subnet.defaultRoutes.push({
          to: gatewayKind(gw?.v),
          origin: gw ? originAt(gw.attr, gw.v) : { via: 'direct', range: spanRange(b.headSpan) },
        });
      }
      for (const route of this.resources.filter(
        (x) => x.type === 'aws_route' && targetOf(x, 'route_table_id') === table,
      )) {
        const dest =
          this.str(route, route.block.body, 'destination_cidr_block')?.value ??
          this.str(route, route.block.body, 'destination_ipv6_cidr_block')?.value;
        if (dest !== '0.0.0.0/0' && dest !== '::/0') continue;
        const gw = this.value(route, route.block.body, 'gateway_id');
        subnet.defaultRoutes.push({ to: gatewayKind(gw?.v), origin: gw ? originAt(gw.attr, gw.v) : this.head(route) });
      }
    }
    this.model.subnets.push(subnet);
  }

  // ---- what invokes functions -----------------------------------------------------------------

  fnByAddress(address: string | undefined): LambdaFunction | undefined {
    return this.fnById(this.deployment, address);
  }

  /** The function (and qualifier) a function_name / ARN value names. */
  target(v: TV | undefined, origin: Origin): FunctionTarget {
    if (!v) return { qualifier: 'unknown', origin };
    if (v.t === 'sym') {
      const s = v.sym;
      if (s.kind === 'getatt' && s.target) return targetOf(this, s.target, s.attribute ?? '', undefined, origin);
      if (s.kind === 'expr') {
        const m = /^\$\{(.+)\.(arn|function_name|id)\}(?::(.+))?$/.exec(s.text);
        if (m && this.resource(m[1])) return targetOf(this, m[1], m[2], m[3], origin);
        if (/:function:[^:]+:\$LATEST$/.test(s.text)) return { qualifier: 'latest', origin };
      }
      return { qualifier: 'unknown', origin };
    }
    const text = scalarText(v);
    if (text === undefined) return { qualifier: 'unknown', origin };
    const m = /^(?:arn:[^:]+:lambda:[^:]*:[^:]*:function:|\d{12}:function:)?([A-Za-z0-9_-]+)(?::([^:]+))?$/.exec(text);
    if (!m) return { qualifier: 'unknown', origin };
    const fn = this.fnByName(this.deployment, m[1]);
    const qualifier =
      m[2] === undefined ? 'unqualified' : m[2] === '$LATEST' ? 'latest' : /^\d+$/.test(m[2]) ? 'version' : 'alias';
    return { functionId: fn?.id, qualifier, origin };
  }

  mappingKind(source: Val<string> | undefined, body: Body): EventSourceKind {
    const known = resourceType(source?.sym?.resourceType)?.source;
    if (known) return known;
    if (
      body.blocks.some(
        (b) =>
          b.type === 'self_managed_event_source' ||
          (b.type === 'dynamic' && b.labels[0] === 'self_managed_event_source'),
      )
    )
      return 'kafka';
    return sourceKindOfArn(source?.value ?? (source?.sym?.kind === 'expr' ? source.sym.text : ''));
  }

  /** The customer managed key of a queue of this configuration (Lambda then needs kms:Decrypt; docs/FACTS.md, section 3.2). */
  queueKey(source: Val<string> | undefined): Val<string> | undefined {
    const q = this.resource(source?.sym?.target);
    if (!q || q.type !== 'aws_sqs_queue') return undefined;
    const key = this.str(q, q.block.body, 'kms_master_key_id');
    if (!key) return undefined;
    if (key.value !== undefined && /^(alias\/aws\/sqs|arn:[^:]+:kms:[^:]*:[^:]*:alias\/aws\/sqs)$/.test(key.value))
      return undefined;
    const t = key.sym?.target;
    if (t && this.resource(t)?.type === 'aws_kms_key') {
      return {
        sym: {
          kind: 'getatt',
          key: `${t}.arn`,
          text: `${t}.arn`,
          target: t,
          attribute: 'arn',
          resourceType: 'aws_kms_key',
        },
        origin: key.origin,
      };
    }
    return key.value?.startsWith('arn:') && key.value.includes(':key/')
      ? key
      : {
          sym: { kind: 'param', key: `unknown:key:${key.value ?? key.sym?.key}`, text: "the queue's key" },
          origin: key.origin,
        };
  }
}
