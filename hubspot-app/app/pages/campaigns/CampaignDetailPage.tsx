import { Button, DescriptionList, DescriptionListItem, Divider, ErrorState, Flex, Heading, LoadingSpinner, ProgressBar, Statistics, StatisticsItem, StatusTag, Text } from '@hubspot/ui-extensions';
import { PageBreadcrumbs, PageTitle, usePageRoute } from '@hubspot/ui-extensions/pages';
import { useApp } from '../lib/app-context';
import { useBackendData } from '../lib/use-backend-data';
import { formatCount, stateLabel } from '../lib/format';
import type { CampaignAnalytics, CampaignDto, CampaignProgress, SkipPreview } from '../lib/page-types';
import { CampaignControls } from './CampaignControls';
import { CampaignAnalyticsPanel } from './CampaignAnalyticsPanel';
import { SkipPreviewPanel } from './SkipPreviewPanel';
import { stateVariant } from './CampaignsListPage';

// One campaign: its controls, live progress (refreshed every few seconds), who will be skipped
// before it starts, and its results as statistics and charts.

const SKIP_REASON_WORDS: Record<string, string> = {
  dnc: 'on the do-not-call list',
  no_consent: 'without consent',
  invalid_number: 'invalid number',
  max_attempts: 'attempts used up',
  campaign_ended: 'campaign ended',
  workflow_expired: 'workflow stopped waiting',
};

const DAYS = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

export function CampaignDetailPage() {
  const { backend, pollEveryMs = 5000 } = useApp();
  const { params } = usePageRoute();
  const campaignId = params.campaignId ?? '';
  const { state, reload, refresh } = useBackendData(
    async () => {
      const [campaign, progress] = await Promise.all([backend.get<CampaignDto>(`/campaigns/${campaignId}`), backend.get<CampaignProgress>(`/campaigns/${campaignId}/progress`)]);
      // Results and the start preview are extras: the page still shows the campaign without them.
      const analytics = campaign.state === 'draft' ? null : await backend.get<CampaignAnalytics>(`/analytics/campaigns/${campaignId}`).catch(() => null);
      const preview =
        campaign.state === 'draft' && campaign.segmentId
          ? await backend.post<SkipPreview>(`/segments/${campaign.segmentId}/preview`, { callingWindow: campaign.callingWindow, minConsent: campaign.minConsent, sampleSize: 0 }).catch(() => null)
          : null;
      return { campaign, progress, analytics, preview };
    },
    [campaignId],
    { pollEveryMs },
  );

  if (state.status === 'loading') return <LoadingSpinner label="Loading the campaign…" />;
  if (state.status === 'error') {
    return (
      <ErrorState title="The campaign could not be loaded">
        <Text testId="load-error">{state.message}</Text>
        <Button onClick={reload}>Try again</Button>
      </ErrorState>
    );
  }
  const { campaign, progress, analytics, preview } = state.data;
  const skipped = Object.entries(progress.skippedByReason);
  return (
    <Flex direction="column" gap="md">
      <PageBreadcrumbs>
        <PageBreadcrumbs.PageLink to="/">Campaigns</PageBreadcrumbs.PageLink>
        <PageBreadcrumbs.Current>{campaign.name}</PageBreadcrumbs.Current>
      </PageBreadcrumbs>
      <Flex direction="row" gap="sm" align="center">
        <PageTitle>{campaign.name}</PageTitle>
        <StatusTag testId="state" variant={stateVariant(campaign.state)}>
          {stateLabel(campaign.state)}
        </StatusTag>
      </Flex>
      {campaign.stateReason && <Text>{campaign.stateReason}</Text>}
      <CampaignControls backend={backend} campaignId={campaign.id} state={campaign.state} openEnrollment={campaign.openEnrollment} onChanged={refresh} />
      {campaign.state === 'draft' && preview && <SkipPreviewPanel preview={preview} />}
      <DescriptionList direction="row">
        <DescriptionListItem label="Calling window">
          <Text>
            {campaign.callingWindow.start}–{campaign.callingWindow.end} {campaign.callingWindow.daysOfWeek.map((d) => DAYS[d]).join(', ')} ({campaign.callingWindow.timeZone ?? "contact's local time"})
          </Text>
        </DescriptionListItem>
        <DescriptionListItem label="Pacing">
          <Text>
            {campaign.pacing.maxConcurrent} at once · {campaign.pacing.callsPerMinute}/min · up to {campaign.maxAttempts} attempts
          </Text>
        </DescriptionListItem>
        <DescriptionListItem label="Script">
          <Text>{campaign.variants.length > 1 ? `${campaign.variants.length} variants (A/B)` : '1 script version'}</Text>
        </DescriptionListItem>
        <DescriptionListItem label="Enrollment">
          <Text testId="enrollment">{campaign.openEnrollment ? 'Open: workflows may add contacts until it is closed' : 'Closed: completes when its contacts are done'}</Text>
        </DescriptionListItem>
      </DescriptionList>
      <Divider />
      <Heading>Progress</Heading>
      <ProgressBar testId="progress" value={progress.final} maxValue={Math.max(progress.total, 1)} showPercentage valueDescription={`${formatCount(progress.final)} of ${formatCount(progress.total)} contacts finished`} />
      <Statistics>
        <StatisticsItem label="Contacts" number={formatCount(progress.total)} />
        <StatisticsItem label="On the phone" number={formatCount(progress.live)} />
        <StatisticsItem label="Done" number={formatCount(progress.byState.done ?? 0)} />
        <StatisticsItem label="Will retry" number={formatCount(progress.byState.retry_wait ?? 0)} />
        <StatisticsItem label="Skipped" number={formatCount(progress.byState.skipped ?? 0)} />
      </Statistics>
      {skipped.length > 0 && (
        <Text testId="skipped-reasons">
          Not called: {skipped.map(([reason, n]) => `${formatCount(n)} ${SKIP_REASON_WORDS[reason] ?? reason.replace(/_/g, ' ')}`).join(', ')}
        </Text>
      )}
      {analytics && (
        <>
          <Divider />
          <Heading>Results</Heading>
          <CampaignAnalyticsPanel analytics={analytics} />
        </>
      )}
    </Flex>
  );
}
