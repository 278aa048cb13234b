import type { Db } from '../../platform/prisma';
import { AppError } from '../../platform/app-error';
import { logger } from '../../platform/logger';
import { HubSpotApiError, HubSpotRateLimitedError } from '../../hubspot/errors';
import { readResultsSettings } from '../calls/results-settings';
import { ZOutboxPayload, type OutboxKind } from './outbox-plan';
import { buildCallEngagement, engagementExternalId, outcomeLabel } from './call-engagement';
import { contactPropertiesFor } from './contact-writeback';
import type { HubSpotWriteback } from './writeback-port';

// Sends one outbox row to HubSpot, idempotently. The row is claimed first (pending → sending,
// attempts + 1, a lease in nextAttemptAt), so two workers never send it at once. An engagement's
// HubSpot id is stored the moment HubSpot answers; a later try that finds no stored id (the
// answer was lost, or the process died) first looks the engagement up by our external id, so a
// retry never creates a second one. Retry timing is BullMQ's (queues/catalog.ts 'outbox.drain').

export interface OutboxSenderDeps {
  db: Db;
  hubspot: HubSpotWriteback;
  now(): Date;
}

export type SendOutcome =
  | { kind: 'sent'; hubspotObjectId: string | null }
  | { kind: 'failed'; reason: string }
  /** Nothing to do: already sent or failed, or another worker holds it. */
  | { kind: 'skipped' }
  | { kind: 'rate_limited'; retryAfterMs: number }
  | { kind: 'retry'; reason: string };

/** How long a claim holds a row before the sweep may hand it out again. */
const CLAIM_MS = 2 * 60_000;

export async function sendOutboxRow(deps: OutboxSenderDeps, outboxId: string, opts: { finalTry: boolean }): Promise<SendOutcome> {
  const { db } = deps;
  const claimed = await db.$queryRaw<Array<{ id: string; portalId: string; kind: string; payload: unknown; attempts: number; hubspotObjectId: string | null }>>`
    UPDATE "Outbox" SET "status" = 'sending', "attempts" = "attempts" + 1, "nextAttemptAt" = ${new Date(deps.now().getTime() + CLAIM_MS)}
     WHERE "id" = ${outboxId}::uuid AND ("status" = 'pending' OR ("status" = 'sending' AND "nextAttemptAt" < ${deps.now()}))
     RETURNING "id"::text AS "id", "portalId"::text AS "portalId", "kind", "payload", "attempts", "hubspotObjectId"`;
  const row = claimed[0];
  if (!row) return { kind: 'skipped' };
  try {
    const objectId = await send(deps, row);
    await db.outbox.update({ where: { id: row.id }, data: { status: 'sent', sentAt: deps.now(), lastError: null, ...(objectId ? { hubspotObjectId: objectId } : {}) } });
    return { kind: 'sent', hubspotObjectId: objectId };
  } catch (err) {
    return settleFailure(deps, row.id, err, opts.finalTry);
  }
}

class Unsendable extends Error {}

async function send(deps: OutboxSenderDeps, row: { id: string; portalId: string; kind: string; payload: unknown; attempts: number; hubspotObjectId: string | null }): Promise<string | null> {
  const payload = ZOutboxPayload.safeParse(row.payload);
  if (!payload.success) throw new Unsendable('the outbox payload is not readable (erased?)');
  const call = await deps.db.call.findFirst({
    where: { id: payload.data.callId, portalId: row.portalId },
    include: { contact: true, campaign: { select: { name: true } }, portal: { select: { settings: true } } },
  });
  if (!call) throw new Unsendable('the call no longer exists');
  if (call.contact.source === 'erased') throw new Unsendable('the contact was erased');
  const hubspotContactId = await resolveHubSpotContact(deps, row.portalId, call.contact, readResultsSettings(call.portal.settings).hubspotMatchCsvContacts);
  const kind = row.kind as OutboxKind;
  if (kind === 'hubspot.call') {
    if (row.hubspotObjectId) return row.hubspotObjectId;
    const externalId = engagementExternalId(call.id);
    // A previous try may have created it and lost the answer.
    const existing = row.attempts > 1 ? await deps.hubspot.findCallByExternalId(row.portalId, externalId) : null;
    if (existing) return existing;
    const { engagementId } = await deps.hubspot.createCall(row.portalId, buildCallEngagement({ ...call, campaignName: call.campaign?.name ?? null }, hubspotContactId));
    // Kept at once: whatever happens next, this row will not create another.
    await deps.db.outbox.update({ where: { id: row.id }, data: { hubspotObjectId: engagementId } });
    return engagementId;
  }
  if (kind === 'hubspot.contact') {
    // The install creates them; this is the fallback when that failed (once per process per portal).
    await deps.hubspot.ensureContactProperties(row.portalId);
    const properties = { ...(payload.data.properties ?? {}), ...(await contactPropertiesFor(deps.db, row.portalId, call.contact)) };
    await deps.hubspot.updateContact(row.portalId, hubspotContactId, properties);
    return hubspotContactId;
  }
  if (kind === 'hubspot.timeline') {
    if (!payload.data.eventTemplateId) throw new Unsendable('no timeline event template');
    await deps.hubspot.createTimelineEvent(row.portalId, {
      eventTemplateId: payload.data.eventTemplateId,
      objectId: hubspotContactId,
      id: engagementExternalId(call.id),
      timestamp: call.startedAt ?? call.placedAt ?? call.createdAt,
      tokens: { outcome: outcomeLabel(call.outcome), durationSec: String(Math.round(call.durationSec ?? 0)), campaignName: call.campaign?.name ?? '' },
    });
    return null;
  }
  throw new Unsendable(`unknown outbox kind ${row.kind}`);
}

async function resolveHubSpotContact(
  deps: OutboxSenderDeps,
  portalId: string,
  contact: { id: string; hubspotContactId: string | null; phone: string; email: string | null },
  matchCsv: boolean,
): Promise<string> {
  if (contact.hubspotContactId) return contact.hubspotContactId;
  if (!matchCsv) throw new Unsendable('the contact has no HubSpot record (matching CSV contacts is off)');
  const found = await deps.hubspot.findContact(portalId, { phone: contact.phone, email: contact.email });
  if (!found) throw new Unsendable('no HubSpot contact has this phone number or email');
  await deps.db.contact.updateMany({ where: { id: contact.id, hubspotContactId: null }, data: { hubspotContactId: found } });
  return found;
}

async function settleFailure(deps: OutboxSenderDeps, id: string, err: unknown, finalTry: boolean): Promise<SendOutcome> {
  const message = err instanceof Error ? err.message : String(err);
  const fail = async (reason: string): Promise<SendOutcome> => {
    await deps.db.outbox.update({ where: { id }, data: { status: 'failed', lastError: reason.slice(0, 1000) } });
    logger.warn('HubSpot write-back failed for good', { outboxId: id, reason });
    return { kind: 'failed', reason };
  };
  const later = async (ms: number, reason: string) =>
    deps.db.outbox.update({ where: { id }, data: { status: 'pending', lastError: reason.slice(0, 1000), nextAttemptAt: new Date(deps.now().getTime() + ms) } });

  if (err instanceof Unsendable) return fail(message);
  if (err instanceof HubSpotRateLimitedError) {
    await later(err.retryAfterMs, message);
    return { kind: 'rate_limited', retryAfterMs: err.retryAfterMs };
  }
  const retryable = err instanceof HubSpotApiError ? err.isRetryable : !(err instanceof AppError);
  if (!retryable || finalTry) return fail(message);
  await later(60_000, message);
  return { kind: 'retry', reason: message };
}
