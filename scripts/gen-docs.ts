// Writes docs/rules/ from rule metadata: `npm run docs`.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rules } from '../rules/index.js';
import { knownRulesModule, ruleDoc, rulesIndex } from '../src/docs.js';
import { configSchema } from '../src/config/schema.js';
import { currentReadme } from './readme.js';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../docs/rules');
fs.mkdirSync(dir, { recursive: true });
for (const rule of rules) fs.writeFileSync(path.join(dir, `${rule.id}.md`), ruleDoc(rule));
fs.writeFileSync(path.join(dir, 'README.md'), rulesIndex(rules));
console.log(`wrote ${rules.length + 1} files to docs/rules/`);
fs.writeFileSync(path.join(dir, '..', 'lambdalint.schema.json'), `${JSON.stringify(configSchema(rules), null, 2)}\n`);
console.log('wrote docs/lambdalint.schema.json');
const root = path.join(dir, '..', '..');
fs.writeFileSync(path.join(root, 'src/data/known-rules.ts'), knownRulesModule(rules));
console.log('wrote src/data/known-rules.ts');
fs.writeFileSync(path.join(root, 'README.md'), currentReadme(root));
console.log('wrote the generated parts of README.md');
