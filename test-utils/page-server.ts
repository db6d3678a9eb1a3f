// A test page for the browser tests: an esbuild bundle of `entry` (workspace packages from src/)
// served with a one-line HTML page on 127.0.0.1, plus any extra files by URL path.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';

export interface PageServer {
  /** http://127.0.0.1:<port>/ — the page that loads the bundle. */
  url: string;
  close(): Promise<void>;
}

export interface PageServerOptions {
  /** esbuild aliases, e.g. { '@albert-ts/backends': '…/src/errors.ts' }. */
  alias?: Record<string, string>;
  /** Imports left out of the bundle, e.g. ['node:*'] for Node-only paths the page never runs. */
  external?: string[];
  /** More responses by URL path (e.g. '/tfjs-backend-wasm.wasm'). */
  files?: (path: string) => { type: string; body: Uint8Array | string } | null;
  title?: string;
}

/** `entry` bundled for the browser as one ES module (workspace packages from their sources). */
export async function bundleForBrowser(
  entry: string,
  options: Pick<PageServerOptions, 'alias' | 'external'> = {},
): Promise<string> {
  const bundle = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['@albert-ts/source'],
    ...(options.alias != null && { alias: options.alias }),
    ...(options.external != null && { external: options.external }),
    logLevel: 'silent',
  });
  return bundle.outputFiles[0]?.text ?? '';
}

export async function servePage(entry: string, options: PageServerOptions = {}): Promise<PageServer> {
  const js = await bundleForBrowser(entry, options);
  const html = `<!doctype html><meta charset="utf-8"><title>${options.title ?? 'albert-ts test'}</title><script type="module" src="/page.js"></script>`;
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    if (path === '/') return void res.writeHead(200, { 'content-type': 'text/html' }).end(html);
    if (path === '/page.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
    const file = options.files?.(path);
    if (file != null) return void res.writeHead(200, { 'content-type': file.type }).end(file.body);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
