import type { Router } from 'express';
import type { AppDeps } from '../../app-deps';
import { parseInput } from '../validate';
import { handleWorkflowEnrollment } from '../../domain/workflows/workflow-enroll.service';
import { listCampaignOptions } from '../../domain/workflows/campaign-options.service';
import { ZCampaignOptionsRequest, ZEnrollRequest } from '../../domain/workflows/workflow-action.schemas';

// The "Call with AI" custom workflow action (hubspot-app/app/workflow-actions/). Both routes sit
// under /hubspot, where app.ts has already verified HubSpot's v2 or v3 signature over the raw
// body; the portal is the signed body's origin.portalId.
export function registerWorkflowActionRoutes(app: Router, deps: AppDeps): void {
  app.post('/hubspot/workflow-actions/enroll', async (req, res) => {
    const request = parseInput(ZEnrollRequest, req.body, 'body');
    res.json(await handleWorkflowEnrollment(deps.db, request, deps.config.plan));
  });

  app.post('/hubspot/workflow-actions/campaign-options', async (req, res) => {
    const request = parseInput(ZCampaignOptionsRequest, req.body, 'body');
    res.json(await listCampaignOptions(deps.db, { hubId: request.origin.portalId, q: request.fetchOptions?.q, after: request.fetchOptions?.after }));
  });
}
