// A local stand-in for the Hugging Face hub, on 127.0.0.1 with a random port: `/<id>/resolve/<rev>/<file>`
// answers like the hub (X-Repo-Commit, X-Error-Code, 302 to a CDN for large files, 401/403 for gated
// models), and a second server on another port plays the CDN (Range, If-Range, ETag).
// Shared by the tests of @albert-ts/core (hub cache) and albert-ts (tokenizers by hub id).
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoggedRequest {
  server: 'hub' | 'cdn';
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
}

export interface Repo {
  commit: string;
  revisions: string[];
  files: Record<string, Uint8Array>;
  /** Files served through a redirect to the CDN (like LFS files on the hub). */
  lfs?: string[];
  /** 'gated' → 401 GatedRepo without the right token; 'private' → 401 RepoNotFound / 403 with a wrong one. */
  access?: 'gated' | 'private';
  /** Answer without X-Repo-Commit, like a plain mirror. */
  noCommit?: boolean;
  /** Announce a SHA-256 ETag that does not match the content. */
  wrongEtag?: boolean;
}

export class FakeHub {
  readonly log: LoggedRequest[] = [];
  readonly repos = new Map<string, Repo>();
  /** Files under /static/ (a plain base-URL server: no commit header). */
  readonly statics = new Map<string, Uint8Array>();
  /** Pages for a browser test: path → [content type, body]. */
  readonly pages = new Map<string, [string, string]>();
  goodToken = 'hf_good';
  /** Next CDN GET of this file sends the full Content-Length, then this many bytes, then drops the socket. */
  readonly interrupt = new Map<string, number>();
  rangeSupport = true;
  private hub!: Server;
  private cdn!: Server;
  hubUrl = '';
  cdnUrl = '';

  async start(): Promise<void> {
    this.hub = createServer((req, res) => this.onHub(req, res));
    this.cdn = createServer((req, res) => this.onCdn(req, res));
    this.hubUrl = await listen(this.hub);
    this.cdnUrl = await listen(this.cdn);
  }

  async stop(): Promise<void> {
    this.hub.closeAllConnections();
    this.cdn.closeAllConnections();
    await Promise.all([new Promise((r) => this.hub.close(r)), new Promise((r) => this.cdn.close(r))]);
  }

  requests(server?: 'hub' | 'cdn'): LoggedRequest[] {
    return this.log.filter((r) => server === undefined || r.server === server);
  }

  private onHub(req: IncomingMessage, res: ServerResponse) {
    const path = req.url ?? '/';
    this.log.push({ server: 'hub', method: req.method ?? 'GET', path, headers: req.headers });
    const page = this.pages.get(path);
    if (page !== undefined) return void res.writeHead(200, { 'Content-Type': page[0] }).end(page[1]);
    if (path.startsWith('/static/')) {
      const body = this.statics.get(decodeURIComponent(path.slice('/static/'.length)));
      if (body === undefined) return end(res, 404, {});
      return sendBody(req, res, body, {}, false);
    }
    const m = /^\/(.+)\/resolve\/([^/]+)\/(.+)$/.exec(path);
    if (m === null) return end(res, 404, {});
    const [, id, rev, file] = m.map((s) => decodeURIComponent(s ?? '')) as [string, string, string, string];
    const repo = this.repos.get(id);
    if (repo === undefined) return end(res, 401, { 'X-Error-Code': 'RepoNotFound' });
    if (repo.access !== undefined) {
      const auth = req.headers.authorization;
      if (auth !== `Bearer ${this.goodToken}`) {
        if (auth !== undefined) return end(res, 403, {});
        return end(res, 401, { 'X-Error-Code': repo.access === 'gated' ? 'GatedRepo' : 'RepoNotFound' });
      }
    }
    if (!repo.revisions.includes(rev) && rev !== repo.commit)
      return end(res, 404, { 'X-Error-Code': 'RevisionNotFound' });
    const body = repo.files[file];
    if (body === undefined) return end(res, 404, { 'X-Error-Code': 'EntryNotFound', 'X-Repo-Commit': repo.commit });
    const etag = `"${createHash('sha256')
      .update(body)
      .update(repo.wrongEtag ? 'x' : '')
      .digest('hex')}"`;
    if (repo.lfs?.includes(file)) {
      return end(res, 302, {
        Location: `${this.cdnUrl}/cdn/${encodeURIComponent(id)}/${encodeURIComponent(file)}`,
        'X-Repo-Commit': repo.commit,
        'X-Linked-Etag': etag,
      });
    }
    sendBody(req, res, body, repo.noCommit ? { ETag: etag } : { 'X-Repo-Commit': repo.commit, ETag: etag }, false);
  }

  private onCdn(req: IncomingMessage, res: ServerResponse) {
    const path = req.url ?? '/';
    this.log.push({ server: 'cdn', method: req.method ?? 'GET', path, headers: req.headers });
    const m = /^\/cdn\/([^/]+)\/([^/]+)$/.exec(path);
    const id = decodeURIComponent(m?.[1] ?? '');
    const file = decodeURIComponent(m?.[2] ?? '');
    const body = this.repos.get(id)?.files[file];
    if (body === undefined) return end(res, 404, {});
    const etag = `"${createHash('sha256').update(body).digest('hex')}"`;
    const cut = req.method === 'GET' ? this.interrupt.get(file) : undefined;
    if (cut !== undefined) this.interrupt.delete(file);
    sendBody(req, res, body, { ETag: etag }, this.rangeSupport, cut);
  }
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

// Browsers read cross-origin responses (the CDN is another port) only with CORS headers.
const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'ETag, X-Repo-Commit, X-Linked-Etag, X-Error-Code, Content-Range',
};

function end(res: ServerResponse, status: number, headers: Record<string, string>): void {
  res.writeHead(status, { ...CORS, ...headers });
  res.end();
}

function sendBody(
  req: IncomingMessage,
  res: ServerResponse,
  body: Uint8Array,
  headers: Record<string, string>,
  ranges: boolean,
  cutAfter?: number,
) {
  let start = 0;
  let status = 200;
  const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  const ifRange = req.headers['if-range'];
  if (ranges && range !== null && (ifRange === undefined || ifRange === headers.ETag)) {
    start = Number(range[1]);
    if (start >= body.length) {
      return end(res, 416, { 'Content-Range': `bytes */${body.length}` });
    }
    status = 206;
    headers['Content-Range'] = `bytes ${start}-${body.length - 1}/${body.length}`;
  }
  const part = body.subarray(start);
  res.writeHead(status, {
    ...CORS,
    ...headers,
    'Content-Length': String(part.length),
    'Accept-Ranges': ranges ? 'bytes' : 'none',
  });
  if (req.method === 'HEAD') return void res.end();
  if (cutAfter !== undefined) {
    res.write(part.subarray(0, cutAfter), () => setTimeout(() => res.socket?.destroy(), 300));
    return;
  }
  res.end(part);
}
