import type { DemoApi } from './demo-api';
import type { DemoStack } from './demo-stack';

// Watches the campaign run: one progress line about every second, from the product API (contacts
// per state) and our database (HubSpot write-backs), next to what the Vapi fake sees (live calls).
// The run has settled when nobody is waiting to be dialed or in a call, every dialed call has its
// final report, and every write-back has been sent (or has failed for good) — twice in a row.
// Contacts rescheduled for later (outside their calling window now, or a retry after a no-answer)
// are not waited for: the summary says when they are due.

export interface Snapshot {
  atMs: number;
  byState: Record<string, number>;
  live: number;
  vapiLive: number;
  callsPlaced: number;
  callsFinal: number;
  outboxWaiting: number;
  outboxSent: number;
}

export interface WatchResult {
  settled: boolean;
  elapsedMs: number;
  snapshots: Snapshot[];
}

const ACTIVE = ['pending', 'queued', 'dialing', 'in_call'];

async function snapshot(stack: DemoStack, api: DemoApi, campaignId: string, startedAt: number): Promise<Snapshot> {
  const progress = await api.get<{ byState: Record<string, number>; live: number }>(`/campaigns/${campaignId}/progress`);
  const [callsPlaced, callsFinal, outbox] = await Promise.all([
    stack.db.call.count({ where: { campaignId, placedAt: { not: null } } }),
    stack.db.call.count({ where: { campaignId, placedAt: { not: null }, outcome: { not: null } } }),
    stack.db.outbox.groupBy({ by: ['status'], _count: { _all: true } }),
  ]);
  const n = (s: string) => outbox.find((r) => r.status === s)?._count._all ?? 0;
  return {
    atMs: Date.now() - startedAt,
    byState: progress.byState,
    live: progress.live,
    vapiLive: stack.vapi.state.liveCalls(),
    callsPlaced,
    callsFinal,
    outboxWaiting: n('pending') + n('sending'),
    outboxSent: n('sent'),
  };
}

export function progressLine(s: Snapshot): string {
  const st = (k: string) => s.byState[k] ?? 0;
  const waiting = st('pending') + st('queued');
  return (
    `[${(s.atMs / 1000).toFixed(1).padStart(5)} s] to dial ${String(waiting).padStart(3)} | in call ${String(s.live).padStart(2)} (Vapi live ${String(s.vapiLive).padStart(2)}) | ` +
    `dialed ${String(s.callsPlaced).padStart(3)}, reported ${String(s.callsFinal).padStart(3)} | done ${String(st('done') + st('failed')).padStart(3)} | ` +
    `later ${String(st('retry_wait')).padStart(3)} | skipped ${String(st('skipped')).padStart(3)} | HubSpot sent ${String(s.outboxSent).padStart(3)}, waiting ${s.outboxWaiting}`
  );
}

export async function watchCampaign(
  stack: DemoStack,
  api: DemoApi,
  campaignId: string,
  o: { maxMs: number; everyMs?: number; print: (line: string) => void },
): Promise<WatchResult> {
  const startedAt = Date.now();
  const snapshots: Snapshot[] = [];
  let calm = 0;
  let lastPrint = 0;
  for (;;) {
    const s = await snapshot(stack, api, campaignId, startedAt);
    snapshots.push(s);
    if (s.atMs - lastPrint >= (o.everyMs ?? 1000) || lastPrint === 0) {
      o.print(progressLine(s));
      lastPrint = s.atMs || 1;
    }
    const active = ACTIVE.reduce((n, k) => n + (s.byState[k] ?? 0), 0);
    const quiet = active === 0 && s.vapiLive === 0 && s.callsFinal === s.callsPlaced && s.outboxWaiting === 0;
    calm = quiet ? calm + 1 : 0;
    if (calm >= 2) {
      o.print(progressLine(s));
      return { settled: true, elapsedMs: s.atMs, snapshots };
    }
    if (s.atMs > o.maxMs) {
      o.print(progressLine(s));
      return { settled: false, elapsedMs: s.atMs, snapshots };
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
