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
});
