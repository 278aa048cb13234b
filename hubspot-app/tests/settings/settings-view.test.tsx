import { createRenderer } from '@hubspot/ui-extensions/testing';
import { Alert, Button, Checkbox, EmptyState, ErrorState, Input, LoadingSpinner, NumberInput, TableCell, Text, TextArea } from '@hubspot/ui-extensions';
import { SettingsView } from '../../app/settings/SettingsView';
import { createBackend } from '../../app/settings/lib/backend-client';
import type { SettingsData } from '../../app/settings/lib/settings-types';
import { BASE, fakeBackend, tick } from '../support/fake-backend';

// The settings page with HubSpot's renderer and a recording fake backend.

const settings = (o: Partial<SettingsData> = {}): SettingsData => ({
  provider: { name: 'vapi', source: 'platform_default', keyHint: null, unreadable: false, phoneNumberIds: {}, defaultPhoneNumberId: null, assistantId: null, platformDefaultAvailable: true },
  callerIds: ['+14155550100'],
  calling: { windowStart: '09:00', windowEnd: '20:00', daysOfWeek: [1, 2, 3, 4, 5], timeZone: 'America/New_York', region: 'US', minConsent: 'express' },
  pacing: { maxConcurrentCalls: 10, callsPerMinute: 60 },
  limits: { maxConcurrentCalls: 10, callsPerMinute: 120 },
  writeback: { hubspotMatchCsvContacts: false, hubspotTimelineEventTemplateId: null, conversionDispositions: ['qualified'] },
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
