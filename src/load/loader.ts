// The one interface every format's loader has (docs/ARCHITECTURE.md): discovery hands each loader
// its inputs (template files, serverless files, cdk.out folders, Terraform folders), the loader
// reads them into the run's model and counts what it read in one common outcome: files and
// templates, problems (the parse-error findings), notes. Reading a file (the size limit, an
// editor's buffer, unreadable and binary files) and the duplicate-key problem are written here
// once; each format's own reading and modelling stays in its module.
import fs from 'node:fs';
import type { Discovered } from '../discover/index.js';
import { readHead } from '../discover/index.js';
import type { Model, SourceRange } from '../model/types.js';
import type { ParsedHcl } from '../source/hcl.js';
import type { DuplicateKey, ParseResult } from '../source/parse.js';
import { warmPythonParser } from '../code/python-wasm.js';

/** What a loader is handed besides its inputs: the run's model and options. */
export interface LoadContext {
  cwd: string;
  model: Model;
  /** `--stage`. */
  stage?: string;
  productionNames: readonly string[];
  /** Files larger than this are reported instead of read. */
  maxFileBytes: number;
  /** Texts to use instead of the files on disk (an editor's buffers, `--staged`). */
  sources?: ReadonlyMap<string, string>;
  /** The working directory and every linted path, absolute. */
  within: readonly string[];
  /** Whether the user named this file (a file named is read as a template whatever its content). */
  named(file: string): boolean;
  /** Which folders to load and report (`--shard`). */
  keep(dir: string): boolean;
  /** Parses a template's text (through the run's cache: src/lint.ts). */
  parse(file: string, text: string): ParseResult;
  /** A path as findings and notes show it (relative to cwd). */
  rel(file: string): string;
  /** Told before each input is read (the CLI's progress line). */
  step(input: string): void;
  /** Terraform files worker threads parsed (src/code/parse-pool.ts), by path; the loader parses the others. */
  terraformParsed?: () => Promise<ReadonlyMap<string, ParsedHcl>>;
}

/** A parse-error finding to be: at line 1 when there is no range. */
export interface LoadProblem {
  file: string;
  message: string;
  range?: SourceRange;
  related?: { range: SourceRange; message: string };
}

/** What every loader adds to; one per run, filled in load order. */
export interface LoadOutcome {
  /** Files read. */
  files: number;
  /** Templates, services and Terraform root modules modelled. */
  templates: number;
  problems: LoadProblem[];
  notes: string[];
  /** Parsed templates that carry lambdalint Metadata, kept for the suppressions (parsed once). */
  parsed: Map<string, ParseResult>;
  /**
   * Inputs whose text never mentions lambdalint: they hold no suppression comment or Metadata, so
   * the suppression stage does not read them a second time (a 15 MB template twice in memory).
   */
  unmarked: Set<string>;
}

/**
 * One format: which of discovery's findings it reads, and how. `R` is `void` for the loaders that
 * run synchronously while the project loads, `Promise<void>` for Terraform (its parser loads
 * asynchronously, and the handler files of the functions loaded so far are parsed meanwhile).
 */
export interface Loader<R extends void | Promise<void> = void> {
  inputs(found: Discovered): readonly string[];
  load(inputs: readonly string[], ctx: LoadContext, out: LoadOutcome): R;
}

/** How `readInput` treats one format's files. */
export interface ReadRules {
  /** The problem for a file over the size limit. */
  tooBig(bytes: number, limit: number): string;
  /**
   * For files picked by a sniff of their content: whether the text still looks like the format. A
   * file that does not is skipped without a word, and a problem (size, binary) is reported only
   * for one that does.
   */
  looksRight?: (head: string) => boolean;
  /** The problem for a text with NUL bytes; undefined: not checked. */
  binary?: string;
}

/** As much of a file as the sniff of `looksRight` reads (the 256 KiB discovery reads). */
const HEAD = 262144;

/** `file is over the 16 MB lambdalint reads`. */
export const overLimit = (_bytes: number, limit: number): string =>
  `file is over the ${(limit / 1048576).toFixed(0)} MB lambdalint reads`;

/** The problem for a file that cannot be read. */
export function unreadable(file: string, e: unknown): LoadProblem {
  return { file, message: `cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
}

/**
 * The text of one input (an editor's buffer, else the file), or undefined after recording why not:
 * over the size limit, unreadable, binary, or not the format after all.
 */
export function readInput(file: string, ctx: LoadContext, out: LoadOutcome, rules: ReadRules): string | undefined {
  const looksRight = rules.looksRight;
  let text: string;
  try {
    const st = fs.statSync(file);
    if (st.size > ctx.maxFileBytes) {
      if (!looksRight || looksRight(readHead(file)))
        out.problems.push({ file, message: rules.tooBig(st.size, ctx.maxFileBytes) });
      return undefined;
    }
    text = ctx.sources?.get(file) ?? fs.readFileSync(file, 'utf8');
  } catch (e) {
    out.problems.push(unreadable(file, e));
    return undefined;
  }
  if (rules.binary !== undefined && text.includes('\u0000')) {
    // Discovery picked it for a signature in its first bytes: say why it is not read.
    if (!looksRight || looksRight(text.slice(0, HEAD))) out.problems.push({ file, message: rules.binary });
    return undefined;
  }
  if (looksRight && !looksRight(text.slice(0, HEAD))) return undefined;
  // A Python runtime named (inline code, or handler files to read later): the parser compiles meanwhile.
  if (text.includes('python')) warmPythonParser();
  if (!text.includes('lambdalint')) out.unmarked.add(file);
  return text;
}

/**
 * A key written twice in one mapping (src/source/parse.ts `duplicateKeys`), at the later key. The file is
 * still linted with the later value, which is the one CloudFormation deploys (and a serverless.json
 * keeps); the Serverless Framework refuses YAML with a duplicate key outright.
 */
export function duplicateKeyProblem(
  file: string,
  d: DuplicateKey,
  reader: 'cloudformation' | 'serverless',
): LoadProblem {
  const where = d.path.length ? d.path.join('.').replace(/\.\[/g, '[') : 'the top level';
  const what =
    reader === 'cloudformation'
      ? 'CloudFormation uses this last value and ignores the first'
      : /\.json$/i.test(file)
        ? 'the Serverless Framework uses this last value and ignores the first'
        : 'the Serverless Framework refuses to read the file (duplicated mapping key); lambdalint reads this last value';
  return {
    file,
    message: `${d.key} is written twice in ${where}: ${what}.`,
    range: d.at,
    related: { range: d.first, message: `${d.key} first written here` },
  };
}
