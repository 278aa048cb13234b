import type { HubSpotContact, HubSpotGateway } from '../../hubspot/gateway.types';
import type { ContactInput, SourceRow } from './contact-input';

// A HubSpot list as an import source: list memberships page by page (250), contacts read in
// batches of 100, each turned into the same ContactInput a CSV row gives, so the one normaliser,
// staging and merge apply. Rate limits: the gateway holds every call to the portal's HubSpot
// limit across processes; a 429 that still gets through is waited out and the call repeated.
export const HUBSPOT_BATCH_READ_MAX = 100;
const MAX_RATE_LIMIT_RETRIES = 8;

/** HubSpot's hs_timezone values look like "america_slash_new_york"; ours are IANA names. */
export function ianaFromHubSpotZone(value: string | null): string | null {
  if (!value) return null;
  const iana = value
    .split('_slash_')
    .map((part) => part.split('_').map((w) => (w.length <= 2 && w === w.toLowerCase() && /^(of|es|de|la)$/.test(w) ? w : w.charAt(0).toUpperCase() + w.slice(1))).join('_'))
    .join('/');
  return iana;
}

/**
 * HubSpot's lawful-basis property says whether the contact consented. "Freely given consent"
 * counts as express consent; anything else (legitimate interest, contract…) is not consent to an
 * automated call, so nothing is claimed and the portal's own records decide.
 */
export function consentFromHubSpot(properties: Record<string, string | null>): Pick<ContactInput, 'consentType' | 'consentSource'> {
  const basis = (properties.hs_legal_basis ?? '').toLowerCase();
  if (basis.includes('consent')) return { consentType: 'express', consentSource: `hubspot:hs_legal_basis` };
  return {};
}

export function toContactInput(c: HubSpotContact): ContactInput {
  return {
    phone: c.phone,
    mobilePhone: c.mobilePhone,
    firstName: c.firstName,
    lastName: c.lastName,
    email: c.email,
    company: c.company,
    timeZone: ianaFromHubSpotZone(c.timeZone),
    hubspotContactId: c.id,
    ...consentFromHubSpot(c.properties),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function withRateLimitRetry<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const retryAfterMs = (err as { retryAfterMs?: unknown }).retryAfterMs;
      if (typeof retryAfterMs !== 'number' || attempt >= MAX_RATE_LIMIT_RETRIES) throw err;
      await sleep(retryAfterMs);
    }
  }
}

export interface HubSpotListProgress {
  membersSeen: number;
  missing: number;
}

/** Rows of one list, in list order, numbered from 1 (the rejected-rows report uses the number). */
export async function* hubSpotListRows(
  gateway: HubSpotGateway,
  portalId: string,
  listId: string,
  progress: HubSpotListProgress = { membersSeen: 0, missing: 0 },
): AsyncGenerator<SourceRow[]> {
  let rowNumber = 0;
  let after: string | undefined;
  do {
    // Paged here rather than through a generator: a rate-limited page is asked for again with
    // the same cursor, never skipped.
    const cursor = after;
    const page = await withRateLimitRetry(() => gateway.listMembershipsPage(portalId, { listId, after: cursor, limit: 250 }));
    after = page.nextAfter;
    progress.membersSeen += page.recordIds.length;
    for (let i = 0; i < page.recordIds.length; i += HUBSPOT_BATCH_READ_MAX) {
      const ids = page.recordIds.slice(i, i + HUBSPOT_BATCH_READ_MAX);
      const batch = await withRateLimitRetry(() => gateway.readContacts(portalId, ids));
      progress.missing += batch.missingIds.length;
      yield batch.contacts.map((c) => {
        const n = ++rowNumber;
        return { rowNumber: n, input: toContactInput(c), raw: () => `hubspot contact ${c.id}` };
      });
    }
  } while (after);
}
