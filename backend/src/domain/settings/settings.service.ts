import type { Db } from '../../platform/prisma';
import { Prisma } from '../../platform/prisma';
import type { Cipher } from '../../platform/crypto';
import { AppError } from '../../platform/app-error';
import { portalCallingDefaults } from '../campaigns/campaign-defaults';
import { validateCampaignWindow } from '../compliance/calling-window-validation';
import { isValidTimeZone } from '../compliance/time-zone';
import { isRegionCode, normalisePhone } from '../contacts/phone-normaliser';
import { readResultsSettings } from '../calls/results-settings';
import { readRetention } from '../privacy/retention';
import { keyHint, openCredentials, sealCredentials } from './provider-credentials';
import { pacingLimitsFor } from './settings-limits';
import { planLimitsOf, type PlanLimits } from './plan-limits';
import type { TSettingsUpdate } from './settings.schemas';

// The settings page's data: the voice provider account (own Vapi key, sealed, or the platform's),
// caller ids, default calling window, time zone and consent floor, pacing within the account's
// limit, and the HubSpot write-back options. An update is all or nothing: every problem found is
// reported (422 with each one located) and nothing is written.

export interface SettingsDeps {
  db: Db;
  cipher: Cipher;
  /** Whether the platform has its own Vapi key (VAPI_API_KEY) to fall back on. */
  platformKeyAvailable: boolean;
  /** The platform's Retell account: RETELL_API_KEY set, and its default agent / caller number. */
  platformRetell?: { keyAvailable: boolean; agentId?: string; fromNumber?: string };
  /** The server's plan defaults (config.plan); shown read-only with the portal's own plan applied. */
  planDefaults?: PlanLimits;
}

const PROVIDER_LABEL: Record<string, string> = { vapi: 'Vapi', retell: 'Retell' };
const platformKeyFor = (deps: SettingsDeps, provider: string) => (provider === 'retell' ? Boolean(deps.platformRetell?.keyAvailable) : deps.platformKeyAvailable);

type Problem = { path: string; message: string };

const asObject = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? { ...(v as Record<string, unknown>) } : {});

export async function getSettings(deps: SettingsDeps, portalId: string) {
  const portal = await deps.db.portal.findUniqueOrThrow({ where: { id: portalId } });
  const creds = openCredentials(deps.cipher, portal.providerCredentialsEnc);
  const s = asObject(portal.settings);
  const d = portalCallingDefaults(portal);
  const results = readResultsSettings(portal.settings);
  return {
    provider: {
      name: portal.voiceProvider,
      source: creds ? 'own_key' : platformKeyFor(deps, portal.voiceProvider) ? 'platform_default' : 'none',
      keyHint: creds ? keyHint(creds.apiKey) : null,
      unreadable: Boolean(portal.providerCredentialsEnc && !creds),
      phoneNumberIds: creds?.phoneNumberIds ?? (s.vapiPhoneNumberIds as Record<string, string> | undefined) ?? {},
      defaultPhoneNumberId: creds?.defaultPhoneNumberId ?? (s.vapiDefaultPhoneNumberId as string | undefined) ?? null,
      assistantId: creds?.assistantId ?? (s.vapiAssistantId as string | undefined) ?? null,
      platformDefaultAvailable: platformKeyFor(deps, portal.voiceProvider),
      retell: {
        agentId: (s.retellAgentId as string | undefined) ?? null,
        fromNumber: (s.retellFromNumber as string | undefined) ?? null,
        platformAgentId: deps.platformRetell?.agentId ?? null,
        platformFromNumber: deps.platformRetell?.fromNumber ?? null,
      },
    },
    callerIds: portal.callerIds,
    calling: { windowStart: d.window.start, windowEnd: d.window.end, daysOfWeek: d.window.daysOfWeek, timeZone: d.timeZone, region: portal.defaultRegion, minConsent: d.minConsent },
    pacing: { maxConcurrentCalls: portal.maxConcurrentCalls, callsPerMinute: portal.callsPerMinute },
    limits: pacingLimitsFor(Boolean(creds)),
    ...(deps.planDefaults ? { plan: planLimitsOf(portal.settings, deps.planDefaults) } : {}),
    writeback: {
      hubspotMatchCsvContacts: results.hubspotMatchCsvContacts,
      hubspotTimelineEventTemplateId: results.hubspotTimelineEventTemplateId ?? null,
      conversionDispositions: results.conversionDispositions,
    },
    retention: readRetention(portal.settings),
  };
}

export async function updateSettings(deps: SettingsDeps, portalId: string, input: TSettingsUpdate) {
  const portal = await deps.db.portal.findUniqueOrThrow({ where: { id: portalId } });
  const problems: Problem[] = [];
  const data: Prisma.PortalUpdateInput = {};
  const settings = asObject(portal.settings);

  // Provider account: an own key is sealed with its phone numbers and assistant; without one,
  // those live in settings, where the voice router reads them for the platform's account.
  let creds = openCredentials(deps.cipher, portal.providerCredentialsEnc);
  const target = input.provider?.name ?? portal.voiceProvider;
  if (input.provider?.name && input.provider.name !== portal.voiceProvider) {
    data.voiceProvider = input.provider.name;
    // A stored key belongs to the provider being left: it cannot place calls on the other one.
    if (creds && input.provider.apiKey === undefined) {
      problems.push({ path: 'provider.apiKey', message: `The stored key is a ${PROVIDER_LABEL[portal.voiceProvider] ?? portal.voiceProvider} key: enter your own ${PROVIDER_LABEL[target]} key, or null to use the platform's ${PROVIDER_LABEL[target]} account.` });
    }
  }
  if (input.provider && target === 'retell') {
    const p = input.provider;
    for (const field of ['phoneNumberIds', 'defaultPhoneNumberId', 'assistantId'] as const) {
      if (p[field] !== undefined) problems.push({ path: `provider.${field}`, message: `${field} applies to Vapi only; Retell uses retellAgentId and retellFromNumber.` });
    }
    if (p.apiKey === null) creds = null;
    else if (p.apiKey) creds = { apiKey: p.apiKey };
    if (p.retellAgentId !== undefined) settings.retellAgentId = p.retellAgentId ?? undefined;
    if (p.retellFromNumber !== undefined) {
      if (p.retellFromNumber !== null && !/^\+[1-9]\d{6,14}$/.test(p.retellFromNumber)) {
        problems.push({ path: 'provider.retellFromNumber', message: `"${p.retellFromNumber}" is not an E.164 phone number (such as +14155550100).` });
      }
      settings.retellFromNumber = p.retellFromNumber ?? undefined;
    }
    if (creds) data.providerCredentialsEnc = sealCredentials(deps.cipher, { apiKey: creds.apiKey });
    else {
      data.providerCredentialsEnc = null;
      if (!platformKeyFor(deps, 'retell')) problems.push({ path: 'provider.apiKey', message: 'This server has no platform Retell account (RETELL_API_KEY): enter your own Retell key.' });
    }
    if (!settings.retellAgentId && !deps.platformRetell?.agentId) {
      problems.push({ path: 'provider.retellAgentId', message: 'Retell places calls from a saved agent: enter its agent id (this server has no RETELL_AGENT_ID).' });
    }
  } else if (input.provider) {
    const p = input.provider;
    if (p.retellAgentId !== undefined || p.retellFromNumber !== undefined) {
      problems.push({ path: 'provider', message: 'retellAgentId and retellFromNumber apply to Retell only; set provider.name to "retell" first.' });
    }
    // Numbers and assistant carry over when the key changes (or goes), unless set here.
    const before = creds;
    const extras = {
      phoneNumberIds: p.phoneNumberIds ?? before?.phoneNumberIds ?? (settings.vapiPhoneNumberIds as Record<string, string> | undefined),
      defaultPhoneNumberId: p.defaultPhoneNumberId === null ? undefined : (p.defaultPhoneNumberId ?? before?.defaultPhoneNumberId ?? (settings.vapiDefaultPhoneNumberId as string | undefined)),
      assistantId: p.assistantId === null ? undefined : (p.assistantId ?? before?.assistantId ?? (settings.vapiAssistantId as string | undefined)),
    };
    if (p.apiKey === null) creds = null;
    else if (p.apiKey) creds = { ...(before ?? {}), apiKey: p.apiKey };
    for (const number of Object.keys(extras.phoneNumberIds ?? {})) {
      if (!/^\+[1-9]\d{6,14}$/.test(number)) problems.push({ path: `provider.phoneNumberIds.${number}`, message: `"${number}" is not an E.164 phone number (such as +14155550100).` });
    }
    if (creds) {
      data.providerCredentialsEnc = sealCredentials(deps.cipher, { ...creds, ...extras });
      delete settings.vapiPhoneNumberIds;
      delete settings.vapiDefaultPhoneNumberId;
      delete settings.vapiAssistantId;
    } else {
      data.providerCredentialsEnc = null;
      if (!deps.platformKeyAvailable) problems.push({ path: 'provider.apiKey', message: 'This server has no platform Vapi account (VAPI_API_KEY): enter your own Vapi key.' });
      settings.vapiPhoneNumberIds = extras.phoneNumberIds;
      settings.vapiDefaultPhoneNumberId = extras.defaultPhoneNumberId;
      settings.vapiAssistantId = extras.assistantId;
    }
  }

  if (input.callerIds) {
    const region = isRegionCode(portal.defaultRegion) ? portal.defaultRegion : undefined;
    const ids: string[] = [];
    input.callerIds.forEach((raw, i) => {
      const r = normalisePhone(raw, region);
      if (r.ok) ids.push(r.e164);
      else problems.push({ path: `callerIds.${i}`, message: `"${raw}": ${r.reason}.` });
    });
    data.callerIds = [...new Set(ids)];
  }

  if (input.calling) {
    const c = input.calling;
    const window = { start: c.windowStart ?? portal.defaultWindowStart, end: c.windowEnd ?? portal.defaultWindowEnd, daysOfWeek: c.daysOfWeek ?? portalCallingDefaults(portal).window.daysOfWeek };
    problems.push(...validateCampaignWindow(window, 'calling'));
    if (c.timeZone !== undefined && !isValidTimeZone(c.timeZone)) problems.push({ path: 'calling.timeZone', message: `"${c.timeZone}" is not a time zone name such as America/New_York.` });
    const region = c.region?.toUpperCase();
    if (region !== undefined && !isRegionCode(region)) problems.push({ path: 'calling.region', message: `"${c.region}" is not a two-letter country code such as US or GB.` });
    Object.assign(data, {
      defaultWindowStart: window.start,
      defaultWindowEnd: window.end,
      ...(c.timeZone !== undefined ? { defaultTimeZone: c.timeZone } : {}),
      ...(region !== undefined ? { defaultRegion: region } : {}),
    });
    if (c.daysOfWeek) settings.defaultDaysOfWeek = [...new Set(c.daysOfWeek)].sort();
    if (c.minConsent) settings.minConsent = c.minConsent;
  }

  const limits = pacingLimitsFor(Boolean(creds));
  const pacing = { maxConcurrentCalls: input.pacing?.maxConcurrentCalls ?? portal.maxConcurrentCalls, callsPerMinute: input.pacing?.callsPerMinute ?? portal.callsPerMinute };
  if (input.pacing || input.provider) {
    if (pacing.maxConcurrentCalls > limits.maxConcurrentCalls) {
      problems.push({ path: 'pacing.maxConcurrentCalls', message: `At most ${limits.maxConcurrentCalls} calls at once on ${creds ? 'your own account' : "the platform's shared account"} (asked for ${pacing.maxConcurrentCalls}).` });
    }
    if (pacing.callsPerMinute > limits.callsPerMinute) {
      problems.push({ path: 'pacing.callsPerMinute', message: `At most ${limits.callsPerMinute} calls per minute on ${creds ? 'your own account' : "the platform's shared account"} (asked for ${pacing.callsPerMinute}).` });
    }
    data.maxConcurrentCalls = pacing.maxConcurrentCalls;
    data.callsPerMinute = pacing.callsPerMinute;
  }

  if (input.writeback) {
    const w = input.writeback;
    if (w.hubspotMatchCsvContacts !== undefined) settings.hubspotMatchCsvContacts = w.hubspotMatchCsvContacts;
    if (w.hubspotTimelineEventTemplateId !== undefined) settings.hubspotTimelineEventTemplateId = w.hubspotTimelineEventTemplateId ?? undefined;
    if (w.conversionDispositions) settings.conversionDispositions = [...new Set(w.conversionDispositions)];
  }

  if (input.retention) settings.retention = { ...readRetention(settings), ...input.retention };

  if (problems.length) {
    throw new AppError('SETTINGS_INVALID', 422, `${problems[0]!.message}${problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : ''}`, { problems });
  }
  data.settings = JSON.parse(JSON.stringify(settings)) as Prisma.InputJsonValue; // drops undefined keys
  await deps.db.portal.update({ where: { id: portalId }, data });
  return getSettings(deps, portalId);
}
