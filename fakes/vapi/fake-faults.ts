// Faults a test can inject, per route. `afterCreate` faults on POST /call create the call (it
// rings, it counts in the ledger) and then fail the response: the ambiguous case the dialer
// must reconcile by attempt id instead of dialing again.

export type Fault =
  | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string>; afterCreate?: boolean }
  /** Never answers: the client's own timeout fires. The socket is dropped after holdMs (default 120 s) or at close. */
  | { kind: 'timeout'; afterCreate?: boolean; holdMs?: number }
  /** Destroys the connection without an answer (ECONNRESET / "fetch failed" on the client). */
  | { kind: 'reset'; afterCreate?: boolean }
  /** Answers normally after a delay. */
  | { kind: 'latency'; ms: number };

export type FaultRoute = 'create' | 'get' | 'list' | 'any';

export interface FaultRule {
  fault: Fault;
  route?: FaultRoute;
  /** How many requests it applies to; default 1, Infinity for all. */
  times?: number;
  /** 0..1 chance per matching request; default 1. */
  probability?: number;
}

export class FaultBook {
  private rules: Array<Required<Omit<FaultRule, 'fault'>> & { fault: Fault }> = [];

  constructor(private rand: () => number) {}

  set(rules: FaultRule[]): void {
    this.rules = rules.map((r) => ({ route: r.route ?? 'create', times: r.times ?? 1, probability: r.probability ?? 1, fault: r.fault }));
  }

  add(rule: FaultRule): void {
    this.set([...this.rules, rule]);
  }

  clear(): void {
    this.rules = [];
  }

  /** The fault for this request, if any, consuming one use of its rule. */
  take(route: Exclude<FaultRoute, 'any'>): Fault | undefined {
    for (const rule of this.rules) {
      if (rule.times <= 0 || (rule.route !== 'any' && rule.route !== route)) continue;
      if (rule.probability < 1 && this.rand() >= rule.probability) continue;
      rule.times -= 1;
      return rule.fault;
    }
    return undefined;
  }
}

/** A fixed-window counter per account, like a gateway's request quota. */
export class RateWindow {
  private windows = new Map<string, { start: number; count: number }>();

  constructor(public limit: { max: number; windowMs: number; scope?: 'create' | 'all' } | null) {}

  /** ms to wait when over the limit, else undefined (and the request is counted). */
  check(account: string, isCreate: boolean, now = Date.now()): number | undefined {
    const limit = this.limit;
    if (!limit || (limit.scope !== 'all' && !isCreate)) return undefined;
    let w = this.windows.get(account);
    if (!w || now - w.start >= limit.windowMs) this.windows.set(account, (w = { start: now, count: 0 }));
    if (w.count >= limit.max) return w.start + limit.windowMs - now;
    w.count += 1;
    return undefined;
  }
}
