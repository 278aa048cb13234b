import fs from 'node:fs';
import path from 'node:path';

// Where Prisma's native schema engine is, if anywhere. `prisma migrate deploy` needs it; npm does
// not ship it (Prisma downloads it on first use), so on machines that cannot download it there is
// none and the project's own runner applies the migrations instead (design.md §6). The engine is
// the file PRISMA_SCHEMA_ENGINE_BINARY names, or the one Prisma downloads beside @prisma/engines
// (`schema-engine-<platform>`).

const isFile = (p: string) => {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
};

export function findSchemaEngine(opts: { explicit?: string; enginesDir: string; nodeBinary: string }): string | undefined {
  // Our own `prisma generate` wrapper points the variable at node itself to get past the CLI's
  // check; that satisfies generate but is no engine.
  if (opts.explicit) return isFile(opts.explicit) && path.resolve(opts.explicit) !== path.resolve(opts.nodeBinary) ? opts.explicit : undefined;
  if (!fs.existsSync(opts.enginesDir)) return undefined;
  const found = fs
    .readdirSync(opts.enginesDir)
    .filter((name) => name.startsWith('schema-engine-') && !name.endsWith('.d.ts'))
    .map((name) => path.join(opts.enginesDir, name))
    .find(isFile);
  return found;
}
