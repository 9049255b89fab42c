import { defineRule } from '../src/engine/types.js';
import {
  joinActions,
  grantOf,
  missingPermissions,
  type Requirement,
  roleLocation,
  unknownResource,
} from '../src/iam/check.js';

// docs/FACTS.md §3.1: attaching a function to a VPC needs ec2:CreateNetworkInterface,
// ec2:DescribeNetworkInterfaces and ec2:DeleteNetworkInterface on the execution role (every policy
// that grants VPC access has these three; AssignPrivateIpAddresses / UnassignPrivateIpAddresses and
// DescribeSubnets are in the current managed policy but not in SAM's VPCAccessPolicy template, which
// works, so they are not required here).

export default defineRule({
  id: 'vpc-permission',
  severity: 'error',
  category: 'permissions',
  frameworks: ['cloudformation', 'sam', 'cdk', 'serverless', 'terraform'],
  docs: {
    summary: 'Let the execution role of a VPC function manage its network interfaces.',
    why: 'Lambda creates and deletes the network interfaces that attach a function to its subnets with the execution role; without the EC2 network-interface actions the deploy fails with "The provided execution role does not have permissions to call CreateNetworkInterface on EC2".',
    fix: 'Attach the AWS managed policy AWSLambdaVPCAccessExecutionRole to the role, or allow the ec2 network-interface actions on "*".',
  },
  messages: {
    missing: 'Role {{role}} lacks {{actions}}, which Lambda needs to attach {{fn}} to its VPC.',
  },
  check({ model, report, skip, record }) {
    for (const fn of model.functions) {
      const vpc = fn.vpc;
      // In a VPC whatever the IDs are: lists that do not resolve (a parameter, a variable) count,
      // only a missing or empty list (no VPC, or detached) does not.
      const attached = (l: { value?: unknown[] } | undefined) => !!l && (l.value === undefined || l.value.length > 0);
      if (!vpc || !attached(vpc.subnetIds) || !attached(vpc.securityGroupIds)) continue;
      // DescribeNetworkInterfaces takes no resource; the other two may be scoped to subnets and
      // interfaces, which cannot be named here, so only a policy that denies them outright counts.
      const eni = unknownResource(vpc.origin ? { origin: vpc.origin } : fn, 'network interface');
      const requirements: Requirement[] = [
        { anyOf: [{ action: 'ec2:CreateNetworkInterface', resource: eni }] },
        { anyOf: [{ action: 'ec2:DescribeNetworkInterfaces', resource: '*' }] },
        { anyOf: [{ action: 'ec2:DeleteNetworkInterface', resource: eni }] },
      ];
      const result = missingPermissions(model, fn, requirements, skip, record);
      if (!result || result.denied.length === 0) continue;
      report({
        messageId: 'missing',
        data: { role: result.role.id, actions: joinActions(result.denied), fn: fn.id },
        at: vpc.origin,
        fn,
        related: [roleLocation(result.role)],
        grant: grantOf(result),
      });
    }
  },
});
