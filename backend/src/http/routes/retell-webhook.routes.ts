import type { Request, Response, Router } from 'express';
import type { AppDeps } from '../../app-deps';
import { sha256Hex } from '../../platform/crypto';
import type { VoiceEvent, WebhookVerification } from '../../providers/voice/voice-provider';
import { isAppliedRetellEvent, parseRetellEvent, RETELL_EVENTS } from '../../providers/voice/retell/retell-event.mapper';
import { verifyRetellWebhook } from '../../providers/voice/retell/retell-webhook-auth';
import { attemptIdOf, metadataOf } from '../../providers/voice/retell/retell.mapper';
import { ZRetellCall, ZRetellFunctionCall } from '../../providers/voice/retell/retell-wire';
import { retellCredentialsOf } from '../../providers/voice/voice-router';
import { answerScriptToolCalls, type CallRow } from '../../domain/scripts/script-step.service';
import { CallStepCache } from '../../domain/scripts/call-step.cache';
import { ScriptVersionCache } from '../../domain/scripts/script-version.cache';
import { ingestVoiceEvent, storedInputOf } from '../../domain/calls/call-ingest.service';
import type { ResultsDeps } from '../../domain/calls/results-deps';
import { createResultsDeps } from '../../results-deps.factory';
import { hotSqlFor } from '../../sql-runner.factory';
import { logger } from '../../platform/logger';
import type { RawBodyRequest } from '../middleware/hubspot-signature';
import { storedBodyText } from '../middleware/input-guard';

// Retell's two callers:
//  - POST /webhooks/retell: call events {event, call}. call_started / call_ended / call_analyzed
//    are stored once under their dedupe key and applied through the same ingest as Vapi; any
//    other event is stored and acknowledged with the reason it was not applied.
//  - POST /webhooks/retell/functions/:name: the agent's custom function (next_step), answered
//    by the script engine while the caller waits.
// Both are signed with x-retell-signature by the account's API key; the check runs on the raw
// bytes before anything is stored or run. The key is the platform's RETELL_API_KEY, or the
// portal's own key when the call's metadata names a portal that stored one.

const AUTH_MESSAGES: Record<WebhookVerification extends infer V ? (V extends { ok: false; reason: infer R } ? R & string : never) : never, string> = {
  not_configured: 'Retell webhooks are not configured on this server (RETELL_API_KEY).',
  missing: 'Send the x-retell-signature header Retell signs its requests with.',
  mismatch: 'The x-retell-signature does not match the body.',
  stale_timestamp: 'The x-retell-signature timestamp is more than 5 minutes away from now.',
  bad_timestamp: 'The x-retell-signature timestamp is not a number.',
};

export function registerRetellWebhookRoutes(app: Router, deps: AppDeps): void {
  const versions = new ScriptVersionCache();
  const calls = new CallStepCache<CallRow>();
  // The step's SELECT and UPDATE run as named statements on the process's hot-path pool.
  const sql = hotSqlFor(deps);
  let results: ResultsDeps | undefined;
  const resultsDeps = () => (results ??= createResultsDeps(deps));

  /** The portal's own Retell key, when the call's metadata names a portal that stored one. */
  async function portalKey(body: unknown): Promise<string | undefined> {
    const call = ZRetellCall.safeParse((body as { call?: unknown } | null)?.call);
    const portalId = call.success ? metadataOf(call.data).portalId : undefined;
    if (typeof portalId !== 'string' || !/^[0-9a-f-]{36}$/i.test(portalId)) return undefined;
    const portal = await deps.db.portal.findUnique({ where: { id: portalId }, select: { voiceProvider: true, providerCredentialsEnc: true } });
    if (portal?.voiceProvider !== 'retell' || !portal.providerCredentialsEnc) return undefined;
    const creds = retellCredentialsOf(deps, portal);
    return typeof creds === 'string' ? undefined : creds.apiKey;
  }

  /** Verified (by the platform key first, then the named portal's own), or the 401 already sent. */
  async function authenticate(req: Request, res: Response): Promise<boolean> {
    const raw = (req as RawBodyRequest).rawBody ?? Buffer.alloc(0);
    const platform = verifyRetellWebhook(raw, req.headers, { apiKey: deps.config.retell.apiKey });
    if (platform.ok) return true;
    // A missing or stale signature fails whatever the key; only a mismatch is worth a lookup.
    let result: WebhookVerification = platform;
    if (platform.reason === 'mismatch' || platform.reason === 'not_configured') {
      const own = await portalKey(req.body);
      if (own) {
        const viaPortal = verifyRetellWebhook(raw, req.headers, { apiKey: own });
        if (viaPortal.ok) return true;
        if (platform.reason === 'not_configured') result = viaPortal;
      }
    }
    const reason = result.ok ? 'mismatch' : result.reason;
    res.status(401).json({ error: { code: `RETELL_WEBHOOK_${reason.toUpperCase()}`, message: AUTH_MESSAGES[reason] } });
    return false;
  }

  const payloadOf = storedBodyText;

  app.post('/webhooks/retell', async (req, res) => {
    if (!(await authenticate(req, res))) return;
    const parsed = parseRetellEvent(req.body);
    if (!parsed.ok) {
      res.status(400).json({ error: { code: 'RETELL_EVENT_INVALID', message: `The body is not a Retell webhook: ${parsed.issue}.` } });
      return;
    }
    const event = parsed.event;
    const r = await ingestVoiceEvent(resultsDeps(), { provider: 'retell', event, payloadJson: payloadOf(req) });
    const ignored =
      event.kind === 'unknown'
        ? isAppliedRetellEvent(event.type)
          ? `The "${event.type}" event carries no call with a call_id; it was stored and not applied.`
          : `Retell event "${event.type}" is not applied (only ${RETELL_EVENTS.join(', ')}); it was stored and ignored.`
        : undefined;
    res.json({ received: true, ...(r.duplicate ? { duplicate: true } : {}), ...(ignored ? { ignored } : {}) });
  });

  app.post('/webhooks/retell/functions/:name', async (req, res) => {
    if (!(await authenticate(req, res))) return;
    const parsed = ZRetellFunctionCall.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: { code: 'RETELL_FUNCTION_INVALID', message: 'The body is not a Retell custom-function call: expected {"name":"…","call":{…},"args":{…}}.' } });
      return;
    }
    const call = ZRetellCall.safeParse(parsed.data.call);
    const metadata = call.success ? metadataOf(call.data) : {};
    const providerCallId = call.success ? call.data.call_id : null;
    const args = parsed.data.args ?? {};
    const name = req.params.name ?? parsed.data.name;
    const toolCallId = toolCallIdOf(call.success ? call.data.transcript_with_tool_calls : null, name) ?? `${providerCallId}:${sha256Hex(payloadOf(req)).slice(0, 24)}`;
    const toolCalls = [{ id: toolCallId, name, arguments: args }];
    const event: VoiceEvent = {
      kind: 'tool_calls',
      type: 'function_call',
      dedupeKey: `function_call:${providerCallId}:${toolCallId}`,
      providerCallId,
      attemptId: attemptIdOf(metadata),
      metadata,
      occurredAt: new Date(),
      toolCalls,
    };
    const answer = await answerScriptToolCalls(
      { db: deps.db, sql, versions, calls },
      { attemptId: attemptIdOf(metadata), providerCallId, provider: 'retell', toolCalls, rawEvent: storedInputOf('retell', event, payloadOf(req)) },
    );
    // Retell hands the response body to the agent's LLM as the function's result.
    res.json({ result: answer.results[0]?.result ?? '' });
    if (answer.rawStored) return;
    ingestVoiceEvent(resultsDeps(), { provider: 'retell', event, payloadJson: payloadOf(req) }).catch((err) =>
      logger.warn('could not store a Retell function call', { providerCallId, err: (err as Error).message }),
    );
  });
}

/** The id Retell gave the latest invocation of this function, from the call's running transcript. */
function toolCallIdOf(items: unknown[] | null | undefined, name: string): string | null {
  for (let i = (items?.length ?? 0) - 1; i >= 0; i--) {
    const u = items![i] as { role?: unknown; name?: unknown; tool_call_id?: unknown } | null;
    if (u?.role === 'tool_call_invocation' && u.name === name && typeof u.tool_call_id === 'string') return u.tool_call_id;
  }
  return null;
}
