import fs from 'node:fs';
import path from 'node:path';

// Prisma's client compiles each query with a WebAssembly query compiler. Its default ("fast")
// build cost every process ~40 MB more resident memory than the "small" build (measured: a probe
// making the same queries settled at 153–163 MB with "fast", 118–122 MB with "small"; an idle worker
// went from 253–256 MB to 165–179 MB), for ~7% more CPU per query. README, "Memory", has the figures.
const ROOT = path.resolve(__dirname, '../..');

describe('Prisma query compiler build', () => {
  it('is the small build, in the schema and in the generated client', () => {
    const schema = fs.readFileSync(path.join(ROOT, 'prisma/schema.prisma'), 'utf8');
    const generator = /generator client \{([^}]*)\}/.exec(schema)?.[1] ?? '';
    expect(generator).toMatch(/^\s*compilerBuild\s*=\s*"small"\s*$/m);
    const client = fs.readFileSync(path.join(ROOT, 'backend/src/generated/prisma/internal/class.ts'), 'utf8');
    expect(client).toContain('@prisma/client/runtime/query_compiler_small_bg.postgresql');
    expect(client).not.toContain('query_compiler_fast_bg');
  });
});
