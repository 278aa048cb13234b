import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { generateDemoContacts } from '../fixtures/demo/demo-contacts.generator';
import { validateScriptGraph } from '../../backend/src/domain/scripts/script-validator';

// The demo's sample files are exactly the generator's output (so `npm run demo:fixtures` can
// always rebuild them), with the make-up the demo promises, and its script is a valid branching one.
const DIR = path.resolve(__dirname, '../fixtures/demo');

describe('demo sample files', () => {
  const generated = generateDemoContacts();

  it('are what the deterministic generator writes', () => {
    expect(fs.readFileSync(path.join(DIR, 'contacts.csv'), 'utf8')).toBe(generated.contactsCsv);
    expect(fs.readFileSync(path.join(DIR, 'dnc.csv'), 'utf8')).toBe(generated.dncCsv);
    expect(generateDemoContacts().contactsCsv).toBe(generated.contactsCsv);
  });

  it('hold a few hundred people across US time zones, with invalid rows, duplicates, no-consent rows and a DNC list', () => {
    const rows = parse(generated.contactsCsv, { columns: true }) as Array<Record<string, string>>;
    const e = generated.expected;
    expect(rows).toHaveLength(e.rows);
    expect(e.people).toBeGreaterThanOrEqual(200);
    expect(Object.keys(e.byZone).length).toBeGreaterThanOrEqual(8);
    expect(e.byZone['America/New_York']).toBeGreaterThan(e.byZone['Pacific/Honolulu']!);
    // People without consent, counted once each (a duplicate row repeats its person).
    const noConsent = new Set(rows.filter((r) => r['Call Consent'] === '').map((r) => r['Phone Number']!.replace(/\D/g, '').slice(-10)));
    expect(noConsent.size).toBe(e.noConsent);
    // Every real number is in NANP's fictional 555-0100…0199 block.
    const fictional = /^\+1[2-9]\d{2}55501\d\d$/;
    expect(generated.hubspotRecords.map((r) => r.properties.phone).filter((p) => !fictional.test(p!))).toEqual([]);
    const dnc = parse(generated.dncCsv, { columns: true }) as Array<{ phone: string }>;
    expect(dnc.filter((r) => !fictional.test(r.phone))).toEqual([]);
    expect(e.invalid).toBe(10);
    expect(e.duplicates).toBe(12);
    expect(dnc).toHaveLength(e.dnc);
  });

  it('include a valid, branching script', () => {
    const script = JSON.parse(fs.readFileSync(path.join(DIR, 'demo-script.json'), 'utf8'));
    const v = validateScriptGraph(script);
    expect(v.ok).toBe(true);
    expect(script.nodes.filter((n: { type: string }) => n.type === 'branch').length).toBeGreaterThanOrEqual(3);
  });
});
