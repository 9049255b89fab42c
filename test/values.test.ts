// CloudFormation intrinsic functions: what resolves, what stays symbolic, in short and long form.
import { describe, expect, it } from 'vitest';
import { parseSource, get, entry } from '../src/source/parse.js';
import { CfnResolver, type CfnScope } from '../src/values/cfn.js';

function resolverFor(yaml: string, overrides: Record<string, string> = {}) {
  const parsed = parseSource('/tmp/template.yaml', yaml);
  if (!parsed.ok) throw new Error(parsed.error.message);
  const root = parsed.root;
  const scope: CfnScope = {
    parameters: new Map(),
    conditions: new Map(),
    mappings: get(root, 'Mappings'),
    resources: new Map(),
  };
  for (const e of get(root, 'Parameters')?.entries ?? []) {
    scope.parameters.set(e.key, {
      name: e.key,
      entry: e,
      defaultEntry: entry(e.value, 'Default'),
      override: overrides[e.key],
    });
  }
  for (const e of get(root, 'Conditions')?.entries ?? []) scope.conditions.set(e.key, e.value);
  for (const e of get(root, 'Resources')?.entries ?? []) {
    scope.resources.set(e.key, { id: e.key, type: String(get(e.value, 'Type')?.value), entry: e, node: e.value });
  }
  const r = new CfnResolver(scope);
  const v = (key: string) => get(get(root, 'Values'), key);
  return { r, v };
}

const TEMPLATE = `
Parameters:
  Stage: { Type: String, Default: prod }
  Suffix: { Type: String }
  Subnets: { Type: CommaDelimitedList, Default: "subnet-a, subnet-b" }
Mappings:
  Sizes:
    prod: { Memory: 2048 }
    dev: { Memory: 256 }
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
  IsUnknown: !Equals [!Ref Suffix, x]
  NotProd: !Not [!Condition IsProd]
Resources:
  Queue: { Type: AWS::SQS::Queue }
  Fn: { Type: AWS::Lambda::Function }
Values:
  subShort: !Sub 'orders-\${Stage}'
  subLong: { "Fn::Sub": ["\${Name}-x", { Name: !Ref Stage }] }
  subPseudo: !Sub 'arn:\${AWS::Partition}:sqs:\${AWS::Region}:\${AWS::AccountId}:q'
  subGetAtt: !Sub '\${Queue.Arn}'
  subEscaped: !Sub '\${!Literal}-\${Stage}'
  join: !Join ['-', [a, !Ref Stage, c]]
  joinPartition: !Join ['', ['arn:', !Ref AWS::Partition, ':iam::aws:policy/X']]
  ifKnown: !If [IsProd, 900, 30]
  ifUnknown: !If [IsUnknown, 900, 30]
  ifNot: !If [NotProd, a, b]
  findInMap: !FindInMap [Sizes, !Ref Stage, Memory]
  select: !Select [1, [x, y, z]]
  selectParam: !Select [0, !Ref Subnets]
  getAttShort: !GetAtt Queue.Arn
  getAttLong: { "Fn::GetAtt": [Queue, Arn] }
  refResource: !Ref Fn
  refNoDefault: !Ref Suffix
  importValue: !ImportValue shared-vpc-id
  split: !Split [',', 'a,b,c']
  noValue: !Ref AWS::NoValue
`;

describe('CfnResolver', () => {
  const { r, v } = resolverFor(TEMPLATE);

  it('substitutes parameters with defaults in both !Sub forms', () => {
    expect(r.str(v('subShort')).value).toBe('orders-prod');
    expect(r.str(v('subLong')).value).toBe('prod-x');
    expect(r.str(v('subEscaped')).value).toBe('${Literal}-prod');
  });

  it('keeps pseudo parameters and attributes symbolic, with placeholders', () => {
    expect(r.str(v('subPseudo')).sym?.text).toBe('arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:q');
    expect(r.str(v('subGetAtt')).sym?.text).toBe('${Queue.Arn}');
    expect(r.str(v('joinPartition')).sym?.text).toBe('arn:${AWS::Partition}:iam::aws:policy/X');
  });

  it('joins resolved parts', () => {
    expect(r.str(v('join')).value).toBe('a-prod-c');
  });

  it('evaluates conditions it can decide and leaves the others unknown', () => {
    expect(r.num(v('ifKnown')).value).toBe(900);
    expect(r.str(v('ifNot')).value).toBe('b');
    const unknown = r.num(v('ifUnknown'));
    expect(unknown.value).toBeUndefined();
    expect(unknown.sym?.kind).toBe('condition');
  });

  it('follows FindInMap and Select', () => {
    expect(r.num(v('findInMap')).value).toBe(2048);
    expect(r.str(v('select')).value).toBe('y');
    expect(r.str(v('selectParam')).value).toBe('subnet-a');
  });

  it('names the resource behind GetAtt and Ref, in short and long form', () => {
    for (const key of ['getAttShort', 'getAttLong']) {
      expect(r.str(v(key)).sym).toMatchObject({
        kind: 'getatt',
        key: 'GetAtt:Queue.Arn',
        target: 'Queue',
        attribute: 'Arn',
        resourceType: 'AWS::SQS::Queue',
      });
    }
    expect(r.str(v('refResource')).sym).toMatchObject({
      kind: 'ref',
      target: 'Fn',
      resourceType: 'AWS::Lambda::Function',
    });
  });

  it('never guesses a parameter without default or an import', () => {
    expect(r.str(v('refNoDefault'))).toEqual({ sym: { kind: 'param', key: 'Ref:Suffix', text: '!Ref Suffix' } });
    expect(r.str(v('importValue')).sym?.kind).toBe('import');
  });

  it('reads lists: Split, comma-delimited parameters, AWS::NoValue', () => {
    expect(r.list(v('split')).value?.map((i) => i.value)).toEqual(['a', 'b', 'c']);
    expect(r.str(v('noValue')).absent).toBe(true);
  });

  it('lets a value passed by the user win over the default', () => {
    const withOverride = resolverFor(TEMPLATE, { Stage: 'dev' });
    expect(withOverride.r.num(withOverride.v('findInMap')).value).toBe(256);
    expect(withOverride.r.num(withOverride.v('ifKnown')).value).toBe(30);
  });
});
