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
  const fns = model.functions;
  // The position of the first function of each deployment and id, as a scan in model order finds
  // it, and that of each function's first.
  const positions = new Map<Deployment, Map<string, number>>();
  const firstOf = new Int32Array(fns.length);
  for (let i = 0; i < fns.length; i++) {
    const fn = fns[i];
    let ids = positions.get(fn.deployment);
    if (!ids) positions.set(fn.deployment, (ids = new Map()));
    const first = ids.get(fn.id);
    if (first === undefined) ids.set(fn.id, i);
    firstOf[i] = first ?? i;
  }
  const positionOf = (deployment: Deployment, id: string | undefined): number =>
    id === undefined ? -1 : (positions.get(deployment)?.get(id) ?? -1);
  const fnOf = (deployment: Deployment, id: string | undefined): LambdaFunction | undefined => {
    const i = positionOf(deployment, id);
    return i < 0 ? undefined : fns[i];
  };
  // Each by deployment and id, the first of an id winning, as a scan in model order would find it.
  const byId = <T extends { deployment: Deployment; id: string }>(items: readonly T[]) => lookupBy(items, (i) => i.id);
  const roles = byId(model.roles);
  const layers = byId(model.layers);
  const queues = byId(model.queues);
  const logGroups = byId(model.logGroups);
  const subnets = byId(model.subnets);

  /** Links a target (in `owner`'s deployment unless it names another) and returns its function's position, or -1. */
  const target = (owner: Deployment, t: FunctionTarget): number => {
    const i = positionOf(t.deployment ?? owner, t.functionId);
    if (i >= 0) t.fn = fns[i];
    else delete t.fn;
    return i;
  };
  // What names each function, counted first: each list of FunctionLinks is then made at its final
  // length (lists grown by a push each were most of what this step allocated). `counts` holds, per
  // position of the first function of an id, the number of triggers, mappings, permissions and
  // invoke configs naming it; `named` the position each item names.
  const counts = new Int32Array(fns.length * 4);
  const count = (k: number, items: readonly { deployment: Deployment; target: FunctionTarget }[]): Int32Array => {
    const named = new Int32Array(items.length);
    for (let j = 0; j < items.length; j++) {
      const i = target(items[j].deployment, items[j].target);
      named[j] = i;
      if (i >= 0) counts[i * 4 + k]++;
    }
    return named;
  };
  const namedBy = [
    count(0, model.triggers),
    count(1, model.mappings),
    count(2, model.permissions),
    count(3, model.invokeConfigs),
  ];
  for (const m of model.mappings) {
    const queueId = m.source?.sym?.target;
    const queue = queues(m.deployment, queueId);
    if (queue) m.queue = queue;
    else delete m.queue;
  }

  // Functions that share a deployment and an id (which loaders avoid) share one set of lists, so
  // each of them sees everything that names that id, as a comparison of ids did. `lists` holds the
  // four lists of each first function by its position, for the fill below.
  const lists: unknown[][] = new Array(fns.length * 4);
  for (let i = 0; i < fns.length; i++) {
    const fn = fns[i];
    const first = firstOf[i];
    if (first === i) {
      fn.links = {
        triggers: (lists[i * 4] = new Array<Trigger>(counts[i * 4])),
        mappings: (lists[i * 4 + 1] = new Array<EventSourceMapping>(counts[i * 4 + 1])),
        permissions: (lists[i * 4 + 2] = new Array<Permission>(counts[i * 4 + 2])),
        invokeConfigs: (lists[i * 4 + 3] = new Array<EventInvokeConfig>(counts[i * 4 + 3])),
      };
    } else fn.links = fns[first].links!;
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
  // Each list filled in model order.
  counts.fill(0);
  const fill = (k: number, items: readonly unknown[]) => {
    const named = namedBy[k];
    for (let j = 0; j < items.length; j++) {
      const i = named[j];
      if (i >= 0) lists[i * 4 + k][counts[i * 4 + k]++] = items[j];
    }
  };
  fill(0, model.triggers);
  fill(1, model.mappings);
  fill(2, model.permissions);
  fill(3, model.invokeConfigs);
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
    const calls = fn.handlerCode?.sdkCalls;
    if (calls) for (const call of calls) if (call.lambdaTarget) target(fn.deployment, call.lambdaTarget);
  }
}
