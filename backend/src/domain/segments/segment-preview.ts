// Preview: how many contacts a rule selects, a few of them, and how many a campaign would skip
// and why, under stated assumptions (instant, consent floor, calling window) that default to the
// portal's own.
import type { Db } from '../../platform/prisma';
import { Prisma } from '../../platform/prisma';
import { AppError, notFound } from '../../platform/app-error';
import { validateCampaignWindow } from '../compliance/calling-window-validation';
import { portalCallingDefaults } from '../campaigns/campaign-defaults';
import { assertValidSegmentRule } from './segment-rule-validation';
import { compileSegmentRule } from './segment-rule-compile';
import { countSegment, scanSegment, scopeWhere, type SegmentContact, type SegmentScope } from './segment-scan';
import { addSkipCounts, emptySkipCounts, type SkipAssumptions } from './segment-skip-breakdown';
import { assertImportInPortal, getSegmentRow } from './segment.service';
import type { TPreviewOptions, TPreviewUnsaved } from './segment.schemas';

async function assumptionsFor(db: Db, portalId: string, opts: TPreviewOptions): Promise<SkipAssumptions> {
  const portal = await db.portal.findUnique({ where: { id: portalId } });
  if (!portal) throw notFound('portal');
  const d = portalCallingDefaults(portal);
  const window = opts.callingWindow
    ? { start: opts.callingWindow.start, end: opts.callingWindow.end, daysOfWeek: opts.callingWindow.daysOfWeek, timeZone: opts.callingWindow.timeZone ?? null }
    : { ...d.window, timeZone: null };
  const problems = validateCampaignWindow(window);
  if (problems.length) throw new AppError('VALIDATION_FAILED', 400, problems[0]!.message, { issues: problems });
  return { now: opts.at ? new Date(opts.at) : new Date(), minConsent: opts.minConsent ?? d.minConsent, window, portalTimeZone: d.timeZone };
}

async function runPreview(db: Db, scope: SegmentScope, a: SkipAssumptions, sampleSize: number) {
  const skipped = emptySkipCounts();
  const memo = new Map<string, Promise<boolean>>();
  const sample: SegmentContact[] = [];
  let count: number;
  if (scope.compiled.mode === 'sql') {
    count = await countSegment(db, scope);
    await addSkipCounts(db, scopeWhere(scope), a, skipped, memo);
    if (sampleSize > 0) {
      const first = await scanSegment(db, scope, { batchSize: sampleSize }).next();
      if (!first.done) sample.push(...first.value);
    }
  } else {
    // Node decides membership: each page's matches are counted and their skips tallied by id.
    count = 0;
    for await (const batch of scanSegment(db, scope)) {
      count += batch.length;
      if (sample.length < sampleSize) sample.push(...batch.slice(0, sampleSize - sample.length));
      const ids = batch.map((c) => c.id);
      await addSkipCounts(db, Prisma.sql`c."portalId" = ${scope.portalId}::uuid AND c.id = ANY(${ids}::uuid[])`, a, skipped, memo);
    }
  }
  return {
    count,
    callable: count - skipped.total,
    skipped,
    sample,
    evaluation: scope.compiled.mode,
    assumptions: { at: a.now.toISOString(), minConsent: a.minConsent, callingWindow: a.window, portalTimeZone: a.portalTimeZone },
  };
}

/** `opts` may be a parser thunk, run after the lookup: another portal's id is a 404 whatever the body. */
export async function previewSegment(db: Db, portalId: string, segmentId: string, opts: TPreviewOptions | (() => TPreviewOptions)) {
  const seg = await getSegmentRow(db, portalId, segmentId);
  if (typeof opts === 'function') opts = opts();
  const a = await assumptionsFor(db, portalId, opts);
  const scope = { portalId, importId: seg.importId, compiled: compileSegmentRule(seg.rule) };
  return { segmentId, ...(await runPreview(db, scope, a, opts.sampleSize)) };
}

export async function previewRule(db: Db, portalId: string, input: TPreviewUnsaved) {
  assertValidSegmentRule(input.rule);
  await assertImportInPortal(db, portalId, input.importId);
  const a = await assumptionsFor(db, portalId, input);
  const scope = { portalId, importId: input.importId ?? null, compiled: compileSegmentRule(input.rule) };
  return { segmentId: null, ...(await runPreview(db, scope, a, input.sampleSize)) };
}
