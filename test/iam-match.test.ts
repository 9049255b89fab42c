// The matching machinery under evaluate(): the statement index by service prefix (a request looks
// only at the statements whose Action can match its action) and the integer automata that decide
// resource patterns against templates. Every case asserts the exact answer, and for evaluate() the
// exact statements that decided it, in policy order.
import { describe, expect, it } from 'vitest';
import type { Origin, Statement, Symbolic, Val } from '../src/model/types.js';
import { evaluate, type PolicySet, type Request } from '../src/iam/evaluate.js';
import {
  ANY,
  emptyToks,
  included,
  intersects,
  NOC,
  NOS,
  pushClass,
  pushLiteral,
  type Toks,
} from '../src/iam/automaton.js';

const origin: Origin = { via: 'direct' };
const v = (value: string): Val<string> => ({ value, origin });
const sv = (sym: Symbolic): Val<string> => ({ sym, origin });
const expr = (text: string): Val<string> => sv({ kind: 'expr', key: `expr:${text}`, text });

function stmt(
  effect: 'Allow' | 'Deny',
  actions: (string | Val<string>)[] | { not: string[] },
  resources: (string | Val<string>)[] | { not: string[] } = ['*'],
): Statement {
  const s: Statement = { effect, hasCondition: false, origin };
  const val = (x: string | Val<string>) => (typeof x === 'string' ? v(x) : x);
  if (Array.isArray(actions)) s.actions = actions.map(val);
  else s.notActions = actions.not.map(v);
  if (Array.isArray(resources)) s.resources = resources.map(val);
  else s.notResources = resources.not.map(v);
  return s;
}
const ask = (p: PolicySet, action: string, resource: Request['resource'] = '*') => evaluate(p, { action, resource });

// Short lists are scanned, long ones indexed by service prefix (over 16 statements): each case runs
// on the statements alone and again among 20 statements of other services, which never apply.
describe.each([
  ['scanned', 0],
  ['indexed', 10],
])('statements for an action (%s)', (_, pad) => {
  const padding = (from: number) =>
    Array.from({ length: pad }, (_, i) => stmt(i % 2 ? 'Deny' : 'Allow', [`pad${from + i}:*`, `pad${from + i}:Get?`]));
  const set = (...statements: Statement[]): PolicySet => ({
    statements: [...padding(0), ...statements, ...padding(pad)],
    complete: true,
  });

  const sqsSend = stmt('Allow', ['sqs:Send*']);
  const anyS = stmt('Allow', ['s?s:SendMessage']); // a wildcard before the colon: no fixed prefix
  const upper = stmt('Allow', ['SQS:SENDMESSAGE']);
  const everything = stmt('Allow', ['*']);
  const notSqs = stmt('Allow', { not: ['sqs:*'] });
  const p = set(sqsSend, anyS, upper, everything, notSqs);

  it('a request sees every statement that can match its action, in policy order', () => {
    expect(ask(p, 'sqs:SendMessage')).toEqual({ decision: 'allowed', by: [sqsSend, anyS, upper, everything] });
    expect(ask(p, ' SQS:sendMESSAGE ')).toEqual({ decision: 'allowed', by: [sqsSend, anyS, upper, everything] });
    expect(ask(p, 'sns:SendMessage')).toEqual({ decision: 'allowed', by: [anyS, everything, notSqs] });
    expect(ask(p, 'sqs:ReceiveMessage')).toEqual({ decision: 'allowed', by: [everything] });
    expect(ask(p, 'sns:Publish')).toEqual({ decision: 'allowed', by: [everything, notSqs] });
  });

  it('statements of other services never decide, Deny included', () => {
    const snsDeny = stmt('Deny', ['sns:*']);
    const sqsAllow = stmt('Allow', ['sqs:SendMessage']);
    const q = set(snsDeny, sqsAllow);
    expect(ask(q, 'sqs:SendMessage')).toEqual({ decision: 'allowed', by: [sqsAllow] });
    expect(ask(q, 'sns:Publish')).toEqual({ decision: 'denied', by: [snsDeny], reason: 'explicit-deny' });
    expect(ask(q, 's3:GetObject')).toEqual({ decision: 'denied', reason: 'implicit-deny' });
    // A prefix is not a service: sqs:* does not cover sqsx:Send.
    expect(ask(set(stmt('Allow', ['sqs:*'])), 'sqsx:Send')).toEqual({ decision: 'denied', reason: 'implicit-deny' });
  });

  it('NotAction applies to every other service and to the other actions of its own', () => {
    const notSend = stmt('Allow', { not: ['sqs:SendMessage'] });
    const q = set(notSend);
    expect(ask(q, 'sqs:SendMessage')).toEqual({ decision: 'denied', reason: 'implicit-deny' });
    expect(ask(q, 'sqs:DeleteMessage')).toEqual({ decision: 'allowed', by: [notSend] });
    expect(ask(q, 'lambda:InvokeFunction')).toEqual({ decision: 'allowed', by: [notSend] });
    const denyNot = stmt('Deny', { not: ['logs:*'] });
    const all = stmt('Allow', ['*']);
    expect(ask(set(all, denyNot), 'logs:PutLogEvents')).toEqual({ decision: 'allowed', by: [all] });
    expect(ask(set(all, denyNot), 'sqs:SendMessage')).toEqual({
      decision: 'denied',
      by: [denyNot],
      reason: 'explicit-deny',
    });
  });

  it('placeholders and values that do not resolve: unknown where they could match, nothing elsewhere', () => {
    const op = stmt('Allow', ['sqs:${Operation}']);
    const service = stmt('Allow', ['${Service}:SendMessage']);
    const param = stmt('Allow', [sv({ kind: 'param', key: 'Ref:Action', text: '!Ref Action' })]);
    expect(ask(set(op), 'sqs:SendMessage')).toEqual({ decision: 'unknown', uncertain: [op] });
    expect(ask(set(op), 'sns:Publish')).toEqual({ decision: 'denied', reason: 'implicit-deny' });
    expect(ask(set(service), 'sqs:SendMessage')).toEqual({ decision: 'unknown', uncertain: [service] });
    expect(ask(set(service), 'sqs:ReceiveMessage')).toEqual({ decision: 'denied', reason: 'implicit-deny' });
    expect(ask(set(param), 's3:GetObject')).toEqual({ decision: 'unknown', uncertain: [param] });
    // `${*}` is a literal `*`: it fixes no prefix before the colon, and matches only itself.
    const escaped = stmt('Allow', ['sqs${*}:SendMessage']);
    expect(ask(set(escaped), 'sqs*:SendMessage')).toEqual({ decision: 'allowed', by: [escaped] });
    expect(ask(set(escaped), 'sqsx:SendMessage')).toEqual({ decision: 'denied', reason: 'implicit-deny' });
  });

  it('an action without a service prefix, an empty Action list, a list that grows', () => {
    const named = stmt('Allow', ['sqs']);
    const empty = stmt('Allow', []);
    const q = set(named, empty);
    expect(ask(q, 'SQS')).toEqual({ decision: 'allowed', by: [named] });
    expect(ask(q, 'sqs:SendMessage')).toEqual({ decision: 'denied', reason: 'implicit-deny' });
    expect(ask(q, 'pad3:GetX')).toEqual(
      pad
        ? { decision: 'denied', by: [q.statements[3]], reason: 'explicit-deny' }
        : { decision: 'denied', reason: 'implicit-deny' },
    );
    const later = stmt('Allow', ['sqs:SendMessage']);
    q.statements.push(later);
    expect(ask(q, 'sqs:SendMessage', v('arn:aws:sqs:us-east-1:1:q'))).toEqual({ decision: 'allowed', by: [later] });
  });

  it('resources still decide among the statements of the service', () => {
    const other = stmt('Allow', ['sqs:SendMessage'], ['arn:aws:sqs:*:*:other']);
    const mine = stmt('Allow', ['sqs:*'], ['arn:aws:sqs:us-east-?:*:orders']);
    const notMine = stmt('Deny', ['sqs:SendMessage'], { not: ['arn:aws:sqs:*:*:orders'] });
    const q = set(other, mine, notMine);
    expect(ask(q, 'sqs:SendMessage', v('arn:aws:sqs:us-east-1:1:orders'))).toEqual({ decision: 'allowed', by: [mine] });
    expect(ask(q, 'sqs:SendMessage', v('arn:aws:sqs:eu-west-1:1:orders'))).toEqual({
      decision: 'denied',
      reason: 'implicit-deny',
    });
    expect(ask(q, 'sqs:SendMessage', v('arn:aws:sqs:us-east-1:1:other'))).toEqual({
      decision: 'denied',
      by: [notMine],
      reason: 'explicit-deny',
    });
    // A queue of the deployment: only the NotResource Deny could apply, and it cannot tell.
    const queue = sv({
      kind: 'getatt',
      key: 'GetAtt:Queue.Arn',
      text: '!GetAtt Queue.Arn',
      target: 'Queue',
      attribute: 'Arn',
      resourceType: 'AWS::SQS::Queue',
    });
    expect(ask(q, 'sqs:SendMessage', queue)).toEqual({ decision: 'unknown', uncertain: [other, mine, notMine] });
  });
});

describe('resource templates with holes', () => {
  const group = 'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/svc-dev-fn1';
  const put = (pattern: string, resource: string) =>
    ask(
      { statements: [stmt('Allow', ['logs:PutLogEvents'], [pattern])], complete: true },
      'logs:PutLogEvents',
      expr(resource),
    ).decision;

  it('an unknown log stream name is covered by `*`, not by a pattern that pins its start', () => {
    const stream = `${group}:log-stream:\${LogStream}`;
    expect(
      put('arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/svc-dev*:*', stream),
    ).toBe('allowed');
    expect(put('arn:aws:logs:*:*:log-group:/aws/lambda/svc-dev-fn1:log-stream:2026*', stream)).toBe('unknown');
    expect(put('arn:aws:logs:*:*:log-group:/aws/lambda/svc-dev-fn2:*', stream)).toBe('denied');
    // `?` is one character; the stream's name is at least one.
    expect(put('arn:aws:logs:*:*:log-group:/aws/lambda/svc-dev-fn1:log-stream:?*', stream)).toBe('allowed');
    expect(put('arn:aws:logs:*:*:log-group:/aws/lambda/svc-dev-fn1:log-stream:??*', stream)).toBe('unknown');
  });

  it("this deployment's partition, region and account match what the statement has there", () => {
    expect(put('arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/svc-dev-fn1', group)).toBe('allowed');
    expect(put('arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/svc-dev-fn1:*', group)).toBe('denied');
    // A statement placeholder that is not this deployment's: unknown text.
    expect(put('arn:aws:logs:*:*:log-group:/aws/lambda/${aws:username}', group)).toBe('unknown');
    expect(put('arn:aws:logs:*:*:log-group:/other/${aws:username}', group)).toBe('denied');
  });

  it('the head a statement and the request share decides nothing: the answer is that of what follows it', () => {
    const head = 'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:';
    expect(put(`${head}/aws/lambda/svc-dev-fn1:log-stream:*`, `${group}:log-stream:\${LogStream}`)).toBe('allowed');
    expect(put(`${head}/aws/lambda/svc-dev-fn1:log-stream:a*`, `${group}:log-stream:\${LogStream}`)).toBe('unknown');
    expect(put(`${head}/aws/lambda/svc-dev-fn2*`, `${group}:log-stream:\${LogStream}`)).toBe('denied');
    // The env holes after the head still take the statement's text there.
    expect(put(`${head}x:\${AWS::Region}:*`, `${head}x:\${AWS::Region}:y`)).toBe('allowed');
    expect(put(`${head}x:us-east-1:*`, `${head}x:\${AWS::Region}:y`)).toBe('allowed');
    expect(put(`${head}x:us-east-1:z`, `${head}x:\${AWS::Region}:y`)).toBe('denied');
    // A character outside the Basic Multilingual Plane stays in: after one, the automata read
    // nothing more of the request (see below), and the answer stays what it was.
    expect(put(`${head}\u{1F600}:a*`, `${head}\u{1F600}:\${LogStream}`)).toBe('allowed');
    expect(put(`${head}x:a*`, `${head}x:\${LogStream}`)).toBe('unknown');
  });
});

describe('automata (integer tokens)', () => {
  /** Tokens from a compact notation: `*` ANY repeated, `?` ANY once, `%` NOC repeated, `^` NOS repeated, other characters literal. */
  function toks(s: string): Toks {
    const out = emptyToks();
    for (const ch of s) {
      if (ch === '*') pushClass(out, ANY, true);
      else if (ch === '?') pushClass(out, ANY, false);
      else if (ch === '%') pushClass(out, NOC, true);
      else if (ch === '^') pushClass(out, NOS, true);
      else pushLiteral(out, ch);
    }
    return out;
  }

  it('intersects: some string in both', () => {
    expect(intersects(toks('a*b'), toks('axb'))).toBe(true);
    expect(intersects(toks('a%b'), toks('a:b'))).toBe(false); // NOC never holds `:`
    expect(intersects(toks('a^b'), toks('a/b'))).toBe(false);
    expect(intersects(toks('a^b'), toks('a%b'))).toBe(true);
    expect(intersects(toks('?'), toks(''))).toBe(false);
    expect(intersects(toks('*'), toks(''))).toBe(true);
  });

  it('included: every string of the template matched by the pattern', () => {
    expect(included(toks('ab'), toks('a*'))).toBe(true);
    expect(included(toks('a%'), toks('a*'))).toBe(true);
    expect(included(toks('a*'), toks('a%'))).toBe(false); // the template may hold a `:`
    expect(included(toks('a^'), toks('a%'))).toBe(true);
    expect(included(toks('a%'), toks('a^'))).toBe(false); // ... or a `/`
    expect(included(toks('a?%'), toks('a?*'))).toBe(true);
    expect(included(toks('a%'), toks('a?*'))).toBe(false); // the empty name
    expect(included(toks('x%'), toks('x*y'))).toBe(false);
  });

  it('patterns longer than one 32-bit word of positions', () => {
    const long = 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/';
    expect(included(toks(`${long}fn:x`), toks(`${long}*`))).toBe(true);
    expect(included(toks(`${long}fn:%`), toks(`${long}f*:*`))).toBe(true);
    expect(included(toks(`${long}fn:%`), toks(`${long}f*:x*`))).toBe(false);
    expect(included(toks(`${long}fn`), toks(`${long}fm`))).toBe(false);
    expect(intersects(toks(`${long}*`), toks(`${long.replace('logs', 'sqs')}%`))).toBe(false);
  });

  it('a character outside the Basic Multilingual Plane is one token that matches no character', () => {
    const t = emptyToks();
    pushLiteral(t, 'a\u{1F600}');
    expect(t.c.length).toBe(2);
    expect(intersects(toks('a*'), t)).toBe(true); // it meets a class
    expect(intersects(toks('a?'), t)).toBe(true);
    expect(intersects(toks('ab'), t)).toBe(false);
    // Nothing after it is read, so nothing after it can be rejected: a quirk of the string-token
    // version this replaced, kept so that no answer changes.
    expect(included(t, toks('a*'))).toBe(true);
    expect(included(t, toks('a'))).toBe(true);
    expect(included(t, toks('b*'))).toBe(false);
  });
});
