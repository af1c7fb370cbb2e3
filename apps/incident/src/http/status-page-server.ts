import type { DbOrTx } from '@sabia/db';
import type { Logger } from '@sabia/logger';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listComponents } from '../components/list-components';
import { renderStatusPage } from './render-status-page';
import { buildStatusPage, type StatusPage } from './status-page-model';
import { componentsJson, summaryJson } from './statuspage-json';

export interface StatusPageServer {
  port: number;
  /** Where readers reach the page: STATUS_PAGE_URL, or the bound local address. */
  url: string;
  close(graceMs?: number): Promise<void>;
}

interface Reply {
  status: number;
  type: 'html' | 'json';
  body: string;
  headers?: Record<string, string>;
}

// Nothing on the page loads anything: no scripts, images or frames, only the inline stylesheet.
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};
const CONTENT_TYPES = { html: 'text/html; charset=utf-8', json: 'application/json; charset=utf-8' };
// A few seconds of caching lets a CDN absorb the crowd that arrives during an incident.
const CACHEABLE = { 'cache-control': 'public, max-age=10' };
// Public, read-only data: browser widgets on customers' sites may fetch it.
const API = { ...CACHEABLE, 'access-control-allow-origin': '*' };

const json = (status: number, body: unknown, headers?: Record<string, string>): Reply =>
  ({ status, type: 'json', body: JSON.stringify(body), headers });

type Route = (page: () => Promise<StatusPage>) => Promise<Reply>;
const ROUTES: Record<string, Route> = {
  '/': async (page) => ({ status: 200, type: 'html', body: renderStatusPage(await page()), headers: CACHEABLE }),
  '/api/v2/summary.json': async (page) => json(200, summaryJson(await page()), API),
  '/api/v2/components.json': async (page) => json(200, componentsJson(await page()), API),
  // Liveness only: the page being up must not depend on Postgres answering this probe.
  '/healthz': async () => json(200, { status: 'ok' }),
};

function route(req: IncomingMessage, page: () => Promise<StatusPage>): Promise<Reply> {
  // HEAD is a GET without a body (Node drops it); uptime monitors use it.
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return Promise.resolve(json(405, { error: `method ${req.method} not allowed` }, { allow: 'GET, HEAD' }));
  }
  // Not `new URL(req.url, base)`: "//host/x" would parse as another host.
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const handler = ROUTES[path];
  return handler ? handler(page) : Promise.resolve(json(404, { error: 'not found' }));
}

/** The public status page and Statuspage-compatible JSON, on plain node:http. */
export async function startStatusPageServer(opts: {
  host: string;
  port: number;
  db: DbOrTx;
  name: string;
  /** Public URL behind a proxy; defaults to the bound address. */
  url?: string;
  logger: Logger;
}): Promise<StatusPageServer> {
  let url = opts.url ?? '';
  const page = async () => buildStatusPage({ name: opts.name, url }, await listComponents(opts.db));
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void route(req, page)
      .catch((err: unknown): Reply => {
        opts.logger.error({ err, path: req.url }, 'status page request failed');
        return json(500, { error: 'internal error' });
      })
      .then((reply) => {
        res.writeHead(reply.status, { ...SECURITY_HEADERS, 'content-type': CONTENT_TYPES[reply.type], ...reply.headers });
        res.end(reply.body);
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const local = opts.host === '0.0.0.0' || opts.host === '::' ? '127.0.0.1' : opts.host;
  url ||= `http://${local.includes(':') ? `[${local}]` : local}:${port}/`;
  return {
    port,
    url,
    // close() stops accepting and ends idle keep-alive sockets; after the grace, cut the rest.
    close: (graceMs = 5_000) =>
      new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), graceMs);
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
      }),
  };
}
