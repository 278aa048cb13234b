import { useState } from 'react';
import { Alert, Button, ButtonRow, Divider, Flex, Heading, Input, Select, Text } from '@hubspot/ui-extensions';
import { PageBreadcrumbs, PageTitle } from '@hubspot/ui-extensions/pages';
import { useApp } from '../lib/app-context';
import { useAction } from '../lib/use-action';
import { BackendError } from '../lib/backend-client';
import { useBackendData } from '../lib/use-backend-data';
import type { SkipPreview } from '../lib/page-types';
import { AudienceSection, type AudienceState } from './AudienceSection';
import { DEFAULT_SCHEDULE, ScheduleSection, scheduleBody, type ScheduleState } from './ScheduleSection';
import { SkipPreviewPanel } from './SkipPreviewPanel';
import { InlineLoadStatus } from '../components/InlineLoadStatus';
import { parseRuleJson, ruleFromConditions } from './rule-builder';

// Creating a campaign: who (all contacts, a HubSpot list or a CSV file, narrowed by a rule),
// which published script, when and how fast, and retries; then the preview of who will be
// skipped and why, before anything is created. The backend validates everything again and
// answers any problem in a sentence, shown here.

interface ScriptOption {
  label: string;
  value: string;
}

async function publishedVersions(get: <T>(path: string) => Promise<T>): Promise<ScriptOption[]> {
  const { scripts } = await get<{ scripts: Array<{ id: string; name: string; latestVersion: number }> }>('/scripts');
  const published = scripts.filter((s) => s.latestVersion > 0).slice(0, 20);
  const versions = await Promise.all(published.map((s) => get<{ versions: Array<{ id: string; version: number }> }>(`/scripts/${s.id}/versions`)));
  return published.flatMap((s, i) => (versions[i]?.versions ?? []).map((v) => ({ label: `${s.name} (v${v.version})`, value: v.id })));
}

export function CampaignCreatePage() {
  const { backend, actions } = useApp();
  const scripts = useBackendData(() => publishedVersions((p) => backend.get(p)), []);
  const [name, setName] = useState('');
  const [versionId, setVersionId] = useState('');
  const [audience, setAudience] = useState<AudienceState>({ source: 'all', listId: '', listName: '', importId: null, importLabel: null, conditions: [], jsonMode: false, ruleJson: '' });
  const [schedule, setSchedule] = useState<ScheduleState>(DEFAULT_SCHEDULE);
  const [preview, setPreview] = useState<SkipPreview | null>(null);
  const previewing = useAction();
  const creating = useAction();

  const rule = (): unknown => {
    if (!audience.jsonMode) return ruleFromConditions(audience.conditions);
    const parsed = parseRuleJson(audience.ruleJson);
    if (!parsed.ok) throw new BackendError('RULE_NOT_JSON', 0, parsed.message);
    return parsed.rule;
  };
  const runPreview = () =>
    previewing.run(async () => {
      const body = scheduleBody(schedule);
      setPreview(await backend.post<SkipPreview>('/segments/preview', { rule: rule(), importId: audience.importId, callingWindow: body.callingWindow, minConsent: body.minConsent, sampleSize: 0 }));
    });
  const create = (start: boolean) =>
    creating.run(async () => {
      const segment = await backend.post<{ id: string }>('/segments', { name: `${name.trim()} audience`, rule: rule(), importId: audience.importId });
      const campaign = await backend.post<{ id: string }>('/campaigns', { name: name.trim(), segmentId: segment.id, scriptVersionId: versionId, ...scheduleBody(schedule) });
      if (start) await backend.post(`/campaigns/${campaign.id}/start`, {});
      actions.addAlert({ type: 'success', message: start ? `"${name.trim()}" is starting.` : `"${name.trim()}" was saved as a draft.` });
      actions.navigateToPage({ to: `/campaigns/${campaign.id}` });
    });
  const needs = [!name.trim() && 'a name', !versionId && 'a script', audience.source !== 'all' && !audience.importId && 'the contacts to import'].filter(Boolean) as string[];

  return (
    <Flex direction="column" gap="md">
      <PageBreadcrumbs>
        <PageBreadcrumbs.PageLink to="/">Campaigns</PageBreadcrumbs.PageLink>
        <PageBreadcrumbs.Current>New campaign</PageBreadcrumbs.Current>
      </PageBreadcrumbs>
      <PageTitle>New campaign</PageTitle>
      <Input testId="name" name="name" label="Campaign name" required value={name} onChange={setName} />
      <Heading>Who to call</Heading>
      <AudienceSection backend={backend} openIframeModal={actions.openIframeModal} value={audience} onChange={(a) => { setAudience(a); setPreview(null); }} />
      <Divider />
      <Heading>Script</Heading>
      <InlineLoadStatus state={scripts.state} loadingLabel="Loading published scripts…" testIdPrefix="scripts" onRetry={scripts.reload} />
      {scripts.state.status === 'ready' &&
        (scripts.state.data.length === 0 ? (
          <Text testId="no-scripts">No published script yet: publish one in Scripts first.</Text>
        ) : (
          <Select testId="script" name="script" label="Script version" required options={scripts.state.data} value={versionId} onChange={(v) => setVersionId(String(v))} />
        ))}
      <Divider />
      <Heading>When and how fast</Heading>
      <ScheduleSection value={schedule} onChange={(s) => { setSchedule(s); setPreview(null); }} />
      <Divider />
      <Heading>Before you start</Heading>
      <Button testId="preview" variant="secondary" disabled={previewing.busy || (audience.source !== 'all' && !audience.importId)} onClick={() => void runPreview()}>
        Preview who will be called
      </Button>
      {previewing.error && <Alert testId="preview-error" title="No preview" variant="warning">{previewing.error}</Alert>}
      {preview && <SkipPreviewPanel preview={preview} />}
      {needs.length > 0 && <Text testId="needs">Still needed: {needs.join(', ')}.</Text>}
      <ButtonRow>
        <Button testId="create" disabled={needs.length > 0 || creating.busy} onClick={() => void create(false)}>
          Save as draft
        </Button>
        <Button testId="create-and-start" variant="primary" disabled={needs.length > 0 || creating.busy || !preview} onClick={() => void create(true)}>
          Create and start
        </Button>
      </ButtonRow>
      {creating.error && <Alert testId="create-error" title="The campaign was not created" variant="danger">{creating.error}</Alert>}
    </Flex>
  );
}
