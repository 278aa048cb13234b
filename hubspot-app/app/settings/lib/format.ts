// Words and numbers as the views show them. Copied into each extension folder (kept identical by a test).

const OUTCOMES: Record<string, { label: string; variant: 'success' | 'warning' | 'error' | 'info' | 'default' }> = {
  completed: { label: 'Connected', variant: 'success' },
  voicemail: { label: 'Voicemail', variant: 'info' },
  no_answer: { label: 'No answer', variant: 'warning' },
  busy: { label: 'Busy', variant: 'warning' },
  failed_transient: { label: 'Failed', variant: 'error' },
  failed_permanent: { label: 'Number unreachable', variant: 'error' },
  account_blocked: { label: 'Provider account problem', variant: 'error' },
  cancelled: { label: 'Cancelled', variant: 'default' },
  capacity: { label: 'Requeued (capacity)', variant: 'default' },
};

export function outcomeLabel(outcome: string | null | undefined): string {
  if (!outcome) return 'In progress';
  return OUTCOMES[outcome]?.label ?? outcome.replace(/_/g, ' ');
}

export function outcomeVariant(outcome: string | null | undefined) {
  return (outcome && OUTCOMES[outcome]?.variant) || 'default';
}

const STATES: Record<string, string> = {
  draft: 'Draft',
  scheduled: 'Scheduled',
  running: 'Running',
  paused: 'Paused',
  completed: 'Completed',
  cancelled: 'Cancelled',
  pending: 'Waiting',
  queued: 'Queued',
  dialing: 'Dialing',
  in_call: 'On a call',
  done: 'Done',
  retry_wait: 'Will retry',
  skipped: 'Skipped',
  failed: 'Not reached',
};

export const stateLabel = (state: string) => STATES[state] ?? state.replace(/_/g, ' ');

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

export function formatWhen(iso: string | null | undefined, timeZone?: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  try {
    return d.toLocaleString('en-US', { month: 'short', day: 'numeric', year: 'numeric', hour: 'numeric', minute: '2-digit', ...(timeZone ? { timeZone } : {}) });
  } catch {
    return d.toISOString().slice(0, 16).replace('T', ' ');
  }
}

export function formatPercent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '—';
  return `${Math.round(ratio * 1000) / 10}%`;
}

export function formatCount(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : n.toLocaleString('en-US');
}
