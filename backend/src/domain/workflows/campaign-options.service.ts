import type { Db } from '../../platform/prisma';
import { findPortalByHubId } from '../portals/portal.service';

// The campaign picker of the "Call with AI" action (its optionsUrl): campaigns a contact can
// still join, newest first, searchable by name, 50 a page. HubSpot's reply format:
// {options:[{label, value, description}], after?, searchable}.

const PAGE = 50;
const STATE_WORDS: Record<string, string> = { draft: 'draft, not started', scheduled: 'scheduled', running: 'running', paused: 'paused' };

export interface CampaignOptionsPage {
  options: Array<{ label: string; value: string; description: string }>;
  after?: string;
  searchable: true;
}

export async function listCampaignOptions(db: Db, input: { hubId: string; q?: string; after?: string }): Promise<CampaignOptionsPage> {
  const portal = await findPortalByHubId(db, input.hubId);
  if (!portal) return { options: [], searchable: true };
  const skip = /^\d{1,6}$/.test(input.after ?? '') ? Number(input.after) : 0;
  const q = input.q?.trim();
  const rows = await db.campaign.findMany({
    where: {
      portalId: portal.id,
      state: { in: ['draft', 'scheduled', 'running', 'paused'] },
      // Campaigns made by "Call now" on a contact card are one-off; they are not offered here.
      OR: [{ createdBy: null }, { NOT: { createdBy: { startsWith: 'call-now' } } }],
      ...(q ? { name: { contains: q, mode: 'insensitive' as const } } : {}),
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    skip,
    take: PAGE + 1,
    select: { id: true, name: true, state: true },
  });
  const page = rows.slice(0, PAGE);
  return {
    options: page.map((c) => ({ label: c.name, value: c.id, description: `Campaign ${STATE_WORDS[c.state] ?? c.state}` })),
    ...(rows.length > PAGE ? { after: String(skip + PAGE) } : {}),
    searchable: true,
  };
}
