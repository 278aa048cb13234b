import type { Redis } from 'ioredis';
import type { AppConfig } from './config/config';
import type { Db } from './platform/prisma';
import type { Cipher } from './platform/crypto';
import type { Queues } from './queues/queues';
import type { VoiceRouter } from './domain/dialing/dialing-port';
import type { DialingPolicy } from './domain/dialing/dialing-policy';

// What the HTTP app and the worker are built from. Tests build it with their own database,
// Redis prefix and fakes; nothing below reads the environment.
export interface AppDeps {
  config: AppConfig;
  db: Db;
  /** Producer-style connection (fails fast); used by readiness checks and queues. */
  redis: Redis;
  queues: Queues;
  cipher: Cipher;
  /**
   * The Postgres URL actually in use when it differs from config.databaseUrl (embedded PGlite).
   * Bulk work (CSV import COPY) opens its own `pg` connection with it.
   */
  databaseUrl?: string;
  /** Tests and the demo inject a voice router; otherwise one is built from config (providers/voice/voice-router.ts). */
  voice?: VoiceRouter;
  /** Overrides of DEFAULT_DIALING_POLICY (tests shorten the timings). */
  dialingPolicy?: Partial<DialingPolicy>;
}
