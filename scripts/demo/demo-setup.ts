import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { createApiKey } from '../../backend/src/domain/portals/api-key.service';
import { DEFAULT_FAKE_HUB_ID } from '../../fakes/hubspot/routes/oauth.routes';
import { createDemoApi, type DemoApi } from './demo-api';
import type { DemoStack } from './demo-stack';

// Everything a newcomer would do by hand, done the way they would do it: install the app into
// HubSpot through the real OAuth redirects (against the HubSpot fake), then, with a portal API
// key, use the product API: upload the do-not-call list and the contacts CSV (the real import
// job), create and publish the branching script, build a segment from the import, preview who
// would be skipped and why, create the campaign and start it.

export interface DemoInput {
  contactsCsv: string;
  dncCsv: string;
  contactsFile: string;
  script: unknown;
}

export interface DemoSetup {
  api: DemoApi;
  /** The portal API key the run used (tests look for it in the logs). */
  apiKey: string;
  portalId: string;
  hubId: number;
  importId: string;
  importView: any;
  dncAdded: number;
  scriptId: string;
  versionId: string;
  segmentId: string;
  preview: any;
  campaignId: string;
  campaign: any;
}

export const DEMO_CAMPAIGN = {
  // The federal window (47 CFR §64.1200(c)(1)) every day: the widest the law allows, so whether
  // someone is called now depends only on their own local time.
  callingWindow: { start: '08:00', end: '21:00', daysOfWeek: [1, 2, 3, 4, 5, 6, 7] },
  pacing: { maxConcurrent: 10, callsPerMinute: 600 },
  maxAttempts: 3,
  retryPolicy: {
    no_answer: { retry: true, delayMinutes: 120 },
    busy: { retry: true, delayMinutes: 30 },
    voicemail: { retry: true, delayMinutes: 1440 },
    failed: { retry: true, delayMinutes: 60 },
  },
  minConsent: 'express' as const,
};

export function readDefaultInput(root: string): DemoInput {
  const dir = path.join(root, 'tests/fixtures/demo');
  return {
    contactsCsv: fs.readFileSync(path.join(dir, 'contacts.csv'), 'utf8'),
    dncCsv: fs.readFileSync(path.join(dir, 'dnc.csv'), 'utf8'),
    contactsFile: 'tests/fixtures/demo/contacts.csv',
    script: JSON.parse(fs.readFileSync(path.join(dir, 'demo-script.json'), 'utf8')),
  };
}

/** HubSpot already knows the people whose row carries a Record ID (the file is a HubSpot export). */
export function seedHubSpotFromCsv(stack: DemoStack, csv: string, hubId: number): number {
  const rows = parse(csv, { columns: true, bom: true, skip_empty_lines: true }) as Array<Record<string, string>>;
  const account = stack.hubspot.state.account(hubId);
  const now = new Date().toISOString();
  for (const r of rows) {
    const id = r['Record ID']?.trim();
    if (!id || account.contacts.has(id)) continue;
    account.contacts.set(id, {
      id,
      properties: { hs_object_id: id, firstname: r['First Name'] ?? null, lastname: r['Last Name'] ?? null, email: r.Email ?? null, phone: r['Phone Number'] ?? null, createdate: now, lastmodifieddate: now },
      createdAt: now,
      updatedAt: now,
    });
  }
  return account.contacts.size;
}

/** GET /oauth/install → HubSpot's consent page → our /oauth/callback, following each redirect by hand. */
async function installThroughOAuth(stack: DemoStack): Promise<void> {
  let url = `${stack.baseUrl}/oauth/install`;
  for (let hop = 0; hop < 4; hop++) {
    const res = await fetch(url, { redirect: 'manual' });
    const next = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && next) {
      url = next;
      continue;
    }
    if (res.status !== 200) throw new Error(`HubSpot install failed at ${new URL(url).pathname}: HTTP ${res.status} ${await res.text()}`);
    return;
  }
  throw new Error('HubSpot install: too many redirects');
}

async function waitForImport(api: DemoApi, importId: string, timeoutMs: number): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const view = await api.get(`/imports/${importId}`);
    if (view.status === 'completed' || view.status === 'failed') return view;
    if (Date.now() > deadline) throw new Error(`The contacts import did not finish within ${timeoutMs / 1000} s (status ${view.status}).`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function setUpDemo(stack: DemoStack, input: DemoInput, say: (line: string) => void): Promise<DemoSetup> {
  seedHubSpotFromCsv(stack, input.contactsCsv, DEFAULT_FAKE_HUB_ID);
  await installThroughOAuth(stack);
  const portal = await stack.db.portal.findUniqueOrThrow({ where: { hubId: BigInt(DEFAULT_FAKE_HUB_ID) } });
  // The account's own provider limits (what `npm run admin` or settings would hold): Vapi's
  // default 10 live calls, and a call rate the fake account accepts.
  await stack.db.portal.update({ where: { id: portal.id }, data: { maxConcurrentCalls: 10, callsPerMinute: 600 } });
  const { apiKey } = await createApiKey(stack.db, { portalId: portal.id, name: 'demo' });
  const api = createDemoApi(stack.baseUrl, apiKey);
  say(`HubSpot app installed for account ${DEFAULT_FAKE_HUB_ID} (OAuth against the local HubSpot fake); portal API key created`);

  const dnc = await api.postCsv<any>('/dnc/imports', input.dncCsv, 'dnc.csv');
  const dncAdded = Number(dnc.added);
  const started = await api.postCsv<any>('/imports?defaultRegion=US', input.contactsCsv, path.basename(input.contactsFile));
  const importView = await waitForImport(api, started.id, 60_000);
  if (importView.status !== 'completed') throw new Error(`The contacts import failed: ${importView.error}`);
  const c = importView.counts;
  say(`Imported ${input.contactsFile}: ${c.rowsRead} rows → ${c.created} contacts, ${c.duplicate} duplicates, ${c.rejected} rejected (import job ${importView.id.slice(0, 8)})`);

  const script = await api.post<any>('/scripts', { name: 'Home energy check (demo)', graph: input.script });
  const published = await api.post<any>(`/scripts/${script.id}/publish`, {});
  const nodes = (input.script as { nodes: Array<{ type: string }> }).nodes;
  say(`Script published: version ${published.version.version}, ${nodes.length} nodes, ${nodes.filter((n) => n.type === 'branch').length} branches`);

  const segment = await api.post<any>('/segments', { name: 'Everyone in the demo file', rule: { '!!': [{ var: 'phone' }] }, importId: importView.id });
  const preview = await api.post<any>(`/segments/${segment.id}/preview`, { minConsent: DEMO_CAMPAIGN.minConsent, callingWindow: DEMO_CAMPAIGN.callingWindow, sampleSize: 0 });
  const s = preview.skipped;
  say(`Segment: ${preview.count} contacts; the preview expects ${s.dnc} do-not-call, ${s.noConsent} without consent, ${s.outsideWindowToday} outside their calling window today`);

  const campaign = await api.post<any>('/campaigns', { name: 'Home energy check — demo', segmentId: segment.id, scriptVersionId: published.version.id, ...DEMO_CAMPAIGN });
  await api.post(`/campaigns/${campaign.id}/start`);
  say(`Campaign started: ${DEMO_CAMPAIGN.pacing.maxConcurrent} live calls at most, window ${DEMO_CAMPAIGN.callingWindow.start}–${DEMO_CAMPAIGN.callingWindow.end} in each contact's own time zone`);
  return {
    api,
    apiKey,
    portalId: portal.id,
    hubId: DEFAULT_FAKE_HUB_ID,
    importId: importView.id,
    importView,
    dncAdded,
    scriptId: script.id,
    versionId: published.version.id,
    segmentId: segment.id,
    preview,
    campaignId: campaign.id,
    campaign,
  };
}
