import { defineRule } from '../src/engine/types.js';
import type { Val } from '../src/model/types.js';
import { symbolicWords } from '../src/iam/evaluate.js';

// docs/FACTS.md §3.1 and §9.6: Lambda attaches a function to a VPC only with both subnets and security
// groups; both lists empty is the documented way to detach it, so that alone is not flagged.
type List = Val<Val<string>[]> | undefined;

const state = (l: List): 'missing' | 'empty' | 'set' | 'unknown' => {
  if (!l) return 'missing';
  if (l.value === undefined) return 'unknown';
  return l.value.length === 0 ? 'empty' : 'set';
};

function words(l: Val<Val<string>[]>): string {
  return l.sym ? symbolicWords({ sym: l.sym, origin: l.origin }) : 'a value that does not resolve';
}

export default defineRule({
  id: 'vpc-config',
  severity: 'error',
  category: 'reliability',
  frameworks: ['cloudformation', 'sam', 'cdk', 'serverless', 'terraform'],
  docs: {
    summary: 'Give every VPC configuration both subnet IDs and security group IDs.',
    why: 'Lambda needs both to create the network interfaces that attach a function to a VPC: with one missing the deploy fails, and the Serverless Framework silently drops the whole VPC configuration.',
    fix: 'List the private subnets and the security groups the function runs in (after Globals or provider defaults are merged), or remove the VPC configuration.',
  },
  messages: {
    noSubnets: 'VpcConfig has no subnet IDs, so Lambda cannot attach the function to the VPC.',
    noSecurityGroups: 'VpcConfig has no security group IDs, so Lambda cannot attach the function to the VPC.',
    neither: 'VpcConfig has neither subnet IDs nor security group IDs.',
  },
  check({ model, report, skip }) {
    for (const fn of model.functions) {
      const vpc = fn.vpc;
      if (!vpc) continue;
      const subnets = state(vpc.subnetIds);
      const groups = state(vpc.securityGroupIds);
      const noSubnets = () => report({ messageId: 'noSubnets', at: vpc.subnetIds ?? vpc.origin, fn });
      const noGroups = () => report({ messageId: 'noSecurityGroups', at: vpc.securityGroupIds ?? vpc.origin, fn });
      // One list unknown (a parameter, a condition): only a list that is not there at all is certain.
      if (subnets === 'unknown' || groups === 'unknown') {
        if (subnets === 'missing') noSubnets();
        if (groups === 'missing') noGroups();
        // Unknown stays unknown (a parameter without a default, an unresolved variable): say so.
        if (subnets === 'unknown') skip(fn, `subnet IDs from ${words(vpc.subnetIds!)}`);
        if (groups === 'unknown') skip(fn, `security group IDs from ${words(vpc.securityGroupIds!)}`);
        continue;
      }
      if (subnets === groups && subnets !== 'missing') continue; // both set, or both emptied to detach
      if (subnets !== 'set' && groups !== 'set') report({ messageId: 'neither', at: vpc.origin, fn });
      else if (subnets !== 'set') noSubnets();
      else noGroups();
    }
  },
});
