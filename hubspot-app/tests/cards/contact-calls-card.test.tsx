import { createRenderer } from '@hubspot/ui-extensions/testing';
import { Alert, Button, EmptyState, ErrorState, LoadingSpinner, Select, Tag, Text, Toggle } from '@hubspot/ui-extensions';
import { ContactCallsCard } from '../../app/cards/ContactCallsCard';
import { createBackend } from '../../app/cards/lib/backend-client';
import { BASE, fakeBackend, tick } from '../support/fake-backend';
import { RECORD, cardData } from './card-fixtures';

// The contact sidebar card rendered with HubSpot's test renderer; hubspot.fetch is replaced by a
// recording fake, so each test sees the exact requests the card makes and what it shows for
// each answer (loading, slow, failed, empty, full) and after each action.

function setup(o: { baseUrl?: string } = {}) {
  const fake = fakeBackend();
  const backend = createBackend({ baseUrl: o.baseUrl ?? BASE, fetcher: fake.fetcher });
  const actions = { addAlert: jest.fn(), openIframeModal: jest.fn() };
  const r = createRenderer('crm.record.sidebar');
  const render = () => r.render(<ContactCallsCard backend={backend} record={RECORD} actions={actions} timeZone="America/New_York" slowAfterMs={30} />);
  return { fake, actions, r, render };
}

describe('contact calls card', () => {
  it('asks the backend for this record once, with its id and phone, and shows loading meanwhile', async () => {
    const { fake, r, render } = setup();
    fake.on('GET', '/contact-card', 'never');
    render();
    expect(r.find(LoadingSpinner).props.label).toBe('Loading AI calls…');
    await tick();
    expect(fake.requests).toEqual([
      { method: 'GET', url: `${BASE}/api/v1/contact-card?hubspotContactId=614&phone=%2B12125550143`, path: '/contact-card', query: { hubspotContactId: '614', phone: '+12125550143' } },
    ]);
    expect(r.maybeFindByTestId(Text, 'slow-note')).toBeNull();
    // A backend slower than the threshold is named, not left as an endless spinner.
    await r.waitFor(() => expect(r.findByTestId(Text, 'slow-note').text).toMatch(/taking longer than usual/));
  });

  it('shows the backend’s own sentence when it fails, and tries again on request', async () => {
    const { fake, r, render } = setup();
    fake.on('GET', '/contact-card', { status: 503, body: { error: { code: 'DB_DOWN', message: 'The database is restarting; try again in a minute.' } } }, { body: cardData() });
    render();
    await r.waitFor(() => expect(r.find(ErrorState).props.title).toBe('AI calls could not be loaded'));
    expect(r.findByTestId(Text, 'load-error').text).toBe('The database is restarting; try again in a minute.');
    r.findByTestId(Button, 'retry').trigger('onClick');
    await r.waitFor(() => expect(r.findAll(Tag).length).toBe(2));
    expect(fake.calls('GET', '/contact-card')).toHaveLength(2);
  });

  it('says what went wrong when the backend cannot be reached or is not configured', async () => {
    const down = setup();
    down.fake.on('GET', '/contact-card', 'network-error');
    down.render();
    await down.r.waitFor(() => expect(down.r.findByTestId(Text, 'load-error').text).toMatch(/did not answer in time/));

    const unset = setup({ baseUrl: '' });
    unset.render();
    await unset.r.waitFor(() => expect(unset.r.findByTestId(Text, 'load-error').text).toMatch(/BACKEND_URL/));
    expect(unset.fake.requests).toEqual([]);

    const generic = setup();
    generic.fake.on('GET', '/contact-card', { status: 500, body: '<html>' });
    generic.render();
    await generic.r.waitFor(() => expect(generic.r.findByTestId(Text, 'load-error').text).toBe('The calling service had a problem (HTTP 500). Try again in a moment.'));
  });

  it('lists the calls: outcome, when, duration and summary; opens a transcript on request', async () => {
    const { fake, r, render } = setup();
    fake.on('GET', '/contact-card', { body: cardData() });
    fake.on('GET', '/calls/call-2', { body: { id: 'call-2', transcript: 'AI: Hello Ada…\nAda: Tuesday works.' } });
    render();
    await r.waitFor(() => expect(r.findAll(Tag).map((t) => t.text)).toEqual(['Connected', 'No answer']));
    const texts = r.findAll(Text).map((t) => t.text);
    expect(texts).toContain('Nov 20, 2026, 10:04 AM · 2m 05s');
    expect(texts).toContain('Nov 19, 2026, 10:00 AM · —');
    expect(texts).toContain('Booked a roof survey for Tuesday.');
    r.findByTestId(Button, 'open-transcript-call-2').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Text, 'transcript-call-2').text).toBe('AI: Hello Ada…\nAda: Tuesday works.'));
    expect(fake.calls('GET', '/calls/call-2')).toHaveLength(1);
  });

  it('shows an empty history for a contact never called', async () => {
    const { fake, r, render } = setup();
    fake.on('GET', '/contact-card', { body: cardData({ calls: [], contact: null, enrollments: [] }) });
    render();
    await r.waitFor(() => expect(r.find(EmptyState).props.title).toBe('No AI calls yet'));
  });

  it('toggles do-not-call for the record and reloads what it shows', async () => {
    const { fake, r, render } = setup();
    fake.on('GET', '/contact-card', { body: cardData() }, { body: cardData({ dnc: { listed: true, reason: 'Marked on the card', source: 'hubspot_card', since: '2026-11-23T12:00:00.000Z' } }) });
    fake.on('PUT', '/contact-card/dnc', { body: { listed: true } });
    render();
    await r.waitFor(() => expect(r.findByTestId(Toggle, 'dnc-toggle').props.checked).toBe(false));
    r.findByTestId(Toggle, 'dnc-toggle').trigger('onChange', true as never);
    await r.waitFor(() => expect(r.findByTestId(Toggle, 'dnc-toggle').props.checked).toBe(true));
    expect(fake.calls('PUT', '/contact-card/dnc')[0]!.body).toEqual({
      contact: { hubspotContactId: '614', phone: '+1 (212) 555-0143', firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.test', legalBasis: 'Freely given consent from contact' },
      listed: true,
    });
    // On the list: Call now is disabled, and says why.
    expect(r.findByTestId(Button, 'call-now').props.disabled).toBe(true);
    expect(r.findAll(Text).map((t) => t.text)).toContain('The number is on the do-not-call list.');
  });

  it('records consent chosen on the card', async () => {
    const { fake, r, render } = setup();
    fake.on('GET', '/contact-card', { body: cardData({ consent: { type: 'none', source: null, at: null } }) });
    fake.on('PUT', '/contact-card/consent', { body: { type: 'written' } });
    render();
    await r.waitFor(() => expect(r.findByTestId(Select, 'consent-select').props.value).toBe('none'));
    r.findByTestId(Select, 'consent-select').trigger('onChange', 'written' as never);
    await r.waitFor(() => expect(fake.calls('PUT', '/contact-card/consent')).toHaveLength(1));
    expect(fake.calls('PUT', '/contact-card/consent')[0]!.body).toMatchObject({ type: 'written', contact: { hubspotContactId: '614' } });
  });

  it('calls now with the chosen script and confirms, or shows the refusal in words', async () => {
    const { fake, r, render, actions } = setup();
    fake.on('GET', '/contact-card', { body: cardData() });
    fake.on(
      'POST',
      '/call-now',
      { status: 409, body: { error: { code: 'CALL_NOW_REFUSED', message: "It is outside the calling window in the contact's local time. It is 21:30 for the contact (America/New_York)." } } },
      { status: 202, body: { campaignId: 'cn-1', message: 'Calling with "Renewal reminder": the call starts within a few seconds.' } },
    );
    render();
    await r.waitFor(() => expect(r.findByTestId(Select, 'call-now-script').props.value).toBe('ver-7'));
    r.findByTestId(Select, 'call-now-script').trigger('onChange', 'ver-2' as never);
    r.findByTestId(Button, 'call-now').trigger('onClick');
    await r.waitFor(() => expect(r.find(Alert, { title: 'Not called' }).text).toMatch(/21:30 for the contact/));
    expect(fake.calls('POST', '/call-now')[0]!.body).toMatchObject({ scriptVersionId: 'ver-2', contact: { hubspotContactId: '614' } });
    expect(actions.addAlert).not.toHaveBeenCalled();

    r.findByTestId(Button, 'call-now').trigger('onClick');
    await r.waitFor(() => expect(actions.addAlert).toHaveBeenCalledWith({ type: 'success', title: 'AI call on its way', message: 'Calling with "Renewal reminder": the call starts within a few seconds.' }));
    expect(r.maybeFind(Alert, { title: 'Not called' })).toBeNull();
  });

  it('adds the contact to a chosen campaign and repeats the backend’s answer', async () => {
    const { fake, r, render } = setup();
    fake.on('GET', '/contact-card', { body: cardData() });
    fake.on('POST', '/contact-card/enroll', { body: { result: 'skipped', message: 'Added, but it will not be called: The number is on the do-not-call list.' } });
    render();
    await r.waitFor(() => expect(r.findByTestId(Select, 'campaign-select').props.options.map((o) => o.label)).toEqual(['Winter follow-up (Running)', 'Renewals (Draft)']));
    r.findByTestId(Select, 'campaign-select').trigger('onChange', 'camp-3' as never);
    r.findByTestId(Button, 'add-to-campaign').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Text, 'enroll-result').text).toBe('Added, but it will not be called: The number is on the do-not-call list.'));
    expect(fake.calls('POST', '/contact-card/enroll')[0]!.body).toMatchObject({ campaignId: 'camp-3' });
    expect(r.findAll(Text).map((t) => t.text)).toContain('Spring solar: Done');
  });

  it('opens the CSV upload page in HubSpot’s iframe modal with a fresh link, and reloads when it closes', async () => {
    const { fake, r, render, actions } = setup();
    fake.on('GET', '/contact-card', { body: cardData() });
    fake.on('POST', '/upload-tokens', { status: 201, body: { url: `${BASE}/upload?token=upl_abc.def`, expiresAt: '2026-11-24T00:10:00.000Z' } });
    render();
    await r.waitFor(() => expect(r.findByTestId(Button, 'csv-upload').props.disabled).toBe(false));
    r.findByTestId(Button, 'csv-upload').trigger('onClick');
    await r.waitFor(() => expect(actions.openIframeModal).toHaveBeenCalledTimes(1));
    expect(actions.openIframeModal.mock.calls[0][0]).toEqual({ uri: `${BASE}/upload?token=upl_abc.def`, height: 760, width: 800, title: 'Import contacts' });
    const before = fake.calls('GET', '/contact-card').length;
    actions.openIframeModal.mock.calls[0][1]();
    await r.waitFor(() => expect(fake.calls('GET', '/contact-card').length).toBe(before + 1));
  });

  it('explains why a contact without a usable number cannot be called, and offers no call', async () => {
    const { fake, r, render } = setup();
    fake.on('GET', '/contact-card', { body: cardData({ phone: { e164: null, callable: false, problem: 'The contact has no phone number to call.' }, contact: null, calls: [] }) });
    render();
    await r.waitFor(() => expect(r.find(Alert, { title: 'Cannot be called' }).text).toBe('The contact has no phone number to call.'));
    expect(r.findByTestId(Button, 'call-now').props.disabled).toBe(true);
    expect(r.findByTestId(Toggle, 'dnc-toggle').props.readonly).toBe(true);
  });
});
