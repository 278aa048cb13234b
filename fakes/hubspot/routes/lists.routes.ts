import express, { type Router } from 'express';
import { z } from 'zod';
import type { FakeList, HubSpotFakeState } from '../state';
import { hubIdOf, paramOf, requireToken } from '../middleware';
import { notFound, validationError } from '../hubspot-errors';

// Lists v3 (https://developers.hubspot.com/docs/api-reference/crm-lists-v3): memberships are
// paged in record-id order, `limit` defaults to 100 and may be at most 250, and the next page is
// named by an opaque `paging.next.after` cursor (absent on the last page).
//
// Search (POST /crm/v3/lists/search, .../lists/post-crm-v3-lists-search): every field of the body
// is optional. `query` matches list names (empty: every list), `offset` (default 0) pages,
// `count` defaults to 20 and may be at most 500, `processingTypes` and `listIds` filter, and
// `objectTypeId` filters by object type (documented for the 2026-03 API; @hubspot/api-client 14
// does not send it). The answer is {lists, hasMore, offset, total}: `offset` is where the next
// page starts, and each list's `additionalProperties` carries hs_list_size and the other default
// properties as strings, leaving out the ones a list has no value for.

const READ = ['crm.lists.read', 'crm.lists.write'];
export const MEMBERSHIP_PAGE_MAX = 250;
const DEFAULT_LIMIT = 100;

const encodeCursor = (offset: number) => Buffer.from(`o:${offset}`).toString('base64url');
function decodeCursor(raw: string): number | null {
  const m = /^o:(\d+)$/.exec(Buffer.from(raw, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : null;
}

export function listRoutes(state: HubSpotFakeState): Router {
  const r = express.Router();

  r.get('/crm/v3/lists/:listId', requireToken(state, READ), (req, res) => {
    const list = state.account(hubIdOf(res)).lists.get(paramOf(req, 'listId'));
    if (!list) return notFound(res, `List does not exist with listId ${paramOf(req, 'listId')}.`);
    res.json({ list: { listId: list.listId, name: list.name, objectTypeId: list.objectTypeId, processingType: list.processingType, size: list.members.length } });
  });

  r.get('/crm/v3/lists/:listId/memberships', requireToken(state, READ), (req, res) => {
    const list = state.account(hubIdOf(res)).lists.get(paramOf(req, 'listId'));
    if (!list) return notFound(res, `List does not exist with listId ${paramOf(req, 'listId')}.`);
    const limit = req.query.limit === undefined ? DEFAULT_LIMIT : Number(req.query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > MEMBERSHIP_PAGE_MAX) {
      return validationError(res, `limit must be an integer between 1 and ${MEMBERSHIP_PAGE_MAX}.`);
    }
    let start = 0;
    if (typeof req.query.after === 'string' && req.query.after) {
      const offset = decodeCursor(req.query.after);
      if (offset === null) return validationError(res, 'The paging cursor is invalid.');
      start = offset;
    }
    const page = list.members.slice(start, start + limit);
    const next = start + limit < list.members.length ? { next: { after: encodeCursor(start + limit) } } : undefined;
    res.json({ results: page, ...(next ? { paging: next } : {}), total: list.members.length });
  });

  r.post('/crm/v3/lists/search', requireToken(state, READ), (req, res) => {
    const parsed = ZListSearch.safeParse(req.body ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return validationError(res, `Invalid list search request: ${issue.path.join('.') || 'body'}: ${issue.message}.`);
    }
    const q = parsed.data;
    const needle = q.query?.trim().toLowerCase() ?? '';
    const matches = [...state.account(hubIdOf(res)).lists.values()].filter(
      (l) =>
        (!needle || l.name.toLowerCase().includes(needle)) &&
        (!q.processingTypes?.length || q.processingTypes.includes(l.processingType)) &&
        (!q.listIds?.length || q.listIds.includes(l.listId)) &&
        (!q.objectTypeId || l.objectTypeId === q.objectTypeId),
    );
    const page = matches.slice(q.offset, q.offset + q.count);
    const next = q.offset + page.length;
    res.json({ lists: page.map((l) => searchResult(l, q.additionalProperties ?? [])), hasMore: next < matches.length, offset: next, total: matches.length });
  });

  return r;
}

export const LIST_SEARCH_MAX_COUNT = 500;
const ZListSearch = z.object({
  query: z.string().optional(),
  offset: z.number().int().min(0).default(0),
  count: z.number().int().min(1).max(LIST_SEARCH_MAX_COUNT).default(20),
  processingTypes: z.array(z.string()).optional(),
  listIds: z.array(z.string()).optional(),
  additionalProperties: z.array(z.string()).optional(),
  objectTypeId: z.string().optional(),
  sort: z.string().optional(),
});

function searchResult(l: FakeList, extra: string[]) {
  const last = l.members.at(-1);
  const known: Record<string, string | undefined> = {
    hs_list_size: String(l.members.length),
    hs_list_reference_count: '0',
    hs_last_record_added_at: last ? String(Date.parse(last.membershipTimestamp)) : undefined,
  };
  const wanted = ['hs_list_size', 'hs_last_record_added_at', 'hs_last_record_removed_at', 'hs_folder_name', 'hs_list_reference_count', ...extra];
  const additionalProperties = Object.fromEntries(wanted.flatMap((k) => (known[k] === undefined ? [] : [[k, known[k]]])));
  return {
    listId: l.listId,
    listVersion: 1,
    name: l.name,
    objectTypeId: l.objectTypeId,
    processingStatus: 'COMPLETE',
    processingType: l.processingType,
    createdAt: l.createdAt,
    createdById: '1',
    filtersUpdatedAt: l.createdAt,
    updatedAt: l.createdAt,
    updatedById: '1',
    additionalProperties,
  };
}
