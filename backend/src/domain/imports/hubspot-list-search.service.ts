import { z } from 'zod';
import type { AppDeps } from '../../app-deps';
import type { HubSpotGateway, HubSpotListSummary } from '../../hubspot/gateway.types';
import { requireHubSpotInstall } from './hubspot-list-import.service';

// The list picker of the create-campaign page: the portal's HubSpot contact lists by name, a page
// at a time. The cursor is HubSpot's own search offset, so paging holds however often it is asked.

export const ZHubSpotListSearchQuery = z.object({
  query: z.string().trim().max(200).default('').describe('Part of the list name; empty for every contact list.'),
  cursor: z.string().regex(/^\d{1,9}$/, 'must be the nextCursor of a previous page').optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type THubSpotListSearchQuery = z.infer<typeof ZHubSpotListSearchQuery>;

export interface HubSpotListSearchResult {
  lists: HubSpotListSummary[];
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
}

/**
 * HubSpot's search answers lists of every object type and we keep the contact lists only, so a
 * page may hold none of them while more remain; reading on (a few pages at most) keeps the picker
 * from showing an empty page with a "more" button.
 */
const MAX_HUBSPOT_PAGES = 5;

export async function searchHubSpotContactLists(
  deps: Pick<AppDeps, 'db'> & { gateway: Pick<HubSpotGateway, 'searchContactLists'> },
  portalId: string,
  q: THubSpotListSearchQuery,
): Promise<HubSpotListSearchResult> {
  await requireHubSpotInstall(deps.db, portalId);
  const lists: HubSpotListSummary[] = [];
  let offset = q.cursor ? Number(q.cursor) : 0;
  for (let page = 0; page < MAX_HUBSPOT_PAGES; page += 1) {
    const res = await deps.gateway.searchContactLists(portalId, { query: q.query, offset, count: q.limit });
    lists.push(...res.lists);
    if (res.nextOffset === undefined) return { lists, nextCursor: null };
    offset = res.nextOffset;
    if (lists.length) break;
  }
  return { lists, nextCursor: String(offset) };
}
