import express, { type Router } from 'express';
import { z } from 'zod';
import type { HubSpotFakeState } from '../state';
import { enrollCallback, generateContacts, seedContacts, seedList } from '../seed';
import { DEFAULT_FAKE_HUB_ID } from './oauth.routes';

// Not HubSpot: the fake's own control panel under /__fake, so a fake running in another process
// (npm run fakes:hubspot, the demo, e2e) can be seeded, inspected and given faults over HTTP.

const ZHub = z.object({ hubId: z.coerce.number().int().positive().default(DEFAULT_FAKE_HUB_ID) });
const ZFault = z.object({
  status: z.number().int().min(400).max(599),
  count: z.number().int().positive().default(1),
  method: z.string().optional(),
  path: z.string().optional(),
  retryAfterSeconds: z.number().int().nonnegative().optional(),
});

export function controlRoutes(state: HubSpotFakeState): Router {
  const r = express.Router();
  const parse = <S extends z.ZodType>(schema: S, value: unknown, res: express.Response): z.infer<S> | undefined => {
    const out = schema.safeParse(value ?? {});
    if (out.success) return out.data;
    res.status(400).json({ error: out.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
    return undefined;
  };

  r.get('/__fake/state', (_req, res) => {
    res.json({
      accounts: [...state.accounts.values()].map((a) => ({
        hubId: a.hubId,
        contacts: a.contacts.size,
        calls: a.calls.size,
        lists: [...a.lists.values()].map((l) => ({ listId: l.listId, name: l.name, size: l.members.length })),
        associations: a.associations.length,
        completedCallbacks: a.completedCallbacks,
      })),
      requests: state.requests.length,
      faultsPending: state.faults.filter((f) => f.remaining > 0).length,
    });
  });

  r.get('/__fake/requests', (_req, res) => {
    res.json(state.requests.map(({ body: _body, ...rest }) => rest));
  });

  r.post('/__fake/faults', (req, res) => {
    const f = parse(ZFault, req.body, res);
    if (!f) return;
    state.failNext({ ...f, path: f.path ? new RegExp(f.path) : undefined });
    res.status(204).end();
  });

  r.post('/__fake/latency', (req, res) => {
    const b = parse(z.object({ ms: z.number().int().nonnegative() }), req.body, res);
    if (!b) return;
    state.latencyMs = b.ms;
    res.status(204).end();
  });

  r.post('/__fake/seed/contacts', (req, res) => {
    const b = parse(ZHub.extend({ count: z.number().int().positive().max(1_000_000) }), req.body, res);
    if (!b) return;
    const ids = seedContacts(state, b.hubId, generateContacts(b.count, state.account(b.hubId).contacts.size)).map((c) => c.id);
    res.status(201).json({ contactIds: ids });
  });

  r.post('/__fake/seed/list', (req, res) => {
    const b = parse(ZHub.extend({ size: z.number().int().nonnegative().max(1_000_000), name: z.string().optional() }), req.body, res);
    if (!b) return;
    res.status(201).json(seedList(state, b));
  });

  r.post('/__fake/callbacks', (req, res) => {
    const b = parse(ZHub, req.body, res);
    if (!b) return;
    res.status(201).json({ callbackId: enrollCallback(state, b.hubId) });
  });

  r.post('/__fake/reset', (_req, res) => {
    state.reset();
    res.status(204).end();
  });

  return r;
}
