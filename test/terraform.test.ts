// The Terraform loader: values (variables, tfvars, locals, templates, functions, references,
// policy documents, count / for_each, local modules), exact locations, and syntax errors.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lint, loadProject, loadTerraformDirs } from '../src/lint.js';
import type { Model, SourceRange } from '../src/model/types.js';
import { TODAY } from './helpers.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lambdalint-tf-'));
  dirs.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

async function load(files: Record<string, string>): Promise<{ model: Model; dir: string; notes: string[] }> {
  const dir = project(files);
  const p = loadProject({ cwd: dir });
  await loadTerraformDirs(p, { cwd: dir });
  expect(p.parseErrors).toEqual([]);
  return { model: p.model, dir, notes: p.notes };
}

/** `line:column-line:column` of a range, for compact assertions. */
function at(r: SourceRange | undefined): string {
  return r ? `${path.basename(r.file)}:${r.start.line}:${r.start.column}-${r.end.line}:${r.end.column}` : 'none';
}

/** The range of the first `needle` in `text` (after `after`, when given), as `at()` prints it. */
function locate(file: string, text: string, needle: string, after = ''): string {
  const i = text.indexOf(needle, after ? text.indexOf(after) : 0);
  if (i < 0) throw new Error(`not found: ${needle}`);
  const pos = (o: number) => {
    const before = text.slice(0, o).split('\n');
    return `${before.length}:${before[before.length - 1].length + 1}`;
  };
  return `${file}:${pos(i)}-${pos(i + needle.length)}`;
}

const ROLE = `
resource "aws_iam_role" "fn" {
  name               = "fn-role"
  assume_role_policy = "{}"
}
`;

describe('values', () => {
  it('takes variables from defaults, terraform.tfvars and *.auto.tfvars, in that order', async () => {
    const main = `variable "timeout" {\n  default = 30\n}\nvariable "memory" {\n  default = 256\n}\nvariable "name" {\n  default = "a"\n}\n${ROLE}
resource "aws_lambda_function" "f" {
  function_name = "fn-\${var.name}"
  role          = aws_iam_role.fn.arn
  timeout       = var.timeout
  memory_size   = var.memory
}
`;
    const { model } = await load({
      'main.tf': main,
      'terraform.tfvars': 'timeout = 60\nname = "b"\n',
      'z.auto.tfvars': 'name = "c"\n',
    });
    const fn = model.functions[0];
    expect(fn.id).toBe('aws_lambda_function.f');
    expect(fn.framework).toBe('terraform');
    expect(fn.timeout?.value).toBe(60);
    expect(at(fn.timeout?.origin.range)).toBe(locate('main.tf', main, 'timeout       = var.timeout'));
    expect(fn.timeout?.origin.also?.message).toBe('var.timeout set in terraform.tfvars');
    expect(at(fn.timeout?.origin.also?.range)).toBe('terraform.tfvars:1:1-1:13');
    expect(fn.memorySize?.value).toBe(256);
    expect(fn.memorySize?.origin.also?.message).toBe('default of var.memory');
    expect(fn.name?.value).toBe('fn-c');
  });

  it('resolves locals, format, join, merge, lookup and conditionals, and keeps the unknown symbolic', async () => {
    const { model } = await load({
      'main.tf': `variable "stage" {\n  default = "dev"\n}\nvariable "subnets" {\n  type = list(string)\n}\n${ROLE}
locals {
  sizes  = { dev = 512, prod = 2048 }
  prefix = format("%s-%s", "orders", var.stage)
  big    = var.stage == "prod"
}
resource "aws_lambda_function" "f" {
  function_name = join("-", [local.prefix, "api"])
  role          = aws_iam_role.fn.arn
  memory_size   = lookup(local.sizes, var.stage, 128)
  timeout       = true ? 10 : 20
  handler       = local.big ? "a" : "b"
  vpc_config {
    subnet_ids         = var.subnets
    security_group_ids = ["sg-1", aws_security_group.s.id]
  }
}
resource "aws_security_group" "s" {
  name = "s"
}
`,
    });
    const fn = model.functions[0];
    expect(fn.name?.value).toBe('orders-dev-api');
    expect(fn.memorySize?.value).toBe(512);
    expect(fn.timeout?.value).toBe(10);
    expect(fn.handler?.value).toBe('b');
    expect(fn.vpc?.subnetIds?.value).toBeUndefined();
    expect(fn.vpc?.subnetIds?.sym?.key).toBe('var.subnets');
    expect(fn.vpc?.securityGroupIds?.value?.map((v) => v.value ?? v.sym?.key)).toEqual([
      'sg-1',
      'aws_security_group.s.id',
    ]);
    expect(fn.vpc?.securityGroupIds?.value?.[1].sym).toMatchObject({
      kind: 'getatt',
      target: 'aws_security_group.s',
      attribute: 'id',
      resourceType: 'aws_security_group',
    });
  });

  it('lets try() skip only what Terraform itself fails on; split, basename, replace, trimsuffix, keys', async () => {
    const { model } = await load({
      'main.tf': `variable "source_path" {\n  default = null\n}\nvariable "custom_path" {\n  default = "../functions/digest.py"\n}\n${ROLE}
resource "aws_kms_key" "k" {}
locals {
  default_handler = try(split(".", basename(var.source_path))[0], "notify")
  custom_handler  = try(split(".", basename(var.custom_path))[0], "notify")
  cannot_tell     = try(regex("^(.*)$", var.custom_path)[0], "notify")
  env             = { B = "2", A = "1" }
  with_key        = aws_kms_key.k.arn != "" ? "kms" : "plain"
}
resource "aws_lambda_function" "f" {
  for_each      = toset(["a", "b", "c", "d", "e"])
  function_name = each.key
  role          = aws_iam_role.fn.arn
  handler = {
    a = "\${local.default_handler}.handler"
    b = "\${local.custom_handler}.handler"
    c = local.cannot_tell
    d = replace(trimsuffix("logs_writer.py", ".py"), "_", "-")
    e = "\${join("+", keys(local.env))}-\${local.with_key}"
  }[each.key]
}
`,
    });
    expect(model.functions.map((f) => f.handler?.value ?? f.handler?.sym?.text)).toEqual([
      'notify.handler',
      'digest.handler',
      'an unknown value',
      'logs-writer',
      'A+B-kms',
    ]);
  });

  it('turns references between resources into symbols with their target and type', async () => {
    const { model } = await load({
      'main.tf': `${ROLE}
resource "aws_sqs_queue" "q" {
  name = "jobs"
}
resource "aws_lambda_function" "f" {
  function_name = "worker"
  role          = aws_iam_role.fn.arn
}
resource "aws_lambda_event_source_mapping" "m" {
  event_source_arn = aws_sqs_queue.q.arn
  function_name    = aws_lambda_function.f.arn
}
`,
    });
    const m = model.mappings[0];
    expect(m.kind).toBe('sqs');
    expect(m.source?.sym).toEqual({
      kind: 'getatt',
      key: 'aws_sqs_queue.q.arn',
      text: 'aws_sqs_queue.q.arn',
      target: 'aws_sqs_queue.q',
      attribute: 'arn',
      resourceType: 'aws_sqs_queue',
    });
    expect(m.target).toMatchObject({ functionId: 'aws_lambda_function.f', qualifier: 'unqualified' });
    expect(model.functions[0].role.roleId).toBe('aws_iam_role.fn');
    expect(model.resourceTypes.get(model.deployments[0])?.get('aws_sqs_queue.q')).toBe('aws_sqs_queue');
  });

  it('counts columns in UTF-16 code units after non-ASCII text', async () => {
    const { model } = await load({
      'main.tf': `${ROLE}
resource "aws_lambda_function" "f" {
  function_name = "f"
  role          = aws_iam_role.fn.arn
  environment {
    variables = { GREETING = "héllo😀", MODE = "fast" }
  }
}
`,
    });
    const mode = model.functions[0].environment.MODE;
    const line = '    variables = { GREETING = "héllo😀", MODE = "fast" }';
    const col = line.indexOf('"fast"') + 1;
    expect(mode.value).toBe('fast');
    expect(mode.origin.range?.start).toEqual({ line: 11, column: col });
    expect(mode.origin.range?.end).toEqual({ line: 11, column: col + 6 });
    // The byte offset differs by 3 (é is 2 bytes, 😀 is 4 bytes but 2 UTF-16 units): columns are not bytes.
    expect(Buffer.byteLength(line.slice(0, col - 1))).toBe(col - 1 + 3);
  });
});

describe('policies', () => {
  it('reads jsonencode statements with a range per action', async () => {
    const main = `${ROLE}
resource "aws_iam_role_policy" "p" {
  role = aws_iam_role.fn.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["sqs:ReceiveMessage", "sqs:DeleteMessage"]
      Resource = "\${aws_sqs_queue.q.arn}"
    }]
  })
}
resource "aws_sqs_queue" "q" {}
`;
    const { model } = await load({ 'main.tf': main });
    const role = model.roles[0];
    expect(role.inline).toHaveLength(1);
    const st = role.inline[0].statements[0];
    expect(st.actions?.map((a) => a.value)).toEqual(['sqs:ReceiveMessage', 'sqs:DeleteMessage']);
    expect(at(st.actions?.[1].origin.range)).toBe(locate('main.tf', main, '"sqs:DeleteMessage"'));
    expect(st.resources?.[0].sym).toMatchObject({ target: 'aws_sqs_queue.q', resourceType: 'aws_sqs_queue' });
    expect(role.inline[0].complete).toBe(true);
  });

  it('merges aws_iam_policy_document source and override documents by sid', async () => {
    const { model } = await load({
      'main.tf': `${ROLE}
data "aws_iam_policy_document" "base" {
  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream"]
    resources = ["*"]
  }
  statement {
    sid       = "Read"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::b/*"]
  }
}
data "aws_iam_policy_document" "extra" {
  statement {
    sid       = "Read"
    actions   = ["s3:GetObject", "s3:ListBucket"]
    resources = ["*"]
  }
}
data "aws_iam_policy_document" "all" {
  source_policy_documents   = [data.aws_iam_policy_document.base.json]
  override_policy_documents = [data.aws_iam_policy_document.extra.json]
  statement {
    effect    = "Deny"
    actions   = ["s3:DeleteObject"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "aws:username"
      values   = ["x"]
    }
  }
}
resource "aws_iam_role_policy" "p" {
  role   = aws_iam_role.fn.name
  policy = data.aws_iam_policy_document.all.json
}
`,
    });
    const sts = model.roles[0].inline[0].statements;
    expect(sts.map((s) => [s.effect, s.actions?.map((a) => a.value).join(','), s.hasCondition])).toEqual([
      ['Allow', 'logs:CreateLogStream', false],
      ['Allow', 's3:GetObject,s3:ListBucket', false],
      ['Deny', 's3:DeleteObject', true],
    ]);
    expect(at(sts[1].origin.range)).toBe('main.tf:20:3-20:12');
  });

  it('reads a policy from file() with ranges in the JSON file, and from a heredoc', async () => {
    const { model, dir } = await load({
      'main.tf': `${ROLE}
resource "aws_iam_policy" "a" {
  policy = file("\${path.module}/policy.json")
}
resource "aws_iam_policy" "b" {
  policy = <<EOF
{"Statement": [{"Effect": "Allow", "Action": "xray:PutTraceSegments", "Resource": "*"}]}
EOF
}
resource "aws_iam_role_policy_attachment" "a" {
  role       = "fn-role"
  policy_arn = aws_iam_policy.a.arn
}
`,
      'policy.json':
        '{\n  "Statement": [\n    { "Effect": "Allow", "Action": ["logs:PutLogEvents"], "Resource": "*" }\n  ]\n}\n',
    });
    const [a, b] = model.managedPolicies;
    expect(a.id).toBe('aws_iam_policy.a');
    expect(at(a.document.statements[0].actions?.[0].origin.range)).toBe('policy.json:3:37-3:56');
    expect(at(b.document.statements[0].actions?.[0].origin.range)).toBe(
      locate('main.tf', fs.readFileSync(path.join(dir, 'main.tf'), 'utf8'), '"xray:PutTraceSegments"'),
    );
    // Attached by the role's name.
    expect(model.roles[0].managedPolicyIds).toEqual(['aws_iam_policy.a']);
  });

  it('treats every role as incomplete when a policy goes to a role it cannot identify', async () => {
    const { model } = await load({
      'main.tf': `variable "role_name" {}\n${ROLE}
resource "aws_iam_role_policy_attachment" "x" {
  role       = var.role_name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
`,
    });
    expect(model.roles[0].complete).toBe(false);
  });
});

describe('instances and modules', () => {
  it('evaluates operators over known values only', async () => {
    const { model } = await load({
      'main.tf': `variable "n" {\n  default = 3\n}\nvariable "u" {}\n${ROLE}
resource "aws_lambda_function" "f" {
  function_name = "f"
  role          = aws_iam_role.fn.arn
  timeout       = var.n * 100 + 5
  memory_size   = var.u * 2
  reserved_concurrent_executions = !(var.n > 2) ? 1 : -1 * 2
  publish       = var.u != null || true
}
`,
    });
    const fn = model.functions[0];
    expect(fn.timeout?.value).toBe(305);
    expect(fn.memorySize?.value).toBeUndefined();
    expect(fn.reservedConcurrency?.value).toBe(-2);
    expect(fn.meta.publish).toBe('true');
  });

  it('drops count = 0 and makes one function per for_each key', async () => {
    const { model } = await load({
      'main.tf': `variable "enabled" {\n  default = false\n}\n${ROLE}
resource "aws_lambda_function" "off" {
  count         = var.enabled ? 1 : 0
  function_name = "off"
  role          = aws_iam_role.fn.arn
}
resource "aws_lambda_function" "each" {
  for_each      = { small = 128, large = 4096 }
  function_name = "fn-\${each.key}"
  memory_size   = each.value
  role          = aws_iam_role.fn.arn
}
resource "aws_lambda_permission" "p" {
  function_name = aws_lambda_function.each["large"].arn
  principal     = "events.amazonaws.com"
}
`,
    });
    expect(model.permissions[0].target).toMatchObject({
      functionId: 'aws_lambda_function.each["large"]',
      qualifier: 'unqualified',
    });
    expect(model.functions.map((f) => [f.id, f.name?.value, f.memorySize?.value])).toEqual([
      ['aws_lambda_function.each["small"]', 'fn-small', 128],
      ['aws_lambda_function.each["large"]', 'fn-large', 4096],
    ]);
  });

  it('expands dynamic blocks over known collections and leaves unknown ones unknown', async () => {
    const { model } = await load({
      'main.tf': `variable "dlq_arn" {\n  default = null\n}\nvariable "subnets" {}\n${ROLE}
resource "aws_lambda_function" "f" {
  function_name = "f"
  role          = aws_iam_role.fn.arn
  dynamic "dead_letter_config" {
    for_each = var.dlq_arn == null ? [] : [var.dlq_arn]
    content {
      target_arn = dead_letter_config.value
    }
  }
  dynamic "tracing_config" {
    for_each = ["Active"]
    iterator = t
    content {
      mode = t.value
    }
  }
  dynamic "logging_config" {
    for_each = var.subnets == null ? [] : [1]
    content {
      log_group = "/custom"
    }
  }
  dynamic "ephemeral_storage" {
    for_each = var.subnets == null ? [] : [1]
    content {
      size = 20480
    }
  }
  dynamic "vpc_config" {
    for_each = var.subnets
    content {
      subnet_ids = vpc_config.value
    }
  }
}
`,
    });
    const fn = model.functions[0];
    // for_each = [] (var.dlq_arn is null): no dead-letter queue at all.
    expect(fn.deadLetter).toBeUndefined();
    expect(fn.tracing?.value).toBe('Active');
    // var.subnets has no value: whether the blocks exist is unknown. The storage size stays unknown;
    // the log group is the one the block names (only the group written to depends on it).
    expect(fn.ephemeralStorage?.value).toBeUndefined();
    expect(fn.ephemeralStorage?.sym?.kind).toBe('param');
    expect(fn.logGroup).toMatchObject({ value: '/custom', origin: { note: 'set in a dynamic logging_config block' } });
    expect(fn.vpc?.subnetIds?.value).toBeUndefined();
    expect(fn.vpc?.securityGroupIds?.sym).toBeDefined();
  });

  it('follows local modules with their inputs and prefixes ids; remote modules stay unknown', async () => {
    const { model, notes } = await load({
      'main.tf': `module "api" {
  source  = "./modules/fn"
  timeout = 1000
}
module "remote" {
  source  = "example-org/function/aws"
  timeout = 2000
}
resource "aws_lambda_permission" "p" {
  function_name = module.api.name
  principal     = "s3.amazonaws.com"
}
`,
      'modules/fn/main.tf': `variable "timeout" {\n  default = 3\n}\n${ROLE}
resource "aws_lambda_function" "this" {
  function_name = "api"
  role          = aws_iam_role.fn.arn
  timeout       = var.timeout
}
output "name" {
  value = aws_lambda_function.this.function_name
}
`,
    });
    expect(model.deployments).toHaveLength(1);
    const fn = model.functions[0];
    expect(model.functions).toHaveLength(1);
    expect(fn.id).toBe('module.api.aws_lambda_function.this');
    expect(fn.role.roleId).toBe('module.api.aws_iam_role.fn');
    expect(fn.timeout?.value).toBe(1000);
    expect(fn.timeout?.origin.via).toBe('module');
    expect(at(fn.timeout?.origin.range)).toBe('main.tf:13:3-13:30');
    expect(at(fn.timeout?.origin.also?.range)).toBe('main.tf:3:3-3:17');
    expect(model.permissions[0].target).toMatchObject({
      functionId: 'module.api.aws_lambda_function.this',
      qualifier: 'unqualified',
    });
    expect(notes.some((n) => n.includes('module remote (example-org/function/aws) is not a local module'))).toBe(true);
  });

  it('reports findings inside a module outside the linted folder at the call, and at the input that set the value', async () => {
    const dir = project({
      'envs/prod/main.tf': `module "api" {
  source  = "../../modules/fn"
  timeout = 1000
}
module "worker" {
  source = "../../modules/fn"
}
`,
      'modules/fn/main.tf': `variable "timeout" {\n  default = 1200\n}\n${ROLE}
resource "aws_lambda_function" "this" {
  function_name = "api"
  role          = aws_iam_role.fn.arn
  runtime       = "nodejs22.x"
  handler       = "index.handler"
  s3_bucket     = "b"
  s3_key        = "k"
  timeout       = var.timeout
}
`,
    });
    const r = await lint({ cwd: path.join(dir, 'envs', 'prod'), today: TODAY, rules: { 'logs-permission': 'off' } });
    const t = r.findings.filter((f) => f.ruleId === 'timeout-limit');
    expect(t.map((f) => [f.file, f.line, f.column, f.message, f.related?.[0]])).toEqual([
      [
        'main.tf',
        3,
        3,
        'Timeout is 1000 s; Lambda stops every function at 900 s.',
        expect.objectContaining({
          file: '../../modules/fn/main.tf',
          line: 17,
          column: 3,
          message: 'inside module.api',
        }),
      ],
      [
        'main.tf',
        5,
        1,
        'Timeout is 1200 s; Lambda stops every function at 900 s.',
        expect.objectContaining({
          file: '../../modules/fn/main.tf',
          line: 17,
          column: 3,
          message: 'inside module.worker',
        }),
      ],
    ]);
    expect(r.notes.filter((n) => n.includes('outside the project'))).toEqual([]);
  });

  it('reads API Gateway integrations: REST and v2, invoke_arn or spelled-out URI, protocol, timeout, asynchronous header', async () => {
    const fixture = path.join(
      import.meta.dirname,
      '..',
      'fixtures',
      'api-gateway-timeout',
      'negative',
      'terraform-http-api-raised-within',
      'main.tf',
    );
    const { model } = await load({
      'main.tf':
        fs.readFileSync(fixture, 'utf8') +
        '\nresource "aws_apigatewayv2_api" "ws" {\n  name = "ws"\n  protocol_type = "WEBSOCKET"\n}\nresource "aws_apigatewayv2_integration" "ws" {\n  api_id = aws_apigatewayv2_api.ws.id\n  integration_type = "AWS_PROXY"\n  integration_uri = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/${aws_lambda_function.orders.arn}/invocations"\n  timeout_milliseconds = 5000\n}\n',
    });
    expect(
      model.triggers.map((t) => [
        t.id,
        t.kind,
        t.target.functionId,
        t.target.qualifier,
        t.integrationTimeout?.value,
        t.asyncInvocation ?? false,
      ]),
    ).toEqual([
      ['aws_api_gateway_integration.import', 'api', 'aws_lambda_function.import', 'unqualified', undefined, true],
      [
        'aws_apigatewayv2_integration.orders',
        'http-api',
        'aws_lambda_function.orders',
        'unqualified',
        undefined,
        false,
      ],
      ['aws_apigatewayv2_integration.ws', 'websocket', 'aws_lambda_function.orders', 'unqualified', 5000, false],
    ]);
  });

  it('records what triggers a function and whether a filter narrows it (recursive-trigger)', async () => {
    const { model } = await load({
      'main.tf': `${ROLE}
resource "aws_lambda_function" "fn" {
  function_name = "fn"
  role          = aws_iam_role.fn.arn
}
resource "aws_sqs_queue" "q" {}
resource "aws_s3_bucket" "b" {}
resource "aws_lambda_event_source_mapping" "plain" {
  event_source_arn = aws_sqs_queue.q.arn
  function_name    = aws_lambda_function.fn.arn
}
resource "aws_lambda_event_source_mapping" "filtered" {
  event_source_arn = aws_sqs_queue.q.arn
  function_name    = aws_lambda_function.fn.arn
  filter_criteria {
    filter {
      pattern = jsonencode({ body = { kind = ["order"] } })
    }
  }
}
resource "aws_s3_bucket_notification" "n" {
  bucket = aws_s3_bucket.b.id
  lambda_function {
    lambda_function_arn = aws_lambda_function.fn.arn
    events              = ["s3:ObjectCreated:*"]
  }
  lambda_function {
    lambda_function_arn = aws_lambda_function.fn.arn
    events              = ["s3:ObjectCreated:*"]
    filter_suffix       = ".jpg"
  }
}
`,
    });
    expect(model.mappings.map((m) => [m.id, m.filtered ?? false])).toEqual([
      ['aws_lambda_event_source_mapping.plain', false],
      ['aws_lambda_event_source_mapping.filtered', true],
    ]);
    expect(model.triggers.map((t) => [t.id, t.source?.sym?.target, t.filtered ?? false])).toEqual([
      ['aws_s3_bucket_notification.n.lambda_function[0]', 'aws_s3_bucket.b', false],
      ['aws_s3_bucket_notification.n.lambda_function[1]', 'aws_s3_bucket.b', true],
    ]);
  });

  it('reads a registry module from .terraform/modules only when the copy is of the same source', async () => {
    const module = `${ROLE}\nresource "aws_lambda_function" "this" {\n  function_name = "x"\n  role = aws_iam_role.fn.arn\n  timeout = 1200\n}\n`;
    const manifest = (source: string) =>
      JSON.stringify({
        Modules: [
          { Key: '', Source: '', Dir: '.' },
          { Key: 'fn', Source: source, Version: '1.0.0', Dir: '.terraform/modules/fn' },
        ],
      });
    const call = 'module "fn" {\n  source = "example-org/fn/aws"\n}\n';
    const same = await load({
      'main.tf': call,
      '.terraform/modules/modules.json': manifest('registry.terraform.io/example-org/fn/aws'),
      '.terraform/modules/fn/main.tf': module,
    });
    expect(same.model.functions.map((f) => [f.id, f.timeout?.value])).toEqual([
      ['module.fn.aws_lambda_function.this', 1200],
    ]);
    const stale = await load({
      'main.tf': call,
      '.terraform/modules/modules.json': manifest('example-org/other/aws'),
      '.terraform/modules/fn/main.tf': module,
    });
    expect(stale.model.functions).toEqual([]);
    expect(
      stale.notes.some((n) =>
        n.includes(
          'module fn: .terraform/modules holds a copy of example-org/other/aws, not example-org/fn/aws (run terraform init); not modelled',
        ),
      ),
    ).toBe(true);
    // A manifest that points outside .terraform is not followed.
    const elsewhere = await load({
      'main.tf': call,
      '.terraform/modules/modules.json': manifest('example-org/fn/aws').replace('.terraform/modules/fn', 'vendor/fn'),
      'vendor/fn/main.tf': module,
    });
    expect(elsewhere.model.functions.filter((f) => f.id.startsWith('module.fn.'))).toEqual([]);
  });
});

describe('terraform-aws-modules/lambda', () => {
  // Shaped after the module's own examples (complete, event-source-mapping, alias, triggers,
  // with-vpc): several calls of the module, one with for_each, its alias submodule, and resources
  // of the root that use its outputs.
  const project = {
    'main.tf': `
resource "aws_sqs_queue" "jobs" {
  name = "jobs"
}

resource "aws_dynamodb_table" "events" {
  name         = "events"
  hash_key     = "id"
  stream_enabled = true
}

module "worker" {
  source  = "terraform-aws-modules/lambda/aws"
  version = "~> 7.0"

  function_name = "worker"
  handler       = "index.lambda_handler"
  runtime       = "python3.12"
  timeout       = 30
  publish       = true
  source_path   = "\${path.module}/src/worker"

  tracing_mode           = "Active"
  vpc_subnet_ids         = ["subnet-1", "subnet-2"]
  vpc_security_group_ids = ["sg-1"]
  attach_network_policy  = true

  event_source_mapping = {
    sqs = {
      event_source_arn = aws_sqs_queue.jobs.arn
      batch_size       = 5
    }
    dynamodb = {
      event_source_arn  = aws_dynamodb_table.events.stream_arn
      starting_position = "LATEST"
      filter_criteria   = { pattern = "{}" }
    }
  }

  allowed_triggers = {
    ScanAmi = {
      principal  = "events.amazonaws.com"
      source_arn = aws_cloudwatch_event_rule.scan.arn
    }
  }

  attach_policy_statements = true
  policy_statements = {
    sqs = {
      actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]
      resources = [aws_sqs_queue.jobs.arn]
    }
  }

  attach_policies = true
  policies        = ["arn:aws:iam::aws:policy/service-role/AWSLambdaDynamoDBExecutionRole"]
}

module "per_env" {
  source   = "terraform-aws-modules/lambda/aws"
  for_each = toset(["dev", "prod"])

  function_name          = "per-env-\${each.key}"
  handler                = "index.handler"
  runtime                = "nodejs20.x"
  create_package         = false
  local_existing_package = "dist/per-env.zip"
  create_role            = false
  lambda_role            = aws_iam_role.shared.arn
}

resource "aws_iam_role" "shared" {
  name               = "shared"
  assume_role_policy = "{}"
}

module "worker_live" {
  source = "terraform-aws-modules/lambda/aws//modules/alias"

  name             = "live"
  function_name    = module.worker.lambda_function_name
  function_version = module.worker.lambda_function_version
}

resource "aws_cloudwatch_event_rule" "scan" {
  name                = "scan"
  schedule_expression = "rate(1 day)"
}

resource "aws_cloudwatch_event_target" "scan" {
  rule = aws_cloudwatch_event_rule.scan.name
  arn  = module.worker.lambda_function_arn
}

resource "aws_iam_role_policy_attachment" "extra" {
  role       = module.worker.lambda_role_name
  policy_arn = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
}

module "queue" {
  source = "terraform-aws-modules/sqs/aws"
  name   = "other"
}
`,
    'src/worker/index.py': 'def lambda_handler(event, context):\n    return event\n',
  };

  it('models functions, roles, mappings, permissions, aliases and triggers from the calls', async () => {
    const { model, dir, notes } = await load(project);
    const text = project['main.tf'];
    expect(model.functions.map((f) => f.id)).toEqual([
      'module.worker.aws_lambda_function.this',
      'module.per_env["dev"].aws_lambda_function.this',
      'module.per_env["prod"].aws_lambda_function.this',
    ]);
    expect(model.roles.map((r) => r.id)).toEqual(['aws_iam_role.shared', 'module.worker.aws_iam_role.lambda']);
    expect(model.functions.map((f) => f.role.roleId)).toEqual([
      'module.worker.aws_iam_role.lambda',
      'aws_iam_role.shared',
      'aws_iam_role.shared',
    ]);
    const fn = model.functions[0];
    expect([
      fn.name?.value,
      fn.runtime?.value,
      fn.handler?.value,
      fn.timeout?.value,
      fn.tracing?.value,
      fn.meta.publish,
    ]).toEqual(['worker', 'python3.12', 'index.lambda_handler', 30, 'Active', 'true']);
    expect(at(fn.timeout?.origin.range)).toBe(locate('main.tf', text, 'timeout       = 30'));
    expect(at(fn.origin.range)).toBe(locate('main.tf', text, 'module "worker"'));
    expect([fn.code.kind, fn.code.path, fn.code.directUpload]).toEqual([
      'local-dir',
      path.join(dir, 'src/worker'),
      true,
    ]);
    expect(fn.vpc?.subnetIds?.value?.map((v) => v.value)).toEqual(['subnet-1', 'subnet-2']);
    expect(model.functions[1].name?.value).toBe('per-env-dev');
    expect(model.functions[1].code.kind).toBe('local-zip');

    // The role: the module's logs policy (default on), the statements, the ENI policy and the
    // attachments (the module's and one of the root, through lambda_role_name).
    const role = model.roles[1];
    expect(role.inline.map((d) => d.name)).toEqual([
      'logs policy of module module.worker',
      'policy_statements of module module.worker',
    ]);
    expect(role.inline[0].statements[0].actions?.map((a) => a.value)).toEqual([
      'logs:CreateLogGroup',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
    ]);
    expect(role.inline[0].statements[0].resources?.map((r) => r.sym?.text)).toEqual([
      'arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:log-group:/aws/lambda/worker:*',
      'arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:log-group:/aws/lambda/worker:*:*',
    ]);
    expect(at(role.inline[1].statements[0].origin.range)).toBe(locate('main.tf', text, 'sqs', 'policy_statements'));
    expect(role.inline[1].statements[0].actions?.map((a) => a.value)).toEqual([
      'sqs:ReceiveMessage',
      'sqs:DeleteMessage',
      'sqs:GetQueueAttributes',
    ]);
    expect(role.managedPolicyArns.map((a) => a.value)).toEqual([
      'arn:aws:iam::aws:policy/service-role/AWSLambdaENIManagementAccess',
      'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
    ]);
    // attach_policies without number_of_policies (default 0) attaches nothing.
    expect(
      notes.some((n) =>
        n.includes(
          'module module.worker: number_of_policies is not set (default 0), so the module attaches none of the policies',
        ),
      ),
    ).toBe(true);

    expect(
      model.mappings.map((m) => [
        m.id,
        m.kind,
        m.target.functionId,
        m.target.qualifier,
        m.batchSize?.value,
        !!m.filtered,
      ]),
    ).toEqual([
      [
        'module.worker.aws_lambda_event_source_mapping.this["sqs"]',
        'sqs',
        'module.worker.aws_lambda_function.this',
        'unqualified',
        5,
        false,
      ],
      [
        'module.worker.aws_lambda_event_source_mapping.this["dynamodb"]',
        'dynamodb',
        'module.worker.aws_lambda_function.this',
        'unqualified',
        undefined,
        true,
      ],
    ]);
    expect(at(model.mappings[0].origin.range)).toBe(locate('main.tf', text, 'sqs', 'event_source_mapping'));
    // allowed_triggers: one permission on the function, one on its published version.
    expect(model.permissions.map((p) => [p.id, p.target.qualifier, p.principal?.value])).toEqual([
      ['module.worker.allowed_triggers["ScanAmi"]', 'unqualified', 'events.amazonaws.com'],
      ['module.worker.allowed_triggers["ScanAmi"].version', 'version', 'events.amazonaws.com'],
    ]);
    expect(model.aliases.map((a) => [a.id, a.name?.value, a.functionId, a.pointsToPublished])).toEqual([
      ['module.worker_live.aws_lambda_alias.with_refresh', 'live', 'module.worker.aws_lambda_function.this', true],
    ]);
    expect(model.triggers.map((t) => [t.id, t.kind, t.target.functionId, t.target.qualifier])).toEqual([
      ['aws_cloudwatch_event_target.scan', 'eventbridge', 'module.worker.aws_lambda_function.this', 'unqualified'],
    ]);
    expect(model.logGroups.map((g) => g.name?.value)).toEqual([
      '/aws/lambda/worker',
      '/aws/lambda/per-env-dev',
      '/aws/lambda/per-env-prod',
    ]);
    // Other registry modules stay unknown.
    expect(notes.some((n) => n.includes('module queue (terraform-aws-modules/sqs/aws) is not a local module'))).toBe(
      true,
    );
  });

  it('points an alias without function_version at $LATEST, and models from inputs even when .terraform/modules holds the module', async () => {
    const call = `module "fn" {\n  source = "terraform-aws-modules/lambda/aws"\n  function_name = "fn"\n  handler = "a.b"\n  runtime = "python3.12"\n  local_existing_package = "fn.zip"\n}\nmodule "live" {\n  source = "git::https://github.com/terraform-aws-modules/terraform-aws-lambda.git//modules/alias?ref=v7.20.1"\n  name = "live"\n  function_name = module.fn.lambda_function_name\n}\n`;
    const manifest = JSON.stringify({
      Modules: [
        { Key: '', Source: '', Dir: '.' },
        {
          Key: 'fn',
          Source: 'registry.terraform.io/terraform-aws-modules/lambda/aws',
          Version: '7.20.1',
          Dir: '.terraform/modules/fn',
        },
      ],
    });
    const { model } = await load({
      'main.tf': call,
      '.terraform/modules/modules.json': manifest,
      '.terraform/modules/fn/main.tf': 'resource "aws_lambda_function" "this" {\n  function_name = "other"\n}\n',
    });
    expect(model.functions.map((f) => [f.id, f.name?.value])).toEqual([['module.fn.aws_lambda_function.this', 'fn']]);
    expect(model.aliases.map((a) => [a.version.value, a.version.origin.note, a.pointsToPublished])).toEqual([
      ['$LATEST', 'function_version is not set, so the alias module points the alias at $LATEST', false],
    ]);
  });

  it('recognises its source forms and a local copy of it', async () => {
    const { lambdaModuleKind } = await import('../src/load/terraform/lambda-module.js');
    expect(lambdaModuleKind('terraform-aws-modules/lambda/aws')).toBe('function');
    expect(lambdaModuleKind('registry.terraform.io/terraform-aws-modules/lambda/aws//modules/deploy')).toBe('deploy');
    expect(lambdaModuleKind('github.com/terraform-aws-modules/terraform-aws-lambda?ref=v7.0.0')).toBe('function');
    expect(lambdaModuleKind('terraform-aws-modules/lambda/aws//wrappers')).toBeUndefined();
    expect(lambdaModuleKind('terraform-aws-modules/lambda-layer/aws')).toBeUndefined();
  });
});

describe('code sources, instances and JSON syntax', () => {
  it('gives count instances their own ids and binds count.index', async () => {
    const { model } = await load({
      'main.tf': `${ROLE}
variable "regions" {
  default = ["eu-west-1", "us-east-1"]
}
resource "aws_lambda_function" "edge" {
  count         = length(var.regions)
  function_name = "edge-\${var.regions[count.index]}"
  role          = aws_iam_role.fn.arn
}
resource "aws_lambda_permission" "second" {
  function_name = aws_lambda_function.edge[1].function_name
  principal     = "sns.amazonaws.com"
}
`,
    });
    expect(model.functions.map((f) => [f.id, f.name?.value])).toEqual([
      ['aws_lambda_function.edge[0]', 'edge-eu-west-1'],
      ['aws_lambda_function.edge[1]', 'edge-us-east-1'],
    ]);
    expect(model.permissions[0].target.functionId).toBe('aws_lambda_function.edge[1]');
  });

  it('loads each instance of a local module with count / for_each, with each.* and count.index bound at the call', async () => {
    const dir = path.join(
      import.meta.dirname,
      '..',
      'fixtures',
      'timeout-limit',
      'positive',
      'terraform-module-for-each',
    );
    const p = loadProject({ cwd: dir });
    await loadTerraformDirs(p, { cwd: dir });
    const model = p.model;
    expect(model.functions.map((f) => [f.id, f.name?.value, f.timeout?.value, f.memorySize?.value])).toEqual([
      ['module.forwarder["builds"].aws_lambda_function.forwarder', 'alerts-builds-forwarder', 30, 256],
      ['module.forwarder["oncall"].aws_lambda_function.forwarder', 'alerts-oncall-forwarder', 1200, 512],
      ['module.digest[0].aws_lambda_function.forwarder', 'digest-0-forwarder', 10, 128],
      ['module.digest[1].aws_lambda_function.forwarder', 'digest-1-forwarder', 10, 128],
    ]);
    // Each instance has its own role, trigger and permission.
    expect(model.functions.map((f) => f.role.roleId)).toEqual(
      model.functions.map((f) => f.id.replace('aws_lambda_function.forwarder', 'aws_iam_role.forwarder')),
    );
    expect(model.roles.map((r) => [r.id, r.managedPolicyArns.map((a) => a.value)])).toEqual(
      model.functions.map((f) => [f.role.roleId, ['arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole']]),
    );
    expect(model.triggers.map((t) => [t.kind, t.target.functionId])).toEqual(model.functions.map((f) => ['sns', f.id]));
    expect(model.permissions.map((t) => t.target.functionId)).toEqual(model.functions.map((f) => f.id));
    expect(at(model.functions[1].timeout?.origin.range)).toBe('main.tf:38:3-38:33');
    expect(at(model.functions[1].timeout?.origin.also?.range)).toBe('main.tf:18:3-18:35');
    expect(p.model.notChecked).toEqual([]);
  });

  it('reads outputs of one instance of a module, and records a module whose instances cannot be known', async () => {
    const { model, notes } = await load({
      'main.tf': `variable "queues" {
  type = map(string)
}
module "worker" {
  source   = "./fn"
  for_each = var.queues
  name     = each.key
}
module "api" {
  source   = "./fn"
  for_each = toset(["a", "b"])
  name     = "api-\${each.value}"
}
resource "aws_lambda_permission" "b" {
  function_name = module.api["b"].name
  principal     = "sns.amazonaws.com"
}
`,
      'fn/main.tf': `variable "name" {}
${ROLE}
resource "aws_lambda_function" "this" {
  function_name = var.name
  role          = aws_iam_role.fn.arn
}
output "name" {
  value = aws_lambda_function.this.function_name
}
`,
    });
    expect(model.functions.map((f) => f.id)).toEqual([
      'module.api["a"].aws_lambda_function.this',
      'module.api["b"].aws_lambda_function.this',
    ]);
    expect(model.permissions[0].target.functionId).toBe('module.api["b"].aws_lambda_function.this');
    expect(model.notChecked.map((n) => [path.basename(n.file), n.fn, n.rules, n.reason])).toEqual([
      ['main.tf', undefined, [], 'resources of module worker: for_each = var.queues is not known statically'],
    ]);
    expect(notes).toContain(
      '.: module worker: for_each = var.queues is not known statically; its instances are not modelled',
    );
  });

  it('says which resource has instances it cannot know, and models it as one', async () => {
    const { model } = await load({
      'main.tf': `variable "queues" {}
resource "aws_sqs_queue" "q" {
  for_each = var.queues
  name     = each.key
}
resource "aws_lambda_function" "fn" {
  count         = var.replicas
  function_name = "worker-\${count.index}"
  role          = "arn:aws:iam::123456789012:role/worker"
  handler       = "index.handler"
  runtime       = "nodejs22.x"
  filename      = "worker.zip"
}
variable "replicas" {}
`,
    });
    expect(model.functions.map((f) => f.id)).toEqual(['aws_lambda_function.fn']);
    expect(model.notChecked.map((n) => [path.basename(n.file), n.fn, n.rules, n.reason])).toEqual([
      [
        'main.tf',
        undefined,
        [],
        'aws_sqs_queue.q: for_each = var.queues is not known statically; modelled as one instance',
      ],
      [
        'main.tf',
        undefined,
        [],
        'aws_lambda_function.fn: count = var.replicas is not known statically; modelled as one instance',
      ],
    ]);
  });

  it('finds the package behind an aws_s3_object, a file hash, a source_file, source blocks and a module output', async () => {
    const { model, dir } = await load({
      'main.tf': `${ROLE}
resource "aws_s3_object" "pkg" {
  bucket = "b"
  key    = "a.zip"
  source = "build/a.zip"
}
resource "aws_lambda_function" "a" {
  function_name = "a"
  role          = aws_iam_role.fn.arn
  s3_bucket     = aws_s3_object.pkg.bucket
  s3_key        = aws_s3_object.pkg.key
}
resource "aws_lambda_function" "b" {
  function_name    = "b"
  role             = aws_iam_role.fn.arn
  s3_bucket        = "b"
  s3_key           = "b.zip"
  source_code_hash = filebase64sha256("build/b.zip")
}
data "archive_file" "c" {
  type        = "zip"
  source_file = "src/c/main.py"
  output_path = "out/c.zip"
}
resource "aws_lambda_function" "c" {
  function_name = "c"
  role          = aws_iam_role.fn.arn
  filename      = data.archive_file.c.output_path
}
data "archive_file" "d" {
  type        = "zip"
  output_path = "out/d.zip"
  source {
    content  = file("src/d/app.py")
    filename = "app.py"
  }
}
resource "aws_lambda_function" "d" {
  function_name = "d"
  role          = aws_iam_role.fn.arn
  filename      = data.archive_file.d.output_path
}
module "pkg" {
  source = "./pkg"
}
resource "aws_lambda_function" "e" {
  function_name = "e"
  role          = aws_iam_role.fn.arn
  filename      = module.pkg.zip
}
`,
      'src/c/main.py': 'def h(e, c):\n    return 1\n',
      'src/d/app.py': 'def h(e, c):\n    return 1\n',
      'pkg/main.tf':
        'data "archive_file" "z" {\n  type        = "zip"\n  source_dir  = "${path.module}/code"\n  output_path = "out/e.zip"\n}\noutput "zip" {\n  value = data.archive_file.z.output_path\n}\n',
    });
    const code = Object.fromEntries(
      model.functions.map((f) => [
        f.id,
        [f.code.kind, f.code.path && path.relative(dir, f.code.path), f.code.directUpload, f.code.unmeasured],
      ]),
    );
    expect(code).toEqual({
      'aws_lambda_function.a': ['local-zip', 'build/a.zip', false, undefined],
      'aws_lambda_function.b': ['local-zip', 'build/b.zip', false, undefined],
      'aws_lambda_function.c': ['local-dir', 'src/c', true, 'archive_file zips one file of this folder (main.py)'],
      'aws_lambda_function.d': [
        'local-dir',
        'src/d',
        true,
        'archive_file zips some files of this folder (source blocks)',
      ],
      'aws_lambda_function.e': ['local-dir', 'pkg/code', true, undefined],
    });
  });

  it('keeps the keys a merge() sets after an unknown argument, and object-typed variables', async () => {
    const { model } = await load({
      'main.tf': `${ROLE}
variable "defaults" {
  type = object({ timeout = number, memory = number })
}
variable "cfg" {
  type    = object({ timeout = number })
  default = { timeout = 45 }
}
locals {
  settings = merge(var.defaults, { role = aws_iam_role.fn.arn, memory = 512 })
}
resource "aws_lambda_function" "f" {
  function_name = "f"
  role          = local.settings.role
  memory_size   = local.settings.memory
  timeout       = var.cfg.timeout
  ephemeral_storage {
    size = local.settings.timeout
  }
}
`,
    });
    const fn = model.functions[0];
    expect([
      fn.role.roleId,
      fn.memorySize?.value,
      fn.timeout?.value,
      fn.ephemeralStorage?.value,
      fn.ephemeralStorage?.sym,
    ]).toEqual(['aws_iam_role.fn', 512, 45, undefined, expect.anything()]);
  });

  it('keeps the keys a merge() sets after an argument it cannot know; what it hides is unknown and recorded', async () => {
    const { model } = await load({
      'main.tf': `${ROLE}
variable "extra" {
  type = map(string)
}
variable "more_queues" {
  type = map(string)
}
locals {
  common = { STAGE = "dev", TABLE = "early" }
  queues = merge({ a = "q-a" }, var.more_queues)
}
resource "aws_sqs_queue" "q" {
  name = "jobs"
}
resource "aws_lambda_function" "f" {
  function_name = "f"
  role          = aws_iam_role.fn.arn
  handler       = lookup(merge(local.common, var.extra), "HANDLER", "index.handler")
  environment {
    variables = merge(local.common, var.extra, { QUEUE = aws_sqs_queue.q.url, LEVEL = "debug" })
  }
}
resource "aws_lambda_function" "per_queue" {
  for_each      = local.queues
  function_name = each.key
  role          = aws_iam_role.fn.arn
}
resource "aws_iam_role_policy" "p" {
  role   = aws_iam_role.fn.id
  policy = jsonencode(merge({ Version = "2012-10-17" }, var.extra))
}
`,
    });
    const fn = model.functions[0];
    // STAGE and TABLE may be overridden by var.extra: unknown; QUEUE and LEVEL are certain.
    expect(Object.keys(fn.environment).sort()).toEqual(['LEVEL', 'QUEUE']);
    expect(fn.environment.QUEUE.sym).toMatchObject({ kind: 'getatt', target: 'aws_sqs_queue.q', attribute: 'url' });
    // lookup() on a key that var.extra may set: not the default.
    expect(fn.handler?.value).toBeUndefined();
    // for_each over a map with unknown keys: one unnamed instance, never a guess at the keys, and said.
    expect(model.functions.map((f) => f.id)).toEqual(['aws_lambda_function.f', 'aws_lambda_function.per_queue']);
    expect(model.roles[0].inline.map((d) => d.complete)).toEqual([false]);
    expect(model.notChecked.map((n) => [n.fn, n.rules, n.reason])).toEqual([
      [
        undefined,
        [],
        'aws_lambda_function.per_queue: for_each = local.queues is not known statically; modelled as one instance',
      ],
      [
        'aws_lambda_function.f',
        ['sdk-permission', 'recursive-trigger'],
        'environment variables partly unknown (merge() with var.extra)',
      ],
    ]);
  });

  it('reads .tf.json: blocks, attributes, templates, with positions in the JSON file', async () => {
    const json = `{
  "locals": { "base": { "timeout": 20 } },
  "resource": {
    "aws_iam_role": { "fn": { "name": "fn-role", "assume_role_policy": "{}" } },
    "aws_lambda_function": {
      "f": {
        "function_name": "fn-\${local.base.timeout}",
        "role": "\${aws_iam_role.fn.arn}",
        "timeout": "\${local.base.timeout}",
        "tags": { "team": "x" },
        "vpc_config": { "subnet_ids": ["subnet-1"], "security_group_ids": [] },
        "environment": [{ "variables": { "A": "1" } }]
      }
    }
  }
}
`;
    const { model } = await load({ 'main.tf.json': json });
    const fn = model.functions[0];
    expect([fn.id, fn.name?.value, fn.timeout?.value, fn.role.roleId, fn.environment.A?.value]).toEqual([
      'aws_lambda_function.f',
      'fn-20',
      20,
      'aws_iam_role.fn',
      '1',
    ]);
    expect(fn.vpc?.securityGroupIds?.value).toEqual([]);
    expect(at(fn.timeout?.origin.range)).toBe(locate('main.tf.json', json, '"timeout": "${local.base.timeout}"'));
    const bad = project({ 'main.tf.json': '{ "resource": [ }' });
    const result = await lint({ cwd: bad, today: TODAY });
    expect(result.findings.map((f) => [f.ruleId, f.file, f.line])).toEqual([['parse-error', 'main.tf.json', 1]]);
  });
});

describe('Terraform facts', () => {
  it('uploads `filename` directly; measures an archive_file folder until the zip exists', async () => {
    const { model, dir } = await load({
      'main.tf': `${ROLE}
data "archive_file" "z" {
  type        = "zip"
  source_dir  = "\${path.module}/src"
  output_path = "\${path.module}/out/z.zip"
}
resource "aws_lambda_function" "a" {
  function_name = "a"
  role          = aws_iam_role.fn.arn
  filename      = "build/a.zip"
}
resource "aws_lambda_function" "b" {
  function_name = "b"
  role          = aws_iam_role.fn.arn
  filename      = data.archive_file.z.output_path
}
resource "aws_lambda_function" "c" {
  function_name = "c"
  role          = aws_iam_role.fn.arn
  image_uri     = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/c:1"
}
`,
      'src/index.js': 'exports.handler = async () => 1;\n',
    });
    const [a, b, c] = model.functions;
    expect(a.code).toMatchObject({ kind: 'local-zip', path: path.join(dir, 'build/a.zip'), directUpload: true });
    expect(b.code).toMatchObject({ kind: 'local-dir', path: path.join(dir, 'src'), directUpload: true });
    expect(c.packageType).toBe('Image');
  });

  it('reads an alias on an unpublished function as $LATEST and production from tfvars', async () => {
    const { model } = await load({
      'main.tf': `variable "Environment" {\n  default = "dev"\n}\n${ROLE}
resource "aws_lambda_function" "f" {
  function_name = "f"
  role          = aws_iam_role.fn.arn
}
resource "aws_lambda_alias" "live" {
  name             = "live"
  function_name    = aws_lambda_function.f.function_name
  function_version = aws_lambda_function.f.version
}
resource "aws_lambda_permission" "p" {
  function_name = aws_lambda_function.f.qualified_arn
  principal     = "sns.amazonaws.com"
}
`,
      'terraform.tfvars': 'Environment = "Prod"\n',
    });
    expect(model.aliases[0]).toMatchObject({
      functionId: 'aws_lambda_function.f',
      pointsToPublished: false,
      version: { value: '$LATEST' },
    });
    expect(model.permissions[0].target.qualifier).toBe('latest');
    expect(model.deployments[0].production).toMatchObject({
      isProduction: true,
      reason: 'variable Environment is Prod',
    });
  });
});

describe('lint()', () => {
  it('reports a syntax error at the node tree-sitter marks, and models nothing from that folder', async () => {
    const dir = project({ 'main.tf': 'resource "aws_lambda_function" "f" {\n  timeout = 1200\n  memory_size = \n}\n' });
    const r = await lint({ cwd: dir, today: TODAY });
    expect(r.stats.functions).toBe(0);
    const pe = r.findings.filter((f) => f.ruleId === 'parse-error');
    expect(pe).toHaveLength(1);
    expect(pe[0]).toMatchObject({ file: 'main.tf', line: 3 });
    expect(r.findings.filter((f) => f.ruleId === 'timeout-limit')).toEqual([]);
  });

  it('survives modules that call themselves and files that are not HCL at all', async () => {
    const dir = project({
      'main.tf': 'module "loop" {\n  source = "./m"\n}\n',
      'm/main.tf': 'module "back" {\n  source = "../m"\n}\nresource "aws_lambda_function" "f" {\n  timeout = 1000\n}\n',
      'junk/x.tf': '{{{ ]]] \u0000 "unterminated\n<<EOF\n',
    });
    const r = await lint({ cwd: dir, today: TODAY });
    expect(r.toolErrors).toEqual([]);
    expect(r.findings.filter((f) => f.ruleId === 'timeout-limit').map((f) => f.function)).toEqual([
      'module.loop.aws_lambda_function.f',
    ]);
    expect(r.findings.filter((f) => f.ruleId === 'parse-error').map((f) => f.file)).toEqual(['junk/x.tf']);
    expect(r.notes.some((n) => n.includes('calls itself'))).toBe(true);
  });

  it('lets a registry module that is handed a function or role grant it anything', async () => {
    const dir = project({
      'main.tf': `${ROLE}
resource "aws_lambda_function" "f" {
  function_name = "f"
  role          = aws_iam_role.fn.arn
  tracing_config {
    mode = "Active"
  }
}
resource "aws_sns_topic" "t" {}
resource "aws_sns_topic_subscription" "s" {
  topic_arn = aws_sns_topic.t.arn
  protocol  = "lambda"
  endpoint  = aws_lambda_function.f.arn
}
module "perms" {
  source    = "example/lambda-permissions/aws"
  functions = [aws_lambda_function.f.function_name]
  role      = aws_iam_role.fn.name
}
`,
    });
    const r = await lint({ cwd: dir, today: TODAY });
    expect(
      r.findings.filter((f) => ['invoke-permission', 'xray-permission', 'logs-permission'].includes(f.ruleId)),
    ).toEqual([]);
  });

  it('stays silent on values it cannot see', async () => {
    const dir = project({
      'main.tf': `variable "timeout" {}\nvariable "role_arn" {}
resource "aws_lambda_function" "f" {
  function_name = "f"
  role          = var.role_arn
  timeout       = var.timeout
  tracing_config {
    mode = "Active"
  }
}
`,
    });
    const r = await lint({ cwd: dir, today: TODAY });
    expect(r.stats.functions).toBe(1);
    expect(r.findings).toEqual([]);
  });
});
