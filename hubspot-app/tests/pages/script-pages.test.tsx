import { Alert, Button, EmptyState, ErrorState, Input, LoadingSpinner, Select, TableRow, Text, TextArea } from '@hubspot/ui-extensions';
import { PageLink } from '@hubspot/ui-extensions/pages';
import { renderPage } from './page-harness';
import { heldReply, tick } from '../support/fake-backend';

// The scripts list and the builder: nodes edited in place, the JSON view, the validator's
// messages on their node, saving against the draft revision, publishing, and the simulator.

const graph = () => ({
  schemaVersion: 1,
  compliance: { callerName: 'Alex', companyName: 'Acme Solar' },
  start: 'greet',
  fallbacks: { 'contact.firstName': 'there' },
  nodes: [
    { id: 'greet', type: 'say', text: 'Hi {{contact.firstName}}.', next: 'ask_interest' },
    { id: 'ask_interest', type: 'ask', text: 'Interested?', answer: { name: 'interested', type: 'yes_no' }, next: 'route' },
    { id: 'route', type: 'branch', edges: [{ when: { '==': [{ var: 'answers.interested' }, true] }, to: 'yes' }], else: 'no' },
    { id: 'yes', type: 'end', disposition: 'interested', text: 'Great!' },
    { id: 'no', type: 'end', disposition: 'not_interested', text: 'No problem.' },
  ],
  dispositionRules: [],
});
const script = (o: Record<string, unknown> = {}) => ({ id: 's-1', name: 'Solar qualifier', draft: graph(), draftRevision: 4, latestVersion: 1, ...o });

describe('scripts list', () => {
  it('lists scripts with their published version, and creates one', async () => {
    const { fake, r, render, actions } = renderPage('/scripts');
    fake.on('GET', '/scripts', { body: { scripts: [{ id: 's-1', name: 'Solar qualifier', latestVersion: 3, updatedAt: '2026-11-20T15:00:00.000Z' }, { id: 's-2', name: 'Renewals', latestVersion: 0, updatedAt: '2026-11-21T15:00:00.000Z' }] } });
    fake.on('POST', '/scripts', { status: 201, body: { id: 's-9' } });
    render();
    await r.waitFor(() => expect(r.findAll(TableRow)).toHaveLength(3));
    expect(r.findAll(PageLink).map((l) => l.props.to)).toEqual(['/scripts/s-1', '/scripts/s-2']);
    r.findByTestId(Input, 'new-script-name').trigger('onChange', 'Winter' as never);
    await tick();
    r.findByTestId(Button, 'create-script').trigger('onClick');
    await r.waitFor(() => expect(actions.navigateToPage).toHaveBeenCalledWith({ to: '/scripts/s-9' }));
    expect(fake.calls('POST', '/scripts')[0]!.body).toEqual({ name: 'Winter' });
  });

  it('shows an empty state when there are none', async () => {
    const { fake, r, render } = renderPage('/scripts');
    fake.on('GET', '/scripts', { body: { scripts: [] } });
    render();
    await r.waitFor(() => expect(r.find(EmptyState).props.title).toBe('No scripts yet'));
  });

  it('shows a spinner while loading, and a readable error with retry', async () => {
    const slow = renderPage('/scripts');
    const held = heldReply({ body: { scripts: [] } });
    slow.fake.on('GET', '/scripts', held.reply);
    slow.render();
    expect(slow.r.find(LoadingSpinner).props.label).toBe('Loading scripts…');
    expect(slow.r.maybeFind(TableRow)).toBeNull();
    held.release();
    await slow.r.waitFor(() => expect(slow.r.find(EmptyState).props.title).toBe('No scripts yet'));
    expect(slow.r.maybeFind(LoadingSpinner)).toBeNull();

    const { fake, r, render } = renderPage('/scripts');
    fake.on('GET', '/scripts', { status: 503, body: {} }, { body: { scripts: [{ id: 's-1', name: 'Solar qualifier', latestVersion: 1, updatedAt: '2026-11-20T15:00:00.000Z' }] } });
    render();
    await r.waitFor(() => expect(r.find(ErrorState).props.title).toBe('Scripts could not be loaded'));
    expect(r.findByTestId(Text, 'load-error').text).toBe('The calling service had a problem (HTTP 503). Try again in a moment.');
    // Creating a script stays possible while the list is down.
    expect(r.findByTestId(Input, 'new-script-name')).toBeTruthy();
    r.find(ErrorState).find(Button).trigger('onClick');
    await r.waitFor(() => expect(r.findAll(TableRow)).toHaveLength(2));
    expect(fake.calls('GET', '/scripts')).toHaveLength(2);
  });
});

describe('script builder', () => {
  it('shows a spinner while the script loads, and a readable error with retry', async () => {
    const slow = renderPage('/scripts/s-1');
    const held = heldReply({ body: script() });
    slow.fake.on('GET', '/scripts/s-1', held.reply);
    slow.render();
    expect(slow.r.find(LoadingSpinner).props.label).toBe('Loading the script…');
    expect(slow.r.maybeFindByTestId(Button, 'save')).toBeNull();
    held.release();
    await slow.r.waitFor(() => expect(slow.r.findByTestId(Button, 'save')).toBeTruthy());
    expect(slow.r.maybeFind(LoadingSpinner)).toBeNull();

    const { fake, r, render } = renderPage('/scripts/s-404');
    fake.on('GET', '/scripts/s-404', { status: 404, body: { error: { code: 'SCRIPT_NOT_FOUND', message: 'No script with that id exists in this portal.' } } }, 'network-error');
    render();
    await r.waitFor(() => expect(r.find(ErrorState).props.title).toBe('The script could not be loaded'));
    expect(r.findByTestId(Text, 'load-error').text).toBe('No script with that id exists in this portal.');
    r.find(ErrorState).find(Button).trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Text, 'load-error').text).toMatch(/did not answer in time/));
    expect(fake.calls('GET', '/scripts/s-404')).toHaveLength(2);
    expect(r.maybeFindByTestId(Button, 'save')).toBeNull();
  });

  it('edits a branch condition from fields and operators, saves it against the draft revision', async () => {
    const { fake, r, render, actions } = renderPage('/scripts/s-1');
    fake.on('GET', '/scripts/s-1', { body: script() }, { body: script({ draftRevision: 5 }) });
    fake.on('POST', '/scripts/s-1/validate', { body: { valid: true, errors: [], warnings: [] } });
    fake.on('PATCH', '/scripts/s-1', { body: script({ draftRevision: 5 }) });
    render();
    await r.waitFor(() => expect(r.find(Select, { name: 'edge-var-route-0' }).props.value).toBe('answers.interested'));
    expect(r.find(Select, { name: 'edge-var-route-0' }).props.options.map((o) => o.value)).toEqual(['answers.interested', 'contact.firstName', 'contact.company', 'call.attemptNumber', 'call.localHour']);
    r.find(Input, { name: 'edge-value-route-0' }).trigger('onChange', 'no' as never);
    await tick();
    r.find(Select, { name: 'edge-to-route-0' }).trigger('onChange', 'no' as never);
    await tick();
    r.findByTestId(Button, 'save').trigger('onClick');
    await r.waitFor(() => expect(actions.addAlert).toHaveBeenCalledWith({ type: 'success', message: 'Draft saved.' }));
    const saved = fake.calls('PATCH', '/scripts/s-1')[0]!.body as { draftRevision: number; graph: ReturnType<typeof graph> };
    expect(saved.draftRevision).toBe(4);
    expect(saved.graph.nodes[2]).toEqual({ id: 'route', type: 'branch', edges: [{ when: { '==': [{ var: 'answers.interested' }, false] }, to: 'no' }], else: 'no' });
  });

  it('shows the validator’s messages on the node they belong to, and does not save', async () => {
    const { fake, r, render } = renderPage('/scripts/s-1');
    fake.on('GET', '/scripts/s-1', { body: script() });
    fake.on('POST', '/scripts/s-1/validate', {
      body: { valid: false, warnings: [], errors: [{ code: 'TARGET_UNKNOWN', nodeId: 'route', path: '$.nodes[2].else', message: 'The branch goes to "nowhere", which is not a node.' }, { code: 'START_UNKNOWN', path: '$.start', message: 'The start node does not exist.' }] },
    });
    render();
    await r.waitFor(() => expect(r.findByTestId(Button, 'save')).toBeTruthy());
    r.findByTestId(Button, 'save').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Alert, 'issue-route').text).toBe('The branch goes to "nowhere", which is not a node.'));
    expect(r.findByTestId(Alert, 'builder-error').text).toBe('Not saved: 2 problem(s), shown on the nodes.');
    expect(r.maybeFindByTestId(Alert, 'issue-greet')).toBeNull();
    expect(r.find(Alert, { title: 'START_UNKNOWN' }).text).toBe('$.start: The start node does not exist.');
    expect(fake.calls('PATCH', '/scripts/s-1')).toHaveLength(0);
  });

  it('adds nodes, applies JSON typed in the JSON view and refuses broken JSON in words', async () => {
    const { fake, r, render } = renderPage('/scripts/s-1');
    fake.on('GET', '/scripts/s-1', { body: script() });
    render();
    await r.waitFor(() => expect(r.findByTestId(Button, 'add-ask')).toBeTruthy());
    r.findByTestId(Button, 'add-ask').trigger('onClick');
    await r.waitFor(() => expect(JSON.parse(r.findByTestId(TextArea, 'graph-json').props.value as string).nodes.map((n: { id: string }) => n.id)).toEqual(['greet', 'ask_interest', 'route', 'yes', 'no', 'ask_6']));
    r.findByTestId(TextArea, 'graph-json').trigger('onChange', '{"nodes": [' as never);
    await tick();
    r.findByTestId(Button, 'apply-json').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Alert, 'builder-error').text).toMatch(/^The JSON could not be read/));
    const edited = { ...graph(), nodes: graph().nodes.map((n) => (n.id === 'greet' ? { ...n, text: 'Hello {{contact.firstName}}!' } : n)) };
    r.findByTestId(TextArea, 'graph-json').trigger('onChange', JSON.stringify(edited) as never);
    await tick();
    r.findByTestId(Button, 'apply-json').trigger('onClick');
    await r.waitFor(() => expect(r.find(TextArea, { name: 'text-greet' }).props.value).toBe('Hello {{contact.firstName}}!'));
  });

  it('publishes the saved draft and runs the simulator', async () => {
    const { fake, r, render, actions } = renderPage('/scripts/s-1');
    fake.on('GET', '/scripts/s-1', { body: script() });
    fake.on('POST', '/scripts/s-1/publish', { status: 201, body: { created: true, version: { version: 2 } } });
    fake.on('POST', '/scripts/s-1/simulate', {
      body: {
        source: 'draft',
        runs: [{ path: ['greet', 'ask_interest', 'route', 'yes'], status: 'ended', disposition: 'interested', steps: [{ nodeId: 'ask_interest', instruction: { say: 'Hi Ada. Interested?' } }, { nodeId: 'yes', instruction: { say: 'Great!' } }] }],
        coverage: { edgesTaken: 1, edgesTotal: 2 },
      },
    });
    render();
    await r.waitFor(() => expect(r.findByTestId(Button, 'publish')).toBeTruthy());
    r.findByTestId(Button, 'publish').trigger('onClick');
    await r.waitFor(() => expect(actions.addAlert).toHaveBeenCalledWith({ type: 'success', message: 'Published as version 2.' }));
    expect(fake.calls('POST', '/scripts/s-1/publish')[0]!.body).toEqual({ draftRevision: 4 });
    // Publishing reloads the script (its revision and version moved on).
    await r.waitFor(() => expect(r.findByTestId(Input, 'sim-answers')).toBeTruthy());
    expect(fake.calls('GET', '/scripts/s-1')).toHaveLength(2);
    r.findByTestId(Input, 'sim-answers').trigger('onChange', 'yes, 42, maybe' as never);
    await tick();
    r.findByTestId(Button, 'simulate').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Text, 'sim-outcome').text).toBe('Ended: ended · outcome interested · path greet → ask_interest → route → yes'));
    expect(fake.calls('POST', '/scripts/s-1/simulate')[0]!.body).toEqual({ version: 'draft', contact: { firstName: 'Ada' }, answers: [true, 42, 'maybe'] });
  });
});
