// Lookups rules and loaders share, so none of them scans every function per mapping or trigger.
import type { Deployment, FunctionTarget, LambdaFunction, Model } from './types.js';

const indexes = new WeakMap<Model, { size: number; byDeployment: Map<Deployment, Map<string, LambdaFunction>> }>();

/** The function `id` of `deployment`, through an index built once per model (rebuilt if functions were added). */
export function functionById(model: Model, deployment: Deployment, id: string | undefined): LambdaFunction | undefined {
  if (id === undefined) return undefined;
  let index = indexes.get(model);
  if (!index || index.size !== model.functions.length) {
    const byDeployment = new Map<Deployment, Map<string, LambdaFunction>>();
    for (const f of model.functions) {
      let m = byDeployment.get(f.deployment);
      if (!m) byDeployment.set(f.deployment, (m = new Map()));
      if (!m.has(f.id)) m.set(f.id, f);
    }
    index = { size: model.functions.length, byDeployment };
    indexes.set(model, index);
  }
  return index.byDeployment.get(deployment)?.get(id);
}

export { sourceKindOfArn } from './resource-types.js';

/**
 * The key of the symbolic target of an SDK call whose bucket is the one the S3 event names
 * (`event.Records[0].s3.bucket.name`): the bucket of whichever S3 notification invoked the function.
 */
export const S3_EVENT_BUCKET = 'event:s3.bucket.name';

/** The function a trigger, mapping or permission of `deployment` invokes, also across stacks (`Fn::ImportValue`). */
export function targetFunction(
  model: Model,
  deployment: Deployment,
  target: FunctionTarget,
): LambdaFunction | undefined {
  return functionById(model, target.deployment ?? deployment, target.functionId);
}
