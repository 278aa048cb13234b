import type { Response, Router } from 'express';
import type { AppDeps } from '../../app-deps';
import type { VoiceEvent } from '../../providers/voice/voice-provider';
import { parseVapiEvent } from '../../providers/voice/vapi/vapi-event.mapper';
import { verifyVapiWebhook } from '../../providers/voice/vapi/vapi-webhook-auth';
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

// POST /webhooks/vapi: every Vapi server message (research/vapi.md §3). Authenticate on the raw
// bytes first (401, nothing stored or run otherwise), parse into our VoiceEvent, then dispatch on
// its kind. Each kind that needs work has one handler below; a kind without a handler is
// acknowledged with 200 { received: true } (Vapi only waits for a body on tool-calls and the
// request types listed in §3.2). Every message is stored once under its dedupe key
// (domain/calls/call-ingest.service.ts): a repeat is a 200 no-op, and a type we do not model is
// stored and acknowledged without being applied.

type EventHandler<K extends VoiceEvent['kind']> = (event: Extract<VoiceEvent, { kind: K }>, res: Response, payloadJson: string) => Promise<void>;
type EventHandlers = { [K in VoiceEvent['kind']]?: EventHandler<K> };

const AUTH_MESSAGES: Record<string, string> = {
  not_configured: 'Vapi webhooks are not configured on this server (VAPI_WEBHOOK_SECRET).',
  missing: 'Send X-Vapi-Secret, Authorization: Bearer, or an HMAC signature with a timestamp.',
  mismatch: 'The Vapi webhook credential does not match.',
  stale_timestamp: 'The Vapi webhook timestamp is more than 5 minutes away from now.',
  bad_timestamp: 'The Vapi webhook timestamp is not a number.',
};

export function registerVapiWebhookRoutes(app: Router, deps: AppDeps): void {
  // Published script versions never change, so one in-memory copy per app serves every call.
  const versions = new ScriptVersionCache();
  // The state of the calls this instance stepped last: the next step is one round trip.
  const calls = new CallStepCache<CallRow>();
  // The step's SELECT and UPDATE run as named statements on the process's hot-path pool.
  const sql = hotSqlFor(deps);
  // Built on first use: the dialing services it wraps load Redis scripts.
  let results: ResultsDeps | undefined;
  const resultsDeps = () => (results ??= createResultsDeps(deps));

  // Status updates, end-of-call reports, transcripts, hangs and unknown types: store, apply, 200.
  const record = async (event: VoiceEvent, res: Response, payloadJson: string): Promise<void> => {
    const r = await ingestVoiceEvent(resultsDeps(), { provider: 'vapi', event, payloadJson });
    res.json({ received: true, ...(r.duplicate ? { duplicate: true } : {}) });
  };

  const handlers: EventHandlers = {
    // In-call script branching: answer each next_step call with the next instruction (§3.7).
    tool_calls: async (event, res, payloadJson) => {
      const { results, rawStored } = await answerScriptToolCalls(
        { db: deps.db, sql, versions, calls },
        { attemptId: event.attemptId, providerCallId: event.providerCallId, provider: 'vapi', toolCalls: event.toolCalls, rawEvent: storedInputOf('vapi', event, payloadJson) },
      );
      res.json({ results });
      if (rawStored) return;
      // No step was recorded (a repeat, an unknown call, a finished script): kept as the raw record
      // after answering, so the in-call path does not wait for it.
      ingestVoiceEvent(resultsDeps(), { provider: 'vapi', event, payloadJson }).catch((err) =>
        logger.warn('could not store a tool-calls message', { providerCallId: event.providerCallId, err: (err as Error).message }),
      );
    },
    status: record,
    ended: record,
    transcript: record,
    hang: record,
    unknown: record,
  };

  app.post('/webhooks/vapi', async (req, res) => {
    const auth = verifyVapiWebhook((req as RawBodyRequest).rawBody ?? Buffer.alloc(0), req.headers, { secret: deps.config.vapi.webhookSecret });
    if (!auth.ok) {
      res.status(401).json({ error: { code: `VAPI_WEBHOOK_${auth.reason.toUpperCase()}`, message: AUTH_MESSAGES[auth.reason] ?? 'Unauthenticated.' } });
      return;
    }
    const parsed = parseVapiEvent(req.body);
    if (!parsed.ok) {
      res.status(400).json({ error: { code: 'VAPI_MESSAGE_INVALID', message: `The body is not a Vapi server message: ${parsed.issue}.` } });
      return;
    }
    const handler = handlers[parsed.event.kind] as EventHandler<VoiceEvent['kind']> | undefined;
    if (!handler) {
      res.json({ received: true });
      return;
    }
    await handler(parsed.event, res, storedBodyText(req));
  });
}
