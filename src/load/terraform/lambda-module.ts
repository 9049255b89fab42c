// The registry module terraform-aws-modules/lambda/aws (https://github.com/terraform-aws-modules/terraform-aws-lambda)
// and its `modules/alias` and `modules/deploy` submodules, modelled from the inputs of the module
// call rather than by evaluating the module's own code: every value then points at the line of
// the call that set it, which is the line a user edits. What each input does, and its default, is
// taken from the module's source (v8, commit 23d00f7): `main.tf` (the function, its event source
// mappings, permissions, invoke configs, log group), `iam.tf` (the role and the policies it
// attaches), `variables.tf` (defaults), `package.tf` / `package.py` (what `source_path` packages),
// `modules/alias/main.tf` and `modules/deploy/main.tf`.
//
// Over 600 lines because: it is one model of one third-party module (terraform-aws-modules/lambda
// with its alias and deploy submodules), input by input at the line of the call, kept together so
// it can be checked against that module's source file by file.
import fs from 'node:fs';
import path from 'node:path';
import type {
  Alias,
  CodeLocation,
  EventSourceKind,
  FunctionTarget,
  LambdaFunction,
  Origin,
  PolicyDocument,
  Role,
  Statement,
  Val,
  VpcConfig,
} from '../../model/types.js';
import { notChecked } from '../../model/coverage.js';
import { sourceKindOfArn } from '../../model/resource-types.js';
import { type Attribute, type Block, type Expr, type ParsedHcl, type Span, spanRange } from '../../source/hcl.js';
import type { Res } from './load.js';
import {
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

export type LambdaModuleKind = 'function' | 'alias' | 'deploy';

/** Which part of terraform-aws-modules/lambda a module source names, if it names one. */
export function lambdaModuleKind(source: string): LambdaModuleKind | undefined {
  const s = source.trim().replace(/^(registry\.terraform\.io|registry\.opentofu\.org)\//, '');
  const m =
    /^terraform-aws-modules\/lambda\/aws(?:\/\/([^?]*))?$/.exec(s) ??
    /^(?:git::)?(?:https:\/\/|ssh:\/\/git@|git@)?github\.com[/:]terraform-aws-modules\/terraform-aws-lambda(?:\.git)?(?:\/\/([^?]*))?(?:\?.*)?$/.exec(
      s,
    );
  if (!m) return undefined;
  const sub = (m[1] ?? '').replace(/^\/+|\/+$/g, '');
  return sub === '' ? 'function' : sub === 'modules/alias' ? 'alias' : sub === 'modules/deploy' ? 'deploy' : undefined;
}

/**
 * A local copy of the module (its own examples call it as `../../`): recognised by the resources
 * and variables only it declares.
 */
export function lambdaModuleCopy(files: readonly ParsedHcl[]): LambdaModuleKind | undefined {
  const resources = new Set<string>();
  const variables = new Set<string>();
  for (const f of files) {
    for (const b of f.body.blocks) {
      if (b.type === 'resource' && b.labels.length === 2) resources.add(b.labels.join('.'));
      else if (b.type === 'variable' && b.labels[0]) variables.add(b.labels[0]);
    }
  }
  const has = (...names: string[]) => names.every((n) => variables.has(n));
  if (
    resources.has('aws_lambda_function.this') &&
    has(
      'attach_policy_statements',
      'event_source_mapping',
      'create_unqualified_alias_allowed_triggers',
      'attach_network_policy',
    )
  )
    return 'function';
  if (resources.has('aws_lambda_alias.with_refresh') && has('refresh_alias', 'use_existing_alias', 'function_version'))
    return 'alias';
  if (resources.has('aws_codedeploy_deployment_group.this') && has('alias_name', 'target_version', 'current_version'))
    return 'deploy';
  return undefined;
}

/** What the loader lends this model: its evaluation helpers and the model being built. */
export interface LoaderHost {
  readonly model: import('../../model/types.js').Model;
  deployment: import('../../model/types.js').Deployment;
  roles: Map<string, Role>;
  notes: string[];
  opaqueRoles: Set<string>;
  value(r: Res, body: Block['body'], name: string): { attr: Attribute; v: TV } | undefined;
  str(r: Res, body: Block['body'] | undefined, name: string): Val<string> | undefined;
  num(r: Res, body: Block['body'] | undefined, name: string): Val<number> | undefined;
  list(r: Res, body: Block['body'] | undefined, name: string): Val<Val<string>[]> | undefined;
  head(r: Res): Origin;
  document(v: TV, attr: Attribute, r: Res, name?: string): PolicyDocument;
  attachArn(role: Role, arn: Val<string>): void;
  roleRef(r: Res, body: Block['body'], name?: string): LambdaFunction['role'];
  localPackage(v: TV, origin: Origin, rootDir: string, scope: Scope): CodeLocation;
  target(v: TV | undefined, origin: Origin): FunctionTarget;
  mappingKind(source: Val<string> | undefined, body: Block['body']): EventSourceKind;
  queueKey(source: Val<string> | undefined): Val<string> | undefined;
  fnByAddress(address: string | undefined): LambdaFunction | undefined;
  partialEnvironment(fn: LambdaFunction, why: string): void;
}

/** One instance of a call of the module (one per count index / for_each key). */
export interface LambdaModuleCall {
  kind: LambdaModuleKind;
  /** `module.lambda` (with its parent module's prefix and its instance key). */
  address: string;
  source: string;
  /** The pseudo-resource the call's inputs are read through (the call block, in the caller's scope). */
  r: Res;
}

const LOGS_ARN =
  'arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:log-group:';
const EMPTY_BODY: Block['body'] = { attrs: new Map(), blocks: [] };
/** What looks at the package's files. */
const CODE_RULES = [
  'handler-not-found',
  'missing-dependency',
  'aws-sdk-v2-runtime',
  'sdk-permission',
  'package-size',
  'recursive-trigger',
  'tracing-disabled',
];

/** Resource types of the addresses the models below create (symbolic ARNs name them). */
const SYNTH_TYPES = {
  function: 'aws_lambda_function',
  role: 'aws_iam_role',
  layer: 'aws_lambda_layer_version',
  logGroup: 'aws_cloudwatch_log_group',
  alias: 'aws_lambda_alias',
} as const;

export class LambdaModules {
  readonly calls: LambdaModuleCall[] = [];
  /** Addresses of the resources modelled here, with their types. */
  readonly types = new Map<string, string>();
  /** Aliases modelled here, by address (their function is known only once functions are loaded). */
  readonly aliases = new Map<string, Alias>();

  constructor(private host: LoaderHost) {}

  /** Registers a call (one instance of it) and gives back its outputs for the evaluator. */
  add(
    kind: LambdaModuleKind,
    block: Block,
    scope: Scope,
    name: string,
    suffix: string,
    inst: Instance,
    source: string,
  ): LambdaModuleCall {
    const address = `${scope.prefix}module.${name}${suffix}`;
    const r: Res = { address, type: 'module', block, scope, inst };
    const call: LambdaModuleCall = { kind, address, source, r };
    this.calls.push(call);
    if (kind === 'function') {
      if (this.createsFunction(call) !== false)
        this.types.set(`${address}.aws_lambda_function.this`, SYNTH_TYPES.function);
      if (this.createsLayer(call) !== false)
        this.types.set(`${address}.aws_lambda_layer_version.this`, SYNTH_TYPES.layer);
      if (this.createsFunction(call) !== false && this.bool(call, 'create_role', true) !== false)
        this.types.set(`${address}.aws_iam_role.lambda`, SYNTH_TYPES.role);
      this.types.set(`${address}.aws_cloudwatch_log_group.lambda`, SYNTH_TYPES.logGroup);
    } else if (kind === 'alias') {
      this.types.set(this.aliasAddress(call), SYNTH_TYPES.alias);
    }
    return call;
  }

  /** The value of an output of a call, as a reference to what the module creates. */
  output(call: LambdaModuleCall, output: string): TV | undefined {
    const getatt = (address: string, attribute: string, type: string): TV => ({
      t: 'sym',
      sym: {
        kind: 'getatt',
        key: `${address}.${attribute}`,
        text: `${address}.${attribute}`,
        target: address,
        attribute,
        resourceType: type,
      },
    });
    const a = call.address;
    if (call.kind === 'function') {
      const fn = `${a}.aws_lambda_function.this`;
      switch (output) {
        case 'lambda_function_arn':
          return getatt(fn, 'arn', SYNTH_TYPES.function);
        case 'lambda_function_invoke_arn':
          return getatt(fn, 'invoke_arn', SYNTH_TYPES.function);
        case 'lambda_function_name':
          return getatt(fn, 'function_name', SYNTH_TYPES.function);
        case 'lambda_function_qualified_arn':
          return getatt(fn, 'qualified_arn', SYNTH_TYPES.function);
        case 'lambda_function_qualified_invoke_arn':
          return getatt(fn, 'qualified_invoke_arn', SYNTH_TYPES.function);
        case 'lambda_function_version':
          // docs/FACTS.md §8.1: without publish nothing is published and `version` reads $LATEST.
          return this.publishes(call) === false
            ? { t: 'str', v: '$LATEST' }
            : getatt(fn, 'version', SYNTH_TYPES.function);
        case 'lambda_role_arn':
        case 'lambda_role_name':
          return this.bool(call, 'create_role', true) === false
            ? undefined
            : getatt(`${a}.aws_iam_role.lambda`, output === 'lambda_role_arn' ? 'arn' : 'name', SYNTH_TYPES.role);
        case 'lambda_layer_arn':
          return getatt(`${a}.aws_lambda_layer_version.this`, 'arn', SYNTH_TYPES.layer);
        case 'lambda_cloudwatch_log_group_name': {
          const n = this.logGroupName(call);
          return n.value !== undefined ? { t: 'str', v: n.value } : undefined;
        }
        case 'lambda_cloudwatch_log_group_arn':
          return getatt(`${a}.aws_cloudwatch_log_group.lambda`, 'arn', SYNTH_TYPES.logGroup);
        default:
          return undefined;
      }
    }
    if (call.kind === 'alias') {
      const alias = this.aliasAddress(call);
      if (output === 'lambda_alias_arn' || output === 'lambda_alias_invoke_arn')
        return getatt(alias, output === 'lambda_alias_arn' ? 'arn' : 'invoke_arn', SYNTH_TYPES.alias);
      if (output === 'lambda_alias_name') {
        const n = this.host.value(call.r, call.r.block.body, 'name');
        return n?.v;
      }
    }
    return undefined;
  }

  // ---- inputs ----------------------------------------------------------------------------------

  private input(call: LambdaModuleCall, name: string): { attr: Attribute; v: TV } | undefined {
    return this.host.value(call.r, call.r.block.body, name);
  }

  /** A bool input, its default when absent; undefined when it cannot be known. */
  private bool(call: LambdaModuleCall, name: string, def: boolean): boolean | undefined {
    const got = this.input(call, name);
    if (!got) return def;
    if (got.v.t === 'bool') return got.v.v;
    if (got.v.t === 'str' && (got.v.v === 'true' || got.v.v === 'false')) return got.v.v === 'true';
    return undefined;
  }

  /** Where a value the module derives from an input points: the input, else the call's head. */
  private at(call: LambdaModuleCall, ...names: string[]): Origin {
    for (const n of names) {
      const got = this.input(call, n);
      if (got) return { ...originAt(got.attr, got.v), via: this.host.head(call.r).via };
    }
    return this.host.head(call.r);
  }

  private createsFunction(call: LambdaModuleCall): boolean | undefined {
    const [a, b, c] = [
      this.bool(call, 'create', true),
      this.bool(call, 'create_function', true),
      this.bool(call, 'create_layer', false),
    ];
    if (a === false || b === false || c === true) return false;
    return a === undefined || b === undefined || c === undefined ? undefined : true;
  }

  private createsLayer(call: LambdaModuleCall): boolean | undefined {
    const [a, c] = [this.bool(call, 'create', true), this.bool(call, 'create_layer', false)];
    if (a === false || c === false) return false;
    return a === undefined || c === undefined ? undefined : true;
  }

  /** main.tf: `publish = (var.lambda_at_edge || var.snap_start) ? true : var.publish`. */
  private publishes(call: LambdaModuleCall): boolean | undefined {
    const edge = this.bool(call, 'lambda_at_edge', false);
    const snap = this.bool(call, 'snap_start', false);
    if (edge === true || snap === true) return true;
    const p = this.bool(call, 'publish', false);
    return edge === undefined || snap === undefined ? (p === true ? true : undefined) : p;
  }

  /** main.tf `aws_cloudwatch_log_group.lambda`: coalesce(logging_log_group, "/aws/lambda/<name>"). */
  private logGroupName(call: LambdaModuleCall): Val<string> {
    const custom = this.host.str(call.r, call.r.block.body, 'logging_log_group');
    if (custom) return custom;
    const name = this.host.str(call.r, call.r.block.body, 'function_name');
    const edge = this.bool(call, 'lambda_at_edge', false) === true ? 'us-east-1.' : '';
    const origin = this.host.head(call.r);
    if (name?.value !== undefined) return { value: `/aws/lambda/${edge}${name.value}`, origin };
    if (name?.sym?.kind === 'expr')
      return {
        sym: {
          kind: 'expr',
          key: `expr:/aws/lambda/${edge}${name.sym.text}`,
          text: `/aws/lambda/${edge}${name.sym.text}`,
        },
        origin,
      };
    return { sym: { kind: 'param', key: `unknown:loggroup:${call.address}`, text: 'the log group' }, origin };
  }

  /**
   * The log group name as the logs-permission rule spells it for this function (a resolved name, a
   * template, or the function's id as a placeholder), so that the module's logs policy matches it.
   */
  private logGroupText(call: LambdaModuleCall, fnId: string): string {
    const custom = this.host.str(call.r, call.r.block.body, 'logging_log_group');
    const name = custom ?? this.host.str(call.r, call.r.block.body, 'function_name');
    const text =
      name?.value ??
      (name?.sym?.kind === 'expr'
        ? name.sym.text
        : custom?.sym?.target
          ? '${' + custom.sym.target + '}'
          : '${' + fnId + '}');
    return custom
      ? text
      : `/aws/lambda/${this.bool(call, 'lambda_at_edge', false) === true ? 'us-east-1.' : ''}${text}`;
  }

  private aliasAddress(call: LambdaModuleCall): string {
    // modules/alias/main.tf: `with_refresh` unless refresh_alias = false.
    return `${call.address}.aws_lambda_alias.${this.bool(call, 'refresh_alias', true) === false ? 'no_refresh' : 'with_refresh'}`;
  }

  /** Entries of a map input, each with the place its key is written (or the input's line). */
  private entries(
    call: LambdaModuleCall,
    name: string,
  ): { entries: { key: string; v: TV; at: Origin }[]; unknown: boolean; attr?: Attribute } {
    const got = this.input(call, name);
    if (!got) return { entries: [], unknown: false };
    if (got.v.t !== 'obj') return { entries: [], unknown: true, attr: got.attr };
    const partial = !!got.v.partial;
    const keySpans = objectKeySpans(got.attr.expr);
    const via = this.host.head(call.r).via;
    const out: { key: string; v: TV; at: Origin }[] = [];
    for (const [key, v] of got.v.entries) {
      const span = keySpans.get(key);
      const at: Origin = span
        ? { via, range: spanRange(span) }
        : v.span
          ? { via, range: spanRange(firstLine(v.span)) }
          : { ...originAt(got.attr, got.v), via };
      if (!span && got.v.from) at.also = { range: got.v.from.range, message: got.v.from.message };
      out.push({ key, v, at });
    }
    return { entries: out, unknown: partial, attr: got.attr };
  }

  // ---- the role (iam.tf) -----------------------------------------------------------------------

  /** iam.tf: the role the module creates, with every policy its inputs attach. */
  loadRoles(): void {
    for (const call of this.calls) {
      if (call.kind !== 'function' || this.createsFunction(call) === false) continue;
      const create = this.bool(call, 'create_role', true);
      if (create === false) continue;
      const id = `${call.address}.aws_iam_role.lambda`;
      const head = this.host.head(call.r);
      const role: Role = {
        id,
        deployment: this.host.deployment,
        generated: false,
        inline: [],
        managedPolicyArns: [],
        managedPolicyIds: [],
        complete: create !== undefined && !this.host.opaqueRoles.has(id),
        origin: { via: 'implicit', range: head.range, note: `role created by module ${call.address}` },
      };
      const boundary = this.host.str(call.r, call.r.block.body, 'role_permissions_boundary');
      if (boundary) role.permissionsBoundary = boundary;
      const fnId = `${call.address}.aws_lambda_function.this`;
      // A flag that cannot be known may attach a policy: the role is then not known in full.
      const attached = (flag: string, def: boolean, ...inputs: string[]): boolean => {
        const b = this.bool(call, flag, def);
        if (b === undefined) role.complete = false;
        else if (!b && inputs.some((n) => this.input(call, n))) {
          this.host.notes.push(
            `module ${call.address}: ${inputs[0]} is set but ${flag} is not true, so the module attaches none of it`,
          );
        }
        return b === true;
      };
      const implicitDoc = (name: string, flag: string, statements: Statement[]): PolicyDocument => ({
        name: `${name} policy of module ${call.address}`,
        statements,
        complete: true,
        origin: this.at(call, flag),
      });
      const st = (actions: string[], resources: Val<string>[], origin: Origin): Statement => ({
        effect: 'Allow',
        actions: actions.map((value) => ({ value, origin })),
        resources,
        hasCondition: false,
        origin,
      });

      // Logs: on by default; CreateLogGroup unless the group already exists or that permission is turned off.
      if (attached('attach_cloudwatch_logs_policy', true)) {
        const origin: Origin = {
          ...this.at(call, 'attach_cloudwatch_logs_policy'),
          note: `logs policy attached by module ${call.address}`,
        };
        const existing = this.bool(call, 'use_existing_cloudwatch_log_group', false);
        const createGroup = this.bool(call, 'attach_create_log_group_permission', true);
        const actions = [
          ...(existing === false && createGroup === true ? ['logs:CreateLogGroup'] : []),
          'logs:CreateLogStream',
          'logs:PutLogEvents',
        ];
        const edgeAll =
          this.bool(call, 'lambda_at_edge', false) === true &&
          this.bool(call, 'lambda_at_edge_logs_all_regions', true) !== false;
        const arn =
          (edgeAll ? LOGS_ARN.replace('${data.aws_region.current.name}', '*') : LOGS_ARN) +
          this.logGroupText(call, fnId);
        const res = [`${arn}:*`, `${arn}:*:*`].map((text): Val<string> => ({
          sym: { kind: 'expr', key: `expr:${text}`, text },
          origin,
        }));
        role.inline.push(implicitDoc('logs', 'attach_cloudwatch_logs_policy', [st(actions, res, origin)]));
        if (existing === undefined || createGroup === undefined) role.complete = false;
      }
      if (attached('attach_dead_letter_policy', false, 'dead_letter_target_arn')) {
        const dlq = this.host.str(call.r, call.r.block.body, 'dead_letter_target_arn');
        const origin = {
          ...this.at(call, 'attach_dead_letter_policy'),
          note: `dead-letter policy attached by module ${call.address}`,
        };
        role.inline.push(
          implicitDoc('dead-letter', 'attach_dead_letter_policy', [
            st(['sns:Publish', 'sqs:SendMessage'], dlq ? [dlq] : [], origin),
          ]),
        );
      }
      // The module copies these two AWS managed policies into inline policies: the same statements.
      if (attached('attach_network_policy', false)) {
        role.managedPolicyArns.push({
          value: 'arn:aws:iam::aws:policy/service-role/AWSLambdaENIManagementAccess',
          origin: this.at(call, 'attach_network_policy'),
        });
      }
      if (attached('attach_tracing_policy', false)) {
        role.managedPolicyArns.push({
          value: 'arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess',
          origin: this.at(call, 'attach_tracing_policy'),
        });
      }
      if (attached('attach_async_event_policy', false, 'destination_on_failure', 'destination_on_success')) {
        const origin = {
          ...this.at(call, 'attach_async_event_policy'),
          note: `async destinations policy attached by module ${call.address}`,
        };
        const dests = ['destination_on_failure', 'destination_on_success']
          .map((n) => this.host.str(call.r, call.r.block.body, n))
          .filter((x): x is Val<string> => !!x);
        role.inline.push(
          implicitDoc('async', 'attach_async_event_policy', [
            st(['sns:Publish', 'sqs:SendMessage', 'events:PutEvents', 'lambda:InvokeFunction'], dests, origin),
          ]),
        );
      }
      if (attached('attach_policy_json', false, 'policy_json')) {
        const got = this.input(call, 'policy_json');
        if (got) role.inline.push(this.host.document(got.v, got.attr, call.r, `policy_json of module ${call.address}`));
      }
      if (attached('attach_policy_jsons', false, 'policy_jsons')) {
        const got = this.input(call, 'policy_jsons');
        const items = got ? listItems(got.v) : [];
        const n = this.count(call, 'number_of_policy_jsons', role);
        if (!items || n === undefined) role.complete = false;
        else
          for (const item of items.slice(0, n))
            role.inline.push(this.host.document(item, got!.attr, call.r, `policy_jsons of module ${call.address}`));
      }
      if (attached('attach_policy', false, 'policy')) {
        const arn = this.host.str(call.r, call.r.block.body, 'policy');
        if (arn) this.host.attachArn(role, arn);
      }
      if (attached('attach_policies', false, 'policies')) {
        const arns = this.host.list(call.r, call.r.block.body, 'policies');
        const n = this.count(call, 'number_of_policies', role);
        if (arns?.sym || n === undefined) role.complete = false;
        else for (const arn of (arns?.value ?? []).slice(0, n)) this.host.attachArn(role, arn);
      }
      if (attached('attach_policy_statements', false, 'policy_statements')) {
        const { entries, unknown, attr } = this.entries(call, 'policy_statements');
        const doc: PolicyDocument = {
          name: `policy_statements of module ${call.address}`,
          statements: [],
          complete: !unknown,
          origin: attr ? originAt(attr, undefined) : this.host.head(call.r),
        };
        for (const e of entries) {
          const s = statementOf(e.v, e.at);
          if (s) doc.statements.push(s);
          else doc.complete = false;
        }
        role.inline.push(doc);
      }
      this.host.roles.set(id, role);
      this.host.model.roles.push(role);
    }
  }

  /** iam.tf: `count = var.number_of_...` (default 0) decides how many list items are attached. */
  private count(call: LambdaModuleCall, name: string, role: Role): number | undefined {
    const got = this.input(call, name);
    if (!got) {
      this.host.notes.push(
        `module ${call.address}: ${name} is not set (default 0), so the module attaches none of the ${name.replace('number_of_', '')}`,
      );
      return 0;
    }
    if (got.v.t === 'num') return got.v.v;
    role.complete = false;
    return undefined;
  }

  // ---- layers and functions (main.tf) ----------------------------------------------------------

  loadLayers(): void {
    for (const call of this.calls) {
      if (call.kind !== 'function' || this.createsLayer(call) === false) continue;
      const head = this.host.head(call.r);
      this.host.model.layers.push({
        id: `${call.address}.aws_lambda_layer_version.this`,
        deployment: this.host.deployment,
        code: this.code(call),
        origin: head,
      });
    }
  }

  loadFunctions(): void {
    for (const call of this.calls) {
      if (call.kind !== 'function') continue;
      const creates = this.createsFunction(call);
      if (creates === false) continue;
      const { r } = call;
      const body = r.block.body;
      const head = this.host.head(r);
      const id = `${call.address}.aws_lambda_function.this`;
      const image = this.host.str(r, body, 'package_type')?.value === 'Image';
      const fn: LambdaFunction = {
        id,
        deployment: this.host.deployment,
        framework: 'terraform',
        origin: head,
        name: this.host.str(r, body, 'function_name'),
        runtime: image ? undefined : nonEmpty(this.host.str(r, body, 'runtime')),
        handler: image ? undefined : nonEmpty(this.host.str(r, body, 'handler')),
        // Defaults 3 s / 128 MB / 512 MB are Lambda's own: left unset, as on a resource that omits them.
        timeout: this.host.num(r, body, 'timeout'),
        memorySize: this.host.num(r, body, 'memory_size'),
        ephemeralStorage: this.host.num(r, body, 'ephemeral_storage_size'),
        packageType: image ? 'Image' : 'Zip',
        code: this.code(call),
        layers: [],
        role: this.role(call),
        environment: {},
        meta: { module: call.address, registryModule: call.source },
      };
      // main.tf: `timeout = var.lambda_at_edge ? min(var.timeout, 30) : var.timeout`.
      if (this.bool(call, 'lambda_at_edge', false) === true && fn.timeout?.value !== undefined && fn.timeout.value > 30)
        fn.timeout = { ...fn.timeout, value: 30 };
      if (creates === undefined)
        this.host.notes.push(
          `module ${call.address}: whether it creates its function depends on values lambdalint cannot see; modelled as created`,
        );
      const layers = this.host.list(r, body, 'layers');
      for (const l of layers?.value ?? []) {
        const t = l.sym?.target;
        const type = t
          ? (this.types.get(t) ?? this.host.model.resourceTypes.get(this.host.deployment)?.get(t))
          : undefined;
        fn.layers.push(t && type === 'aws_lambda_layer_version' ? { target: t, ref: l } : { ref: l });
      }
      // main.tf: vpc_config only when both lists are given (not null). One without the other drops
      // the whole block: the function is then not attached, which vpc-config reports.
      const subnets = this.host.list(r, body, 'vpc_subnet_ids');
      const groups = this.host.list(r, body, 'vpc_security_group_ids');
      if (subnets || groups) {
        const vpc: VpcConfig = { origin: (subnets ?? groups)!.origin };
        if (subnets) vpc.subnetIds = subnets;
        if (groups) vpc.securityGroupIds = groups;
        fn.vpc = vpc;
      }
      const tracing = this.host.str(r, body, 'tracing_mode');
      if (tracing) fn.tracing = tracing;
      const dlq = this.host.str(r, body, 'dead_letter_target_arn');
      if (dlq) fn.deadLetter = { kind: 'dead-letter', arn: dlq };
      const group = this.host.str(r, body, 'logging_log_group');
      if (group) fn.logGroup = group;
      const reserved = this.host.num(r, body, 'reserved_concurrent_executions');
      if (reserved && reserved.value !== -1) fn.reservedConcurrency = reserved;
      const arch = this.host.list(r, body, 'architectures');
      if (arch?.value) fn.architectures = arch.value;
      const durable = this.input(call, 'durable_config_execution_timeout');
      if (durable) fn.durable = originAt(durable.attr, durable.v);
      const cap = this.input(call, 'managed_instances_capacity_provider_arn');
      if (cap) fn.capacityProvider = originAt(cap.attr, cap.v);
      const env = this.input(call, 'environment_variables');
      if (env?.v.t === 'obj')
        for (const [k, v] of env.v.entries)
          fn.environment[k] = strVal(v, v.span ? originAt(v.span, v) : originAt(env.attr, v));
      if (env?.v.t === 'obj' && env.v.partial) this.host.partialEnvironment(fn, env.v.partial);
      const pub = this.publishes(call);
      fn.meta.publish = pub === undefined ? 'unknown' : String(pub);
      this.host.model.functions.push(fn);
      // The log group the module creates (or looks up with use_existing_cloudwatch_log_group).
      this.host.model.logGroups.push({
        id: `${call.address}.aws_cloudwatch_log_group.lambda`,
        deployment: this.host.deployment,
        name: this.logGroupName(call),
        origin: head,
      });
    }
  }

  /** create_role (default true) gives the module's role; otherwise `lambda_role`, as a resource's `role`. */
  private role(call: LambdaModuleCall): LambdaFunction['role'] {
    const create = this.bool(call, 'create_role', true);
    const id = `${call.address}.aws_iam_role.lambda`;
    if (create !== false && this.host.roles.has(id)) return { roleId: id, origin: this.host.head(call.r) };
    if (create === undefined)
      return {
        ref: { sym: unknownSym({ t: 'unknown' }), origin: this.host.head(call.r) },
        origin: this.host.head(call.r),
      };
    return this.host.roleRef(call.r, call.r.block.body, 'lambda_role');
  }

  /**
   * The package: an image, an existing zip (local or S3), or what `source_path` builds. package.py
   * zips a folder named by `source_path` (relative to the root module, where terraform runs) after
   * installing its requirements.txt / package.json; commands, patterns and several paths build
   * something lambdalint does not reproduce.
   */
  private code(call: LambdaModuleCall): CodeLocation {
    const { r } = call;
    const body = r.block.body;
    const rootDir = r.scope.rootDir;
    const onS3 = this.bool(call, 'store_on_s3', false);
    const image = this.input(call, 'image_uri');
    if (this.host.str(r, body, 'package_type')?.value === 'Image' || image) {
      return {
        kind: 'image',
        directUpload: false,
        built: true,
        origin: image ? originAt(image.attr, image.v) : this.at(call, 'package_type'),
      };
    }
    const local = this.input(call, 'local_existing_package');
    if (local) return this.host.localPackage(local.v, originAt(local.attr, local.v), rootDir, r.scope);
    const s3 = this.input(call, 's3_existing_package');
    if (s3) return { kind: 's3', directUpload: false, built: true, origin: originAt(s3.attr, s3.v) };
    const src = this.input(call, 'source_path');
    const create = this.bool(call, 'create_package', true);
    if (!src || create === false)
      return {
        kind: 'unknown',
        directUpload: false,
        built: false,
        origin: src ? originAt(src.attr, src.v) : this.host.head(r),
      };
    const origin = originAt(src.attr, src.v);
    const out: CodeLocation = { kind: 'unknown', directUpload: onS3 !== true, built: false, origin };
    const claims = src.v.t === 'list' ? src.v.items : [src.v];
    const one = claims.length === 1 ? claims[0] : undefined;
    let dir: string | undefined;
    if (one && scalarText(one) !== undefined) dir = scalarText(one);
    else if (
      one?.t === 'obj' &&
      ![...one.entries.keys()].some((k) => k === 'commands' || k === 'patterns' || k === 'prefix_in_zip')
    )
      dir = scalarText(one.entries.get('path'));
    if (dir === undefined) {
      const reason = `source_path of module ${call.address} builds the package with ${claims.length > 1 ? 'several paths' : 'commands or patterns'}`;
      notChecked(this.host.model, {
        fn: `${call.address}.aws_lambda_function.this`,
        file: r.block.headSpan.file.path,
        rules: CODE_RULES,
        reason,
      });
      return out;
    }
    out.kind = 'local-dir';
    out.path = path.resolve(rootDir, dir);
    if (isFile(out.path)) {
      // package.py zips a single file as the whole package: its folder holds it, and more.
      out.path = path.dirname(out.path);
      out.unmeasured = `source_path names one file (${path.basename(dir)}), not its folder`;
    }
    return out;
  }

  // ---- what invokes the function (main.tf, modules/alias/main.tf) ------------------------------

  loadAliases(): void {
    for (const call of this.calls) {
      if (
        call.kind !== 'alias' ||
        this.bool(call, 'create', true) === false ||
        this.bool(call, 'use_existing_alias', false) === true
      )
        continue;
      const { r } = call;
      const fnRef = this.input(call, 'function_name');
      const target = fnRef ? this.host.target(fnRef.v, originAt(fnRef.attr, fnRef.v)) : undefined;
      // modules/alias/main.tf: `function_version = var.function_version != "" ? var.function_version : "$LATEST"`.
      const ver = this.input(call, 'function_version');
      let version: Val<string>;
      if (!ver || (ver.v.t === 'str' && ver.v.v === '')) {
        version = {
          value: '$LATEST',
          origin: {
            ...(ver ? originAt(ver.attr, ver.v) : this.host.head(r)),
            note: 'function_version is not set, so the alias module points the alias at $LATEST',
          },
        };
      } else {
        version = strVal(ver.v, originAt(ver.attr, ver.v));
        if (version.value === '$LATEST' && ver.v.span && ver.v.span !== ver.attr.expr.span)
          version.origin = { ...version.origin, note: 'publish is not true, so version is $LATEST' };
      }
      const sym = ver?.v.t === 'sym' ? ver.v.sym : undefined;
      const published =
        (sym?.resourceType === 'aws_lambda_function' && sym.attribute === 'version') ||
        (version.value !== undefined && /^\d+$/.test(version.value));
      const alias: Alias = {
        id: this.aliasAddress(call),
        deployment: this.host.deployment,
        name: this.host.str(r, r.block.body, 'name'),
        functionId: target?.functionId,
        version,
        pointsToPublished: published,
        origin: this.host.head(r),
      };
      this.aliases.set(alias.id, alias);
      this.host.model.aliases.push(alias);
    }
  }

  /** The function (and qualifier) an alias call serves, for its mappings and permissions. */
  private aliasTarget(call: LambdaModuleCall, origin: Origin): FunctionTarget {
    const fnRef = this.input(call, 'function_name');
    const base = fnRef ? this.host.target(fnRef.v, origin) : { qualifier: 'unknown' as const, origin };
    const alias = this.aliases.get(this.aliasAddress(call));
    return { functionId: base.functionId, qualifier: 'alias', ...(alias ? { aliasId: alias.id } : {}), origin };
  }

  loadMappings(): void {
    for (const call of this.calls) {
      let target: (o: Origin) => FunctionTarget;
      if (call.kind === 'function') {
        // main.tf creates the mappings only with create_unqualified_alias_allowed_triggers (default true).
        if (
          this.createsFunction(call) === false ||
          this.bool(call, 'create_unqualified_alias_allowed_triggers', true) === false
        )
          continue;
        const fnId = `${call.address}.aws_lambda_function.this`;
        target = (origin) => ({ functionId: this.host.fnByAddress(fnId)?.id, qualifier: 'unqualified', origin });
      } else if (call.kind === 'alias') {
        if (this.bool(call, 'create', true) === false) continue;
        target = (origin) => this.aliasTarget(call, origin);
      } else continue;
      const { entries, unknown, attr } = this.entries(call, 'event_source_mapping');
      if (unknown) {
        const fn = call.kind === 'function' ? `${call.address}.aws_lambda_function.this` : undefined;
        notChecked(this.host.model, {
          ...(fn ? { fn } : {}),
          file: call.r.block.headSpan.file.path,
          rules: ['event-source-permission', 'sqs-visibility-timeout', 'latest-in-production'],
          reason: `event_source_mapping of module ${call.address} (${attr ? exprText(attr.expr) : 'an unknown value'}) cannot be read`,
        });
      }
      for (const e of entries) {
        if (e.v.t !== 'obj') continue;
        const get = (k: string): TV | undefined => {
          const v = e.v.t === 'obj' ? e.v.entries.get(k) : undefined;
          return v && v.t !== 'null' ? v : undefined;
        };
        const val = (k: string): Val<string> | undefined => {
          const v = get(k);
          return v ? strVal(v, v.span ? { ...originAt(v.span, v), via: e.at.via } : e.at) : undefined;
        };
        const num = (k: string): Val<number> | undefined => {
          const v = get(k);
          return v ? numVal(v, v.span ? { ...originAt(v.span, v), via: e.at.via } : e.at) : undefined;
        };
        const source = val('event_source_arn');
        let kind: EventSourceKind = get('self_managed_event_source')
          ? 'kafka'
          : this.host.mappingKind(source, EMPTY_BODY);
        if (kind === 'unknown' && !source) kind = get('queues') ? 'mq' : get('topics') ? 'kafka' : 'unknown';
        if (kind === 'unknown' && source?.value) kind = sourceKindOfArn(source.value);
        const onFailure = val('destination_arn_on_failure');
        const access = (listItems(get('source_access_configuration') ?? { t: 'list', items: [] }) ?? [])
          .map((x) =>
            x.t === 'obj' ? { type: scalarText(x.entries.get('type')), uri: x.entries.get('uri') } : undefined,
          )
          .filter((x): x is { type: string | undefined; uri: TV } => !!x?.uri)
          .map((x) => ({ type: x.type, uri: strVal(x.uri, x.uri.span ? originAt(x.uri.span, x.uri) : e.at) }));
        this.host.model.mappings.push({
          id: `${call.address}.aws_lambda_event_source_mapping.this[${JSON.stringify(e.key)}]`,
          deployment: this.host.deployment,
          kind,
          target: target(e.at),
          source,
          batchSize: num('batch_size'),
          batchingWindow: num('maximum_batching_window_in_seconds'),
          ...(onFailure ? { destinations: [{ kind: 'on-failure' as const, arn: onFailure }] } : {}),
          ...(access.length ? { accessConfigs: access } : {}),
          sourceKey: this.host.queueKey(source),
          ...(get('filter_criteria') ? { filtered: true } : {}),
          origin: e.at,
          label: `event source mapping ${e.key} of ${call.address}`,
        });
      }
    }
  }

  /**
   * allowed_triggers: main.tf gives each a permission on the unqualified function
   * (create_unqualified_alias_allowed_triggers) and one on the current version
   * (create_current_version_allowed_triggers, a published version only); modules/alias/main.tf one
   * on the alias and one on its version (unqualified when the version is $LATEST).
   */
  loadPermissions(): void {
    for (const call of this.calls) {
      if (call.kind === 'deploy') continue;
      const fnId = call.kind === 'function' ? `${call.address}.aws_lambda_function.this` : undefined;
      if (call.kind === 'function' && this.createsFunction(call) === false) continue;
      if (call.kind === 'alias' && this.bool(call, 'create', true) === false) continue;
      const { entries, unknown, attr } = this.entries(call, 'allowed_triggers');
      const targets: ((o: Origin) => FunctionTarget)[] = [];
      if (call.kind === 'function') {
        const fid = this.host.fnByAddress(fnId)?.id;
        if (this.bool(call, 'create_unqualified_alias_allowed_triggers', true) !== false)
          targets.push((origin) => ({ functionId: fid, qualifier: 'unqualified', origin }));
        if (this.bool(call, 'create_current_version_allowed_triggers', true) !== false && this.publishes(call) === true)
          targets.push((origin) => ({ functionId: fid, qualifier: 'version', origin }));
      } else {
        if (this.bool(call, 'create_qualified_alias_allowed_triggers', true) !== false)
          targets.push((origin) => this.aliasTarget(call, origin));
        if (this.bool(call, 'create_version_allowed_triggers', true) !== false) {
          const alias = this.aliases.get(this.aliasAddress(call));
          const v = alias?.version.value;
          targets.push((origin) => {
            const base = this.aliasTarget(call, origin);
            return {
              functionId: base.functionId,
              qualifier:
                v === '$LATEST'
                  ? 'unqualified'
                  : v !== undefined && /^\d+$/.test(v)
                    ? 'version'
                    : alias?.pointsToPublished
                      ? 'version'
                      : 'unknown',
              origin,
            };
          });
        }
      }
      if (unknown && targets.length) {
        // Permissions nobody can list: any push trigger of this function may be allowed.
        const origin: Origin = {
          ...(attr ? originAt(attr, undefined) : this.host.head(call.r)),
          note: `allowed_triggers of module ${call.address}`,
        };
        for (const t of targets)
          this.host.model.permissions.push({
            id: `${call.address}:allowed_triggers`,
            deployment: this.host.deployment,
            target: { ...t(origin), qualifier: 'unknown' },
            origin,
          });
        continue;
      }
      for (const e of entries) {
        const get = (k: string): TV | undefined => (e.v.t === 'obj' ? e.v.entries.get(k) : undefined);
        // main.tf: principal = try(each.value.principal, format("%s.amazonaws.com", try(each.value.service, ""))).
        const p = get('principal');
        const service = scalarText(get('service'));
        const principal: Val<string> | undefined =
          p && p.t !== 'null'
            ? strVal(p, e.at)
            : service !== undefined
              ? { value: `${service}.amazonaws.com`, origin: e.at }
              : undefined;
        targets.forEach((t, i) => {
          this.host.model.permissions.push({
            id: `${call.address}.allowed_triggers[${JSON.stringify(e.key)}]${i ? '.version' : ''}`,
            deployment: this.host.deployment,
            target: t(e.at),
            ...(principal ? { principal } : {}),
            origin: e.at,
          });
        });
      }
    }
  }

  /**
   * create_lambda_function_url (default false): main.tf `aws_lambda_function_url.this` with
   * `authorization_type` (default NONE) on the unqualified function, or on the current version
   * when create_unqualified_alias_lambda_function_url is false.
   * The AWS provider adds a NONE URL's public permission itself (terraform-provider-aws CHANGELOG 4.10.0, 6.28.0).
   */
  loadUrls(): void {
    for (const call of this.calls) {
      if (
        call.kind !== 'function' ||
        this.bool(call, 'create_lambda_function_url', false) !== true ||
        this.createsFunction(call) === false
      )
        continue;
      const origin = this.at(call, 'create_lambda_function_url');
      const fid = this.host.fnByAddress(`${call.address}.aws_lambda_function.this`)?.id;
      const unqualified = this.bool(call, 'create_unqualified_alias_lambda_function_url', true);
      const pub = this.publishes(call);
      const target: FunctionTarget = {
        functionId: fid,
        qualifier:
          unqualified === true
            ? 'unqualified'
            : unqualified === false && pub !== undefined
              ? pub
                ? 'version'
                : 'latest'
              : 'unknown',
        origin,
      };
      const authType = this.host.str(call.r, call.r.block.body, 'authorization_type') ?? {
        value: 'NONE',
        origin: { ...origin, via: 'default' as const },
      };
      const id = `${call.address}.aws_lambda_function_url.this`;
      this.host.model.triggers.push({
        id,
        deployment: this.host.deployment,
        kind: 'function-url',
        target,
        implicitPermission: true,
        authType,
        origin,
        label: `function URL of module ${call.address}`,
      });
    }
  }

  /** create_async_event_config (default false): main.tf / modules/alias/main.tf invoke configs. */
  loadInvokeConfigs(): void {
    for (const call of this.calls) {
      if (call.kind === 'deploy' || this.bool(call, 'create_async_event_config', false) !== true) continue;
      const origin = this.at(call, 'create_async_event_config');
      const dests: { kind: 'on-failure' | 'on-success'; arn: Val<string> }[] = [];
      for (const [input, kind] of [
        ['destination_on_failure', 'on-failure'],
        ['destination_on_success', 'on-success'],
      ] as const) {
        const arn = this.host.str(call.r, call.r.block.body, input);
        if (arn) dests.push({ kind, arn });
      }
      const retries = this.host.num(call.r, call.r.block.body, 'maximum_retry_attempts');
      const targets: FunctionTarget[] = [];
      if (call.kind === 'function') {
        const fid = this.host.fnByAddress(`${call.address}.aws_lambda_function.this`)?.id;
        if (this.bool(call, 'create_unqualified_alias_async_event_config', true) !== false)
          targets.push({ functionId: fid, qualifier: 'unqualified', origin });
        if (this.bool(call, 'create_current_version_async_event_config', true) !== false)
          targets.push({ functionId: fid, qualifier: this.publishes(call) === false ? 'latest' : 'version', origin });
      } else {
        if (this.bool(call, 'create_qualified_alias_async_event_config', true) !== false)
          targets.push(this.aliasTarget(call, origin));
      }
      targets.forEach((target, i) => {
        this.host.model.invokeConfigs.push({
          id: `${call.address}.aws_lambda_function_event_invoke_config.this[${i}]`,
          deployment: this.host.deployment,
          target,
          destinations: dests,
          origin,
          ...(retries ? { maximumRetryAttempts: retries } : {}),
        });
      });
    }
  }
}

/** One entry of policy_statements (iam.tf `additional_inline`): effect defaults to Allow. */
function statementOf(v: TV, at: Origin): Statement | undefined {
  if (v.t !== 'obj' || v.partial) return undefined;
  const strings = (key: string): Val<string>[] | undefined => {
    const x = v.entries.get(key);
    if (!x || x.t === 'null') return undefined;
    const origin = (i: TV): Origin => (i.span ? { ...originAt(i.span, i), via: at.via } : at);
    const items = listItems(x);
    if (!items) return [strVal(x, origin(x))];
    return items.map((i) => strVal(i, origin(i)));
  };
  const effect = v.entries.get('effect');
  const e = effect && effect.t !== 'null' ? scalarText(effect) : 'Allow';
  if (e !== 'Allow' && e !== 'Deny') return undefined;
  const cond = v.entries.get('condition');
  return {
    effect: e,
    actions: strings('actions'),
    notActions: strings('not_actions'),
    resources: strings('resources'),
    notResources: strings('not_resources'),
    hasCondition:
      !!cond &&
      cond.t !== 'null' &&
      !(cond.t === 'list' && cond.items.length === 0) &&
      !(cond.t === 'obj' && cond.entries.size === 0),
    origin: at,
  };
}

/** Keys of an object literal with where each is written. */
function objectKeySpans(e: Expr): Map<string, Span> {
  const out = new Map<string, Span>();
  if (e.k !== 'object') return out;
  for (const en of e.entries) {
    const k = en.key;
    const name =
      k.k === 'lit'
        ? String(k.value)
        : k.k === 'template' && k.parts.every((p) => typeof p === 'string')
          ? k.parts.join('')
          : undefined;
    if (name !== undefined) out.set(name, k.span);
  }
  return out;
}

function firstLine(s: Span): Span {
  const nl = s.file.text.indexOf('\n', s.start);
  return { file: s.file, start: s.start, end: nl >= 0 && nl < s.end ? nl : s.end };
}

function exprText(e: Expr): string {
  const t = e.span.file.text.slice(e.span.start, e.span.end);
  return t.length > 40 ? `${t.slice(0, 37)}...` : t;
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function nonEmpty(v: Val<string> | undefined): Val<string> | undefined {
  return v && v.value === '' ? undefined : v;
}
