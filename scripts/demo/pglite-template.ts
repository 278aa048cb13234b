import fs from 'node:fs';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../backend/src/platform/embedded-postgres';

// A fresh PGlite cluster costs 10–20 s of initdb on a small machine, every run. The demo keeps one
// empty, just-initialised cluster per PGlite version under .data/cache (gitignored) and copies it
// into each run's fresh temporary DATA_DIR, where the migrations then run as usual: every run
// still starts from an empty database, in about a second.

const ROOT = path.resolve(__dirname, '../..');

function pgliteVersion(): string {
  const pkg = path.join(path.dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json');
  try {
    return String(JSON.parse(fs.readFileSync(pkg, 'utf8')).version);
  } catch {
    return 'unknown';
  }
}

/** Puts an initialised, empty cluster at <dataDir>/pglite; returns whether the cache was used. */
export async function seedPgliteDataDir(dataDir: string): Promise<boolean> {
  const template = path.join(ROOT, '.data', 'cache', `pglite-${pgliteVersion()}`);
  if (!fs.existsSync(path.join(template, 'pglite', 'PG_VERSION'))) {
    // Built beside the cache and renamed into place, so a run stopped half way leaves no half cluster.
    const building = `${template}.building-${process.pid}`;
    fs.rmSync(building, { recursive: true, force: true });
    const pg = await startEmbeddedPostgres(building);
    await pg.stop();
    fs.mkdirSync(path.dirname(template), { recursive: true });
    fs.rmSync(template, { recursive: true, force: true });
    fs.renameSync(building, template);
    fs.cpSync(path.join(template, 'pglite'), path.join(dataDir, 'pglite'), { recursive: true });
    return false;
  }
  fs.cpSync(path.join(template, 'pglite'), path.join(dataDir, 'pglite'), { recursive: true });
  return true;
}
