import { evaluateCallingWindow } from '../../backend/src/domain/compliance/calling-window';
import { resolveContactRegion } from '../../backend/src/domain/compliance/time-zone-phone';
import type { DemoStack } from './demo-stack';
import type { DemoSetup } from './demo-setup';
import type { WatchResult } from './demo-watch';

// The demo's figures, each read from where it is true: our database (what the product recorded)
// and the fakes' own ledgers (what Vapi and HubSpot saw), side by side so they can be checked
// against each other. Nothing here is estimated or carried over from the sample file's recipe.

export interface Check {
  what: string;
  ours: number;
  theirs: number;
  ok: boolean;
}

export interface DemoFigures {
  elapsedMs: number;
  settled: boolean;
  /** The demo's time budget ran out first: the campaign was paused. */
  pausedAtBudget: boolean;
  /** Never dialed although inside their window now (waiting when the demo stopped). */
  notDialed: number;
  import: { rowsRead: number; created: number; updated: number; duplicate: number; rejected: number; rejectedReasons: Record<string, number> };
  dnc: { listed: number; addedByOptOut: number };
  campaign: {
    contacts: number;
    byState: Record<string, number>;
    skippedByReason: Record<string, number>;
    outsideWindow: { count: number; nextAt: string | null; byZone: Record<string, number> };
    retries: { count: number; byLastOutcome: Record<string, number>; nextAt: string | null };
  };
  calls: {
    dialed: number;
    connected: number;
    byOutcome: Record<string, number>;
    byDisposition: Record<string, number>;
    optOuts: number;
    avgTalkSec: number | null;
    costUsd: number;
    dialsPerSecond: number[];
    talkSeconds: number[];
    byZone: Record<string, { dialed: number; connected: number; outsideWindow: number; skipped: number }>;
  };
  vapi: { createRequests: number; created: number; dialed: number; byOutcome: Record<string, number>; refused: number; maxLive: number; webhooks: number; webhooksFailed: number; toolSteps: number; duplicates: number; webhookMs: { p50: number; p95: number } };
  hubspot: {
    engagementsInHubSpot: number;
    contactsUpdatedInHubSpot: number;
    rateLimited: number;
    outbox: Record<string, Record<string, number>>;
    /** Why write-backs failed for good, by reason (Outbox.lastError). */
    failures: Record<string, number>;
    notSynced: number;
  };
  checks: Check[];
}

const inc = (m: Record<string, number>, k: string, by = 1) => {
  m[k] = (m[k] ?? 0) + by;
};
const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

/** What the fake's outcomes become in our outcome classes (research/vapi.md §3.5). */
export const FAKE_TO_OURS: Record<string, string> = { answered: 'completed', opt_out: 'completed', no_answer: 'no_answer', busy: 'busy', voicemail: 'voicemail', failed: 'failed_transient' };

export async function collectFigures(stack: DemoStack, setup: DemoSetup, watch: WatchResult & { pausedAtBudget: boolean }): Promise<DemoFigures> {
  const { db } = stack;
  const { campaignId, portalId } = setup;
  const imp = await db.import.findUniqueOrThrow({ where: { id: setup.importId } });
  const rejected = await db.importRejectedRow.groupBy({ by: ['reason'], where: { importId: setup.importId }, _count: { _all: true } });
  const dncTotal = await db.dncEntry.count({ where: { portalId } });

  const campaign = await db.campaign.findUniqueOrThrow({ where: { id: campaignId } });
  const portal = await db.portal.findUniqueOrThrow({ where: { id: portalId }, select: { defaultTimeZone: true } });
  const ccs = await db.campaignContact.findMany({
    where: { campaignId },
    select: { state: true, skipReason: true, attempts: true, lastOutcome: true, nextAttemptAt: true, contact: { select: { timeZone: true, phone: true } } },
  });
  const now = new Date();
  // Whether the law and the campaign allow calling this contact now, decided by the same two
  // functions the dialer uses at dial time (dial-checks.ts).
  const windowNow = async (contact: { timeZone: string | null; phone: string }) => {
    const region = await resolveContactRegion({ timeZone: contact.timeZone, phone: contact.phone }, portal.defaultTimeZone);
    return evaluateCallingWindow({
      contactZones: region.zones,
      usState: region.usState,
      window: { start: campaign.windowStart, end: campaign.windowEnd, daysOfWeek: campaign.daysOfWeek, timeZone: campaign.timeZone },
      now,
    });
  };
  const byState: Record<string, number> = {};
  const skippedByReason: Record<string, number> = {};
  const outsideWindow = { count: 0, nextAt: null as string | null, byZone: {} as Record<string, number> };
  const retries = { count: 0, byLastOutcome: {} as Record<string, number>, nextAt: null as string | null };
  const byZone: DemoFigures['calls']['byZone'] = {};
  const zoneRow = (z: string | null) => (byZone[z ?? 'unknown'] ??= { dialed: 0, connected: 0, outsideWindow: 0, skipped: 0 });
  let notDialed = 0;
  const earliest = (a: string | null, d: Date | null) => (d && (!a || d.toISOString() < a) ? d.toISOString() : a);
  for (const cc of ccs) {
    inc(byState, cc.state);
    if (cc.state === 'skipped' || cc.state === 'cancelled') {
      inc(skippedByReason, cc.skipReason ?? 'unknown');
      zoneRow(cc.contact.timeZone).skipped += 1;
    }
    const neverDialed = cc.state === 'pending' || cc.state === 'queued' || (cc.state === 'retry_wait' && cc.attempts === 0);
    const window = neverDialed ? await windowNow(cc.contact) : null;
    if (window && !window.allowed) {
      // Not dialed because it is outside their calling window now: rescheduled to the next opening.
      outsideWindow.count += 1;
      outsideWindow.nextAt = earliest(outsideWindow.nextAt, window.nextAllowedAt);
      inc(outsideWindow.byZone, cc.contact.timeZone ?? 'unknown');
      zoneRow(cc.contact.timeZone).outsideWindow += 1;
    } else if (neverDialed) {
      notDialed += 1;
    } else if (cc.state === 'retry_wait') {
      retries.count += 1;
      inc(retries.byLastOutcome, cc.lastOutcome ?? 'unknown');
      retries.nextAt = earliest(retries.nextAt, cc.nextAttemptAt);
    }
  }

  const calls = await db.call.findMany({
    where: { campaignId, placedAt: { not: null } },
    select: { outcome: true, disposition: true, isOptOut: true, durationSec: true, cost: true, placedAt: true, contactTimeZone: true, contact: { select: { timeZone: true } } },
  });
  const byOutcome: Record<string, number> = {};
  const byDisposition: Record<string, number> = {};
  const talkSeconds: number[] = [];
  let cost = 0;
  const t0 = Math.min(...calls.map((c) => c.placedAt!.getTime()));
  const dialsPerSecond: number[] = [];
  for (const c of calls) {
    inc(byOutcome, c.outcome ?? 'no report yet');
    if (c.disposition) inc(byDisposition, c.disposition);
    if (c.outcome === 'completed' && c.durationSec !== null) talkSeconds.push(c.durationSec);
    cost += Number(c.cost ?? 0);
    const sec = Math.floor((c.placedAt!.getTime() - t0) / 1000);
    while (dialsPerSecond.length <= sec) dialsPerSecond.push(0);
    dialsPerSecond[sec]! += 1;
    const z = zoneRow(c.contact.timeZone);
    z.dialed += 1;
    if (c.outcome === 'completed') z.connected += 1;
  }

  const outboxRows = await db.outbox.groupBy({ by: ['kind', 'status'], where: { portalId }, _count: { _all: true } });
  const outbox: Record<string, Record<string, number>> = {};
  for (const r of outboxRows) (outbox[r.kind] ??= {})[r.status] = r._count._all;
  const failedRows = await db.outbox.groupBy({ by: ['lastError'], where: { portalId, status: 'failed' }, _count: { _all: true } });
  const failures = Object.fromEntries(failedRows.map((r) => [(r.lastError ?? 'unknown').slice(0, 160), r._count._all]));
  const notSynced = await db.call.count({ where: { campaignId, placedAt: { not: null }, outcome: { not: null }, contact: { hubspotContactId: null } } });

  const vs = stack.vapi.state;
  const vapiByOutcome: Record<string, number> = {};
  let toolSteps = 0;
  for (const c of vs.calls.values()) {
    if (c.outcome !== 'refused') inc(vapiByOutcome, c.outcome);
    toolSteps += c.toolSteps.length;
  }
  const webhookMs = vs.webhooks.map((w) => w.durationMs);
  const account = stack.hubspot.state.account(setup.hubId);
  const hsCount = (method: string, re: RegExp, status?: number) => stack.hubspot.state.count(method, re, status);

  const dialed = calls.length;
  const connected = byOutcome.completed ?? 0;
  // Rows that have created their engagement (the id is stored right after HubSpot's answer).
  const sentEngagements = await db.outbox.count({ where: { portalId, kind: 'hubspot.call', hubspotObjectId: { not: null } } });
  const ourFromFake: Record<string, number> = {};
  for (const [k, n] of Object.entries(vapiByOutcome)) inc(ourFromFake, FAKE_TO_OURS[k] ?? k, n);
  const checks: Check[] = [
    { what: 'calls dialed (our attempts vs calls the Vapi fake rang)', ours: dialed, theirs: vs.counters.dialed, ok: dialed === vs.counters.dialed },
    { what: 'connected calls (ours "completed" vs fake answered + opt-out)', ours: connected, theirs: ourFromFake.completed ?? 0, ok: connected === (ourFromFake.completed ?? 0) },
    { what: 'HubSpot call engagements (our write-backs that created one vs engagements in the fake)', ours: sentEngagements, theirs: account.calls.size, ok: sentEngagements === account.calls.size },
    { what: 'numbers dialed twice for one attempt (Vapi fake ledger)', ours: 0, theirs: vs.duplicates().length, ok: vs.duplicates().length === 0 },
  ];
  return {
    elapsedMs: watch.elapsedMs,
    settled: watch.settled,
    pausedAtBudget: watch.pausedAtBudget,
    notDialed,
    import: {
      rowsRead: imp.rowsRead,
      created: imp.created,
      updated: imp.updated,
      duplicate: imp.duplicate,
      rejected: imp.rejected,
      rejectedReasons: Object.fromEntries(rejected.map((r) => [r.reason, r._count._all])),
    },
    dnc: { listed: setup.dncAdded, addedByOptOut: dncTotal - setup.dncAdded },
    campaign: { contacts: ccs.length, byState, skippedByReason, outsideWindow, retries },
    calls: {
      dialed,
      connected,
      byOutcome,
      byDisposition,
      optOuts: calls.filter((c) => c.isOptOut).length,
      avgTalkSec: talkSeconds.length ? talkSeconds.reduce((a, b) => a + b, 0) / talkSeconds.length : null,
      costUsd: Number(cost.toFixed(2)),
      dialsPerSecond,
      talkSeconds,
      byZone,
    },
    vapi: {
      createRequests: vs.counters.createRequests,
      created: vs.counters.created,
      dialed: vs.counters.dialed,
      byOutcome: vapiByOutcome,
      refused: vs.counters.refusedHttp400 + vs.counters.refusedBlocked + vs.counters.refusedEndedReason,
      maxLive: vs.maxLive,
      webhooks: vs.webhooks.length,
      webhooksFailed: vs.webhooks.filter((w) => w.status === null || w.status >= 300).length,
      toolSteps,
      duplicates: vs.duplicates().length,
      webhookMs: { p50: pct(webhookMs, 50), p95: pct(webhookMs, 95) },
    },
    hubspot: {
      engagementsInHubSpot: account.calls.size,
      contactsUpdatedInHubSpot: hsCount('PATCH', /^\/crm\/v3\/objects\/contacts\/[^/]+$/, 200),
      rateLimited: stack.hubspot.state.requests.filter((r) => r.status === 429).length,
      outbox,
      failures,
      notSynced,
    },
    checks,
  };
}
