import request from 'supertest';
import { contactsOf, createImportHarness, filesIn, importCsv, waitForImport, type ImportHarness } from './import-test-support';

// The awkward files people actually upload: BOM, CRLF, quoted delimiters and line breaks, `;`
// and tab separators, HubSpot's export headers in any order, multi-byte names.

describe('CSV import: messy files', () => {
  let h: ImportHarness;
  beforeAll(async () => {
    h = await createImportHarness();
  });
  beforeEach(() => h.usePortal());
  afterAll(() => h.close());

  it('reads a HubSpot export with a BOM, CRLF, quoted commas and line breaks and UTF-8 names', async () => {
    const csv =
      '\uFEFF"Record ID","First Name","Last Name","Email","Phone Number","Company Name","Time Zone","Lifecycle Stage"\r\n' +
      '101,José,Muñoz,JOSE@Example.com,(202) 555-0123,"Acme, Inc.",America/Chicago,lead\r\n' +
      '102,李,王,li@example.com,+44 20 7946 0000,"Multi\r\nLine Ltd",,customer\r\n' +
      '103,Zoë,"O""Brien",,212.555.0199,Globex,,\r\n';
    const done = await importCsv(h, csv);
    expect(done).toMatchObject({ status: 'completed', counts: { rowsRead: 3, created: 3, updated: 0, duplicate: 0, rejected: 0 } });
    const [us1, us2, uk] = await contactsOf(h);
    expect(us1).toMatchObject({
      phone: '+12025550123', firstName: 'José', lastName: 'Muñoz', email: 'jose@example.com', company: 'Acme, Inc.',
      timeZone: 'America/Chicago', timeZoneSource: 'file', hubspotContactId: '101', source: 'csv_import', properties: { 'Lifecycle Stage': 'lead' },
    });
    expect(uk).toMatchObject({ phone: '+442079460000', firstName: '李', lastName: '王', company: 'Multi\r\nLine Ltd', timeZone: 'Europe/London', timeZoneSource: 'phone' });
    expect(us2).toMatchObject({ phone: '+12125550199', firstName: 'Zoë', lastName: 'O"Brien', email: null, timeZone: 'America/New_York', timeZoneSource: 'phone' });
    expect(done.columns).toEqual(expect.arrayContaining([{ header: 'Phone Number', field: 'phone' }, { header: 'Record ID', field: 'hubspotContactId' }]));
    // The upload is deleted once the merge has committed (just after the import reads completed).
    for (let i = 0; i < 100 && filesIn(h.dataDir).length; i++) await new Promise((r) => setTimeout(r, 50));
    expect(filesIn(h.dataDir)).toEqual([]);
  });

  it('detects `;` as the delimiter and maps generic headers in any order', async () => {
    const csv = 'notes;email;TEL;name;tz\n"a; b";ann@example.com;2025550111;Ann Lee;Europe/Paris\nx;bo@example.com;2025550112;Bo;\n';
    const done = await importCsv(h, csv);
    expect(done.counts).toMatchObject({ rowsRead: 2, created: 2, rejected: 0 });
    const [ann, bo] = await contactsOf(h);
    expect(ann).toMatchObject({ phone: '+12025550111', firstName: 'Ann', lastName: 'Lee', email: 'ann@example.com', timeZone: 'Europe/Paris', timeZoneSource: 'file', properties: { notes: 'a; b' } });
    expect(bo).toMatchObject({ phone: '+12025550112', firstName: 'Bo', lastName: null, timeZone: 'America/New_York' });
  });

  it('detects tab-separated files', async () => {
    const done = await importCsv(h, 'Mobile Phone Number\tFirst Name\tCompany Name\n+49 151 23456789\tJürgen\tSchön GmbH\n');
    expect(done.counts).toMatchObject({ rowsRead: 1, created: 1 });
    const [c] = await contactsOf(h);
    expect(c).toMatchObject({ phone: '+4915123456789', firstName: 'Jürgen', company: 'Schön GmbH', timeZone: 'Europe/Berlin', timeZoneSource: 'phone' });
  });

  it('falls back to the portal time zone when neither the file nor the number settles it', async () => {
    // +1 800 (toll-free) spans every North American zone; "Mars/Olympus" is not a zone.
    await importCsv(h, 'phone,time zone\n+1 800 555 0100,Mars/Olympus\n');
    const [c] = await contactsOf(h);
    expect(c).toMatchObject({ phone: '+18005550100', timeZone: 'America/New_York', timeZoneSource: 'portal_default', properties: { unknownTimeZone: 'Mars/Olympus' } });
  });

  it('uses the import region for national numbers and rejects what it cannot dial, with reasons', async () => {
    const csv = 'phone,name\n020 7946 0000,London\n+1 900 555 0199,Premium\nnot a number,Junk\n,Empty\n';
    const done = await importCsv(h, csv, { defaultRegion: 'gb' });
    expect(done.counts).toMatchObject({ rowsRead: 4, created: 1, rejected: 3 });
    const res = await request(h.ctx.app).get(`/api/v1/imports/${done.id}/rejected.csv`).set(h.auth);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.text.split('\r\n').filter(Boolean)).toEqual([
      'row,reason,phone,name',
      '3,phone number is not diallable (premium rate),+1 900 555 0199,Premium',
      '4,not a phone number,not a number,Junk',
      '5,phone number is empty,,Empty',
    ]);
  });

  it('keeps the last row for a number repeated in the file and counts the others as duplicates', async () => {
    const done = await importCsv(h, 'phone,first name\n2025550123,First\n(202) 555-0123,Second\n+12025550123,Third\n2025550124,Other\n');
    expect(done.counts).toMatchObject({ rowsRead: 4, created: 2, duplicate: 2 });
    const contacts = await contactsOf(h);
    expect(contacts.map((c) => c.firstName)).toEqual(['Third', 'Other']);
    expect(await h.ctx.deps.db.importContact.count({ where: { importId: done.id } })).toBe(2);
  });

  it('imports consent columns and refuses rows with an unknown consent type', async () => {
    const csv = 'phone,consent type,consent source,consent date\n2025550131,written,web form,2024-05-01T10:00:00Z\n2025550132,maybe,,\n2025550133,,,\n';
    const done = await importCsv(h, csv);
    expect(done.counts).toMatchObject({ rowsRead: 3, created: 2, rejected: 1 });
    const [a, c] = await contactsOf(h);
    expect(a).toMatchObject({ consentType: 'written', consentSource: 'web form', consentAt: new Date('2024-05-01T10:00:00Z') });
    expect(c).toMatchObject({ consentType: 'none', consentSource: null });
  });

  it('update mode refreshes existing contacts without erasing what the file leaves empty; keep mode leaves them alone', async () => {
    await importCsv(h, 'phone,first name,email,consent,consent source\n2025550141,Old,old@example.com,express,call centre\n2025550142,Keep,,,\n');
    const updated = await importCsv(h, 'phone,first name,email,Tier\n2025550141,New,,gold\n2025550143,Fresh,,\n');
    expect(updated.counts).toMatchObject({ rowsRead: 2, created: 1, updated: 1 });
    let [a] = await contactsOf(h);
    expect(a).toMatchObject({ firstName: 'New', email: 'old@example.com', consentType: 'express', consentSource: 'call centre', properties: { Tier: 'gold' } });

    const kept = await importCsv(h, 'phone,first name\n2025550141,Ignored\n2025550144,Added\n', { mode: 'keep' });
    expect(kept).toMatchObject({ mode: 'keep', counts: { rowsRead: 2, created: 1, updated: 0, unchanged: 1 } });
    [a] = await contactsOf(h);
    expect(a!.firstName).toBe('New');
    // Both rows belong to the import, so a segment limited to it sees both.
    expect(await h.ctx.deps.db.importContact.count({ where: { importId: kept.id } })).toBe(2);
  });

  it('applies a per-import column mapping sent as multipart fields before the file', async () => {
    const csv = 'Cell #,Nick,Phone Number\n2025550151,Al,n/a\n';
    const res = await request(h.ctx.app)
      .post('/api/v1/imports')
      .set(h.auth)
      .field('mapping', JSON.stringify({ 'Cell #': 'phone', Nick: 'firstName', 'Phone Number': 'ignore' }))
      .attach('file', Buffer.from(csv), { filename: 'leads.csv', contentType: 'text/csv' });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ fileName: 'leads.csv', status: 'queued' });
    const done = await waitForImport(h, res.body.id);
    expect(done.counts).toMatchObject({ created: 1, rejected: 0 });
    const [c] = await contactsOf(h);
    expect(c).toMatchObject({ phone: '+12025550151', firstName: 'Al', properties: {} });
  });
});
