// SARIF 2.1.0 schema validation for tests (the OASIS schema beside the repository, in shared/).
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';

const schemaUrl = new URL('../../../shared/sarif-schema-2.1.0.json', import.meta.url);
export const sarifSchemaExists = fs.existsSync(fileURLToPath(schemaUrl));

// Both packages are CommonJS that also set `exports.default` to themselves; under NodeNext,
// TypeScript types the default import as the whole module, so take `.default` (same object).
const Ajv = Ajv04.default;
const withFormats = addFormats.default;

export function expectValidSarif(text: string): void {
  // The schema is draft-04, hence ajv-draft-04; ajv-formats for its `uri` and `date-time` formats.
  const ajv = new Ajv({ allErrors: true });
  withFormats(ajv);
  const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaUrl, 'utf8')) as object);
  expect(validate(JSON.parse(text)), ajv.errorsText(validate.errors)).toBe(true);
}
