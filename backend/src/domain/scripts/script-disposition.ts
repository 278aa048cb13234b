import { OPT_OUT_DISPOSITION, type TScriptGraph } from './script.schema';
import { callData, contactData, type CallFacts, type ContactFacts } from './script-context';
import { classifyEndedReason, type OutcomeClass } from './script-ended-reason';
import { evaluateCondition } from './script-logic';
import { renderTemplate } from './script-template';

// After the call: what happened (outcome), whether to call again, and what to write to HubSpot.
// Order: an opt-out always wins and is final; a provider capacity refusal is never the
// contact's fault (requeue, not an attempt); then the script's own rules, first match wins;
// then defaults by the endedReason class (research/vapi.md §3.5).

export interface DispositionFacts {
  endedReason: string | null | undefined;
  /** Structured outputs by name (Vapi artifact.structuredOutputs / analysis.structuredData). */
  structured?: Record<string, unknown>;
  answers?: Record<string, unknown>;
  contact?: ContactFacts;
  call?: CallFacts;
  /** The disposition of the end or transfer node the call reached, if it reached one. */
  disposition?: string | null;
  /** An opt-out reported during the call (next_step optOut, Call.isOptOut). */
  isOptOut?: boolean;
  /** When the provider adapter already classified the end (CallReport.outcome), that class; else endedReason is classified here. */
  outcomeClass?: OutcomeClass;
}

export interface DispositionDecision {
  outcome: string;
  outcomeClass: OutcomeClass;
  shouldRetry: boolean;
  /** False when the call never really reached the contact for reasons on our side (capacity, account). */
  countsAsAttempt: boolean;
  isOptOut: boolean;
  disposition: string | null;
  hubspotProperties: Record<string, string>;
  /** Which rule decided: "builtin:opt_out", "builtin:capacity", "rule:<index>" or "default:<class>". */
  decidedBy: string;
}

const RETRY_BY_CLASS: Record<OutcomeClass, boolean> = {
  completed: false,
  no_answer: true,
  busy: true,
  voicemail: true,
  capacity: true,
  failed_transient: true,
  failed_permanent: false,
  account_blocked: true,
  cancelled: false,
  unknown: false,
};

const isTrue = (v: unknown) => v === true || v === 'true';

export function decideDisposition(version: { graph: TScriptGraph }, facts: DispositionFacts): DispositionDecision {
  const outcomeClass = facts.outcomeClass ?? classifyEndedReason(facts.endedReason);
  const structured = facts.structured ?? {};
  const disposition = facts.disposition ?? null;
  const isOptOut = Boolean(facts.isOptOut) || disposition === OPT_OUT_DISPOSITION || isTrue(structured.optOut) || isTrue(structured.doNotCall);
  const base = { outcomeClass, isOptOut, disposition, hubspotProperties: {} as Record<string, string> };

  if (isOptOut) return { ...base, outcome: OPT_OUT_DISPOSITION, shouldRetry: false, countsAsAttempt: true, decidedBy: 'builtin:opt_out' };
  if (outcomeClass === 'capacity') return { ...base, outcome: 'capacity', shouldRetry: true, countsAsAttempt: false, decidedBy: 'builtin:capacity' };

  const data = {
    endedReason: facts.endedReason ?? null,
    outcomeClass,
    disposition,
    isOptOut,
    structured,
    answers: facts.answers ?? {},
    contact: contactData(facts.contact ?? {}),
    call: callData(facts.call),
  };
  const index = version.graph.dispositionRules.findIndex((r) => evaluateCondition(r.when, data));
  const rule = version.graph.dispositionRules[index];
  if (rule) {
    const hubspotProperties = Object.fromEntries(Object.entries(rule.hubspotProperties).map(([k, v]) => [k, renderTemplate(v, data)]));
    return { ...base, outcome: rule.outcome, shouldRetry: rule.shouldRetry, countsAsAttempt: true, hubspotProperties, decidedBy: `rule:${index}` };
  }
  const outcome = outcomeClass === 'completed' ? (disposition ?? 'completed') : outcomeClass;
  return {
    ...base,
    outcome,
    shouldRetry: RETRY_BY_CLASS[outcomeClass],
    countsAsAttempt: outcomeClass !== 'account_blocked',
    decidedBy: `default:${outcomeClass}`,
  };
}
