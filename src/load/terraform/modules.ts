// Reading a Terraform configuration into scopes: a module's variables, locals, resources, data
// sources, outputs and module calls; local and downloaded child modules with their inputs bound,
// terraform-aws-modules/lambda calls handed to ./lambda-module.ts, registry and remote modules that
// cannot be read; count / for_each instances; .tfvars; whether the root is production.
import path from 'node:path';
import { notChecked } from '../../model/coverage.js';
import { isProductionName, productionFromFolders, STAGE_PARAMETER } from '../../model/production.js';
import type { Origin, Production } from '../../model/types.js';
import { type Block, type Expr, type ParsedHcl, spanRange } from '../../source/hcl.js';
import { lambdaModuleCopy, lambdaModuleKind, type LambdaModuleKind, LambdaModules } from './lambda-module.js';
import type { TerraformLoader } from './load.js';
import { attrRange, countOf, type Instance, scalarText, type Scope, type TV } from './values.js';

const MAX_MODULE_DEPTH = 8;

type ModuleEntry = Scope['modules'] extends Map<string, infer M> ? M : never;

/** An expression as written, on one line and short, for notes and coverage reasons. */
export function exprText(e: Expr): string {
  const t = e.span.file.text.slice(e.span.start, e.span.end).replace(/\s+/g, ' ').trim();
  return t.length > 60 ? `${t.slice(0, 57)}...` : t;
}

const META_ARGS = new Set(['source', 'version', 'count', 'for_each', 'providers', 'depends_on']);

const NOT_RESOURCES = new Set(['var', 'local', 'each', 'count', 'path', 'terraform', 'data', 'module', 'self']);

/** Resource addresses (`type.name`) an expression names directly, anywhere inside it. */
export function exprRefs(e: Expr, depth = 0): string[] {
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

/** Builds a module's scope; `bind` gives its variables their values before anything is evaluated. */
export function buildScope(
  tf: TerraformLoader,
  dir: string,
  prefix: string,
  rootDir: string,
  files: ParsedHcl[],
  depth: number,
  bind: (scope: Scope) => void,
): Scope {
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
    within: tf.options.within,
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
  tf.scopes.push(scope);
  bind(scope);
  // Child modules first get their inputs (evaluated here), then their own resources.
  for (const [name, m] of scope.modules) {
    const src = m.block.body.attrs.get('source');
    const source = src ? scalarText(tf.ev.eval(src.expr, scope)) : undefined;
    const local = !!source && /^\.\.?(\/|\\|$)/.test(source);
    // terraform-aws-modules/lambda (from the registry, git, .terraform/modules or a local copy of
    // it) is modelled from the call's inputs, at the lines of the call.
    const lambdaKind =
      source === undefined
        ? undefined
        : local
          ? lambdaModuleCopy(tf.options.filesOf(path.resolve(dir, source)) ?? [])
          : lambdaModuleKind(source);
    if (source !== undefined && lambdaKind) {
      lambdaModule(tf, name, m, scope, source, lambdaKind);
      continue;
    }
    let childDir: string;
    if (!source || !local) {
      // A registry or remote module is read only where `terraform init` downloaded it.
      // `module.a.module.b.` + `c` → `a.b.c`, the key `terraform init` records.
      const key = [...prefix.split('.').filter((_, i) => i % 2 === 1 && _ !== ''), name].join('.');
      const installed = source ? tf.options.installedModule?.(rootDir, key, source) : undefined;
      if (!installed || 'note' in installed) {
        if (installed) tf.notes.push(`module ${prefix}${name}: ${installed.note}`);
        remoteModule(tf, name, m.block, scope, source, !!installed);
        continue;
      }
      childDir = installed.dir;
    } else childDir = path.resolve(dir, source);
    if (tf.chain.includes(childDir)) {
      tf.moduleCalls.set(`${prefix}module.${name}.`, {
        name: `${prefix}module.${name}`,
        source: source ?? '',
        range: spanRange(m.block.headSpan),
      });
      tf.notes.push(`module ${prefix}${name}: ${source} calls itself; not followed`);
      continue;
    }
    const childFiles = depth < MAX_MODULE_DEPTH ? tf.options.filesOf(childDir) : undefined;
    if (!childFiles) {
      tf.moduleCalls.set(`${prefix}module.${name}.`, {
        name: `${prefix}module.${name}`,
        source: source ?? '',
        range: spanRange(m.block.headSpan),
      });
      tf.notes.push(`module ${prefix}${name}: ${source} has no readable .tf files; not modelled`);
      continue;
    }
    localModule(tf, name, m, scope, source ?? '', childDir, childFiles, depth);
  }
  for (const [address, b] of scope.resources) {
    // Instances that cannot be known are modelled as one, whose each.* / count.index values are
    // unknown: what depends on them is not checked, and the user is told which block.
    const why = address.startsWith('aws_') ? unknownInstances(tf, b, scope) : undefined;
    if (why)
      notChecked(tf.model, {
        file: b.headSpan.file.path,
        rules: [],
        reason: `${prefix}${address}: ${why}; modelled as one instance`,
      });
    for (const { suffix, inst } of instancesOf(tf, b, scope)) {
      tf.resources.push({
        address: `${prefix}${address}${suffix}`,
        type: address.split('.')[0],
        block: b,
        scope,
        inst,
      });
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
function localModule(
  tf: TerraformLoader,
  name: string,
  m: ModuleEntry,
  scope: Scope,
  source: string,
  childDir: string,
  childFiles: ParsedHcl[],
  depth: number,
): void {
  const prefix = scope.prefix;
  const unknown = unknownInstances(tf, m.block, scope);
  if (unknown) {
    tf.moduleCalls.set(`${prefix}module.${name}.`, {
      name: `${prefix}module.${name}`,
      source,
      range: spanRange(m.block.headSpan),
    });
    tf.notes.push(`module ${prefix}${name}: ${unknown}; its instances are not modelled`);
    notChecked(tf.model, {
      file: m.block.headSpan.file.path,
      rules: [],
      reason: `resources of module ${prefix}${name}: ${unknown}`,
    });
    return;
  }
  const instances = instancesOf(tf, m.block, scope);
  const scopes = new Map<string, Scope>();
  tf.chain.push(childDir);
  for (const { suffix, inst, key } of instances) {
    const address = `${prefix}module.${name}${suffix}`;
    tf.moduleCalls.set(`${address}.`, { name: address, source, range: spanRange(m.block.headSpan) });
    const bindInputs = (child: Scope): void => {
      for (const [k, attr] of m.block.body.attrs) {
        if (META_ARGS.has(k)) continue;
        const info = child.variables.get(k);
        if (!info) continue;
        const v = tf.ev.eval(attr.expr, scope, inst);
        if (v.t === 'unknown') continue;
        info.given = {
          ...v,
          from: {
            ...(v.from ?? { range: attrRange(attr), message: `input ${k} of module ${address}` }),
            via: 'module',
          },
        };
      }
    };
    scopes.set(key ?? '', buildScope(tf, childDir, `${address}.`, scope.rootDir, childFiles, depth + 1, bindInputs));
  }
  tf.chain.pop();
  if (!m.block.body.attrs.has('count') && !m.block.body.attrs.has('for_each')) {
    m.scope = scopes.get('');
    return;
  }
  // `module.x[0].out`, `module.x["k"].out`: the output of that instance.
  m.outputs = (output, key) => {
    const k = key === undefined ? undefined : scalarText(key);
    const child =
      k === undefined
        ? scopes.size === 1 && scopes.has('')
          ? scopes.get('')
          : undefined
        : (scopes.get(k) ?? (scopes.size === 1 && scopes.has('') ? scopes.get('') : undefined));
    const a = child?.outputs.get(output);
    return child && a ? tf.ev.eval(a.expr, child) : undefined;
  };
}

/** Why the instances of a block with `count` / `for_each` cannot be known, if they cannot. */
function unknownInstances(tf: TerraformLoader, b: Block, scope: Scope): string | undefined {
  const count = b.body.attrs.get('count');
  if (count) {
    const v = tf.ev.eval(count.expr, scope);
    if (v.t !== 'num') return `count = ${exprText(count.expr)} is not known statically`;
    return undefined; // a count over the instance limit is one instance, as for resources
  }
  const fe = b.body.attrs.get('for_each');
  if (!fe) return undefined;
  const v = tf.ev.eval(fe.expr, scope);
  if ((v.t === 'obj' && !v.partial) || (v.t === 'list' && v.items.every((i) => i.t === 'str'))) return undefined;
  return `for_each = ${exprText(fe.expr)} is not known statically`;
}

function lambdaModule(
  tf: TerraformLoader,
  name: string,
  m: { block: Block; outputs?: (output: string, key: TV | undefined) => TV | undefined },
  scope: Scope,
  source: string,
  kind: LambdaModuleKind,
): void {
  const prefix = `${scope.prefix}module.${name}`;
  tf.moduleCalls.set(`${prefix}.`, { name: prefix, source, range: spanRange(m.block.headSpan) });
  const calls = new Map<string, ReturnType<LambdaModules['add']>>();
  for (const { suffix, inst, key } of instancesOf(tf, m.block, scope)) {
    calls.set(key ?? '', tf.lambdaModules.add(kind, m.block, scope, name, suffix, inst, source));
  }
  m.outputs = (output, key) => {
    const k = key === undefined ? '' : scalarText(key);
    const call =
      k === undefined ? undefined : (calls.get(k) ?? (calls.size === 1 ? [...calls.values()][0] : undefined));
    return call ? tf.lambdaModules.output(call, output) : undefined;
  };
}

/** A registry or remote module: its resources are unknown, and roles it is given may gain policies. */
function remoteModule(
  tf: TerraformLoader,
  name: string,
  block: Block,
  scope: Scope,
  source: string | undefined,
  stale = false,
): void {
  tf.notes.push(
    `module ${scope.prefix}${name}${source ? ` (${source})` : ''} is not a local module; its resources are not modelled`,
  );
  // Whatever functions it declares are not checked: say which module, and what would let lambdalint read it.
  const registry = source !== undefined && /^([a-z0-9.-]+\/)?[\w-]+\/[\w-]+\/[\w-]+(\/\/[^?]*)?$/i.test(source);
  const why =
    source === undefined
      ? 'a module whose source cannot be read'
      : registry
        ? `registry module ${source} (${stale ? 'the downloaded copy is of another source' : 'not downloaded'}; run terraform init)`
        : `remote module ${source} (not read)`;
  notChecked(tf.model, {
    file: block.headSpan.file.path,
    rules: [],
    reason: `resources of module ${scope.prefix}${name}: ${why}`,
  });
  for (const [k, attr] of block.body.attrs) {
    if (META_ARGS.has(k)) continue;
    const v = tf.ev.eval(attr.expr, scope);
    for (const t of new Set([...symTargets(v), ...exprRefs(attr.expr).map((a) => scope.prefix + a)])) {
      tf.opaqueRoles.add(t);
      tf.passedToRemote.push({ target: t, module: `${scope.prefix}module.${name}`, head: block.headSpan });
    }
  }
}

/**
 * count = 0 drops a resource; a known count of 2 or more makes instances `[0]`, `[1]`...; for_each
 * over known keys makes one instance per key (`["a"]`). `key` is the instance key, when there are several.
 */
function instancesOf(tf: TerraformLoader, b: Block, scope: Scope): { suffix: string; inst: Instance; key?: string }[] {
  const count = b.body.attrs.get('count');
  if (count) {
    const n = countOf(tf.ev, b, scope);
    if (n === 0) return [];
    if (n !== undefined && n >= 2)
      return Array.from({ length: n }, (_, i) => ({
        suffix: `[${i}]`,
        inst: { countIndex: { t: 'num', v: i } },
        key: String(i),
      }));
    return [{ suffix: '', inst: n === 1 ? { countIndex: { t: 'num', v: 0 } } : {} }];
  }
  const fe = b.body.attrs.get('for_each');
  if (fe) {
    const v = tf.ev.eval(fe.expr, scope);
    if (v.t === 'obj' && !v.partial)
      return [...v.entries].map(([k, val]) => ({
        suffix: `[${JSON.stringify(k)}]`,
        inst: { each: { key: { t: 'str', v: k }, value: val } },
        key: k,
      }));
    if (v.t === 'list' && v.items.every((i) => i.t === 'str')) {
      return v.items.map((i) => ({
        suffix: `[${JSON.stringify((i as { v: string }).v)}]`,
        inst: { each: { key: i, value: i } },
        key: (i as { v: string }).v,
      }));
    }
    return [{ suffix: '', inst: {} }];
  }
  return [{ suffix: '', inst: {} }];
}

export function applyTfvars(tf: TerraformLoader, root: Scope): void {
  for (const f of tf.input.tfvars) {
    const name = path.basename(f.file.path);
    for (const [k, attr] of f.body.attrs) {
      const info = root.variables.get(k);
      if (!info) continue;
      const v = tf.ev.eval(attr.expr, { ...root, variables: new Map() });
      if (v.t === 'unknown') continue;
      info.given = { ...v, from: { range: attrRange(attr), message: `var.${k} set in ${name}`, via: 'parameter' } };
    }
  }
}

export function production(tf: TerraformLoader, root: Scope, relDir: string): Production {
  for (const info of root.variables.values()) {
    if (!STAGE_PARAMETER.test(info.name)) continue;
    if (tf.options.stage !== undefined) {
      return isProductionName(tf.options.stage, tf.options.productionNames)
        ? { isProduction: true, reason: `--stage ${tf.options.stage}` }
        : { isProduction: false };
    }
    const v = tf.ev.variable(info, root, 0);
    if (v.t === 'str' && isProductionName(v.v, tf.options.productionNames)) {
      const how = info.given ? `is ${v.v}` : `defaults to ${v.v}`;
      const origin: Origin = { via: 'parameter', range: v.from?.range ?? spanRange(info.block.headSpan) };
      return { isProduction: true, reason: `variable ${info.name} ${how}`, origin };
    }
    if (v.t === 'str' && info.given) return { isProduction: false, reason: `variable ${info.name} is ${v.v}` };
  }
  if (tf.options.stage !== undefined) {
    return isProductionName(tf.options.stage, tf.options.productionNames)
      ? { isProduction: true, reason: `--stage ${tf.options.stage}` }
      : { isProduction: false };
  }
  return productionFromFolders(relDir === '.' ? 'main.tf' : `${relDir}/main.tf`, tf.options.productionNames);
}
