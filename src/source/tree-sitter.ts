// web-tree-sitter, shared by the Python (code/python.ts) and HCL (source/hcl.ts) parsers: the
// runtime is initialised once per thread, and a parsed tree is copied into plain JavaScript objects
// in one pass, so that the walks that read it never call into WebAssembly.
//
// The copy drives tree-sitter's cursor through the runtime's exported C functions directly. The
// public TreeCursor API writes the cursor's four words into the runtime's transfer buffer before
// every call and reads them back after every move (binding: lib/binding_web/lib/tree-sitter.c in
// tree-sitter/tree-sitter, `marshal_cursor` / `unmarshal_cursor`); in a loop over one cursor that
// nothing else touches, the buffer already holds them, so the copy calls the C functions alone:
// about three times faster than through TreeCursor on the Python of the 2,000-function bench,
// which was a quarter of reading a Python file. When the runtime does not expose those functions
// (another web-tree-sitter version), the copy goes through TreeCursor as before.

import fs from 'node:fs';
import { webAssembly } from './wasm.js';

type WTS = typeof import('web-tree-sitter');
type Tree = import('web-tree-sitter').Tree;

/**
 * The runtime's module object: Parser.init makes the options object it is given the Emscripten
 * module (`var Module = moduleArg`), with the C exports as `_name` properties and the memory views.
 */
interface RawModule {
  _ts_init?: () => number;
  _ts_tree_cursor_goto_first_child_wasm?: (tree: number) => number;
  _ts_tree_cursor_goto_next_sibling_wasm?: (tree: number) => number;
  _ts_tree_cursor_goto_parent_wasm?: (tree: number) => number;
  _ts_tree_cursor_current_node_type_id_wasm?: (tree: number) => number;
  _ts_tree_cursor_start_index_wasm?: (tree: number) => number;
  _ts_tree_cursor_end_index_wasm?: (tree: number) => number;
  _ts_tree_cursor_current_field_id_wasm?: (tree: number) => number;
  HEAP32?: Int32Array;
  /** Emscripten's hook: instantiates the runtime's module and hands the instance to `done`. */
  instantiateWasm?: (imports: object, done: (instance: object, module: object) => void) => object;
}

const raw: RawModule = {};
let loading: Promise<WTS> | undefined;
let transferBuffer: number | undefined;

/**
 * web-tree-sitter with its runtime initialised (once per thread, whichever grammar asks first).
 * `runtime`: the runtime's module, compiled already, instantiated here synchronously (web-tree-sitter
 * otherwise reads the file and instantiates it asynchronously, a round trip through V8's background
 * threads).
 */
export function webTreeSitter(runtime?: object): Promise<WTS> {
  return (loading ??= (async () => {
    const wts: WTS = await import('web-tree-sitter');
    if (runtime)
      raw.instantiateWasm = (imports, done) => {
        const instance = new webAssembly.Instance(runtime, imports);
        done(instance, runtime);
        return instance;
      };
    await wts.Parser.init(raw as object);
    // ts_init only stores the language versions in the buffer and returns its address.
    transferBuffer = typeof raw._ts_init === 'function' ? raw._ts_init() : undefined;
    return wts;
  })());
}

const NO_NODES: readonly SyntaxNode[] = [];

/** A parser for a grammar: the first of its WebAssembly files that loads (the last one's error otherwise). */
export async function grammarParser(
  files: readonly string[],
  compiled?: { runtime: object; language: object },
): Promise<import('web-tree-sitter').Parser> {
  const wts = await webTreeSitter(compiled?.runtime);
  let lang: import('web-tree-sitter').Language | undefined;
  if (compiled) lang = wts.Language.loadSync(compiled.language as WebAssembly.Module);
  for (let i = 0; !lang; i++) {
    try {
      lang = await wts.Language.load(fs.readFileSync(files[i]));
    } catch (e) {
      if (i >= files.length - 1) throw e;
    }
  }
  const parser = new wts.Parser();
  parser.setLanguage(lang);
  return parser;
}

/** A node of a copied tree. Offsets are web-tree-sitter's (UTF-16 code units). */
export class SyntaxNode {
  parent: SyntaxNode | null = null;
  /** The named children (a shared empty list for a node without any). */
  namedChildren: readonly SyntaxNode[] = NO_NODES;
  /** Every child, named or not, when the copy was asked for them (`children`). */
  kids: SyntaxNode[] | undefined;
  /** The first child of each field (`name`, `body`, `operator`...), named or not. */
  fields: Record<string, SyntaxNode> | undefined;
  constructor(
    private readonly source: string,
    readonly type: string,
    readonly isNamed: boolean,
    readonly startIndex: number,
    readonly endIndex: number,
  ) {}
  get text(): string {
    return this.source.slice(this.startIndex, this.endIndex);
  }
  /** Every child, named or not (empty unless the copy kept them: CopyOptions.children). */
  get children(): readonly SyntaxNode[] {
    return this.kids ?? NO_NODES;
  }
  childForFieldName(name: string): SyntaxNode | null {
    return this.fields?.[name] ?? null;
  }
}

/** What a copy keeps besides types, offsets and named children. */
export interface CopyOptions {
  /** Every child in `children`. */
  children?: boolean;
  /**
   * Every child in `children` under nodes of these types only (HCL reads the operators of its
   * operations, which are anonymous): elsewhere anonymous nodes are left out as without `children`.
   */
  childrenOf?: ReadonlySet<string>;
  /** The first child of each field in `fields` (Python). */
  fields?: boolean;
  /** Through web-tree-sitter's TreeCursor even when the C functions are there (tests compare the two). */
  viaTreeCursor?: boolean;
}

/** Whether copies call the runtime's cursor functions directly (once webTreeSitter() has resolved). */
export function copiesDirectly(): boolean {
  return transferBuffer !== undefined && typeof raw._ts_tree_cursor_goto_first_child_wasm === 'function';
}

/**
 * The cursor moves and reads a copy needs, whichever way they reach the runtime: each takes the
 * cursor's handle (the runtime's exports are called with it directly; TreeCursor's ignore it).
 */
interface Walker {
  handle: number;
  typeId(h: number): number;
  start(h: number): number;
  end(h: number): number;
  fieldId(h: number): number;
  /** 1 when the cursor moved. */
  firstChild(h: number): number;
  nextSibling(h: number): number;
  parent(h: number): number;
  done(): void;
}

function rawWalker(tree: Tree): Walker | undefined {
  const r = raw;
  const tb = transferBuffer;
  const first = r._ts_tree_cursor_goto_first_child_wasm;
  const next = r._ts_tree_cursor_goto_next_sibling_wasm;
  const up = r._ts_tree_cursor_goto_parent_wasm;
  const typeId = r._ts_tree_cursor_current_node_type_id_wasm;
  const start = r._ts_tree_cursor_start_index_wasm;
  const end = r._ts_tree_cursor_end_index_wasm;
  const field = r._ts_tree_cursor_current_field_id_wasm;
  const handle = (tree as unknown as Record<number, number>)[0];
  if (
    tb === undefined ||
    !r.HEAP32 ||
    typeof handle !== 'number' ||
    !first ||
    !next ||
    !up ||
    !typeId ||
    !start ||
    !end ||
    !field
  )
    return undefined;
  const cursor = tree.walk() as unknown as { handles?: number[]; nodeTypeId: number; delete(): void };
  if (!Array.isArray(cursor.handles) || cursor.handles.length !== 4) {
    cursor.delete();
    return undefined;
  }
  // Reading a property writes the cursor into the transfer buffer; from here on it lives there.
  void cursor.nodeTypeId;
  return {
    handle,
    typeId,
    start,
    end,
    fieldId: field,
    firstChild: first,
    nextSibling: next,
    parent: up,
    done: () => {
      // The moves may have grown the cursor's stack: take its words back before freeing it. The
      // memory view is read again, as the memory may have grown too.
      const heap = r.HEAP32!;
      for (let i = 0; i < 4; i++) cursor.handles![i] = heap[(tb >> 2) + i];
      cursor.delete();
    },
  };
}

function apiWalker(tree: Tree): Walker {
  const c = tree.walk();
  return {
    handle: 0,
    typeId: () => c.nodeTypeId,
    start: () => c.startIndex,
    end: () => c.endIndex,
    fieldId: () => c.currentFieldId,
    firstChild: () => (c.gotoFirstChild() ? 1 : 0),
    nextSibling: () => (c.gotoNextSibling() ? 1 : 0),
    parent: () => (c.gotoParent() ? 1 : 0),
    done: () => c.delete(),
  };
}

type Language = import('web-tree-sitter').Language;
const languageNames = new WeakMap<Language, { types: readonly string[]; fieldNames: readonly (string | null)[] }>();

/**
 * A grammar's node type and field names, internalised: the runtime makes them from UTF-8, as
 * strings V8 has not internalised, so every `node.type === 'call'` of a walk compared characters;
 * between internalised strings V8 compares pointers. A string becomes internalised as an object key.
 */
function namesOf(lang: Language): { types: readonly string[]; fieldNames: readonly (string | null)[] } {
  let names = languageNames.get(lang);
  if (!names) {
    const intern = <S extends string | null>(s: S): S => (s ? (Object.keys({ [s]: 0 })[0] as S) : s);
    names = { types: lang.types.map(intern), fieldNames: lang.fields.map(intern) };
    languageNames.set(lang, names);
  }
  return names;
}

/**
 * Copies a tree (the tree stays the caller's to delete). Without `children` (or under a node whose
 * type is not in `childrenOf`), an anonymous node that is no field's first child is not copied, nor
 * anything under it: nothing of the copy can reach it (it is in no `namedChildren`, `children` or
 * `fields`).
 */
export function copySyntaxTree(tree: Tree, source: string, options: CopyOptions = {}): SyntaxNode {
  const lang = tree.language;
  const { types, fieldNames } = namesOf(lang);
  const namedTypes: boolean[] = [];
  const named = (id: number): boolean => (namedTypes[id] ??= lang.nodeTypeIsNamed(id));
  const allChildren = options.children === true;
  const childrenOf = options.childrenOf;
  const fields = options.fields === true;
  const w = (!options.viaTreeCursor && rawWalker(tree)) || apiWalker(tree);
  const { handle: h, typeId, start, end, fieldId, firstChild, nextSibling, parent: up } = w;
  try {
    let id = typeId(h);
    const root = new SyntaxNode(source, types[id] || 'ERROR', named(id), start(h), end(h));
    if (firstChild(h) !== 1) return root;
    const stack: SyntaxNode[] = [root];
    let parent = root;
    /** Whether `parent` keeps every child. */
    let children = allChildren || (childrenOf?.has(root.type) ?? false);
    for (;;) {
      id = typeId(h);
      const isNamed = namedTypes[id] ?? named(id);
      const field = fields ? fieldNames[fieldId(h)] : undefined;
      if (isNamed || children || field) {
        const node = new SyntaxNode(source, types[id] || 'ERROR', isNamed, start(h), end(h));
        node.parent = parent;
        if (isNamed) {
          if (parent.namedChildren === NO_NODES) parent.namedChildren = [node];
          else (parent.namedChildren as SyntaxNode[]).push(node);
        }
        if (children) (parent.kids ??= []).push(node);
        if (field && !(parent.fields ??= {})[field]) parent.fields[field] = node;
        if (firstChild(h) === 1) {
          stack.push(node);
          parent = node;
          if (childrenOf) children = allChildren || childrenOf.has(node.type);
          continue;
        }
      }
      while (nextSibling(h) !== 1) {
        if (up(h) !== 1 || stack.length === 1) return root;
        stack.pop();
        parent = stack[stack.length - 1];
        if (childrenOf) children = allChildren || childrenOf.has(parent.type);
      }
    }
  } finally {
    w.done();
  }
}
