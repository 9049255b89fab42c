// The HTML report: one self-contained page (nothing fetched), the function × need matrix built from
// what the permission rules evaluated, every finding with its frame, and the page as a browser
// renders it: headless Chromium (Debian's package) loads the demo report, with no console error,
// the matrix holding the demo's functions and the filters working.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { lint } from '../src/lint.js';
import { cellStatus, formatHtml } from '../src/report/html.js';
import type { LintResult, NeedRow } from '../src/engine/result.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const DEMO = path.join(ROOT, 'fixtures/demo');
const TODAY = new Date('2026-11-26T00:00:00Z');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lambdalint-html-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function report(dir: string): Promise<{ result: LintResult; html: string }> {
  const result = await lint({ cwd: dir, today: TODAY, collectNeeds: true });
  return { result, html: formatHtml(result, { version: '0.0.0-test' }) };
}

function row(result: LintResult, fn: string): NeedRow {
  const r = result.needs?.find((x) => x.function === fn);
  if (!r) throw new Error(`no row for ${fn}`);
  return r;
}

describe('the needs matrix', () => {
  it('has a row per function, with what each permission rule evaluated and what grants it', async () => {
    const { result } = await report(DEMO);
    expect(result.needs?.map((r) => r.function)).toEqual(
      expect.arrayContaining(['OrdersApi', 'OrderWorker', 'NightlyReport']),
    );
    expect(result.needs).toHaveLength(result.stats.functions);
    const api = row(result, 'OrdersApi');
    const put = api.cells.find((c) => c.rule === 'sdk-permission');
    expect(put).toMatchObject({ item: 'dynamodb:PutItem on !GetAtt OrdersTable.Arn', status: 'allowed' });
    expect(put?.decidedBy?.[0]).toMatchObject({
      file: 'template.yaml',
      note: 'SAM policy template DynamoDBCrudPolicy',
    });
    const logs = api.cells.filter((c) => c.rule === 'logs-permission');
    expect(logs.map((c) => c.item)).toContain(
      'logs:PutLogEvents on log-group:/aws/lambda/${OrdersApi}:log-stream:${LogStream}',
    );
    expect(cellStatus(logs)).toBe('allowed');
    const invoke = api.cells.find((c) => c.rule === 'invoke-permission');
    expect(invoke).toMatchObject({
      item: 'Api event CreateOrder invokes',
      status: 'allowed',
      reason: 'the framework adds the permission',
    });
  });

  it('marks a requirement the role is refused, with the Deny that refuses it', async () => {
    const { result } = await report(path.join(ROOT, 'fixtures/logs-permission/positive/cfn-json-explicit-deny'));
    const cells = row(result, 'Orders').cells.filter((c) => c.rule === 'logs-permission');
    expect(cellStatus(cells)).toBe('missing');
    const refused = cells.find((c) => c.status === 'missing');
    expect(refused).toMatchObject({
      item: 'logs:PutLogEvents on log-group:/aws/lambda/${Orders}:log-stream:${LogStream}',
      reason: 'denied by an explicit Deny',
    });
    expect(refused?.decidedBy?.[0]?.file).toBe('template.json');
  });

  it('is collected only when asked for', async () => {
    const result = await lint({ cwd: DEMO, today: TODAY });
    expect(result.needs).toBeUndefined();
  });
});

describe('formatHtml', () => {
  it('is one self-contained page: no external script, style, font, image or link', async () => {
    const { html } = await report(DEMO);
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<(?:script|img|iframe)[^>]+src=/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/url\(/i);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).toContain("default-src 'none'");
    expect(Buffer.byteLength(html)).toBeLessThan(100_000);
  });

  it('shows totals, the not-checked summary, the matrix and every finding with its frame and fix', async () => {
    const { result, html } = await report(DEMO);
    const errors = result.findings.filter((f) => f.severity === 'error').length;
    expect(html).toContain(`<li class="error"><b>${errors}</b> errors</li>`);
    expect(html.match(/<article class="finding /g)).toHaveLength(result.findings.length);
    expect(html).toContain('<code>template.yaml:83:7</code> · <code>memory-limit</code>');
    expect(html).toContain('83 |       MemorySize: 64');
    expect(html).toContain('role from parameter AuditExportRoleArn');
    expect(html).toContain('<b>Fix:</b> Use a whole number of MB in the allowed range.');
    for (const fn of ['OrdersApi', 'OrderWorker', 'NightlyReport', 'AuditExport'])
      expect(html).toContain(`<tr data-function="${fn}">`);
    // A permission finding carries the statement that fixes it, in the project's dialect.
    expect(html).toContain(
      '<b>The statement that fixes it:</b> add a statement allowing sqs:SendMessage to the Policies of OrdersApi (<code>template.yaml:50</code>)',
    );
    expect(html).toContain(
      '<pre class="patch">        - Statement:\n            - Effect: Allow\n              Action: sqs:SendMessage',
    );
  });

  it('escapes what it shows', () => {
    const result: LintResult = {
      findings: [
        {
          ruleId: 'timeout-limit',
          severity: 'error',
          message: 'Timeout of <script>alert(1)</script> & "x"',
          file: 'a.yaml',
          absoluteFile: path.join(tmp, 'missing.yaml'),
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 2,
          fingerprint: 'f',
        },
      ],
      rules: [],
      cwd: tmp,
      stats: { files: 1, templates: 1, functions: 0, durationMs: 1 },
      toolErrors: [],
      notes: [],
    };
    const html = formatHtml(result, { version: '1' });
    expect(html).toContain('Timeout of &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;');
    expect(html).not.toContain('<script>alert(1)');
  });
});

describe('lambdalint --format html -o', () => {
  it('writes the page with the matrix and exits as the findings say', async () => {
    const { main } = await import('../src/cli/main.js');
    const out = path.join(tmp, 'cli', 'report.html');
    let stdout = '';
    const code = await main(['--format', 'html', '-o', out, '--today', '2026-11-26', '.'], {
      stdout: (t) => void (stdout += t),
      stderr: () => {},
      cwd: DEMO,
      isTTY: false,
      env: {},
    });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    const html = fs.readFileSync(out, 'utf8');
    expect(html).toContain('<h2 id="matrix">What each function needs</h2>');
    expect(html).toContain('<tr data-function="OrderWorker">');
  });
});

// Debian's Chromium (package chromium; .ci/run installs it in CI). Without it the test is skipped,
// and its title says why.
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));

describe('the HTML report in a browser', () => {
  it.skipIf(!CHROMIUM)(
    CHROMIUM
      ? 'renders the demo report in headless Chromium: no console error, the matrix holds the demo functions, filters work'
      : 'SKIPPED: Chromium is not installed (apt-get install chromium) — the browser test did not run',
    async () => {
      const { chromium } = await import('playwright-core');
      const { result, html } = await report(DEMO);
      const file = path.join(tmp, 'report.html');
      fs.writeFileSync(file, html);
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
      try {
        const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
        const problems: string[] = [];
        page.on('console', (m) => {
          if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
        });
        page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
        page.on('request', (r) => {
          if (!r.url().startsWith('file:')) problems.push(`request: ${r.url()}`);
        });
        await page.goto(pathToFileURL(file).href);
        const rows = await page.$$eval('table.matrix tr[data-function]', (trs) =>
          trs.map((tr) => tr.getAttribute('data-function')),
        );
        expect(rows.sort()).toEqual(result.needs!.map((r) => r.function).sort());
        const total = result.findings.length;
        expect(await page.textContent('#f-count')).toBe(`${total} of ${total} shown`);
        await page.selectOption('#f-sev', 'error');
        const errors = result.findings.filter((f) => f.severity === 'error').length;
        expect(await page.textContent('#f-count')).toBe(`${errors} of ${total} shown`);
        expect(await page.locator('article.finding:visible').count()).toBe(errors);
        const png = await page.screenshot({ fullPage: true });
        expect(png.subarray(1, 4).toString()).toBe('PNG');
        // A phone: the page reads at 375 px without the body scrolling sideways (the matrix scrolls in its box).
        await page.setViewportSize({ width: 375, height: 800 });
        const overflow = await page.$eval('html', (el) => el.scrollWidth - el.clientWidth);
        expect(overflow).toBeLessThanOrEqual(0);
        expect(problems).toEqual([]);
      } finally {
        await browser.close();
      }
    },
    120_000,
  );
});
