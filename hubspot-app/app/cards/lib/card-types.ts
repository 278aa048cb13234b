// The shapes the contact card reads from GET /api/v1/contact-card and sends back.

export interface CardRecord {
  hubspotContactId: string;
  phone?: string | null;
  mobilePhone?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  legalBasis?: string | null;
}

export interface CardCall {
  id: string;
  status: string;
  outcome: string | null;
  disposition: string | null;
  placedAt: string;
  durationSec: number | null;
  summary: string | null;
  optedOut: boolean;
  campaignName: string | null;
}

export interface CardData {
  contact: { id: string; phone: string } | null;
  phone: { e164: string | null; callable: boolean; problem: string | null };
  dnc: { listed: boolean; reason: string | null; source: string | null; since: string | null };
  consent: { type: 'none' | 'express' | 'written'; source: string | null; at: string | null };
  calls: CardCall[];
  enrollments: Array<{ campaignId: string; campaignName: string; state: string; lastOutcome: string | null; skipReasonText: string | null }>;
  campaigns: Array<{ id: string; name: string; state: string }>;
  scripts: Array<{ scriptVersionId: string; label: string }>;
}

export interface CardActions {
  addAlert(args: { type?: 'info' | 'warning' | 'success' | 'danger' | 'tip'; message: string; title?: string }): void;
  openIframeModal(args: { uri: string; height: number; width: number; title?: string }, onClose?: () => void): void;
}

/** The record as the backend wants it in request bodies (empty values left out). */
export function contactBody(r: CardRecord): Record<string, unknown> {
  const out: Record<string, unknown> = { hubspotContactId: r.hubspotContactId };
  for (const k of ['phone', 'mobilePhone', 'firstName', 'lastName', 'email', 'legalBasis'] as const) if (r[k]) out[k] = r[k];
  return out;
}
