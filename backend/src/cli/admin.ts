// Operator commands for self-hosting (design.md §5). Each prints one JSON object on stdout so
// scripts can use it; errors print a sentence on stderr and exit 1.
//   npm run admin -- portal:create --hub-id 123 --name "Acme"
//   npm run admin -- apikey:create --portal <portalId> [--name ci]
//   npm run admin -- apikey:revoke --key-id <id> | --key aic_...
//   npm run admin -- portal:plan --portal <portalId> [--max-import-rows N|default] [--max-campaign-contacts N|default]
import { parseArgs } from 'node:util';
import { getConfig } from '../config/config';
import { startRuntime } from '../platform/runtime';
import { createPortal } from '../domain/portals/portal.service';
import { createApiKey, revokeApiKey } from '../domain/portals/api-key.service';
import { AppError } from '../platform/app-error';
import { planLimitsOf, setPlanLimits } from '../domain/settings/plan-limits';
import { logToStderr, setLogLevel } from '../platform/logger';

const USAGE = `usage:
  admin portal:create --hub-id N --name S
  admin apikey:create --portal ID [--name S]
  admin apikey:revoke (--key-id ID | --key aic_...)
  admin portal:plan --portal ID [--max-import-rows N|default] [--max-campaign-contacts N|default]`;

/** A plan number from a flag: digits, or "default" to go back to the server's default (null). */
function planNumber(v: string | undefined, flag: string): number | null | undefined {
  if (v === undefined) return undefined;
  if (v === 'default') return null;
  if (!/^\d{1,12}$/.test(v) || Number(v) < 1) throw new AppError('USAGE', 2, `--${flag} must be a whole number of at least 1, or "default".`);
  return Number(v);
}

async function main(argv: string[]) {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      'hub-id': { type: 'string' },
      name: { type: 'string' },
      portal: { type: 'string' },
      'key-id': { type: 'string' },
      key: { type: 'string' },
      'max-import-rows': { type: 'string' },
      'max-campaign-contacts': { type: 'string' },
    },
    strict: true,
  });
  const need = (v: string | undefined, flag: string) => {
    if (!v) throw new AppError('USAGE', 2, `${command} needs --${flag}.\n${USAGE}`);
    return v;
  };
  if (!['portal:create', 'apikey:create', 'apikey:revoke', 'portal:plan'].includes(command ?? '')) throw new AppError('USAGE', 2, USAGE);

  logToStderr();
  setLogLevel('warn');
  const runtime = await startRuntime({ ...getConfig(), logLevel: 'warn' });
  const db = runtime.deps.db;
  try {
    if (command === 'portal:create') {
      const hubId = need(values['hub-id'], 'hub-id');
      if (!/^\d{1,18}$/.test(hubId)) throw new AppError('USAGE', 2, '--hub-id must be the HubSpot account number (digits only).');
      const p = await createPortal(db, { hubId: BigInt(hubId), name: need(values.name, 'name') });
      return { portalId: p.id, hubId: p.hubId.toString(), name: p.name };
    }
    if (command === 'portal:plan') {
      const portalId = need(values.portal, 'portal');
      const change = { maxImportRows: planNumber(values['max-import-rows'], 'max-import-rows'), maxCampaignContacts: planNumber(values['max-campaign-contacts'], 'max-campaign-contacts') };
      const r = await setPlanLimits(db, portalId, change);
      return { portalId, own: r.plan, inForce: planLimitsOf({ plan: r.plan }, runtime.deps.config.plan) };
    }
    if (command === 'apikey:create') {
      const k = await createApiKey(db, { portalId: need(values.portal, 'portal'), name: values.name });
      return { portalId: k.portalId, keyId: k.id, apiKey: k.apiKey };
    }
    const r = await revokeApiKey(db, { keyId: values['key-id'], apiKey: values.key });
    return { portalId: r.portalId, keyId: r.id, revokedAt: r.revokedAt };
  } finally {
    await runtime.stop();
  }
}

main(process.argv.slice(2))
  .then((out) => {
    process.stdout.write(`${JSON.stringify(out)}\n`);
    process.exit(0);
  })
  .catch((err) => {
    const msg = err instanceof AppError || err?.name === 'ConfigError' ? err.message : `admin failed: ${err?.message ?? err}`;
    process.stderr.write(`${msg}\n`);
    process.exit(err instanceof AppError && err.status === 2 ? 2 : 1);
  });
