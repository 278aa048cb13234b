import { z } from 'zod';
import type { AppDeps } from '../../app-deps';
import { sha256Hex } from '../../platform/crypto';
import type { PortalVoice, VoiceLookup, VoiceRouter } from '../../domain/dialing/dialing-port';
import type { VoiceProvider } from './voice-provider';
import { createVapiProviderFromConfig } from './vapi/vapi.provider';
import { buildVapiScriptOverrides, withScriptPrompt } from './vapi/vapi-script.mapper';

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

  return {
    forPortal(portal): VoiceLookup {
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
