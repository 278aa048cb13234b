import { useState } from 'react';
import { Button, Flex, Input, Select, Text, TextArea, ToggleGroup } from '@hubspot/ui-extensions';
import type { Backend } from '../lib/backend-client';
import type { SettingsData, VoiceProviderName } from '../lib/settings-types';
import { useSettingsSave } from '../lib/use-save';
import { SaveFeedback } from './SaveFeedback';

// The voice provider that places the portal's calls (Vapi or Retell) and whose account: the
// portal's own key (write-only: only its last characters are ever shown) or the platform's. Per
// provider the fields the backend accepts: Vapi's phone number per caller id, default number and
// saved assistant; Retell's agent and caller number. Then the caller ids. Each problem the
// backend finds is shown at its field.

const LABEL: Record<VoiceProviderName, string> = { vapi: 'Vapi', retell: 'Retell' };
const KEY_NAME: Record<VoiceProviderName, string> = { vapi: 'Vapi private key', retell: 'Retell API key' };

const toLines = (ids: Record<string, string>) => Object.entries(ids).map(([n, id]) => `${n}=${id}`).join('\n');
function fromLines(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const [n, id] = line.split('=').map((x) => x.trim());
    if (n && id) out[n] = id;
  }
  return out;
}

type Account = 'own' | 'platform';

/** The form as the saved settings fill it (again after each save). */
function formOf(data: SettingsData) {
  const p = data.provider;
  return {
    name: p.name,
    account: (p.source === 'platform_default' ? 'platform' : 'own') as Account,
    apiKey: '',
    numbers: toLines(p.phoneNumberIds),
    defaultNumber: p.defaultPhoneNumberId ?? '',
    assistant: p.assistantId ?? '',
    agentId: p.retell.agentId ?? '',
    fromNumber: p.retell.fromNumber ?? '',
    callerIds: data.callerIds.join('\n'),
  };
}

function accountLine(p: SettingsData['provider']): string {
  const label = LABEL[p.name];
  if (p.source === 'own_key') return `Your own ${label} account (key ${p.keyHint})`;
  if (p.source === 'platform_default') return `The platform's ${label} account`;
  return `No ${label} account yet: enter your key.`;
}

export function ProviderSection({ backend, data, onSaved }: { backend: Backend; data: SettingsData; onSaved(next: SettingsData): void }) {
  const p = data.provider;
  const [f, setF] = useState(() => formOf(data));
  const [keyNeeded, setKeyNeeded] = useState<string | null>(null);
  const set = (patch: Partial<typeof f>) => setF((prev) => ({ ...prev, ...patch }));
  const s = useSettingsSave(backend, (next) => {
    setF(formOf(next));
    onSaved(next);
  });

  const target = f.name;
  const label = LABEL[target];
  const switching = target !== p.name;
  /** The stored own key places calls for the chosen provider (it never carries over to the other one). */
  const storedKeyApplies = p.source === 'own_key' && !switching;
  const fields = [
    'provider.name',
    'provider.apiKey',
    'callerIds',
    ...(target === 'vapi' ? ['provider.phoneNumberIds', 'provider.defaultPhoneNumberId', 'provider.assistantId'] : ['provider.retellAgentId', 'provider.retellFromNumber']),
  ];
  const keyProblem = keyNeeded ?? s.at('provider.apiKey');

  const save = () => {
    const apiKey = f.apiKey.trim();
    if (f.account === 'own' && !apiKey && !storedKeyApplies) {
      setKeyNeeded(`Enter your ${KEY_NAME[target]}, or choose the platform's ${label} account.`);
      return;
    }
    setKeyNeeded(null);
    const provider: Record<string, unknown> = {
      ...(switching ? { name: target } : {}),
      ...(f.account === 'own' && apiKey ? { apiKey } : {}),
      ...(f.account === 'platform' && (p.source === 'own_key' || p.unreadable) ? { apiKey: null } : {}),
      ...(target === 'vapi'
        ? { phoneNumberIds: fromLines(f.numbers), defaultPhoneNumberId: f.defaultNumber.trim() || null, assistantId: f.assistant.trim() || null }
        : { retellAgentId: f.agentId.trim() || null, retellFromNumber: f.fromNumber.trim() || null }),
    };
    void s.save({ provider, callerIds: f.callerIds.split('\n').map((x) => x.trim()).filter(Boolean) });
  };

  return (
    <Flex direction="column" gap="sm">
      <Text testId="provider-active" format={{ fontWeight: 'demibold' }}>{`Calls are placed through ${LABEL[p.name]}.`}</Text>
      <Text testId="provider-account">{accountLine(p)}</Text>
      {p.unreadable && <Text>{"The stored key cannot be read with this server's encryption key; enter it again."}</Text>}
      <Select
        testId="provider-name"
        name="providerName"
        label="Voice provider"
        value={target}
        options={[
          { label: 'Vapi', value: 'vapi' },
          { label: 'Retell', value: 'retell' },
        ]}
        onChange={(v) => set({ name: v as VoiceProviderName, account: v === p.name ? formOf(data).account : f.account, apiKey: '' })}
        {...s.marks('provider.name')}
      />
      {switching && (
        <Text testId="provider-switch-note">{`Calls keep going through ${LABEL[p.name]} until you save; calls already placed stay with the provider that placed them.`}</Text>
      )}
      {switching && p.source === 'own_key' && (
        <Text testId="key-not-carried">{`Your ${LABEL[p.name]} key (${p.keyHint}) does not carry over to ${label}: enter your ${KEY_NAME[target]}, or use the platform's ${label} account.`}</Text>
      )}
      <ToggleGroup
        testId="account"
        name="account"
        label={`Whose ${label} account places the calls`}
        toggleType="radioButtonList"
        inline
        options={[
          { label: `Your own ${label} account`, value: 'own' },
          { label: `The platform's ${label} account`, value: 'platform' },
        ]}
        value={f.account}
        onChange={(v: string) => {
          setKeyNeeded(null);
          set({ account: v as Account });
        }}
      />
      {!switching && !p.platformDefaultAvailable && <Text variant="microcopy">{`This server has no platform ${label} account: calls need your own key.`}</Text>}
      <Input
        testId="api-key"
        name="apiKey"
        type="password"
        label={storedKeyApplies ? `Replace the ${KEY_NAME[target]} (now ${p.keyHint})` : KEY_NAME[target]}
        value={f.apiKey}
        onChange={(v) => {
          setKeyNeeded(null);
          set({ apiKey: v, ...(v.trim() ? { account: 'own' as Account } : {}) });
        }}
        error={Boolean(keyProblem)}
        validationMessage={keyProblem}
      />
      <TextArea
        testId="caller-ids"
        name="callerIds"
        label="Caller ids (one E.164 number per line)"
        rows={3}
        value={f.callerIds}
        onChange={(v) => set({ callerIds: v })}
        {...s.marks('callerIds')}
      />
      {target === 'vapi' ? (
        <>
          <TextArea
            testId="phone-number-ids"
            name="phoneNumberIds"
            label="Vapi phone number id per caller id (+14155550100=pn_…)"
            rows={3}
            value={f.numbers}
            onChange={(v) => set({ numbers: v })}
            {...s.marks('provider.phoneNumberIds')}
          />
          <Flex direction="row" gap="sm">
            <Input
              testId="default-number"
              name="defaultPhoneNumberId"
              label="Default Vapi phone number id"
              value={f.defaultNumber}
              onChange={(v) => set({ defaultNumber: v })}
              {...s.marks('provider.defaultPhoneNumberId')}
            />
            <Input
              testId="assistant"
              name="assistantId"
              label="Saved Vapi assistant id (optional)"
              value={f.assistant}
              onChange={(v) => set({ assistant: v })}
              {...s.marks('provider.assistantId')}
            />
          </Flex>
        </>
      ) : (
        <Flex direction="row" gap="sm">
          <Input
            testId="retell-agent"
            name="retellAgentId"
            label="Retell agent id"
            placeholder="agent_…"
            description={p.retell.platformAgentId ? `Empty: the platform's agent ${p.retell.platformAgentId}.` : 'The saved Retell agent that places the calls (required).'}
            value={f.agentId}
            onChange={(v) => set({ agentId: v })}
            {...s.marks('provider.retellAgentId')}
          />
          <Input
            testId="retell-from-number"
            name="retellFromNumber"
            label="Retell caller number (E.164)"
            placeholder="+14155550100"
            description={`Used when a campaign names no caller id${p.retell.platformFromNumber ? `; empty: the platform's ${p.retell.platformFromNumber}` : ''}.`}
            value={f.fromNumber}
            onChange={(v) => set({ fromNumber: v })}
            {...s.marks('provider.retellFromNumber')}
          />
        </Flex>
      )}
      <Button testId="save-provider" variant="primary" disabled={s.busy} onClick={save}>
        {switching ? `Switch to ${label} and save` : 'Save provider'}
      </Button>
      <SaveFeedback testId="provider" problems={s.unplaced(fields)} placed={s.problems.length - s.unplaced(fields).length + (keyNeeded ? 1 : 0)} saved={s.saved} />
    </Flex>
  );
}
