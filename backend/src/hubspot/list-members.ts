import type { HubSpotGateway } from './gateway.types';

/**
 * Every record id of a HubSpot list, page by page (250 per request, HubSpot's maximum), for
 * imports that stream a list without holding it all. Depends on the port only, so the domain and
 * worker can use it with any gateway.
 */
export async function* listMemberIds(gateway: HubSpotGateway, portalId: string, listId: string): AsyncGenerator<string[]> {
  let after: string | undefined;
  do {
    const page = await gateway.listMembershipsPage(portalId, { listId, after });
    if (page.recordIds.length) yield page.recordIds;
    after = page.nextAfter;
  } while (after);
}
