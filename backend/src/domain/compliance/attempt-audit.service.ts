import { z } from 'zod';
import type { Db } from '../../platform/prisma';
import { notFound } from '../../platform/app-error';
import { toCsvLine } from '../imports/csv-source';
import { afterCursor, decodeCursor, pageOf } from '../segments/page-cursor';
import { ZCallbackPayload } from '../workflows/workflow-action.schemas';

// The audit trail of one contact: for every attempt the dialer made or refused at dial time,
// what it checked and when (design.md §4): the consent it relied on, the do-not-call check and
// its time, the contact's local time at dial, the script version and A/B variant, and who started
// the campaign (or placed the one-off call), and the HubSpot workflow that enrolled the contact
// when one did. Everything is read from what the dialer wrote on the attempt when it claimed (or
// skipped) it, never recomputed now (attempts claimed before startedBy was frozen onto them fall
// back to the campaign's). JSON pages, or a CSV streamed page by page for counsel and carriers.

export const ZAuditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});
export type TAuditQuery = z.infer<typeof ZAuditQuery>;

const PAGE = 500;

const auditSelect = {
  id: true,
  createdAt: true,
  attemptNumber: true,
  campaignId: true,
  provider: true,
  providerCallId: true,
  status: true,
  outcome: true,
  endedReason: true,
  dialStartedAt: true,
  placedAt: true,
  endedAt: true,
  toPhone: true,
  callerId: true,
  consentSnapshot: true,
  dncCheckResult: true,
  dncCheckedAt: true,
  localTimeAtDial: true,
  contactTimeZone: true,
  scriptVersionId: true,
  startedBy: true,
  campaign: { select: { name: true, createdBy: true, startedBy: true, startedAt: true } },
  scriptVersion: { select: { version: true, scriptId: true, script: { select: { name: true } } } },
  variant: { select: { label: true } },
} as const;

type AuditRow = Awaited<ReturnType<typeof readPage>>[number];

// Attempts the dialer acted on: claimed for dialing, or refused by a dial-time check. A planned
// attempt not yet looked at has nothing to audit yet.
const acted = { OR: [{ dialStartedAt: { not: null } }, { placedAt: { not: null } }, { outcome: { startsWith: 'skipped_' } }] };

function readPage(db: Db, portalId: string, contactId: string, take: number, cursor: ReturnType<typeof decodeCursor>) {
  return db.call.findMany({
    where: { portalId, contactId, AND: [acted, afterCursor(cursor)] },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take,
    select: auditSelect,
  });
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

function consentOf(snapshot: unknown): { type: string | null; source: string | null; at: string | null; required: string | null } {
  const s = snapshot && typeof snapshot === 'object' ? (snapshot as Record<string, unknown>) : {};
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  return { type: str(s.type), source: str(s.source), at: str(s.at), required: str(s.required) };
}

/** campaignId → the workflow that put this contact into it ("hubspot-workflow:<id>"). */
type Enrolments = ReadonlyMap<string, string>;

// A workflow's "Call with AI" action that added the contact to a campaign (not one that found it
// already there) is the reason this contact was called by that campaign.
async function readEnrolments(db: Db, portalId: string, contactId: string): Promise<Enrolments> {
  const rows = await db.workflowCallback.findMany({ where: { portalId, contactId, campaignId: { not: null } }, select: { campaignId: true, payload: true }, orderBy: { createdAt: 'asc' } });
  const out = new Map<string, string>();
  for (const r of rows) {
    const p = ZCallbackPayload.safeParse(r.payload);
    if (!p.success || p.data.enrolledByWorkflow !== true || out.has(r.campaignId!)) continue;
    out.set(r.campaignId!, p.data.workflowId ? `hubspot-workflow:${p.data.workflowId}` : 'hubspot-workflow');
  }
  return out;
}

export function toAuditEntry(r: AuditRow, enrolments: Enrolments = new Map()) {
  return {
    attemptId: r.id,
    attemptNumber: r.attemptNumber,
    campaignId: r.campaignId,
    campaignName: r.campaign?.name ?? null,
    // Who started it: the campaign's starter (API key or HubSpot user), or the person who placed a
    // one-off ("Call now") call, as frozen on the attempt when it was checked.
    startedBy: r.startedBy ?? r.campaign?.startedBy ?? null,
    enrolledBy: (r.campaignId && enrolments.get(r.campaignId)) ?? null,
    campaignCreatedBy: r.campaign?.createdBy ?? null,
    campaignStartedAt: iso(r.campaign?.startedAt),
    toPhone: r.toPhone,
    callerId: r.callerId,
    consent: consentOf(r.consentSnapshot),
    dncCheck: { result: r.dncCheckResult, checkedAt: iso(r.dncCheckedAt) },
    localTimeAtDial: r.localTimeAtDial,
    contactTimeZone: r.contactTimeZone,
    script: r.scriptVersionId ? { versionId: r.scriptVersionId, name: r.scriptVersion?.script.name ?? null, version: r.scriptVersion?.version ?? null } : null,
    variant: r.variant?.label ?? null,
    claimedAt: iso(r.dialStartedAt),
    placedAt: iso(r.placedAt),
    endedAt: iso(r.endedAt),
    provider: r.provider,
    providerCallId: r.providerCallId,
    status: r.status,
    outcome: r.outcome,
    endedReason: r.endedReason,
  };
}
export type AuditEntry = ReturnType<typeof toAuditEntry>;

async function assertContact(db: Db, portalId: string, contactId: string): Promise<void> {
  const found = await db.contact.findFirst({ where: { id: contactId, portalId }, select: { id: true } });
  if (!found) throw notFound('contact');
}

export async function listContactAudit(db: Db, portalId: string, contactId: string, q: TAuditQuery) {
  await assertContact(db, portalId, contactId);
  const [rows, enrolments] = await Promise.all([readPage(db, portalId, contactId, q.limit + 1, decodeCursor(q.cursor)), readEnrolments(db, portalId, contactId)]);
  const page = pageOf(rows, q.limit);
  return { contactId, items: page.items.map((r) => toAuditEntry(r, enrolments)), nextCursor: page.nextCursor };
}

const CSV_COLUMNS: Array<[string, (e: AuditEntry) => string | number | null]> = [
  ['attempt_id', (e) => e.attemptId],
  ['attempt_number', (e) => e.attemptNumber],
  ['campaign_id', (e) => e.campaignId],
  ['campaign_name', (e) => e.campaignName],
  ['started_by', (e) => e.startedBy],
  ['enrolled_by', (e) => e.enrolledBy],
  ['campaign_started_at', (e) => e.campaignStartedAt],
  ['to_phone', (e) => e.toPhone],
  ['caller_id', (e) => e.callerId],
  ['consent_type', (e) => e.consent.type],
  ['consent_source', (e) => e.consent.source],
  ['consent_at', (e) => e.consent.at],
  ['consent_required', (e) => e.consent.required],
  ['dnc_check', (e) => e.dncCheck.result],
  ['dnc_checked_at', (e) => e.dncCheck.checkedAt],
  ['local_time_at_dial', (e) => e.localTimeAtDial],
  ['contact_time_zone', (e) => e.contactTimeZone],
  ['script_name', (e) => e.script?.name ?? null],
  ['script_version', (e) => e.script?.version ?? null],
  ['script_version_id', (e) => e.script?.versionId ?? null],
  ['variant', (e) => e.variant],
  ['claimed_at', (e) => e.claimedAt],
  ['placed_at', (e) => e.placedAt],
  ['ended_at', (e) => e.endedAt],
  ['provider', (e) => e.provider],
  ['provider_call_id', (e) => e.providerCallId],
  ['outcome', (e) => e.outcome],
  ['ended_reason', (e) => e.endedReason],
];

// A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR) is written as text.
const cell = (v: string | number | null): string => {
  const s = v === null ? '' : String(v);
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
};

/** The whole trail as CSV lines, newest first, read page by page. */
export async function openContactAuditCsv(db: Db, portalId: string, contactId: string): Promise<{ fileName: string; lines: AsyncGenerator<string> }> {
  await assertContact(db, portalId, contactId);
  const enrolments = await readEnrolments(db, portalId, contactId);
  async function* lines(): AsyncGenerator<string> {
    yield `${toCsvLine(CSV_COLUMNS.map(([name]) => name))}\r\n`;
    let cursor: ReturnType<typeof decodeCursor> = null;
    for (;;) {
      const rows = await readPage(db, portalId, contactId, PAGE, cursor);
      if (rows.length === 0) return;
      yield rows.map((r) => `${toCsvLine(CSV_COLUMNS.map(([, get]) => cell(get(toAuditEntry(r, enrolments)))))}\r\n`).join('');
      if (rows.length < PAGE) return;
      const last = rows[rows.length - 1]!;
      cursor = { createdAt: last.createdAt, id: last.id };
    }
  }
  return { fileName: `contact-${contactId}-audit.csv`, lines: lines() };
}
