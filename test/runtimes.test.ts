// Facts from the runtime table that the `deprecated-runtime` rule's users rely on. Each check names the
// row of the AWS "Lambda runtimes" page it comes from (see the source notes in src/data/runtimes.ts).
import { describe, expect, it } from 'vitest';
import { RUNTIMES_SOURCE, replacementFor, runtimeLifecycle, runtimes } from '../src/data/runtimes.js';

const TODAY = new Date('2026-11-26');
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Rows whose dates AWS lists out of order, kept as AWS gives them. nodejs4.3-edge: "Deprecated runtimes"
 * row has block dates of 2019-04-30, before its 2020-03-05 deprecation date.
 */
const OUT_OF_ORDER_IN_AWS_TABLE = new Set(['nodejs4.3-edge']);

describe('runtime lifecycle table', () => {
  it('names its source and snapshot', () => {
    expect(RUNTIMES_SOURCE).toContain('https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html');
    expect(RUNTIMES_SOURCE).toMatch(/2026-11-26/);
  });

  it('has each identifier once', () => {
    expect(new Set(runtimes.map((r) => r.id)).size).toBe(runtimes.length);
  });

  it('dates are valid ISO calendar days, and deprecation <= blockCreate <= blockUpdate where present', () => {
    for (const r of runtimes) {
      const dates = [r.deprecation, r.blockCreate, r.blockUpdate].filter((d): d is string => d !== undefined);
      for (const d of dates) {
        expect(d, r.id).toMatch(ISO_DAY);
        // Round-trips, so 2027-02-30 and the like are rejected.
        expect(new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10), r.id).toBe(d);
      }
      if (OUT_OF_ORDER_IN_AWS_TABLE.has(r.id)) continue;
      for (let i = 1; i < dates.length; i++) expect(dates[i - 1] <= dates[i], `${r.id}: ${dates.join(' ')}`).toBe(true);
    }
  });

  it('previews and runtimes without a schedule have no block dates', () => {
    for (const r of runtimes.filter((x) => x.preview)) {
      expect(r.deprecation, r.id).toBeUndefined();
      expect(r.blockUpdate, r.id).toBeUndefined();
    }
  });

  // "Deprecated runtimes" row Node.js 16 (nodejs16.x): deprecation date Jun 12, 2024.
  it('nodejs16.x was deprecated on 2024-06-12', () => {
    expect(runtimeLifecycle('nodejs16.x')?.deprecation).toBe('2024-06-12');
  });

  // "Deprecated runtimes" row Python 3.8 (python3.8): block function update Aug 31, 2027 in the newest
  // copy of the table (autumn 2026); earlier in 2026 AWS listed Sep 30, 2026 and then Mar 3, 2027.
  it('python3.8 function updates are blocked from 2027-08-31', () => {
    expect(runtimeLifecycle('python3.8')?.blockUpdate).toBe('2027-08-31');
    expect(runtimeLifecycle('python3.8')?.deprecation).toBe('2024-10-14');
  });

  // "Supported runtimes" row Node.js 22 (nodejs22.x): deprecation Apr 30, 2027, block create Jun 1, 2027,
  // block update Jul 1, 2027.
  it('nodejs22.x is not deprecated before 2027', () => {
    const r = runtimeLifecycle('nodejs22.x');
    expect(r?.deprecation).toBeDefined();
    expect(r!.deprecation! >= '2027-01-01').toBe(true);
    expect(r).toMatchObject({ deprecation: '2027-04-30', blockCreate: '2027-06-01', blockUpdate: '2027-07-01' });
  });

  // "Deprecated runtimes" row Node.js 20 (nodejs20.x): deprecated Apr 30, 2026, so a warning today.
  it('nodejs20.x is deprecated as of 2026-11-26 but its updates are not blocked yet', () => {
    const r = runtimeLifecycle('nodejs20.x')!;
    expect(r.deprecation! <= '2026-11-26').toBe(true);
    expect(r.blockUpdate! > '2026-11-26').toBe(true);
  });

  // "Deprecated runtimes" row .NET Core 3.1 (dotnetcore3.1): updates blocked since May 3, 2023, so an error.
  it('dotnetcore3.1 updates have been blocked since 2023-05-03', () => {
    expect(runtimeLifecycle('dotnetcore3.1')?.blockUpdate).toBe('2023-05-03');
  });

  it('looks identifiers up exactly, as Lambda does', () => {
    expect(runtimeLifecycle('NodeJS16.x')).toBeUndefined();
    expect(runtimeLifecycle('nodejs16')).toBeUndefined();
    expect(runtimeLifecycle(' nodejs16.x')).toBeUndefined();
    expect(runtimeLifecycle('provided')?.family).toBe('provided');
    expect(runtimeLifecycle('provided.al2')?.family).toBe('provided');
  });
});

describe('replacementFor', () => {
  // "Supported runtimes" rows Node.js 24 / 22: the newest Node.js runtime not deprecated on 2026-11-26 (the
  // nodejs26.x row is a public preview and is not suggested).
  it('suggests a nodejs runtime that is not deprecated on the given day', () => {
    const rep = replacementFor('nodejs16.x', TODAY);
    expect(rep).toBeDefined();
    const r = runtimeLifecycle(rep!)!;
    expect(r.family).toBe('nodejs');
    expect(r.preview).toBeFalsy();
    expect(r.deprecation === undefined || r.deprecation > '2026-11-26').toBe(true);
    expect(rep).toBe('nodejs24.x');
  });

  // "Supported runtimes" rows Python 3.14 / 3.13 (both deprecate Jun 30, 2029): the higher version wins.
  it('picks the highest version when deprecation dates tie', () => {
    expect(replacementFor('python3.8', TODAY)).toBe('python3.14');
    expect(replacementFor('java8', TODAY)).toBe('java25');
    expect(replacementFor('dotnet6', TODAY)).toBe('dotnet10');
    expect(replacementFor('ruby2.7', TODAY)).toBe('ruby4.0');
  });

  // "Deprecated runtimes" row Go 1.x: Go runs on the OS-only runtime now ("Supported runtimes" row provided.al2023).
  it('sends go1.x and provided to provided.al2023', () => {
    expect(replacementFor('go1.x', TODAY)).toBe('provided.al2023');
    expect(replacementFor('provided', TODAY)).toBe('provided.al2023');
  });

  it('depends on the day', () => {
    // On 2027-05-01 nodejs22.x (deprecation 2027-04-30) is out, nodejs24.x is still in.
    expect(replacementFor('nodejs22.x', new Date('2027-05-01'))).toBe('nodejs24.x');
    // On 2029-01-01 no GA Node.js runtime in the table is still supported.
    expect(replacementFor('nodejs16.x', new Date('2029-01-01'))).toBeUndefined();
  });

  it('is undefined for unknown identifiers, and never returns the runtime itself or an older one', () => {
    expect(replacementFor('cobol85', TODAY)).toBeUndefined();
    expect(replacementFor('nodejs24.x', TODAY)).toBeUndefined();
    expect(replacementFor('nodejs22.x', TODAY)).toBe('nodejs24.x');
    // Same Java version on Amazon Linux 2023 counts; java25 is newer still.
    expect(replacementFor('java17', TODAY)).toBe('java25');
  });
});
