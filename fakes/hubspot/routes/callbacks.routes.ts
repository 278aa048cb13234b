import express, { type Response, type Router } from 'express';
import type { FakeAccount, HubSpotFakeState } from '../state';
import { hubIdOf, paramOf, requireToken } from '../middleware';
import { notFound, validationError } from '../hubspot-errors';

// Custom workflow action callbacks (research/hubspot.md §3.2): an action that answered BLOCK is
// finished later with POST /automation/v4/actions/callbacks/{callbackId}/complete
// {outputFields:{hs_execution_state: SUCCESS | FAIL_CONTINUE, ...}} → 204, or the batch form
// {inputs:[{callbackId, outputFields}]} → 204. A callback id HubSpot never issued is refused
// (404); what HubSpot answers for a second completion is undocumented, the fake refuses it too.

const SCOPES = ['automation'];
const STATES = new Set(['SUCCESS', 'FAIL_CONTINUE']);

function complete(account: FakeAccount, res: Response, callbackId: string, outputFields: unknown): boolean {
  if (!outputFields || typeof outputFields !== 'object' || Array.isArray(outputFields)) {
    validationError(res, 'outputFields is required and must be an object.');
    return false;
  }
  const state = (outputFields as Record<string, unknown>).hs_execution_state;
  if (state !== undefined && !STATES.has(String(state))) {
    validationError(res, `hs_execution_state must be SUCCESS or FAIL_CONTINUE (got ${String(state)}).`);
    return false;
  }
  if (!account.pendingCallbacks.has(callbackId)) {
    notFound(res, `No pending callback with id ${callbackId}.`);
    return false;
  }
  account.pendingCallbacks.delete(callbackId);
  account.completedCallbacks.push({ callbackId, outputFields: outputFields as Record<string, unknown>, at: new Date().toISOString() });
  return true;
}

export function callbackRoutes(state: HubSpotFakeState): Router {
  const r = express.Router();

  r.post('/automation/v4/actions/callbacks/complete', requireToken(state, SCOPES), (req, res) => {
    const inputs = (req.body as { inputs?: Array<{ callbackId?: unknown; outputFields?: unknown }> })?.inputs;
    if (!Array.isArray(inputs) || !inputs.length) return validationError(res, 'inputs is required and must be a non-empty array.');
    const account = state.account(hubIdOf(res));
    for (const input of inputs) if (!complete(account, res, String(input?.callbackId ?? ''), input?.outputFields)) return;
    res.status(204).end();
  });

  r.post('/automation/v4/actions/callbacks/:callbackId/complete', requireToken(state, SCOPES), (req, res) => {
    const account = state.account(hubIdOf(res));
    if (complete(account, res, paramOf(req, 'callbackId'), (req.body as { outputFields?: unknown })?.outputFields)) res.status(204).end();
  });

  return r;
}
