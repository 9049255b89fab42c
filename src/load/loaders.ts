// The loaders (src/load/loader.ts), in the order they run: their notes and problems come out in
// this order. Terraform runs last and apart: its parser loads asynchronously, so lint() starts
// parsing the handler files of the functions loaded so far before it (src/lint.ts), and its
// module is imported only when discovery found .tf files.
import { cdkLoader } from './cdk.js';
import { cloudFormationLoader } from './cloudformation-loader.js';
import type { Loader } from './loader.js';
import { serverlessLoader } from './serverless.js';

export const LOADERS: readonly Loader[] = [cloudFormationLoader, serverlessLoader, cdkLoader];

export const terraformLoader: Loader<Promise<void>> = {
  inputs: (found) => found.terraform,
  async load(dirs, ctx, out) {
    if (dirs.length === 0) return;
    const { loadTerraform } = await import('./terraform/index.js');
    await loadTerraform(dirs, ctx, out);
  },
};
