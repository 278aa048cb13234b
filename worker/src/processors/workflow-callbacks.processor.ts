import { sweepWorkflowCallbacks } from '../../../backend/src/domain/workflows/workflow-callbacks.service';
import type { Processor } from '../processor';

export const workflowCallbacks: Processor<'workflows.callbacks'> = (_payload, ctx) =>
  sweepWorkflowCallbacks({ db: ctx.deps.db, gateway: ctx.hubspot().gateway, now: () => new Date() });
