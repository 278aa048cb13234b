import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { Tag } from '@hubspot/ui-extensions';
import { ContactCallsCard } from '../../app/cards/ContactCallsCard';
import { createBackend } from '../../app/cards/lib/backend-client';
import { BASE, fakeBackend } from '../support/fake-backend';
import { treeToHtml } from '../support/tree-to-html';
import { RECORD, cardData } from './card-fixtures';

// The README's picture of the contact card: the card rendered by HubSpot's test renderer with
// sample data, its component tree drawn as HTML, photographed by headless Chromium
// (docs/screenshots/contact-card.png with UPDATE_SCREENSHOTS=1; a temporary file otherwise).

const CHROMIUM = '/usr/bin/chromium';
const OUT = process.env.UPDATE_SCREENSHOTS === '1' ? path.resolve(__dirname, '../../../docs/screenshots') : path.join(os.tmpdir(), 'hac-screenshots');
if (!fs.existsSync(CHROMIUM)) console.warn(`card screenshot SKIPPED: ${CHROMIUM} not found (apt-get update && apt-get install -y chromium)`);

(fs.existsSync(CHROMIUM) ? it : it.skip)('photographs the rendered contact card', async () => {
  const fake = fakeBackend();
  fake.on('GET', '/contact-card', { body: cardData() });
  const r = createRenderer('crm.record.sidebar');
  r.render(<ContactCallsCard backend={createBackend({ baseUrl: BASE, fetcher: fake.fetcher })} record={RECORD} actions={{ addAlert: jest.fn(), openIframeModal: jest.fn() }} timeZone="America/New_York" />);
  await r.waitFor(() => expect(r.findAll(Tag)).toHaveLength(2));
  const html = treeToHtml(r.getRootNode(), 'AI calls');
  expect(html).toContain('Booked a roof survey for Tuesday.');

  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'hac-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 380, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await context.newPage();
    await page.setContent(html);
    fs.mkdirSync(OUT, { recursive: true });
    const file = path.join(OUT, 'contact-card.png');
    await page.screenshot({ path: file, fullPage: true });
    expect(fs.statSync(file).size).toBeGreaterThan(10_000);
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}, 60_000);
