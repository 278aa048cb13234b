import { timingSafeEqualStrings } from './crypto';

// The operator endpoints (queue dashboard, metrics of the web and of each worker) take the
// ADMIN_TOKEN either as a Bearer token (scrapers, curl) or as the password of HTTP Basic auth with
// any user name, so a browser asks for it with its own prompt and no login page is needed.

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

/** Whether an Authorization header carries the operator token (constant-time compare). */
export function adminTokenMatches(header: string | undefined, token: string): boolean {
  const given = presentedAdminToken(header);
  return given !== undefined && timingSafeEqualStrings(given, token);
}

export const ADMIN_REALM = 'hubspot-ai-calling admin';
export const ADMIN_AUTH_REQUIRED = {
  code: 'ADMIN_AUTH_REQUIRED',
  message: 'This operator endpoint needs the ADMIN_TOKEN (Bearer, or Basic auth with it as the password).',
} as const;
