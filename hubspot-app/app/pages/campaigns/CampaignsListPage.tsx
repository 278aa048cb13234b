import { Button, EmptyState, ErrorState, Flex, LoadingSpinner, ProgressBar, StatusTag, Table, TableBody, TableCell, TableHead, TableHeader, TableRow, Text } from '@hubspot/ui-extensions';
import { PageLink, PageTitle } from '@hubspot/ui-extensions/pages';
import { useApp } from '../lib/app-context';
import { useBackendData } from '../lib/use-backend-data';
import { formatCount, formatWhen, stateLabel } from '../lib/format';
import type { CampaignDto, CampaignProgress } from '../lib/page-types';

// The campaigns, newest first, with live progress for those still calling (refreshed every few
// seconds). One-off "Call now" campaigns from contact cards are left out.

const LIVE_STATES = ['scheduled', 'running', 'paused'];

export const stateVariant = (state: string) =>
  (({ running: 'success', paused: 'warning', scheduled: 'info', cancelled: 'danger' }) as Record<string, 'success' | 'warning' | 'info' | 'danger'>)[state] ?? 'default';

export function CampaignsListPage() {
  const { backend, pollEveryMs = 5000, timeZone, actions } = useApp();
  const { state, reload } = useBackendData(
    async () => {
      const list = await backend.get<{ data: CampaignDto[] }>('/campaigns', { limit: 50 });
      const campaigns = list.data.filter((c) => !c.createdBy?.startsWith('call-now'));
      const live = campaigns.filter((c) => LIVE_STATES.includes(c.state));
      const progress = await Promise.all(live.map((c) => backend.get<CampaignProgress>(`/campaigns/${c.id}/progress`).catch(() => null)));
      return { campaigns, progress: new Map(live.map((c, i) => [c.id, progress[i] ?? null])) };
    },
    [],
    { pollEveryMs },
  );

  const header = (
    <Flex direction="row" justify="between" align="center">
      <PageTitle>Campaigns</PageTitle>
      <Button testId="new-campaign" variant="primary" onClick={() => actions.navigateToPage({ to: '/campaigns/new' })}>
        New campaign
      </Button>
    </Flex>
  );
  if (state.status === 'loading') return <Flex direction="column" gap="md">{header}<LoadingSpinner label="Loading campaigns…" />{state.slow && <Text>The calling service is slow to answer…</Text>}</Flex>;
  if (state.status === 'error') {
    return (
      <Flex direction="column" gap="md">
        {header}
        <ErrorState title="Campaigns could not be loaded">
          <Text testId="load-error">{state.message}</Text>
          <Button onClick={reload}>Try again</Button>
        </ErrorState>
      </Flex>
    );
  }
  const { campaigns, progress } = state.data;
  if (campaigns.length === 0) {
    return (
      <Flex direction="column" gap="md">
        {header}
        <EmptyState title="No campaigns yet" imageName="callingSetUp">
          <Text>Create a campaign: choose who to call (a HubSpot list or a CSV file), a published script and when to call.</Text>
        </EmptyState>
      </Flex>
    );
  }
  return (
    <Flex direction="column" gap="md">
      {header}
      <Table bordered>
        <TableHead>
          <TableRow>
            <TableHeader>Campaign</TableHeader>
            <TableHeader>State</TableHeader>
            <TableHeader>Progress</TableHeader>
            <TableHeader>Created</TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          {campaigns.map((c) => {
            const p = progress.get(c.id);
            return (
              <TableRow key={c.id}>
                <TableCell>
                  <PageLink to={`/campaigns/${c.id}`}>{c.name}</PageLink>
                </TableCell>
                <TableCell>
                  <StatusTag variant={stateVariant(c.state)}>{stateLabel(c.state)}</StatusTag>
                </TableCell>
                <TableCell>
                  {p ? (
                    <ProgressBar testId={`progress-${c.id}`} value={p.final} maxValue={Math.max(p.total, 1)} valueDescription={`${formatCount(p.final)} of ${formatCount(p.total)} done · ${p.live} on the phone`} />
                  ) : (
                    <Text variant="microcopy">—</Text>
                  )}
                </TableCell>
                <TableCell>{formatWhen(c.createdAt, timeZone)}</TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </Flex>
  );
}
