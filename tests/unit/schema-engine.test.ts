import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findSchemaEngine } from '../../backend/src/platform/schema-engine';

// `npm run db:migrate` runs `prisma migrate deploy` only where Prisma's native schema engine is.

describe('findSchemaEngine', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'engines-'));
    fs.writeFileSync(path.join(dir, 'package.json'), '{}');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const node = process.execPath;

  it('finds none where npm left only the package (no download happened)', () => {
    expect(findSchemaEngine({ enginesDir: dir, nodeBinary: node })).toBeUndefined();
    expect(findSchemaEngine({ enginesDir: path.join(dir, 'missing'), nodeBinary: node })).toBeUndefined();
  });

  it('finds the engine Prisma downloads beside @prisma/engines', () => {
    const engine = path.join(dir, 'schema-engine-debian-openssl-3.0.x');
    fs.writeFileSync(engine, '');
    expect(findSchemaEngine({ enginesDir: dir, nodeBinary: node })).toBe(engine);
  });

  it('takes PRISMA_SCHEMA_ENGINE_BINARY when it names a file, but not node itself (the generate workaround)', () => {
    const engine = path.join(dir, 'my-engine');
    fs.writeFileSync(engine, '');
    fs.writeFileSync(path.join(dir, 'schema-engine-linux'), '');
    expect(findSchemaEngine({ explicit: engine, enginesDir: dir, nodeBinary: node })).toBe(engine);
    expect(findSchemaEngine({ explicit: node, enginesDir: dir, nodeBinary: node })).toBeUndefined();
    expect(findSchemaEngine({ explicit: path.join(dir, 'nope'), enginesDir: dir, nodeBinary: node })).toBeUndefined();
  });
});
