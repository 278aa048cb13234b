import { DelayedError } from 'bullmq';
import { dialAttempt } from '../../../backend/src/domain/dialing/dial-attempt.service';
import type { Processor } from '../processor';
import { recordDialStep } from '../../../backend/src/platform/metrics';

export const dialAttemptProcessor: Processor<'dial.attempt'> = async (payload, ctx) => {
  const step = await dialAttempt(ctx.dialing(), payload.callId);
  recordDialStep(step.result);
  if (step.kind === 'later') {
    // The same job waits (capacity, pacing, recovery grace): not a retry, not an attempt.
    await ctx.job.moveToDelayed(Date.now() + step.delayMs, ctx.token);
    throw new DelayedError();
  }
  return step.result;
};
