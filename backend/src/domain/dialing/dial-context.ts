import type { SqlRunner } from '../../platform/sql-runner';
import type { DialFacts } from './dial-checks';

// Everything one dial job needs to decide, read in one round trip at dial time: the attempt, its
// campaign contact, the campaign, the contact, the portal, whether the number is on the portal's
// do-not-call list right now, and the contact's calls in the frequency-cap windows. Fresh on
// every job (no cache): a pause, a DNC entry or a consent change made a moment ago still bites.
// The checks themselves run in dial-checks.ts, in the recorded order, over these facts.
export interface DialContext {
  call: { id: string; status: string; placedAt: Date | null; providerCallId: string | null; provider: string; dialStartedAt: Date | null; createdAt: Date; scriptVersionId: string | null; contactId: string };
  cc: { id: string; state: string; attempts: number } | null;
  campaign: {
    id: string;
    portalId: string;
    state: string;
    windowStart: string;
    windowEnd: string;
    daysOfWeek: number[];
    timeZone: string | null;
    minConsent: string;
    maxAttempts: number;
    startedBy: string | null;
    callsPerMinute: number;
    maxConcurrent: number;
    callerId: string | null;
  } | null;
  contact: {
    id: string;
    portalId: string;
    phone: string;
    firstName: string | null;
    lastName: string | null;
    email: string | null;
    company: string | null;
    timeZone: string | null;
    properties: unknown;
    consentType: string;
    consentSource: string | null;
    consentAt: Date | null;
  };
  portal: { id: string; voiceProvider: string; providerCredentialsEnc: string | null; maxConcurrentCalls: number; callsPerMinute: number; settings: unknown; defaultTimeZone: string };
  facts: DialFacts;
}

interface Row {
  call_id: string;
  call_status: string;
  call_placedAt: Date | null;
  call_providerCallId: string | null;
  call_provider: string;
  call_dialStartedAt: Date | null;
  call_createdAt: Date;
  call_scriptVersionId: string | null;
  cc_id: string | null;
  cc_state: string | null;
  cc_attempts: number | null;
  cmp_id: string | null;
  cmp_portalId: string;
  cmp_state: string;
  cmp_windowStart: string;
  cmp_windowEnd: string;
  cmp_daysOfWeek: number[];
  cmp_timeZone: string | null;
  cmp_minConsent: string;
  cmp_maxAttempts: number;
  cmp_startedBy: string | null;
  cmp_callsPerMinute: number;
  cmp_maxConcurrent: number;
  cmp_callerId: string | null;
  ct_id: string;
  ct_portalId: string;
  ct_phone: string;
  ct_firstName: string | null;
  ct_lastName: string | null;
  ct_email: string | null;
  ct_company: string | null;
  ct_timeZone: string | null;
  ct_properties: unknown;
  ct_consentType: string;
  ct_consentSource: string | null;
  ct_consentAt: Date | null;
  p_id: string;
  p_voiceProvider: string;
  p_providerCredentialsEnc: string | null;
  p_maxConcurrentCalls: number;
  p_callsPerMinute: number;
  p_settings: unknown;
  p_defaultTimeZone: string;
  dnc_listed: boolean;
  calls_day: number;
  calls_week: number;
}

// The facts, as SQL over a contact aliased ct ($2 = a day ago, $3 = a week ago, ISO): on the
// portal's DNC list, and calls that rang the contact in the cap windows. A concurrency refusal
// never rang the phone (outcome 'capacity'), so it does not count. The lateral count uses the
// (contactId, placedAt) index. Timestamps are UTC wall times in timestamp columns (Prisma's
// convention), so they go in and come out through AT TIME ZONE 'UTC', whatever the process's zone.
const FACT_COLUMNS = `
  EXISTS (SELECT 1 FROM "DncEntry" d WHERE d."portalId" = ct."portalId" AND d.phone = ct.phone) AS dnc_listed,
  caps.day AS calls_day, caps.week AS calls_week`;
const FACT_JOIN = `
  CROSS JOIN LATERAL (
    SELECT (count(*) FILTER (WHERE x."placedAt" > ($2::timestamptz AT TIME ZONE 'UTC')))::int AS day, count(*)::int AS week
      FROM "Call" x
     WHERE x."contactId" = ct.id AND x."placedAt" > ($3::timestamptz AT TIME ZONE 'UTC')
       AND (x.outcome IS NULL OR x.outcome <> 'capacity')
  ) caps`;
const capWindows = (now: Date) => [new Date(now.getTime() - 86_400_000).toISOString(), new Date(now.getTime() - 7 * 86_400_000).toISOString()];
type FactRow = Pick<Row, 'dnc_listed' | 'calls_day' | 'calls_week'>;
const toFacts = (r: FactRow): DialFacts => ({ dncListed: r.dnc_listed, callsLastDay: r.calls_day, callsLastWeek: r.calls_week });

const FACTS_SQL = `SELECT ${FACT_COLUMNS} FROM "Contact" ct ${FACT_JOIN} WHERE ct.id = $1::uuid`;

/** The facts alone, for a check made before any attempt exists ("Call now" on a contact card). */
export async function readDialFacts(sql: SqlRunner, contactId: string, now: Date): Promise<DialFacts> {
  const rows = await sql.query<FactRow>(FACTS_SQL, [contactId, ...capWindows(now)], 'hac_dial_facts');
  return rows[0] ? toFacts(rows[0]) : { dncListed: false, callsLastDay: 0, callsLastWeek: 0 };
}

const utc = (column: string, as: string) => `(${column} AT TIME ZONE 'UTC') AS "${as}"`;

const CONTEXT_SQL = `
  SELECT c.id::text AS call_id, c.status::text AS call_status, ${utc('c."placedAt"', 'call_placedAt')}, c."providerCallId" AS "call_providerCallId",
         c.provider AS call_provider, ${utc('c."dialStartedAt"', 'call_dialStartedAt')}, ${utc('c."createdAt"', 'call_createdAt')},
         c."scriptVersionId"::text AS "call_scriptVersionId",
         cc.id::text AS cc_id, cc.state::text AS cc_state, cc.attempts AS cc_attempts,
         cmp.id::text AS cmp_id, cmp."portalId"::text AS "cmp_portalId", cmp.state::text AS cmp_state, cmp."windowStart" AS "cmp_windowStart",
         cmp."windowEnd" AS "cmp_windowEnd", cmp."daysOfWeek" AS "cmp_daysOfWeek", cmp."timeZone" AS "cmp_timeZone",
         cmp."minConsent"::text AS "cmp_minConsent", cmp."maxAttempts" AS "cmp_maxAttempts", cmp."startedBy" AS "cmp_startedBy",
         cmp."callsPerMinute" AS "cmp_callsPerMinute", cmp."maxConcurrent" AS "cmp_maxConcurrent", cmp."callerId" AS "cmp_callerId",
         ct.id::text AS ct_id, ct."portalId"::text AS "ct_portalId", ct.phone AS ct_phone, ct."firstName" AS "ct_firstName",
         ct."lastName" AS "ct_lastName", ct.email AS ct_email, ct.company AS ct_company, ct."timeZone" AS "ct_timeZone",
         ct.properties AS ct_properties, ct."consentType"::text AS "ct_consentType", ct."consentSource" AS "ct_consentSource",
         ${utc('ct."consentAt"', 'ct_consentAt')},
         p.id::text AS p_id, p."voiceProvider" AS "p_voiceProvider", p."providerCredentialsEnc" AS "p_providerCredentialsEnc",
         p."maxConcurrentCalls" AS "p_maxConcurrentCalls", p."callsPerMinute" AS "p_callsPerMinute", p.settings AS p_settings,
         p."defaultTimeZone" AS "p_defaultTimeZone",
         ${FACT_COLUMNS}
    FROM "Call" c
    JOIN "Contact" ct ON ct.id = c."contactId"
    JOIN "Portal" p ON p.id = c."portalId"
    LEFT JOIN "CampaignContact" cc ON cc.id = c."campaignContactId"
    LEFT JOIN "Campaign" cmp ON cmp.id = c."campaignId"
    ${FACT_JOIN}
   WHERE c.id = $1::uuid`;

export async function loadDialContext(sql: SqlRunner, callId: string, now: Date): Promise<DialContext | null> {
  const rows = await sql.query<Row>(CONTEXT_SQL, [callId, ...capWindows(now)], 'hac_dial_context');
  const r = rows[0];
  if (!r) return null;
  return {
    call: {
      id: r.call_id,
      status: r.call_status,
      placedAt: r.call_placedAt,
      providerCallId: r.call_providerCallId,
      provider: r.call_provider,
      dialStartedAt: r.call_dialStartedAt,
      createdAt: r.call_createdAt,
      scriptVersionId: r.call_scriptVersionId,
      contactId: r.ct_id,
    },
    cc: r.cc_id ? { id: r.cc_id, state: r.cc_state!, attempts: r.cc_attempts! } : null,
    campaign: r.cmp_id
      ? {
          id: r.cmp_id,
          portalId: r.cmp_portalId,
          state: r.cmp_state,
          windowStart: r.cmp_windowStart,
          windowEnd: r.cmp_windowEnd,
          daysOfWeek: r.cmp_daysOfWeek,
          timeZone: r.cmp_timeZone,
          minConsent: r.cmp_minConsent,
          maxAttempts: r.cmp_maxAttempts,
          startedBy: r.cmp_startedBy,
          callsPerMinute: r.cmp_callsPerMinute,
          maxConcurrent: r.cmp_maxConcurrent,
          callerId: r.cmp_callerId,
        }
      : null,
    contact: {
      id: r.ct_id,
      portalId: r.ct_portalId,
      phone: r.ct_phone,
      firstName: r.ct_firstName,
      lastName: r.ct_lastName,
      email: r.ct_email,
      company: r.ct_company,
      timeZone: r.ct_timeZone,
      properties: r.ct_properties,
      consentType: r.ct_consentType,
      consentSource: r.ct_consentSource,
      consentAt: r.ct_consentAt,
    },
    portal: {
      id: r.p_id,
      voiceProvider: r.p_voiceProvider,
      providerCredentialsEnc: r.p_providerCredentialsEnc,
      maxConcurrentCalls: r.p_maxConcurrentCalls,
      callsPerMinute: r.p_callsPerMinute,
      settings: r.p_settings,
      defaultTimeZone: r.p_defaultTimeZone,
    },
    facts: toFacts(r),
  };
}
