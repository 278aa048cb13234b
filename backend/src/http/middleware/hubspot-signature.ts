import type { Request, RequestHandler } from 'express';
import { verifyHubSpotSignature, type SignatureCheck } from '../../hubspot/signature';

export interface RawBodyRequest extends Request {
  rawBody?: Buffer;
}

/** The URL HubSpot signed: our public base URL when configured (we sit behind a proxy), else the request's own. */
export function signedUrl(req: Request, publicBaseUrl: string | undefined): string {
  const base = publicBaseUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
  return base + req.originalUrl;
}

export function checkHubSpotRequest(req: RawBodyRequest, secret: string, publicBaseUrl: string | undefined, allowV2: boolean): SignatureCheck {
  return verifyHubSpotSignature(
    secret,
    {
      method: req.method,
      uri: signedUrl(req, publicBaseUrl),
      body: req.rawBody ? req.rawBody.toString('utf8') : '',
      headers: {
        signatureV3: req.get('x-hubspot-signature-v3') ?? undefined,
        timestamp: req.get('x-hubspot-request-timestamp') ?? undefined,
        signature: req.get('x-hubspot-signature') ?? undefined,
        signatureVersion: req.get('x-hubspot-signature-version') ?? undefined,
      },
    },
    { allowV2 },
  );
}

const MESSAGES: Record<string, string> = {
  missing: 'This endpoint only accepts requests signed by HubSpot (X-HubSpot-Signature-v3).',
  stale: 'The HubSpot signature timestamp is more than 5 minutes old.',
  mismatch: 'The HubSpot signature does not match this request.',
  unconfigured: 'HubSpot request signing is not configured on this server (HUBSPOT_CLIENT_SECRET).',
};

/** Guards HubSpot-originated routes: unsigned, stale or tampered requests get 401 and nothing runs. */
export function requireHubSpotSignature(opts: { clientSecret: string | undefined; publicBaseUrl: string | undefined; allowV2?: boolean }): RequestHandler {
  return (req, res, next) => {
    if (!opts.clientSecret) {
      res.status(401).json({ error: { code: 'HUBSPOT_SIGNATURE_UNCONFIGURED', message: MESSAGES.unconfigured } });
      return;
    }
    const check = checkHubSpotRequest(req as RawBodyRequest, opts.clientSecret, opts.publicBaseUrl, opts.allowV2 ?? false);
    if (!check.ok) {
      res.status(401).json({ error: { code: `HUBSPOT_SIGNATURE_${check.reason.toUpperCase()}`, message: MESSAGES[check.reason] } });
      return;
    }
    next();
  };
}
