// What counts as "production" (docs/RULES.md): stage-like parameters and variables, the stage the user
// names, and folders on the path such as envs/prod.
import type { Production } from './types.js';

export const DEFAULT_PRODUCTION_NAMES: readonly string[] = ['prod', 'production', 'prd', 'live'];

/** Parameter / variable names that carry the stage (any case). */
export const STAGE_PARAMETER = /^(stage|stagename|env|environment|environmentname)$/i;

export function isProductionName(value: string, names: readonly string[]): boolean {
  const v = value.trim().toLowerCase();
  return names.some((n) => n.toLowerCase() === v);
}

/** A folder on the (working-directory-relative) path named like a production stage. */
export function productionFromFolders(relFile: string, names: readonly string[]): Production {
  const parts = relFile.split('/').slice(0, -1);
  for (const p of parts) {
    if (p !== '..' && isProductionName(p, names)) return { isProduction: true, reason: `folder ${p}/ on its path` };
  }
  return { isProduction: false };
}
