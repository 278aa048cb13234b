import crypto from 'node:crypto';
import type { Redis } from 'ioredis';

// A short-lived mutual-exclusion lock across processes: SET NX PX with a random owner token,
// released only by its owner (compare-and-delete), and expiring by itself if the owner dies.

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

export interface HeldLock {
  release(): Promise<void>;
}

export async function tryLock(redis: Redis, key: string, ttlMs: number): Promise<HeldLock | null> {
  const owner = crypto.randomBytes(16).toString('hex');
  const ok = await redis.set(key, owner, 'PX', ttlMs, 'NX');
  if (ok !== 'OK') return null;
  return {
    async release() {
      await redis.eval(RELEASE, 1, key, owner);
    },
  };
}
