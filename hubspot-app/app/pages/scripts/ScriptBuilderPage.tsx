import { useState } from 'react';
import { Alert, Button, ButtonRow, ErrorState, Flex, Heading, LoadingSpinner, Tab, Tabs, Text, TextArea } from '@hubspot/ui-extensions';
import { PageBreadcrumbs, PageTitle, usePageRoute } from '@hubspot/ui-extensions/pages';
import { useApp } from '../lib/app-context';
import { useAction } from '../lib/use-action';
import { useBackendData } from '../lib/use-backend-data';
import { BackendError } from '../lib/backend-client';
import { NodeEditor } from './NodeEditor';
import { ScriptSimulator } from './ScriptSimulator';
import { issuesByNode, newNode, type ScriptGraph, type ScriptIssue, type ScriptNode } from './script-graph';

// The script builder: nodes and their edges edited in place, or the whole graph as JSON; the
// backend's validator reports problems with the node they belong to, shown on that node; save
// the draft, publish an immutable version, and try the draft in the simulator.

interface ScriptView {
  id: string;
  name: string;
  draft: ScriptGraph;
  draftRevision: number;
  latestVersion: number;
}

export function ScriptBuilderPage() {
  const { backend, actions } = useApp();
  const scriptId = usePageRoute().params.scriptId ?? '';
  const loaded = useBackendData(() => backend.get<ScriptView>(`/scripts/${scriptId}`), [scriptId]);
  if (loaded.state.status === 'loading') return <LoadingSpinner label="Loading the script…" />;
  if (loaded.state.status === 'error') {
    return (
      <ErrorState title="The script could not be loaded">
        <Text testId="load-error">{loaded.state.message}</Text>
        <Button onClick={loaded.reload}>Try again</Button>
      </ErrorState>
    );
  }
  return <Builder key={`${loaded.state.data.id}-${loaded.state.data.draftRevision}`} script={loaded.state.data} onSaved={loaded.reload} addAlert={actions.addAlert} />;
}

function Builder({ script, onSaved, addAlert }: { script: ScriptView; onSaved(): void; addAlert(a: { type?: 'success' | 'danger'; message: string }): void }) {
  const { backend } = useApp();
  const [graph, setGraph] = useState<ScriptGraph>(script.draft);
  const [json, setJson] = useState(() => JSON.stringify(script.draft, null, 2));
  const [issues, setIssues] = useState<{ errors: ScriptIssue[]; warnings: ScriptIssue[] } | null>(null);
  const action = useAction();

  const update = (next: ScriptGraph) => {
    setGraph(next);
    setJson(JSON.stringify(next, null, 2));
  };
  const setNode = (i: number, node: ScriptNode) => update({ ...graph, nodes: graph.nodes.map((n, j) => (j === i ? node : n)) });
  const validate = () =>
    action.run(async () => {
      const r = await backend.post<{ valid: boolean; errors: ScriptIssue[]; warnings: ScriptIssue[] }>(`/scripts/${script.id}/validate`, { graph });
      setIssues({ errors: r.errors, warnings: r.warnings });
      return r.valid;
    });
  const save = () =>
    action.run(async () => {
      const check = await backend.post<{ valid: boolean; errors: ScriptIssue[]; warnings: ScriptIssue[] }>(`/scripts/${script.id}/validate`, { graph });
      setIssues({ errors: check.errors, warnings: check.warnings });
      if (!check.valid) throw new BackendError('SCRIPT_INVALID', 422, `Not saved: ${check.errors.length} problem(s), shown on the nodes.`);
      await backend.patch(`/scripts/${script.id}`, { draftRevision: script.draftRevision, graph });
      addAlert({ type: 'success', message: 'Draft saved.' });
      onSaved();
    });
  const publish = () =>
    action.run(async () => {
      const r = await backend.post<{ version: { version: number } }>(`/scripts/${script.id}/publish`, { draftRevision: script.draftRevision });
      addAlert({ type: 'success', message: `Published as version ${r.version.version}.` });
      onSaved();
    });
  const applyJson = () =>
    action.run(async () => {
      try {
        update(JSON.parse(json) as ScriptGraph);
      } catch (err) {
        throw new BackendError('SCRIPT_NOT_JSON', 0, `The JSON could not be read: ${(err as Error).message}`);
      }
    });

  const byNode = issuesByNode(issues?.errors ?? []);
  const general = byNode.get('') ?? [];
  return (
    <Flex direction="column" gap="md">
      <PageBreadcrumbs>
        <PageBreadcrumbs.PageLink to="/scripts">Scripts</PageBreadcrumbs.PageLink>
        <PageBreadcrumbs.Current>{script.name}</PageBreadcrumbs.Current>
      </PageBreadcrumbs>
      <PageTitle>{script.name}</PageTitle>
      <Text variant="microcopy">
        Draft revision {script.draftRevision} · {script.latestVersion ? `latest published version ${script.latestVersion}` : 'not published yet'}
      </Text>
      <ButtonRow>
        <Button testId="validate" disabled={action.busy} onClick={() => void validate()}>
          Check
        </Button>
        <Button testId="save" disabled={action.busy} onClick={() => void save()}>
          Save draft
        </Button>
        <Button testId="publish" variant="primary" disabled={action.busy} onClick={() => void publish()}>
          Publish saved draft
        </Button>
      </ButtonRow>
      {action.error && <Alert testId="builder-error" title="Not done" variant="danger">{action.error}</Alert>}
      {issues && issues.errors.length === 0 && <Alert testId="valid" title="No problems found" variant="success">{issues.warnings.map((w) => w.message).join(' ') || 'The script can be published.'}</Alert>}
      {general.map((i, k) => (
        <Alert key={k} title={i.code} variant="danger">
          {i.path}: {i.message}
        </Alert>
      ))}
      <Tabs defaultSelected="nodes">
        <Tab tabId="nodes" title="Nodes">
          <Flex direction="column" gap="sm">
            {graph.nodes.map((n, i) => (
              <NodeEditor key={`${n.id}-${i}`} graph={graph} node={n} issues={byNode.get(n.id) ?? []} onChange={(node) => setNode(i, node)} onRemove={() => update({ ...graph, nodes: graph.nodes.filter((_, j) => j !== i) })} />
            ))}
            <ButtonRow>
              {(['say', 'ask', 'branch', 'end', 'transfer'] as const).map((t) => (
                <Button key={t} testId={`add-${t}`} size="xs" variant="secondary" onClick={() => update({ ...graph, nodes: [...graph.nodes, newNode(t, graph)] })}>
                  Add {t}
                </Button>
              ))}
            </ButtonRow>
          </Flex>
        </Tab>
        <Tab tabId="json" title="JSON">
          <Flex direction="column" gap="sm">
            <TextArea testId="graph-json" name="graphJson" label="The whole script as JSON" rows={20} value={json} onChange={setJson} />
            <Button testId="apply-json" variant="secondary" onClick={() => void applyJson()}>
              Apply JSON
            </Button>
          </Flex>
        </Tab>
        <Tab tabId="simulate" title="Simulator">
          <Heading>Try the saved draft</Heading>
          <ScriptSimulator backend={backend} scriptId={script.id} />
        </Tab>
      </Tabs>
    </Flex>
  );
}
