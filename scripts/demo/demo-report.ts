import type { DemoFigures } from './demo-figures';

// The demo's HTML report: one self-contained file (inline CSS and SVG, no script, no CDN), so it
// opens from disk anywhere and can be attached to an issue as it is.

const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const COLORS = ['#2563eb', '#16a34a', '#f59e0b', '#dc2626', '#7c3aed', '#0891b2', '#db2777', '#65a30d', '#9ca3af'];

/** Horizontal bars, one per label, value printed at the end. */
function barChart(title: string, data: Array<[string, number]>, o: { color?: string; compact?: boolean } = {}): string {
  const max = Math.max(1, ...data.map((d) => d[1]));
  const rowH = 26;
  // Half-width charts get a narrower drawing so their text is not shrunk with them.
  const labelW = o.compact ? 150 : 230;
  const barW = o.compact ? 170 : 420;
  const h = data.length * rowH + 10;
  const rows = data
    .map(([label, v], i) => {
      const w = Math.round((v / max) * barW);
      const y = i * rowH + 5;
      return `<text x="${labelW - 8}" y="${y + 16}" text-anchor="end">${esc(label)}</text><rect x="${labelW}" y="${y + 3}" width="${Math.max(w, 1)}" height="${rowH - 8}" fill="${o.color ?? COLORS[i % COLORS.length]}" rx="3"/><text x="${labelW + w + 6}" y="${y + 16}">${v}</text>`;
    })
    .join('');
  return `<figure><figcaption>${esc(title)}</figcaption><svg viewBox="0 0 ${labelW + barW + 60} ${h}" width="100%" role="img" aria-label="${esc(title)}">${rows}</svg></figure>`;
}

/** Columns over a numeric axis (time, duration buckets). */
function columnChart(title: string, values: number[], o: { xLabel: string; every?: number; color?: string }): string {
  const w = 700;
  const h = 200;
  const pad = 30;
  const max = Math.max(1, ...values);
  const n = Math.max(values.length, 1);
  const bw = (w - pad * 2) / n;
  const bars = values
    .map((v, i) => {
      const bh = Math.round((v / max) * (h - pad * 2));
      return `<rect x="${(pad + i * bw).toFixed(1)}" y="${h - pad - bh}" width="${Math.max(bw - 1, 1).toFixed(1)}" height="${bh}" fill="${o.color ?? COLORS[0]}"><title>${i * (o.every ?? 1)}: ${v}</title></rect>`;
    })
    .join('');
  const ticks = [0, Math.floor(n / 2), n - 1]
    .filter((t, i, a) => t >= 0 && a.indexOf(t) === i)
    .map((t) => `<text x="${(pad + t * bw + bw / 2).toFixed(1)}" y="${h - 10}" text-anchor="middle">${t * (o.every ?? 1)}</text>`)
    .join('');
  return `<figure><figcaption>${esc(title)}</figcaption><svg viewBox="0 0 ${w} ${h}" width="100%" role="img" aria-label="${esc(title)}"><line x1="${pad}" y1="${h - pad}" x2="${w - pad}" y2="${h - pad}" stroke="#9ca3af"/><text x="${pad}" y="${pad - 10}">max ${max}</text>${bars}${ticks}<text x="${w - pad}" y="${pad - 10}" text-anchor="end">${esc(o.xLabel)}</text></svg></figure>`;
}

/** One stacked bar per time zone: dialed, outside the window now, skipped. */
function zoneChart(f: DemoFigures): string {
  const zones = Object.entries(f.calls.byZone).sort((a, b) => b[1].dialed + b[1].outsideWindow + b[1].skipped - (a[1].dialed + a[1].outsideWindow + a[1].skipped));
  const parts: Array<['dialed' | 'outsideWindow' | 'skipped', string, string]> = [
    ['dialed', 'dialed', COLORS[0]!],
    ['outsideWindow', 'outside the window now', COLORS[2]!],
    ['skipped', 'skipped', COLORS[8]!],
  ];
  const max = Math.max(1, ...zones.map(([, z]) => z.dialed + z.outsideWindow + z.skipped));
  const rowH = 26;
  const labelW = 200;
  const barW = 440;
  const rows = zones
    .map(([zone, z], i) => {
      let x = labelW;
      const y = i * rowH + 30;
      const segs = parts
        .map(([k, name, color]) => {
          const w = (z[k] / max) * barW;
          const r = w > 0 ? `<rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${rowH - 8}" fill="${color}"><title>${esc(name)}: ${z[k]}</title></rect>` : '';
          x += w;
          return r;
        })
        .join('');
      return `<text x="${labelW - 8}" y="${y + 13}" text-anchor="end">${esc(zone)}</text>${segs}<text x="${(x + 6).toFixed(1)}" y="${y + 13}">${z.dialed}/${z.dialed + z.outsideWindow + z.skipped}</text>`;
    })
    .join('');
  const legend = parts.map(([, name, color], i) => `<rect x="${labelW + i * 170}" y="5" width="12" height="12" fill="${color}"/><text x="${labelW + i * 170 + 16}" y="15">${esc(name)}</text>`).join('');
  return `<figure><figcaption>Contacts by time zone</figcaption><svg viewBox="0 0 ${labelW + barW + 80} ${zones.length * rowH + 40}" width="100%" role="img" aria-label="Contacts by time zone">${legend}${rows}</svg></figure>`;
}

function kv(rows: Array<[string, unknown]>): string {
  return `<table>${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table>`;
}

export function renderReport(f: DemoFigures, meta: { generatedAt: Date; contactsFile: string; timeScale: number }): string {
  const dist = (m: Record<string, number>) => Object.entries(m).sort((a, b) => b[1] - a[1]) as Array<[string, number]>;
  const buckets: number[] = [];
  for (const s of f.calls.talkSeconds) {
    const b = Math.floor(s / 15);
    while (buckets.length <= b) buckets.push(0);
    buckets[b]! += 1;
  }
  const appointments = (f.calls.byDisposition.appointment_set ?? 0) + (f.calls.byDisposition.qualified ?? 0);
  const funnel: Array<[string, number]> = [
    ['rows in the file', f.import.rowsRead],
    ['contacts imported', f.import.created],
    ['in the campaign', f.campaign.contacts],
    ['dialed', f.calls.dialed],
    ['connected', f.calls.connected],
    ['appointment or qualified', appointments],
  ];
  const checks = f.checks.map((c) => `<tr class="${c.ok ? 'ok' : 'diff'}"><td>${c.ok ? '✔' : '✘'}</td><td>${esc(c.what)}</td><td>${c.ours}</td><td>${c.theirs}</td></tr>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>hubspot-ai-calling demo report</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#111827;max-width:980px;margin:2rem auto;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem} h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #e5e7eb;padding-bottom:.3rem}
.muted{color:#6b7280} figure{margin:1rem 0} figcaption{font-weight:600;margin-bottom:.3rem}
svg text{font-size:12px;fill:#374151} table{border-collapse:collapse;margin:.5rem 0} th,td{padding:.25rem .7rem;border-bottom:1px solid #f3f4f6;text-align:left}
th{font-weight:500;color:#374151} .grid{display:grid;grid-template-columns:1fr 1fr;gap:1.5rem} tr.diff td{color:#b91c1c} tr.ok td:first-child{color:#16a34a}
@media (max-width:760px){.grid{grid-template-columns:1fr}}
</style></head><body>
<h1>Demo campaign report</h1>
<p class="muted">Generated ${esc(meta.generatedAt.toISOString())} from ${esc(meta.contactsFile)}. Calls were placed through the local Vapi fake (simulated calls at ${Math.round(1 / (meta.timeScale || 1))}× speed; durations are simulated seconds) and written back to the local HubSpot fake. ${esc((f.elapsedMs / 1000).toFixed(1))} s of dialing${f.settled ? '' : ' (stopped before everything settled)'}.</p>
<h2>Funnel</h2>${barChart('From the file to a booked visit', funnel, { color: COLORS[0] })}
<div class="grid"><div>${barChart('Call outcomes', dist(f.calls.byOutcome), { compact: true })}</div><div>${barChart('Script results', dist(f.calls.byDisposition), { compact: true })}</div></div>
${columnChart('Calls started per second of the run', f.calls.dialsPerSecond, { xLabel: 'seconds since the first dial' })}
${zoneChart(f)}
${columnChart('Talk time of connected calls (15 s buckets)', buckets, { xLabel: 'seconds of talk', every: 15, color: COLORS[1] })}
<h2>Skipped and rescheduled</h2>
<div class="grid"><div>${barChart('Skipped, by reason', dist(f.campaign.skippedByReason), { color: COLORS[8], compact: true })}</div><div>${barChart('Import rejections, by reason', dist(f.import.rejectedReasons), { color: COLORS[3], compact: true })}</div></div>
${kv([
  ['Outside their calling window now (rescheduled)', `${f.campaign.outsideWindow.count}${f.campaign.outsideWindow.nextAt ? `, first opening ${f.campaign.outsideWindow.nextAt}` : ''}`],
  ['Retries scheduled', `${f.campaign.retries.count}${f.campaign.retries.nextAt ? `, next ${f.campaign.retries.nextAt}` : ''}`],
  ['Opted out during a call', `${f.calls.optOuts} (${f.dnc.addedByOptOut} added to do-not-call)`],
])}
<h2>Providers</h2>
<div class="grid"><div><h3>Vapi (fake)</h3>${kv([
    ['Create requests', f.vapi.createRequests],
    ['Calls rung', f.vapi.dialed],
    ['Capacity refusals', f.vapi.refused],
    ['Peak live calls', f.vapi.maxLive],
    ['Webhooks sent / failed', `${f.vapi.webhooks} / ${f.vapi.webhooksFailed}`],
    ['Webhook answer p50 / p95', `${f.vapi.webhookMs.p50} ms / ${f.vapi.webhookMs.p95} ms`],
    ['next_step tool calls', f.vapi.toolSteps],
    ['Total simulated cost', `$${f.calls.costUsd.toFixed(2)}`],
  ])}</div><div><h3>HubSpot (fake)</h3>${kv([
    ['Call engagements', f.hubspot.engagementsInHubSpot],
    ['Contact updates', f.hubspot.contactsUpdatedInHubSpot],
    ['429 answers', f.hubspot.rateLimited],
    ['Calls not synced (unknown to HubSpot)', f.hubspot.notSynced],
    ...Object.entries(f.hubspot.outbox).map(([k, m]) => [`Outbox ${k}`, Object.entries(m).map(([s, n]) => `${s} ${n}`).join(', ')] as [string, string]),
  ])}</div></div>
<h2>Cross-checks: our database against the fakes</h2>
<table><tr><th></th><th>What</th><th>Ours</th><th>Theirs</th></tr>${checks}</table>
</body></html>
`;
}
