// Builds (with Vite) and serves the web page on localhost, cross-origin isolated (COOP/COEP), which
// is what SharedArrayBuffer and so the wasm backend's threads need. `pnpm demo --web` runs it.
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { modelRoutes } from './routes.js';

export const APP_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const WEB_OUT = `${APP_ROOT}dist/web`;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export interface ServeWebOptions {
  /** Build the page first (always when dist/web is missing). */
  build?: boolean;
  /** Default 0: any free port. */
  port?: number;
  /** Send the COOP/COEP headers (default true); false serves the page without threads, as most hosts do. */
  isolated?: boolean;
  log?: boolean;
  /** Called with the path of every request (tests use it to see what the page fetched). */
  onRequest?: (path: string) => void;
}

export interface WebServer {
  url: string;
  close(): Promise<void>;
}

/** Runs Vite's production build of the page into dist/web. */
export async function buildWeb(): Promise<void> {
  const vite = await import('vite');
  await vite.build({ configFile: `${APP_ROOT}web/vite.config.ts`, logLevel: 'warn' });
}

export async function serveWeb(options: ServeWebOptions = {}): Promise<WebServer> {
  if (options.build || !existsSync(`${WEB_OUT}/index.html`)) await buildWeb();
  const routes = await modelRoutes(WEB_OUT);
  const isolation =
    options.isolated === false
      ? {}
      : {
          'cross-origin-opener-policy': 'same-origin',
          'cross-origin-embedder-policy': 'require-corp',
          'cross-origin-resource-policy': 'same-origin',
        };
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    options.onRequest?.(path);
    if (path === '/api/models') {
      return void res
        .writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store', ...isolation })
        .end(JSON.stringify(routes.catalog));
    }
    const file = routes.file(path);
    if (file == null) return void res.writeHead(404, { 'content-type': 'text/plain', ...isolation }).end('not found');
    const body = readFileSync(file);
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': body.length,
      ...isolation,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  if (options.log) {
    const fixtures = Object.entries(routes.catalog).filter(([, m]) => m.fixture);
    process.stdout.write(`albert-ts playground: ${url} (cross-origin isolated: ${options.isolated !== false})\n`);
    if (fixtures.length > 0)
      process.stdout.write(
        `notice: no default model for ${fixtures.map(([t]) => t).join(', ')}; the page uses the fixture models (random weights)\n`,
      );
    process.stdout.write('Ctrl-C stops the server.\n');
  }
  return { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
