// Rule documentation generated from rule metadata (docs/rules/*.md); a test keeps it current.
import type { AnyRule } from './engine/types.js';
import { describeType } from './engine/options.js';

/** `examples: false` (the CLI's `explain`): no pointer to fixtures/, which the package does not ship. */
export function ruleDoc(rule: AnyRule, { examples = true }: { examples?: boolean } = {}): string {
  const lines = [
    `# ${rule.id}`,
    '',
    `> ${rule.docs.summary}`,
    '',
    `- Default severity: **${rule.severity}**`,
    `- Category: ${rule.category}`,
    `- Formats with test cases: ${rule.frameworks.join(', ')}`,
    '',
    '## Why',
    '',
    rule.docs.why,
    '',
    '## How to fix',
    '',
    rule.docs.fix,
    '',
    '## Messages',
    '',
    ...Object.entries(rule.messages).map(([id, text]) => `- \`${id}\`: ${text}`),
    '',
    ...optionsDoc(rule),
    ...(examples
      ? [
          '## Examples',
          '',
          `The folders under \`fixtures/${rule.id}/\` are real projects: \`positive/\` cases with the findings they produce in \`expected.json\`, \`negative/\` cases that stay quiet.`,
          '',
        ]
      : []),
    "<!-- Generated from the rule's metadata by `npm run docs`; do not edit. -->",
    '',
  ];
  return lines.join('\n');
}

export function rulesIndex(rules: readonly AnyRule[]): string {
  const lines = [
    '# Rules',
    '',
    '| Rule | Default | Summary |',
    '| --- | --- | --- |',
    ...[...rules]
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((r) => `| [${r.id}](${r.id}.md) | ${r.severity} | ${r.docs.summary} |`),
    '',
    '## Values inherited from Globals',
    '',
    'Every rule reports a value that functions inherit from SAM `Globals.Function` (or from a Serverless',
    '`provider` setting) the same way:',
    '',
    '- The finding points at the line in `Globals` where the value is written, since that is where it is',
    '  fixed. `function` names the first function that inherits it, and each function that inherits it is',
    '  a related location, "inherited by <function>". A message that does not name the function (`Timeout is',
    '  1200 s`) is one finding for all of them; a message that names the function or its role is one',
    '  finding per function, each at the same `Globals` line.',
    '- When the inherited value is only part of the cause (a queue whose visibility timeout is below an',
    '  inherited function timeout, a handler looked up in an inherited `CodeUri`), the finding stays at',
    '  its own place and the related location at the `Globals` line ends in "(inherited from Globals)"',
    '  ("(inherited from provider)" for Serverless).',
    '- A value a function sets itself overrides `Globals` and is reported at the function.',
    '',
    '<!-- Generated from rule metadata by `npm run docs`; do not edit. -->',
    '',
  ];
  return lines.join('\n');
}

/** The rule's options, from its metadata: a table and a configuration that sets them. */
function optionsDoc(rule: AnyRule): string[] {
  const entries = Object.entries(rule.options ?? {});
  if (entries.length === 0) return [];
  const example = Object.fromEntries(entries.map(([k, s]) => [k, s.default]));
  return [
    '## Options',
    '',
    '| Option | Accepts | Default | Description |',
    '| --- | --- | --- | --- |',
    ...entries.map(
      ([k, s]) => `| \`${k}\` | ${describeType(s)} | \`${JSON.stringify(s.default)}\` | ${s.description} |`,
    ),
    '',
    'In `lambdalint.config.json` (an unknown option or a value of the wrong type stops the run with exit status 2, naming the file, line and column):',
    '',
    '```json',
    `{ "rules": { ${JSON.stringify(rule.id)}: [${JSON.stringify(rule.severity)}, ${JSON.stringify(example)
      .replace(/^\{(.*)\}$/, '{ $1 }')
      .replace(/":/g, '": ')}] } }`,
    '```',
    '',
  ];
}
