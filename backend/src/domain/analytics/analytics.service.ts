import { z } from 'zod';
import type { Db } from '../../platform/prisma';
import { notFound } from '../../platform/app-error';
import { readResultsSettings } from '../calls/results-settings';
import { NIL_UUID } from './call-rollup';
import { addRow, addToHistogram, costOf, durationOf, emptyCounts, ratesOf, type Counts, type Histogram } from './analytics-math';
import { countInProgress, readBreakdowns, readDurationHistograms, type AnalyticsScope } from './analytics-query';

// Campaign and portal analytics (issue 6 §5): totals and rates, duration and cost, by day, by
// script variant, top ended reasons, and at portal level by campaign. "Dialed" is every call the
// provider accepted (placedAt set): the finished ones from the rollups plus those still live.
// Dial-time refusals (Call rows "skipped_<reason>") are the audit of checks, never dialed calls.

const ZDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date as YYYY-MM-DD' }).refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), { message: 'is not a real date' });
export const ZAnalyticsQuery = z
  .object({ from: ZDay.optional(), to: ZDay.optional() })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['from'] });
export type TAnalyticsQuery = z.infer<typeof ZAnalyticsQuery>;

const TOP_REASONS = 10;

const countsView = (c: Counts, inProgress = 0) => ({
  dialed: c.finished + inProgress,
  finished: c.finished,
  inProgress,
  connected: c.connected,
  voicemail: c.voicemail,
  noAnswer: c.noAnswer,
  busy: c.busy,
  failed: c.failed,
  cancelled: c.cancelled,
  capacity: c.capacity,
  optedOut: c.optedOut,
  converted: c.converted,
});

export async function campaignAnalytics(db: Db, portalId: string, campaignId: string, query: TAnalyticsQuery) {
  // In parallel: the reads are scoped by portal too, so for another portal's campaign they find nothing.
  const [campaign, { byCampaign: _onlyOne, ...view }] = await Promise.all([
    db.campaign.findFirst({ where: { id: campaignId, portalId }, select: { id: true, name: true, state: true } }),
    analyticsFor(db, { portalId, campaignId, ...query }),
  ]);
  if (!campaign) throw notFound('campaign');
  return { campaign, ...view };
}

export async function portalAnalytics(db: Db, portalId: string, query: TAnalyticsQuery) {
  const view = await analyticsFor(db, { portalId, ...query });
  const ids = view.byCampaign.map((c) => c.campaignId).filter((id) => id !== NIL_UUID);
  const campaigns = ids.length ? await db.campaign.findMany({ where: { portalId, id: { in: ids } }, select: { id: true, name: true } }) : [];
  const names = new Map(campaigns.map((c) => [c.id, c.name]));
  return { ...view, byCampaign: view.byCampaign.map((c) => ({ ...c, campaignId: c.campaignId === NIL_UUID ? null : c.campaignId, name: names.get(c.campaignId) ?? null })) };
}

async function analyticsFor(db: Db, scope: AnalyticsScope) {
  const [portal, rows, hists, inProgress, campaignLabels] = await Promise.all([
    db.portal.findUniqueOrThrow({ where: { id: scope.portalId }, select: { settings: true } }),
    readBreakdowns(db, scope),
    readDurationHistograms(db, scope),
    countInProgress(db, scope),
    scope.campaignId ? variantLabels(db, scope.portalId, { campaignId: scope.campaignId }) : undefined,
  ]);
  const conversions = readResultsSettings(portal.settings).conversionDispositions;
  const conversionSet = new Set(conversions);

  const total = emptyCounts();
  const byDay = new Map<string, Counts>();
  const byVariant = new Map<string, Counts & { campaignId: string; variantId: string }>();
  const byCampaign = new Map<string, Counts>();
  const reasons = new Map<string, { endedReason: string; outcome: string; calls: number }>();
  const byOutcome: Record<string, number> = {};
  const byDisposition: Record<string, number> = {};
  for (const r of rows) {
    if (r.set === 'day') {
      addRow(total, r, conversionSet);
      const day = r.day!.toISOString().slice(0, 10);
      addRow(byDay.get(day) ?? byDay.set(day, emptyCounts()).get(day)!, r, conversionSet);
      byOutcome[r.outcome] = (byOutcome[r.outcome] ?? 0) + r.calls;
      if (r.disposition) byDisposition[r.disposition] = (byDisposition[r.disposition] ?? 0) + r.calls;
    } else if (r.set === 'variant') {
      const key = `${r.campaignId}:${r.variantId}`;
      addRow(byVariant.get(key) ?? byVariant.set(key, { ...emptyCounts(), campaignId: r.campaignId!, variantId: r.variantId! }).get(key)!, r, conversionSet);
    } else if (r.set === 'campaign') {
      addRow(byCampaign.get(r.campaignId!) ?? byCampaign.set(r.campaignId!, emptyCounts()).get(r.campaignId!)!, r, conversionSet);
    } else {
      reasons.set(`${r.endedReason}:${r.outcome}`, { endedReason: r.endedReason ?? '', outcome: r.outcome, calls: r.calls });
    }
  }
  const histAll: Histogram = new Map();
  const histByVariant = new Map<string, Histogram>();
  for (const h of hists) {
    const own: Histogram = new Map();
    h.seconds.forEach((sec, i) => {
      addToHistogram(own, sec, h.calls[i]!);
      addToHistogram(histAll, sec, h.calls[i]!);
    });
    histByVariant.set(`${h.campaignId}:${h.variantId}`, own);
  }
  const labels = campaignLabels ?? (await variantLabels(db, scope.portalId, { ids: [...byVariant.values()].map((v) => v.variantId) }));

  return {
    range: { from: scope.from ?? null, to: scope.to ?? null },
    conversionDispositions: conversions,
    totals: countsView(total, inProgress),
    rates: ratesOf(total),
    duration: durationOf(total, histAll),
    cost: costOf(total),
    byOutcome,
    byDisposition,
    byDay: [...byDay.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([day, c]) => ({ day, ...countsView(c), costUsd: costOf(c).totalUsd, connectedSec: durationOf(c, new Map()).connectedSec })),
    byVariant: [...byVariant.entries()].map(([key, c]) => ({
      variantId: c.variantId === NIL_UUID ? null : c.variantId,
      label: labels.get(c.variantId) ?? null,
      ...(scope.campaignId ? {} : { campaignId: c.campaignId === NIL_UUID ? null : c.campaignId }),
      ...countsView(c),
      rates: ratesOf(c),
      duration: durationOf(c, histByVariant.get(key) ?? new Map()),
      cost: costOf(c),
    })),
    topEndedReasons: [...reasons.values()].sort((a, b) => b.calls - a.calls || (a.endedReason < b.endedReason ? -1 : 1)).slice(0, TOP_REASONS),
    byCampaign: [...byCampaign.entries()].map(([campaignId, c]) => ({ campaignId, ...countsView(c), rates: ratesOf(c), cost: costOf(c) })),
  };
}

async function variantLabels(db: Db, portalId: string, which: { campaignId: string } | { ids: string[] }): Promise<Map<string, string>> {
  const ids = 'ids' in which ? which.ids.filter((id) => id !== NIL_UUID) : null;
  if (ids && !ids.length) return new Map();
  const variants = await db.campaignVariant.findMany({ where: { portalId, ...(ids ? { id: { in: ids } } : { campaignId: (which as { campaignId: string }).campaignId }) }, select: { id: true, label: true } });
  return new Map(variants.map((v) => [v.id, v.label]));
}

