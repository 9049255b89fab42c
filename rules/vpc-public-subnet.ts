import { defineRule } from '../src/engine/types.js';
import type { Subnet } from '../src/model/types.js';

// A function attached to a VPC reaches the internet only through NAT: its network interfaces never
// get a public IP, so a route to an internet gateway does not help it, even in a subnet that maps
// public IPs on launch (AWS Lambda Developer Guide, configuration-vpc: connecting a function to a
// public subnet gives it no internet access or public IP). The CDK refuses public subnets for a
// function unless allowPublicSubnet is set (docs/FACTS.md §6).
function publicBecause(s: Subnet): { reason: string; at: Subnet['origin']; note: string } | undefined {
  const igw = s.defaultRoutes.find((r) => r.to === 'internet-gateway');
  if (igw)
    return {
      reason: 'its route table sends the default route to an internet gateway',
      at: igw.origin,
      note: 'default route to the internet gateway',
    };
  // MapPublicIpOnLaunch alone makes a subnet public only when no other default route (a NAT) is known.
  if (s.mapPublicIpOnLaunch?.value === true && s.routesKnown && s.defaultRoutes.length === 0) {
    return {
      reason: 'it sets MapPublicIpOnLaunch',
      at: s.mapPublicIpOnLaunch.origin,
      note: 'MapPublicIpOnLaunch set here',
    };
  }
  return undefined;
}

export default defineRule({
  id: 'vpc-public-subnet',
  severity: 'warning',
  category: 'reliability',
  frameworks: ['cloudformation', 'sam', 'cdk', 'serverless', 'terraform'],
  docs: {
    summary: 'Attach VPC functions to private subnets.',
    why: "Lambda gives a VPC function's network interfaces private addresses only, so in a public subnet (default route to an internet gateway) its calls to the internet and to AWS APIs without a VPC endpoint time out.",
    fix: 'Attach the function to private subnets whose default route goes through a NAT gateway, or add VPC endpoints for the AWS services it calls; detach it from the VPC when it needs nothing there.',
  },
  messages: {
    publicSubnet:
      'Subnet {{subnet}} is public ({{reason}}), but {{fn}} gets no public IP there, so it has no internet access.',
  },
  check({ model, report }) {
    for (const fn of model.functions) {
      const ids = fn.vpc?.subnetIds?.value ?? [];
      ids.forEach((item, i) => {
        const subnet = fn.vpc?.subnets?.[i];
        const why = subnet && publicBecause(subnet);
        if (!subnet || !why) return;
        report({
          messageId: 'publicSubnet',
          data: { subnet: subnet.id, reason: why.reason, fn: fn.id },
          at: item,
          fn,
          resource: subnet.id,
          related: [{ at: why.at, message: why.note }],
        });
      });
    }
  },
});
