import request from 'supertest';
import { createTestContext, type TestContext } from '../support/test-app';
import { createPortalWithKey } from '../support/factories';
import { getPublishedVersion } from '../../backend/src/domain/scripts/script-version.service';
import { chainGraph, solarGraph, type AnyGraph } from '../fixtures/scripts/script-samples';

// Drafts → publish → pin, immutability, and every bad input answered with a code and a location
// while nothing is written (row counts and the stored draft compared before and after).

let ctx: TestContext;
let auth: Record<string, string>;
let portalId: string;
let other: Awaited<ReturnType<typeof createPortalWithKey>>;

beforeAll(async () => {
  ctx = await createTestContext();
  const p = await createPortalWithKey(ctx.deps.db, { name: 'Acme Solar' });
  auth = p.auth;
  portalId = p.portal.id;
  other = await createPortalWithKey(ctx.deps.db);
});
afterAll(async () => ctx.close());

const api = () => request(ctx.app);
const counts = async () => ({ scripts: await ctx.deps.db.script.count(), versions: await ctx.deps.db.scriptVersion.count() });
const node = (g: AnyGraph, id: string) => g.nodes.find((n: AnyGraph) => n.id === id);

async function createScript(graph: AnyGraph = solarGraph()) {
  const res = await api().post('/api/v1/scripts').set(auth).send({ name: 'Solar qualifier', graph });
  expect(res.status).toBe(201);
  return res.body as { id: string; draftRevision: number; draft: AnyGraph };
}

describe('script drafts and versions', () => {
  it('creates a draft with the preamble generated and opt_out added, and lists it', async () => {
    const s = await createScript();
    expect(s.draft.compliance.preamble).toMatch(/^Hi, this is Alex, an automated AI assistant calling on behalf of Acme Solar\./);
    expect(node(s.draft, 'opt_out')).toMatchObject({ type: 'end', disposition: 'opted_out' });
    const list = await api().get('/api/v1/scripts').set(auth);
    expect(list.body.scripts.map((x: { id: string }) => x.id)).toContain(s.id);
    const starter = await api().post('/api/v1/scripts').set(auth).send({ name: 'Blank' });
    expect(starter.status).toBe(201);
    expect(starter.body.draft.compliance.companyName).toBe('Acme Solar');
  });

  it('edits under optimistic concurrency: a stale revision is refused and changes nothing', async () => {
    const s = await createScript();
    const g = structuredClone(s.draft);
    node(g, 'greet').text = 'Hello {{contact.firstName}}!';
    const ok = await api().patch(`/api/v1/scripts/${s.id}`).set(auth).send({ draftRevision: s.draftRevision, graph: g });
    expect(ok.status).toBe(200);
    expect(ok.body.draftRevision).toBe(s.draftRevision + 1);
    const stale = await api().patch(`/api/v1/scripts/${s.id}`).set(auth).send({ draftRevision: s.draftRevision, name: 'Other' });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'SCRIPT_DRAFT_CONFLICT', details: { draftRevision: s.draftRevision + 1 } });
    const after = await api().get(`/api/v1/scripts/${s.id}`).set(auth);
    expect(after.body).toMatchObject({ name: 'Solar qualifier', draftRevision: s.draftRevision + 1 });
  });

  it('publishes immutable, numbered versions; a campaign variant stays pinned to its version', async () => {
    const s = await createScript();
    const v1 = await api().post(`/api/v1/scripts/${s.id}/publish`).set(auth).send({ draftRevision: s.draftRevision });
    expect(v1.status).toBe(201);
    expect(v1.body).toMatchObject({ created: true, version: { version: 1, checksum: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    // Publishing an unchanged draft returns the same version instead of a copy.
    const again = await api().post(`/api/v1/scripts/${s.id}/publish`).set(auth).send({});
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ created: false, version: { id: v1.body.version.id, version: 1 } });

    const pinned = await getPublishedVersion(ctx.deps.db, portalId, v1.body.version.id);
    const campaign = await ctx.deps.db.campaign.create({ data: { portalId, name: 'Spring' } });
    await ctx.deps.db.campaignVariant.create({ data: { portalId, campaignId: campaign.id, scriptVersionId: pinned.id, label: 'A' } });

    const g = structuredClone(s.draft);
    node(g, 'ask_owner').text = 'Are you the owner of your home?';
    await api().patch(`/api/v1/scripts/${s.id}`).set(auth).send({ draftRevision: s.draftRevision, graph: g }).expect(200);
    const v2 = await api().post(`/api/v1/scripts/${s.id}/publish`).set(auth).send({});
    expect(v2.body.version).toMatchObject({ version: 2 });
    expect(v2.body.version.checksum).not.toBe(v1.body.version.checksum);

    const variant = await ctx.deps.db.campaignVariant.findFirstOrThrow({ where: { campaignId: campaign.id }, include: { scriptVersion: true } });
    expect(variant.scriptVersion).toMatchObject({ id: v1.body.version.id, version: 1, checksum: v1.body.version.checksum });
    expect(node(variant.scriptVersion.graph as AnyGraph, 'ask_owner').text).toBe('Do you own your home?');

    const versions = await api().get(`/api/v1/scripts/${s.id}/versions`).set(auth);
    expect(versions.body.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    const one = await api().get(`/api/v1/scripts/${s.id}/versions/${v1.body.version.id}`).set(auth);
    expect(one.body).toMatchObject({ version: 1, graph: { start: 'greet' } });
  });

  it('refuses every change to a published version (409 in the API, and in the database)', async () => {
    const s = await createScript();
    const v = (await api().post(`/api/v1/scripts/${s.id}/publish`).set(auth).send({})).body.version;
    const before = await ctx.deps.db.scriptVersion.findUniqueOrThrow({ where: { id: v.id } });
    const url = `/api/v1/scripts/${s.id}/versions/${v.id}`;
    for (const res of [await api().put(url).set(auth).send({ graph: {} }), await api().patch(url).set(auth).send({ graph: {} }), await api().delete(url).set(auth)]) {
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'SCRIPT_VERSION_IMMUTABLE', details: { versionId: v.id, version: 1 } });
    }
    await expect(ctx.deps.db.scriptVersion.update({ where: { id: v.id }, data: { checksum: 'tampered' } })).rejects.toThrow(/cannot be changed/);
    expect(await ctx.deps.db.scriptVersion.findUniqueOrThrow({ where: { id: v.id } })).toEqual(before);
  });

  it("answers 404 for another portal's script and versions, never its data", async () => {
    const s = await createScript();
    const v = (await api().post(`/api/v1/scripts/${s.id}/publish`).set(auth).send({})).body.version;
    for (const res of [
      await api().get(`/api/v1/scripts/${s.id}`).set(other.auth),
      await api().patch(`/api/v1/scripts/${s.id}`).set(other.auth).send({ draftRevision: 1, name: 'x' }),
      await api().post(`/api/v1/scripts/${s.id}/publish`).set(other.auth).send({}),
      await api().get(`/api/v1/scripts/${s.id}/versions/${v.id}`).set(other.auth),
      await api().delete(`/api/v1/scripts/${s.id}/versions/${v.id}`).set(other.auth),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.error.code).toMatch(/^SCRIPT(_VERSION)?_NOT_FOUND$/);
    }
    await expect(getPublishedVersion(ctx.deps.db, other.portal.id, v.id)).rejects.toMatchObject({ code: 'SCRIPT_VERSION_NOT_FOUND', status: 404 });
  });

  it('archives instead of deleting; an archived draft is read-only', async () => {
    const s = await createScript();
    const del = await api().delete(`/api/v1/scripts/${s.id}`).set(auth);
    expect(del.body.archivedAt).not.toBeNull();
    const edit = await api().patch(`/api/v1/scripts/${s.id}`).set(auth).send({ draftRevision: s.draftRevision, name: 'x' });
    expect(edit.body.error.code).toBe('SCRIPT_ARCHIVED');
    const list = await api().get('/api/v1/scripts').set(auth);
    expect(list.body.scripts.map((x: { id: string }) => x.id)).not.toContain(s.id);
  });
});

describe('bad scripts: a 4xx with code and location, and nothing stored', () => {
  let existing: { id: string; draftRevision: number; draft: AnyGraph };
  beforeAll(async () => {
    existing = await createScript();
  });

  async function expectNothingStored(send: () => Promise<request.Response>) {
    const before = await counts();
    const draftBefore = await ctx.deps.db.script.findUniqueOrThrow({ where: { id: existing.id } });
    const res = await send();
    expect(await counts()).toEqual(before);
    expect(await ctx.deps.db.script.findUniqueOrThrow({ where: { id: existing.id } })).toEqual(draftBefore);
    return res;
  }
  const both = (graph: AnyGraph) => [
    () => api().post('/api/v1/scripts').set(auth).send({ name: 'Bad', graph }),
    () => api().patch(`/api/v1/scripts/${existing.id}`).set(auth).send({ draftRevision: existing.draftRevision, graph }),
  ];

  it('a 5 MB body: 413 before anything runs', async () => {
    const g = solarGraph();
    node(g, 'greet').label = 'x'.repeat(5 * 1024 * 1024);
    for (const send of both(g)) {
      const res = await expectNothingStored(send);
      expect(res.status).toBe(413);
      expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    }
  });

  it('a script over the 256 KB script limit (but under the body limit): 422 SCRIPT_TOO_LARGE at $', async () => {
    const g = solarGraph();
    node(g, 'greet').label = 'x'.repeat(300 * 1024);
    for (const send of both(g)) {
      const res = await expectNothingStored(send);
      expect(res.status).toBe(422);
      expect(res.body.error).toMatchObject({ code: 'SCRIPT_INVALID', details: { errors: [{ code: 'SCRIPT_TOO_LARGE', path: '$' }] } });
    }
  });

  it('a cycle with no exit: 422 naming the node', async () => {
    const g = solarGraph();
    node(g, 'owner_branch').else = 'ask_owner';
    node(g, 'owner_branch').edges[0].to = 'ask_owner';
    for (const send of both(g)) {
      const res = await expectNothingStored(send);
      expect(res.status).toBe(422);
      expect(res.body.error.details.errors).toContainEqual(expect.objectContaining({ code: 'CYCLE_WITHOUT_EXIT', nodeId: 'ask_owner', path: '$.nodes[3]' }));
    }
  });

  it('{"var": "__proto__"}: 422 VAR_FORBIDDEN at the var', async () => {
    const g = JSON.parse(JSON.stringify(solarGraph()).replace('"answers.ownsHome"', '"__proto__"'));
    for (const send of both(g)) {
      const res = await expectNothingStored(send);
      expect(res.status).toBe(422);
      expect(res.body.error.details.errors).toEqual([
        { code: 'VAR_FORBIDDEN', nodeId: 'owner_branch', path: '$.nodes[4].edges[0].when["=="][0].var', message: expect.stringContaining('__proto__') },
      ]);
    }
  });

  it('an operator not on the allow-list: 422 LOGIC_OPERATOR_NOT_ALLOWED at the operator', async () => {
    const g = solarGraph();
    node(g, 'bill_branch').edges[0].when = { some: [[1], { '>=': [{ var: 'answers.monthlyBill' }, 150] }] };
    for (const send of both(g)) {
      const res = await expectNothingStored(send);
      expect(res.status).toBe(422);
      expect(res.body.error.details.errors).toEqual([expect.objectContaining({ code: 'LOGIC_OPERATOR_NOT_ALLOWED', nodeId: 'bill_branch', path: '$.nodes[6].edges[0].when.some' })]);
    }
  });

  it('validate reports problems without storing, and too many nodes are refused', async () => {
    const g = chainGraph(260);
    const res = await expectNothingStored(() => api().post(`/api/v1/scripts/${existing.id}/validate`).set(auth).send({ graph: g }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ valid: false, errors: [{ code: 'TOO_MANY_NODES', path: '$.nodes' }] });
    const stored = await api().post(`/api/v1/scripts/${existing.id}/validate`).set(auth).send({});
    expect(stored.body).toMatchObject({ valid: true, errors: [] });
  });

  it('an envelope that is not a script request: 400 VALIDATION_FAILED', async () => {
    const res = await expectNothingStored(() => api().post('/api/v1/scripts').set(auth).send({ graph: solarGraph() }));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { issues: [expect.objectContaining({ path: 'body.name' })] } });
  });
});

describe('simulator over HTTP', () => {
  it('walks the draft and a published version with runs, reporting coverage', async () => {
    const s = await createScript();
    await api().post(`/api/v1/scripts/${s.id}/publish`).set(auth).send({}).expect(201);
    const before = await counts();
    const res = await api()
      .post(`/api/v1/scripts/${s.id}/simulate`)
      .set(auth)
      .send({ contact: { firstName: 'Jane', properties: { tier: 'vip' } }, runs: [['yes', 400, 'morning'], ['no'], [{ optOut: true }]] });
    expect(res.status).toBe(200);
    expect(res.body.source).toMatchObject({ kind: 'draft' });
    expect(res.body.runs.map((r: { disposition: string }) => r.disposition)).toEqual(['qualified', 'not_owner', 'opted_out']);
    expect(res.body.runs[0].steps[0].instruction.say).toContain('Hi Jane');
    expect(res.body.coverage).toMatchObject({ edgesTotal: 11, edgesTaken: 9, untaken: [{ key: 'vip_check:else' }, { key: 'bill_branch:else' }] });
    const v1 = await api().post(`/api/v1/scripts/${s.id}/simulate`).set(auth).send({ version: 1, answers: ['no'] });
    expect(v1.body).toMatchObject({ source: { kind: 'version', version: 1 }, runs: [{ status: 'ended', disposition: 'not_owner' }] });
    const missing = await api().post(`/api/v1/scripts/${s.id}/simulate`).set(auth).send({ version: 9, answers: [] });
    expect(missing.status).toBe(404);
    expect(await counts()).toEqual(before);
  });
});
