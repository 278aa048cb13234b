import { cleanHeader, planColumns } from '../../backend/src/domain/imports/column-mapping';

describe('column planning', () => {
  it("maps HubSpot's contact export headers and keeps the rest as properties", () => {
    const header = ['Record ID', 'First Name', 'Last Name', 'Email', 'Phone Number', 'Mobile Phone Number', 'Company Name', 'Time Zone', 'Lifecycle Stage'];
    const plan = planColumns(header);
    expect(plan.fields).toEqual({ hubspotContactId: 0, firstName: 1, lastName: 2, email: 3, phone: 4, mobilePhone: 5, company: 6, timeZone: 7 });
    expect(plan.properties).toEqual([['Lifecycle Stage', 8]]);
  });

  it('maps generic and HubSpot internal names, case and punctuation aside', () => {
    const plan = planColumns(['TEL', 'e-mail', 'Full Name', 'TZ', 'hs_object_id', 'Consent Type', 'consent_source', 'Consent Date', 'cell']);
    expect(plan.fields).toEqual({ phone: 0, email: 1, fullName: 2, timeZone: 3, hubspotContactId: 4, consentType: 5, consentSource: 6, consentAt: 7, mobilePhone: 8 });
  });

  it('gives a field to the first matching column only', () => {
    const plan = planColumns(['phone', 'Phone Number']);
    expect(plan.fields).toEqual({ phone: 0 });
    expect(plan.properties).toEqual([['Phone Number', 1]]);
  });

  it('lets an override move, keep or drop columns', () => {
    const plan = planColumns(['Cell #', 'Phone', 'Notes', 'Nick'], { 'cell #': 'phone', Phone: 'property', Notes: 'ignore', Nick: 'firstName' });
    expect(plan.fields).toEqual({ phone: 0, firstName: 3 });
    expect(plan.properties).toEqual([['Phone', 1]]);
  });

  it('refuses an override naming an unknown column or the same field twice', () => {
    expect(() => planColumns(['phone'], { Mobile: 'phone' })).toThrow(expect.objectContaining({ code: 'IMPORT_MAPPING_UNKNOWN_COLUMN', status: 422 }));
    expect(() => planColumns(['a', 'b'], { a: 'phone', b: 'phone' })).toThrow(expect.objectContaining({ code: 'IMPORT_MAPPING_DUPLICATE_FIELD' }));
  });

  it('refuses a file without any phone column', () => {
    expect(() => planColumns(['name', 'email'])).toThrow(expect.objectContaining({ code: 'IMPORT_NO_PHONE_COLUMN', status: 422 }));
    expect(() => planColumns(['phone', 'x'], { phone: 'ignore' })).toThrow(expect.objectContaining({ code: 'IMPORT_NO_PHONE_COLUMN' }));
  });

  it('names blank header cells and makes repeated names unique', () => {
    expect(cleanHeader([' phone ', '', 'x', 'x'])).toEqual(['phone', 'column_2', 'x', 'x (2)']);
  });
});
