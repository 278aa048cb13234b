import express, { type Router } from 'express';
import type { HubSpotFakeState } from '../state';
import { hubIdOf, paramOf, requireToken } from '../middleware';
import { notFound, validationError } from '../hubspot-errors';

// Lists v3 (https://developers.hubspot.com/docs/api-reference/crm-lists-v3): memberships are
// paged in record-id order, `limit` defaults to 100 and may be at most 250, and the next page is
// named by an opaque `paging.next.after` cursor (absent on the last page).

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
    res.json({ list: { listId: list.listId, name: list.name, objectTypeId: list.objectTypeId, processingType: 'MANUAL', size: list.members.length } });
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

  return r;
}
