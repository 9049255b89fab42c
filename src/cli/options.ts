// The CLI's options: one list that gives parseArgs its definition, `--help` its text and the
// README its option table (`npm run docs`; a test keeps the README current).
interface CliOption {
  name: string;
  short?: string;
  type: 'string' | 'boolean';
  multiple?: boolean;
  /** The value's placeholder in help, e.g. `<name>`. */
  arg?: string;
  /** One line or more of help. */
  help: string;
  /** Left out of --help and the README (testing aids). */
  hidden?: boolean;
}

const CLI_OPTIONS: readonly CliOption[] = [
  {
    name: 'format',
    short: 'f',
    type: 'string',
    arg: '<name>',
    help: 'stylish (default), json, sarif, github or html (one self-contained page: totals, what was not checked, the function × need matrix, every finding)',
  },
  {
    name: 'output-file',
    short: 'o',
    type: 'string',
    arg: '<file>',
    help: 'write the report to a file instead of stdout',
  },
  {
    name: 'fix-dry-run',
    type: 'boolean',
    help: 'print the fixes findings carry as a unified diff (apply it with git apply); nothing is written',
  },
  { name: 'max-warnings', type: 'string', arg: '<n>', help: 'exit 1 when there are more than n warnings' },
  { name: 'quiet', type: 'boolean', help: 'report errors only' },
  { name: 'stage', type: 'string', arg: '<name>', help: 'the stage being deployed (decides what is production)' },
  {
    name: 'rule',
    type: 'string',
    multiple: true,
    arg: '<id:severity>',
    help: "set a rule's severity: error, warning, info or off (repeatable; id=severity works too); overrides the config file",
  },
  {
    name: 'config',
    short: 'c',
    type: 'string',
    arg: '<file>',
    help: 'use this config file instead of the nearest lambdalint.config.*',
  },
  { name: 'no-config', type: 'boolean', help: 'use no config file' },
  {
    name: 'baseline',
    type: 'string',
    arg: '<file>',
    help: 'leave out findings recorded in this baseline (counts per file per rule)',
  },
  {
    name: 'baseline-create',
    type: 'string',
    arg: '<file>',
    help: 'write the current findings to a baseline file and exit 0',
  },
  { name: 'staged', type: 'boolean', help: 'lint the projects of the files staged in git' },
  {
    name: 'changed',
    type: 'string',
    arg: '[=<ref>]',
    help: 'lint the projects of the files changed since <ref> (default HEAD)',
  },
  {
    name: 'changed-files',
    type: 'boolean',
    help: 'the paths are changed files: lint the projects they belong to (the pre-commit hook and lint-staged pass files this way)',
  },
  { name: 'color', type: 'boolean', help: 'force colours on (--no-color: off; NO_COLOR is honoured)' },
  { name: 'no-color', type: 'boolean', help: 'force colours off', hidden: true },
  {
    name: 'shard',
    type: 'string',
    arg: '<i/n>',
    help: 'lint the i-th of n shares of the projects (1/4 ... 4/4), split the same way on every machine; SARIF gets its own category per shard',
  },
  {
    name: 'sarif-category',
    type: 'string',
    arg: '<id>',
    help: 'the code scanning category SARIF carries (runAutomationDetails.id; default lambdalint); give each analysis uploaded from one workflow its own',
  },
  {
    name: 'threads',
    type: 'string',
    arg: '<n>',
    help: 'threads that parse handler code (default: the CPU count, or LAMBDALINT_THREADS); the output is the same',
  },
  { name: 'verbose', type: 'boolean', help: 'also print what could not be checked' },
  { name: 'today', type: 'string', arg: '<date>', help: 'the date dated rules use (tests)', hidden: true },
  { name: 'version', short: 'v', type: 'boolean', help: 'print the version' },
  { name: 'help', short: 'h', type: 'boolean', help: 'print this help' },
];

/** The definition node:util's parseArgs takes. */
export function parseArgsOptions(): Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> {
  return Object.fromEntries(
    CLI_OPTIONS.map((o) => [
      o.name,
      { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) },
    ]),
  );
}

const spelled = (o: CliOption): string =>
  `${o.short ? `-${o.short}, ` : '    '}--${o.name}${o.arg ? (o.arg.startsWith('[') ? o.arg : ` ${o.arg}`) : ''}`;

/** The Options part of --help. */
export function optionsHelp(): string {
  const shown = CLI_OPTIONS.filter((o) => !o.hidden);
  const width = Math.max(...shown.map((o) => spelled(o).length)) + 2;
  return shown.map((o) => `  ${spelled(o).padEnd(width)}${o.help}`).join('\n');
}

/** The README's option table (Markdown). */
export function optionsTable(): string {
  const rows = CLI_OPTIONS.filter((o) => !o.hidden).map(
    (o) => `| \`${spelled(o).trim()}\` | ${o.help.replace(/\|/g, '\\|')} |`,
  );
  return ['| option | |', '| --- | --- |', ...rows].join('\n');
}
