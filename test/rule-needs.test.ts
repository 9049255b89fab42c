// Rules declare the analysis stages they read (`needs`); lint() runs a stage when an enabled rule
// needs it. Turning one rule off must never change what another rule finds (issue #19: turning
// off the six code rules once removed the code-derived findings of latest-in-production).
import { describe, expect, it } from 'vitest';
import { lint } from '../src/lint.js';
import { rules } from '../rules/index.js';
import { FIXTURES, TODAY } from './helpers.js';
import type { Finding } from '../src/engine/types.js';

const key = (f: Finding): string => [f.ruleId, f.file, f.line, f.column, f.endLine, f.endColumn, f.message].join(':');

describe('rule needs', () => {
  it('every rule that reads handler code, package sizes or deploy scripts says so', () => {
    const needs = Object.fromEntries(rules.map((r) => [r.id, [...(r.needs ?? [])].sort()]));
    expect(needs['sdk-permission']).toContain('handler-code');
    expect(needs['latest-in-production']).toEqual(['code-triggers', 'deploy-scripts', 'handler-code']);
    expect(needs['async-failure-destination']).toEqual(['code-triggers']);
    expect(needs['package-size']).toEqual(['package-sizes']);
  });

  it(
    "turning any one rule off leaves every other rule's findings on every fixture unchanged",
    { timeout: 600_000 },
    async () => {
      const all = await lint({ cwd: FIXTURES, today: TODAY });
      const byRule = new Map<string, string[]>();
      for (const f of all.findings) byRule.set(f.ruleId, [...(byRule.get(f.ruleId) ?? []), key(f)]);
      // Every rule reports somewhere in the fixtures, so a lost finding would show (package-size's
      // big packages are made by its own tests, not kept as files).
      for (const r of rules)
        if (r.id !== 'package-size') expect(byRule.get(r.id)?.length ?? 0, r.id).toBeGreaterThan(0);
      const expected = all.findings.map(key);
      for (const off of rules) {
        const res = await lint({ cwd: FIXTURES, today: TODAY, rules: { [off.id]: 'off' } });
        const others = expected.filter((k) => !k.startsWith(`${off.id}:`));
        expect(res.findings.map(key), `with ${off.id} off`).toEqual(others);
      }
    },
  );
});
