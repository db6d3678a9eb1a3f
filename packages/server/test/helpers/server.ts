// Starting a server on a free 127.0.0.1 port for a test, on the cpu backend (the same numbers on
// every machine, and as the reference pipelines here), the model in the test's process unless the
// test asks for the worker process (`worker: true`), and reading its /metrics.
import { fileURLToPath } from 'node:url';
import { initBackend } from 'albert-ts';
import { afterEach } from 'vitest';
import { type AlbertServer, createServer, type ServerOptions } from '../../src/index.js';

export function fixture(name: string): string {
  return fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
}

const running: AlbertServer[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

/** A listening, warm server (closed after the test). */
export async function startServer(options: ServerOptions): Promise<{ server: AlbertServer; url: string }> {
  await initBackend({ prefer: 'cpu' });
  const server = createServer({ logger: false, port: 0, backend: 'cpu', worker: false, ...options });
  running.push(server);
  const url = await server.listen();
  await server.ready();
  return { server, url };
}

export async function postJson(
  url: string,
  body: unknown,
  init: RequestInit = {},
  // biome-ignore lint/suspicious/noExplicitAny: tests read the JSON answers field by field
): Promise<{ status: number; json: any; headers: Headers }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...init,
  });
  const text = await res.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: res.status, json, headers: res.headers };
}

/** The value of one sample line of /metrics (`name{labels…}`), 0 when absent. */
export async function metric(url: string, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let total = 0;
  let found = false;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    total += Number(line.slice(line.lastIndexOf(' ') + 1));
    found = true;
  }
  return found ? total : 0;
}
