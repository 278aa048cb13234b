import { BarChart, EmptyState, Flex, Heading, LineChart, Statistics, StatisticsItem, Text } from '@hubspot/ui-extensions';
import { formatCount, formatDuration, formatPercent, outcomeLabel } from '../lib/format';
import type { CampaignAnalytics } from '../lib/page-types';

// The campaign's results (GET /api/v1/analytics/campaigns/:campaignId): headline figures, the
// outcome mix, connect rate by day and, for an A/B test, by variant.
export function CampaignAnalyticsPanel({ analytics }: { analytics: CampaignAnalytics }) {
  const t = analytics.totals;
  if (!t.finished) {
    return (
      <EmptyState title="No finished calls yet" layout="horizontal" imageWidth={80}>
        <Text>Results appear here as calls end.</Text>
      </EmptyState>
    );
  }
  const outcomes = Object.entries(analytics.byOutcome).map(([outcome, calls]) => ({ outcome: outcomeLabel(outcome), calls }));
  const byDay = analytics.byDay.map((d) => ({ day: d.day, rate: d.finished ? Math.round((d.connected / d.finished) * 1000) / 10 : 0 }));
  const variants = analytics.byVariant.filter((v) => v.label).map((v) => ({ variant: `Variant ${v.label}`, rate: Math.round((v.rates.connected ?? 0) * 1000) / 10 }));
  return (
    <Flex direction="column" gap="md">
      <Statistics>
        <StatisticsItem label="Calls finished" number={formatCount(t.finished)} />
        <StatisticsItem label="Connect rate" number={formatPercent(analytics.rates.connected)} />
        <StatisticsItem label="Voicemail" number={formatPercent(analytics.rates.voicemail)} />
        <StatisticsItem label="Average talk time" number={formatDuration(analytics.duration.avgSec)} />
        <StatisticsItem label="Opted out" number={formatCount(t.optedOut)} />
        <StatisticsItem label="Cost" number={`$${analytics.cost.totalUsd.toFixed(2)}`} />
      </Statistics>
      <Heading>Outcomes</Heading>
      <BarChart testId="outcomes-chart" data={outcomes} axes={{ x: { field: 'outcome', fieldType: 'category', label: 'Outcome' }, y: { field: 'calls', fieldType: 'linear', label: 'Calls' } }} options={{ showDataLabels: true }} />
      {byDay.length > 0 && (
        <>
          <Heading>Connect rate by day</Heading>
          <LineChart testId="connect-rate-chart" data={byDay} axes={{ x: { field: 'day', fieldType: 'datetime', label: 'Day' }, y: { field: 'rate', fieldType: 'linear', label: 'Connected (%)' } }} />
        </>
      )}
      {variants.length > 1 && (
        <>
          <Heading>By variant</Heading>
          <BarChart testId="variant-chart" data={variants} axes={{ x: { field: 'variant', fieldType: 'category', label: 'Script variant' }, y: { field: 'rate', fieldType: 'linear', label: 'Connected (%)' } }} />
        </>
      )}
    </Flex>
  );
}
