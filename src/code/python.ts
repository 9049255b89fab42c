// Python handler files: top-level functions, imports, boto3 calls. Parsed with web-tree-sitter and
// the tree-sitter-python grammar, both loaded on first use (web-tree-sitter reports offsets in
// UTF-16 code units, as the LineIndex expects).
import { createRequire } from 'node:module';
import path from 'node:path';
import type { FileFacts, RawSdkCall, ResourceHint } from './facts.js';
import { LineIndex } from '../source/lines.js';
import { snakeToPascal } from './sdk-map.js';

type WTS = typeof import('web-tree-sitter');
type TSNode = import('web-tree-sitter').Node;
let parserPromise: Promise<import('web-tree-sitter').Parser> | undefined;

function loadParser(): Promise<import('web-tree-sitter').Parser> {
  return (parserPromise ??= (async () => {
    const wts: WTS = await import('web-tree-sitter');
    await wts.Parser.init();
    const require = createRequire(import.meta.url);
    const wasm = path.join(path.dirname(require.resolve('tree-sitter-python/package.json')), 'tree-sitter-python.wasm');
    const lang = await wts.Language.load(wasm);
    const p = new wts.Parser();
    p.setLanguage(lang);
    return p;
  })());
}

const RESOURCE_KWARGS = new Set(['IndexName', 'Name', 'TableName', 'QueueUrl', 'TopicArn', 'Bucket', 'Key', 'FunctionName', 'StateMachineArn', 'SecretId', 'StreamName', 'StreamARN', 'DeliveryStreamName', 'EventBusName', 'InvocationType', 'Qualifier', 'Publish']);
/** Client methods that are not API operations. */
const NOT_OPERATIONS = new Set(['get_waiter', 'generate_presigned_url', 'generate_presigned_post', 'close', 'can_paginate', 'get_paginator', 'exceptions', 'meta']);
const TABLE_METHODS: Record<string, string> = { get_item: 'GetItem', put_item: 'PutItem', update_item: 'UpdateItem', delete_item: 'DeleteItem', query: 'Query', scan: 'Scan', batch_writer: 'BatchWriteItem' };
/** Methods of an S3 Bucket resource (`boto3.resource('s3').Bucket(name)`) and the operations they call. */
const BUCKET_METHODS: Record<string, string> = { put_object: 'PutObject', upload_file: 'UploadFile', upload_fileobj: 'UploadFileobj', download_file: 'DownloadFile', download_fileobj: 'DownloadFileobj', delete_objects: 'DeleteObjects' };

interface PyClient {
  service: string;
  /** A DynamoDB Table resource, with the table name hint. */
  table?: ResourceHint;
  /** An S3 Bucket resource, with the bucket name hint. */
  bucket?: ResourceHint | null;
  resource?: boolean;
}

function walk(n: TSNode, f: (n: TSNode) => boolean | void): void {
  if (f(n) === false) return;
  for (const c of n.namedChildren) if (c) walk(c, f);
}

export async function parsePython(file: string, text: string): Promise<FileFacts> {
  const parser = await loadParser();
  const tree = parser.parse(text);
  const facts: FileFacts = { file, exports: new Map(), openExports: false, imports: [], calls: [] };
  if (!tree) {
    facts.parseError = 'cannot be parsed';
    return facts;
  }
  const lines = new LineIndex(file, text);
  const rangeOf = (n: TSNode) => lines.range(n.startIndex, n.endIndex);
  const root = tree.rootNode;
  if (root.hasError) facts.parseError = 'syntax error';

  // Top-level names: def → function; anything else bound at module level → unknown.
  for (const st of root.namedChildren) {
    if (!st) continue;
    const def = st.type === 'decorated_definition' ? st.childForFieldName('definition') : st;
    if (def?.type === 'function_definition') {
      const name = def.childForFieldName('name');
      if (name) facts.exports.set(name.text, { kind: 'function', range: rangeOf(name) });
    } else if (def?.type === 'class_definition') {
      const name = def.childForFieldName('name');
      if (name) facts.exports.set(name.text, { kind: 'unknown', range: rangeOf(name) });
    } else if (st.type === 'expression_statement' || st.type === 'if_statement' || st.type === 'try_statement' || st.type === 'with_statement' || st.type === 'for_statement') {
      // Names bound by assignments, conditionals and the like are callable or not: cannot tell.
      walk(st, (n) => {
        if (n.type === 'assignment') {
          const l = n.childForFieldName('left');
          if (l?.type === 'identifier' && !facts.exports.has(l.text)) facts.exports.set(l.text, { kind: 'unknown', range: rangeOf(l) });
        }
        if (n.type === 'function_definition') {
          const name = n.childForFieldName('name');
          if (name && !facts.exports.has(name.text)) facts.exports.set(name.text, { kind: 'unknown', range: rangeOf(name) });
          return false;
        }
      });
    } else if (st.type === 'import_from_statement' || st.type === 'import_statement') {
      // `from x import handler` binds a name the handler can be.
      for (const c of st.namedChildren) {
        if (!c || c.startIndex === st.childForFieldName('module_name')?.startIndex) continue;
        if (c.type === 'wildcard_import') facts.openExports = true;
        const nm = c.type === 'aliased_import' ? c.childForFieldName('alias') : c.type === 'dotted_name' ? c : undefined;
        if (nm && st.type === 'import_from_statement') facts.exports.set(nm.text, { kind: 'unknown', range: rangeOf(nm) });
      }
    }
  }

  const inTry = (n: TSNode): boolean => {
    for (let p = n.parent; p; p = p.parent) if (p.type === 'try_statement') return true;
    return false;
  };

  // Imports. `import a.b`, `from a.b import c`; relative imports are local.
  const boto3Names = new Set<string>();
  const osNames = new Set<string>();
  const environNames = new Set<string>();
  walk(root, (n) => {
    if (n.type === 'import_statement') {
      for (const c of n.namedChildren) {
        if (!c) continue;
        const dn = c.type === 'aliased_import' ? c.childForFieldName('name') : c;
        if (!dn || dn.type !== 'dotted_name') continue;
        if (!inTry(n)) facts.imports.push({ specifier: dn.text, range: rangeOf(dn), relative: false });
        const alias = c.type === 'aliased_import' ? c.childForFieldName('alias')?.text : undefined;
        if (dn.text === 'boto3') boto3Names.add(alias ?? 'boto3');
        if (dn.text === 'os') osNames.add(alias ?? 'os');
        if (/^aws_xray_sdk/.test(dn.text) && !facts.tracer) facts.tracer = rangeOf(dn);
      }
      return false;
    }
    if (n.type === 'import_from_statement') {
      const mod = n.childForFieldName('module_name');
      if (!mod) return false;
      if (mod.type === 'relative_import') return false;
      if (!inTry(n)) facts.imports.push({ specifier: mod.text, range: rangeOf(mod), relative: false });
      const names = n.namedChildren.filter((c): c is TSNode => !!c && c.startIndex !== mod.startIndex).map((c) => (c.type === 'aliased_import' ? c.childForFieldName('name')?.text : c.text));
      if (mod.text === 'os' && names.includes('environ')) environNames.add('environ');
      if ((/^aws_xray_sdk/.test(mod.text) || (/^aws_lambda_powertools/.test(mod.text) && (names.includes('Tracer') || /tracing/.test(mod.text)))) && !facts.tracer) facts.tracer = rangeOf(mod);
      return false;
    }
  });

  const str = (n: TSNode | null | undefined): string | undefined => {
    if (!n || n.type !== 'string') return undefined;
    if (n.namedChildren.some((c) => c?.type === 'interpolation')) return undefined;
    const content = n.namedChildren.find((c) => c?.type === 'string_content');
    return content ? content.text : '';
  };
  const strings = new Map<string, { literal?: string; env?: string; prefix?: string; event?: 's3-bucket' }>();
  /** `record['s3']['bucket']['name']` (or `.s3.bucket.name`): the bucket an S3 notification record names. */
  const isS3EventBucket = (n: TSNode): boolean => {
    const keys: string[] = [];
    let cur: TSNode | null = n;
    for (let i = 0; i < 3 && cur; i++) {
      if (cur.type === 'subscript') {
        const k = str(cur.childForFieldName('subscript'));
        if (k === undefined) return false;
        keys.unshift(k);
        cur = cur.childForFieldName('value');
      } else if (cur.type === 'attribute') {
        keys.unshift(cur.childForFieldName('attribute')?.text ?? '');
        cur = cur.childForFieldName('object');
      } else return false;
    }
    return keys.join('.') === 's3.bucket.name';
  };
  /** os.environ['X'], os.environ.get('X'), os.getenv('X'), a literal, the S3 event's bucket, or a module-level name of one. */
  const hintValue = (n: TSNode | null | undefined): { literal?: string; env?: string; prefix?: string; event?: 's3-bucket' } | undefined => {
    if (!n) return undefined;
    if ((n.type === 'subscript' || n.type === 'attribute') && isS3EventBucket(n)) return { event: 's3-bucket' };
    const s = str(n);
    if (s !== undefined) return { literal: s };
    if (n.type === 'true' || n.type === 'false') return { literal: n.type };
    const isEnviron = (e: TSNode | null) => !!e && ((e.type === 'attribute' && osNames.has(e.childForFieldName('object')?.text ?? '') && e.childForFieldName('attribute')?.text === 'environ') || (e.type === 'identifier' && environNames.has(e.text)));
    if (n.type === 'subscript' && isEnviron(n.childForFieldName('value'))) {
      const k = str(n.childForFieldName('subscript'));
      if (k !== undefined) return { env: k };
    }
    if (n.type === 'call') {
      const fnNode = n.childForFieldName('function');
      const args = n.childForFieldName('arguments')?.namedChildren ?? [];
      if (fnNode?.type === 'attribute') {
        const obj = fnNode.childForFieldName('object');
        const attr = fnNode.childForFieldName('attribute')?.text;
        if ((attr === 'get' && isEnviron(obj)) || (attr === 'getenv' && osNames.has(obj?.text ?? ''))) {
          const k = str(args[0]);
          if (k !== undefined) return { env: k };
        }
      }
    }
    if (n.type === 'identifier') return strings.get(n.text);
    // A value built at run time: only its known start (`f"uploads/{name}"`, `"uploads/" + name`).
    if (n.type === 'string') {
      const first = n.namedChildren.find((c) => c?.type === 'string_content' || c?.type === 'interpolation');
      return { prefix: first?.type === 'string_content' ? first.text : '' };
    }
    if (n.type === 'binary_operator' && n.childForFieldName('operator')?.text === '+') {
      const left = hintValue(n.childForFieldName('left'));
      if (left?.literal !== undefined) return { prefix: left.literal };
      if (left?.prefix !== undefined) return { prefix: left.prefix };
      return { prefix: '' };
    }
    return undefined;
  };
  const kwHints = (argList: TSNode | null): ResourceHint[] => {
    const out: ResourceHint[] = [];
    for (const a of argList?.namedChildren ?? []) {
      if (a?.type !== 'keyword_argument') continue;
      const name = a.childForFieldName('name')?.text ?? '';
      if (name === 'RequestItems') {
        // BatchGetItem / BatchWriteItem: the tables are the keys of the dict.
        const d = a.childForFieldName('value');
        if (d?.type !== 'dictionary') out.push({ param: 'TableName' });
        for (const pair of d?.type === 'dictionary' ? d.namedChildren : []) {
          const v = pair?.type === 'pair' ? hintValue(pair.childForFieldName('key')) : undefined;
          out.push({ param: 'TableName', ...(v && v.prefix === undefined ? v : {}) });
        }
        continue;
      }
      if (!RESOURCE_KWARGS.has(name)) continue;
      const v = hintValue(a.childForFieldName('value'));
      if (v) out.push({ param: name, ...v });
    }
    return out;
  };

  if (boto3Names.size === 0 && !text.includes('boto3')) return facts;

  /** `boto3.client('s3')`, `session.client('s3')`, `boto3.resource('dynamodb')`, `<resource>.Table(name)`. */
  const clients = new Map<string, PyClient>();
  const clientOf = (n: TSNode | null): PyClient | undefined => {
    if (!n) return undefined;
    if (n.type === 'identifier') return clients.get(n.text);
    if (n.type !== 'call') return undefined;
    const fnNode = n.childForFieldName('function');
    const args = n.childForFieldName('arguments');
    if (fnNode?.type !== 'attribute') return undefined;
    const attr = fnNode.childForFieldName('attribute')?.text;
    const obj = fnNode.childForFieldName('object');
    const first = args?.namedChildren.find((a) => a?.type !== 'keyword_argument') ?? null;
    const serviceKw = args?.namedChildren.find((a) => a?.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'service_name');
    const svc = str(first) ?? str(serviceKw?.childForFieldName('value'));
    if ((attr === 'client' || attr === 'resource') && svc && boto3Names.size > 0) return { service: svc, resource: attr === 'resource' };
    if (attr === 'Table') {
      const parent = clientOf(obj);
      if (parent?.resource && parent.service === 'dynamodb') {
        const h = hintValue(first);
        return { service: 'dynamodb', table: h ? { param: 'TableName', ...h } : undefined };
      }
    }
    if (attr === 'Bucket') {
      const parent = clientOf(obj);
      if (parent?.resource && parent.service === 's3') {
        const h = hintValue(first);
        return { service: 's3', bucket: h ? { param: 'Bucket', ...h } : null };
      }
    }
    return undefined;
  };

  const calls: RawSdkCall[] = facts.calls;
  walk(root, (n) => {
    if (n.type === 'assignment') {
      const l = n.childForFieldName('left');
      const r = n.childForFieldName('right');
      if (l?.type === 'identifier') {
        const c = clientOf(r);
        if (c) clients.set(l.text, c);
        const h = hintValue(r);
        if (h) strings.set(l.text, h);
      }
    }
    if (n.type === 'call') {
      const fnNode = n.childForFieldName('function');
      if (fnNode?.type !== 'attribute') return;
      const c = clientOf(fnNode.childForFieldName('object'));
      const method = fnNode.childForFieldName('attribute')?.text ?? '';
      if (!c) return;
      const args = n.childForFieldName('arguments');
      if (c.table) {
        const op = TABLE_METHODS[method];
        if (op) calls.push({ sdk: 'boto3', service: 'dynamodb', operation: op, label: `Table.${method}`, hints: [c.table, ...kwHints(args).filter((h) => h.param === 'IndexName')], range: rangeOf(n) });
        return;
      }
      if (c.bucket !== undefined) {
        const op = BUCKET_METHODS[method];
        if (op) calls.push({ sdk: 'boto3', service: 's3', operation: op, label: `Bucket.${method}`, hints: [...(c.bucket ? [c.bucket] : []), ...kwHints(args).filter((h) => h.param === 'Key')], range: rangeOf(n) });
        return;
      }
      if (c.resource) return;
      if (method === 'get_paginator') {
        const op = str(args?.namedChildren[0]);
        if (op) calls.push({ sdk: 'boto3', service: c.service, operation: snakeToPascal(op), label: `${c.service}.get_paginator('${op}')`, hints: [], range: rangeOf(n) });
        return;
      }
      if (NOT_OPERATIONS.has(method) || method.startsWith('_')) return;
      calls.push({ sdk: 'boto3', service: c.service, operation: snakeToPascal(method), label: `${c.service}.${method}`, hints: kwHints(args), range: rangeOf(n) });
    }
  });
  return facts;
}
