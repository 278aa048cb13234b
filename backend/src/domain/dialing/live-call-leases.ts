import type { Redis } from 'ioredis';

// Live-call leases (design.md §4.1): a dial job ends when the provider accepts the call, but the
// call lasts minutes, so the cap on live calls is a Redis semaphore per provider account and per
// campaign. A lease is a member of a sorted set scored by its expiry; it is taken before dialing
// and released by the end-of-call report, and an expired one (a lost report) stops counting and
// is handed to the reconciler. One Lua script takes both sets atomically, so the caps hold
// across any number of worker processes.
// The semaphore as Lua functions over a list of lease keys and their caps, shared by ACQUIRE below
// and by the dial admission script (dial-admission.ts).
export const LEASE_LUA = `
local function lease_sweep(keys, now)
  for _, key in ipairs(keys) do
    local expired = redis.call('ZRANGEBYSCORE', key, '-inf', now)
    for _, m in ipairs(expired) do
      redis.call('ZREM', key, m)
      redis.call('SADD', key .. ':expired', m)
    end
  end
end
-- True when every key has room for the member (a member already holding a lease fits: renewal).
local function lease_fits(keys, caps, member)
  for i, key in ipairs(keys) do
    if redis.call('ZSCORE', key, member) == false then
      if redis.call('ZCARD', key) >= caps[i] then return false end
    end
  end
  return true
end
local function lease_add(keys, expires, member)
  for _, key in ipairs(keys) do
    redis.call('ZADD', key, expires, member)
    redis.call('PEXPIREAT', key, expires + 86400000)
  end
end
`;

const ACQUIRE = `${LEASE_LUA}
local now = tonumber(ARGV[1])
local caps = {}
for i = 1, #KEYS do caps[i] = tonumber(ARGV[3 + i]) end
lease_sweep(KEYS, now)
if not lease_fits(KEYS, caps, ARGV[3]) then return 0 end
lease_add(KEYS, tonumber(ARGV[2]), ARGV[3])
return 1
`;

const RELEASE = `
local n = 0
for _, key in ipairs(KEYS) do
  n = n + redis.call('ZREM', key, ARGV[1])
  redis.call('SREM', key .. ':expired', ARGV[1])
end
return n
`;

export interface LeaseScope {
  /** The provider account (all portals that share one Vapi key share its concurrency). */
  accountKey: string;
  accountCap: number;
  campaignId: string | null;
  campaignCap: number;
}

export class LiveCallLeases {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    redis.defineCommand('hacLeaseAcquire', { lua: ACQUIRE });
    redis.defineCommand('hacLeaseRelease', { lua: RELEASE });
  }

  accountKeyOf(accountKey: string) {
    return `${this.prefix}:lease:acct:${accountKey}`;
  }

  campaignKeyOf(campaignId: string) {
    return `${this.prefix}:lease:camp:${campaignId}`;
  }

  /** The lease keys of a scope (the account's, then the campaign's when there is one). */
  keysFor(scope: Pick<LeaseScope, 'accountKey' | 'campaignId'>): string[] {
    const keys = [this.accountKeyOf(scope.accountKey)];
    if (scope.campaignId) keys.push(this.campaignKeyOf(scope.campaignId));
    return keys;
  }

  /** Takes one slot in every scope, or none; re-taking a lease the attempt already holds renews it. */
  async acquire(scope: LeaseScope, attemptId: string, ttlMs: number, now = Date.now()): Promise<boolean> {
    const keys = this.keysFor(scope);
    const caps = this.capsFor(scope);
    const r = await (this.redis as any).hacLeaseAcquire(keys.length, ...keys, now, now + ttlMs, attemptId, ...caps);
    return r === 1;
  }

  /** The caps of a scope, in the order of keysFor. */
  capsFor(scope: LeaseScope): number[] {
    return scope.campaignId ? [scope.accountCap, scope.campaignCap] : [scope.accountCap];
  }

  async release(scope: Pick<LeaseScope, 'accountKey' | 'campaignId'>, attemptId: string): Promise<boolean> {
    const keys = this.keysFor(scope);
    const n = await (this.redis as any).hacLeaseRelease(keys.length, ...keys, attemptId);
    return n > 0;
  }

  /** Live (unexpired) leases in a scope key. */
  async live(key: string, now = Date.now()): Promise<string[]> {
    return this.redis.zrangebyscore(key, now, '+inf');
  }

  /** Attempts whose lease expired before a report released it; the reconciler asks the provider about them. */
  async takeExpired(key: string, max = 100): Promise<string[]> {
    return (await this.redis.spop(`${key}:expired`, max)) ?? [];
  }

  /** Every lease key that exists, for the reconciler's sweep and leak checks. */
  async allKeys(): Promise<string[]> {
    const out: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.prefix}:lease:*`, 'COUNT', 500);
      cursor = next;
      out.push(...keys.filter((k) => !k.endsWith(':expired')));
    } while (cursor !== '0');
    return out;
  }
}
