import { Alert, BarChart, Button, EmptyState, Input, LineChart, LoadingSpinner, ProgressBar, SearchInput, Select, StatisticsItem, StatusTag, TableRow, Text, TextArea, Toggle } from '@hubspot/ui-extensions';
import { PageLink } from '@hubspot/ui-extensions/pages';
import { analytics, campaign, progress, renderPage } from './page-harness';
import { BASE, heldReply, tick } from '../support/fake-backend';

// The campaign pages through the real page router with a recording fake backend: what each page
// asks for, what it shows in each state, and what its buttons send.

describe('campaigns list', () => {
  it('lists campaigns with live progress for those still calling, and hides Call now one-offs', async () => {
    const { fake, r, render } = renderPage('/');
    fake.on('GET', '/campaigns', {
      body: { data: [campaign(), campaign({ id: 'c-2', name: 'Old list', state: 'completed' }), campaign({ id: 'c-3', name: 'Call now: Ada', createdBy: 'call-now:hubspot-user:1' })], nextCursor: null },
    });
    fake.on('GET', '/campaigns/c-1/progress', { body: progress() });
    render();
    expect(r.find(LoadingSpinner).props.label).toBe('Loading campaigns…');
    await r.waitFor(() => expect(r.findAll(TableRow)).toHaveLength(3)); // header + 2
    expect(r.findAll(PageLink).map((l) => [l.text, l.props.to])).toEqual([
      ['Spring solar', '/campaigns/c-1'],
      ['Old list', '/campaigns/c-2'],
    ]);
    expect(r.findAll(StatusTag).map((t) => t.text)).toEqual(['Running', 'Completed']);
    const bar = r.findByTestId(ProgressBar, 'progress-c-1');
    expect([bar.props.value, bar.props.maxValue, bar.props.valueDescription]).toEqual([128, 200, '128 of 200 done · 5 on the phone']);
    // Progress only for the live campaign; the finished one costs no request.
    expect(fake.requests.map((q) => `${q.method} ${q.path}`)).toEqual(['GET /campaigns', 'GET /campaigns/c-1/progress']);
    expect(fake.requests[0]!.query).toEqual({ limit: '50' });
  });

  it('refreshes live progress on its own', async () => {
    // Fake timers: the renderer has no unmount, so a real interval would outlive the test.
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      const { fake, r, render } = renderPage('/', { pollEveryMs: 5000 });
      fake.on('GET', '/campaigns', { body: { data: [campaign()], nextCursor: null } });
      fake.on('GET', '/campaigns/c-1/progress', { body: progress() }, { body: progress({ final: 150 }) });
      render();
      await jest.advanceTimersByTimeAsync(10);
      expect(r.findByTestId(ProgressBar, 'progress-c-1').props.value).toBe(128);
      await jest.advanceTimersByTimeAsync(5000);
      expect(r.findByTestId(ProgressBar, 'progress-c-1').props.value).toBe(150);
      expect(fake.calls('GET', '/campaigns')).toHaveLength(2);
      // A background refresh keeps the table on screen (no spinner in between).
      expect(r.maybeFind(LoadingSpinner)).toBeNull();
    } finally {
      jest.useRealTimers();
    }
  });

  it('shows an empty state, and an error state with retry', async () => {
    const empty = renderPage('/');
    empty.fake.on('GET', '/campaigns', { body: { data: [], nextCursor: null } });
    empty.render();
    await empty.r.waitFor(() => expect(empty.r.find(EmptyState).props.title).toBe('No campaigns yet'));
    empty.r.findByTestId(Button, 'new-campaign').trigger('onClick');
    expect(empty.actions.navigateToPage).toHaveBeenCalledWith({ to: '/campaigns/new' });

    const broken = renderPage('/');
    broken.fake.on('GET', '/campaigns', 'network-error');
    broken.render();
    await broken.r.waitFor(() => expect(broken.r.findByTestId(Text, 'load-error').text).toMatch(/did not answer in time/));
  });
});

describe('campaign detail', () => {
  it('shows progress, skip reasons and results as statistics and charts', async () => {
    const { fake, r, render } = renderPage('/campaigns/c-1');
    fake.on('GET', '/campaigns/c-1', { body: campaign() });
    fake.on('GET', '/campaigns/c-1/progress', { body: progress() });
    fake.on('GET', '/analytics/campaigns/c-1', { body: analytics() });
    render();
    await r.waitFor(() => expect(r.findByTestId(StatusTag, 'state').text).toBe('Running'));
    expect(r.findByTestId(Text, 'skipped-reasons').text).toBe('Not called: 5 on the do-not-call list, 3 without consent');
    const stats = Object.fromEntries(r.findAll(StatisticsItem).map((s) => [s.props.label, s.props.number]));
    expect(stats).toMatchObject({ Contacts: '200', 'On the phone': '5', 'Calls finished': '150', 'Connect rate': '60%', Voicemail: '20%', 'Average talk time': '1m 36s', Cost: '$42.12' });
    expect(r.findByTestId(BarChart, 'outcomes-chart').props.data).toEqual([
      { outcome: 'Connected', calls: 90 },
      { outcome: 'Voicemail', calls: 30 },
      { outcome: 'No answer', calls: 20 },
      { outcome: 'Busy', calls: 5 },
      { outcome: 'Failed', calls: 5 },
    ]);
    expect(r.findByTestId(LineChart, 'connect-rate-chart').props.data).toEqual([
      { day: '2026-11-20', rate: 55 },
      { day: '2026-11-21', rate: 70 },
    ]);
    expect(r.findByTestId(BarChart, 'variant-chart').props.data).toEqual([
      { variant: 'Variant A', rate: 53.3 },
      { variant: 'Variant B', rate: 66.7 },
    ]);
  });

  it('pauses, resumes and cancels (after a confirmation), showing refusals in words', async () => {
    const { fake, r, render } = renderPage('/campaigns/c-1');
    fake.on('GET', '/campaigns/c-1', { body: campaign() }, { body: campaign({ state: 'paused' }) });
    fake.on('GET', '/campaigns/c-1/progress', { body: progress() });
    fake.on('GET', '/analytics/campaigns/c-1', { status: 500, body: {} });
    fake.on('POST', '/campaigns/c-1/pause', { body: campaign({ state: 'paused' }) });
    fake.on('POST', '/campaigns/c-1/resume', { status: 400, body: { error: { code: 'PROVIDER_ACCOUNT_UNUSABLE', message: 'No Vapi account: set VAPI_API_KEY for the platform or save the portal’s own Vapi key in settings.' } } });
    render();
    await r.waitFor(() => expect(r.findByTestId(Button, 'pause')).toBeTruthy());
    // Results failing to load does not hide the campaign.
    expect(r.maybeFind(BarChart)).toBeNull();
    r.findByTestId(Button, 'pause').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(StatusTag, 'state').text).toBe('Paused'));
    expect(fake.calls('POST', '/campaigns/c-1/pause')).toHaveLength(1);
    r.findByTestId(Button, 'resume').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Alert, 'control-error').text).toMatch(/No Vapi account/));
    r.findByTestId(Button, 'cancel').trigger('onClick');
    expect(fake.calls('POST', '/campaigns/c-1/cancel')).toHaveLength(0);
    await r.waitFor(() => expect(r.findByTestId(Button, 'confirm-cancel')).toBeTruthy());
  });

  it('closes an open-enrollment campaign from its page', async () => {
    const { fake, r, render } = renderPage('/campaigns/c-1');
    fake.on('GET', '/campaigns/c-1', { body: campaign({ openEnrollment: true }) }, { body: campaign({ state: 'completed', openEnrollment: false }) });
    fake.on('GET', '/campaigns/c-1/progress', { body: progress() });
    fake.on('GET', '/analytics/campaigns/c-1', { body: analytics() });
    fake.on('POST', '/campaigns/c-1/close-enrollment', { body: { completed: true, campaign: campaign({ state: 'completed', openEnrollment: false }) } });
    render();
    await r.waitFor(() => expect(r.findByTestId(Text, 'enrollment').text).toMatch(/^Open/));
    r.findByTestId(Button, 'close-enrollment').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(StatusTag, 'state').text).toBe('Completed'));
    expect(fake.calls('POST', '/campaigns/c-1/close-enrollment')).toHaveLength(1);
    expect(r.findByTestId(Text, 'enrollment').text).toMatch(/^Closed/);
    expect(r.maybeFind(Button, { testId: 'close-enrollment' } as never)).toBeNull();
  });

  it('shows who will be skipped and why before a draft starts, then starts it', async () => {
    const { fake, r, render } = renderPage('/campaigns/c-1');
    fake.on('GET', '/campaigns/c-1', { body: campaign({ state: 'draft' }) }, { body: campaign({ state: 'running' }) });
    fake.on('GET', '/campaigns/c-1/progress', { body: progress({ total: 0, final: 0, live: 0, byState: {}, skippedByReason: {} }) });
    fake.on('POST', '/segments/seg-1/preview', { body: { count: 1200, callable: 1100, skipped: { total: 100, invalidNumber: 10, dnc: 40, noConsent: 50, outsideWindowToday: 0 } } });
    fake.on('POST', '/campaigns/c-1/start', { body: campaign({ state: 'running' }) });
    fake.on('GET', '/analytics/campaigns/c-1', { body: { ...analytics(), totals: { ...analytics().totals, finished: 0 } } });
    render();
    await r.waitFor(() => expect(r.findByTestId(Alert, 'skip-preview').props.title).toBe('1,200 contacts match; 1,100 can be called'));
    expect(r.findByTestId(Alert, 'skip-preview').findAll(Text).map((t) => t.text)).toEqual([
      '100 will be skipped or wait:',
      '40 on the do-not-call list',
      '50 without the consent the campaign requires',
      '10 with a number that cannot be called',
    ]);
    expect(fake.calls('POST', '/segments/seg-1/preview')[0]!.body).toEqual({ callingWindow: campaign().callingWindow, minConsent: 'express', sampleSize: 0 });
    r.findByTestId(Button, 'start').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(StatusTag, 'state').text).toBe('Running'));
    expect(r.find(EmptyState).props.title).toBe('No finished calls yet');
  });

  it('shows a spinner until both the campaign and its progress have answered', async () => {
    const { fake, r, render } = renderPage('/campaigns/c-1');
    const held = heldReply({ body: progress() });
    fake.on('GET', '/campaigns/c-1', { body: campaign() });
    fake.on('GET', '/campaigns/c-1/progress', held.reply);
    fake.on('GET', '/analytics/campaigns/c-1', { body: analytics() });
    render();
    expect(r.find(LoadingSpinner).props.label).toBe('Loading the campaign…');
    await tick();
    // The campaign alone is not enough to draw the page.
    expect(r.find(LoadingSpinner).props.label).toBe('Loading the campaign…');
    expect(r.maybeFindByTestId(StatusTag, 'state')).toBeNull();
    held.release();
    await r.waitFor(() => expect(r.findByTestId(StatusTag, 'state').text).toBe('Running'));
    expect(r.maybeFind(LoadingSpinner)).toBeNull();
  });

  it('says so when the campaign does not exist', async () => {
    const { fake, r, render } = renderPage('/campaigns/c-404');
    fake.on('GET', '/campaigns/c-404', { status: 404, body: { error: { code: 'CAMPAIGN_NOT_FOUND', message: 'No campaign with that id exists in this portal.' } } });
    fake.on('GET', '/campaigns/c-404/progress', { status: 404, body: {} });
    render();
    await r.waitFor(() => expect(r.findByTestId(Text, 'load-error').text).toBe('No campaign with that id exists in this portal.'));
  });
});

describe('create campaign', () => {
  function setupCreate() {
    const h = renderPage('/campaigns/new');
    h.fake.on('GET', '/scripts', { body: { scripts: [{ id: 's-1', name: 'Solar qualifier', latestVersion: 2 }, { id: 's-2', name: 'Unpublished', latestVersion: 0 }] } });
    h.fake.on('GET', '/scripts/s-1/versions', { body: { versions: [{ id: 'ver-2', version: 2 }, { id: 'ver-1', version: 1 }] } });
    return h;
  }

  it('builds the rule from conditions, previews the skips, creates segment and campaign, starts it and opens it', async () => {
    const { fake, r, render, actions } = setupCreate();
    fake.on('POST', '/segments/preview', { body: { count: 300, callable: 290, skipped: { total: 10, invalidNumber: 0, dnc: 10, noConsent: 0, outsideWindowToday: 0 } } });
    fake.on('POST', '/segments', { status: 201, body: { id: 'seg-9' } });
    fake.on('POST', '/campaigns', { status: 201, body: { id: 'c-9' } });
    fake.on('POST', '/campaigns/c-9/start', { body: { id: 'c-9', state: 'running' } });
    render();
    await r.waitFor(() => expect(r.findByTestId(Select, 'script').props.options).toEqual([
      { label: 'Solar qualifier (v2)', value: 'ver-2' },
      { label: 'Solar qualifier (v1)', value: 'ver-1' },
    ]));
    expect(fake.calls('GET', '/scripts/s-2/versions')).toHaveLength(0);
    expect(r.findByTestId(Text, 'needs').text).toBe('Still needed: a name, a script.');
    r.findByTestId(Input, 'name').trigger('onChange', 'Winter follow-up' as never);
    r.findByTestId(Select, 'script').trigger('onChange', 'ver-2' as never);
    r.findByTestId(Button, 'add-condition').trigger('onClick');
    await r.waitFor(() => expect(r.find(Input, { name: 'value-0' })).toBeTruthy());
    r.find(Input, { name: 'value-0' }).trigger('onChange', 'Acme' as never);
    await tick();
    expect(r.findByTestId(Button, 'create-and-start').props.disabled).toBe(true); // preview first
    r.findByTestId(Button, 'preview').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Alert, 'skip-preview').props.title).toBe('300 contacts match; 290 can be called'));
    expect(fake.calls('POST', '/segments/preview')[0]!.body).toEqual({
      rule: { '==': [{ var: 'company' }, 'Acme'] },
      importId: null,
      callingWindow: { start: '09:00', end: '20:00', daysOfWeek: [1, 2, 3, 4, 5], timeZone: null },
      minConsent: 'express',
      sampleSize: 0,
    });
    r.findByTestId(Toggle, 'open-enrollment').trigger('onChange', true as never);
    await tick();
    r.findByTestId(Button, 'create-and-start').trigger('onClick');
    await r.waitFor(() => expect(actions.navigateToPage).toHaveBeenCalledWith({ to: '/campaigns/c-9' }));
    expect(fake.calls('POST', '/segments')[0]!.body).toEqual({ name: 'Winter follow-up audience', rule: { '==': [{ var: 'company' }, 'Acme'] }, importId: null });
    expect(fake.calls('POST', '/campaigns')[0]!.body).toEqual({
      name: 'Winter follow-up',
      segmentId: 'seg-9',
      scriptVersionId: 'ver-2',
      callingWindow: { start: '09:00', end: '20:00', daysOfWeek: [1, 2, 3, 4, 5], timeZone: null },
      pacing: { maxConcurrent: 5, callsPerMinute: 30 },
      maxAttempts: 3,
      minConsent: 'express',
      openEnrollment: true,
      retryPolicy: { no_answer: { retry: true, delayMinutes: 240 }, busy: { retry: true, delayMinutes: 60 }, voicemail: { retry: false, delayMinutes: 1440 }, failed: { retry: true, delayMinutes: 60 } },
    });
    expect(fake.calls('POST', '/campaigns/c-9/start')).toHaveLength(1);
    expect(actions.addAlert).toHaveBeenCalledWith({ type: 'success', message: '"Winter follow-up" is starting.' });
  });

  it('shows the backend’s refusal and a broken JSON rule in words, creating nothing', async () => {
    const { fake, r, render } = setupCreate();
    fake.on('POST', '/segments', { status: 422, body: { error: { code: 'SEGMENT_RULE_INVALID', message: 'rule.==[0].var: Unknown field "favourite".' } } });
    render();
    await r.waitFor(() => expect(r.findByTestId(Select, 'script')).toBeTruthy());
    r.findByTestId(Input, 'name').trigger('onChange', 'Bad rule' as never);
    r.findByTestId(Select, 'script').trigger('onChange', 'ver-1' as never);
    r.findByTestId(Toggle, 'json-mode').trigger('onChange', true as never);
    await r.waitFor(() => expect(r.findByTestId(TextArea, 'rule-json')).toBeTruthy());
    r.findByTestId(TextArea, 'rule-json').trigger('onChange', '{"==": [' as never);
    await tick();
    r.findByTestId(Button, 'create').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Alert, 'create-error').text).toMatch(/^The rule is not valid JSON/));
    expect(fake.calls('POST', '/segments')).toHaveLength(0);
    r.findByTestId(TextArea, 'rule-json').trigger('onChange', '{"==": [{"var": "favourite"}, 1]}' as never);
    await tick();
    r.findByTestId(Button, 'create').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Alert, 'create-error').text).toBe('rule.==[0].var: Unknown field "favourite".'));
    expect(fake.calls('POST', '/campaigns')).toHaveLength(0);
  });

  it('shows while published scripts load, and says so in words when they fail, with retry', async () => {
    const h = renderPage('/campaigns/new');
    const held = heldReply({ status: 503, body: {} });
    h.fake.on('GET', '/scripts', held.reply, { body: { scripts: [{ id: 's-1', name: 'Solar qualifier', latestVersion: 1 }] } });
    h.fake.on('GET', '/scripts/s-1/versions', { body: { versions: [{ id: 'ver-1', version: 1 }] } });
    h.render();
    expect(h.r.find(LoadingSpinner).props.label).toBe('Loading published scripts…');
    held.release();
    await h.r.waitFor(() => expect(h.r.findByTestId(Text, 'scripts-error').text).toBe('The calling service had a problem (HTTP 503). Try again in a moment.'));
    // The rest of the form stays usable, but nothing can be created without a script.
    expect(h.r.maybeFindByTestId(Select, 'script')).toBeNull();
    h.r.findByTestId(Input, 'name').trigger('onChange', 'Winter' as never);
    await tick();
    expect(h.r.findByTestId(Text, 'needs').text).toBe('Still needed: a script.');
    expect(h.r.findByTestId(Button, 'create').props.disabled).toBe(true);
    h.r.findByTestId(Button, 'scripts-retry').trigger('onClick');
    await h.r.waitFor(() => expect(h.r.findByTestId(Select, 'script').props.options).toEqual([{ label: 'Solar qualifier (v1)', value: 'ver-1' }]));
    expect(h.r.maybeFindByTestId(Text, 'scripts-error')).toBeNull();
  });

  it('opens the upload page in an iframe modal for a CSV audience, then uses the uploaded file', async () => {
    const { fake, r, render, actions } = setupCreate();
    const uploadUrl = `${BASE}/upload?token=upl_abc.def`;
    fake.on('POST', '/upload-tokens', { status: 201, body: { url: uploadUrl, expiresAt: '2026-11-24T00:10:00.000Z' } });
    fake.on('GET', '/imports', { body: { items: [{ id: 'imp-7', status: 'completed', fileName: 'leads.csv', counts: { rowsRead: 120, created: 118, updated: 0, rejected: 2 } }], nextCursor: null } });
    render();
    await r.waitFor(() => expect(r.findByTestId(Select, 'script')).toBeTruthy());
    r.findByTestId(Select, 'source').trigger('onChange', 'csv' as never);
    await r.waitFor(() => expect(r.findByTestId(Button, 'csv-upload').text).toBe('Upload a CSV file'));
    expect(r.findByTestId(Button, 'preview').props.disabled).toBe(true);
    r.findByTestId(Button, 'csv-upload').trigger('onClick');
    await r.waitFor(() => expect(actions.openIframeModal).toHaveBeenCalledTimes(1));
    expect(fake.calls('POST', '/upload-tokens')[0]!.body).toEqual({});
    const [modal, onClose] = actions.openIframeModal.mock.calls[0] as [unknown, () => void];
    expect(modal).toEqual({ uri: uploadUrl, height: 760, width: 800, title: 'Import contacts' });
    // Closing the modal picks up the newest import as the audience.
    onClose();
    await r.waitFor(() => expect(r.findByTestId(Text, 'import-label').text).toBe('leads.csv: completed, 120 rows, 2 rejected'));
    expect(fake.calls('GET', '/imports')[0]!.query).toEqual({ limit: '1' });
    expect(r.findByTestId(Button, 'preview').props.disabled).toBe(false);
  });

  const hsList = (id: string, name: string, size: number | null, processingType = 'MANUAL') => ({ id, name, size, processingType });
  const pickListSource = async (r: ReturnType<typeof setupCreate>['r']) => {
    await r.waitFor(() => expect(r.findByTestId(Select, 'script')).toBeTruthy());
    r.findByTestId(Select, 'source').trigger('onChange', 'list' as never);
  };

  it('finds a HubSpot list by name, pulls it as the audience and previews within it', async () => {
    const { fake, r, render } = setupCreate();
    fake.on(
      'GET',
      '/hubspot/lists',
      { body: { lists: [hsList('501', 'Spring solar leads', 1200), hsList('502', 'Newsletter', 1, 'SNAPSHOT'), hsList('503', 'Webinar', 40, 'DYNAMIC')], nextCursor: null } },
      { body: { lists: [hsList('501', 'Spring solar leads', 1200), hsList('504', 'Solar follow-ups', null)], nextCursor: null } },
    );
    fake.on('POST', '/imports/hubspot-list', { status: 202, body: { id: 'imp-4', status: 'queued' } });
    fake.on('POST', '/segments/preview', { body: { count: 5, callable: 5, skipped: { total: 0, invalidNumber: 0, dnc: 0, noConsent: 0, outsideWindowToday: 0 } } });
    render();
    await pickListSource(r);
    await r.waitFor(() => expect(r.findByTestId(Select, 'list').props.options).toEqual([
      { label: 'Spring solar leads · 1,200 contacts · static', value: '501' },
      { label: 'Newsletter · 1 contact · static (snapshot)', value: '502' },
      { label: 'Webinar · 40 contacts · active', value: '503' },
    ]));
    expect(fake.calls('GET', '/hubspot/lists')[0]!.query).toEqual({ limit: '20' });
    expect(r.findByTestId(Button, 'import-list').props.disabled).toBe(true);
    expect(r.findByTestId(Button, 'preview').props.disabled).toBe(true);

    r.findByTestId(SearchInput, 'list-search').trigger('onChange', ' solar ' as never);
    await r.waitFor(() => expect(r.findByTestId(Select, 'list').props.options.map((o) => o.value)).toEqual(['501', '504']));
    expect(fake.calls('GET', '/hubspot/lists')[1]!.query).toEqual({ query: 'solar', limit: '20' });
    expect(r.findByTestId(Select, 'list').props.options[1]!.label).toBe('Solar follow-ups · size unknown · static');
    r.findByTestId(Select, 'list').trigger('onChange', '504' as never);
    await r.waitFor(() => expect(r.findByTestId(Button, 'import-list').props.disabled).toBe(false));
    expect(r.findByTestId(Select, 'list').props.value).toBe('504');
    r.findByTestId(Button, 'import-list').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Text, 'import-label').text).toBe('HubSpot list "Solar follow-ups": queued'));
    expect(fake.calls('POST', '/imports/hubspot-list')[0]!.body).toEqual({ listId: '504' });
    r.findByTestId(Button, 'preview').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Alert, 'skip-preview').findAll(Text).map((t) => t.text)).toEqual(['Nobody will be skipped.']));
    expect(fake.calls('POST', '/segments/preview')[0]!.body).toMatchObject({ importId: 'imp-4', rule: { '!!': [{ var: 'phone' }] } });
    // Saving: the audience segment is the pulled list's import.
    fake.on('POST', '/segments', { status: 201, body: { id: 'seg-9' } });
    fake.on('POST', '/campaigns', { status: 201, body: { id: 'c-9' } });
    r.findByTestId(Input, 'name').trigger('onChange', 'Solar follow-up' as never);
    r.findByTestId(Select, 'script').trigger('onChange', 'ver-2' as never);
    await tick();
    r.findByTestId(Button, 'create').trigger('onClick');
    await r.waitFor(() => expect(fake.calls('POST', '/campaigns')).toHaveLength(1));
    expect(fake.calls('POST', '/segments')[0]!.body).toEqual({ name: 'Solar follow-up audience', rule: { '!!': [{ var: 'phone' }] }, importId: 'imp-4' });
    expect(fake.calls('POST', '/campaigns')[0]!.body).toMatchObject({ segmentId: 'seg-9', scriptVersionId: 'ver-2' });
  });

  it('keeps the picked list selectable after another search, and picking another one drops the pulled import', async () => {
    const { fake, r, render } = setupCreate();
    fake.on('GET', '/hubspot/lists', { body: { lists: [hsList('501', 'Spring solar leads', 12)], nextCursor: null } }, { body: { lists: [hsList('601', 'Renewals', 3)], nextCursor: null } });
    fake.on('POST', '/imports/hubspot-list', { status: 202, body: { id: 'imp-4', status: 'queued' } });
    render();
    await pickListSource(r);
    await r.waitFor(() => expect(r.findByTestId(Select, 'list')).toBeTruthy());
    r.findByTestId(Select, 'list').trigger('onChange', '501' as never);
    await r.waitFor(() => expect(r.findByTestId(Button, 'import-list').props.disabled).toBe(false));
    r.findByTestId(Button, 'import-list').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Text, 'import-label')).toBeTruthy());
    r.findByTestId(SearchInput, 'list-search').trigger('onChange', 'renew' as never);
    await r.waitFor(() => expect(r.findByTestId(Select, 'list').props.options).toEqual([
      { label: 'Spring solar leads', value: '501' },
      { label: 'Renewals · 3 contacts · static', value: '601' },
    ]));
    expect(r.findByTestId(Text, 'import-label').text).toBe('HubSpot list "Spring solar leads": queued');
    r.findByTestId(Select, 'list').trigger('onChange', '601' as never);
    await r.waitFor(() => expect(r.maybeFindByTestId(Text, 'import-label')).toBeNull());
    expect(r.findByTestId(Button, 'preview').props.disabled).toBe(true);
  });

  it('shows more lists a page at a time', async () => {
    const { fake, r, render } = setupCreate();
    fake.on('GET', '/hubspot/lists', { body: { lists: [hsList('501', 'List A', 1)], nextCursor: '20' } }, { body: { lists: [hsList('502', 'List B', 2)], nextCursor: null } });
    render();
    await pickListSource(r);
    await r.waitFor(() => expect(r.findByTestId(Button, 'more-lists')).toBeTruthy());
    r.findByTestId(Button, 'more-lists').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Select, 'list').props.options.map((o) => o.value)).toEqual(['501', '502']));
    expect(fake.calls('GET', '/hubspot/lists')[1]!.query).toEqual({ limit: '20', cursor: '20' });
    expect(r.maybeFindByTestId(Button, 'more-lists')).toBeNull();
  });

  it('shows the lists loading, a refusal in words with retry, and a search that finds nothing', async () => {
    const { fake, r, render } = setupCreate();
    const held = heldReply({ status: 409, body: { error: { code: 'HUBSPOT_NOT_INSTALLED', message: 'This portal has not installed the app in HubSpot (or must reinstall it), so its lists cannot be read.' } } });
    fake.on('GET', '/hubspot/lists', held.reply, { body: { lists: [hsList('501', 'Spring solar leads', 12)], nextCursor: null } }, { body: { lists: [], nextCursor: null } });
    render();
    await pickListSource(r);
    await r.waitFor(() => expect(r.find(LoadingSpinner, { label: 'Loading HubSpot lists…' })).toBeTruthy());
    expect(r.maybeFindByTestId(Select, 'list')).toBeNull();
    held.release();
    await r.waitFor(() => expect(r.findByTestId(Text, 'lists-error').text).toBe('This portal has not installed the app in HubSpot (or must reinstall it), so its lists cannot be read.'));
    expect(r.maybeFind(LoadingSpinner, { label: 'Loading HubSpot lists…' })).toBeNull();
    expect(r.findByTestId(Button, 'import-list').props.disabled).toBe(true);
    r.findByTestId(Button, 'lists-retry').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Select, 'list').props.options.map((o) => o.value)).toEqual(['501']));
    expect(r.maybeFindByTestId(Text, 'lists-error')).toBeNull();
    r.findByTestId(SearchInput, 'list-search').trigger('onChange', 'zebra' as never);
    await r.waitFor(() => expect(r.findByTestId(Text, 'no-lists').text).toBe('No HubSpot contact list has "zebra" in its name.'));
    expect(r.maybeFindByTestId(Select, 'list')).toBeNull();
    expect(fake.calls('POST', '/imports/hubspot-list')).toHaveLength(0);
  });
});
