import fs from 'node:fs';
import path from 'node:path';
import { startDemoStack, type DemoStack } from './demo-stack';
import { setUpDemo, type DemoInput, type DemoSetup } from './demo-setup';
import { watchCampaign } from './demo-watch';
import { collectFigures, type DemoFigures } from './demo-figures';
import { renderSummary } from './demo-summary';
import { renderReport } from './demo-report';
import type { AppConfig } from '../../backend/src/config/config';

// The demo pipeline, callable from `npm run demo` and from the e2e test: start the stack, set
// the campaign up through the API, watch it run, collect the figures, write the report, stop
// everything (also when something fails on the way).

export interface RunDemoOptions {
  input: DemoInput;
  /** A Postgres to use instead of embedded PGlite (the e2e test; PGlite cannot load under jest). */
  databaseUrl?: string;
  redisUrl: string;
  timeScale: number;
  seed: number;
  /**
   * When the whole run should be over (epoch ms). If the campaign has not settled a little before
   * it, the demo pauses the campaign (no new dials), lets the live calls end and reports.
   */
  deadline: number;
  /** Where the HTML report goes; null: none. */
  reportPath: string | null;
  keepDataDir: boolean;
  logLevel: AppConfig['logLevel'];
  print: (line: string) => void;
  /** Called once the stack is up, so a signal handler can stop it. */
  onStack?: (stack: DemoStack) => void;
}

export interface DemoResult {
  /** Stopped by now; its fakes' ledgers stay readable. */
  stack: DemoStack;
  figures: DemoFigures;
  setup: DemoSetup;
  summary: string;
  reportPath: string | null;
  ok: boolean;
}

function describeClock(print: (line: string) => void) {
  const zones: Array<[string, string]> = [
    ['New York', 'America/New_York'],
    ['Chicago', 'America/Chicago'],
    ['Denver', 'America/Denver'],
    ['Los Angeles', 'America/Los_Angeles'],
    ['Anchorage', 'America/Anchorage'],
    ['Honolulu', 'Pacific/Honolulu'],
    ['Guam', 'Pacific/Guam'],
  ];
  const now = new Date();
  const at = zones.map(([name, tz]) => `${name} ${new Intl.DateTimeFormat('en-US', { timeZone: tz, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(now)}`);
  print(`Local time now: ${at.join(', ')}. Calls are only placed 08:00–21:00 in each contact's own zone (20:00 in Florida); the rest are rescheduled, not dropped.`);
}

export async function runDemo(o: RunDemoOptions): Promise<DemoResult> {
  const stack = await startDemoStack({ databaseUrl: o.databaseUrl, redisUrl: o.redisUrl, timeScale: o.timeScale, seed: o.seed, keepDataDir: o.keepDataDir, logLevel: o.logLevel });
  o.onStack?.(stack);
  try {
    o.print(
      o.databaseUrl
        ? `Backend ${stack.baseUrl} on the given Postgres`
        : `Backend ${stack.baseUrl} on embedded Postgres (PGlite in ${stack.dataDir}${o.keepDataDir ? ', kept' : ', removed at the end'}; ` +
        `${stack.pgliteFromCache ? 'empty cluster copied from .data/cache' : 'first run: empty cluster initialised and cached in .data/cache'}, migrations applied)`,
    );
    o.print(
      stack.redisEmbedded
        ? `Redis: a private redis-server at ${stack.redisUrl} (stopped at the end)`
        : `Redis: ${stack.redisUrl}, keys under "${stack.prefix}:" (removed at the end)`,
    );
    o.print(`Vapi fake ${stack.vapi.url} (calls ${Math.round(1 / (o.timeScale || 1))}× faster than real time), HubSpot fake ${stack.hubspot.url}`);
    o.print(`While it runs: queue dashboard ${stack.baseUrl}/admin/queues (any user, password ${stack.adminToken}), metrics ${stack.baseUrl}/metrics, API ${stack.baseUrl}/api/v1/openapi.json`);
    describeClock(o.print);
    const setup = await setUpDemo(stack, o.input, o.print);
    // Kept for the endgame: live calls ending, the last reports, stopping the workers, the report.
    const reserveMs = 12_000;
    const watch = await watchCampaign(stack, setup.api, setup.campaignId, { maxMs: Math.max(5_000, o.deadline - Date.now() - reserveMs), print: o.print });
    let pausedAtBudget = false;
    if (!watch.settled) {
      await setup.api.post(`/campaigns/${setup.campaignId}/pause`, { reason: 'demo time budget reached' });
      pausedAtBudget = true;
      o.print('Time budget reached: campaign paused (no new dials); letting the live calls finish…');
    }
    // Every simulated call ends and its report is delivered; then the workers stop after their
    // running jobs, so the figures below are read from a still system.
    await stack.vapi.waitForIdle(8_000).catch(() => undefined);
    await stack.stopWorkers();
    const figures = await collectFigures(stack, setup, { ...watch, pausedAtBudget });
    let reportPath: string | null = null;
    if (o.reportPath) {
      reportPath = path.resolve(o.reportPath);
      fs.mkdirSync(path.dirname(reportPath), { recursive: true });
      fs.writeFileSync(reportPath, renderReport(figures, { generatedAt: new Date(), contactsFile: o.input.contactsFile, timeScale: o.timeScale }));
    }
    const summary = renderSummary(figures, reportPath);
    return { stack, figures, setup, summary, reportPath, ok: figures.checks.every((c) => c.ok) };
  } finally {
    await stack.stop();
  }
}
