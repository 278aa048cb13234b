import type { Request, RequestHandler } from 'express';
import type { Db } from '../../platform/prisma';
import { resolveApiKey } from '../../domain/portals/api-key.service';
import { findPortalByHubId } from '../../domain/portals/portal.service';
import { runWithContext } from '../../platform/context';
import { checkHubSpotRequest, type RawBodyRequest } from './hubspot-signature';

// The two ways into /api/v1 (design.md §5), both resolving to exactly one portal:
// a portal API key (Bearer), or a request signed by HubSpot (hubspot.fetch from a card or page),
// whose portal comes from the signed URL's portalId.
export interface PortalActor {
  portalId: string;
  via: 'api_key' | 'hubspot';
  actorId: string;
}

export interface AuthedRequest extends Request {
  portal: PortalActor;
}

export const portalOf = (req: Request): PortalActor => (req as AuthedRequest).portal;

const deny = (res: Parameters<RequestHandler>[1], code: string, message: string) =>
  res.status(401).json({ error: { code, message } });

const KEY_MESSAGES: Record<string, string> = {
  API_KEY_MALFORMED: 'The API key is not in the expected format (aic_…).',
  API_KEY_UNKNOWN: 'The API key is not recognised.',
  API_KEY_REVOKED: 'The API key has been revoked.',
};

export function requirePortal(opts: { db: Db; clientSecret: string | undefined; publicBaseUrl: string | undefined }): RequestHandler {
  return async (req, res, next) => {
    const auth = req.get('authorization');
    let actor: PortalActor | undefined;
    if (auth && /^Bearer\s+aic_/i.test(auth)) {
      const r = await resolveApiKey(opts.db, auth.replace(/^Bearer\s+/i, '').trim());
      if (!r.ok) return deny(res, r.code, KEY_MESSAGES[r.code] ?? 'Invalid API key.');
      actor = { portalId: r.portalId, via: 'api_key', actorId: `apikey:${r.keyId}` };
    } else if (req.get('x-hubspot-signature-v3')) {
      if (!opts.clientSecret) return deny(res, 'HUBSPOT_SIGNATURE_UNCONFIGURED', 'HubSpot request signing is not configured on this server.');
      const check = checkHubSpotRequest(req as RawBodyRequest, opts.clientSecret, opts.publicBaseUrl, false);
      if (!check.ok) return deny(res, `HUBSPOT_SIGNATURE_${check.reason.toUpperCase()}`, 'The HubSpot signature is missing, stale or does not match.');
      const hubId = String(req.query.portalId ?? '');
      if (!/^\d{1,18}$/.test(hubId)) return deny(res, 'HUBSPOT_PORTAL_MISSING', 'The signed request does not name a HubSpot portal.');
      const portal = await findPortalByHubId(opts.db, hubId);
      if (!portal) return deny(res, 'PORTAL_NOT_INSTALLED', 'This HubSpot account has not installed the app.');
      actor = { portalId: portal.id, via: 'hubspot', actorId: `hubspot-user:${String(req.query.userId ?? 'unknown')}` };
    } else {
      return deny(res, 'UNAUTHENTICATED', 'Send a portal API key (Authorization: Bearer aic_…) or a HubSpot-signed request.');
    }
    (req as AuthedRequest).portal = actor;
    runWithContext({ portalId: actor.portalId }, () => next());
  };
}
