// The command line: parse arguments, run lint(), print, exit 0 / 1 / 2 like ESLint.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { lint } from '../lint.js';
import { UsageError } from '../discover/index.js';
import { formatResult, formats, type Format } from '../report/index.js';
import { rules } from '../../rules/index.js';
import type { Severity } from '../engine/types.js';
import { packageVersion } from './version.js';

const HELP = `Usage: lambdalint [options] [paths...]

Lints AWS Lambda projects: CloudFormation, SAM and synthesized CDK (cdk.out) templates.
Paths default to the current folder.

Options:
  -f, --format <name>      stylish (default), json, sarif or github
  -o, --output-file <file> write the report to a file instead of stdout
      --max-warnings <n>   exit 1 when there are more than n warnings
      --quiet              report errors only
      --stage <name>       the stage being deployed (decides what is production)
      --rule <id=severity> set a rule's severity: error, warning, info or off (repeatable)
      --color / --no-color force colours on or off
      --verbose            also print what could not be checked
  -v, --version            print the version
  -h, --help               print this help

Exit status: 0 no errors (and warnings within --max-warnings), 1 findings, 2 usage error.
`;

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  cwd: string;
  isTTY: boolean;
  env: Record<string, string | undefined>;
}

const defaultIo = (): Io => ({
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  cwd: process.cwd(),
  isTTY: !!process.stdout.isTTY,
  env: process.env,
});

const SEVERITIES = new Set(['error', 'warning', 'warn', 'info', 'off']);

export async function main(argv: string[], io: Io = defaultIo()): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string', short: 'f' },
        'output-file': { type: 'string', short: 'o' },
        'max-warnings': { type: 'string' },
        quiet: { type: 'boolean' },
        stage: { type: 'string' },
        rule: { type: 'string', multiple: true },
        color: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        verbose: { type: 'boolean' },
        today: { type: 'string' },
        version: { type: 'boolean', short: 'v' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    io.stderr(`lambdalint: ${(e as Error).message.split('\n')[0]}\nRun 'lambdalint --help' for the options.\n`);
    return 2;
  }
  const o = args.values;
  if (o.help) {
    io.stdout(HELP);
    return 0;
  }
  if (o.version) {
    io.stdout(`${packageVersion()}\n`);
    return 0;
  }
  const fail = (msg: string): number => {
    io.stderr(`lambdalint: ${msg}\n`);
    return 2;
  };
  const format = (o.format ?? 'stylish') as Format;
  if (!formats.includes(format)) return fail(`unknown format '${o.format}'; use one of ${formats.join(', ')}`);
  let maxWarnings = -1;
  if (o['max-warnings'] !== undefined) {
    maxWarnings = Number(o['max-warnings']);
    if (!Number.isInteger(maxWarnings) || maxWarnings < -1) return fail(`--max-warnings takes a whole number, not '${o['max-warnings']}'`);
  }
  const severities: Record<string, Severity | 'off'> = {};
  for (const spec of o.rule ?? []) {
    const m = /^([a-z0-9-]+)=([a-z]+)$/.exec(spec);
    if (!m || !SEVERITIES.has(m[2])) return fail(`--rule takes id=severity (error, warning, info or off), not '${spec}'`);
    if (!rules.some((r) => r.id === m[1])) return fail(`unknown rule '${m[1]}'`);
    severities[m[1]] = m[2] === 'warn' ? 'warning' : (m[2] as Severity | 'off');
  }
  let today: Date | undefined;
  if (o.today !== undefined) {
    today = new Date(`${o.today}T00:00:00Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(o.today) || Number.isNaN(today.getTime())) return fail(`--today takes a date like 2026-01-31, not '${o.today}'`);
  }
  let result;
  try {
    result = await lint({ cwd: io.cwd, paths: args.positionals, stage: o.stage, rules: severities, today });
  } catch (e) {
    if (e instanceof UsageError) return fail(e.message);
    throw e;
  }
  if (o.quiet) result.findings = result.findings.filter((f) => f.severity === 'error');
  const toFile = o['output-file'] !== undefined;
  const color = o['no-color'] ? false : o.color ? true : !toFile && io.isTTY && !io.env.NO_COLOR && !io.env.NODE_DISABLE_COLORS;
  const text = formatResult(result, format, { color, version: packageVersion() });
  if (toFile) {
    const out = path.resolve(io.cwd, o['output-file']!);
    try {
      fs.mkdirSync(path.dirname(out), { recursive: true });
      fs.writeFileSync(out, text);
    } catch (e) {
      return fail(`cannot write ${o['output-file']}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  } else io.stdout(text);
  if (o.verbose) for (const n of result.notes) io.stderr(`note: ${n}\n`);
  for (const err of result.toolErrors) io.stderr(`lambdalint: ${err}\n`);
  const errors = result.findings.filter((f) => f.severity === 'error').length;
  const warnings = result.findings.filter((f) => f.severity === 'warning').length;
  if (errors > 0) return 1;
  if (maxWarnings >= 0 && warnings > maxWarnings) {
    io.stderr(`lambdalint found too many warnings (maximum: ${maxWarnings}).\n`);
    return 1;
  }
  return 0;
}
