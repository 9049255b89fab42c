// Which files are Terraform's, and whether one may call a module: read by discovery, the CLI's
// choice of WebAssembly tiers and the parse pool, which do not load the HCL parser (./hcl.ts).

/**
 * Whether a Terraform file's text may hold a module block: the word `module` followed by a label or
 * a name (`module "x" {`, `module x {`), or by its closing quote in JSON (`"module": {`). A block's
 * type is a bare word, and a file without one calls no module; `path.module`, `module.x.y` and
 * `modules` do not count. Comments and strings can make a file count that holds none: it is then
 * parsed, as every file was.
 */
export function mayCallModules(text: string): boolean {
  return /\bmodule\b\s*["A-Za-z_]/.test(text);
}

/** Terraform's files of a folder: `.tf` and `.tf.json`. */
export const TERRAFORM_FILE = /\.tf(\.json)?$/;
/** The variable files Terraform reads by itself from a root folder. */
export const TFVARS_FILE = /^(terraform\.tfvars|.+\.auto\.tfvars)$/;
