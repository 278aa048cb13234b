import type { ProviderCall, VoiceProvider } from './voice-provider';

// Reconciliation after an ambiguous create (timeout, 5xx, a worker killed mid-request): did the
// provider create a call for this attempt? Vapi's list has no metadata filter and no documented
// sort order, so we scan a time window and halve it whenever a page comes back full. Halving
// does not depend on the order the provider returns, and a dial window is narrow (seconds).

export interface FindCallsByAttemptInput {
  attemptId: string;
  /** When our attempt row went to `dialing`, minus clock skew. */
  from: Date;
  /** Now, or the latest moment the create request could have landed. */
  to: Date;
  pageSize?: number;
  /** Bound on list requests, so a flood of calls cannot turn reconciliation into a scan. */
  maxRequests?: number;
}

export interface FindCallsByAttemptResult {
  calls: ProviderCall[];
  /** False when the request budget ran out or a 1 ms slice still overflowed a page. */
  complete: boolean;
  requests: number;
}

export async function findCallsByAttemptId(
  provider: Pick<VoiceProvider, 'listCalls' | 'findCallsByAttempt'>,
  input: FindCallsByAttemptInput,
): Promise<FindCallsByAttemptResult> {
  // A provider that filters on metadata answers in one request, whatever the window holds.
  if (provider.findCallsByAttempt) {
    const { calls, complete } = await provider.findCallsByAttempt(input.attemptId);
    return { calls: calls.filter((c) => c.attemptId === input.attemptId), complete, requests: 1 };
  }
  const pageSize = input.pageSize ?? 100;
  const maxRequests = input.maxRequests ?? 20;
  const found = new Map<string, ProviderCall>();
  const windows: Array<[number, number]> = [[input.from.getTime(), input.to.getTime()]];
  let requests = 0;
  let complete = true;

  while (windows.length > 0) {
    if (requests >= maxRequests) {
      complete = false;
      break;
    }
    const [lo, hi] = windows.pop()!;
    requests += 1;
    const page = await provider.listCalls({ createdAtGe: new Date(lo), createdAtLe: new Date(hi), limit: pageSize });
    for (const call of page) if (call.attemptId === input.attemptId) found.set(call.providerCallId, call);
    if (page.length < pageSize) continue;
    if (hi - lo < 1) {
      complete = false;
      continue;
    }
    const mid = lo + Math.floor((hi - lo) / 2);
    windows.push([lo, mid], [mid + 1, hi]);
  }
  return { calls: [...found.values()], complete, requests };
}
