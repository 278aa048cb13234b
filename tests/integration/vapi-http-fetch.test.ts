import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { vapiHttpFetch } from '../../backend/src/providers/voice/vapi/vapi-http-fetch';

// The Vapi SDK's transport (vapi-http-fetch.ts) must answer like the built-in fetch for what the
// SDK does with it: status, headers, body, no-body statuses, and an AbortError on its timeout.
// (tests/integration/vapi-adapter.test.ts drives it through the SDK against the Vapi fake.)
describe('vapiHttpFetch (node:http under the Vapi SDK)', () => {
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (req.url === '/echo') {
          res.writeHead(201, { 'content-type': 'application/json', 'retry-after': '7', 'set-cookie': ['a=1', 'b=2'] });
          res.end(JSON.stringify({ method: req.method, auth: req.headers.authorization, length: req.headers['content-length'], body }));
        } else if (req.url === '/empty') {
          res.writeHead(204).end();
        } else if (req.url === '/hang') {
          // never answers
        } else {
          res.writeHead(404).end('nope');
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('sends method, headers and a UTF-8 body with its byte length; answers status, headers and body', async () => {
    const payload = JSON.stringify({ name: 'Zoë 📞' });
    const res = await vapiHttpFetch(`${base}/echo`, { method: 'POST', headers: { Authorization: 'Bearer k', 'Content-Type': 'application/json' }, body: payload });
    expect(res.status).toBe(201);
    expect(res.ok).toBe(true);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(res.headers.get('set-cookie')).toContain('a=1');
    expect(await res.json()).toEqual({ method: 'POST', auth: 'Bearer k', length: String(Buffer.byteLength(payload)), body: payload });
  });

  it('gives a 204 no body and a 404 its text', async () => {
    const empty = await vapiHttpFetch(`${base}/empty`, { method: 'DELETE' });
    expect(empty.status).toBe(204);
    expect(empty.body).toBeNull();
    const missing = await vapiHttpFetch(`${base}/missing`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe('nope');
  });

  it('rejects with an AbortError when the signal fires, before or during the request', async () => {
    await expect(vapiHttpFetch(`${base}/hang`, { signal: AbortSignal.timeout(100) })).rejects.toMatchObject({ name: 'AbortError' });
    const gone = new AbortController();
    gone.abort();
    await expect(vapiHttpFetch(`${base}/echo`, { signal: gone.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('rejects with the socket error when nothing listens', async () => {
    await expect(vapiHttpFetch('http://127.0.0.1:1/x')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
