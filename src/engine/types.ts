import type { LambdaFunction, Model, Origin, Val } from '../model/types.js';
import type { NeedRecorder } from '../model/coverage.js';
import type { OptionSchemas, OptionValues } from './options.js';
import type { Grant } from '../iam/check.js';

export type Severity = 'error' | 'warning' | 'info';

type Category = 'permissions' | 'limits' | 'reliability' | 'deployment' | 'code' | 'internal';

interface RuleDocs {
  /** One line: what the rule keeps true. */
  summary: string;
  /** Why it matters. */
  why: string;
  /** How to fix a finding. */
  fix: string;
}

/** Extracts `{{name}}` placeholders from a message template, so `data` is type-checked. */
type Placeholders<S extends string> = S extends `${string}{{${infer P}}}${infer Rest}` ? P | Placeholders<Rest> : never;

type MessageData<S extends string> = [Placeholders<S>] extends [never]
  ? { data?: undefined }
  : { data: Record<Placeholders<S>, string | number> };

/** Something a finding can point at: a model value (it carries its origin), or an origin. */
export type Anchor = Val<unknown> | Origin;

export interface RelatedLocation {
  at: Anchor;
  message: string;
}

export type ReportDescriptor<M extends Record<string, string>> = {
  [K in keyof M & string]: {
    messageId: K;
    at: Anchor;
    fn: LambdaFunction;
    /** Id of what the location points at when it is not the function (a mapping, an alias). */
    resource?: string;
    related?: RelatedLocation[];
    /** For rules whose severity depends on the case (error / warning). */
    severity?: Severity;
    /** Permission findings: what the role must be allowed; the engine writes the fix from it. */
    grant?: Grant;
  } & MessageData<M[K]>;
}[keyof M & string];

export interface RuleContext<M extends Record<string, string>, O extends OptionSchemas = OptionSchemas> {
  model: Model;
  /** The day the run counts as "today" (dated rules use it, never the clock). */
  today: Date;
  /** The rule's options (its `options` schemas): as configured, else their defaults. */
  options: OptionValues<O>;
  report(descriptor: ReportDescriptor<M>): void;
  /**
   * Records that this rule could not decide for `fn` (the role is a parameter, a policy is
   * unknown...): no finding, but the user is told what was not checked and why.
   */
  skip(fn: LambdaFunction, reason: string): void;
  /**
   * Present when the run collects what each function needs (the HTML report's matrix): permission
   * rules record every requirement they evaluate, allowed, missing or unknown.
   */
  record?: NeedRecorder;
}

/**
 * Analysis stages a rule reads the results of; lint() runs a stage only when an enabled rule
 * needs it. `handler-code`: the facts of handler code (resolution, imports, SDK calls): when a
 * handler cannot be read, these rules could not decide for its function; `code-triggers`: the
 * invocations handler code makes of other functions (the same analysis, read as triggers);
 * `package-sizes`: measured deployment packages; `deploy-scripts`: scripts that update functions.
 */
export type RuleNeed = 'handler-code' | 'code-triggers' | 'package-sizes' | 'deploy-scripts';

export interface RuleDefinition<
  M extends Record<string, string> = Record<string, string>,
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- a rule without options declares none
  O extends OptionSchemas = {},
> {
  id: string;
  severity: Severity;
  category: Category;
  docs: RuleDocs;
  messages: M;
  /** Frameworks the rule has fixtures for (meta-tests check this). */
  frameworks: readonly string[];
  /** Analysis stages whose results the rule reads (see RuleNeed). */
  needs?: readonly RuleNeed[];
  /** The options the rule takes, each with its schema and default (src/engine/options.ts). */
  options?: O;
  check(context: RuleContext<M, O>): void;
}

/** A rule with its message types erased, for the engine's registry. */
export type AnyRule = RuleDefinition<Record<string, string>, OptionSchemas>;

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- a rule without options declares none
export function defineRule<const M extends Record<string, string>, const O extends OptionSchemas = {}>(
  rule: RuleDefinition<M, O>,
): AnyRule {
  return rule as unknown as AnyRule;
}

export interface FindingLocation {
  /** Path relative to the working directory, `/`-separated. */
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface RelatedFinding extends FindingLocation {
  message: string;
}

export interface Finding extends FindingLocation {
  ruleId: string;
  severity: Severity;
  message: string;
  messageId?: string;
  function?: string;
  resource?: string;
  related?: RelatedFinding[];
  /** Stable across line moves: rule, file, function, resource, message id. */
  fingerprint: string;
  /** Absolute path of `file`, for reporters that read source lines. */
  absoluteFile: string;
  /** Set on suppressed findings (LintResult.suppressed): what suppressed it and why. */
  suppressions?: Suppression[];
  /** The change that would fix it, in the project's own dialect (permission findings). */
  fix?: FindingFix;
}

/** A fix: what it adds and where; `edit` is absent when the statement can only be shown. */
export interface FindingFix {
  description: string;
  /** The statement as the user would write it (help text). */
  snippet: string;
  edit?: FixEdit;
}

/** One insertion: at `line`:`column` (1-based; `offset` the UTF-16 offset) of `file`, insert `text`. */
export interface FixEdit {
  file: string;
  absoluteFile: string;
  line: number;
  column: number;
  offset: number;
  text: string;
}

export interface Suppression {
  kind: 'directive' | 'metadata' | 'baseline';
  justification: string;
}
