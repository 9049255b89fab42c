// AWS Lambda managed runtimes: deprecation, block-function-create and block-function-update dates,
// used by the `deprecated-runtime` rule (warning once `deprecation` has passed, error once
// `blockUpdate` has passed).
//
// Sources (read 2026-11-26; none of them was a live fetch, every one is a stored copy):
//  [AWS]   https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html, tables "Supported
//          runtimes" and "Deprecated runtimes". The page itself could only be read as far as its
//          opening, so its rows come from copies of it:
//    [S1]    endoflife.date's automated scrape of that page (products/aws-lambda.md, vuls-saas/endoflife.date
//            @2f7086f56e09): deprecation + block-update for every row. Newest copy found: it lists
//            java8/11/17.al2023 (GA 2026-07-31) and has the autumn-2026 block-update dates, which copies
//            read on 2026-08-25 and about 2026-09-09 did not have yet.
//    [S1n]   The same page's .NET rows, copied into a .NET migration guide (about 2026-09/10):
//            dotnet10, dotnet8, dotnet6, dotnetcore3.1 with all three dates.
//    [S0]    The earlier endoflife.date scrape (@77ec199a02ec, between 2026-04-30 and 2026-07-31).
//    [Jul26] The AWS table as copied on 2026-07-22 (nodejs16/18/20.x, python3.9/3.10/3.11 rows) and
//            on 2026-08-25 (python3.8/3.9 rows); a rule list built about 2026-09-09 gives the same
//            dates (and the ruby3.2 row).
//    [Pages] Copies of the per-language pages, which repeat the table rows: Node.js (nodejs24/22/20.x),
//            Python (python3.10-3.14), Ruby (ruby3.2-3.4), .NET (dotnet8-10), Java (java8.al2-java21),
//            Go container images (provided.al2, provided.al2023). Mostly older than [S1].
//    [Aug26] The table as read on 2026-08-15: deprecation dates of every row, including the
//            public-preview nodejs26.x and python3.15 ("Not scheduled").
//  [cfn]   aws-cloudformation/cfn-lint src/cfnlint/data/AdditionalSpecs/LmbdRuntimeLifecycle.json
//          @81cb349c37c2 (2025): all three dates for the runtimes deprecated by then. Used for block-create
//          dates that had already passed and that [S1] does not carry.
//  [tfl]   terraform-linters/tflint-ruleset-aws rules/aws_lambda_function_deprecated_runtime.go
//          @010379352dd2 (late 2025): deprecation dates only.
//  [gd]    awsdocs/aws-lambda-developer-guide doc_source/runtime-support-policy.md and
//          lambda-runtimes.md (2019-2021, archived): old deprecation tables.
//
// Conventions: dates are copied as the sources give them (ISO YYYY-MM-DD). A field is absent when AWS
// gives no date ("Not scheduled", or "N/A" for container-only runtimes), and also where noted when no copy
// made after AWS last moved the dates has that field. Where sources disagree the AWS table wins and the
// comment says who disagrees. AWS moves the block dates of deprecated runtimes often (2025-11-01, then
// 2026-09-30, then 2027-03-03, then 2027-08-31 for most of them): re-check against the live page.

export interface RuntimeLifecycle {
  /** Runtime identifier exactly as Lambda spells it, e.g. 'nodejs16.x', 'python3.8', 'provided'. */
  id: string;
  family: 'nodejs' | 'python' | 'java' | 'dotnet' | 'ruby' | 'go' | 'provided';
  /** ISO date YYYY-MM-DD; absent when AWS has announced none. */
  deprecation?: string;
  blockCreate?: string;
  blockUpdate?: string;
  /** Public preview (AWS: not for production); never suggested as a replacement. */
  preview?: boolean;
  /** Available only as a container base image, so never the `Runtime` of a .zip function. */
  containerOnly?: boolean;
}

export const RUNTIMES_SOURCE =
  'https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html (Supported runtimes and Deprecated runtimes tables), ' +
  'read 2026-11-26 through copies of the page, the newest from autumn 2026 (after 2026-09-09); ' +
  'older block-create dates from https://github.com/aws-cloudformation/cfn-lint/blob/81cb349c37c23ed2cf05d4cb68f6381ab28636fb/src/cfnlint/data/AdditionalSpecs/LmbdRuntimeLifecycle.json (2025)';

const rows: RuntimeLifecycle[] = [
  // ---------------------------------------------------------------- Node.js
  // Node.js 0.10. Deprecation from [S1]; [cfn], [tfl] and [gd] give 2016-10-31 for all three dates.
  { id: 'nodejs', family: 'nodejs', deprecation: '2016-08-30', blockCreate: '2016-10-31', blockUpdate: '2016-10-31' },
  // [S1] + [cfn]. [gd] (2020) gave 2020-03-06 as the date updates were blocked.
  { id: 'nodejs4.3', family: 'nodejs', deprecation: '2020-03-05', blockCreate: '2020-03-05', blockUpdate: '2020-03-05' },
  // As AWS lists it: the block dates fall before the deprecation date. endoflife.date treats the
  // AWS block-update date as a mistake and uses 2020-04-30; [gd] and [cfn] give 2019-04-30 like AWS.
  { id: 'nodejs4.3-edge', family: 'nodejs', deprecation: '2020-03-05', blockCreate: '2019-04-30', blockUpdate: '2019-04-30' },
  { id: 'nodejs6.10', family: 'nodejs', deprecation: '2019-08-12', blockCreate: '2019-08-12', blockUpdate: '2019-08-12' },
  // [S1] + [cfn]. The 2019 AWS table announced 2019-12-31 / 2020-01-06 / 2020-02-03 instead.
  { id: 'nodejs8.10', family: 'nodejs', deprecation: '2020-03-06', blockCreate: '2020-03-06', blockUpdate: '2020-03-06' },
  { id: 'nodejs10.x', family: 'nodejs', deprecation: '2021-07-30', blockCreate: '2021-07-30', blockUpdate: '2022-02-14' },
  { id: 'nodejs12.x', family: 'nodejs', deprecation: '2023-03-31', blockCreate: '2023-03-31', blockUpdate: '2023-04-30' },
  // Block-create from [cfn] (an AWS re:Post answer gave 2024-01-09); block-update [S1].
  { id: 'nodejs14.x', family: 'nodejs', deprecation: '2023-12-04', blockCreate: '2024-07-09', blockUpdate: '2027-08-31' },
  // nodejs16/18/20.x: block-create from [Jul26], block-update from [S1]. [Jul26] had block-update
  // 2027-03-03; in [S1]'s snapshot AWS may also have moved block-create (it did to 2027-07-29 for dotnet6).
  { id: 'nodejs16.x', family: 'nodejs', deprecation: '2024-06-12', blockCreate: '2027-02-01', blockUpdate: '2027-08-31' },
  // Deprecation [S1], [tfl], [Aug26]; [cfn] gives 2025-07-31 (the date AWS first announced).
  { id: 'nodejs18.x', family: 'nodejs', deprecation: '2025-09-01', blockCreate: '2027-02-01', blockUpdate: '2027-08-31' },
  { id: 'nodejs20.x', family: 'nodejs', deprecation: '2026-04-30', blockCreate: '2027-02-01', blockUpdate: '2027-08-31' },
  { id: 'nodejs22.x', family: 'nodejs', deprecation: '2027-04-30', blockCreate: '2027-06-01', blockUpdate: '2027-07-01' },
  { id: 'nodejs24.x', family: 'nodejs', deprecation: '2028-04-30', blockCreate: '2028-06-01', blockUpdate: '2028-07-01' },
  // Public preview since 2026-08 [Aug26]: "Not scheduled".
  { id: 'nodejs26.x', family: 'nodejs', preview: true },

  // ---------------------------------------------------------------- Python
  { id: 'python2.7', family: 'python', deprecation: '2021-07-15', blockCreate: '2021-07-15', blockUpdate: '2022-05-30' },
  { id: 'python3.6', family: 'python', deprecation: '2022-07-18', blockCreate: '2022-07-18', blockUpdate: '2022-08-29' },
  // Block-create [cfn], block-update [S1].
  { id: 'python3.7', family: 'python', deprecation: '2023-12-04', blockCreate: '2024-01-09', blockUpdate: '2027-08-31' },
  // python3.8/3.9/3.10: block-create [Jul26], block-update [S1] ([Jul26]: 2027-03-03).
  { id: 'python3.8', family: 'python', deprecation: '2024-10-14', blockCreate: '2027-02-01', blockUpdate: '2027-08-31' },
  // Deprecation [S1], [tfl], [Aug26] (first announced as 2025-10-31).
  { id: 'python3.9', family: 'python', deprecation: '2025-12-15', blockCreate: '2027-02-01', blockUpdate: '2027-08-31' },
  // The [Pages] copy of the Python page has the older 2026-11-30 / 2027-01-15.
  { id: 'python3.10', family: 'python', deprecation: '2026-10-31', blockCreate: '2027-02-01', blockUpdate: '2027-08-31' },
  // [tfl] gives deprecation 2026-06-30 for python3.10 and python3.11 (dates since moved by AWS).
  { id: 'python3.11', family: 'python', deprecation: '2027-06-30', blockCreate: '2027-07-31', blockUpdate: '2027-08-31' },
  { id: 'python3.12', family: 'python', deprecation: '2028-10-31', blockCreate: '2028-11-30', blockUpdate: '2029-01-10' },
  { id: 'python3.13', family: 'python', deprecation: '2029-06-30', blockCreate: '2029-07-31', blockUpdate: '2029-08-31' },
  { id: 'python3.14', family: 'python', deprecation: '2029-06-30', blockCreate: '2029-07-31', blockUpdate: '2029-08-31' },
  // Public preview since 2026-08 [Aug26]: "Not scheduled".
  { id: 'python3.15', family: 'python', preview: true },

  // ---------------------------------------------------------------- Java
  // Java 8 on Amazon Linux 1. Block-create [cfn], block-update [S1].
  { id: 'java8', family: 'java', deprecation: '2024-01-08', blockCreate: '2024-02-08', blockUpdate: '2027-08-31' },
  // java8.al2/java11/java17 (Amazon Linux 2): deprecation + block-update [S1], [Aug26]. No copy made
  // after AWS moved these dates a year later has the block-create date, so it is left out; the older
  // [Pages] copy (2026-06-30 / 2026-07-31 / 2026-08-31) and [tfl] (deprecation 2026-06-30) are superseded.
  { id: 'java8.al2', family: 'java', deprecation: '2027-06-30', blockUpdate: '2027-08-31' },
  { id: 'java11', family: 'java', deprecation: '2027-06-30', blockUpdate: '2027-08-31' },
  { id: 'java17', family: 'java', deprecation: '2027-06-30', blockUpdate: '2027-08-31' },
  { id: 'java21', family: 'java', deprecation: '2029-06-30', blockCreate: '2029-07-31', blockUpdate: '2029-08-31' },
  // java25 and the Amazon Linux 2023 builds of Java 8/11/17 (GA 2026-07-31): [S1], [Aug26];
  // block-create not found in any copy.
  { id: 'java25', family: 'java', deprecation: '2029-06-30', blockUpdate: '2029-08-31' },
  { id: 'java8.al2023', family: 'java', deprecation: '2029-06-30', blockUpdate: '2029-08-31' },
  { id: 'java11.al2023', family: 'java', deprecation: '2029-06-30', blockUpdate: '2029-08-31' },
  { id: 'java17.al2023', family: 'java', deprecation: '2029-06-30', blockUpdate: '2029-08-31' },

  // ---------------------------------------------------------------- .NET
  { id: 'dotnetcore1.0', family: 'dotnet', deprecation: '2019-06-27', blockCreate: '2019-07-30', blockUpdate: '2019-07-30' },
  { id: 'dotnetcore2.0', family: 'dotnet', deprecation: '2019-05-30', blockCreate: '2019-05-30', blockUpdate: '2019-05-30' },
  { id: 'dotnetcore2.1', family: 'dotnet', deprecation: '2022-01-05', blockCreate: '2022-01-05', blockUpdate: '2022-04-13' },
  { id: 'dotnetcore3.1', family: 'dotnet', deprecation: '2023-04-03', blockCreate: '2023-04-03', blockUpdate: '2023-05-03' },
  // Container image only: AWS lists no block dates ("N/A").
  { id: 'dotnet5.0', family: 'dotnet', deprecation: '2022-05-10', containerOnly: true },
  // [S1n] + [S1]. [cfn] and [tfl] give deprecation 2024-11-12 (the first announcement).
  { id: 'dotnet6', family: 'dotnet', deprecation: '2024-12-20', blockCreate: '2027-07-29', blockUpdate: '2027-08-31' },
  // Container image only: AWS lists no block dates ("N/A"); [cfn] gives 2024-05-14 for both.
  { id: 'dotnet7', family: 'dotnet', deprecation: '2024-05-14', containerOnly: true },
  // [S1n] + [S1]. The [Pages] copy and [S0] have the older 2026-12-10 / 2027-01-11.
  { id: 'dotnet8', family: 'dotnet', deprecation: '2026-11-10', blockCreate: '2027-07-29', blockUpdate: '2027-08-31' },
  // Container image only; block dates "Not scheduled".
  { id: 'dotnet9', family: 'dotnet', deprecation: '2026-11-10', containerOnly: true },
  { id: 'dotnet10', family: 'dotnet', deprecation: '2028-11-14', blockCreate: '2028-12-14', blockUpdate: '2029-01-15' },

  // ---------------------------------------------------------------- Ruby
  { id: 'ruby2.5', family: 'ruby', deprecation: '2021-07-30', blockCreate: '2021-07-30', blockUpdate: '2022-03-31' },
  // Block-create [cfn], block-update [S1]. [tfl] gives deprecation 2023-11-27 (first announcement).
  { id: 'ruby2.7', family: 'ruby', deprecation: '2023-12-07', blockCreate: '2024-01-09', blockUpdate: '2027-08-31' },
  // Block-create [Jul26] (rule list of about 2026-09-09), block-update [S1]; the [Pages] copy has the
  // older 2026-06-01 / 2026-07-01.
  { id: 'ruby3.2', family: 'ruby', deprecation: '2026-03-31', blockCreate: '2027-02-01', blockUpdate: '2027-08-31' },
  // Block-create from the [Pages] copy; block-update [S1] (that copy and [S0]: 2027-05-31).
  { id: 'ruby3.3', family: 'ruby', deprecation: '2027-03-31', blockCreate: '2027-04-30', blockUpdate: '2027-08-31' },
  { id: 'ruby3.4', family: 'ruby', deprecation: '2028-03-31', blockCreate: '2028-04-30', blockUpdate: '2028-05-31' },
  // GA 2026-04-30. [S1], [Aug26]; block-create not found in any copy.
  { id: 'ruby4.0', family: 'ruby', deprecation: '2029-03-31', blockUpdate: '2029-05-31' },

  // ---------------------------------------------------------------- Go and OS-only
  // Block-create [cfn], block-update [S1].
  { id: 'go1.x', family: 'go', deprecation: '2024-01-08', blockCreate: '2024-02-08', blockUpdate: '2027-08-31' },
  { id: 'provided', family: 'provided', deprecation: '2024-01-08', blockCreate: '2024-02-08', blockUpdate: '2027-08-31' },
  // Block-create from the [Pages] copy (Go container images page), which has block-update 2027-03-03;
  // block-update [S1].
  { id: 'provided.al2', family: 'provided', deprecation: '2026-07-31', blockCreate: '2027-02-01', blockUpdate: '2027-08-31' },
  { id: 'provided.al2023', family: 'provided', deprecation: '2029-06-30', blockCreate: '2029-07-31', blockUpdate: '2029-08-31' },
];

export const runtimes: readonly RuntimeLifecycle[] = Object.freeze(rows.map((r) => Object.freeze(r)));

const byId = new Map<string, RuntimeLifecycle>(runtimes.map((r) => [r.id, r]));

/** The lifecycle row for a runtime identifier; exact and case-sensitive, as Lambda is. */
export function runtimeLifecycle(id: string): RuntimeLifecycle | undefined {
  return byId.get(id);
}

/** Numeric version parts of an identifier: 'python3.14' -> [3, 14], 'provided.al2023' -> [2023], 'provided' -> []. */
function versionOf(id: string): number[] {
  const m = /\d+(?:\.\d+)*/.exec(id);
  return m ? m[0].split('.').map(Number) : [];
}

function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/**
 * Suggested replacement: newest supported runtime of the same family (no deprecation date or one after
 * `today`), e.g. nodejs16.x -> nodejs24.x. Never `id` itself, an older version than `id`, a preview or a
 * container-only runtime. Go has no managed runtime left, so go1.x maps to the OS-only family (AWS's
 * documented path for Go). Undefined for an unknown id or when no runtime qualifies.
 */
export function replacementFor(id: string, today: Date): string | undefined {
  const rt = byId.get(id);
  if (!rt) return undefined;
  const family = rt.family === 'go' ? 'provided' : rt.family;
  const day = isoDay(today);
  const own = rt.family === family ? versionOf(id) : [];
  let best: RuntimeLifecycle | undefined;
  for (const c of runtimes) {
    if (c.family !== family || c.id === id || c.preview || c.containerOnly) continue;
    if (c.deprecation !== undefined && c.deprecation <= day) continue;
    if (compareVersions(versionOf(c.id), own) < 0) continue;
    if (!best) {
      best = c;
      continue;
    }
    const byVersion = compareVersions(versionOf(c.id), versionOf(best.id));
    // Same version on two operating systems (java17 / java17.al2023): the later deprecation wins.
    if (byVersion > 0 || (byVersion === 0 && (c.deprecation ?? '9999') > (best.deprecation ?? '9999'))) best = c;
  }
  return best?.id;
}
