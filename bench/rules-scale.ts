// How each rule's time grows with the size of one deployment (issue 18: no rule worse than
// n log n in functions, queues, topics or buckets). Two CloudFormation templates, each loaded by
// the real loader and run through every rule alone:
//   - functions: N functions, each with its role (and a customer managed policy of its own), queue
//     and mapping, topic, bucket, permissions, invoke config (every other one naming its function
//     by literal name), alias and log group;
//   - queues: N queues (and as many mappings, topics, buckets and permissions) shared by N / 100
//     functions, so each function has a hundred of each.
// Times are CPU time of this process (user + system, process.cpuUsage), steadier than wall time on
// a busy machine: of the rule's own check alone (the link step every run starts with has a line of
// its own), after a full garbage collection (its sweep done), the best of RUNS runs, so that what other work or a
// collection of earlier garbage adds is not counted as the rule's (the collections of what the rule
// itself allocates are: on this scale they make a linear rule look up to twice as steep). Each is run at N / 10 too: a
// rule whose time grows more than GROWTH_LIMIT times while the template grows ten times (n log n
// gives about 12.5) is flagged, and so is one over TIME_LIMIT_MS; the link step, the first run of
// all rules and the loader are held to the same growth. The handler code of each function is set
// on the model (what the code analysis would find: a write to its queue, a write to its bucket, a
// publish to its topic), so the code rules run without reading files.
// Run alone: npx tsx bench/rules-scale.ts [N] (default 10000).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { loadProject } from '../src/lint.js';
import { runRules } from '../src/engine/run.js';
import type { AnyRule } from '../src/engine/types.js';
import type { LambdaFunction, Model, SdkCall } from '../src/model/types.js';
import { rules } from '../rules/index.js';

const GROWTH_LIMIT = 25;
const TIME_LIMIT_MS = 1000;
/** Below this at n a rule's time is noise: its growth is not judged. */
const NOISE_MS = 50;
/** The time at n / 10 is taken as at least this, so that a rule near zero there shows no false growth. */
const FLOOR_MS = 5;
/** Runs of each rule at each size; the best counts. */
const RUNS = 5;

type Shape = 'functions' | 'queues';
/** How the lines of what is not a rule begin. */
const STAGE = '(';

const ref = (id: string) => ({ Ref: id });
const arn = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });

/** A CloudFormation template (as an object) of `n` functions, or of `n` queues over n / 100 functions. */
function template(shape: Shape, n: number): Record<string, unknown> {
  const resources: Record<string, unknown> = {};
  const functions = shape === 'functions' ? n : Math.max(1, Math.floor(n / 100));
  for (let f = 0; f < functions; f++) {
    // Every tenth role lacks the logs and the queue actions: findings, as in a real project.
    const complete = f % 10 !== 0;
    resources[`Role${f}`] = {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        },
        Policies: [
          {
            PolicyName: 'run',
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                ...(complete
                  ? [
                      { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' },
                      {
                        Effect: 'Allow',
                        Action: [
                          'sqs:ReceiveMessage',
                          'sqs:DeleteMessage',
                          'sqs:GetQueueAttributes',
                          'sqs:SendMessage',
                        ],
                        Resource: '*',
                      },
                    ]
                  : []),
                { Effect: 'Allow', Action: 's3:PutObject', Resource: { 'Fn::Sub': `\${Bucket${f}.Arn}/*` } },
              ],
            },
          },
        ],
        // X-Ray from a customer managed policy of its own: each role's policy set finds its policy.
        ManagedPolicyArns: [ref(`Traces${f}`)],
      },
    };
    resources[`Traces${f}`] = {
      Type: 'AWS::IAM::ManagedPolicy',
      Properties: {
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' },
          ],
        },
      },
    };
    resources[`Fn${f}`] = {
      Type: 'AWS::Lambda::Function',
      Properties: {
        FunctionName: `fn-${f}`,
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Code: { S3Bucket: 'artifacts', S3Key: `fn${f}.zip` },
        Role: arn(`Role${f}`),
        Timeout: f % 7 === 0 ? 60 : 10,
        MemorySize: 256,
        TracingConfig: { Mode: 'Active' },
        ...(f % 50 === 0 ? { ReservedConcurrentExecutions: 20 } : {}),
        ...(f % 3 === 0 ? { DeadLetterConfig: { TargetArn: arn(`Queue${f * (shape === 'queues' ? 100 : 1)}`) } } : {}),
      },
    };
    resources[`LogGroup${f}`] = { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: `/aws/lambda/fn-${f}` } };
    resources[`Config${f}`] = {
      Type: 'AWS::Lambda::EventInvokeConfig',
      Properties: {
        // Every other one names its function by its literal name: the loader finds it by name.
        FunctionName: f % 2 ? `fn-${f}` : ref(`Fn${f}`),
        Qualifier: '$LATEST',
        MaximumRetryAttempts: 1,
        ...(f % 2 === 0 ? { DestinationConfig: { OnFailure: { Destination: arn(`Topic${f}`) } } } : {}),
      },
    };
    resources[`Alias${f}`] = {
      Type: 'AWS::Lambda::Alias',
      Properties: { FunctionName: ref(`Fn${f}`), FunctionVersion: f % 5 === 0 ? '$LATEST' : '1', Name: 'live' },
    };
  }
  // Queues, topics and buckets: one per function, or N over the functions.
  for (let q = 0; q < n; q++) {
    const f = shape === 'functions' ? q : q % functions;
    resources[`Queue${q}`] = { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: q % 4 === 0 ? 30 : 400 } };
    resources[`Mapping${q}`] = {
      Type: 'AWS::Lambda::EventSourceMapping',
      Properties: { EventSourceArn: arn(`Queue${q}`), FunctionName: ref(`Fn${f}`), BatchSize: 10 },
    };
    resources[`Topic${q}`] = {
      Type: 'AWS::SNS::Topic',
      Properties: { Subscription: [{ Protocol: 'lambda', Endpoint: arn(`Fn${f}`) }] },
    };
    resources[`TopicPermission${q}`] = {
      Type: 'AWS::Lambda::Permission',
      Properties: {
        Action: 'lambda:InvokeFunction',
        FunctionName: ref(`Fn${f}`),
        Principal: 'sns.amazonaws.com',
        SourceArn: ref(`Topic${q}`),
      },
    };
    resources[`Bucket${q}`] = {
      Type: 'AWS::S3::Bucket',
      Properties: {
        NotificationConfiguration: { LambdaConfigurations: [{ Event: 's3:ObjectCreated:*', Function: arn(`Fn${f}`) }] },
      },
    };
    // Every third bucket's permission is missing: invoke-permission findings.
    if (q % 3 !== 0)
      resources[`BucketPermission${q}`] = {
        Type: 'AWS::Lambda::Permission',
        Properties: {
          Action: 'lambda:InvokeFunction',
          FunctionName: arn(`Fn${f}`),
          Principal: 's3.amazonaws.com',
          SourceArn: arn(`Bucket${q}`),
        },
      };
  }
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Parameters: { Stage: { Type: 'String', Default: 'prod' } },
    Resources: resources,
  };
}

/** What the code analysis would find in each handler: a write to a queue, a bucket and a topic of the template. */
function setHandlerCode(model: Model): void {
  const origin = (fn: LambdaFunction): SdkCall['origin'] => fn.origin;
  const target = (id: string, type: string) => ({
    sym: { kind: 'ref' as const, key: `Ref:${id}`, text: `!Ref ${id}`, target: id, resourceType: type },
    origin: { via: 'direct' as const },
  });
  model.functions.forEach((fn, i) => {
    const n = Number(/\d+$/.exec(fn.id)?.[0] ?? i);
    // Every seventh writes to the queue that triggers it (a loop), the others to their neighbour's.
    const queue = `Queue${n % 7 === 0 ? n : n + 1}`;
    const calls: SdkCall[] = [
      {
        sdk: 'js-v3',
        operation: 'SQS.SendMessage',
        actions: ['sqs:SendMessage'],
        resource: {
          ...target(queue, 'AWS::SQS::Queue'),
          sym: { ...target(queue, '').sym, key: `GetAtt:${queue}.Arn` },
        },
        target: target(queue, 'AWS::SQS::Queue'),
        origin: origin(fn),
      },
      {
        sdk: 'js-v3',
        operation: 'S3.PutObject',
        actions: ['s3:PutObject'],
        target: target(`Bucket${n + 1}`, 'AWS::S3::Bucket'),
        origin: origin(fn),
      },
      {
        sdk: 'js-v3',
        operation: 'SNS.Publish',
        actions: ['sns:Publish'],
        target: target(`Topic${n + 1}`, 'AWS::SNS::Topic'),
        origin: origin(fn),
      },
    ];
    fn.handlerCode = { language: 'node', status: 'found', bundled: false, imports: [], sdkCalls: calls };
  });
}

/** Milliseconds of CPU (user + system) this process has used. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

interface Timed {
  ms: number;
  findings: number;
}

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
/**
 * A full garbage collection between timed runs (the flag is set here, so `npx tsx` needs no
 * option), its sweeping finished before the clock starts. V8 sweeps the pages of a full collection
 * on helper threads after the pause, and process.cpuUsage counts every thread: the sweep of the
 * whole heap (about 250 MB at 10,000 functions) went to what was timed next, the link step that
 * every run starts with. Code statistics walk the heap, which waits for the sweep to end. The link
 * step at 10,000 functions, runs of 5 after each kind of collection, alternating, load 10-12:
 * 160-215 ms after the collection alone, 112-153 ms with the statistics after it, 116-153 ms when
 * the process waits after it until its helper threads are idle; the rules' own times are the same
 * in all three (async-failure-destination 97-113 ms). Turning concurrent sweeping off for the
 * collection instead left its sweep to whatever allocated next: 150-180 ms for that rule.
 */
const collect = (): void => {
  gc();
  v8.getHeapCodeStatistics();
};

/** Loads the template of `shape` at size `n` and times each rule alone (the best of RUNS runs). */
function measure(shape: Shape, n: number): { load: number; counts: string; byRule: Map<string, Timed> } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lambdalint-rules-'));
  try {
    fs.writeFileSync(path.join(dir, 'template.json'), JSON.stringify(template(shape, n)));
    const t0 = cpuMs();
    const project = loadProject({ cwd: dir, paths: ['template.json'], maxFileBytes: 1 << 30 });
    const load = cpuMs() - t0;
    const m = project.model;
    setHandlerCode(m);
    const counts = `${m.functions.length} functions, ${m.queues.length} queues, ${m.mappings.length} mappings, ${m.triggers.length} triggers, ${m.permissions.length} permissions`;
    const options = { cwd: dir, today: new Date('2026-11-26'), severities: {}, ruleOptions: {} };
    /** The best of RUNS runs of `rule`'s check (its reports included), or of the link step alone. */
    const time = (rule: AnyRule | undefined): Timed => {
      let spent = 0;
      const timed: AnyRule[] = rule
        ? [
            {
              ...rule,
              check: (context) => {
                const s = cpuMs();
                rule.check(context);
                spent = cpuMs() - s;
              },
            },
          ]
        : [];
      let best = Infinity;
      let findings = 0;
      for (let r = 0; r < RUNS; r++) {
        collect();
        const s = cpuMs();
        findings = runRules(m, timed, options).findings.length;
        best = Math.min(best, rule ? spent : cpuMs() - s);
      }
      return { ms: best, findings };
    };
    // Once with every rule, so that what loads on first use (the AWS managed policy data) is loaded
    // before timing; its time is that of a first run (the link step builds each role's policy set).
    collect();
    const s0 = cpuMs();
    const all = runRules(m, rules, options).findings.length;
    const first = cpuMs() - s0;
    const byRule = new Map<string, Timed>();
    for (const rule of rules) byRule.set(rule.id, time(rule));
    // Not rules, so not held to the time limit, but to the same growth: the link step (which every
    // run starts with, each role's policy set included), the first run of every rule and the loader.
    byRule.set(`${STAGE}link step, in every run)`, time(undefined));
    byRule.set(`${STAGE}every rule, first run)`, { ms: first, findings: all });
    byRule.set(`${STAGE}loading the template)`, { ms: load, findings: 0 });
    return { load, counts, byRule };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export interface RuleScaleResult {
  /** Rules over a bound, as `shape: rule (why)`. */
  over: string[];
  lines: string[];
}

/** Both shapes at `n` and n / 10; prints nothing, returns the lines of the section. */
export function benchRuleScale(n = 10000): RuleScaleResult {
  const lines: string[] = [];
  const over: string[] = [];
  for (const shape of ['functions', 'queues'] as const) {
    const small = measure(shape, Math.floor(n / 10));
    const big = measure(shape, n);
    lines.push(
      `rules on one template of ${n} ${shape} (${big.counts}; loaded in ${big.load.toFixed(0)} ms of CPU), each rule alone (CPU time):`,
    );
    lines.push(
      `  ${'rule'.padEnd(28)} ${'at n/10'.padStart(9)} ${'at n'.padStart(9)} ${'growth'.padStart(7)} findings`,
    );
    for (const [id, t] of big.byRule) {
      const s = small.byRule.get(id)!;
      const growth = t.ms / Math.max(s.ms, FLOOR_MS);
      const judged = t.ms >= NOISE_MS;
      const bad = (t.ms > TIME_LIMIT_MS && !id.startsWith(STAGE)) || (judged && growth > GROWTH_LIMIT);
      if (bad) over.push(`${shape}: ${id} (${t.ms.toFixed(0)} ms, ${growth.toFixed(1)}x for 10x the size)`);
      lines.push(
        `  ${id.padEnd(28)} ${`${s.ms.toFixed(1)} ms`.padStart(9)} ${`${t.ms.toFixed(1)} ms`.padStart(9)} ${(judged ? `${growth.toFixed(1)}x` : '-').padStart(7)} ${String(t.findings).padStart(8)}${bad ? '  OVER' : ''}`,
      );
    }
  }
  lines.push(
    `bound: each rule under ${TIME_LIMIT_MS} ms at n, and each rule and stage (from ${NOISE_MS} ms at n; at least ${FLOOR_MS} ms counted at n/10) growing at most ${GROWTH_LIMIT}x when the template grows 10x (n log n: about 12.5x)`,
  );
  return { over, lines };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const n = Number(process.argv[2] ?? 10000);
  console.log(
    `load average: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const { lines, over } = benchRuleScale(n);
  for (const l of lines) console.log(l);
  console.log(over.length ? `OVER: ${over.join('; ')}` : 'every rule within its bound');
}
