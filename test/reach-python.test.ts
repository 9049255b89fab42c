// The Python call graph walk (src/code/reach-python.ts): which SDK calls a handler reaches through
// the modules of its package, and that the walk's result does not depend on when its files load
// (it goes on synchronously through the files it has, and waits only for the others).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FileFacts } from '../src/code/facts.js';
import { deferredSdkCall, parsePython } from '../src/code/python.js';
import { reachFrom, submoduleFile } from '../src/code/reach-python.js';

type Timing = 'at once' | 'later';

/** Parses an in-memory package under /p and walks from `entry`'s `exportName`; loads settle as `timing` says. */
async function walk(
  files: Record<string, string>,
  entry: string,
  exportName: string,
  timing: Timing,
  maxFiles?: number,
) {
  const parsed = new Map<string, FileFacts>();
  for (const [name, text] of Object.entries(files)) parsed.set(`/p/${name}`, await parsePython(`/p/${name}`, text));
  const isFile = (f: string) => parsed.has(f);
  const loads: string[] = [];
  const r = await reachFrom(parsed.get(`/p/${entry}`)!, exportName, {
    load: (f) => {
      loads.push(path.posix.basename(f));
      const facts = parsed.get(f);
      return timing === 'at once' ? Promise.resolve(facts) : new Promise((ok) => setTimeout(() => ok(facts), 1));
    },
    resolve: (_from, spec) => {
      if (spec.startsWith('.')) return undefined;
      const base = `/p/${spec.replace(/\./g, '/')}`;
      if (isFile(`${base}.py`)) return `${base}.py`;
      if (isFile(`${base}/__init__.py`)) return `${base}/__init__.py`;
      return Object.keys(files).some((n) => `/p/${n}`.startsWith(`${base}/`)) ? null : undefined;
    },
    submodule: (pkg, name) => submoduleFile(pkg, name, isFile),
    deferred: deferredSdkCall,
    ...(maxFiles ? { maxFiles } : {}),
  });
  return {
    calls: r.calls.map((c) => `${c.operation} ${path.posix.basename(c.range.file)}:${c.range.start.line}`),
    files: r.files.map((f) => f.slice(3)),
    unresolved: r.unresolved,
    loads,
  };
}

const PROJECT = {
  'app.py': [
    'from lib import store',
    'from lib.notify import send',
    'import helpers',
    'def handler(event, context):',
    '    store.put(event)',
    '    send("done")',
    '    helpers.record(event)',
    '    return {}',
  ].join('\n'),
  'lib/__init__.py': '',
  'lib/store.py': [
    'import boto3',
    "table = boto3.resource('dynamodb').Table('t')",
    'def put(item):',
    '    table.put_item(Item=item)',
    'def unused(key):',
    '    table.delete_item(Key=key)',
  ].join('\n'),
  'lib/notify.py': [
    'import boto3',
    "sns = boto3.client('sns')",
    'def send(msg):',
    "    sns.publish(TopicArn='arn:aws:sns:us-east-1:1:t', Message=msg)",
  ].join('\n'),
  'helpers/__init__.py': 'from helpers.base import *\nfrom helpers.audit import *',
  'helpers/base.py': 'def other():\n    pass',
  'helpers/audit.py': [
    'import boto3',
    "s3 = boto3.client('s3')",
    'def record(event):',
    "    s3.put_object(Bucket='b', Key='k', Body=b'')",
  ].join('\n'),
};

describe('Python call graph walk', () => {
  it.each<Timing>(['at once', 'later'])(
    'follows submodules, modules and star imports (files loading %s)',
    async (timing) => {
      const r = await walk(PROJECT, 'app.py', 'handler', timing);
      expect(r.calls).toEqual(['PutItem store.py:4', 'Publish notify.py:4', 'PutObject audit.py:4']);
      expect(r.files).toEqual([
        'app.py',
        'lib/__init__.py',
        'lib/store.py',
        'lib/notify.py',
        'helpers/__init__.py',
        'helpers/base.py',
        'helpers/audit.py',
      ]);
      expect(r.loads).toEqual(['__init__.py', 'store.py', 'notify.py', '__init__.py', 'base.py', 'audit.py']);
    },
  );

  it.each<Timing>(['at once', 'later'])('stops loading at maxFiles (files loading %s)', async (timing) => {
    const r = await walk(PROJECT, 'app.py', 'handler', timing, 3);
    expect(r.files).toEqual(['app.py', 'lib/__init__.py', 'lib/store.py']);
    expect(r.calls).toEqual(['PutItem store.py:4']);
  });
});
