import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { parse as parseYaml } from 'yaml';
import { productionCommand, parseNodeCommand } from '../../scripts/production-command';

// The deployment files cannot be exercised here (no Docker engine, no Railway, no GitHub), so
// their shape is checked: valid YAML/JSON, the fields each platform reads, and that every path,
// script and command they name exists in this repository.
const ROOT = path.resolve(__dirname, '../..');
const read = (p: string) => fs.readFileSync(path.join(ROOT, p), 'utf8');
const exists = (p: string) => fs.existsSync(path.join(ROOT, p));
const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };

describe('Dockerfile', () => {
  const text = read('Dockerfile');
  const lines = text.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'));
  const stages = lines.filter((l) => /^FROM\s/i.test(l));
  const runtime = lines.slice(lines.lastIndexOf(stages.at(-1)!));

  it('is multi-stage, installs the locked production dependencies and runs our postinstall (Prisma client, Vapi SDK bundle) at build', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(text).toMatch(/^COPY package\.json package-lock\.json \.\/$/m);
    expect(text).toMatch(/^RUN npm (ci|install) --omit=dev --ignore-scripts\b/m);
    expect(pkg.scripts.postinstall).toBe('node scripts/prisma-generate.js && node scripts/bundle-vapi-sdk.js');
    expect(lines).toContain(`RUN ${pkg.scripts.postinstall}`);
    expect(text).toMatch(/COPY --from=build .*\/app\/backend\/src\/generated/);
  });

  it('runs as a non-root user, web by default and worker by argument', () => {
    const user = runtime.filter((l) => /^USER\s/i.test(l)).at(-1);
    expect(user).toBeDefined();
    expect(user!.split(/\s+/)[1]).not.toMatch(/^(root|0)$/);
    expect(runtime.some((l) => /^ENTRYPOINT \["\/app\/scripts\/docker-entrypoint\.sh"\]$/.test(l))).toBe(true);
    expect(runtime.some((l) => /^CMD \["web"\]$/.test(l))).toBe(true);
  });

  it('copies only paths that exist and that .dockerignore lets through', () => {
    const ignored = read('.dockerignore').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#') && !l.startsWith('!'));
    const sources = lines
      .filter((l) => /^COPY\s/i.test(l) && !/--from=/.test(l))
      .flatMap((l) => l.replace(/^COPY\s+(--\S+\s+)*/i, '').split(/\s+/).slice(0, -1));
    expect(sources.length).toBeGreaterThan(5);
    for (const src of sources) {
      expect({ src, exists: exists(src.replace(/\/$/, '')) }).toEqual({ src, exists: true });
      expect({ src, ignored: ignored.some((i) => i.replace(/\/$/, '') === src.replace(/\/$/, '')) }).toEqual({ src, ignored: false });
    }
    for (const secret of ['.env', '.git', '**/node_modules', '.data']) expect(ignored).toContain(secret);
  });
});

describe('docker-entrypoint.sh', () => {
  const script = read('scripts/docker-entrypoint.sh');
  it('maps each role to an entry point that exists', () => {
    const roles = Object.fromEntries([...script.matchAll(/^\s*(\w+)\) (?:shift; )?exec node (?:--\S+ )*--require tsx\/cjs (\S+)/gm)].map((m) => [m[1], m[2]]));
    expect(roles).toEqual({ web: 'backend/src/main.ts', worker: 'worker/src/main.ts', migrate: 'backend/src/cli/migrate.ts', admin: 'backend/src/cli/admin.ts' });
    for (const file of Object.values(roles)) expect(exists(file as string)).toBe(true);
  });
  it('starts web and worker exactly as the npm start scripts do (the command the benchmarks measure)', () => {
    const exported = Object.fromEntries([...script.matchAll(/^export (\w+)="\$\{\w+:-(\S+)\}"$/gm)].map((m) => [m[1], m[2]]));
    for (const [role, npmScript] of [['web', 'start:backend'], ['worker', 'start:worker']] as const) {
      const line = new RegExp(`^\\s*${role}\\) exec node (.+) ;;$`, 'm').exec(script)?.[1];
      const command = productionCommand(npmScript);
      expect({ role, args: line?.split(' ') }).toEqual({ role, args: command.args });
      expect({ role, env: exported }).toEqual({ role, env: command.env });
    }
  });
  it('is valid sh and passes anything else through as a command', () => {
    execFileSync('sh', ['-n', path.join(ROOT, 'scripts/docker-entrypoint.sh')]);
    expect(execFileSync(path.join(ROOT, 'scripts/docker-entrypoint.sh'), ['echo', 'passed'], { encoding: 'utf8' }).trim()).toBe('passed');
  });
});

describe('Railway config', () => {
  const web = JSON.parse(read('railway.json'));
  const worker = JSON.parse(read('railway.worker.json'));

  it('builds both services from the Dockerfile', () => {
    for (const c of [web, worker]) {
      expect(c.$schema).toBe('https://railway.com/railway.schema.json');
      expect(c.build.builder).toBe('DOCKERFILE');
      expect(exists(c.build.dockerfilePath)).toBe(true);
    }
  });

  it('starts web with migrations before each deploy and a readiness check, and worker without', () => {
    expect(web.deploy.startCommand).toBe('/app/scripts/docker-entrypoint.sh web');
    expect(web.deploy.preDeployCommand).toEqual(['npm run db:migrate']);
    expect(pkg.scripts['db:migrate']).toBeDefined();
    expect(web.deploy.healthcheckPath).toBe('/readyz');
    expect(read('backend/src/http/routes/health.routes.ts')).toContain("'/readyz'");
    expect(worker.deploy.startCommand).toBe('/app/scripts/docker-entrypoint.sh worker');
    expect(worker.deploy.healthcheckPath).toBeUndefined();
    expect(worker.deploy.preDeployCommand).toBeUndefined();
  });
});

describe('GitHub Actions workflow', () => {
  const wf = parseYaml(read('.github/workflows/ci.yml'));
  const runs = (job: string): string[] => wf.jobs[job].steps.map((s: { run?: string }) => s.run ?? '').filter(Boolean);

  it('runs on pushes, pull requests and version tags', () => {
    expect(wf.on.push.branches).toContain('main');
    expect(wf.on.push.tags).toContain('v*');
    expect(wf.on).toHaveProperty('pull_request');
  });

  it('mirrors .ci/run: Postgres and Redis services on their usual ports, the same install, npm test', () => {
    const services = wf.jobs.test.services;
    expect(services.postgres.image).toMatch(/^postgres:\d+/);
    expect(services.postgres.ports).toContain('5432:5432');
    expect(services.postgres.env.POSTGRES_HOST_AUTH_METHOD).toBe('trust');
    expect(services.redis.image).toMatch(/^redis:\d+/);
    expect(services.redis.ports).toContain('6379:6379');
    const ci = read('.ci/run');
    const ciCommands = ci.split('\n').map((l) => l.trim()).filter((l) => /^npm (ci|install|test)\b/.test(l));
    expect(ciCommands.map((c) => c.split(' ').slice(0, 2).join(' '))).toEqual([expect.stringMatching(/^npm (ci|install)$/), 'npm test']);
    const steps = runs('test');
    for (const c of ciCommands) expect(steps).toContain(c);
    expect(steps.indexOf(ciCommands[0]!)).toBeLessThan(steps.indexOf('npm test'));
  });

  it('uploads the HubSpot project only on tags, after the tests, with credentials from secrets', () => {
    const job = wf.jobs['hubspot-upload'];
    expect(job.if).toBe("startsWith(github.ref, 'refs/tags/v')");
    expect(job.needs).toBe('test');
    expect(job.env.HUBSPOT_PERSONAL_ACCESS_KEY).toBe('${{ secrets.HUBSPOT_PERSONAL_ACCESS_KEY }}');
    expect(runs('hubspot-upload').some((s) => /^hs project upload --use-env\b/.test(s))).toBe(true);
    expect(JSON.parse(read('hsproject.json')).srcDir).toBe('hubspot-app');
  });
});

describe('production start commands', () => {
  it('splits a start script into its environment and node arguments', () => {
    expect(parseNodeCommand('MALLOC_ARENA_MAX=2 A_B=x node --require tsx/cjs worker/src/main.ts')).toEqual({
      env: { MALLOC_ARENA_MAX: '2', A_B: 'x' },
      args: ['--require', 'tsx/cjs', 'worker/src/main.ts'],
    });
    expect(parseNodeCommand('node backend/src/main.ts')).toEqual({ env: {}, args: ['backend/src/main.ts'] });
    expect(() => parseNodeCommand('tsx worker/src/main.ts')).toThrow(/not a/);
    expect(() => parseNodeCommand('X=1 node')).toThrow(/not a/);
  });
  it('runs both processes with bounded malloc arenas and without the ESM loader thread', () => {
    for (const script of ['start:backend', 'start:worker'] as const) {
      const command = productionCommand(script);
      expect({ script, env: command.env, flags: command.args.slice(0, -1) }).toEqual({ script, env: { MALLOC_ARENA_MAX: '2' }, flags: ['--require', 'tsx/cjs'] });
    }
  });
});
