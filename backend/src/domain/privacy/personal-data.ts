import { Prisma } from '../../platform/prisma';

// Every place personal data about a contact (the person we call) is stored, in one list. Erasure
// (contact-erasure.service.ts) and the retention purge (retention-purge.service.ts) are driven by
// it, and a test holds it to prisma/schema.prisma: each column of each table is either listed here
// or in NOT_PERSONAL with the reason, so a new column cannot slip past either.

export const ERASED = 'erased';
export const ERASED_JSON = { erased: true } as const;

/** How a column is erased: overwritten with a value, or the whole row deleted, or kept on purpose. */
export type Erase =
  | { set: unknown }
  /** The value depends on the row (a unique column keeps a unique placeholder). */
  | { setPerRow: (id: string) => unknown }
  | { deleteRow: true }
  | { keep: string };

export interface PersonalColumn {
  table: PersonalTable;
  column: string;
  holds: string;
  erase: Erase;
}

export const PERSONAL_TABLES = ['Contact', 'Call', 'ProviderEvent', 'Outbox', 'WorkflowCallback', 'ImportRejectedRow', 'ImportUploadChunk', 'DncEntry'] as const;
export type PersonalTable = (typeof PERSONAL_TABLES)[number];

const col = (table: PersonalTable, column: string, holds: string, erase: Erase): PersonalColumn => ({ table, column, holds, erase });

export const PERSONAL_DATA: readonly PersonalColumn[] = [
  // The contact itself. The phone is part of a unique key: a per-contact placeholder keeps it unique.
  col('Contact', 'phone', 'phone number (E.164)', { setPerRow: (id) => `${ERASED}:${id}` }),
  col('Contact', 'firstName', 'first name', { set: null }),
  col('Contact', 'lastName', 'last name', { set: null }),
  col('Contact', 'email', 'email address', { set: null }),
  col('Contact', 'company', 'employer', { set: null }),
  col('Contact', 'timeZone', 'where the person lives (time zone)', { set: null }),
  col('Contact', 'timeZoneSource', 'how the time zone was learnt (from the address or number)', { set: null }),
  col('Contact', 'hubspotContactId', "link to the person's HubSpot record", { set: null }),
  col('Contact', 'properties', 'any other imported or HubSpot property', { set: {} }),
  col('Contact', 'consentSource', 'where consent was given (form URL, recording id)', { set: null }),
  // Each call with the contact: what was said and learnt.
  col('Call', 'toPhone', 'the number dialled', { set: ERASED }),
  col('Call', 'transcript', 'the conversation, word for word', { set: null }),
  col('Call', 'summary', "the AI's summary of the conversation", { set: null }),
  col('Call', 'messages', 'the conversation as messages', { set: Prisma.DbNull }),
  col('Call', 'structuredOutputs', "what the provider's analysis extracted", { set: Prisma.DbNull }),
  col('Call', 'recordingUrl', 'link to the audio recording', { set: null }),
  col('Call', 'answers', "the person's answers to the script's questions", { set: {} }),
  col('Call', 'scriptPath', 'the steps the conversation took (reveals the answers)', { set: [] }),
  col('Call', 'consentSnapshot', 'the consent relied on, with its source', { set: Prisma.DbNull }),
  col('Call', 'contactTimeZone', 'where the person lives (time zone at dial)', { set: null }),
  // Copies of the above as they arrived or left.
  col('ProviderEvent', 'payload', 'raw provider webhook (transcript, numbers, HubSpot phone hash)', { set: ERASED_JSON }),
  col('Outbox', 'payload', 'HubSpot write-back (call notes, summary, answers)', { set: ERASED_JSON }),
  col('WorkflowCallback', 'payload', 'HubSpot workflow execution (input fields, outputs of the call)', { set: ERASED_JSON }),
  col('ImportRejectedRow', 'raw', 'a rejected CSV row as uploaded', { set: ERASED }),
  col('ImportUploadChunk', 'data', 'the uploaded CSV file itself', { deleteRow: true }),
  // Kept on purpose: a deletion request does not lift the obligation not to call the number
  // (TCPA, GDPR art. 17(3)(b)); the entry holds the number and why it may not be called, nothing else.
  col('DncEntry', 'phone', 'a number that must not be called', { keep: 'legal obligation not to call the number outlives the contact' }),
];

/**
 * Columns that hold no personal data about a contact, table by table, with the reason. Keys,
 * timestamps, states and counters are anonymous; operator fields (createdBy, startedBy,
 * publishedBy) name the portal's own staff or API key, kept as the audit of who did what.
 */
export const NOT_PERSONAL: Record<string, { columns: readonly string[]; why: string }> = {
  Portal: {
    columns: ['id', 'hubId', 'name', 'accessTokenEnc', 'refreshTokenEnc', 'tokenExpiresAt', 'scopes', 'installedAt', 'defaultTimeZone', 'defaultRegion', 'defaultWindowStart', 'defaultWindowEnd', 'callerIds', 'voiceProvider', 'providerCredentialsEnc', 'maxConcurrentCalls', 'callsPerMinute', 'settings', 'createdAt', 'updatedAt'],
    why: "the customer's account and configuration (secrets are encrypted and are not about a contact)",
  },
  ApiKey: { columns: ['id', 'portalId', 'name', 'prefix', 'keyHash', 'createdAt', 'lastUsedAt', 'revokedAt'], why: 'operator credentials, stored hashed' },
  Contact: { columns: ['id', 'portalId', 'source', 'consentType', 'consentAt', 'createdAt', 'updatedAt'], why: 'keys, the consent level and time (kept as proof), the import channel' },
  DncEntry: { columns: ['id', 'portalId', 'reason', 'source', 'createdBy', 'createdAt'], why: 'why and by whom (operator) a number was listed' },
  Import: {
    columns: ['id', 'portalId', 'source', 'status', 'fileName', 'filePath', 'contentHash', 'hubspotListId', 'mode', 'defaultRegion', 'columnMapping', 'rowsRead', 'created', 'updated', 'duplicate', 'rejected', 'totalBytes', 'bytesRead', 'error', 'startedAt', 'finishedAt', 'createdAt', 'updatedAt'],
    why: "an import's settings and counts; the file's name is the operator's, its content is ImportUploadChunk",
  },
  ImportUploadChunk: { columns: ['importId', 'seq', 'portalId'], why: 'keys' },
  ImportContact: { columns: ['importId', 'contactId', 'portalId'], why: 'keys' },
  ImportRejectedRow: { columns: ['id', 'importId', 'portalId', 'rowNumber', 'reason'], why: 'keys and our own reason sentence' },
  Segment: { columns: ['id', 'portalId', 'name', 'rule', 'importId', 'createdAt', 'updatedAt'], why: "the operator's filter definition" },
  Script: { columns: ['id', 'portalId', 'name', 'draft', 'draftRevision', 'latestVersion', 'archivedAt', 'createdAt', 'updatedAt'], why: "the operator's script" },
  ScriptVersion: { columns: ['id', 'portalId', 'scriptId', 'version', 'graph', 'checksum', 'publishedBy', 'publishedAt'], why: "the operator's published script and who published it" },
  Campaign: {
    columns: ['id', 'portalId', 'name', 'state', 'stateReason', 'segmentId', 'provider', 'callerId', 'timeZone', 'windowStart', 'windowEnd', 'daysOfWeek', 'startAt', 'endAt', 'maxConcurrent', 'callsPerMinute', 'maxAttempts', 'retryPolicy', 'minConsent', 'openEnrollment', 'createdBy', 'startedBy', 'startedAt', 'pausedAt', 'completedAt', 'cancelledAt', 'createdAt', 'updatedAt'],
    why: "the operator's campaign settings and who started it",
  },
  CampaignVariant: { columns: ['id', 'portalId', 'campaignId', 'scriptVersionId', 'label', 'weight'], why: 'A/B split settings' },
  CampaignContact: { columns: ['id', 'portalId', 'campaignId', 'contactId', 'variantId', 'state', 'skipReason', 'attempts', 'nextAttemptAt', 'lastOutcome', 'createdAt', 'updatedAt'], why: 'dialing state: keys, states, counters' },
  Call: {
    columns: [
      'id', 'portalId', 'campaignId', 'campaignContactId', 'contactId', 'attemptNumber', 'provider', 'providerAccount', 'providerCallId', 'idempotencyKey', 'status', 'endedReason', 'outcome', 'disposition', 'isOptOut',
      'callerId', 'dialStartedAt', 'placedAt', 'startedAt', 'endedAt', 'durationSec', 'cost', 'scriptVersionId', 'variantId', 'dncCheckResult', 'dncCheckedAt', 'localTimeAtDial', 'startedBy', 'lastEventAt', 'createdAt', 'updatedAt',
    ],
    why: 'the anonymous figures analytics and the audit keep: outcome, times, cost, our caller id, the checks made',
  },
  ProviderEvent: { columns: ['id', 'portalId', 'provider', 'dedupeKey', 'type', 'providerCallId', 'callId', 'receivedAt', 'processedAt', 'error'], why: 'delivery ledger: keys, type, times (ids are opaque)' },
  Outbox: { columns: ['id', 'portalId', 'kind', 'dedupeKey', 'aggregateId', 'status', 'attempts', 'nextAttemptAt', 'lastError', 'hubspotObjectId', 'createdAt', 'sentAt'], why: 'delivery state: keys, status, times' },
  WorkflowCallback: { columns: ['id', 'portalId', 'callbackId', 'campaignId', 'contactId', 'callId', 'status', 'createdAt', 'completedAt'], why: 'keys, status, times' },
  CallStat: { columns: ['portalId', 'campaignId', 'variantId', 'day', 'outcome', 'endedReason', 'disposition', 'isOptOut', 'calls', 'durationCalls', 'durationSec', 'costCalls', 'cost'], why: 'aggregate counts' },
  CallDurationStat: { columns: ['portalId', 'campaignId', 'variantId', 'day', 'seconds', 'calls'], why: 'aggregate counts' },
  CallDurationTotal: { columns: ['portalId', 'campaignId', 'variantId', 'seconds', 'calls'], why: 'aggregate counts' },
};

/** The columns of one table to erase, and the values they take (for a row whose id is `id`). */
export function erasureData(table: PersonalTable, id?: string): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const c of PERSONAL_DATA) {
    if (c.table !== table) continue;
    if ('set' in c.erase) data[c.column] = c.erase.set;
    else if ('setPerRow' in c.erase) {
      if (id === undefined) throw new Error(`${table}.${c.column} is erased row by row: pass the row id`);
      data[c.column] = c.erase.setPerRow(id);
    }
  }
  return data;
}

/** Whether erasing this table deletes its rows (rather than overwriting columns). */
export const erasureDeletesRows = (table: PersonalTable): boolean => PERSONAL_DATA.some((c) => c.table === table && 'deleteRow' in c.erase);
