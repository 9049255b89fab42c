// Branches a function's environment rules out (src/code/guard.ts): the conditions the parsers
// record on calls and call-graph edges, decided per function, and never guessed.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FileFacts } from '../src/code/facts.js';
import { isDead } from '../src/code/guard.js';
import { parseJs } from '../src/code/js.js';
import { parsePython } from '../src/code/python.js';
import { reachCalls } from '../src/code/reach.js';
import { FIXTURES, TODAY } from './helpers.js';

/** The operations a one-file JS handler reaches with this environment. */
function jsReach(text: string, env: Record<string, string>) {
  const files = new Map<string, FileFacts>([['/p/h.js', parseJs('/p/h.js', text)]]);
  const r = reachCalls(
    '/p/h.js',
    'handler',
    files,
    () => undefined,
    (k) => env[k],
  );
  return { ops: r.calls.map((c) => c.operation), dead: r.dead };
}

const JS_CLIENT =
  "import { SSMClient, GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';\nconst ssm = new SSMClient({});\n";

describe('JS/TS branches on environment variables', () => {
  const cases: [string, string, Record<string, string>, string[]][] = [
    [
      '=== on process.env',
      "if (process.env.MODE === 'ssm') await ssm.send(new GetParameterCommand({ Name: 'a' }));",
      { MODE: 'env' },
      [],
    ],
    [
      '=== taken',
      "if (process.env.MODE === 'ssm') await ssm.send(new GetParameterCommand({ Name: 'a' }));",
      { MODE: 'ssm' },
      ['GetParameter'],
    ],
    [
      'else branch',
      "if (process.env.MODE !== 'ssm') {} else await ssm.send(new GetParameterCommand({ Name: 'a' }));",
      { MODE: 'env' },
      [],
    ],
    [
      'startsWith, negated',
      "const url = process.env.URL;\nif (!url.startsWith('https://')) await ssm.send(new GetParameterCommand({ Name: url }));",
      { URL: 'https://x' },
      [],
    ],
    [
      'destructured, toLowerCase',
      "const { MODE: mode } = process.env;\nif (mode.toLowerCase() === 'ssm') await ssm.send(new GetParameterCommand({ Name: 'a' }));",
      { MODE: 'SSM' },
      ['GetParameter'],
    ],
    [
      'array includes',
      "if (['a', 'b'].includes(process.env.MODE)) await ssm.send(new GetParameterCommand({ Name: 'a' }));",
      { MODE: 'c' },
      [],
    ],
    [
      '&& short circuit',
      "process.env.WRITE && (await ssm.send(new PutParameterCommand({ Name: 'a' })));",
      { WRITE: '' },
      [],
    ],
    [
      '|| short circuit',
      "process.env.CACHED || (await ssm.send(new GetParameterCommand({ Name: 'a' })));",
      { CACHED: 'yes' },
      [],
    ],
    [
      '?? with a value set',
      "const v = process.env.VALUE ?? (await ssm.send(new GetParameterCommand({ Name: 'a' })));",
      { VALUE: 'x' },
      [],
    ],
    [
      'ternary',
      "const v = process.env.MODE === 'ssm' ? await ssm.send(new GetParameterCommand({ Name: 'a' })) : 1;",
      { MODE: 'env' },
      [],
    ],
    [
      'and of two, one unknown',
      "if (process.env.A === 'x' && process.env.B === 'y') await ssm.send(new GetParameterCommand({ Name: 'a' }));",
      { B: 'z' },
      [],
    ],
    [
      'or of two, one unknown',
      "if (process.env.A === 'x' || process.env.B === 'y') await ssm.send(new GetParameterCommand({ Name: 'a' }));",
      { B: 'z' },
      ['GetParameter'],
    ],
    [
      'variable not set for the function: unknown',
      "if (process.env.MODE === 'ssm') await ssm.send(new GetParameterCommand({ Name: 'a' }));",
      {},
      ['GetParameter'],
    ],
    [
      'a test not understood',
      "if (process.env.MODE.length > 3) await ssm.send(new GetParameterCommand({ Name: 'a' }));",
      { MODE: 'x' },
      ['GetParameter'],
    ],
    [
      'let assigned again before the test',
      "let m = process.env.MODE;\nm = 'ssm';\nif (m === 'ssm') await ssm.send(new GetParameterCommand({ Name: 'a' }));",
      { MODE: 'env' },
      ['GetParameter'],
    ],
    [
      'let assigned in the branch, after the test',
      "let url = process.env.URL;\nif (!url.startsWith('https://')) { url = (await ssm.send(new GetParameterCommand({ Name: url }))).Parameter.Value; }",
      { URL: 'https://x' },
      [],
    ],
    [
      'assigned later in a loop around the test',
      "let m = process.env.MODE;\nfor (const x of [1, 2]) { if (m === 'ssm') await ssm.send(new GetParameterCommand({ Name: 'a' })); m = 'ssm'; }",
      { MODE: 'env' },
      ['GetParameter'],
    ],
    [
      'a name declared twice',
      "const m = process.env.MODE;\nfunction f(m) { return m; }\nif (m === 'ssm') await ssm.send(new GetParameterCommand({ Name: 'a' }));",
      { MODE: 'env' },
      ['GetParameter'],
    ],
  ];
  for (const [name, body, env, ops] of cases) {
    it(name, () => {
      const r = jsReach(`${JS_CLIENT}export const handler = async () => {\n${body}\n};`, env);
      expect(r.ops).toEqual(ops);
    });
  }

  it('follows a module constant into the function that tests it, and skips the edge to a helper', () => {
    const text = [
      JS_CLIENT,
      'const SOURCE = process.env.SOURCE;',
      "const fetchRemote = () => ssm.send(new GetParameterCommand({ Name: 'cfg' }));",
      'export const handler = async () => {',
      "  if (SOURCE === 'remote') return fetchRemote();",
      '  return {};',
      '};',
    ].join('\n');
    expect(jsReach(text, { SOURCE: 'local' })).toEqual({ ops: [], dead: true });
    expect(jsReach(text, { SOURCE: 'remote' })).toEqual({ ops: ['GetParameter'], dead: false });
  });
});

describe('Python branches on environment variables', () => {
  /** Whether the one SDK call (or the one edge to `decrypt`) of the file is dead with this environment. */
  async function deadIn(text: string, env: Record<string, string>): Promise<boolean> {
    const f = await parsePython('/p/h.py', text);
    const guards = [
      ...f.calls.map((c) => c.guard),
      ...[...f.units!.values()].flatMap((u) =>
        u.refs.filter((r) => 'local' in r && r.local === 'decrypt').map((r) => r.guard),
      ),
    ];
    expect(guards.length).toBe(1);
    return isDead(guards[0], (k) => env[k]);
  }
  const head = 'import os\nimport boto3\nkms = boto3.client("kms")\n';

  it('a local bound from os.environ, reassigned inside the branch (the notify-slack shape)', async () => {
    const text = `${head}def decrypt(v):\n    return v\n\ndef send():\n    url = os.environ["URL"]\n    if not url.startswith("http"):\n        url = decrypt(url)\n    return url\n`;
    expect(await deadIn(text, { URL: 'https://hooks.example.org/x' })).toBe(true);
    expect(await deadIn(text, { URL: 'AQICAH==' })).toBe(false);
    expect(await deadIn(text, {})).toBe(false);
  });

  it('a module constant, os.environ.get, ==, in, elif and else', async () => {
    const mk = (cond: string, where = 'if') =>
      `${head}MODE = os.environ.get("MODE", "off").lower()\n\ndef run():\n    if MODE == "zzz":\n        pass\n    ${where === 'else' ? 'else' : `elif ${cond}`}:\n        kms.decrypt(CiphertextBlob=b"")\n`;
    expect(await deadIn(mk('MODE == "kms"'), { MODE: 'KMS' })).toBe(false);
    expect(await deadIn(mk('MODE == "kms"'), { MODE: 'off' })).toBe(true);
    expect(await deadIn(mk('MODE in ("kms", "both")'), { MODE: 'none' })).toBe(true);
    expect(await deadIn(mk('', 'else'), { MODE: 'zzz' })).toBe(true);
    expect(await deadIn(mk('', 'else'), { MODE: 'kms' })).toBe(false);
  });

  it('os.getenv truthiness, is None, "X" in os.environ, and/or', async () => {
    const mk = (cond: string) => `${head}def run():\n    if ${cond}:\n        kms.decrypt(CiphertextBlob=b"")\n`;
    expect(await deadIn(mk('os.getenv("KEY_ID")'), { KEY_ID: '' })).toBe(true);
    expect(await deadIn(mk('os.environ.get("KEY_ID") is None'), { KEY_ID: 'k' })).toBe(true);
    expect(await deadIn(mk('"KEY_ID" not in os.environ'), { KEY_ID: 'k' })).toBe(true);
    expect(await deadIn(mk('"KEY_ID" in os.environ'), {})).toBe(false);
    expect(await deadIn(mk('os.environ["A"] == "1" or os.environ["B"] == "1"'), { A: '0' })).toBe(false);
    expect(await deadIn(mk('os.environ["A"] == "1" and os.environ["B"] == "1"'), { A: '0' })).toBe(true);
  });

  it('a name made global, or bound in a loop after the test, is not known', async () => {
    const globalText = `${head}URL = os.environ["URL"]\n\ndef reset():\n    global URL\n    URL = "x"\n\ndef run():\n    if not URL.startswith("http"):\n        kms.decrypt(CiphertextBlob=URL)\n`;
    expect(await deadIn(globalText, { URL: 'https://x' })).toBe(false);
    const loopText = `${head}def run(items):\n    url = os.environ["URL"]\n    for i in items:\n        if not url.startswith("http"):\n            kms.decrypt(CiphertextBlob=url)\n        url = i\n`;
    expect(await deadIn(loopText, { URL: 'https://x' })).toBe(false);
  });
});

describe('--verbose counts the calls skipped per function', () => {
  it('names each function whose environment rules out a branch, with the count', async () => {
    const { lint } = await import('../src/lint.js');
    const cwd = path.join(FIXTURES, 'sdk-permission', 'positive', 'serverless-env-guard-settings-source');
    const result = await lint({ cwd, today: TODAY });
    expect(result.notes.filter((n) => n.includes('handler code reaches'))).toEqual([
      'serverless.yml: api: handler code reaches 1 SDK call, 1 mapped to IAM actions; 0 not resolved; 2 in branches its environment variables rule out, not charged',
      'serverless.yml: worker: handler code reaches 2 SDK calls, 2 mapped to IAM actions; 0 not resolved; 1 in branches its environment variables rule out, not charged',
      'serverless.yml: report: handler code reaches 1 SDK call, 1 mapped to IAM actions; 0 not resolved',
    ]);
    const py = path.join(FIXTURES, 'sdk-permission', 'positive', 'terraform-python-env-guard-per-function');
    const notes = (await lint({ cwd: py, today: TODAY })).notes.filter((n) => n.includes('handler code reaches'));
    expect(notes).toContain(
      'main.tf: module.billing_alerts.aws_lambda_function.this: handler code reaches 0 SDK calls, 0 mapped to IAM actions; 0 not resolved; 1 in branches its environment variables rule out, not charged',
    );
    expect(notes).toContain(
      'main.tf: module.ops_alerts.aws_lambda_function.this: handler code reaches 1 SDK call, 1 mapped to IAM actions; 0 not resolved',
    );
  });
});
