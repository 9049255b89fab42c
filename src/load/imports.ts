// Cross-stack references within one run: `Fn::ImportValue` of an export that another template of
// the run declares (Outputs with Export.Name). A trigger, permission or mapping whose function is
// imported that way is linked to the function in the exporting stack; one whose export is not in
// the run is recorded as not checked.
import { notChecked } from '../model/coverage.js';
import { functionIndex } from '../model/link.js';
import type { Deployment, FunctionTarget, Model, Val } from '../model/types.js';

export function linkImports(model: Model): void {
  const functionById = functionIndex(model);
  const exports = new Map<string, { deployment: Deployment; value: Val<string> }[]>();
  for (const d of model.deployments) {
    for (const [name, value] of d.exports ?? [])
      exports.set(name, [...(exports.get(name) ?? []), { deployment: d, value }]);
  }
  const link = (owner: Deployment, t: FunctionTarget, rules: string[], what: string): void => {
    const name = t.importName;
    if (name === undefined) return;
    const found = exports.get(name);
    if (!found) {
      notChecked(model, { file: owner.file, rules, reason: `${what}: import of ${name} from another stack` });
      return;
    }
    // The same export name in two templates of the run (two environments side by side): which one
    // is deployed with this stack cannot be told.
    if (found.length > 1) {
      notChecked(model, {
        file: owner.file,
        rules,
        reason: `${what}: import of ${name}, exported by ${found.length} templates`,
      });
      return;
    }
    const { deployment, value } = found[0];
    const sym = value.sym;
    const fn =
      sym && (sym.kind === 'ref' || (sym.kind === 'getatt' && sym.attribute === 'Arn'))
        ? functionById(deployment, sym.target)
        : undefined;
    if (!fn) return; // the export is not a function of the run: nothing to link
    t.functionId = fn.id;
    t.deployment = deployment;
    t.qualifier = 'unqualified';
    delete t.importName;
  };
  for (const t of model.triggers)
    link(t.deployment, t.target, ['invoke-permission', 'api-gateway-timeout', 'async-failure-destination'], t.label);
  for (const p of model.permissions) link(p.deployment, p.target, ['invoke-permission'], `permission ${p.id}`);
}
