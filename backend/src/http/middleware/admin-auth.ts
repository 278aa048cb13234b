import type { RequestHandler } from 'express';
import { timingSafeEqualStrings } from '../../platform/crypto';

// The operator endpoints (queue dashboard, metrics) take the ADMIN_TOKEN either as a Bearer token
// (scrapers, curl) or as the password of HTTP Basic auth with any user name, so a browser asks for
// it with its own prompt and no login page is needed. Wrong or missing: 401, nothing served.

export const ADMIN_REALM = 'hubspot-ai-calling admin';

/** The token a request presents, from `Bearer <token>` or `Basic base64(user:token)`. */
export function presentedAdminToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (bearer) return bearer[1];
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!basic) return undefined;
  const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 ? decoded.slice(colon + 1) : undefined;
}

export function requireAdminToken(token: string): RequestHandler {
  return (req, res, next) => {
    const given = presentedAdminToken(req.get('authorization'));
    if (given !== undefined && timingSafeEqualStrings(given, token)) return next();
    res.setHeader('WWW-Authenticate', `Basic realm="${ADMIN_REALM}", charset="UTF-8"`);
    res.status(401).json({ error: { code: 'ADMIN_AUTH_REQUIRED', message: 'This operator endpoint needs the ADMIN_TOKEN (Bearer, or Basic auth with it as the password).' } });
  };
}

/** Answers 404 with a sentence saying how to turn the endpoint on. */
export function adminDisabled(what: string): RequestHandler {
  return (_req, res) => {
    res.status(404).json({ error: { code: 'ADMIN_DISABLED', message: `${what} is off: set ADMIN_TOKEN to turn it on.` } });
  };
}
