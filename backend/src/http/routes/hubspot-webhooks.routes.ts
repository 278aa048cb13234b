import type { Router } from 'express';
import type { AppDeps } from '../../app-deps';
import { parseInput } from '../validate';
import { applyHubSpotWebhook, ZHubSpotWebhookBody } from '../../domain/privacy/hubspot-webhook.service';

// POST /hubspot/webhooks: HubSpot app webhooks (contact deletion, privacy deletion, phone change).
// Registered after app.ts's /hubspot signature guard; HubSpot signs app webhooks with v3, so a
// v2-only signature (accepted elsewhere under /hubspot for workflow actions) is refused here.
export function registerHubSpotWebhookRoutes(app: Router, deps: AppDeps): void {
  app.post('/hubspot/webhooks', async (req, res) => {
    if (!req.get('x-hubspot-signature-v3')) {
      res.status(401).json({ error: { code: 'HUBSPOT_SIGNATURE_V3_REQUIRED', message: 'HubSpot app webhooks must carry X-HubSpot-Signature-v3.' } });
      return;
    }
    res.json(await applyHubSpotWebhook(deps.db, parseInput(ZHubSpotWebhookBody, req.body, 'body')));
  });
}
