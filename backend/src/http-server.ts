import http from 'node:http';
import type { Express } from 'express';

/** Listens, and returns a close() that stops taking new connections and lets in-flight ones finish. */
export async function listen(app: Express, port: number, host = '0.0.0.0'): Promise<{ server: http.Server; port: number; close(): Promise<void> }> {
  const server = http.createServer(app);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const addr = server.address();
  return {
    server,
    port: typeof addr === 'object' && addr ? addr.port : port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 10_000).unref();
      }),
  };
}
