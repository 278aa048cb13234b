import { AppError } from '../../platform/app-error';
import { CONTACT_FIELDS, type ContactField } from './contact-input';

// Which column feeds which contact field. Automatic for HubSpot's contact export, HubSpot's
// internal property names and the usual generic names; a per-import override wins.

export type MappingTarget = ContactField | 'property' | 'ignore';
export type MappingOverride = Record<string, MappingTarget>;

export interface ColumnPlan {
  header: string[];
  /** field → column index */
  fields: Partial<Record<ContactField, number>>;
  /** columns kept as free properties: [property name, column index] */
  properties: Array<[string, number]>;
}

const key = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '');

const ALIASES: Record<ContactField, string[]> = {
  phone: ['phonenumber', 'phone', 'tel', 'telephone', 'telephonenumber', 'phoneno', 'workphone', 'businessphone', 'primaryphone', 'contactphone'],
  mobilePhone: ['mobilephonenumber', 'mobilephone', 'mobile', 'mobilenumber', 'cell', 'cellphone', 'cellnumber', 'cellphonenumber'],
  firstName: ['firstname', 'first', 'givenname', 'fname', 'forename'],
  lastName: ['lastname', 'last', 'surname', 'familyname', 'lname'],
  fullName: ['name', 'fullname', 'contactname'],
  email: ['email', 'emailaddress', 'mail'],
  company: ['companyname', 'company', 'organization', 'organisation', 'accountname', 'employer'],
  timeZone: ['timezone', 'tz', 'hstimezone', 'ianatimezone'],
  hubspotContactId: ['recordid', 'hsobjectid', 'hubspotid', 'hubspotcontactid', 'contactid', 'vid'],
  consentType: ['consenttype', 'consent', 'callconsent', 'phoneconsent'],
  consentSource: ['consentsource', 'consentorigin'],
  consentAt: ['consentat', 'consenttimestamp', 'consentdate', 'consentedat', 'consenttime', 'consentdatetime'],
};

const FIELD_BY_ALIAS = new Map<string, ContactField>();
for (const field of CONTACT_FIELDS) for (const alias of ALIASES[field]) FIELD_BY_ALIAS.set(alias, field);

/** Trims header cells and makes them unique and non-empty, so each column has a usable name. */
export function cleanHeader(cells: string[]): string[] {
  const seen = new Map<string, number>();
  return cells.map((cell, i) => {
    const base = cell.trim() || `column_${i + 1}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base} (${n})`;
  });
}

function findColumn(header: string[], name: string): number {
  const exact = header.indexOf(name);
  if (exact >= 0) return exact;
  const lower = name.trim().toLowerCase();
  return header.findIndex((h) => h.toLowerCase() === lower);
}

export function planColumns(header: string[], override: MappingOverride = {}): ColumnPlan {
  const targets: Array<MappingTarget | undefined> = header.map(() => undefined);
  const claimed = new Map<ContactField, number>();
  for (const [column, target] of Object.entries(override)) {
    const index = findColumn(header, column);
    if (index < 0) {
      throw new AppError('IMPORT_MAPPING_UNKNOWN_COLUMN', 422, `The mapping names a column "${column}" that the file's header does not have.`, { header });
    }
    if (target !== 'property' && target !== 'ignore') {
      if (claimed.has(target)) throw new AppError('IMPORT_MAPPING_DUPLICATE_FIELD', 422, `The mapping sends two columns to the field "${target}".`);
      claimed.set(target, index);
    }
    targets[index] = target;
  }
  header.forEach((name, index) => {
    if (targets[index] !== undefined) return;
    const field = FIELD_BY_ALIAS.get(key(name));
    // The first column with a known name takes a field; later look-alikes stay properties.
    if (field && !claimed.has(field)) {
      claimed.set(field, index);
      targets[index] = field;
    } else targets[index] = 'property';
  });
  const plan: ColumnPlan = { header, fields: Object.fromEntries(claimed), properties: [] };
  targets.forEach((t, index) => {
    if (t === 'property') plan.properties.push([header[index]!, index]);
  });
  if (plan.fields.phone === undefined && plan.fields.mobilePhone === undefined) {
    throw new AppError(
      'IMPORT_NO_PHONE_COLUMN',
      422,
      'The file has no phone column: name one "Phone Number", "Mobile Phone Number", "phone" or "mobile", or map a column to "phone".',
      { header },
    );
  }
  return plan;
}
