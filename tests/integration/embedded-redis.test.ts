import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureRedis, isRedisReachable } from '../../backend/src/platform/embedded-redis';
import { findFreePort } from '../../backend/src/platform/free-port';
import { TEST_REDIS_URL } from '../support/test-redis';

describe('Redis for the local run', () => {
  it('uses REDIS_URL when something answers there', async () => {
    const r = await ensureRedis(TEST_REDIS_URL);
    expect(r).toMatchObject({ url: TEST_REDIS_URL, embedded: false });
  });

  it('starts a redis-server on a free loopback port when nothing answers, and stops it', async () => {
    const silent = `redis://127.0.0.1:${await findFreePort()}`;
    expect(await isRedisReachable(silent, 300)).toBe(false);
    const r = await ensureRedis(silent);
    try {
      expect(r.embedded).toBe(true);
      expect(r.url).not.toBe(silent);
      expect(await isRedisReachable(r.url)).toBe(true);
    } finally {
      await r.stop();
    }
    expect(await isRedisReachable(r.url, 300)).toBe(false);
  });

  it('says how to install Redis when nothing answers and redis-server is not on PATH', async () => {
    const silent = `redis://127.0.0.1:${await findFreePort()}`;
    // A PATH holding only a shell: the lookup runs, and finds no redis-server.
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'no-redis-'));
    fs.symlinkSync('/bin/sh', path.join(bin, 'sh'));
    try {
      await expect(ensureRedis(silent, { PATH: bin })).rejects.toThrow(
        `Nothing answers at REDIS_URL (${silent}) and redis-server is not installed. Install Redis (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) or set REDIS_URL.`,
      );
    } finally {
      fs.rmSync(bin, { recursive: true, force: true });
    }
  });
});
