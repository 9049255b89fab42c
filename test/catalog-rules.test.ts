// Options and severities of the timing, concurrency and network rules (issue 9), beyond what the
// fixture folders pin.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint } from '../src/lint.js';
import { FIXTURES, TODAY } from './helpers.js';

const dir = (rule: string, kind: string, name: string) => path.join(FIXTURES, rule, kind, name);

async function findings(
  cwd: string,
  rule: string,
  ruleOptions: Record<string, Record<string, unknown>> = {},
  rules = {},
) {
  const result = await lint({ cwd, today: TODAY, ruleOptions, rules, skipPackageSizes: true });
  return result.findings.filter((f) => f.ruleId === rule);
}

describe('reserved-concurrency accountLimit', () => {
  it('stays quiet when the configured limit leaves room', async () => {
    expect(
      await findings(dir('reserved-concurrency', 'positive', 'cfn-yaml-over-900'), 'reserved-concurrency', {
        'reserved-concurrency': { accountLimit: 2000 },
      }),
    ).toEqual([]);
  });

  it('reports against a lower configured limit', async () => {
    const f = await findings(dir('reserved-concurrency', 'negative', 'cfn-yaml-exactly-900'), 'reserved-concurrency', {
      'reserved-concurrency': { accountLimit: 950 },
    });
    expect(f.map((x) => [x.line, x.column, x.function, x.message])).toEqual([
      [
        23,
        7,
        'Export',
        'Functions in template.yaml reserve 900 concurrent executions, more than the 850 an account limit of 950 allows once 100 stay unreserved.',
      ],
    ]);
  });

  it('refuses a limit that is not a whole number above 100, instead of linting with the default', async () => {
    for (const accountLimit of ['2000', 50, 1.5]) {
      await expect(
        findings(dir('reserved-concurrency', 'positive', 'cfn-yaml-over-900'), 'reserved-concurrency', {
          'reserved-concurrency': { accountLimit },
        }),
      ).rejects.toThrow(
        `ruleOptions.reserved-concurrency.accountLimit: must be a whole number of at least 101 (got ${JSON.stringify(accountLimit)})`,
      );
    }
  });
});

describe('severities chosen per finding', () => {
  it('keeps error and warning apart in sqs-visibility-timeout, and lets configuration override both', async () => {
    const cwd = dir('sqs-visibility-timeout', 'positive', 'cfn-json-alias-and-qualified-arn');
    expect((await findings(cwd, 'sqs-visibility-timeout')).map((f) => [f.messageId, f.severity])).toEqual([
      ['belowAdvice', 'warning'],
      ['belowTimeout', 'error'],
    ]);
    const overridden = await findings(cwd, 'sqs-visibility-timeout', {}, { 'sqs-visibility-timeout': 'info' });
    expect(overridden.map((f) => f.severity)).toEqual(['info', 'info']);
  });
});
