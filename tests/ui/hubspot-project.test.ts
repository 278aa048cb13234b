import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { z } from 'zod';
import { HUBSPOT_OPTIONAL_SCOPES, HUBSPOT_SCOPES } from '../../backend/src/hubspot/scopes';
import { WORKFLOW_OUTCOMES, WORKFLOW_OUTPUT_FIELDS } from '../../backend/src/domain/workflows/workflow-action.schemas';
import { HANDLED_HUBSPOT_EVENTS } from '../../backend/src/domain/privacy/hubspot-webhook-events';

// The HubSpot project (hsproject.json → hubspot-app/) checked offline, two ways:
// 1. HubSpot's own parser (@hubspot/project-parsing-lib, what `hs project upload` runs) with
//    schema validation skipped — that step downloads HubSpot's schemas — for every profile: every
//    component found, none skipped for being in the wrong folder, uids valid, variables filled in.
// 2. Our zod schemas for each *-hsmeta.json (the fields research/hubspot.md §1 lists), plus the
//    contracts with the backend: OAuth scopes, the workflow action's URLs and output fields, the
//    webhook subscriptions (exactly the events POST /hubspot/webhooks acts on).

const ROOT = path.resolve(__dirname, '../..');
const SRC = path.join(ROOT, 'hubspot-app');
const readJson = (p: string) => JSON.parse(fs.readFileSync(p, 'utf8')) as Record<string, any>;

const ZUid = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/);
const ZVar = (inner: z.ZodType) => z.union([inner, z.string().regex(/^\$\{[A-Z_]+\}$/)]);
const ZUrlWithVars = z.string().regex(/^(https:\/\/[^\s]+|\$\{BACKEND_URL\}(\/[^\s]*)?)$/);

const ZApp = z.strictObject({
  uid: ZUid,
  type: z.literal('app'),
  config: z.strictObject({
    name: z.string().min(1).max(200),
    description: z.string().min(1).max(500),
    distribution: z.enum(['private', 'marketplace']),
    auth: z.strictObject({
      type: z.literal('oauth'),
      redirectUrls: z.array(ZUrlWithVars).min(1),
      requiredScopes: z.array(z.string()).min(1),
      optionalScopes: z.array(z.string()),
      conditionallyRequiredScopes: z.array(z.string()),
    }),
    permittedUrls: z.strictObject({ fetch: z.array(ZUrlWithVars), iframe: z.array(ZUrlWithVars), img: z.array(ZUrlWithVars) }),
    support: z.object({ supportEmail: z.string().email() }).loose(),
  }),
});
const ZCard = z.strictObject({
  uid: ZUid,
  type: z.literal('card'),
  config: z.strictObject({
    name: z.string().min(1),
    location: z.enum(['crm.record.tab', 'crm.record.sidebar', 'crm.preview', 'helpdesk.sidebar']),
    entrypoint: z.string().regex(/^\/app\/cards\/[\w-]+\.tsx$/),
    objectTypes: z.array(z.enum(['contacts', 'companies', 'deals', 'tickets'])).min(1),
  }),
});
const ZPage = z.strictObject({ uid: ZUid, type: z.literal('page'), config: z.strictObject({ entrypoint: z.string().regex(/^\/app\/pages\/[\w-]+\.tsx$/) }) });
const ZSettings = z.strictObject({ uid: ZUid, type: z.literal('settings'), config: z.strictObject({ entrypoint: z.string().regex(/^\/app\/settings\/[\w-]+\.tsx$/) }) });
const ZTypeDefinition = z.object({
  name: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/),
  type: z.enum(['string', 'number', 'bool', 'enumeration', 'date', 'datetime', 'phone_number']),
  fieldType: z.enum(['text', 'textarea', 'number', 'select', 'booleancheckbox', 'date', 'phonenumber', 'checkbox', 'radio']),
  options: z.array(z.object({ value: z.string(), label: z.string() })).optional(),
  optionsUrl: ZUrlWithVars.optional(),
});
const ZWorkflowAction = z.strictObject({
  uid: ZUid,
  type: z.literal('workflow-action'),
  config: z.strictObject({
    actionUrl: ZUrlWithVars,
    isPublished: ZVar(z.boolean()),
    supportedClients: z.array(z.object({ client: z.enum(['WORKFLOWS', 'AGENTS']) })).min(1),
    objectTypes: z.array(z.enum(['CONTACT', 'COMPANY', 'DEAL', 'TICKET'])).min(1),
    objectRequestOptions: z.object({ properties: z.array(z.string()) }).optional(),
    inputFields: z.array(z.strictObject({ typeDefinition: ZTypeDefinition, supportedValueTypes: z.array(z.enum(['STATIC_VALUE', 'OBJECT_PROPERTY'])).min(1), isRequired: z.boolean() })),
    outputFields: z.array(z.strictObject({ typeDefinition: ZTypeDefinition })),
    labels: z.object({
      en: z.strictObject({
        actionName: z.string().min(1),
        actionDescription: z.string().min(1),
        actionCardContent: z.string().min(1),
        inputFieldLabels: z.record(z.string(), z.string()),
        inputFieldDescriptions: z.record(z.string(), z.string()).optional(),
        outputFieldLabels: z.record(z.string(), z.string()),
      }),
    }),
  }),
});
const ZSubscription = z.strictObject({
  subscriptionType: z.string().regex(/^[a-z_]+\.[A-Za-z]+$/),
  objectType: z.string().min(1).optional(),
  propertyName: z.string().min(1).optional(),
  active: z.boolean(),
});
const ZWebhooks = z.strictObject({
  uid: ZUid,
  type: z.literal('webhooks'),
  config: z.strictObject({
    settings: z.strictObject({ targetUrl: ZUrlWithVars, maxConcurrentRequests: z.number().int().min(1) }),
    subscriptions: z.strictObject({ crmObjects: z.array(ZSubscription), legacyCrmObjects: z.array(ZSubscription), hubEvents: z.array(ZSubscription) }),
  }),
});
const SCHEMAS: Record<string, { schema: z.ZodType; folder: string }> = {
  app: { schema: ZApp, folder: 'app' },
  card: { schema: ZCard, folder: 'app/cards' },
  page: { schema: ZPage, folder: 'app/pages' },
  settings: { schema: ZSettings, folder: 'app/settings' },
  'workflow-action': { schema: ZWorkflowAction, folder: 'app/workflow-actions' },
  webhooks: { schema: ZWebhooks, folder: 'app/webhooks' },
};
const ZProfile = z.strictObject({
  accountId: z.number().int().positive(),
  variables: z.strictObject({ BACKEND_URL: z.string().regex(/^https:\/\/[a-z0-9.-]+$/), PUBLISH_ACTIONS: z.boolean() }),
});

function hsmetaFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name === 'node_modules') return [];
    const p = path.join(dir, e.name);
    return e.isDirectory() ? hsmetaFiles(p) : e.name.endsWith('-hsmeta.json') ? [p] : [];
  });
}

function translate(profile?: string, dir = SRC) {
  const out = execFileSync(process.execPath, [path.join(__dirname, 'support/translate-project.mjs'), dir, '2025.2', ...(profile ? [profile] : [])], { cwd: ROOT, encoding: 'utf8' });
  return JSON.parse(out) as { ok: boolean; error?: string; nodes: Record<string, { componentType: string; config: any; metaFilePath: string }>; skipped: unknown[]; uidProblems: unknown[] };
}

const PROFILES = ['local', 'staging', 'production'];

describe('HubSpot project structure (offline)', () => {
  const files = hsmetaFiles(SRC);

  it('has hsproject.json at the root pointing at hubspot-app on platform 2025.2', () => {
    expect(readJson(path.join(ROOT, 'hsproject.json'))).toEqual({ name: 'hubspot-ai-calling', srcDir: 'hubspot-app', platformVersion: '2025.2' });
  });

  it('validates every *-hsmeta.json against its type, in its own folder, with unique uids', () => {
    expect(files.length).toBeGreaterThanOrEqual(6);
    const uids = new Set<string>();
    for (const file of files) {
      const json = readJson(file);
      const rule = SCHEMAS[json.type as string];
      expect({ file, known: Boolean(rule) }).toEqual({ file, known: true });
      const parsed = rule!.schema.safeParse(json);
      expect({ file, issues: parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) }).toEqual({ file, issues: [] });
      expect(path.relative(SRC, path.dirname(file))).toBe(rule!.folder);
      expect(uids.has(json.uid)).toBe(false);
      uids.add(json.uid);
    }
  });

  it('defines exactly one app, one page, one settings page, one webhooks component, the contact sidebar card and the Call with AI action', () => {
    const byType = (t: string) => files.map((f) => readJson(f)).filter((j) => j.type === t);
    expect(byType('app')).toHaveLength(1);
    expect(byType('page')).toHaveLength(1);
    expect(byType('settings')).toHaveLength(1);
    expect(byType('webhooks')).toHaveLength(1);
    expect(byType('card').map((c) => [c.config.location, c.config.objectTypes])).toContainEqual(['crm.record.sidebar', ['contacts']]);
    expect(byType('workflow-action').map((a) => a.config.labels.en.actionName)).toEqual(['Call with AI']);
  });

  it('asks for exactly the OAuth scopes the backend requests at install', () => {
    const app = readJson(path.join(SRC, 'app/app-hsmeta.json'));
    expect([...app.config.auth.requiredScopes].sort()).toEqual([...HUBSPOT_SCOPES].sort());
    expect([...app.config.auth.optionalScopes].sort()).toEqual([...HUBSPOT_OPTIONAL_SCOPES].sort());
    expect(app.config.auth.redirectUrls).toEqual(['${BACKEND_URL}/oauth/callback']);
    expect(app.config.permittedUrls.fetch).toEqual(['${BACKEND_URL}']);
    expect(app.config.permittedUrls.iframe).toEqual(['${BACKEND_URL}']);
  });

  it('subscribes to exactly the webhook events the backend acts on, sent to POST /hubspot/webhooks', () => {
    const webhooks = readJson(path.join(SRC, 'app/webhooks/webhooks-hsmeta.json')).config;
    expect(webhooks.settings.targetUrl).toBe('${BACKEND_URL}/hubspot/webhooks');
    const expected = { crmObjects: [] as unknown[], legacyCrmObjects: [] as unknown[], hubEvents: [] as unknown[] };
    for (const { group, action: _action, ...subscription } of HANDLED_HUBSPOT_EVENTS) expected[group].push({ ...subscription, active: true });
    const key = (s: Record<string, unknown>) => JSON.stringify([s.subscriptionType, s.objectType, s.propertyName]);
    const sorted = (list: Array<Record<string, unknown>>) => [...list].sort((a, b) => key(a).localeCompare(key(b)));
    for (const group of Object.keys(expected) as Array<keyof typeof expected>) {
      expect({ group, subscriptions: sorted(webhooks.subscriptions[group]) }).toEqual({ group, subscriptions: sorted(expected[group] as Array<Record<string, unknown>>) });
    }
    // HubSpot sends contact events only to an app that asks for the contacts read scope.
    expect(HUBSPOT_SCOPES).toContain('crm.objects.contacts.read');
  });

  it('declares the workflow action outputs the backend sends, each labelled', () => {
    const action = readJson(path.join(SRC, 'app/workflow-actions/call-with-ai-hsmeta.json')).config;
    const outputs = action.outputFields.map((f: any) => f.typeDefinition.name);
    expect(outputs).toEqual([...WORKFLOW_OUTPUT_FIELDS]);
    const outcome = action.outputFields.find((f: any) => f.typeDefinition.name === 'outcome').typeDefinition;
    expect(outcome.options.map((o: any) => o.value)).toEqual([...WORKFLOW_OUTCOMES]);
    expect(Object.keys(action.labels.en.outputFieldLabels).sort()).toEqual([...outputs].sort());
    const inputs = action.inputFields.map((f: any) => f.typeDefinition.name);
    expect(inputs).toEqual(['campaignId', 'phone']);
    expect(Object.keys(action.labels.en.inputFieldLabels).sort()).toEqual([...inputs].sort());
    expect(action.actionUrl).toBe('${BACKEND_URL}/hubspot/workflow-actions/enroll');
    expect(action.inputFields[0].typeDefinition.optionsUrl).toBe('${BACKEND_URL}/hubspot/workflow-actions/campaign-options');
  });

  it('has a profile per environment with an HTTPS backend URL', () => {
    for (const p of PROFILES) {
      const parsed = ZProfile.safeParse(readJson(path.join(SRC, `hsprofile.${p}.json`)));
      expect({ p, ok: parsed.success }).toEqual({ p, ok: true });
    }
  });

  it.each(PROFILES)('parses with HubSpot’s project parser under the %s profile, variables filled in', (profile) => {
    const r = translate(profile);
    expect(r.error).toBeUndefined();
    expect(r.skipped).toEqual([]);
    expect(r.uidProblems).toEqual([]);
    const backend = readJson(path.join(SRC, `hsprofile.${profile}.json`)).variables.BACKEND_URL as string;
    const nodes = Object.values(r.nodes);
    expect(nodes.map((n) => n.componentType).sort()).toEqual(['APPLICATION', 'CARD', 'PAGE', 'SETTINGS', 'WEBHOOKS', 'WORKFLOW_ACTION']);
    const webhooks = nodes.find((n) => n.componentType === 'WEBHOOKS')!;
    expect(webhooks.config.settings.targetUrl).toBe(`${backend}/hubspot/webhooks`);
    const action = nodes.find((n) => n.componentType === 'WORKFLOW_ACTION')!;
    expect(action.config.actionUrl).toBe(`${backend}/hubspot/workflow-actions/enroll`);
    expect(typeof action.config.isPublished).toBe('boolean');
    const app = nodes.find((n) => n.componentType === 'APPLICATION')!;
    expect(app.config.auth.redirectUrls).toEqual([`${backend}/oauth/callback`]);
    expect(JSON.stringify(r.nodes)).not.toContain('${');
  });

  it('points every UI component at an entry file that exists and registers with hubspot.extend', () => {
    for (const file of files) {
      const json = readJson(file);
      if (!json.config?.entrypoint) continue;
      const entry = path.join(SRC, json.config.entrypoint);
      expect({ file, exists: fs.existsSync(entry) }).toEqual({ file, exists: true });
      expect(fs.readFileSync(entry, 'utf8')).toMatch(/hubspot\.extend<'[a-z.]+'>\(/);
    }
  });

  it('makes each UI folder a self-contained npm workspace (HubSpot builds them one by one)', () => {
    const root = readJson(path.join(ROOT, 'package.json'));
    for (const folder of ['cards', 'pages', 'settings']) {
      const dir = path.join(SRC, 'app', folder);
      expect(root.workspaces).toContain(`hubspot-app/app/${folder}`);
      const pkg = readJson(path.join(dir, 'package.json'));
      expect(pkg.dependencies).toEqual({ '@hubspot/ui-extensions': '0.17.0', react: '18.3.1' });
      expect(fs.existsSync(path.join(dir, 'eslint.config.js'))).toBe(true);
      // No import may leave the folder: HubSpot's build would not find it.
      const sources = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.tsx?$/.test(f) && !f.includes('node_modules'));
      for (const f of sources) {
        const text = fs.readFileSync(path.join(dir, f), 'utf8');
        for (const m of text.matchAll(/from '(\.[^']+)'/g)) {
          const target = path.resolve(path.dirname(path.join(dir, f)), m[1]!);
          expect({ file: `${folder}/${f}`, inside: target.startsWith(dir + path.sep) }).toEqual({ file: `${folder}/${f}`, inside: true });
        }
      }
    }
  });

  it('keeps the copies of the shared client code identical in every UI folder', () => {
    for (const shared of ['backend-client.ts', 'use-backend-data.ts', 'format.ts', 'use-action.ts']) {
      const copies = ['cards', 'pages', 'settings'].map((f) => fs.readFileSync(path.join(SRC, 'app', f, 'lib', shared), 'utf8'));
      expect({ shared, same: copies.every((c) => c === copies[0]) }).toEqual({ shared, same: true });
    }
  });

  it('is found by the parser even without a profile (and reports a misplaced component)', () => {
    expect(translate().ok).toBe(true);
    // A copy with a card in a folder HubSpot does not read: the parser must report it, so the
    // "nothing skipped" checks above can fail. (A card in another component's folder is the
    // zod test's to catch: the parser only checks that at upload.)
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'hac-project-'));
    try {
      fs.cpSync(SRC, copy, { recursive: true, filter: (p) => !p.includes('node_modules') });
      fs.mkdirSync(path.join(copy, 'app/misc'));
      fs.writeFileSync(path.join(copy, 'app/misc/misplaced-card-hsmeta.json'), JSON.stringify({ uid: 'misplaced_card', type: 'card', config: {} }));
      const r = translate(undefined, copy);
      expect(r.ok).toBe(true);
      expect(JSON.stringify(r.skipped)).toContain('misplaced-card-hsmeta.json');
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });
});
