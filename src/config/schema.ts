// The JSON schema of the configuration file, for editors (docs/lambdalint.schema.json is written
// from this by `npm run docs`, and a test keeps it current).
import type { AnyRule } from '../engine/types.js';
import { optionJsonSchema } from '../engine/options.js';

const severity = { enum: ['error', 'warning', 'warn', 'info', 'off'] };

export function configSchema(rules: readonly AnyRule[]): Record<string, unknown> {
  // A rule's options as its metadata declares them: none, or each with its type and default.
  const options = (r: AnyRule) => ({
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(Object.entries(r.options ?? {}).map(([k, s]) => [k, optionJsonSchema(s)])),
  });
  const ruleSetting = (r: AnyRule) => ({
    description: `${r.docs.summary} Default: ${r.severity}.`,
    oneOf: [
      severity,
      { type: 'array', minItems: 1, maxItems: 2, prefixItems: [severity, options(r)], items: false },
      {
        type: 'object',
        additionalProperties: false,
        properties: { severity, options: options(r) },
      },
    ],
  });
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://lambdalint.dev/lambdalint.schema.json',
    title: 'lambdalint configuration',
    description: 'lambdalint.config.{json,yaml,yml,mjs,js} or the "lambdalint" key of package.json.',
    type: 'object',
    additionalProperties: false,
    properties: {
      $schema: { type: 'string' },
      rules: {
        description: 'Severity (and options) per rule id.',
        type: 'object',
        additionalProperties: false,
        properties: Object.fromEntries(
          [...rules].sort((a, b) => a.id.localeCompare(b.id)).map((r) => [r.id, ruleSetting(r)]),
        ),
      },
      ignores: {
        description:
          'gitignore-style patterns, relative to the folder of the config file; findings in matching files are dropped.',
        type: 'array',
        items: { type: 'string', minLength: 1 },
      },
      productionStages: {
        description: 'Stage names that mean production (default: prod, production, prd, live).',
        type: 'array',
        items: { type: 'string', minLength: 1 },
      },
      stage: { description: 'The stage being deployed, as --stage would say it.', type: 'string', minLength: 1 },
      accountConcurrencyLimit: {
        description: "The account's concurrent executions quota, for reserved-concurrency (default 1000).",
        type: 'integer',
        minimum:
          (
            rules.find((r) => r.id === 'reserved-concurrency')?.options?.accountLimit as
              { minimum?: number } | undefined
          )?.minimum ?? 1,
      },
    },
  };
}
