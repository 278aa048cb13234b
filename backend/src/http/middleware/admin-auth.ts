import type { RequestHandler } from 'express';
import { ADMIN_AUTH_REQUIRED, ADMIN_REALM, adminTokenMatches } from '../../platform/admin-token';

// Express guards for the operator endpoints; the token rules live in platform/admin-token.ts.
// Wrong or missing: 401, nothing served.

export function requireAdminToken(token: string): RequestHandler {
  return (req, res, next) => {
    if (adminTokenMatches(req.get('authorization'), token)) return next();
    res.setHeader('WWW-Authenticate', `Basic realm="${ADMIN_REALM}", charset="UTF-8"`);
    res.status(401).json({ error: ADMIN_AUTH_REQUIRED });
  };
}

/** Answers 404 with a sentence saying how to turn the endpoint on. */
export function adminDisabled(what: string): RequestHandler {
  return (_req, res) => {
    res.status(404).json({ error: { code: 'ADMIN_DISABLED', message: `${what} is off: set ADMIN_TOKEN to turn it on.` } });
  };
}
