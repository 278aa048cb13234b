import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { VapiClient as PackageClient } from '@vapi-ai/server-sdk';
import sdkPackage from '@vapi-ai/server-sdk/package.json';
import { BUNDLED_SDK_VERSION, VapiClient as BundledClient } from '../../backend/src/generated/vapi-sdk';
import { assertVapiBundleCurrent } from '../../backend/src/providers/voice/vapi/vapi.client';

// The app loads the Vapi SDK as one bundled file (scripts/bundle-vapi-sdk.js). It must be the
// installed SDK, and send exactly what the package itself sends.

interface Seen {
  method: string;
  url: string;
  headers: Record<string, unknown>;
  body: string;
}

describe('the bundled Vapi SDK', () => {
  let server: http.Server;
  let baseUrl: string;
  const seen: Seen[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        const { host: _host, connection: _connection, ...headers } = req.headers;
        seen.push({ method: req.method!, url: req.url!, headers, body });
        res.writeHead(req.method === 'POST' ? 201 : 200, { 'Content-Type': 'application/json' });
        res.end(req.method === 'POST' ? JSON.stringify({ id: 'call-1', status: 'queued' }) : JSON.stringify([]));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('is the installed SDK version', () => {
    expect(BUNDLED_SDK_VERSION).toBe(sdkPackage.version);
    expect(() => assertVapiBundleCurrent()).not.toThrow();
    expect(() => assertVapiBundleCurrent('2.1.0', '2.0.1')).toThrow('the bundled Vapi SDK is 2.0.1 but @vapi-ai/server-sdk 2.1.0 is installed; run `npm run vapi:bundle`');
  });

  it('sends the same requests as the package and returns the same results', async () => {
    const request = {
      assistant: { name: 'a', firstMessage: 'Hi {{firstName}}', model: { provider: 'openai' as const, model: 'gpt-4o' as const } },
      phoneNumberId: 'pn-1',
      customer: { number: '+14155550123' },
      metadata: { attemptId: 'att-1' },
    };
    const results = [];
    for (const Client of [PackageClient, BundledClient]) {
      const sdk = new Client({ token: 'tok', baseUrl, maxRetries: 0 });
      results.push(await sdk.calls.create(request as never));
      results.push(await sdk.calls.list({ createdAtGe: '2026-01-01T00:00:00.000Z', limit: 5 }));
    }
    expect(seen).toHaveLength(4);
    expect(results[2]).toEqual(results[0]);
    expect(results[3]).toEqual(results[1]);
    expect(seen[2]).toEqual(seen[0]);
    expect(seen[3]).toEqual(seen[1]);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/call', headers: { authorization: 'Bearer tok' } });
    expect(JSON.parse(seen[0]!.body)).toEqual(request);
  });
});
