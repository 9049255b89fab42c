// The runner of scripts/compare-json.sh: lints each folder given on stdin (one `NAME<TAB>DIR` a
// line) with the bundled CLI, as `lambdalint --format json --today 2026-11-26 .` run inside DIR,
// and writes OUT/NAME.json (the report, then `exit N`) and OUT/NAME.err. One process for all
// folders: starting node 400 times cost more than linting the fixtures.
import fs from 'node:fs';
import process from 'node:process';
import path from 'node:path';
import readline from 'node:readline';
import { main } from '../prebuilt/cli.cjs';

const out = process.argv[2];
for await (const line of readline.createInterface({ input: process.stdin })) {
  if (!line) continue;
  const [name, dir] = line.split('\t');
  let stdout = '';
  let stderr = '';
  let code;
  try {
    code = await main(['--format', 'json', '--today', '2026-11-26', '.'], {
      stdout: (s) => (stdout += s),
      stderr: (s) => (stderr += s),
      cwd: path.resolve(dir),
      isTTY: false,
      env: {},
    });
  } catch (e) {
    stderr += `internal error: ${e instanceof Error ? e.message : String(e)}\n`;
    code = 2;
  }
  fs.writeFileSync(path.join(out, `${name}.json`), `${stdout}exit ${code}\n`);
  fs.writeFileSync(path.join(out, `${name}.err`), stderr);
}
