import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { chromium, type BrowserContext } from 'playwright-core';
import { createImportHarness, type ImportHarness } from '../integration/import-test-support';
import { findFreePort } from '../../backend/src/platform/free-port';
import { listen } from '../../backend/src/http-server';

// The upload page in a real browser: headless Chromium (Debian's package, driven by
// playwright-core; nothing downloaded) opens the link a card would get, picks a CSV, uploads it
// through the page's own script and waits for the import's final counts, which must match the
// database. It also saves the screenshot the README shows (docs/screenshots/upload-page.png).
//
// Needs /usr/bin/chromium: `apt-get update && apt-get install -y chromium` (.ci/run does this).

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = fs.existsSync(CHROMIUM);
// The README's screenshots are refreshed on request (UPDATE_SCREENSHOTS=1); otherwise a test run
// writes its screenshot to a temporary folder and leaves the tree clean.
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? path.resolve(__dirname, '../../docs/screenshots') : path.join(os.tmpdir(), 'hac-screenshots');

const rows = ['phone,first name,last name,email,company'];
for (let i = 0; i < 40; i++) rows.push(`+1202555${String(1000 + i)},Person${i},Tester,p${i}@example.test,Acme`);
rows.push('+12025551000,Person0 again,Tester,,Acme'); // same number: a duplicate within the file
rows.push('12,Too,Short,,Acme'); // not a phone number: rejected
rows.push(',No,Phone,,Acme'); // no phone: rejected
const CSV = rows.join('\n') + '\n';

if (!HAS_CHROMIUM) {
  // Say so loudly: a skipped browser test must not look like a passing one.
  console.warn(`upload page browser test SKIPPED: ${CHROMIUM} not found. Install it with: apt-get update && apt-get install -y chromium`);
}

(HAS_CHROMIUM ? describe : describe.skip)('upload page in headless Chromium', () => {
  let h: ImportHarness;
  let server: Awaited<ReturnType<typeof listen>>;
  let context: BrowserContext;
  let profileDir: string;
  let baseUrl: string;

  beforeAll(async () => {
    const port = await findFreePort();
    baseUrl = `http://127.0.0.1:${port}`;
    h = await createImportHarness({ env: { PUBLIC_BASE_URL: baseUrl } });
    server = await listen(h.ctx.app, port, '127.0.0.1');
    profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hac-chromium-'));
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 760, height: 900 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 60_000);
  afterAll(async () => {
    await context?.close();
    await server?.close();
    await h?.close();
    if (profileDir) fs.rmSync(profileDir, { recursive: true, force: true });
  });

  it('uploads a CSV and shows the import’s final counts and rejected rows', async () => {
    const link = await request(h.ctx.app).post('/api/v1/upload-tokens').set(h.auth).send({}).expect(201);
    expect(link.body.url.startsWith(`${baseUrl}/upload?token=`)).toBe(true);

    const page = await context.newPage();
    const failures: string[] = [];
    page.on('pageerror', (e) => failures.push(String(e)));
    // Every failed request by URL (the browser's own favicon probe aside), and script errors.
    page.on('response', (r) => r.status() >= 400 && !r.url().endsWith('/favicon.ico') && failures.push(`${r.status()} ${r.url()}`));
    page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && failures.push(m.text()));
    await page.goto(link.body.url);
    // The token leaves the address bar once the page has it.
    expect(new URL(page.url()).search).toBe('');
    await page.setInputFiles('#file', { name: 'spring-leads.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV, 'utf8') });
    await page.selectOption('#mode', 'update');
    await page.fill('#region', 'US');
    await page.click('#upload');
    // A locator, not waitForFunction: the page's CSP forbids eval, which a string predicate needs.
    await page.locator('#status', { hasText: /Import complete|failed/ }).waitFor({ timeout: 60_000 });
    await page.waitForSelector('#rejected-rows');

    const shown = await page.$$eval('dd[data-count]', (els) => Object.fromEntries(els.map((e) => [e.getAttribute('data-count'), Number(e.textContent)])));
    const imp = await h.ctx.deps.db.import.findFirstOrThrow({ where: { portalId: h.portalId }, orderBy: { createdAt: 'desc' } });
    expect(await page.textContent('#status')).toBe('Import complete');
    expect(imp).toMatchObject({ status: 'completed', fileName: 'spring-leads.csv', rowsRead: 43, created: 40, duplicate: 1, rejected: 2 });
    expect(shown).toMatchObject({ rowsRead: imp.rowsRead, created: imp.created, updated: imp.updated, duplicate: imp.duplicate, rejected: imp.rejected });
    const rejectedRows = await page.$$eval('#rejected-rows tbody tr', (trs) => trs.map((tr) => tr.firstElementChild?.textContent));
    expect(rejectedRows).toEqual(['43', '44']);
    expect(await h.ctx.deps.db.contact.count({ where: { portalId: h.portalId } })).toBe(40);
    expect(failures).toEqual([]);

    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'upload-page.png'), fullPage: true });
    await page.close();
  }, 90_000);

  it('shows an expired or forged link as a sentence, not a form', async () => {
    const page = await context.newPage();
    const res = await page.goto(`${baseUrl}/upload?token=upl_forged.token`);
    expect(res?.status()).toBe(401);
    expect(await page.textContent('#status')).toMatch(/not valid/);
    expect(await page.$('#file')).toBeNull();
    await page.close();
  });
});
