import { sweepCampaigns } from '../../../backend/src/domain/dialing/dialing-sweep.service';
import type { Processor } from '../processor';

export const dialingSweep: Processor<'dialing.sweep'> = async (_payload, ctx) => {
  const { toDial } = await sweepCampaigns(ctx.dialing());
  // jobId = attempt id: re-adding an attempt that already has a job is a no-op.
  await Promise.all(toDial.map((callId) => ctx.deps.queues.enqueue('dial.attempt', { callId }, { jobId: callId })));
  return { enqueued: toDial.length };
};
