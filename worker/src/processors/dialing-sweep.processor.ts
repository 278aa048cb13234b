import { sweepCampaigns } from '../../../backend/src/domain/dialing/dialing-sweep.service';
import type { Processor } from '../processor';

export const dialingSweep: Processor<'dialing.sweep'> = async (_payload, ctx) => {
  const { planned, orphaned } = await sweepCampaigns(ctx.dialing());
  const queue = ctx.deps.queues.get('dial');
  // Attempts planned by this pass are new ids: no job of theirs can exist, so they go in one
  // round trip per page (jobId = attempt id, as always).
  await ctx.deps.queues.enqueueMany(
    'dial.attempt',
    planned.map((callId) => ({ payload: { callId }, options: { jobId: callId } })),
  );
  await Promise.all(
    orphaned.map(async (callId) => {
      // jobId = attempt id: re-adding an attempt whose job is waiting or running is a no-op. A job
      // that failed (it threw while Redis was away) would block the re-add forever, and Postgres
      // says the attempt still needs dialing, so the failed job is removed first.
      const existing = await queue.getJob(callId);
      if (existing && (await existing.isFailed())) await existing.remove();
      await ctx.deps.queues.enqueue('dial.attempt', { callId }, { jobId: callId });
    }),
  );
  return { enqueued: planned.length + orphaned.length };
};
