import { z } from 'zod';
import type { Cipher } from '../../platform/crypto';

// A portal's own Vapi account, sealed with the app's cipher in Portal.providerCredentialsEnc as
// JSON {apiKey, phoneNumberIds?, defaultPhoneNumberId?, assistantId?} — the exact shape
// providers/voice/voice-router.ts reads. The key is never sent back, only its last characters.

export const ZProviderCredentials = z.object({
  apiKey: z.string().min(1),
  phoneNumberIds: z.record(z.string(), z.string()).optional(),
  defaultPhoneNumberId: z.string().optional(),
  assistantId: z.string().optional(),
});
export type TProviderCredentials = z.infer<typeof ZProviderCredentials>;

export function openCredentials(cipher: Cipher, sealed: string | null): TProviderCredentials | null {
  if (!sealed) return null;
  try {
    const parsed = ZProviderCredentials.safeParse(JSON.parse(cipher.decrypt(sealed)));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function sealCredentials(cipher: Cipher, creds: TProviderCredentials): string {
  const clean: TProviderCredentials = { apiKey: creds.apiKey };
  if (creds.phoneNumberIds && Object.keys(creds.phoneNumberIds).length) clean.phoneNumberIds = creds.phoneNumberIds;
  if (creds.defaultPhoneNumberId) clean.defaultPhoneNumberId = creds.defaultPhoneNumberId;
  if (creds.assistantId) clean.assistantId = creds.assistantId;
  return cipher.encrypt(JSON.stringify(clean));
}

export const keyHint = (apiKey: string) => `…${apiKey.slice(-4)}`;
