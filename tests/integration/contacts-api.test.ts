import request from 'supertest';
import { createTestContext, type TestContext } from '../support/test-app';
import { createContact, createPortalWithKey } from '../support/factories';

// Reading contacts and reading/setting their consent, always inside one portal.

describe('contacts and consent API', () => {
  let ctx: TestContext;
  let auth: { Authorization: string };
  let portalId: string;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  beforeEach(async () => {
    const p = await createPortalWithKey(ctx.deps.db);
    auth = p.auth;
    portalId = p.portal.id;
  });
  afterAll(() => ctx.close());

  const api = () => request(ctx.app);

  it('lists contacts newest first with a cursor and filters by phone (any format), email and import', async () => {
    const a = await createContact(ctx.deps.db, portalId, { phone: '+12025550171', email: 'Ann@Example.com' });
    const b = await createContact(ctx.deps.db, portalId, { phone: '+12025550172' });
    const imp = await ctx.deps.db.import.create({ data: { portalId, source: 'csv', status: 'completed' } });
    await ctx.deps.db.importContact.create({ data: { importId: imp.id, contactId: a.id, portalId } });

    const page1 = await api().get('/api/v1/contacts?limit=1').set(auth);
    expect(page1.status).toBe(200);
    expect(page1.body.items.map((c: { id: string }) => c.id)).toEqual([b.id]);
    const page2 = await api().get(`/api/v1/contacts?limit=1&cursor=${page1.body.nextCursor}`).set(auth);
    expect(page2.body).toMatchObject({ items: [{ id: a.id }], nextCursor: null });

    const byPhone = await api().get('/api/v1/contacts').query({ phone: '(202) 555-0171' }).set(auth);
    expect(byPhone.body.items.map((c: { id: string }) => c.id)).toEqual([a.id]);
    const byEmail = await api().get('/api/v1/contacts').query({ email: 'ann@example.COM' }).set(auth);
    expect(byEmail.body.items.map((c: { id: string }) => c.id)).toEqual([a.id]);
    const byImport = await api().get('/api/v1/contacts').query({ importId: imp.id }).set(auth);
    expect(byImport.body.items.map((c: { id: string }) => c.id)).toEqual([a.id]);
    const notAPhone = await api().get('/api/v1/contacts').query({ phone: 'hello' }).set(auth);
    expect(notAPhone.body.items).toEqual([]);
  });

  it('reads one contact with its consent', async () => {
    const c = await createContact(ctx.deps.db, portalId, { phone: '+12025550173', firstName: 'Cy' });
    const res = await api().get(`/api/v1/contacts/${c.id}`).set(auth);
    expect(res.body).toMatchObject({ id: c.id, phone: '+12025550173', firstName: 'Cy', consent: { type: 'none', source: null, at: null } });
  });

  it('sets and reads consent, and refuses consent without a source or from the future', async () => {
    const c = await createContact(ctx.deps.db, portalId);
    const url = `/api/v1/contacts/${c.id}/consent`;
    expect((await api().get(url).set(auth)).body).toEqual({ contactId: c.id, type: 'none', source: null, at: null });
    const set = await api().put(url).set(auth).send({ type: 'written', source: 'signed web form #42', at: '2025-03-01T12:00:00Z' });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ contactId: c.id, type: 'written', source: 'signed web form #42', at: '2025-03-01T12:00:00.000Z' });
    expect((await api().get(url).set(auth)).body.type).toBe('written');

    const noSource = await api().put(url).set(auth).send({ type: 'express' });
    expect(noSource.status).toBe(400);
    expect(noSource.body.error).toMatchObject({ code: 'VALIDATION_FAILED' });
    const future = await api().put(url).set(auth).send({ type: 'express', source: 'x', at: '2999-01-01T00:00:00Z' });
    expect(future.status).toBe(400);
    const badType = await api().put(url).set(auth).send({ type: 'maybe' });
    expect(badType.status).toBe(400);
    expect((await ctx.deps.db.contact.findUnique({ where: { id: c.id } }))!.consentType).toBe('written');

    const revoked = await api().put(url).set(auth).send({ type: 'none' });
    expect(revoked.body).toMatchObject({ type: 'none', source: null });
    expect(revoked.body.at).not.toBeNull();
  });

  it("answers 404 for another portal's contact and changes nothing", async () => {
    const c = await createContact(ctx.deps.db, portalId);
    const other = await createPortalWithKey(ctx.deps.db);
    for (const url of [`/api/v1/contacts/${c.id}`, `/api/v1/contacts/${c.id}/consent`]) {
      const res = await api().get(url).set(other.auth);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('CONTACT_NOT_FOUND');
    }
    const put = await api().put(`/api/v1/contacts/${c.id}/consent`).set(other.auth).send({ type: 'written', source: 'forged' });
    expect(put.status).toBe(404);
    expect((await ctx.deps.db.contact.findUnique({ where: { id: c.id } }))!.consentType).toBe('none');
    expect((await api().get('/api/v1/contacts').set(other.auth)).body.items).toEqual([]);
    expect((await api().get('/api/v1/contacts/not-a-uuid').set(auth)).status).toBe(404);
  });
});
