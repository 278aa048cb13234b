import { Redis, type RedisOptions } from 'ioredis';

// BullMQ's production guidance: workers block and must never give up a command
// (maxRetriesPerRequest: null); producers (the HTTP side) fail fast instead of queueing
// commands while Redis is away.
export function createWorkerRedis(url: string, extra: RedisOptions = {}): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, ...extra });
}

export function createProducerRedis(url: string, extra: RedisOptions = {}): Redis {
  return new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000, ...extra });
}
