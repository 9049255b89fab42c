// Reporters: the JSON contract, SARIF (schema-valid, GitHub-ready, fingerprints as upload-sarif
// computes them), GitHub workflow commands and the stylish terminal layout, pinned as exact text.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Log, ReportingDescriptor, Result } from 'sarif';
import { afterAll, describe, expect, it } from 'vitest';
import { expectValidSarif, sarifSchemaExists } from './support/sarif.js';
import { defineRule, type Finding } from '../src/engine/types.js';
import type { LintResult } from '../src/engine/result.js';
import { formatGithub } from '../src/report/github.js';
import { formatHtml } from '../src/report/html.js';
import { formatResult, formats } from '../src/report/index.js';
import { formatJson } from '../src/report/json.js';
import { formatSarif, lineHashes } from '../src/report/sarif.js';
import { formatStylish } from '../src/report/stylish.js';

// --- rules: real-looking metadata, no checking --------------------------------------------------

const timeoutLimit = defineRule({
  id: 'timeout-limit',
  severity: 'error',
  category: 'reliability',
  frameworks: ['sam'],
  docs: {
    summary: 'Keep every function timeout within what Lambda allows.',
    why: 'Lambda stops every invocation at 900 s; a longer timeout fails deploys or misleads.',
    fix: 'Lower the timeout, or move long work to Step Functions, ECS or a queue of smaller jobs.',
  },
  messages: { tooLong: 'Timeout is {{seconds}} s; Lambda stops every function at 900 s.' },
  check() {},
});

const wildcardPermission = defineRule({
  id: 'wildcard-permission',
  severity: 'warning',
  category: 'permissions',
  frameworks: ['sam'],
  docs: {
    summary: 'Grant a function the actions and resources it uses, not everything.',
    why: 'A statement with Action "*" on Resource "*" lets a bug or an injected payload touch every resource in the account.',
    fix: 'List the actions the handler calls and the ARNs it touches; SAM policy templates cover the common cases.',
  },
  messages: { everything: 'Statement allows every action on every resource.' },
  check() {},
});

const reservedConcurrency = defineRule({
  id: 'reserved-concurrency',
  severity: 'info',
  category: 'limits',
  frameworks: ['sam'],
  docs: {
    summary: 'Leave unreserved concurrency for the functions without a reservation.',
    why: 'Reserved concurrency is taken from the account pool; the rest of the account shares what is left.',
    fix: 'Lower the reservation, or ask AWS for a higher account concurrency limit.',
  },
  messages: { share: 'Reserved concurrency takes {{percent}}% of the account limit.' },
  check() {},
});

const RULES = [wildcardPermission, timeoutLimit, reservedConcurrency];

// --- a project on disk --------------------------------------------------------------------------

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lambdalint-report-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

// Four identical statements: the first two `Action` lines are followed by 100 identical
// non-blank characters, so GitHub gives them the same line hash with occurrences 1 and 2.
const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  ReportBuilder:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs22.x
      Handler: app.handler
      Timeout: 1200
      Policies:
        - Statement:
${"            - Effect: Allow\n              Action: '*'\n              Resource: '*'\n".repeat(4)}`;

const HANDLER = 'export const handler = async () => ({ statusCode: 200 });\n';

fs.writeFileSync(path.join(tmp, 'template.yaml'), TEMPLATE);
fs.mkdirSync(path.join(tmp, 'src'));
fs.writeFileSync(path.join(tmp, 'src', 'app handler.mjs'), HANDLER);

type Spec = Omit<Finding, 'absoluteFile' | 'fingerprint'> & { fingerprint?: string };

function finding(spec: Spec): Finding {
  return { fingerprint: '0123456789abcdef', ...spec, absoluteFile: path.join(tmp, ...spec.file.split('/')) };
}

const timeoutFinding = finding({
  ruleId: 'timeout-limit',
  severity: 'error',
  message: 'Timeout is 1200 s; Lambda stops every function at 900 s.',
  messageId: 'tooLong',
  file: 'template.yaml',
  line: 9,
  column: 7,
  endLine: 9,
  endColumn: 20,
  function: 'ReportBuilder',
  related: [{ file: 'template.yaml', line: 4, column: 3, endLine: 4, endColumn: 16, message: 'function defined here' }],
  fingerprint: 'aaaaaaaaaaaaaaaa',
});

const wildcardFindings = [13, 16].map((line) =>
  finding({
    ruleId: 'wildcard-permission',
    severity: 'warning',
    message: 'Statement allows every action on every resource.',
    messageId: 'everything',
    file: 'template.yaml',
    line,
    column: 15,
    endLine: line,
    endColumn: 26,
    function: 'ReportBuilder',
    resource: 'ReportBuilderRole',
    fingerprint: line === 13 ? 'bbbbbbbbbbbbbbbb' : 'cccccccccccccccc',
  }),
);

const handlerFinding = finding({
  ruleId: 'reserved-concurrency',
  severity: 'info',
  message: 'Reserved concurrency takes 80% of the account limit.',
  file: 'src/app handler.mjs',
  line: 1,
  column: 14,
  endLine: 1,
  endColumn: 21,
  function: 'ReportBuilder',
  fingerprint: 'dddddddddddddddd',
});

function lintResult(findings: Finding[], overrides: Partial<LintResult> = {}): LintResult {
  return {
    findings,
    rules: RULES,
    cwd: tmp,
    stats: { files: 2, templates: 1, functions: 1, durationMs: 12 },
    toolErrors: [],
    notes: [],
    ...overrides,
  };
}

const RESULT = lintResult([handlerFinding, timeoutFinding, ...wildcardFindings]);

// --- json ---------------------------------------------------------------------------------------

describe('json', () => {
  it('prints exactly the docs/RULES.md contract', () => {
    const text = formatJson(RESULT);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('\n  "findings": [\n'); // two-space indentation
    const wildcard = {
      ruleId: 'wildcard-permission',
      severity: 'warning',
      message: 'Statement allows every action on every resource.',
      file: 'template.yaml',
      column: 15,
      endColumn: 26,
      function: 'ReportBuilder',
      resource: 'ReportBuilderRole',
    };
    expect(JSON.parse(text)).toEqual({
      version: 1,
      findings: [
        {
          ruleId: 'reserved-concurrency',
          severity: 'info',
          message: 'Reserved concurrency takes 80% of the account limit.',
          file: 'src/app handler.mjs',
          line: 1,
          column: 14,
          endLine: 1,
          endColumn: 21,
          function: 'ReportBuilder',
        },
        {
          ruleId: 'timeout-limit',
          severity: 'error',
          message: 'Timeout is 1200 s; Lambda stops every function at 900 s.',
          file: 'template.yaml',
          line: 9,
          column: 7,
          endLine: 9,
          endColumn: 20,
          function: 'ReportBuilder',
          related: [
            { file: 'template.yaml', line: 4, column: 3, endLine: 4, endColumn: 16, message: 'function defined here' },
          ],
        },
        { ...wildcard, line: 13, endLine: 13 },
        { ...wildcard, line: 16, endLine: 16 },
      ],
    });
  });

  it('keeps the contract key order and leaves engine fields out', () => {
    const out = JSON.parse(formatJson(RESULT)) as { findings: Record<string, unknown>[] };
    expect(Object.keys(out)).toEqual(['version', 'findings']);
    expect(Object.keys(out.findings[1])).toEqual([
      'ruleId',
      'severity',
      'message',
      'file',
      'line',
      'column',
      'endLine',
      'endColumn',
      'function',
      'related',
    ]);
  });

  it('prints an empty list when there is nothing to report', () => {
    expect(formatJson(lintResult([]))).toBe('{\n  "version": 1,\n  "findings": []\n}\n');
  });
});

// --- sarif --------------------------------------------------------------------------------------

const schemaExists = sarifSchemaExists;

function sarif(result: LintResult, helpUriBase?: string): Log {
  return JSON.parse(formatSarif(result, { version: '1.2.3', helpUriBase })) as Log;
}

describe('sarif', () => {
  it.skipIf(!schemaExists)('validates against the SARIF 2.1.0 schema', () => {
    expectValidSarif(formatSarif(RESULT, { version: '1.2.3', helpUriBase: 'https://example.com/lambdalint/rules/' }));
    expectValidSarif(formatSarif(RESULT, { version: '1.2.3' }));
    expectValidSarif(formatSarif(lintResult([]), { version: '1.2.3' }));
    const coverage = {
      functions: 2,
      notChecked: [
        {
          function: 'A',
          file: 'dir with space/t.yaml',
          rules: ['logs-permission'],
          reason: 'role from parameter RoleArn',
        },
        { file: 't.yaml', rules: [], reason: 'functions built at run time' },
      ],
    };
    expectValidSarif(formatSarif({ ...RESULT, coverage }, { version: '1.2.3' }));
  });

  it.skipIf(!schemaExists)('catches an invalid log (the validation can fail)', () => {
    const log = sarif(RESULT);
    log.runs[0].results![0].locations![0].physicalLocation!.region = { startColumn: 3 };
    expect(() => expectValidSarif(JSON.stringify(log))).toThrow();
  });

  it('describes the run the way GitHub code scanning reads it', () => {
    const text = formatSarif(RESULT, { version: '1.2.3' });
    expect(text.endsWith('}\n')).toBe(true);
    const log = JSON.parse(text) as Log;
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    const run = log.runs[0];
    expect(run.tool.driver.name).toBe('lambdalint');
    expect(run.tool.driver.semanticVersion).toBe('1.2.3');
    expect(() => new URL(run.tool.driver.informationUri!)).not.toThrow();
    expect(run.columnKind).toBe('utf16CodeUnits');
    expect(run.automationDetails).toEqual({ id: 'lambdalint/' });
    const root = pathToFileURL(tmp).href + '/';
    expect(run.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: root } });
    expect(run.invocations).toEqual([{ executionSuccessful: true, workingDirectory: { uri: root } }]);
  });

  it('lists every rule, sorted by id, with its docs', () => {
    const rules = sarif(RESULT, 'https://example.com/lambdalint/rules/').runs[0].tool.driver.rules!;
    expect(rules.map((r) => r.id)).toEqual(['reserved-concurrency', 'timeout-limit', 'wildcard-permission']);
    expect(rules[1]).toEqual({
      id: 'timeout-limit',
      name: 'TimeoutLimit',
      shortDescription: { text: 'Keep every function timeout within what Lambda allows.' },
      fullDescription: { text: 'Lambda stops every invocation at 900 s; a longer timeout fails deploys or misleads.' },
      help: {
        text: 'Lower the timeout, or move long work to Step Functions, ECS or a queue of smaller jobs.',
        markdown: expect.stringContaining('Lower the timeout'),
      },
      helpUri: 'https://example.com/lambdalint/rules/timeout-limit',
      defaultConfiguration: { level: 'error' },
      properties: { tags: ['reliability', 'aws-lambda'], precision: 'high', 'problem.severity': 'error' },
    } satisfies ReportingDescriptor);
    expect(rules.map((r) => r.defaultConfiguration?.level)).toEqual(['note', 'error', 'warning']);
    expect(rules[0].properties?.['problem.severity']).toBe('recommendation');
  });

  it('writes helpUri only for a valid absolute base', () => {
    for (const base of [undefined, 'docs/rules/']) {
      for (const r of sarif(RESULT, base).runs[0].tool.driver.rules!) expect(r).not.toHaveProperty('helpUri');
    }
  });

  it('points each result at its rule, relative to %SRCROOT%', () => {
    const run = sarif(RESULT).runs[0];
    const rules = run.tool.driver.rules!;
    const results = run.results!;
    expect(results.map((r) => r.ruleId)).toEqual([
      'reserved-concurrency',
      'timeout-limit',
      'wildcard-permission',
      'wildcard-permission',
    ]);
    for (const r of results) expect(rules[r.ruleIndex!].id).toBe(r.ruleId);
    expect(results.map((r) => r.level)).toEqual(['note', 'error', 'warning', 'warning']);

    const timeout = results[1];
    expect(timeout.message).toEqual({ text: 'Timeout is 1200 s; Lambda stops every function at 900 s.' });
    expect(timeout.locations).toEqual([
      {
        physicalLocation: {
          artifactLocation: { uri: 'template.yaml', uriBaseId: '%SRCROOT%' },
          region: { startLine: 9, startColumn: 7, endLine: 9, endColumn: 20 },
        },
      },
    ]);
    expect(timeout.relatedLocations).toEqual([
      {
        id: 1,
        physicalLocation: {
          artifactLocation: { uri: 'template.yaml', uriBaseId: '%SRCROOT%' },
          region: { startLine: 4, startColumn: 3, endLine: 4, endColumn: 16 },
        },
        message: { text: 'function defined here' },
      },
    ]);
    // Path segments are percent-encoded, the separators are not.
    expect(results[0].locations![0].physicalLocation!.artifactLocation).toEqual({
      uri: 'src/app%20handler.mjs',
      uriBaseId: '%SRCROOT%',
    });
  });

  it('fingerprints the primary line as upload-sarif does, plus lambdalint/v1', () => {
    const results = sarif(RESULT).runs[0].results!;
    const lines = lineHashes(TEMPLATE);
    for (const r of results) {
      const fp = r.partialFingerprints!;
      expect(fp.primaryLocationLineHash).toMatch(/^[0-9a-f]{1,16}:\d+$/);
      const line = r.locations![0].physicalLocation!.region!.startLine!;
      if (r.ruleId !== 'reserved-concurrency') expect(fp.primaryLocationLineHash).toBe(lines[line - 1]);
    }
    expect(results.map((r) => r.partialFingerprints!['lambdalint/v1'])).toEqual([
      'dddddddddddddddd',
      'aaaaaaaaaaaaaaaa',
      'bbbbbbbbbbbbbbbb',
      'cccccccccccccccc',
    ]);
    // Two identical lines: same hash, told apart by the occurrence counter.
    const [first, second] = results.slice(2).map((r) => r.partialFingerprints!.primaryLocationLineHash!.split(':'));
    expect(first[0]).toBe(second[0]);
    expect([first[1], second[1]]).toEqual(['1', '2']);
    expect(results[0].partialFingerprints!.primaryLocationLineHash).toBe(lineHashes(HANDLER)[0]);
  });

  it('leaves primaryLocationLineHash out when the file cannot be read', () => {
    const gone = { ...timeoutFinding, absoluteFile: path.join(tmp, 'missing.yaml') };
    const r = sarif(lintResult([gone])).runs[0].results![0];
    expect(r.partialFingerprints).toEqual({ 'lambdalint/v1': 'aaaaaaaaaaaaaaaa' });
  });

  it.skipIf(!schemaExists)('stays valid with a parse-error and a rule the run does not know', () => {
    const parse = finding({
      ruleId: 'parse-error',
      severity: 'error',
      message: 'invalid YAML: bad indentation of a mapping entry',
      file: 'template.yaml',
      line: 3,
      column: 1,
      endLine: 3,
      endColumn: 2,
    });
    const stray = { ...timeoutFinding, ruleId: 'retired-rule' };
    const result = lintResult([parse, stray], { toolErrors: ['rule timeout-limit failed: boom'] });
    const text = formatSarif(result, { version: '1.2.3', helpUriBase: 'https://example.com/rules/' });
    expectValidSarif(text);
    const run = (JSON.parse(text) as Log).runs[0];
    const rules = run.tool.driver.rules!;
    expect(rules.map((r) => r.id)).toEqual([
      'parse-error',
      'reserved-concurrency',
      'retired-rule',
      'timeout-limit',
      'wildcard-permission',
    ]);
    for (const r of run.results as Result[]) expect(rules[r.ruleIndex!].id).toBe(r.ruleId);
    expect(rules[0].shortDescription!.text).not.toBe('');
    expect(rules[0]).not.toHaveProperty('helpUri');
    expect(run.invocations![0].executionSuccessful).toBe(false);
    expect(run.invocations![0].toolExecutionNotifications).toEqual([
      { level: 'error', message: { text: 'rule timeout-limit failed: boom' } },
    ]);
  });
});

describe('line hashes', () => {
  // Expected values from github/codeql-action's own tests of src/fingerprints.ts: byte-compatibility.
  it.each([
    ['', ['c129715d7a2bc9a3:1']],
    [' a\nb\n  \t\tc\n d', ['271789c17abda88f:1', '54703d4cd895b18:1', '180aee12dab6264:1', 'a23a3dc5e078b07b:1']],
    [
      ' hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End',
      [
        '8b7cf3e952e7aeb2:1',
        'b1ae1287ec4718d9:1',
        'bff680108adb0fcc:1',
        'c6805c5e1288b612:1',
        'b86d3392aea1be30:1',
        'e6ceba753e1a442:1',
      ],
    ],
  ])('hashes %j as codeql-action does', (input, expected) => {
    expect(lineHashes(input)).toEqual(expected);
  });

  it('treats LF, CR and CR LF alike', () => {
    const expected = [
      'e9496ae3ebfced30:1',
      'fb7c023a8b9ccb3f:1',
      'ce8ba1a563dcdaca:1',
      'e20e36e16fcb0cc8:1',
      'b3edc88f2938467e:1',
      'c8e28b0b4002a3a0:1',
      'c129715d7a2bc9a3:1',
    ];
    for (const input of [
      ' hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End\n',
      ' hello; \t\nworld!!!\r\r\r  \t\tGreetings\r End\r',
      ' hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\tGreetings\r\n End\r\n',
      ' hello; \t\nworld!!!\r\n\n\r  \t\tGreetings\r End\r\n',
    ]) {
      expect(lineHashes(input)).toEqual(expected);
    }
  });

  it('counts repeated lines', () => {
    expect(lineHashes('Lorem ipsum dolor sit amet.\n'.repeat(10))).toEqual([
      ...[1, 2, 3, 4, 5, 6].map((n) => `a7f2ff13bc495cf2:${n}`),
      'a7f2ff1481e87703:1',
      'a9cf91f7bbf1862b:1',
      '55ec222b86bcae53:1',
      'cc97dc7b1d7d8f7b:1',
      'c129715d7a2bc9a3:1',
    ]);
  });
});

// --- github -------------------------------------------------------------------------------------

describe('github', () => {
  it('prints one workflow command per finding', () => {
    expect(formatGithub(lintResult([handlerFinding, timeoutFinding, wildcardFindings[0]]))).toBe(
      '::notice file=src/app handler.mjs,line=1,col=14,endLine=1,endColumn=21,title=lambdalint/reserved-concurrency::Reserved concurrency takes 80%25 of the account limit.\n' +
        '::error file=template.yaml,line=9,col=7,endLine=9,endColumn=20,title=lambdalint/timeout-limit::Timeout is 1200 s; Lambda stops every function at 900 s.\n' +
        '::warning file=template.yaml,line=13,col=15,endLine=13,endColumn=26,title=lambdalint/wildcard-permission::Statement allows every action on every resource.\n',
    );
  });

  it('escapes data and properties', () => {
    const odd = finding({
      ruleId: 'parse-error',
      severity: 'error',
      message: 'invalid YAML: 100% broken\r\nat line 2: here',
      file: 'envs/prod:eu,1/template.yaml',
      line: 2,
      column: 3,
      endLine: 4,
      endColumn: 1,
    });
    // A range over several lines carries no columns: GitHub takes columns on one line only.
    expect(formatGithub(lintResult([odd]))).toBe(
      '::error file=envs/prod%3Aeu%2C1/template.yaml,line=2,endLine=4,title=lambdalint/parse-error::invalid YAML: 100%25 broken%0D%0Aat line 2: here\n',
    );
  });

  it('prints nothing when there is nothing to report', () => {
    expect(formatGithub(lintResult([]))).toBe('');
  });
});

// --- stylish ------------------------------------------------------------------------------------

describe('stylish', () => {
  it('prints a finding with its code frame, help and note', () => {
    expect(formatStylish(lintResult([timeoutFinding]), { color: false })).toBe(
      `template.yaml
  9:7  error  Timeout is 1200 s; Lambda stops every function at 900 s.  timeout-limit
    8 |       Handler: app.handler
  > 9 |       Timeout: 1200
      |       ^^^^^^^^^^^^^
    help: Lower the timeout, or move long work to Step Functions, ECS or a queue of smaller jobs.
    = note: function defined here at template.yaml:4:3

✖ 1 problem (1 error, 0 warnings)
`,
    );
  });

  it('groups by file, aligns columns and counts every severity', () => {
    const out = formatStylish(RESULT, { color: false });
    expect(out).toBe(
      `src/app handler.mjs
  1:14  info  Reserved concurrency takes 80% of the account limit.  reserved-concurrency
  > 1 | export const handler = async () => ({ statusCode: 200 });
      |              ^^^^^^^
    help: Lower the reservation, or ask AWS for a higher account concurrency limit.

template.yaml
   9:7   error    Timeout is 1200 s; Lambda stops every function at 900 s.  timeout-limit
    8 |       Handler: app.handler
  > 9 |       Timeout: 1200
      |       ^^^^^^^^^^^^^
    help: Lower the timeout, or move long work to Step Functions, ECS or a queue of smaller jobs.
    = note: function defined here at template.yaml:4:3

  13:15  warning  Statement allows every action on every resource.  wildcard-permission
    12 |             - Effect: Allow
  > 13 |               Action: '*'
       |               ^^^^^^^^^^^
    help: List the actions the handler calls and the ARNs it touches; SAM policy templates cover the common cases.

  16:15  warning  Statement allows every action on every resource.  wildcard-permission
    15 |             - Effect: Allow
  > 16 |               Action: '*'
       |               ^^^^^^^^^^^
    help: List the actions the handler calls and the ARNs it touches; SAM policy templates cover the common cases.

✖ 4 problems (1 error, 2 warnings, 1 info)
`,
    );
  });

  it('summarises a clean run, singular and plural', () => {
    expect(formatStylish(lintResult([]), { color: false })).toBe('✔ No problems found in 1 template, 1 function\n');
    const stats = { files: 4, templates: 3, functions: 0, durationMs: 1 };
    expect(formatStylish(lintResult([], { stats }), { color: false })).toBe(
      '✔ No problems found in 3 templates, 0 functions\n',
    );
  });

  it('handles CRLF, tabs, long lines, unknown rules and lines out of range without throwing', () => {
    const files: Record<string, string> = {
      '/p/crlf.yaml': 'Resources:\r\n\tFn:\r\n\t\tTimeout: 1200\r\n',
      '/p/min.json': `{"a":"${'x'.repeat(300)}","Timeout":1200,"b":"${'y'.repeat(300)}"}`,
    };
    const reads: string[] = [];
    const readFile = (p: string): string | undefined => {
      reads.push(p);
      return files[p];
    };
    const at = (file: string, line: number, column: number, endColumn: number, ruleId = 'timeout-limit'): Finding => ({
      ...timeoutFinding,
      ruleId,
      related: undefined,
      file: path.posix.basename(file),
      absoluteFile: file,
      line,
      column,
      endLine: line,
      endColumn,
    });
    const out = formatStylish(
      lintResult([
        at('/p/crlf.yaml', 1, 11, 11),
        at('/p/crlf.yaml', 3, 3, 16),
        at('/p/crlf.yaml', 9, 1, 2, 'retired-rule'),
        at('/p/min.json', 1, 309, 323),
        at('/p/gone.yaml', 1, 1, 2),
      ]),
      { color: false, readFile },
    );
    expect(out).toContain(
      `    2 | ${' '.repeat(4)}Fn:
  > 3 | ${' '.repeat(8)}Timeout: 1200
      | ${' '.repeat(8)}^^^^^^^^^^^^^
`,
    );
    expect(out).not.toContain('\r');
    // An empty range just past the end of the line still gets one caret.
    expect(out).toContain('  > 1 | Resources:\n      |           ^\n');
    // A line that does not exist gets no frame, and an unknown rule no help line.
    expect(out).toContain('  9:1   error  Timeout is 1200 s; Lambda stops every function at 900 s.  retired-rule\n\n');
    // A long line is cut to a window around the finding, and the caret stays under it.
    expect(out).toContain(
      `  > 1 | …${'x'.repeat(18)}","Timeout":1200,"b":"${'y'.repeat(100)}…\n      |  ${' '.repeat(20)}^^^^^^^^^^^^^^\n`,
    );
    // An unreadable file: no frame, still the help line.
    expect(out).toMatch(
      /1:1 {2}error {2}Timeout is 1200 s; Lambda stops every function at 900 s\. {2}timeout-limit\n {4}help: /,
    );
    // Each file is read once per call.
    expect(reads).toEqual(['/p/crlf.yaml', '/p/min.json', '/p/gone.yaml']);
  });

  it('colours only when asked, with the same text underneath', () => {
    const plain = formatStylish(RESULT, { color: false });
    const coloured = formatStylish(RESULT, { color: true });
    const esc = String.fromCharCode(27);
    expect(plain).not.toContain(esc);
    expect(coloured).toContain(`${esc}[31m`); // red for the error
    expect(coloured.replace(new RegExp(`${esc}\\[\\d+m`, 'g'), '')).toBe(plain);
  });
});

// --- dispatch -----------------------------------------------------------------------------------

describe('formatResult', () => {
  it('dispatches to every format', () => {
    expect(formats).toEqual(['stylish', 'json', 'sarif', 'github', 'html']);
    const options = { color: false, version: '1.2.3' };
    expect(formatResult(RESULT, 'json', options)).toBe(formatJson(RESULT));
    expect(formatResult(RESULT, 'sarif', options)).toBe(formatSarif(RESULT, { version: '1.2.3' }));
    expect(formatResult(RESULT, 'github', options)).toBe(formatGithub(RESULT));
    expect(formatResult(RESULT, 'stylish', options)).toBe(formatStylish(RESULT, { color: false }));
    expect(formatResult(RESULT, 'html', options)).toBe(formatHtml(RESULT, { version: '1.2.3' }));
  });
});
