import { useState } from 'react';
import { Button, Flex, Input, Text, TextArea } from '@hubspot/ui-extensions';
import type { Backend } from '../lib/backend-client';
import type { SettingsData } from '../lib/settings-types';
import { useSettingsSave } from '../lib/use-save';
import { SaveFeedback } from './SaveFeedback';

// The voice provider account: the portal's own Vapi key (write-only: only its last characters
// are ever shown) or the platform's account, the Vapi phone numbers per caller id, and the caller ids.

const toLines = (ids: Record<string, string>) => Object.entries(ids).map(([n, id]) => `${n}=${id}`).join('\n');
function fromLines(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const [n, id] = line.split('=').map((x) => x.trim());
    if (n && id) out[n] = id;
  }
  return out;
}

export function ProviderSection({ backend, data, onSaved }: { backend: Backend; data: SettingsData; onSaved(next: SettingsData): void }) {
  const p = data.provider;
  const [apiKey, setApiKey] = useState('');
  const [numbers, setNumbers] = useState(toLines(p.phoneNumberIds));
  const [defaultNumber, setDefaultNumber] = useState(p.defaultPhoneNumberId ?? '');
  const [assistant, setAssistant] = useState(p.assistantId ?? '');
  const [callerIds, setCallerIds] = useState(data.callerIds.join('\n'));
  const s = useSettingsSave(backend, (next) => {
    setApiKey('');
    onSaved(next);
  });
  const account = p.source === 'own_key' ? `Your own Vapi account (key ${p.keyHint})` : p.source === 'platform_default' ? "The platform's Vapi account" : 'No Vapi account yet: enter your key.';

  const save = (useOwnKey: boolean) =>
    s.save({
      provider: {
        ...(useOwnKey && apiKey.trim() ? { apiKey: apiKey.trim() } : {}),
        ...(!useOwnKey ? { apiKey: null } : {}),
        phoneNumberIds: fromLines(numbers),
        defaultPhoneNumberId: defaultNumber.trim() || null,
        assistantId: assistant.trim() || null,
      },
      callerIds: callerIds.split('\n').map((x) => x.trim()).filter(Boolean),
    });

  return (
    <Flex direction="column" gap="sm">
      <Text testId="provider-account">{account}</Text>
      {p.unreadable && <Text>{"The stored key cannot be read with this server's encryption key; enter it again."}</Text>}
      <Input testId="api-key" name="apiKey" type="password" label={p.source === 'own_key' ? 'Replace the Vapi private key' : 'Vapi private key'} value={apiKey} onChange={setApiKey} />
      <TextArea testId="caller-ids" name="callerIds" label="Caller ids (one E.164 number per line)" rows={3} value={callerIds} onChange={setCallerIds} />
      <TextArea testId="phone-number-ids" name="phoneNumberIds" label="Vapi phone number id per caller id (+14155550100=pn_…)" rows={3} value={numbers} onChange={setNumbers} />
      <Flex direction="row" gap="sm">
        <Input testId="default-number" name="defaultPhoneNumberId" label="Default Vapi phone number id" value={defaultNumber} onChange={setDefaultNumber} />
        <Input testId="assistant" name="assistantId" label="Saved Vapi assistant id (optional)" value={assistant} onChange={setAssistant} />
      </Flex>
      <Flex direction="row" gap="sm">
        <Button testId="save-provider" variant="primary" disabled={s.busy} onClick={() => void save(true)}>
          Save provider
        </Button>
        {p.source === 'own_key' && p.platformDefaultAvailable && (
          <Button testId="use-platform" variant="secondary" disabled={s.busy} onClick={() => void save(false)}>
            Use the platform account instead
          </Button>
        )}
      </Flex>
      <SaveFeedback testId="provider" problems={s.problems} saved={s.saved} />
    </Flex>
  );
}
