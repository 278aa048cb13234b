import type { CallEngagementInput, CallEngagementStatus } from '../../hubspot/gateway.types';

// What a finished call looks like on the HubSpot contact's timeline (pure). The body carries the
// outcome and, for calls that connected, the summary; never the transcript (it stays here,
// readable through our API).

export interface EngagementCall {
  id: string;
  outcome: string | null;
  disposition: string | null;
  endedReason: string | null;
  isOptOut: boolean;
  placedAt: Date | null;
  startedAt: Date | null;
  createdAt: Date;
  durationSec: number | null;
  summary: string | null;
  recordingUrl: string | null;
  toPhone: string;
  campaignName: string | null;
}

const STATUS: Record<string, CallEngagementStatus> = {
  completed: 'COMPLETED',
  no_answer: 'NO_ANSWER',
  // Nobody picked up; the assistant spoke to a machine.
  voicemail: 'NO_ANSWER',
  busy: 'BUSY',
  cancelled: 'CANCELED',
};

const LABEL: Record<string, string> = {
  completed: 'Connected',
  no_answer: 'No answer',
  voicemail: 'Voicemail',
  busy: 'Busy',
  failed_transient: 'Failed',
  failed_permanent: 'Failed (number unreachable)',
  cancelled: 'Cancelled',
};

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export const engagementExternalId = (callId: string) => `hac-${callId}`;
export const outcomeLabel = (outcome: string | null) => (outcome ? LABEL[outcome] : undefined) ?? 'Ended';

export function buildCallEngagement(call: EngagementCall, hubspotContactId: string): CallEngagementInput & { externalId: string } {
  const label = outcomeLabel(call.outcome);
  const lines = [`<p><strong>Outcome:</strong> ${escapeHtml(label)}${call.disposition && call.disposition !== call.outcome ? ` (${escapeHtml(call.disposition)})` : ''}</p>`];
  if (call.campaignName) lines.push(`<p><strong>Campaign:</strong> ${escapeHtml(call.campaignName)}</p>`);
  if (call.isOptOut) lines.push('<p><strong>The contact asked not to be called again</strong>; the number is on the do-not-call list.</p>');
  // Summaries are written only for calls that connected (finalisation keeps no other).
  if (call.outcome === 'completed' && call.summary) lines.push(`<p><strong>Summary:</strong> ${escapeHtml(call.summary)}</p>`);
  if (call.endedReason) lines.push(`<p><small>Ended reason: ${escapeHtml(call.endedReason)}</small></p>`);
  return {
    contactId: hubspotContactId,
    externalId: engagementExternalId(call.id),
    timestamp: call.startedAt ?? call.placedAt ?? call.createdAt,
    title: `AI call: ${label}${call.campaignName ? ` (${call.campaignName})` : ''}`.slice(0, 250),
    body: lines.join(''),
    status: (call.outcome ? STATUS[call.outcome] : undefined) ?? 'FAILED',
    ...(call.durationSec != null ? { durationMs: Math.round(call.durationSec * 1000) } : {}),
    ...(call.recordingUrl ? { recordingUrl: call.recordingUrl } : {}),
    toNumber: call.toPhone,
  };
}
