// The in-call state a script step needs (the call's path so far, its answers, the contact fields
// its rules read), kept in memory after each step this process recorded, so the next tool call of
// the same call is answered with one round trip (the guarded UPDATE) instead of two. Never trusted
// blindly: the UPDATE only applies when the stored path still has the length this copy saw, so a
// step recorded elsewhere (another web instance) makes the copy miss, and the step is answered
// from a fresh read. Bounded (oldest first) and short-lived: a call that goes quiet is re-read.

export interface CachedCallStep<Row> {
  row: Row;
  storedAt: number;
}

export class CallStepCache<Row extends { id: string; provider: string; providerCallId: string | null }> {
  private readonly byId = new Map<string, CachedCallStep<Row>>();
  private readonly idByProviderCall = new Map<string, string>();

  constructor(
    private readonly maxEntries = 5000,
    private readonly ttlMs = 10 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The state last recorded for the call the tool call names (by attempt id, else provider call id). */
  get(x: { attemptId?: string | null; providerCallId?: string | null; provider: string }): Row | undefined {
    const id = x.attemptId?.toLowerCase() ?? (x.providerCallId ? this.idByProviderCall.get(`${x.provider}:${x.providerCallId}`) : undefined);
    if (!id) return undefined;
    const hit = this.byId.get(id);
    if (!hit) return undefined;
    if (this.now() - hit.storedAt > this.ttlMs) {
      this.delete(id);
      return undefined;
    }
    const row = hit.row;
    // The attempt id and the provider's call id must name the same call, as on a database read.
    if (x.providerCallId && (row.provider !== x.provider || (row.providerCallId && row.providerCallId !== x.providerCallId))) return undefined;
    return row;
  }

  set(row: Row): void {
    const id = row.id.toLowerCase();
    this.delete(id);
    if (this.byId.size >= this.maxEntries) this.delete(this.byId.keys().next().value!);
    this.byId.set(id, { row, storedAt: this.now() });
    if (row.providerCallId) this.idByProviderCall.set(`${row.provider}:${row.providerCallId}`, id);
  }

  delete(callId: string): void {
    const id = callId.toLowerCase();
    const hit = this.byId.get(id);
    if (!hit) return;
    this.byId.delete(id);
    if (hit.row.providerCallId) this.idByProviderCall.delete(`${hit.row.provider}:${hit.row.providerCallId}`);
  }

  get size(): number {
    return this.byId.size;
  }
}
