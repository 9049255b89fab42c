// Renders the demo project's HTML report in Debian's headless Chromium and saves the screenshot
// the README shows (docs/report.png): `npx tsx scripts/report-screenshot.ts`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { lint } from '../src/lint.js';
import { formatHtml } from '../src/report/html.js';

const root = path.resolve(import.meta.dirname, '..');
const result = await lint({
  cwd: path.join(root, 'fixtures/demo'),
  today: new Date('2026-11-26T00:00:00Z'),
  collectNeeds: true,
});
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lambdalint-shot-'));
const file = path.join(dir, 'report.html');
fs.writeFileSync(
  file,
  formatHtml(result, { version: JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version }),
);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
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
  const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
  await page.goto(pathToFileURL(file).href);
  await page.screenshot({ path: path.join(root, 'docs/report.png'), fullPage: true });
} finally {
  await browser.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
console.log('wrote docs/report.png');
