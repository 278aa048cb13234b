import { startHubSpotFake, FAKE_DEFAULTS } from './server';
import { seedDemoLists, seedList } from './seed';
import { DEFAULT_FAKE_HUB_ID } from './routes/oauth.routes';

// npm run fakes:hubspot — the HubSpot fake as a standalone server.
//   HUBSPOT_FAKE_PORT (default 4010), HUBSPOT_CLIENT_ID / HUBSPOT_CLIENT_SECRET (the app the fake
//   accepts; defaults fake-client-id / fake-client-secret), HUBSPOT_FAKE_SEED_LIST=N seeds a list
//   of N contacts in account 1000001 (which always has a few small lists for the list picker,
//   seed.ts seedDemoLists). Point the backend at it with HUBSPOT_API_BASE_URL=<url> and
//   HUBSPOT_AUTHORIZE_URL=<url>/oauth/authorize.

async function main() {
  const fake = await startHubSpotFake({
    port: Number(process.env.HUBSPOT_FAKE_PORT ?? 4010),
    host: process.env.HUBSPOT_FAKE_HOST ?? '127.0.0.1',
    clientId: process.env.HUBSPOT_CLIENT_ID ?? FAKE_DEFAULTS.clientId,
    clientSecret: process.env.HUBSPOT_CLIENT_SECRET ?? FAKE_DEFAULTS.clientSecret,
  });
  const seedSize = Number(process.env.HUBSPOT_FAKE_SEED_LIST ?? 0);
  const demoLists = seedDemoLists(fake.state, DEFAULT_FAKE_HUB_ID);
  const seeded = seedSize > 0 ? seedList(fake.state, { hubId: DEFAULT_FAKE_HUB_ID, size: seedSize, name: 'Seeded list' }) : undefined;
  console.log(`HubSpot fake listening on ${fake.url}`);
  console.log(`  HUBSPOT_API_BASE_URL=${fake.url}`);
  console.log(`  HUBSPOT_AUTHORIZE_URL=${fake.url}/oauth/authorize`);
  console.log(`  control panel: GET ${fake.url}/__fake/state`);
  console.log(`  lists in account ${DEFAULT_FAKE_HUB_ID}: ${demoLists.map((l) => `${l.listId} "${l.name}"`).join(', ')}`);
  if (seeded) console.log(`  seeded list ${seeded.listId} with ${seeded.contactIds.length} contacts in account ${DEFAULT_FAKE_HUB_ID}`);
  const stop = () => void fake.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
