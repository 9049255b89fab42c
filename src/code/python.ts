// Python handler files: top-level functions, imports, boto3 calls. Parsed with web-tree-sitter and
// the tree-sitter-python grammar, both loaded on first use (web-tree-sitter reports offsets in
// UTF-16 code units, as the LineIndex expects).
// Over 600 lines because: one walk of the tree collects every fact of a file (imports, units, boto3
// clients, resources, waiters, paginators, Powertools helpers); splitting it would walk twice.
import type {
  CodeRef,
  CodeUnit,
  DeferredCall,
  FileFacts,
  Guard,
  GuardValue,
  ModuleBinding,
  RawSdkCall,
  ResourceHint,
} from './facts.js';
import { UNKNOWN, keep, not, reachingBinding } from './guard.js';
import { LineIndex } from '../source/lines.js';
import { type SyntaxNode, copySyntaxTree, grammarParser } from '../source/tree-sitter.js';
import { compiledPythonModules, pythonWasmFiles } from './python-wasm.js';
import { RESOURCE_PARAMS, snakeToPascal } from './sdk-map.js';
import { BOTO3_WAITERS } from '../data/boto3-waiters.js';

/** A node of the syntax tree, copied once into plain JavaScript (source/tree-sitter.ts). */
type TSNode = SyntaxNode;

let parserPromise: Promise<import('web-tree-sitter').Parser> | undefined;

function loadParser(): Promise<import('web-tree-sitter').Parser> {
  return (parserPromise ??= (async () => {
    const compiled = await compiledPythonModules();
    return grammarParser([pythonWasmFiles().language], compiled);
  })());
}

/** Client methods that are not API operations. */
const NOT_OPERATIONS = new Set([
  'get_waiter',
  'generate_presigned_url',
  'generate_presigned_post',
  'close',
  'can_paginate',
  'get_paginator',
  'exceptions',
  'meta',
]);
const TABLE_METHODS: Record<string, string> = {
  get_item: 'GetItem',
  put_item: 'PutItem',
  update_item: 'UpdateItem',
  delete_item: 'DeleteItem',
  query: 'Query',
  scan: 'Scan',
  batch_writer: 'BatchWriteItem',
};
/** Methods of an S3 Bucket resource (`boto3.resource('s3').Bucket(name)`) and the operations they call. */
const BUCKET_METHODS: Record<string, string> = {
  put_object: 'PutObject',
  upload_file: 'UploadFile',
  upload_fileobj: 'UploadFileobj',
  download_file: 'DownloadFile',
  download_fileobj: 'DownloadFileobj',
  delete_objects: 'DeleteObjects',
};

/**
 * Powertools for AWS Lambda (Python) parameters functions and provider methods → the operations
 * they call. Source: the Parameters utility docs, "IAM Permissions"
 * (https://docs.powertools.aws.dev/lambda/python/latest/utilities/parameters/#iam-permissions).
 * `decrypt=True` needs kms:Decrypt on the parameter's key, which the code does not name; with the
 * AWS managed key aws/ssm the key policy grants Decrypt to every principal of the account
 * (https://docs.aws.amazon.com/systems-manager/latest/userguide/ps-restrict-decryption.html): not charged.
 */
const PY_PARAMETER_FUNCTIONS: Record<string, { service: string; operations: string[]; hint?: string }> = {
  get_parameter: { service: 'ssm', operations: ['GetParameter'], hint: 'Name' },
  get_parameters: { service: 'ssm', operations: ['GetParametersByPath'], hint: 'Path' },
  get_parameters_by_name: { service: 'ssm', operations: ['GetParameter', 'GetParameters'] },
  get_secret: { service: 'secretsmanager', operations: ['GetSecretValue'], hint: 'SecretId' },
  get_app_config: { service: 'appconfig', operations: ['StartConfigurationSession', 'GetLatestConfiguration'] },
};
const PY_PARAMETER_PROVIDERS: Record<
  string,
  Record<string, { service: string; operations: string[]; hint?: string }>
> = {
  SSMProvider: {
    get: { service: 'ssm', operations: ['GetParameter'], hint: 'Name' },
    get_multiple: { service: 'ssm', operations: ['GetParametersByPath'], hint: 'Path' },
    get_parameters_by_name: { service: 'ssm', operations: ['GetParameter', 'GetParameters'] },
  },
  SecretsProvider: { get: { service: 'secretsmanager', operations: ['GetSecretValue'], hint: 'SecretId' } },
  DynamoDBProvider: {
    get: { service: 'dynamodb', operations: ['GetItem'] },
    get_multiple: { service: 'dynamodb', operations: ['Query'] },
  },
  AppConfigProvider: {
    get: { service: 'appconfig', operations: ['StartConfigurationSession', 'GetLatestConfiguration'] },
  },
};
const PY_PARAMETERS = /^aws_lambda_powertools\.utilities\.parameters(?:\.\w+)*$/;
/**
 * Powertools idempotency with DynamoDBPersistenceLayer: the item actions on its table, when the
 * idempotent function runs. Source: the Idempotency utility docs, "IAM Permissions"
 * (https://docs.powertools.aws.dev/lambda/python/latest/utilities/idempotency/#iam-permissions).
 */
const PY_IDEMPOTENCY = /^aws_lambda_powertools\.utilities\.idempotency(?:\.\w+)*$/;
const IDEMPOTENCY_OPERATIONS = ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'];
/** TransactItems entries → the action each is authorised as (DynamoDB developer guide, "Using IAM with DynamoDB transactions"). */
const TRANSACT_ITEM_OPERATIONS: Record<string, string> = {
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  ConditionCheck: 'ConditionCheckItem',
  Get: 'GetItem',
};

interface PyClient {
  service: string;
  /** A DynamoDB Table resource, with the table name hint (null: a name the code does not tell). */
  table?: ResourceHint | null;
  /** An S3 Bucket resource, with the bucket name hint. */
  bucket?: ResourceHint | null;
  resource?: boolean;
}

function walk(n: TSNode, f: (n: TSNode) => boolean | void): void {
  if (f(n) === false) return;
  const kids = n.namedChildren;
  for (let i = 0; i < kids.length; i++) walk(kids[i], f);
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
  if (tree.rootNode.hasError) facts.parseError = 'syntax error';
  const root = copySyntaxTree(tree, text, { fields: true });
  tree.delete();

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
    } else if (
      st.type === 'expression_statement' ||
      st.type === 'if_statement' ||
      st.type === 'try_statement' ||
      st.type === 'with_statement' ||
      st.type === 'for_statement'
    ) {
      // Names bound by assignments, conditionals and the like are callable or not: cannot tell.
      walk(st, (n) => {
        if (n.type === 'assignment') {
          const l = n.childForFieldName('left');
          if (l?.type === 'identifier' && !facts.exports.has(l.text))
            facts.exports.set(l.text, { kind: 'unknown', range: rangeOf(l) });
        }
        if (n.type === 'function_definition') {
          const name = n.childForFieldName('name');
          if (name && !facts.exports.has(name.text))
            facts.exports.set(name.text, { kind: 'unknown', range: rangeOf(name) });
          return false;
        }
      });
    } else if (st.type === 'import_from_statement' || st.type === 'import_statement') {
      // `from x import handler` binds a name the handler can be.
      for (const c of st.namedChildren) {
        if (!c || c.startIndex === st.childForFieldName('module_name')?.startIndex) continue;
        if (c.type === 'wildcard_import') facts.openExports = true;
        const nm =
          c.type === 'aliased_import' ? c.childForFieldName('alias') : c.type === 'dotted_name' ? c : undefined;
        if (nm && st.type === 'import_from_statement')
          facts.exports.set(nm.text, { kind: 'unknown', range: rangeOf(nm) });
      }
    }
  }

  const inTry = (n: TSNode): boolean => {
    for (let p = n.parent; p; p = p.parent) if (p.type === 'try_statement') return true;
    return false;
  };
  /**
   * Whether a node is in the body of `if TYPE_CHECKING:` (`typing.TYPE_CHECKING`, `t.TYPE_CHECKING`):
   * typing.TYPE_CHECKING is False when the code runs (https://docs.python.org/3/library/typing.html#typing.TYPE_CHECKING),
   * so its imports never load, whatever type checkers read there (`from mypy_boto3_s3 import S3Client`,
   * a stub package that is no runtime dependency).
   */
  const typeCheckingOnly = (n: TSNode): boolean => {
    for (let c = n, p = n.parent; p; c = p, p = p.parent) {
      if (p.type !== 'if_statement' || c !== p.childForFieldName('consequence')) continue;
      const cond = p.childForFieldName('condition');
      const name = cond?.type === 'attribute' ? cond.childForFieldName('attribute') : cond;
      if (name?.type === 'identifier' && name.text === 'TYPE_CHECKING') return true;
    }
    return false;
  };

  // Imports. `import a.b`, `from a.b import c`; relative imports are local. The same walk finds
  // the names imports bind: `import a.b` → a; `import a.b as c` → c; `from a import b` → b.
  const boto3Names = new Set<string>();
  const osNames = new Set<string>();
  const environNames = new Set<string>();
  const getenvNames = new Set<string>();
  const imported = new Map<string, { spec: string; path: string[] }>();
  const starImports: string[] = [];
  walk(root, (n) => {
    if (n.type === 'import_statement') {
      for (const c of n.namedChildren) {
        const dn = c?.type === 'aliased_import' ? c.childForFieldName('name') : c;
        if (!c || dn?.type !== 'dotted_name') continue;
        if (c.type === 'aliased_import')
          imported.set(c.childForFieldName('alias')?.text ?? '', { spec: dn.text, path: [] });
        else imported.set(dn.text.split('.')[0], { spec: dn.text.split('.')[0], path: [] });
      }
      for (const c of n.namedChildren) {
        if (!c) continue;
        const dn = c.type === 'aliased_import' ? c.childForFieldName('name') : c;
        if (!dn || dn.type !== 'dotted_name') continue;
        if (!inTry(n) && !typeCheckingOnly(n))
          facts.imports.push({ specifier: dn.text, range: rangeOf(dn), relative: false });
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
      for (const c of n.namedChildren) {
        if (!c || c.startIndex === mod.startIndex) continue;
        if (c.type === 'wildcard_import') {
          starImports.push(mod.text);
          continue;
        }
        const nm = c.type === 'aliased_import' ? c.childForFieldName('name')?.text : c.text;
        const as = c.type === 'aliased_import' ? c.childForFieldName('alias')?.text : c.text;
        if (nm && as) imported.set(as, { spec: mod.text, path: [nm] });
      }
      if (mod.type === 'relative_import') return false;
      if (!inTry(n) && !typeCheckingOnly(n))
        facts.imports.push({ specifier: mod.text, range: rangeOf(mod), relative: false });
      const names = n.namedChildren
        .filter((c): c is TSNode => !!c && c.startIndex !== mod.startIndex)
        .map((c) => (c.type === 'aliased_import' ? c.childForFieldName('name')?.text : c.text));
      if (mod.text === 'os' && names.includes('environ')) environNames.add('environ');
      if (mod.text === 'os' && names.includes('getenv')) getenvNames.add('getenv');
      if (
        (/^aws_xray_sdk/.test(mod.text) ||
          (/^aws_lambda_powertools/.test(mod.text) && (names.includes('Tracer') || /tracing/.test(mod.text)))) &&
        !facts.tracer
      )
        facts.tracer = rangeOf(mod);
      return false;
    }
  });
  if (starImports.length) facts.starImports = starImports;

  /** `os.environ` (under any name `os` was imported as) or `environ` imported from os. */
  const isEnviron = (e: TSNode | null) =>
    !!e &&
    ((e.type === 'attribute' &&
      osNames.has(e.childForFieldName('object')?.text ?? '') &&
      e.childForFieldName('attribute')?.text === 'environ') ||
      (e.type === 'identifier' && environNames.has(e.text)));
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
  const hintValue = (
    n: TSNode | null | undefined,
  ): { literal?: string; env?: string; prefix?: string; event?: 's3-bucket' } | undefined => {
    if (!n) return undefined;
    if ((n.type === 'subscript' || n.type === 'attribute') && isS3EventBucket(n)) return { event: 's3-bucket' };
    const s = str(n);
    if (s !== undefined) return { literal: s };
    if (n.type === 'true' || n.type === 'false') return { literal: n.type };
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
      if (!RESOURCE_PARAMS.has(name)) continue;
      const v = hintValue(a.childForFieldName('value'));
      if (v) out.push({ param: name, ...v });
    }
    return out;
  };

  // ---- Branch guards: conditions on environment variables (src/code/guard.ts). ----------------
  const readsEnv = osNames.size > 0 || environNames.size > 0 || getenvNames.size > 0;
  const envName = (n: TSNode): string | undefined => {
    if (n.type === 'subscript' && isEnviron(n.childForFieldName('value'))) return str(n.childForFieldName('subscript'));
    if (n.type !== 'call') return undefined;
    const f = n.childForFieldName('function');
    const first = n.childForFieldName('arguments')?.namedChildren[0];
    if (f?.type === 'identifier' && getenvNames.has(f.text)) return str(first);
    if (f?.type !== 'attribute') return undefined;
    const attr = f.childForFieldName('attribute')?.text;
    const obj = f.childForFieldName('object');
    if ((attr === 'get' && isEnviron(obj)) || (attr === 'getenv' && osNames.has(obj?.text ?? ''))) return str(first);
    return undefined;
  };
  const isEnvironNode = (e: TSNode) =>
    (e.type === 'attribute' &&
      osNames.has(e.childForFieldName('object')?.text ?? '') &&
      e.childForFieldName('attribute')?.text === 'environ') ||
    (e.type === 'identifier' && environNames.has(e.text));
  /** Bindings of names per scope (module, def, lambda, class body), in text order; names made `global` / `nonlocal` anywhere. */
  interface PyBinding {
    start: number;
    /** `x = value` as a statement of the scope's own body: it holds from there on. */
    plain: boolean;
    right?: TSNode;
  }
  interface ScopeInfo {
    bindings: Map<TSNode, Map<string, PyBinding[]>>;
    unsafe: Set<string>;
  }
  let scopeInfo: ScopeInfo | undefined;
  const SCOPES = new Set(['function_definition', 'lambda', 'class_definition']);
  const scopes = (): ScopeInfo => {
    if (scopeInfo) return scopeInfo;
    const info: ScopeInfo = { bindings: new Map(), unsafe: new Set() };
    const add = (scope: TSNode, name: string, b: PyBinding) => {
      let m = info.bindings.get(scope);
      if (!m) info.bindings.set(scope, (m = new Map()));
      const list = m.get(name);
      if (list) list.push(b);
      else m.set(name, [b]);
    };
    const names = (n: TSNode | null | undefined, scope: TSNode) => {
      if (!n) return;
      if (n.type === 'identifier') add(scope, n.text, { start: n.startIndex, plain: false });
      else if (n.type !== 'attribute' && n.type !== 'subscript') for (const c of n.namedChildren) names(c, scope);
    };
    const visitPy = (n: TSNode, scope: TSNode): void => {
      switch (n.type) {
        case 'function_definition':
        case 'class_definition':
        case 'lambda': {
          if (n.type !== 'lambda') names(n.childForFieldName('name'), scope);
          for (const p of n.childForFieldName('parameters')?.namedChildren ?? []) {
            if (!p) continue;
            const id =
              p.type === 'identifier'
                ? p
                : p.type === 'default_parameter' || p.type === 'typed_default_parameter'
                  ? p.childForFieldName('name')
                  : p.namedChildren.find((c) => c?.type === 'identifier');
            if (id) add(n, id.text, { start: id.startIndex, plain: false });
            const dflt = p.childForFieldName('value');
            if (dflt) visitPy(dflt, scope);
          }
          for (const c of n.namedChildren) if (c && c.type !== 'parameters' && c.type !== 'identifier') visitPy(c, n);
          return;
        }
        case 'assignment': {
          const l = n.childForFieldName('left');
          const r = n.childForFieldName('right');
          const st = n.parent;
          const body = st?.type === 'expression_statement' ? st.parent : undefined;
          const plain =
            l?.type === 'identifier' &&
            !!r &&
            r.type !== 'assignment' &&
            !!body &&
            (body.type === 'module' || (body.type === 'block' && SCOPES.has(body.parent?.type ?? '')));
          if (l?.type === 'identifier')
            add(scope, l.text, { start: l.startIndex, plain, right: plain ? r! : undefined });
          else names(l, scope);
          if (r) visitPy(r, scope);
          return;
        }
        case 'augmented_assignment':
        case 'for_statement':
        case 'for_in_clause':
        case 'named_expression':
          names(n.childForFieldName(n.type === 'named_expression' ? 'name' : 'left'), scope);
          break;
        case 'as_pattern':
          names(n.childForFieldName('alias'), scope);
          break;
        case 'delete_statement':
          names(n, scope);
          return;
        case 'global_statement':
        case 'nonlocal_statement':
          for (const c of n.namedChildren) if (c) info.unsafe.add(c.text);
          return;
        case 'import_statement':
        case 'import_from_statement': {
          const mod = n.childForFieldName('module_name');
          for (const c of n.namedChildren) {
            if (!c || (mod && c.startIndex === mod.startIndex)) continue;
            const as = c.type === 'aliased_import' ? c.childForFieldName('alias') : c;
            const name =
              n.type === 'import_statement' && c.type !== 'aliased_import' ? as?.text.split('.')[0] : as?.text;
            if (name) add(scope, name, { start: c.startIndex, plain: false });
          }
          return;
        }
      }
      for (const c of n.namedChildren) if (c) visitPy(c, scope);
    };
    visitPy(root, root);
    return (scopeInfo = info);
  };
  /** The value a name holds where `at` reads it, when it is an environment variable or a literal. */
  const nameValue = (at: TSNode, depth: number): GuardValue | undefined => {
    const { bindings, unsafe } = scopes();
    const name = at.text;
    if (unsafe.has(name)) return undefined;
    const chain: TSNode[] = [];
    const loops: [number, number][] = [];
    for (let p = at.parent; p; p = p.parent) {
      if (p.type === 'class_definition' && !chain.length) return undefined;
      if (p.type === 'function_definition' || p.type === 'lambda') chain.push(p);
      if (!chain.length && (p.type === 'for_statement' || p.type === 'while_statement'))
        loops.push([p.startIndex, p.endIndex]);
    }
    const inner = chain[0] ?? root;
    const own = bindings.get(inner)?.get(name);
    if (own?.length) {
      const b = reachingBinding(own, at.startIndex, loops);
      return b?.right ? guardValue(b.right, depth + 1) : undefined;
    }
    if (inner === root) return undefined;
    if (chain.slice(1).some((s) => bindings.get(s)?.get(name)?.length)) return undefined;
    // A module constant: bound once, unconditionally, at the module level.
    const mod = bindings.get(root)?.get(name);
    return mod?.length === 1 && mod[0].right ? guardValue(mod[0].right, depth + 1) : undefined;
  };
  const CASE_OPS: Record<string, 'lower' | 'upper' | 'strip'> = {
    lower: 'lower',
    casefold: 'lower',
    upper: 'upper',
    strip: 'strip',
  };
  function guardValue(n: TSNode | null | undefined, depth = 0): GuardValue | undefined {
    if (!n || depth > 8) return undefined;
    if (n.type === 'none') return { lit: null };
    const s = str(n);
    if (s !== undefined) return { lit: s };
    if (n.type === 'parenthesized_expression') return guardValue(n.namedChildren[0], depth + 1);
    if (n.type === 'identifier') return nameValue(n, depth);
    const env = envName(n);
    if (env !== undefined) return { env };
    const f = n.type === 'call' ? n.childForFieldName('function') : undefined;
    const op = f?.type === 'attribute' ? CASE_OPS[f.childForFieldName('attribute')?.text ?? ''] : undefined;
    if (op && !n.childForFieldName('arguments')?.namedChildren.length) {
      const v = guardValue(f!.childForFieldName('object'), depth + 1);
      if (v && 'env' in v) return { env: v.env, ops: [...(v.ops ?? []), op] };
      if (v?.lit)
        return { lit: op === 'lower' ? v.lit.toLowerCase() : op === 'upper' ? v.lit.toUpperCase() : v.lit.trim() };
    }
    return undefined;
  }
  const strsOf = (n: TSNode | null | undefined): string[] | undefined => {
    const one = str(n);
    if (one !== undefined) return [one];
    if (n?.type !== 'tuple') return undefined;
    const out = n.namedChildren.map((c) => str(c));
    return out.every((x): x is string => x !== undefined) ? out : undefined;
  };
  /** A condition as a guard (truthiness, as `if` reads it). */
  const condOf = (e: TSNode | null | undefined, depth = 0): Guard => {
    if (!e || depth > 20) return UNKNOWN;
    switch (e.type) {
      case 'parenthesized_expression':
        return condOf(e.namedChildren[0], depth + 1);
      case 'not_operator':
        return not(condOf(e.childForFieldName('argument'), depth + 1));
      case 'boolean_operator':
        return {
          k: e.childForFieldName('operator')?.text === 'and' ? 'and' : 'or',
          of: [condOf(e.childForFieldName('left'), depth + 1), condOf(e.childForFieldName('right'), depth + 1)],
        };
      case 'comparison_operator': {
        // Two operands, so one operator (the tree keeps the first child of each field).
        const opNode = e.childForFieldName('operators');
        const [a, b] = e.namedChildren;
        if (!opNode || e.namedChildren.length !== 2 || !a || !b) return UNKNOWN;
        const op = opNode.text.replace(/\s+/g, ' ');
        if (op === '==' || op === '!=' || op === 'is' || op === 'is not') {
          const va = guardValue(a);
          const vb = guardValue(b);
          if (!va || !vb) return UNKNOWN;
          if (op.startsWith('is') && !(('lit' in va && va.lit === null) || ('lit' in vb && vb.lit === null)))
            return UNKNOWN;
          const g: Guard = { k: 'eq', a: va, b: vb };
          return op === '!=' || op === 'is not' ? not(g) : g;
        }
        if (op !== 'in' && op !== 'not in') return UNKNOWN;
        let g: Guard = UNKNOWN;
        if (b.type === 'tuple' || b.type === 'list' || b.type === 'set') {
          const list = b.namedChildren.map((c) => (c?.type === 'none' ? null : str(c)));
          const v = guardValue(a);
          if (v && list.every((x) => x !== undefined)) g = { k: 'oneOf', v, list: list as (string | null)[] };
        } else if (isEnvironNode(b)) {
          const k = str(a);
          if (k !== undefined) g = { k: 'has', env: k };
        } else {
          const k = str(a);
          const v = guardValue(b);
          if (k !== undefined && v) g = { k: 'contains', s: v, args: [k] };
        }
        return op === 'not in' && g.k !== 'unknown' ? not(g) : g;
      }
      case 'call': {
        const f = e.childForFieldName('function');
        const args = e.childForFieldName('arguments')?.namedChildren ?? [];
        const attr = f?.type === 'attribute' ? f.childForFieldName('attribute')?.text : undefined;
        if ((attr === 'startswith' || attr === 'endswith') && args.length === 1) {
          const s = guardValue(f!.childForFieldName('object'));
          const list = strsOf(args[0]);
          if (s && list) return { k: attr === 'startswith' ? 'starts' : 'ends', s, args: list };
          return UNKNOWN;
        }
        if (f?.type === 'identifier' && f.text === 'bool' && args.length === 1) return condOf(args[0], depth + 1);
        break;
      }
    }
    const v = guardValue(e);
    return v ? { k: 'truthy', v } : UNKNOWN;
  };
  const same = (a: TSNode | null | undefined, b: TSNode | null | undefined) => !!a && a === b;
  /** The conditions of the branches around a node (up to the module), when some can be decided. */
  const guardOf = (n: TSNode): Guard | undefined => {
    if (!readsEnv) return undefined;
    const parts: Guard[] = [];
    for (let c = n, p = n.parent; p; c = p, p = p.parent) {
      if (p.type === 'if_statement') {
        if (same(c, p.childForFieldName('consequence'))) parts.push(condOf(p.childForFieldName('condition')));
      } else if (p.type === 'elif_clause' || p.type === 'else_clause') {
        const ifs = p.parent;
        if (ifs?.type !== 'if_statement') continue;
        // The branches before this one were not taken.
        parts.push(not(condOf(ifs.childForFieldName('condition'))));
        for (const alt of ifs.namedChildren.filter((x) => x.type === 'elif_clause' || x.type === 'else_clause')) {
          if (!alt || same(alt, p)) break;
          parts.push(not(condOf(alt.childForFieldName('condition'))));
        }
        if (p.type === 'elif_clause' && same(c, p.childForFieldName('consequence')))
          parts.push(condOf(p.childForFieldName('condition')));
      } else if (p.type === 'conditional_expression') {
        const [a, cond, b] = p.namedChildren;
        if (same(c, a)) parts.push(condOf(cond));
        else if (same(c, b)) parts.push(not(condOf(cond)));
      } else if (p.type === 'boolean_operator' && same(c, p.childForFieldName('right'))) {
        const l = condOf(p.childForFieldName('left'));
        parts.push(p.childForFieldName('operator')?.text === 'and' ? l : not(l));
      }
    }
    return keep(parts.length === 1 ? parts[0] : parts.length ? { k: 'and', of: parts } : undefined);
  };
  const guarded = (n: TSNode): { guard?: Guard } => {
    const g = guardOf(n);
    return g ? { guard: g } : {};
  };

  // ---- Code units: module functions, classes and their methods, the module top level (''). ----
  /** Module-level classes: name → methods and base class names. */
  const classes = new Map<string, { methods: Set<string>; bases: string[] }>();
  const moduleDefs = new Set<string>();
  for (const st of root.namedChildren) {
    const def = st?.type === 'decorated_definition' ? st.childForFieldName('definition') : st;
    const name = def?.childForFieldName('name')?.text;
    if (!def || !name) continue;
    if (def.type === 'function_definition') moduleDefs.add(name);
    if (def.type === 'class_definition') {
      const methods = new Set<string>();
      for (const m of def.childForFieldName('body')?.namedChildren ?? []) {
        const md = m?.type === 'decorated_definition' ? m.childForFieldName('definition') : m;
        const mn = md?.type === 'function_definition' ? md.childForFieldName('name')?.text : undefined;
        if (mn) methods.add(mn);
      }
      const bases = (def.childForFieldName('superclasses')?.namedChildren ?? [])
        .filter((b): b is TSNode => b?.type === 'identifier')
        .map((b) => b.text);
      classes.set(name, { methods, bases });
    }
  }
  /** The unit a node is in: the module-level function or method around it, or '' (module and class bodies). */
  const unitOf = (n: TSNode): { unit: string; cls?: string } => {
    let fnNode: TSNode | undefined;
    for (let p = n.parent; p; p = p.parent) if (p.type === 'function_definition') fnNode = p;
    if (!fnNode) return { unit: '' };
    const name = fnNode.childForFieldName('name')?.text ?? '';
    let up = fnNode.parent;
    if (up?.type === 'decorated_definition') up = up.parent;
    const clsNode = up?.type === 'block' && up.parent?.type === 'class_definition' ? up.parent : undefined;
    const clsUp = clsNode?.parent?.type === 'decorated_definition' ? clsNode.parent.parent : clsNode?.parent;
    const cls = clsNode && clsUp?.type === 'module' ? clsNode.childForFieldName('name')?.text : undefined;
    if (cls) return { unit: `${cls}.${name}`, cls };
    return { unit: name };
  };

  // ---- boto3 clients and resources -------------------------------------------------------------
  /** `boto3.client('s3')`, `session.client('s3')`, `boto3.resource('dynamodb')`, `<resource>.Table(name)`. */
  const clients = new Map<string, PyClient>();
  /** Clients held by instances: `self.table = ...` in a method of class C → `C.table`. */
  const attrClients = new Map<string, PyClient>();
  const hasBoto3 = boto3Names.size > 0 || text.includes('boto3');
  const clientOf = (n: TSNode | null): PyClient | undefined => {
    if (!n || !hasBoto3) return undefined;
    if (n.type === 'identifier') return clients.get(n.text);
    if (n.type === 'attribute') {
      const obj = n.childForFieldName('object');
      const cls = unitOf(n).cls;
      if (cls && (obj?.text === 'self' || obj?.text === 'cls'))
        return (
          attrClients.get(`${cls}.${n.childForFieldName('attribute')?.text}`) ??
          attrClients.get(`*.${n.childForFieldName('attribute')?.text}`)
        );
      return undefined;
    }
    if (n.type !== 'call') return undefined;
    const fnNode = n.childForFieldName('function');
    const args = n.childForFieldName('arguments');
    if (fnNode?.type !== 'attribute') return undefined;
    const attr = fnNode.childForFieldName('attribute')?.text;
    const obj = fnNode.childForFieldName('object');
    const first = args?.namedChildren.find((a) => a?.type !== 'keyword_argument') ?? null;
    const serviceKw = args?.namedChildren.find(
      (a) => a?.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'service_name',
    );
    const svc = str(first) ?? str(serviceKw?.childForFieldName('value'));
    if ((attr === 'client' || attr === 'resource') && svc && boto3Names.size > 0)
      return { service: svc, resource: attr === 'resource' };
    if (attr === 'Table') {
      const parent = clientOf(obj);
      if (parent?.resource && parent.service === 'dynamodb') {
        const h = hintValue(first);
        return { service: 'dynamodb', table: h ? { param: 'TableName', ...h } : null };
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

  /** `client.get_waiter('name')`: the client and the waiter's name. */
  const waiterOf = (n: TSNode | null): { client: PyClient; name: string } | undefined => {
    if (n?.type !== 'call') return undefined;
    const f = n.childForFieldName('function');
    if (f?.type !== 'attribute' || f.childForFieldName('attribute')?.text !== 'get_waiter') return undefined;
    const c = clientOf(f.childForFieldName('object'));
    const name = str(n.childForFieldName('arguments')?.namedChildren[0]);
    return c && !c.resource && name !== undefined ? { client: c, name } : undefined;
  };
  /** Names holding a waiter; a waiter is charged where it waits (`w.wait(Bucket=...)` names the resource). */
  const waiters = new Map<string, { client: PyClient; name: string }>();
  const waitedOn = (n: TSNode): boolean => {
    const p = n.parent;
    if (p?.type === 'attribute' && p.childForFieldName('attribute')?.text === 'wait' && p.parent?.type === 'call')
      return true;
    const a = p?.type === 'assignment' ? p.childForFieldName('left') : undefined;
    return a?.type === 'identifier' && waiters.has(a.text) && waitCalls.has(a.text);
  };
  const waitCalls = new Set<string>();

  /** The dotted name a callee stands for when it comes from an import (`parameters.get_parameter` → `aws_lambda_powertools.utilities.parameters.get_parameter`). */
  const importedName = (n: TSNode | null | undefined): string | undefined => {
    const r = n ? refOfName(n) : undefined;
    return r && 'spec' in r ? [r.spec, ...r.path].join('.') : undefined;
  };
  /** `SSMProvider()`, `DynamoDBProvider(table_name=...)`, `DynamoDBPersistenceLayer(table_name=...)` from Powertools. */
  const powertoolsObject = (
    r: TSNode | null,
  ): { kind: 'provider' | 'persistence'; cls: string; hints: ResourceHint[] } | undefined => {
    if (r?.type !== 'call') return undefined;
    const name = importedName(r.childForFieldName('function'));
    if (!name) return undefined;
    const cls = name.slice(name.lastIndexOf('.') + 1);
    const mod = name.slice(0, name.lastIndexOf('.'));
    const table = (r.childForFieldName('arguments')?.namedChildren ?? []).find(
      (a) => a?.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'table_name',
    );
    const tv = table ? hintValue(table.childForFieldName('value')) : undefined;
    const hints: ResourceHint[] = tv && tv.prefix === undefined ? [{ param: 'TableName', ...tv }] : [];
    if (PY_PARAMETERS.test(mod) && PY_PARAMETER_PROVIDERS[cls]) return { kind: 'provider', cls, hints };
    if (PY_IDEMPOTENCY.test(mod) && cls === 'DynamoDBPersistenceLayer') return { kind: 'persistence', cls, hints };
    return undefined;
  };
  const providers = new Map<string, { cls: string; hints: ResourceHint[] }>();
  const persistence = new Map<
    string,
    { hints: ResourceHint[]; range: RawSdkCall['range']; unit: string; used: boolean }
  >();
  /** The first positional argument (or `name=`) as the hint a helper's `param` is. */
  const helperHints = (args: TSNode | null, param: string | undefined): ResourceHint[] => {
    if (!param) return [];
    const first =
      args?.namedChildren.find((a) => a?.type !== 'keyword_argument') ??
      args?.namedChildren
        .find((a) => a?.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'name')
        ?.childForFieldName('value');
    const v = hintValue(first);
    return v ? [{ param, ...v }] : [];
  };

  // Instances: `repo = Repo(...)` (a class of the module or an imported one).
  const instances = new Map<string, CodeRef>();
  const moduleInstances = new Set<string>();
  // Pass 1: what names and instance attributes hold (clients, strings, instances), in file order;
  // and the names `.wait(...)` is called on (waiters once every name is known).
  const waitedNames: string[] = [];
  walk(root, (n) => {
    if (n.type === 'call') {
      const f = n.childForFieldName('function');
      const o =
        f?.type === 'attribute' && f.childForFieldName('attribute')?.text === 'wait'
          ? f.childForFieldName('object')
          : undefined;
      if (o?.type === 'identifier') waitedNames.push(o.text);
      return;
    }
    if (n.type !== 'assignment') return;
    const l = n.childForFieldName('left');
    const r = n.childForFieldName('right');
    if (l?.type === 'identifier') {
      const c = clientOf(r);
      if (c) clients.set(l.text, c);
      const w = waiterOf(r);
      if (w) waiters.set(l.text, w);
      const pt = powertoolsObject(r);
      if (pt?.kind === 'provider') providers.set(l.text, pt);
      if (pt?.kind === 'persistence')
        persistence.set(l.text, { ...pt, range: rangeOf(r!), unit: unitOf(n).unit, used: false });
      const h = hintValue(r);
      if (h) strings.set(l.text, h);
      const callee = r?.type === 'call' ? r.childForFieldName('function') : undefined;
      const ref = callee ? refOfName(callee) : undefined;
      if (ref && ('spec' in ref || ('local' in ref && classes.has(ref.local)))) {
        instances.set(l.text, ref);
        if (unitOf(n).unit === '') moduleInstances.add(l.text);
      }
    } else if (
      l?.type === 'attribute' &&
      (l.childForFieldName('object')?.text === 'self' || l.childForFieldName('object')?.text === 'cls')
    ) {
      const c = clientOf(r);
      const cls = unitOf(n).cls;
      if (c && cls) attrClients.set(`${cls}.${l.childForFieldName('attribute')?.text}`, c);
    }
  });
  for (const name of waitedNames) if (waiters.has(name)) waitCalls.add(name);
  // Class-level attributes (`table = dynamodb.Table(...)` in a class body) are seen through `self`.
  for (const st of root.namedChildren) {
    const def = st?.type === 'decorated_definition' ? st.childForFieldName('definition') : st;
    if (def?.type !== 'class_definition') continue;
    const cls = def.childForFieldName('name')?.text ?? '';
    for (const m of def.childForFieldName('body')?.namedChildren ?? []) {
      const a = m?.type === 'expression_statement' ? m.namedChildren[0] : undefined;
      const l = a?.type === 'assignment' ? a.childForFieldName('left') : undefined;
      const c = a && l?.type === 'identifier' ? clientOf(a.childForFieldName('right')) : undefined;
      if (c) attrClients.set(`${cls}.${l!.text}`, c);
    }
  }

  /** What a name or a dotted chain refers to: a unit of the module, or a name reached through an import. */
  function refOfName(n: TSNode): CodeRef | undefined {
    const chain: string[] = [];
    let cur: TSNode | null = n;
    while (cur?.type === 'attribute') {
      chain.unshift(cur.childForFieldName('attribute')?.text ?? '');
      cur = cur.childForFieldName('object');
    }
    if (cur?.type !== 'identifier') return undefined;
    const base = cur.text;
    const here = base === 'self' || base === 'cls' ? unitOf(n) : undefined;
    if (here?.cls) {
      return chain.length ? methodOf({ local: here.cls }, chain[0]) : undefined;
    }
    if (moduleDefs.has(base)) return { local: base };
    if (classes.has(base)) return chain.length ? methodOf({ local: base }, chain[0]) : { local: base };
    const imp = imported.get(base);
    if (imp) return { spec: imp.spec, path: [...imp.path, ...chain] };
    const inst = instances.get(base);
    if (inst && chain.length) return methodOf(inst, chain[0]);
    return undefined;
  }
  function methodOf(cls: CodeRef, method: string): CodeRef | undefined {
    if ('spec' in cls) return { spec: cls.spec, path: [...cls.path, method] };
    if (!('local' in cls)) return undefined;
    const seen = new Set<string>();
    for (let c: string | undefined = cls.local; c && !seen.has(c);) {
      seen.add(c);
      const k = classes.get(c);
      if (!k) return undefined;
      if (k.methods.has(method)) return { local: `${c}.${method}` };
      // The first base of the module (or imported) that may hold it.
      const base = k.bases[0];
      const imp = base ? imported.get(base) : undefined;
      if (imp) return { spec: imp.spec, path: [...imp.path, method] };
      c = base;
    }
    return undefined;
  }

  // Pass 2: SDK calls, references between units, calls on clients of other modules.
  const units = new Map<string, CodeUnit>();
  const unit = (id: string): CodeUnit => {
    let u = units.get(id);
    if (!u) units.set(id, (u = { refs: [] }));
    return u;
  };
  unit('');
  for (const d of moduleDefs) unit(d);
  for (const [c, k] of classes) for (const m of k.methods) unit(`${c}.${m}`);
  const calls: RawSdkCall[] = facts.calls;
  const deferred: DeferredCall[] = [];
  walk(root, (n) => {
    if (n.type === 'import_from_statement') {
      // `from lib import f`: lib loads (its top level runs) and each name it imports is a
      // submodule that loads too, or a name that runs only where it is called.
      const mod = n.childForFieldName('module_name');
      if (typeCheckingOnly(n)) return false; // never runs: nothing loads
      const at = unit(unitOf(n).unit);
      for (const c of n.namedChildren) {
        if (!c || !mod || c.startIndex === mod.startIndex || c.type === 'wildcard_import') continue;
        const nm = c.type === 'aliased_import' ? c.childForFieldName('name')?.text : c.text;
        if (nm) at.refs.push({ spec: mod.text, path: [nm], load: true, ...guarded(n) });
      }
      if (mod && n.namedChildren.some((c) => c?.type === 'wildcard_import'))
        at.refs.push({ spec: mod.text, path: [], ...guarded(n) });
      return false;
    }
    if (n.type === 'decorated_definition') {
      // Registered by a framework at import time: `@app.get("/orders")`, `@router.post(...)`, `@app.route(...)`.
      const def = n.childForFieldName('definition');
      const name = def?.type === 'function_definition' ? def.childForFieldName('name')?.text : undefined;
      const registers = n.namedChildren.some((d) => {
        const call = d?.type === 'decorator' ? d.namedChildren[0] : undefined;
        const f = call?.type === 'call' ? call.childForFieldName('function') : undefined;
        return f?.type === 'attribute' && ROUTE_DECORATORS.has(f.childForFieldName('attribute')?.text ?? '');
      });
      if (name && registers && n.parent?.type === 'module') unit('').refs.push({ local: name });
      // `@idempotent(persistence_store=layer)` / `@idempotent_function(...)`: the layer's item actions, when the function runs.
      const body = def?.childForFieldName('body');
      for (const d of n.namedChildren) {
        const call = d?.type === 'decorator' ? d.namedChildren[0] : undefined;
        if (call?.type !== 'call' || !body) continue;
        const callee = importedName(call.childForFieldName('function'));
        if (
          !callee ||
          !PY_IDEMPOTENCY.test(callee.slice(0, callee.lastIndexOf('.'))) ||
          !/\.idempotent(_function)?$/.test(callee)
        )
          continue;
        for (const a of call.childForFieldName('arguments')?.namedChildren ?? []) {
          const v =
            a?.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'persistence_store'
              ? a.childForFieldName('value')
              : undefined;
          const layer = v?.type === 'identifier' ? persistence.get(v.text) : undefined;
          if (!layer) continue;
          layer.used = true;
          for (const op of IDEMPOTENCY_OPERATIONS)
            calls.push({
              sdk: 'boto3',
              service: 'dynamodb',
              operation: op,
              label: 'DynamoDBPersistenceLayer',
              hints: layer.hints,
              range: rangeOf(d!),
              unit: unitOf(body).unit,
            });
        }
      }
    }
    if (n.type === 'attribute' || n.type === 'identifier') {
      const parent = n.parent;
      if (n.type === 'identifier' && parent) {
        // Names being bound, not read: def and class names, parameters, keyword names.
        if (parent.type === 'attribute' && sameSpan(parent.childForFieldName('attribute'), n)) return;
        if (parent.type === 'keyword_argument' && sameSpan(parent.childForFieldName('name'), n)) return;
        if (BINDING_PARENTS.has(parent.type)) return;
        if (PARAMETER_PARENTS.has(parent.type) && !sameSpan(parent.childForFieldName('value'), n)) return;
      }
      const r = refOfName(n);
      if (r) unit(unitOf(n).unit).refs.push({ ...r, ...guarded(n) });
      if (n.type === 'identifier') return;
      // A chain `a.b.c`: read as a whole. Unknown object, called method: a dispatch lambdalint cannot follow.
      let base: TSNode | null = n;
      while (base?.type === 'attribute') base = base.childForFieldName('object');
      const called = parent?.type === 'call' && sameSpan(parent.childForFieldName('function'), n);
      if (
        !r &&
        called &&
        base?.type === 'identifier' &&
        !clientOf(n.childForFieldName('object')) &&
        !isBuiltinBase(base.text, imported)
      ) {
        unit(unitOf(n).unit).refs.push({ method: n.childForFieldName('attribute')?.text ?? '', ...guarded(n) });
      }
      if (base?.type === 'identifier') return false;
      return;
    }
    if (n.type !== 'call') return;
    const fnNode = n.childForFieldName('function');
    // Powertools parameters: `get_parameter("/x")`, `parameters.get_secret(...)`, `provider.get(...)`.
    const helperName = importedName(fnNode);
    const helperMod = helperName?.slice(0, helperName.lastIndexOf('.'));
    const fnHelper =
      helperMod && PY_PARAMETERS.test(helperMod)
        ? PY_PARAMETER_FUNCTIONS[helperName!.slice(helperMod.length + 1)]
        : undefined;
    const prov =
      fnNode?.type === 'attribute' && fnNode.childForFieldName('object')?.type === 'identifier'
        ? providers.get(fnNode.childForFieldName('object')!.text)
        : undefined;
    const provHelper = prov
      ? PY_PARAMETER_PROVIDERS[prov.cls][fnNode!.childForFieldName('attribute')?.text ?? '']
      : undefined;
    const helper = fnHelper ?? provHelper;
    if (helper) {
      const args = n.childForFieldName('arguments');
      const hints = [...helperHints(args, helper.hint), ...(prov?.hints ?? [])];
      const label = prov
        ? `${prov.cls}.${fnNode!.childForFieldName('attribute')?.text}`
        : helperName!.slice(helperName!.lastIndexOf('.') + 1);
      for (const op of helper.operations)
        calls.push({
          sdk: 'boto3',
          service: helper.service,
          operation: op,
          label,
          hints,
          range: rangeOf(n),
          unit: unitOf(n).unit,
          ...guarded(n),
        });
      return;
    }
    if (fnNode?.type !== 'attribute') return;
    const method = fnNode.childForFieldName('attribute')?.text ?? '';
    const objNode = fnNode.childForFieldName('object');
    const c = clientOf(objNode);
    const args = n.childForFieldName('arguments');
    const at = unitOf(n).unit;
    if (method === 'wait' && objNode) {
      // `client.get_waiter('x').wait(...)` or `w.wait(...)`: the operation the waiter polls, on what `wait` names.
      const w = objNode.type === 'identifier' ? waiters.get(objNode.text) : waiterOf(objNode);
      const call = w ? waiterCall(w.client, w.name, kwHints(args), rangeOf(n)) : undefined;
      if (call) calls.push({ ...call, unit: at, ...guarded(n) });
      if (w) return;
    }
    if (c && method === 'get_waiter' && waitedOn(n)) return;
    if (!c) {
      // `s3.put_object(...)` on a client another module created and this one imported.
      const ref = objNode ? refOfName(objNode) : undefined;
      if (ref && 'spec' in ref && !NOT_OPERATIONS.has(method) && !method.startsWith('_')) {
        deferred.push({
          unit: at,
          spec: ref.spec,
          path: ref.path,
          method,
          hints: kwHints(args),
          range: rangeOf(n),
          ...guarded(n),
        });
      }
      return;
    }
    if (
      c.service === 'dynamodb' &&
      !c.resource &&
      c.table === undefined &&
      (method === 'transact_write_items' || method === 'transact_get_items')
    ) {
      // One call per item, authorised as its own action on its own table; a list the code builds elsewhere is not known.
      const items = (args?.namedChildren ?? [])
        .find((a) => a?.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'TransactItems')
        ?.childForFieldName('value');
      for (const item of items?.type === 'list' ? items.namedChildren : []) {
        for (const pair of item?.type === 'dictionary' ? item.namedChildren : []) {
          const op =
            pair?.type === 'pair' ? TRANSACT_ITEM_OPERATIONS[str(pair.childForFieldName('key')) ?? ''] : undefined;
          const body = pair?.childForFieldName('value');
          if (!op || body?.type !== 'dictionary') continue;
          const tn = body.namedChildren.find(
            (p) => p?.type === 'pair' && str(p.childForFieldName('key')) === 'TableName',
          );
          const tv = tn ? hintValue(tn.childForFieldName('value')) : undefined;
          calls.push({
            sdk: 'boto3',
            service: 'dynamodb',
            operation: op,
            label: `dynamodb.${method}`,
            hints: tv && tv.prefix === undefined ? [{ param: 'TableName', ...tv }] : [],
            range: rangeOf(item!),
            unit: at,
            ...guarded(n),
          });
        }
      }
      return;
    }
    const call = sdkCall(c, method, kwHints(args), str(args?.namedChildren[0]), rangeOf(n));
    if (call) calls.push({ ...call, unit: at, ...guarded(n) });
  });
  // A persistence layer no idempotent decorator of this module uses: charged where it is made.
  for (const layer of persistence.values()) {
    if (!layer.used)
      for (const op of IDEMPOTENCY_OPERATIONS)
        calls.push({
          sdk: 'boto3',
          service: 'dynamodb',
          operation: op,
          label: 'DynamoDBPersistenceLayer',
          hints: layer.hints,
          range: layer.range,
          unit: layer.unit,
        });
  }
  facts.units = units;
  facts.deferred = deferred;
  // What importers can reach by name.
  const bindings = new Map<string, ModuleBinding>();
  for (const [name, imp] of imported) bindings.set(name, { spec: imp.spec, path: imp.path });
  for (const [name, ref] of instances) if (moduleInstances.has(name)) bindings.set(name, { instanceOf: ref });
  for (const [name, c] of clients) bindings.set(name, { client: c });
  for (const [name] of classes) bindings.set(name, { cls: name });
  for (const name of moduleDefs) bindings.set(name, { unit: name });
  facts.bindings = bindings;
  return facts;
}

/** Nodes whose identifiers are names being bound (def and class names, parameters), not read. */
const BINDING_PARENTS = new Set(['function_definition', 'class_definition', 'parameters', 'lambda_parameters']);
/** Parameters with a default or a type: their identifiers are bound, unless they are the default value. */
const PARAMETER_PARENTS = new Set(['default_parameter', 'typed_parameter', 'typed_default_parameter']);

/** Whether two nodes cover the same text. */
function sameSpan(x: SyntaxNode | null | undefined, n: SyntaxNode): boolean {
  return !!x && x.startIndex === n.startIndex && x.endIndex === n.endIndex;
}

/** A name that is not an object of the project's code: a module imported from elsewhere is read through `imported`, the rest are locals. */
function isBuiltinBase(name: string, imported: Map<string, unknown>): boolean {
  return imported.has(name) || name === 'self' || name === 'cls';
}

/** Decorators that register a function with a framework at import time (Powertools event handler, Chalice, Flask-style routers). */
const ROUTE_DECORATORS = new Set([
  'route',
  'get',
  'post',
  'put',
  'patch',
  'delete',
  'head',
  'options',
  'resolver',
  'batch_resolver',
  'api_route',
  'websocket',
  'on_s3_event',
  'on_sns_message',
  'on_sqs_message',
  'on_cw_event',
  'schedule',
  'lambda_function',
  'authorizer',
]);

/** The SDK call a method of a client makes, with what the call names. */
function sdkCall(
  c: PyClient,
  method: string,
  hints: ResourceHint[],
  firstString: string | undefined,
  range: RawSdkCall['range'],
): Omit<RawSdkCall, 'unit'> | undefined {
  if (c.table !== undefined) {
    const op = TABLE_METHODS[method];
    return op
      ? {
          sdk: 'boto3',
          service: 'dynamodb',
          operation: op,
          label: `Table.${method}`,
          hints: [...(c.table ? [c.table] : []), ...hints.filter((h) => h.param === 'IndexName')],
          range,
        }
      : undefined;
  }
  if (c.bucket !== undefined) {
    const op = BUCKET_METHODS[method];
    return op
      ? {
          sdk: 'boto3',
          service: 's3',
          operation: op,
          label: `Bucket.${method}`,
          hints: [...(c.bucket ? [c.bucket] : []), ...hints.filter((h) => h.param === 'Key')],
          range,
        }
      : undefined;
  }
  if (c.resource) return undefined;
  if (method === 'get_waiter') return firstString !== undefined ? waiterCall(c, firstString, [], range) : undefined;
  if (method === 'get_paginator') {
    return firstString
      ? {
          sdk: 'boto3',
          service: c.service,
          operation: snakeToPascal(firstString),
          label: `${c.service}.get_paginator('${firstString}')`,
          hints: [],
          range,
        }
      : undefined;
  }
  if (NOT_OPERATIONS.has(method) || method.startsWith('_')) return undefined;
  return {
    sdk: 'boto3',
    service: c.service,
    operation: snakeToPascal(method),
    label: `${c.service}.${method}`,
    hints,
    range,
  };
}

/**
 * A boto3 waiter: it polls one operation (botocore waiters-2.json, src/data/boto3-waiters.ts).
 * `get_waiter` takes the waiter's name in snake_case (boto3 `xform_name`): compared without case
 * and underscores. A name botocore does not have is no call.
 */
function waiterCall(
  c: PyClient,
  name: string,
  hints: ResourceHint[],
  range: RawSdkCall['range'],
): Omit<RawSdkCall, 'unit'> | undefined {
  const key = name.replace(/_/g, '').toLowerCase();
  const found = Object.entries(BOTO3_WAITERS[c.service] ?? {}).find(([w]) => w.toLowerCase() === key);
  return found
    ? {
        sdk: 'boto3',
        service: c.service,
        operation: found[1],
        label: `${c.service}.get_waiter('${name}')`,
        hints,
        range,
      }
    : undefined;
}

/** A call on a client created in another module: becomes an SDK call once that module says what the name holds. */
export function deferredSdkCall(d: DeferredCall, client: unknown): RawSdkCall | undefined {
  const c = client as PyClient;
  const call = sdkCall(c, d.method, d.hints, d.firstString, d.range);
  return call ? { ...call, unit: d.unit } : undefined;
}
