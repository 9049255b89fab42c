// The link step: once every loader and analysis stage has run, one pass turns the id references of
// the model (a function's role, the function a trigger, mapping, permission, invoke config, alias,
// provisioned concurrency, script update or Lambda API call names, a mapping's queue, a layer, the
// log group a function's LoggingConfig names, the subnets of its VpcConfig) into object
// references, and gives each function the lists of what names it. Rules then follow references
// instead of joining lists by id, and none of them scans a list per item. The indexes are those the
// loaders use too (./lookup.ts).
import { lookupBy } from './lookup.js';
import type {
  Deployment,
  EventInvokeConfig,
  EventSourceMapping,
  FunctionLinks,
  FunctionTarget,
  LambdaFunction,
  Model,
  Permission,
  Trigger,
} from './types.js';

/** The functions of the model by deployment and id (the first of an id): for lookups before the link step. */
export function functionIndex(
  model: Model,
): (deployment: Deployment, id: string | undefined) => LambdaFunction | undefined {
  return lookupBy(model.functions, (fn) => fn.id);
}

/**
 * Sets every object reference of the model from its ids. Safe to run again (each reference and
 * list is recomputed), so a model that gained items is linked by running it once more.
 */
export function linkModel(model: Model): void {
  const fnOf = functionIndex(model);
  // Each by deployment and id, the first of an id winning, as a scan in model order would find it.
  const byId = <T extends { deployment: Deployment; id: string }>(items: readonly T[]) => lookupBy(items, (i) => i.id);
  const roles = byId(model.roles);
  const layers = byId(model.layers);
  const queues = byId(model.queues);
  const logGroups = byId(model.logGroups);
  const subnets = byId(model.subnets);

  // Functions that share a deployment and an id (which loaders avoid) share one set of lists, so
  // each of them sees everything that names that id, as a comparison of ids did.
  const links = new Map<LambdaFunction, FunctionLinks>();
  for (const fn of model.functions) {
    const first = fnOf(fn.deployment, fn.id)!;
    let l = links.get(first);
    if (!l) links.set(first, (l = { triggers: [], mappings: [], permissions: [], invokeConfigs: [] }));
    fn.links = l;
    const role = roles(fn.deployment, fn.role.roleId);
    if (role) fn.role.role = role;
    else delete fn.role.role;
    const groupId = fn.logGroup?.sym?.target;
    const group = logGroups(fn.deployment, groupId);
    if (group) fn.logGroupResource = group;
    else delete fn.logGroupResource;
    if (fn.vpc) {
      const ids = fn.vpc.subnetIds?.value ?? [];
      const found = ids.map((item) => subnets(fn.deployment, item.sym?.target));
      if (found.some((x) => x)) fn.vpc.subnets = found;
      else delete fn.vpc.subnets;
    }
    for (const ref of fn.layers) {
      const layer = layers(fn.deployment, ref.target);
      if (layer) ref.layer = layer;
      else delete ref.layer;
    }
  }

  /** Links a target (in `owner`'s deployment unless it names another) and returns its function. */
  const target = (owner: Deployment, t: FunctionTarget): LambdaFunction | undefined => {
    const fn = fnOf(t.deployment ?? owner, t.functionId);
    if (fn) t.fn = fn;
    else delete t.fn;
    return fn;
  };
  const add = <K extends keyof FunctionLinks>(
    fn: LambdaFunction | undefined,
    key: K,
    item: FunctionLinks[K][number],
  ): void => {
    if (fn) (fn.links![key] as (typeof item)[]).push(item);
  };
  for (const t of model.triggers) add(target(t.deployment, t.target), 'triggers', t satisfies Trigger);
  for (const m of model.mappings) {
    add(target(m.deployment, m.target), 'mappings', m satisfies EventSourceMapping);
    const queueId = m.source?.sym?.target;
    const queue = queues(m.deployment, queueId);
    if (queue) m.queue = queue;
    else delete m.queue;
  }
  for (const p of model.permissions) add(target(p.deployment, p.target), 'permissions', p satisfies Permission);
  for (const c of model.invokeConfigs)
    add(target(c.deployment, c.target), 'invokeConfigs', c satisfies EventInvokeConfig);
  for (const pc of model.provisionedConcurrency) target(pc.deployment, pc.target);
  for (const a of model.aliases) {
    const fn = fnOf(a.deployment, a.functionId);
    if (fn) a.fn = fn;
    else delete a.fn;
  }
  for (const u of model.scriptUpdates) {
    const fn = fnOf(u.deployment, u.functionId);
    if (fn) u.fn = fn;
    else delete u.fn;
  }
  for (const fn of model.functions) {
    for (const call of fn.handlerCode?.sdkCalls ?? []) if (call.lambdaTarget) target(fn.deployment, call.lambdaTarget);
  }
}
