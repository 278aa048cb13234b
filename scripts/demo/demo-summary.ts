import type { DemoFigures } from './demo-figures';

// The summary table printed at the end of `npm run demo`. Plain text, aligned, no colours, so it
// reads the same in a terminal, a CI log or a pasted issue.

const fmtTime = (iso: string | null) => (iso ? new Date(iso).toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : '-');
const list = (m: Record<string, number>) =>
  Object.entries(m)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${n}`)
    .join(', ') || 'none';

function table(rows: Array<[string, string | number, string?]>): string[] {
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => String(r[1]).length));
  return rows.map(([a, b, c]) => `  ${a.padEnd(w0)}  ${String(b).padStart(w1)}${c ? `  ${c}` : ''}`);
}

export function renderSummary(f: DemoFigures, reportPath: string | null): string {
  const out: string[] = [];
  const st = (k: string) => f.campaign.byState[k] ?? 0;
  out.push('', `Summary (${(f.elapsedMs / 1000).toFixed(1)} s of dialing)`, '');
  if (f.pausedAtBudget) out.push(`  The demo's time budget ran out first: the campaign was paused with ${f.notDialed} callable contacts not dialed yet (run with --max-seconds to give it longer).`, '');
  out.push(
    ...table([
      ['Rows in the file', f.import.rowsRead],
      ['  contacts created', f.import.created],
      ['  duplicates merged', f.import.duplicate, 'same number written another way'],
      ['  rejected', f.import.rejected, list(f.import.rejectedReasons)],
      ['Do-not-call numbers listed', f.dnc.listed],
      ['Contacts in the campaign', f.campaign.contacts],
      ['  skipped', st('skipped') + st('cancelled'), list(f.campaign.skippedByReason)],
      ['  outside their calling window now', f.campaign.outsideWindow.count, f.campaign.outsideWindow.count ? `rescheduled; first opens ${fmtTime(f.campaign.outsideWindow.nextAt)} (${list(f.campaign.outsideWindow.byZone)})` : ''],
      ['  retry scheduled', f.campaign.retries.count, f.campaign.retries.count ? `${list(f.campaign.retries.byLastOutcome)}; next ${fmtTime(f.campaign.retries.nextAt)}` : ''],
      ['  finished', st('done') + st('failed')],
      ...(f.notDialed ? ([['  not dialed yet (inside their window)', f.notDialed, f.pausedAtBudget ? 'the campaign was paused at the time budget' : '']] as Array<[string, number, string]>) : []),
      ['Calls dialed', f.calls.dialed, `the Vapi fake rang ${f.vapi.dialed}`],
      ['  connected', f.calls.connected, f.calls.avgTalkSec !== null ? `average ${f.calls.avgTalkSec.toFixed(0)} s of (simulated) talk` : ''],
      ['  outcomes', '', list(f.calls.byOutcome)],
      ['  script results', '', list(f.calls.byDisposition)],
      ['  opted out during the call', f.calls.optOuts, `${f.dnc.addedByOptOut} numbers added to do-not-call`],
      ['  provider refusals (capacity)', f.vapi.refused, `never an attempt; peak ${f.vapi.maxLive} live calls`],
      ['  next_step tool calls answered', f.vapi.toolSteps],
      ['  webhooks received', f.vapi.webhooks, `${f.vapi.webhooksFailed} failed; answered in p50 ${f.vapi.webhookMs.p50} ms, p95 ${f.vapi.webhookMs.p95} ms`],
      ['HubSpot call engagements', f.hubspot.engagementsInHubSpot, `as counted by the HubSpot fake; ${f.hubspot.contactsUpdatedInHubSpot} contact updates`],
      ['  write-backs', '', Object.entries(f.hubspot.outbox).map(([k, m]) => `${k}: ${list(m)}`).join('; ') || 'none'],
      ...(Object.keys(f.hubspot.failures).length ? ([['  failed for good', Object.values(f.hubspot.failures).reduce((a, b) => a + b, 0), list(f.hubspot.failures)]] as Array<[string, number, string]>) : []),
      ['  calls not synced', f.hubspot.notSynced, 'contacts HubSpot does not know (no Record ID in the file)'],
      ['  HubSpot 429 answers', f.hubspot.rateLimited],
    ]),
  );
  out.push('', 'Cross-checks (our database vs the fakes):');
  for (const c of f.checks) out.push(`  ${c.ok ? 'ok  ' : 'DIFF'}  ${c.what}: ${c.ours} vs ${c.theirs}`);
  if (reportPath) out.push('', `Report with charts: ${reportPath}`);
  return out.join('\n');
}
