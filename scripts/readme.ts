// The generated parts of README.md: the CLI option table (from src/cli/options.ts) and the setup
// snippets, each copied from the tested file under docs/examples/. `npm run docs` writes them;
// test/meta.test.ts fails when README.md is not current.
import fs from 'node:fs';
import path from 'node:path';
import { optionsTable } from '../src/cli/options.js';

const LANG: Record<string, string> = {
  '.yaml': 'yaml',
  '.yml': 'yaml',
  '.js': 'js',
  '.cjs': 'js',
  '.json': 'json',
  '.sh': 'sh',
};

export function currentReadme(root: string): string {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  return readme
    .replace(
      /(<!-- generated: cli-options -->)[\s\S]*?(<!-- \/generated -->)/g,
      (_, a: string, b: string) => `${a}\n${optionsTable()}\n${b}`,
    )
    .replace(/(<!-- example: (\S+) -->)[\s\S]*?(<!-- \/example -->)/g, (_, a: string, file: string, b: string) => {
      const text = fs.readFileSync(path.join(root, file), 'utf8').trimEnd();
      return `${a}\n\`\`\`${LANG[path.extname(file)] ?? ''}\n${text}\n\`\`\`\n${b}`;
    });
}
