import type { CallReport } from '../../providers/voice/voice-provider';
import { decideDisposition } from '../scripts/script-disposition';
import { reachedDisposition, readScriptPath } from '../scripts/script-path';
import type { TScriptGraph } from '../scripts/script.schema';
import type { ContactFacts } from '../scripts/script-context';

// The verdict on one ended call, from the provider's report and what the script recorded during
// the call (answers, the node reached, an opt-out heard by the next_step tool). The script's own
// disposition rules decide first (script-disposition.ts); a call without a script gets the
// defaults by its ended-reason class.

export interface CallVerdict {
  /** The script's outcome slug (or the class name by default): Call.disposition. */
  disposition: string;
  isOptOut: boolean;
  /** Only when a script rule decided: it may overrule the campaign's retry policy (finishAttempt). */
  dispositionRetry: boolean | null;
  /** Contact properties the matching rule asks to write to HubSpot. */
  hubspotProperties: Record<string, string>;
  decidedBy: string;
}

export interface CallSoFar {
  isOptOut: boolean;
  answers: unknown;
  scriptPath: unknown;
  attemptNumber: number;
  localTimeAtDial: string | null;
}

// decideDisposition only reads the rules; a call placed without a script has none.
const NO_SCRIPT = { graph: { dispositionRules: [] } } as unknown as { graph: TScriptGraph };

const asRecord = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

export function decideCallVerdict(input: { graph: TScriptGraph | null; report: CallReport; call: CallSoFar; contact: ContactFacts }): CallVerdict {
  const path = readScriptPath(input.call.scriptPath);
  const optedOutInCall = input.call.isOptOut || path.some((step) => step.optOut === true);
  const decision = decideDisposition(input.graph ? { graph: input.graph } : NO_SCRIPT, {
    endedReason: input.report.endedReason,
    outcomeClass: input.report.outcome,
    structured: input.report.structuredOutputs,
    answers: asRecord(input.call.answers),
    contact: input.contact,
    call: { attemptNumber: input.call.attemptNumber, localTimeAtDial: input.call.localTimeAtDial },
    disposition: input.graph ? reachedDisposition(input.graph, path) : null,
    isOptOut: optedOutInCall || input.report.optOutRequested,
  });
  return {
    disposition: decision.outcome,
    isOptOut: decision.isOptOut,
    dispositionRetry: decision.decidedBy.startsWith('rule:') ? decision.shouldRetry : null,
    hubspotProperties: decision.hubspotProperties,
    decidedBy: decision.decidedBy,
  };
}
