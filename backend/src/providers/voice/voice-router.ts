import { z } from 'zod';
import type { AppDeps } from '../../app-deps';
import { sha256Hex } from '../../platform/crypto';
import type { PortalVoice, VoiceLookup, VoiceRouter } from '../../domain/dialing/dialing-port';
import type { VoiceProvider } from './voice-provider';
import { createVapiProviderFromConfig } from './vapi/vapi.provider';
import { buildVapiScriptOverrides, withScriptPrompt } from './vapi/vapi-script.mapper';
import { createRetellProviderFromConfig } from './retell/retell.provider';
import { buildRetellScriptVariables } from './retell/retell-script.mapper';

// Which provider account a portal dials on, and how its calls are planned. A portal uses its own
// Vapi key when it has stored one (Portal.providerCredentialsEnc, encrypted), else the platform's
// VAPI_API_KEY. Portals sharing a key share that account's concurrency and rate limits, so the
// account key is derived from the key itself, never from the portal.
const ZVapiCredentials = z.object({
  apiKey: z.string().min(1),
  /** Caller numbers (E.164) → Vapi phoneNumberId. */
  phoneNumberIds: z.record(z.string(), z.string()).optional(),
  defaultPhoneNumberId: z.string().optional(),
  assistantId: z.string().optional(),
});
type VapiCredentials = z.infer<typeof ZVapiCredentials>;

const ZVapiSettings = z
  .object({
    vapiPhoneNumberIds: z.record(z.string(), z.string()).optional(),
    vapiDefaultPhoneNumberId: z.string().optional(),
    vapiAssistantId: z.string().optional(),
    vapiModel: z.object({ provider: z.string(), model: z.string() }).optional(),
  })
  .catch({});

const DEFAULT_MODEL = { provider: 'openai', model: 'gpt-4o-mini' };

// Retell: the portal's own key (same encrypted field, chosen by Portal.voiceProvider) or the
// platform's RETELL_API_KEY; agent and caller number from the credentials, the portal settings,
// then the platform defaults.
const ZRetellCredentials = z.object({ apiKey: z.string().min(1), agentId: z.string().optional(), fromNumber: z.string().optional() });
type RetellCredentials = z.infer<typeof ZRetellCredentials>;
const ZRetellSettings = z.object({ retellAgentId: z.string().optional(), retellFromNumber: z.string().optional() }).catch({});
const E164 = /^\+[1-9]\d{6,14}$/;

/** The Retell key a portal dials with, or a sentence saying why there is none (also used by /webhooks/retell). */
export function retellCredentialsOf(
  deps: Pick<AppDeps, 'config' | 'cipher'>,
  portal: { providerCredentialsEnc: string | null },
): RetellCredentials | string {
  if (portal.providerCredentialsEnc) {
    try {
      const parsed = ZRetellCredentials.safeParse(JSON.parse(deps.cipher.decrypt(portal.providerCredentialsEnc)));
      if (parsed.success) return parsed.data;
    } catch {
      // fall through to the sentence below
    }
    return 'The portal’s stored Retell credentials cannot be read; save them again in settings.';
  }
  if (deps.config.retell.apiKey) return { apiKey: deps.config.retell.apiKey };
  return 'No Retell account: set RETELL_API_KEY for the platform or save the portal’s own Retell key in settings.';
}

export function createVoiceRouter(deps: Pick<AppDeps, 'config' | 'cipher'>): VoiceRouter {
  const providers = new Map<string, VoiceProvider>();
  const publicBaseUrl = deps.config.publicBaseUrl ?? `http://127.0.0.1:${deps.config.port}`;
  const webhookSecret = deps.config.vapi.webhookSecret;

  function credentialsOf(portal: { providerCredentialsEnc: string | null }): VapiCredentials | string {
    if (portal.providerCredentialsEnc) {
      try {
        const parsed = ZVapiCredentials.safeParse(JSON.parse(deps.cipher.decrypt(portal.providerCredentialsEnc)));
        if (parsed.success) return parsed.data;
      } catch {
        // fall through to the sentence below
      }
      return 'The portal’s stored Vapi credentials cannot be read; save them again in settings.';
    }
    if (deps.config.vapi.apiKey) return { apiKey: deps.config.vapi.apiKey };
    return 'No Vapi account: set VAPI_API_KEY for the platform or save the portal’s own Vapi key in settings.';
  }

  function retellForPortal(portal: Parameters<VoiceRouter['forPortal']>[0]): VoiceLookup {
    const creds = retellCredentialsOf(deps, portal);
    if (typeof creds === 'string') return { ok: false, reason: creds };
    const settings = ZRetellSettings.parse(portal.settings ?? {});
    const agentId = creds.agentId ?? settings.retellAgentId ?? deps.config.retell.agentId;
    if (!agentId) return { ok: false, reason: 'No Retell agent: set RETELL_AGENT_ID or the portal’s Retell agent in settings.' };
    const accountKey = `retell-${sha256Hex(creds.apiKey).slice(0, 16)}`;
    let provider = providers.get(accountKey);
    if (!provider) {
      provider = createRetellProviderFromConfig({ retell: deps.config.retell }, { apiKey: creds.apiKey });
      providers.set(accountKey, provider);
    }
    const defaultFrom = creds.fromNumber ?? settings.retellFromNumber ?? deps.config.retell.fromNumber;
    const voice: PortalVoice = {
      provider,
      accountKey,
      accountConcurrency: portal.maxConcurrentCalls,
      accountCallsPerMinute: portal.callsPerMinute,
      buildPlan(input) {
        const mapping = buildRetellScriptVariables({
          version: input.version,
          contact: { ...input.contact, properties: input.contact.properties ?? {} },
          attemptId: input.attemptId,
        });
        // Retell dials from a number it owns, named by the number itself (E.164).
        const callerId = input.callerId && E164.test(input.callerId) ? input.callerId : (defaultFrom ?? input.callerId ?? '');
        return {
          attemptId: input.attemptId,
          agent: { kind: 'saved', assistantId: agentId },
          overrides: { dynamicVariables: mapping.dynamicVariables, metadata: mapping.metadata },
          callerId,
          customer: { number: input.contact.phone, externalId: input.contact.id },
          metadata: input.metadata,
        };
      },
    };
    return { ok: true, voice };
  }

  return {
    forPortal(portal): VoiceLookup {
      if (portal.voiceProvider === 'retell') return retellForPortal(portal);
      if (portal.voiceProvider !== 'vapi') return { ok: false, reason: `Voice provider "${portal.voiceProvider}" is not available on this server.` };
      const creds = credentialsOf(portal);
      if (typeof creds === 'string') return { ok: false, reason: creds };
      const accountKey = `vapi-${sha256Hex(creds.apiKey).slice(0, 16)}`;
      let provider = providers.get(accountKey);
      if (!provider) {
        provider = createVapiProviderFromConfig(
          { vapi: deps.config.vapi, publicBaseUrl },
          { apiKey: creds.apiKey },
        );
        providers.set(accountKey, provider);
      }
      const settings = ZVapiSettings.parse(portal.settings ?? {});
      const phoneIds = { ...settings.vapiPhoneNumberIds, ...creds.phoneNumberIds };
      const assistantId = creds.assistantId ?? settings.vapiAssistantId;
      const voice: PortalVoice = {
        provider,
        accountKey,
        accountConcurrency: portal.maxConcurrentCalls,
        accountCallsPerMinute: portal.callsPerMinute,
        buildPlan(input) {
          const mapping = buildVapiScriptOverrides({
            version: input.version,
            contact: { ...input.contact, properties: input.contact.properties ?? {} },
            publicBaseUrl,
            webhookSecret,
            attemptId: input.attemptId,
          });
          const callerId =
            (input.callerId && phoneIds[input.callerId]) ?? creds.defaultPhoneNumberId ?? settings.vapiDefaultPhoneNumberId ?? input.callerId ?? 'default';
          return {
            attemptId: input.attemptId,
            agent: assistantId
              ? { kind: 'saved', assistantId }
              : { kind: 'transient', assistant: { name: 'AI caller', model: withScriptPrompt({ ...(settings.vapiModel ?? DEFAULT_MODEL), messages: [] }, mapping.systemPrompt) } },
            overrides: mapping.assistantOverrides as unknown as Record<string, unknown>,
            callerId,
            customer: { number: input.contact.phone, externalId: input.contact.id },
            metadata: input.metadata,
            label: `attempt ${input.attemptId.slice(0, 8)}`,
          };
        },
      };
      return { ok: true, voice };
    },
  };
}
