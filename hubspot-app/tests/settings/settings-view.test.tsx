import { createRenderer } from '@hubspot/ui-extensions/testing';
import { Alert, Button, Checkbox, EmptyState, ErrorState, Input, LoadingSpinner, NumberInput, Select, TableCell, Text, TextArea, ToggleGroup } from '@hubspot/ui-extensions';
import { SettingsView } from '../../app/settings/SettingsView';
import { createBackend } from '../../app/settings/lib/backend-client';
import type { SettingsData } from '../../app/settings/lib/settings-types';
import { BASE, fakeBackend, tick } from '../support/fake-backend';

// The settings page with HubSpot's renderer and a recording fake backend.

const settings = (o: Partial<SettingsData> = {}): SettingsData => ({
  provider: {
    name: 'vapi',
    source: 'platform_default',
    keyHint: null,
    unreadable: false,
    phoneNumberIds: {},
    defaultPhoneNumberId: null,
    assistantId: null,
    platformDefaultAvailable: true,
    retell: { agentId: null, fromNumber: null, platformAgentId: null, platformFromNumber: null },
  },
  callerIds: ['+14155550100'],
  calling: { windowStart: '09:00', windowEnd: '20:00', daysOfWeek: [1, 2, 3, 4, 5], timeZone: 'America/New_York', region: 'US', minConsent: 'express' },
  pacing: { maxConcurrentCalls: 10, callsPerMinute: 60 },
  limits: { maxConcurrentCalls: 10, callsPerMinute: 120 },
  plan: { maxImportRows: 100000, maxCampaignContacts: 50000 },
  writeback: { hubspotMatchCsvContacts: false, hubspotTimelineEventTemplateId: null, conversionDispositions: ['qualified'] },
  retention: { transcriptDays: 90, rawEventDays: 30 },
  ...o,
});

function setup() {
  const fake = fakeBackend();
  const r = createRenderer('settings');
  fake.on('GET', '/dnc', { body: { items: [], nextCursor: null } });
  fake.on('GET', '/settings/api-keys', { body: { keys: [] } });
  const render = () => r.render(<SettingsView backend={createBackend({ baseUrl: BASE, fetcher: fake.fetcher })} timeZone="America/New_York" slowAfterMs={30} />);
  return { fake, r, render };
}

describe('settings page', () => {
  it('shows loading, then a slow note, and a readable error with retry', async () => {
    const slow = setup();
    slow.fake.on('GET', '/settings', 'never');
    slow.render();
    expect(slow.r.find(LoadingSpinner).props.label).toBe('Loading settings…');
    await slow.r.waitFor(() => expect(slow.r.findByTestId(Text, 'slow-note')).toBeTruthy());

    const { fake, r, render } = setup();
    fake.on('GET', '/settings', { status: 401, body: { error: { code: 'PORTAL_NOT_INSTALLED', message: 'This HubSpot account has not installed the app.' } } }, { body: settings() });
    render();
    await r.waitFor(() => expect(r.find(ErrorState).props.title).toBe('Settings could not be loaded'));
    expect(r.findByTestId(Text, 'load-error').text).toBe('This HubSpot account has not installed the app.');
    r.findByTestId(Button, 'retry').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Text, 'provider-account').text).toBe("The platform's Vapi account"));
  });

  it('saves the provider key and numbers, then shows only the key’s last characters', async () => {
    const { fake, r, render } = setup();
    fake.on('GET', '/settings', { body: settings() });
    fake.on('PUT', '/settings', { body: settings({ provider: { ...settings().provider, source: 'own_key', keyHint: '…abcd', phoneNumberIds: { '+14155550100': 'pn-1' } }, limits: { maxConcurrentCalls: 100, callsPerMinute: 600 } }) });
    render();
    await r.waitFor(() => expect(r.findByTestId(Input, 'api-key')).toBeTruthy());
    r.findByTestId(Input, 'api-key').trigger('onChange', 'vapi-secret-abcd' as never);
    r.findByTestId(TextArea, 'phone-number-ids').trigger('onChange', '+14155550100 = pn-1\nbroken line' as never);
    r.findByTestId(TextArea, 'caller-ids').trigger('onChange', '+14155550100\n\n+14155550101' as never);
    await tick();
    r.findByTestId(Button, 'save-provider').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Text, 'provider-account').text).toBe('Your own Vapi account (key …abcd)'));
    expect(fake.calls('PUT', '/settings')[0]!.body).toEqual({
      provider: { apiKey: 'vapi-secret-abcd', phoneNumberIds: { '+14155550100': 'pn-1' }, defaultPhoneNumberId: null, assistantId: null },
      callerIds: ['+14155550100', '+14155550101'],
    });
    expect(r.findByTestId(Input, 'api-key').props.value).toBe('');
    expect(r.findByTestId(NumberInput, 'max-concurrent').props.max).toBe(100);
  });

  describe('voice provider', () => {
    const retellPortal = (o: Partial<SettingsData['provider']> = {}) =>
      settings({
        provider: {
          ...settings().provider,
          name: 'retell',
          source: 'own_key',
          keyHint: '…-456',
          platformDefaultAvailable: true,
          retell: { agentId: 'agent_abc', fromNumber: '+14155550111', platformAgentId: null, platformFromNumber: '+14155550100' },
          ...o,
        },
      });

    it('shows a Retell portal as Retell: its account, key hint and Retell fields, no Vapi fields', async () => {
      const { fake, r, render } = setup();
      fake.on('GET', '/settings', { body: retellPortal() });
      render();
      await r.waitFor(() => expect(r.findByTestId(Text, 'provider-active').text).toBe('Calls are placed through Retell.'));
      expect(r.findByTestId(Text, 'provider-account').text).toBe('Your own Retell account (key …-456)');
      expect(r.findByTestId(Select, 'provider-name').props.value).toBe('retell');
      expect(r.findByTestId(ToggleGroup, 'account').props.value).toBe('own');
      expect(r.findByTestId(Input, 'api-key').props).toMatchObject({ label: 'Replace the Retell API key (now …-456)', value: '' });
      expect(r.findByTestId(Input, 'retell-agent').props.value).toBe('agent_abc');
      expect(r.findByTestId(Input, 'retell-from-number').props).toMatchObject({ value: '+14155550111', description: "Used when a campaign names no caller id; empty: the platform's +14155550100." });
      for (const vapiOnly of ['default-number', 'assistant']) expect(r.maybeFindByTestId(Input, vapiOnly)).toBeNull();
      expect(r.maybeFindByTestId(TextArea, 'phone-number-ids')).toBeNull();
      expect(r.maybeFindByTestId(Text, 'provider-switch-note')).toBeNull();
    });

    it('switches a Vapi portal to Retell and saves exactly the Retell fields', async () => {
      const { fake, r, render } = setup();
      fake.on('GET', '/settings', { body: settings({ provider: { ...settings().provider, phoneNumberIds: { '+14155550100': 'pn-1' }, assistantId: 'asst-1' } }) });
      fake.on('PUT', '/settings', { body: retellPortal({ source: 'platform_default', keyHint: null }) });
      render();
      await r.waitFor(() => expect(r.findByTestId(Select, 'provider-name').props.value).toBe('vapi'));
      expect(r.findByTestId(Text, 'provider-active').text).toBe('Calls are placed through Vapi.');
      expect(r.maybeFindByTestId(Input, 'retell-agent')).toBeNull();
      r.findByTestId(Select, 'provider-name').trigger('onChange', 'retell' as never);
      await r.waitFor(() => expect(r.findByTestId(Input, 'retell-agent')).toBeTruthy());
      expect(r.maybeFindByTestId(TextArea, 'phone-number-ids')).toBeNull();
      expect(r.findByTestId(Text, 'provider-active').text).toBe('Calls are placed through Vapi.');
      expect(r.findByTestId(Text, 'provider-switch-note').text).toMatch(/^Calls keep going through Vapi until you save/);
      expect(r.findByTestId(ToggleGroup, 'account').props.value).toBe('platform');
      expect(r.findByTestId(Input, 'api-key').props.label).toBe('Retell API key');
      r.findByTestId(Input, 'retell-agent').trigger('onChange', ' agent_abc ' as never);
      r.findByTestId(Input, 'retell-from-number').trigger('onChange', '+14155550111' as never);
      await tick();
      expect(r.findByTestId(Button, 'save-provider').text).toBe('Switch to Retell and save');
      r.findByTestId(Button, 'save-provider').trigger('onClick');
      await r.waitFor(() => expect(r.findByTestId(Text, 'provider-active').text).toBe('Calls are placed through Retell.'));
      expect(fake.calls('PUT', '/settings').map((c) => c.body)).toEqual([{ provider: { name: 'retell', retellAgentId: 'agent_abc', retellFromNumber: '+14155550111' }, callerIds: ['+14155550100'] }]);
      expect(r.findByTestId(Text, 'provider-account').text).toBe("The platform's Retell account");
      expect(r.findByTestId(Text, 'provider-saved').text).toBe('Saved.');
      expect(r.maybeFindByTestId(Text, 'provider-switch-note')).toBeNull();
      expect(r.findByTestId(Input, 'retell-agent').props.value).toBe('agent_abc');
    });

    it('will not send a stored Vapi key over to Retell: asks for the Retell key or the platform account', async () => {
      const { fake, r, render } = setup();
      fake.on('GET', '/settings', { body: settings({ provider: { ...settings().provider, source: 'own_key', keyHint: '…abcd' } }) });
      fake.on('PUT', '/settings', { body: retellPortal({ source: 'platform_default', keyHint: null }) });
      render();
      await r.waitFor(() => expect(r.findByTestId(Select, 'provider-name')).toBeTruthy());
      r.findByTestId(Select, 'provider-name').trigger('onChange', 'retell' as never);
      await r.waitFor(() => expect(r.findByTestId(Text, 'key-not-carried').text).toBe("Your Vapi key (…abcd) does not carry over to Retell: enter your Retell API key, or use the platform's Retell account."));
      r.findByTestId(Input, 'retell-agent').trigger('onChange', 'agent_abc' as never);
      await tick();
      r.findByTestId(Button, 'save-provider').trigger('onClick');
      await r.waitFor(() => expect(r.findByTestId(Input, 'api-key').props).toMatchObject({ error: true, validationMessage: "Enter your Retell API key, or choose the platform's Retell account." }));
      expect(fake.calls('PUT', '/settings')).toHaveLength(0);
      r.findByTestId(ToggleGroup, 'account').trigger('onChange', 'platform' as never);
      await tick();
      r.findByTestId(Button, 'save-provider').trigger('onClick');
      await r.waitFor(() => expect(fake.calls('PUT', '/settings')).toHaveLength(1));
      expect(fake.calls('PUT', '/settings')[0]!.body).toEqual({ provider: { name: 'retell', apiKey: null, retellAgentId: 'agent_abc', retellFromNumber: null }, callerIds: ['+14155550100'] });
    });

    it("shows each of the backend's 422 problems at its field; the rest under the button", async () => {
      const { fake, r, render } = setup();
      fake.on('GET', '/settings', { body: settings() });
      const problems = [
        { path: 'provider.retellFromNumber', message: '"555-0100" is not an E.164 phone number (such as +14155550100).' },
        { path: 'provider.retellAgentId', message: 'Retell places calls from a saved agent: enter its agent id (this server has no RETELL_AGENT_ID).' },
        { path: 'pacing.callsPerMinute', message: "At most 120 calls per minute on the platform's shared account (asked for 200)." },
      ];
      fake.on('PUT', '/settings', { status: 422, body: { error: { code: 'SETTINGS_INVALID', message: problems[0]!.message, details: { problems } } } });
      render();
      await r.waitFor(() => expect(r.findByTestId(Select, 'provider-name')).toBeTruthy());
      r.findByTestId(Select, 'provider-name').trigger('onChange', 'retell' as never);
      await r.waitFor(() => expect(r.findByTestId(Input, 'retell-from-number')).toBeTruthy());
      r.findByTestId(Input, 'retell-from-number').trigger('onChange', '555-0100' as never);
      await tick();
      r.findByTestId(Button, 'save-provider').trigger('onClick');
      await r.waitFor(() => expect(r.findByTestId(Input, 'retell-from-number').props).toMatchObject({ error: true, validationMessage: problems[0]!.message, value: '555-0100' }));
      expect(r.findByTestId(Input, 'retell-agent').props).toMatchObject({ error: true, validationMessage: problems[1]!.message });
      expect(r.findByTestId(Input, 'api-key').props).toMatchObject({ error: false, validationMessage: undefined });
      expect(r.findByTestId(TextArea, 'caller-ids').props.error).toBe(false);
      expect(r.findByTestId(Alert, 'provider-problems').findAll(Text).map((t) => t.text)).toEqual([problems[2]!.message, 'See the fields marked above.']);
      expect(r.findByTestId(Text, 'provider-active').text).toBe('Calls are placed through Vapi.');
      expect(fake.calls('PUT', '/settings')[0]!.body).toEqual({ provider: { name: 'retell', retellAgentId: null, retellFromNumber: '555-0100' }, callerIds: ['+14155550100'] });
    });

    it('places a 400 validation issue (body.provider.apiKey) at the key field', async () => {
      const { fake, r, render } = setup();
      fake.on('GET', '/settings', { body: settings() });
      const issue = { path: 'body.provider.apiKey', message: 'Too small: expected string to have >=8 characters' };
      fake.on('PUT', '/settings', { status: 400, body: { error: { code: 'VALIDATION_FAILED', message: 'Invalid body: body.provider.apiKey Too small.', details: { issues: [issue] } } } });
      render();
      await r.waitFor(() => expect(r.findByTestId(Input, 'api-key')).toBeTruthy());
      r.findByTestId(Input, 'api-key').trigger('onChange', 'short' as never);
      await tick();
      expect(r.findByTestId(ToggleGroup, 'account').props.value).toBe('own');
      r.findByTestId(Button, 'save-provider').trigger('onClick');
      await r.waitFor(() => expect(r.findByTestId(Input, 'api-key').props).toMatchObject({ error: true, validationMessage: issue.message }));
      expect(r.findByTestId(Alert, 'provider-problems').findAll(Text).map((t) => t.text)).toEqual(['See the field marked above.']);
    });
  });

  it('lists every problem the backend found and keeps the form as typed', async () => {
    const { fake, r, render } = setup();
    fake.on('GET', '/settings', { body: settings() });
    fake.on('PUT', '/settings', {
      status: 422,
      body: { error: { code: 'SETTINGS_INVALID', message: 'x', details: { problems: [{ path: 'calling.start', message: 'The window cannot start before 08:00 in the contact\'s local time (TCPA); "07:00" is too early.' }, { path: 'pacing.maxConcurrentCalls', message: "At most 10 calls at once on the platform's shared account (asked for 50)." }] } } },
    });
    render();
    await r.waitFor(() => expect(r.findByTestId(Input, 'window-start')).toBeTruthy());
    r.findByTestId(Input, 'window-start').trigger('onChange', '07:00' as never);
    r.findByTestId(NumberInput, 'max-concurrent').trigger('onChange', 50 as never);
    await tick();
    r.findByTestId(Button, 'save-calling').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Alert, 'calling-problems').findAll(Text).map((t) => t.text)).toEqual([
      'The window cannot start before 08:00 in the contact\'s local time (TCPA); "07:00" is too early.',
      "At most 10 calls at once on the platform's shared account (asked for 50).",
    ]));
    expect(fake.calls('PUT', '/settings')[0]!.body).toMatchObject({ calling: { windowStart: '07:00' }, pacing: { maxConcurrentCalls: 50, callsPerMinute: 60 } });
    expect(r.findByTestId(Input, 'window-start').props.value).toBe('07:00');
  });

  it('saves the HubSpot write-back options with the calling defaults', async () => {
    const { fake, r, render } = setup();
    const saved = settings({ writeback: { hubspotMatchCsvContacts: true, hubspotTimelineEventTemplateId: '1234567', conversionDispositions: ['qualified', 'booked_meeting'] } });
    fake.on('GET', '/settings', { body: settings() });
    fake.on('PUT', '/settings', { body: saved });
    render();
    await r.waitFor(() => expect(r.findByTestId(Checkbox, 'match-csv').props.checked).toBe(false));
    r.findByTestId(Checkbox, 'match-csv').trigger('onChange', true as never);
    r.findByTestId(Input, 'timeline-template').trigger('onChange', ' 1234567 ' as never);
    r.findByTestId(Input, 'conversions').trigger('onChange', 'qualified, booked_meeting,' as never);
    await tick();
    r.findByTestId(Button, 'save-calling').trigger('onClick');
    await r.waitFor(() => expect(fake.calls('PUT', '/settings')).toHaveLength(1));
    expect(fake.calls('PUT', '/settings')[0]!.body).toEqual({
      calling: settings().calling,
      pacing: settings().pacing,
      writeback: { hubspotMatchCsvContacts: true, hubspotTimelineEventTemplateId: '1234567', conversionDispositions: ['qualified', 'booked_meeting'] },
    });
    await r.waitFor(() => expect(r.findByTestId(Input, 'conversions').props.value).toBe('qualified, booked_meeting'));

    // An emptied template id is sent as null (no template), not as an empty string.
    r.findByTestId(Input, 'timeline-template').trigger('onChange', '   ' as never);
    await tick();
    r.findByTestId(Button, 'save-calling').trigger('onClick');
    await r.waitFor(() => expect(fake.calls('PUT', '/settings')).toHaveLength(2));
    expect(fake.calls('PUT', '/settings')[1]!.body).toMatchObject({ writeback: { hubspotTimelineEventTemplateId: null } });
  });

  it('manages the do-not-call list: empty state, add, list, remove', async () => {
    const { fake, r, render } = setup();
    fake.on('GET', '/settings', { body: settings() });
    fake.on('GET', '/dnc', { body: { items: [], nextCursor: null } }, { body: { items: [{ id: 'd-1', phone: '+12025550143', reason: 'Asked on a call', source: 'hubspot_settings', createdAt: '2026-11-20T15:00:00.000Z' }], nextCursor: null } }, { body: { items: [], nextCursor: null } });
    fake.on('POST', '/dnc', { status: 201, body: { added: 1 } });
    fake.on('DELETE', '/dnc/d-1', { status: 204 });
    render();
    await r.waitFor(() => expect(r.find(EmptyState).props.title).toBe('The do-not-call list is empty'));
    r.findByTestId(Input, 'dnc-phone').trigger('onChange', '202-555-0143' as never);
    r.findByTestId(Input, 'dnc-reason').trigger('onChange', 'Asked on a call' as never);
    await tick();
    r.findByTestId(Button, 'dnc-add').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Button, 'dnc-remove-d-1')).toBeTruthy());
    expect(fake.calls('POST', '/dnc')[0]!.body).toEqual({ phone: '202-555-0143', reason: 'Asked on a call', source: 'hubspot_settings' });
    r.findByTestId(Button, 'dnc-remove-d-1').trigger('onClick');
    await r.waitFor(() => expect(r.maybeFindByTestId(Button, 'dnc-remove-d-1')).toBeNull());
    expect(fake.calls('DELETE', '/dnc/d-1')).toHaveLength(1);
  });

  it('creates an API key, shows its value once, and revokes keys', async () => {
    const { fake, r, render } = setup();
    fake.on('GET', '/settings', { body: settings() });
    const row = { id: 'k-1', name: 'Zapier', hint: 'aic_abcdefgh_…', createdAt: '2026-11-20T15:00:00.000Z', lastUsedAt: null, revokedAt: null };
    fake.on('GET', '/settings/api-keys', { body: { keys: [] } }, { body: { keys: [row] } }, { body: { keys: [{ ...row, revokedAt: '2026-11-21T15:00:00.000Z' }] } });
    fake.on('POST', '/settings/api-keys', { status: 201, body: { id: 'k-1', apiKey: 'aic_abcdefgh_secret' } });
    fake.on('POST', '/settings/api-keys/revoke', { body: { id: 'k-1' } });
    render();
    await r.waitFor(() => expect(r.findByTestId(Input, 'key-name')).toBeTruthy());
    r.findByTestId(Input, 'key-name').trigger('onChange', 'Zapier' as never);
    await tick();
    r.findByTestId(Button, 'create-key').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Alert, 'new-key').text).toBe('aic_abcdefgh_secret'));
    await r.waitFor(() => expect(r.findAll(TableCell).map((c) => c.text)).toContain('aic_abcdefgh_…'));
    r.findByTestId(Button, 'revoke-k-1').trigger('onClick');
    await r.waitFor(() => expect(r.maybeFindByTestId(Button, 'revoke-k-1')).toBeNull());
    expect(fake.calls('POST', '/settings/api-keys/revoke')[0]!.body).toEqual({ keyId: 'k-1' });
  });
});
