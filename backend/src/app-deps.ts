import type { Redis } from 'ioredis';
import type { AppConfig } from './config/config';
import type { Db } from './platform/prisma';
import type { Cipher } from './platform/crypto';
import type { Queues } from './queues/queues';

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
}
