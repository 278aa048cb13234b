import { createRenderer } from '@hubspot/ui-extensions/testing';
import { AppPages } from '../../app/pages/AppPages';
import { createBackend } from '../../app/pages/lib/backend-client';
import type { AppServices } from '../../app/pages/lib/app-context';
import { BASE, fakeBackend } from '../support/fake-backend';

// Renders the app pages at a path, through the real router, with a recording fake backend.
export function renderPage(path: string, o: { pollEveryMs?: number } = {}) {
  const fake = fakeBackend();
  const r = createRenderer('pages');
  const actions = { addAlert: jest.fn(), navigateToPage: jest.fn(), openIframeModal: jest.fn() };
  const services: AppServices = { backend: createBackend({ baseUrl: BASE, fetcher: fake.fetcher }), actions, timeZone: 'America/New_York', pollEveryMs: o.pollEveryMs ?? 0 };
  r.mocks.setPageLocation({ path, params: {} });
  return { fake, r, actions, render: () => r.render(<AppPages services={services} />) };
}

export const campaign = (o: Record<string, unknown> = {}) => ({
  id: 'c-1',
  name: 'Spring solar',
  state: 'running',
  stateReason: null,
  segmentId: 'seg-1',
  variants: [
    { id: 'v-a', label: 'A', weight: 1, scriptVersionId: 'ver-7' },
    { id: 'v-b', label: 'B', weight: 1, scriptVersionId: 'ver-8' },
  ],
  callingWindow: { start: '09:00', end: '20:00', daysOfWeek: [1, 2, 3, 4, 5], timeZone: null },
  pacing: { maxConcurrent: 5, callsPerMinute: 30 },
  maxAttempts: 3,
  minConsent: 'express',
  openEnrollment: false,
  createdBy: 'apikey:1',
  createdAt: '2026-11-20T14:00:00.000Z',
  startedAt: '2026-11-20T15:00:00.000Z',
  ...o,
});

export const progress = (o: Record<string, unknown> = {}) => ({ campaignId: 'c-1', state: 'running', total: 200, byState: { done: 120, retry_wait: 10, skipped: 8, pending: 57, in_call: 5 }, final: 128, live: 5, skippedByReason: { dnc: 5, no_consent: 3 }, ...o });

export const analytics = () => ({
  totals: { finished: 150, connected: 90, voicemail: 30, noAnswer: 20, busy: 5, failed: 5, optedOut: 4 },
  rates: { connected: 0.6, voicemail: 0.2, noAnswer: 0.1333 },
  duration: { avgSec: 95.5, p50Sec: 80, connectedSec: 8595 },
  cost: { totalUsd: 42.1234 },
  byOutcome: { completed: 90, voicemail: 30, no_answer: 20, busy: 5, failed_transient: 5 },
  byDay: [
    { day: '2026-11-20', finished: 100, connected: 55 },
    { day: '2026-11-21', finished: 50, connected: 35 },
  ],
  byVariant: [
    { variantId: 'v-a', label: 'A', finished: 75, connected: 40, rates: { connected: 0.5333, voicemail: 0.2, noAnswer: 0.1 } },
    { variantId: 'v-b', label: 'B', finished: 75, connected: 50, rates: { connected: 0.6667, voicemail: 0.2, noAnswer: 0.1 } },
  ],
});
