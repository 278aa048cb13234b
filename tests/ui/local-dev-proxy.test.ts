import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

// hubspot-app/app/local.json is read by `hs project dev` only (HubSpot's AGENTS.md for 2025.2,
// "Local Proxy Configuration"): it sits next to app-hsmeta.json and maps an HTTPS origin the app
// fetches to a local URL. Keys are whole origins (no path routing), so the one key must be the
// local profile's BACKEND_URL, which is what the cards and pages put in front of every request.
const APP = path.resolve(__dirname, '../../hubspot-app/app');
const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;

const ZLocalJson = z.strictObject({
  proxy: z.record(z.string().regex(/^https:\/\/[a-z0-9.-]+(:\d+)?$/, 'must be an HTTPS origin with no path'), z.string().regex(/^http:\/\/(localhost|127\.0\.0\.1):\d+$/, 'must be a local URL')),
});

describe('local dev proxy (hubspot-app/app/local.json)', () => {
  const local = ZLocalJson.parse(readJson(path.join(APP, 'local.json')));
  const profile = readJson(path.resolve(APP, '../hsprofile.local.json')) as { variables: { BACKEND_URL: string } };

  it('sits next to the app component', () => {
    expect(fs.existsSync(path.join(APP, 'app-hsmeta.json'))).toBe(true);
  });

  it("sends the local profile's backend to the backend started by npm start", () => {
    expect(local.proxy).toEqual({ [profile.variables.BACKEND_URL]: 'http://localhost:3000' });
  });
});
