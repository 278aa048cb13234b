import type { JobName } from '../../backend/src/queues/catalog';
import type { Processor } from './processor';
import { systemPing } from './processors/system-ping.processor';
import { importCsv } from './processors/import-csv.processor';
import { importHubSpotList } from './processors/import-hubspot-list.processor';
import { workflowCallbacks } from './processors/workflow-callbacks.processor';
import { dialingSweep } from './processors/dialing-sweep.processor';
import { dialAttemptProcessor } from './processors/dial-attempt.processor';
import { callsReconcile } from './processors/calls-reconcile.processor';
import { outboxDrain } from './processors/outbox-drain.processor';
import { webhookApply } from './processors/webhook-apply.processor';
import { retentionPurge } from './processors/retention-purge.processor';

// Every job name in the catalog maps to its processor; the type makes a missing one a compile error.
export const registry: { [N in JobName]: Processor<N> } = {
  'system.ping': systemPing,
  'imports.csv': importCsv,
  'imports.hubspot-list': importHubSpotList,
  'workflows.callbacks': workflowCallbacks,
  'dialing.sweep': dialingSweep,
  'dial.attempt': dialAttemptProcessor,
  'calls.reconcile': callsReconcile,
  'outbox.drain': outboxDrain,
  'webhooks.apply': webhookApply,
  'privacy.retention-purge': retentionPurge,
};
