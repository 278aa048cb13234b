import type { ApiRouter } from '../api-router';
import type { AppDeps } from '../../app-deps';
import { portalOf } from '../middleware/portal-auth';
import { parseId, parseInput } from '../validate';
import { ZContactCallsQuery, getCall, listContactCalls } from '../../domain/calls/call-query.service';

export function registerCallRoutes(api: ApiRouter, deps: AppDeps): void {
  api.route('get', '/calls/:callId', 'One call in full: outcome, transcript, messages, script path and answers, and the dial-time audit.', async (req, res) => {
    res.json(await getCall(deps.db, portalOf(req).portalId, parseId(req.params.callId, 'call')));
  });

  api.route('get', '/contacts/:contactId/calls', "A contact's calls, newest first, with summaries and transcripts (limit, cursor, includeSkipped).", async (req, res) => {
    const contactId = parseId(req.params.contactId, 'contact');
    res.json(await listContactCalls(deps.db, portalOf(req).portalId, contactId, parseInput(ZContactCallsQuery, req.query, 'query')));
  });
}
