// The global WebAssembly object, as the tree-sitter parsers' loaders use it: compiled ahead
// (src/code/python-wasm.ts), instantiated synchronously (src/source/tree-sitter.ts). The TypeScript
// setup here (lib ES2023, Node's types) declares WebAssembly's types but not the value.
export const webAssembly = (
  globalThis as unknown as {
    WebAssembly: {
      compile(bytes: Uint8Array): Promise<object>;
      Instance: new (module: object, imports: object) => object;
    };
  }
).WebAssembly;
