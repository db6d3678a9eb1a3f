import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlbertError } from '@albert-ts/common';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeHub } from '../../../../test-utils/fake-hub.js';
import { HubError, type OpenModelSourceOptions, openModelSource, resolveHubSettings } from '../../src/hub/index.js';
import { fetchSafetensors, SafetensorsError } from '../../src/safetensors/index.js';

const MODEL = new Uint8Array(await readFile(new URL('../fixtures/io/tiny-qa.model.safetensors', import.meta.url)));
const CONFIG = new Uint8Array(await readFile(new URL('../fixtures/io/tiny-qa.config.json', import.meta.url)));
const COMMIT = 'c0ffee0000000000000000000000000000000001';
const text = new TextDecoder();

let hub: FakeHub;
let root: string;
let cacheDir: string;

beforeAll(async () => {
  hub = new FakeHub();
  await hub.start();
  const files = { 'config.json': CONFIG, 'model.safetensors': MODEL, 'sub/notes.txt': new TextEncoder().encode('hi') };
  hub.repos.set('org/tiny', { commit: COMMIT, revisions: ['main', 'refs/pr/1'], files, lfs: ['model.safetensors'] });
  hub.repos.set('solo', { commit: COMMIT.replace('1', '2'), revisions: ['main'], files: { 'config.json': CONFIG } });
  hub.repos.set('org/gated', {
    commit: COMMIT,
    revisions: ['main'],
    files,
    lfs: ['model.safetensors'],
    access: 'gated',
  });
  hub.repos.set('org/mirror', {
    commit: COMMIT,
    revisions: ['v1.0'],
    files: { 'config.json': CONFIG },
    noCommit: true,
  });
  hub.repos.set('org/liar', { commit: COMMIT, revisions: ['main'], files: { 'config.json': CONFIG }, wrongEtag: true });
  hub.repos.set('org/private', { commit: COMMIT, revisions: ['main'], files, access: 'private' });
  hub.statics.set('config.json', CONFIG);
  hub.statics.set('model.safetensors', MODEL);
  root = await mkdtemp(join(tmpdir(), 'albert-hub-'));
});
afterAll(async () => {
  await hub.stop();
  await rm(root, { recursive: true, force: true });
});
beforeEach(async () => {
  cacheDir = await mkdtemp(join(root, 'cache-'));
  hub.log.length = 0;
  hub.rangeSupport = true;
  hub.interrupt.clear();
});
afterEach(() => {
  hub.interrupt.clear();
});

/**
 * Options for the fake hub. A given `env` keeps the real environment (HF_TOKEN, HF_HUB_OFFLINE…) out,
 * and HF_TOKEN_PATH points at no file so a token saved by `huggingface-cli login` is not picked up.
 */
function opts(extra: OpenModelSourceOptions = {}): OpenModelSourceOptions {
  return { endpoint: hub.hubUrl, cacheDir, ...extra, env: { HF_TOKEN_PATH: join(root, 'no-token'), ...extra.env } };
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(join(entry.parentPath, entry.name).slice(dir.length + 1));
  }
  return out.sort();
}

async function caught(promise: Promise<unknown>): Promise<HubError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(HubError);
    expect(error).toBeInstanceOf(AlbertError);
    return error as HubError;
  }
  throw new Error('expected a HubError');
}

describe('hub ids: download into an HF-compatible cache', () => {
  it('downloads config.json and model.safetensors (through the CDN redirect) into models--org--tiny', async () => {
    const progress: { file: string; loaded: number; total?: number }[] = [];
    const source = await openModelSource('org/tiny', opts({ onProgress: (p) => progress.push(p) }));
    expect(source.description).toContain('hub org/tiny@main');
    expect(await source.readText('config.json')).toBe(text.decode(CONFIG));
    const weights = await source.readSafetensors('model.safetensors');
    expect(weights.tensors.size).toBe(25);
    expect(weights.tensors.get('qa_outputs.weight')!.shape).toEqual([2, 32]);
    expect(Buffer.from(await source.readFile('model.safetensors')).equals(Buffer.from(MODEL))).toBe(true);

    expect(await listFiles(cacheDir)).toEqual([
      'models--org--tiny/refs/main',
      `models--org--tiny/snapshots/${COMMIT}/config.json`,
      `models--org--tiny/snapshots/${COMMIT}/model.safetensors`,
    ]);
    expect(await readFile(join(cacheDir, 'models--org--tiny/refs/main'), 'utf8')).toBe(COMMIT);
    const last = progress.filter((p) => p.file === 'model.safetensors').at(-1)!;
    expect(last).toEqual({ file: 'model.safetensors', loaded: MODEL.length, total: MODEL.length });
    // one hub request per file, one CDN request for the LFS file; no token was sent
    expect(hub.requests('hub').map((r) => r.path)).toEqual([
      '/org/tiny/resolve/main/config.json',
      '/org/tiny/resolve/main/model.safetensors',
    ]);
    expect(hub.requests('cdn')).toHaveLength(1);
    expect(hub.log.every((r) => r.headers.authorization === undefined)).toBe(true);
  });

  it('reuses the cache: a second source makes no request at all', async () => {
    const first = await openModelSource('org/tiny', opts());
    await first.readFile('config.json');
    await first.readFile('model.safetensors');
    const before = hub.log.length;
    const second = await openModelSource('org/tiny', opts());
    expect(text.decode(await second.readFile('config.json'))).toBe(text.decode(CONFIG));
    expect((await second.readFile('model.safetensors')).length).toBe(MODEL.length);
    expect(await second.has('model.safetensors')).toBe(true);
    // a commit hash revision is served from the same snapshot
    const pinned = await openModelSource('org/tiny', opts({ revision: COMMIT }));
    expect((await pinned.readFile('config.json')).length).toBe(CONFIG.length);
    expect(hub.log.length).toBe(before);
  });

  it('single-name ids, nested files and revisions with "/" (refs/pr/1, percent-encoded in the URL)', async () => {
    const solo = await openModelSource('solo', opts());
    expect((await solo.readFile('config.json')).length).toBe(CONFIG.length);
    const pr = await openModelSource('org/tiny', opts({ revision: 'refs/pr/1' }));
    expect(await pr.readText('sub/notes.txt')).toBe('hi');
    expect(hub.requests('hub').map((r) => r.path)).toEqual([
      '/solo/resolve/main/config.json',
      '/org/tiny/resolve/refs%2Fpr%2F1/sub/notes.txt',
    ]);
    expect(await readFile(join(cacheDir, 'models--org--tiny/refs/refs/pr/1'), 'utf8')).toBe(COMMIT);
    expect(await readFile(join(cacheDir, `models--org--tiny/snapshots/${COMMIT}/sub/notes.txt`), 'utf8')).toBe('hi');
  });

  it('an interrupted download leaves no complete-looking file, and the next call resumes with Range', async () => {
    hub.interrupt.set('model.safetensors', 40_000);
    const source = await openModelSource('org/tiny', opts({ retries: 0 }));
    const error = await caught(source.readFile('model.safetensors'));
    expect(error.code).toBe('interrupted');
    const files = await listFiles(cacheDir);
    expect(files.some((f) => f.includes('/snapshots/') && f.endsWith('model.safetensors'))).toBe(false);
    const partial = files.find((f) => f.endsWith('model.safetensors.incomplete'))!;
    expect(partial).toBe('models--org--tiny/.partial/main/model.safetensors.incomplete');
    const have = (await stat(join(cacheDir, partial))).size;
    expect(have).toBeGreaterThan(0);
    expect(have).toBeLessThanOrEqual(40_000);

    const again = await openModelSource('org/tiny', opts({ retries: 0 }));
    const bytes = await again.readFile('model.safetensors');
    expect(Buffer.from(bytes).equals(Buffer.from(MODEL))).toBe(true);
    const resumed = hub.requests('cdn').at(-1)!;
    expect(resumed.headers.range).toBe(`bytes=${have}-`);
    expect(resumed.headers['if-range']).toMatch(/^"[0-9a-f]{64}"$/);
    expect((await listFiles(cacheDir)).filter((f) => f.includes('.partial') || f.includes('.incomplete'))).toEqual([]);
  });

  it('restarts from zero when the server ignores Range, and retries within one call', async () => {
    hub.interrupt.set('model.safetensors', 30_000);
    const source = await openModelSource('org/tiny', opts({ retries: 0 }));
    await caught(source.readFile('model.safetensors'));
    hub.rangeSupport = false;
    hub.interrupt.set('model.safetensors', 10_000); // the restart is cut too: the default retries finish it
    const again = await openModelSource('org/tiny', opts());
    expect(Buffer.from(await again.readFile('model.safetensors')).equals(Buffer.from(MODEL))).toBe(true);
    const cdn = hub.requests('cdn');
    expect(cdn).toHaveLength(3); // cut, restarted-and-cut, complete
    expect(cdn[1]!.headers.range).toMatch(/^bytes=\d+-$/);
  });

  it('restarts when the partial file is longer than the real one (HTTP 416)', async () => {
    const partialDir = join(cacheDir, 'models--org--tiny/.partial/main');
    await mkdir(partialDir, { recursive: true });
    await writeFile(join(partialDir, 'model.safetensors.incomplete'), new Uint8Array(MODEL.length + 10));
    const source = await openModelSource('org/tiny', opts());
    expect(Buffer.from(await source.readFile('model.safetensors')).equals(Buffer.from(MODEL))).toBe(true);
    expect(hub.requests('cdn').map((r) => r.headers.range)).toEqual([`bytes=${MODEL.length + 10}-`, undefined]);
  });

  it('without X-Repo-Commit the snapshot is named after the revision, and is reused', async () => {
    const source = await openModelSource('org/mirror', opts({ revision: 'v1.0' }));
    expect((await source.readFile('config.json')).length).toBe(CONFIG.length);
    expect(await listFiles(cacheDir)).toEqual(['models--org--mirror/snapshots/v1.0/config.json']);
    const again = await openModelSource('org/mirror', opts({ revision: 'v1.0', offline: true }));
    expect((await again.readFile('config.json')).length).toBe(CONFIG.length);
    expect(hub.requests('hub')).toHaveLength(1);
  });

  it('checks the SHA-256 the hub announces: a bad resumed prefix is re-downloaded, a bad file is an error', async () => {
    const partialDir = join(cacheDir, 'models--org--tiny/.partial/main');
    await mkdir(partialDir, { recursive: true });
    await writeFile(join(partialDir, 'model.safetensors.incomplete'), new Uint8Array(1000).fill(7));
    const { createHash } = await import('node:crypto');
    await writeFile(
      join(partialDir, 'model.safetensors.incomplete.etag'),
      `"${createHash('sha256').update(MODEL).digest('hex')}"`,
    );
    const source = await openModelSource('org/tiny', opts());
    expect(Buffer.from(await source.readFile('model.safetensors')).equals(Buffer.from(MODEL))).toBe(true);
    expect(hub.requests('cdn').map((r) => r.headers.range)).toEqual(['bytes=1000-', undefined]);

    const liar = await openModelSource('org/liar', opts());
    const error = await caught(liar.readFile('config.json'));
    expect(error.code).toBe('corrupt');
    expect(error.message).toMatch(/config\.json from .* does not match its SHA-256 [0-9a-f]{64}/);
    expect((await listFiles(cacheDir)).filter((f) => f.includes('liar'))).toEqual([]);
  });

  it("two sources sharing a cache download a file once (lock file); a dead owner's lock is taken over", async () => {
    const a = await openModelSource('org/tiny', opts());
    const b = await openModelSource('org/tiny', opts());
    const [x, y] = await Promise.all([a.readFile('model.safetensors'), b.readFile('model.safetensors')]);
    expect(Buffer.from(x).equals(Buffer.from(MODEL))).toBe(true);
    expect(Buffer.from(y).equals(Buffer.from(MODEL))).toBe(true);
    expect(hub.requests('cdn')).toHaveLength(1);

    // a lock left by a process that no longer exists
    const { spawnSync } = await import('node:child_process');
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const partialDir = join(cacheDir, 'models--org--tiny/.partial/main');
    await writeFile(join(partialDir, 'config.json.incomplete.lock'), String(dead));
    const c = await openModelSource('org/tiny', opts());
    expect(await c.readText('config.json')).toBe(text.decode(CONFIG));
    expect(await listFiles(join(cacheDir, 'models--org--tiny/.partial'))).toEqual([]);
  });

  it('de-duplicates concurrent reads of one file', async () => {
    const source = await openModelSource('org/tiny', opts());
    const [a, b] = await Promise.all([source.readFile('model.safetensors'), source.readFile('model.safetensors')]);
    expect(a.length).toBe(MODEL.length);
    expect(b.length).toBe(MODEL.length);
    expect(hub.requests('cdn')).toHaveLength(1);
  });
});

describe('offline mode', () => {
  it('uses only the cache (option or HF_HUB_OFFLINE=1) and names what is missing', async () => {
    await (await openModelSource('org/tiny', opts())).readFile('config.json');
    const before = hub.log.length;
    const offline = await openModelSource('org/tiny', opts({ env: { HF_HUB_OFFLINE: '1' } }));
    expect(offline.description).toContain('offline');
    expect((await offline.readFile('config.json')).length).toBe(CONFIG.length);
    expect(await offline.has('model.safetensors')).toBe(false);
    const error = await caught(offline.readFile('model.safetensors'));
    expect(error.code).toBe('offline-missing');
    expect(error.message).toMatch(
      /offline mode .*model\.safetensors of model org\/tiny at revision "main" is not in the cache/,
    );
    expect(error.message).toContain(join(cacheDir, 'models--org--tiny'));
    const empty = await openModelSource('org/other', opts({ offline: true }));
    expect((await caught(empty.readText('config.json'))).code).toBe('offline-missing');
    await expect(openModelSource(`${hub.hubUrl}/static`, opts({ offline: true }))).rejects.toThrow(/offline mode/);
    expect(hub.log.length).toBe(before);
  });
});

describe('HTTP errors', () => {
  it('401 for a gated model mentions gating and HF_TOKEN; the token is sent to the hub only', async () => {
    const source = await openModelSource('org/gated', opts());
    const error = await caught(source.readFile('config.json'));
    expect(error.code).toBe('unauthorized');
    expect(error.status).toBe(401);
    expect(error.message).toMatch(/model org\/gated is gated: accept its conditions/);
    expect(error.message).toMatch(/no token was sent: set HF_TOKEN/);
    expect(await listFiles(cacheDir)).toEqual([]);

    const withToken = await openModelSource('org/gated', opts({ env: { HF_TOKEN: 'hf_good' } }));
    expect((await withToken.readFile('model.safetensors')).length).toBe(MODEL.length);
    const hubReq = hub.requests('hub').at(-1)!;
    expect(hubReq.headers.authorization).toBe('Bearer hf_good');
    expect(hub.requests('cdn').at(-1)!.headers.authorization).toBeUndefined(); // other origin
  });

  it('401/403 for a private model, with and without a token', async () => {
    const anonymous = await caught((await openModelSource('org/private', opts())).readFile('config.json'));
    expect(anonymous.status).toBe(401);
    expect(anonymous.message).toMatch(/org\/private does not exist, or it is private or gated/);
    const wrong = await caught(
      (await openModelSource('org/private', opts({ token: 'hf_bad' }))).readFile('config.json'),
    );
    expect(wrong.code).toBe('forbidden');
    expect(wrong.status).toBe(403);
    expect(wrong.message).toMatch(/the HF_TOKEN that was sent does not grant access/);
  });

  it('404 for a missing file or revision; has() says false for a missing file', async () => {
    const source = await openModelSource('org/tiny', opts());
    const missing = await caught(source.readFile('spiece.model'));
    expect(missing.code).toBe('not-found');
    expect(missing.status).toBe(404);
    expect(missing.message).toMatch(/file spiece\.model does not exist in model org\/tiny at revision "main"/);
    expect(await source.has('spiece.model')).toBe(false);
    expect(await source.has('config.json')).toBe(true);
    const badRev = await caught((await openModelSource('org/tiny', opts({ revision: 'v9' }))).readFile('config.json'));
    expect(badRev.message).toMatch(/revision "v9" does not exist in model org\/tiny/);
    expect(await (await openModelSource('org/tiny', opts({ revision: 'v9' }))).has('config.json')).toBe(false);
    // only the 404 EntryNotFound of an existing commit is remembered, as huggingface_hub does
    expect((await listFiles(cacheDir)).filter((f) => !f.includes('.partial'))).toEqual([
      `models--org--tiny/.no_exist/${COMMIT}/spiece.model`,
      'models--org--tiny/refs/main',
    ]);
  });

  it('a file the repo lacks is asked for once: later sources, online or offline, know it from the cache', async () => {
    expect(await (await openModelSource('org/tiny', opts())).has('spiece.model')).toBe(false);
    expect(hub.log.map((r) => `${r.method} ${r.path}`)).toEqual(['HEAD /org/tiny/resolve/main/spiece.model']);
    hub.log.length = 0;
    expect(await (await openModelSource('org/tiny', opts())).has('spiece.model')).toBe(false);
    const offline = await openModelSource('org/tiny', opts({ offline: true }));
    expect(await offline.has('spiece.model')).toBe(false);
    const gone = await caught(offline.readFile('spiece.model')); // known missing: not-found, not "not in the cache"
    expect(gone.code).toBe('not-found');
    expect(gone.message).toMatch(
      /spiece\.model does not exist in model org\/tiny at revision "main" \(the hub said so/,
    );
    expect(hub.log).toEqual([]);
    // another revision (another commit) is asked afresh
    expect(await (await openModelSource('org/tiny', opts({ revision: 'refs/pr/1' }))).has('spiece.model')).toBe(false);
    expect(hub.log.map((r) => `${r.method} ${r.path}`)).toEqual(['HEAD /org/tiny/resolve/refs%2Fpr%2F1/spiece.model']);
  });

  it('a server that cannot be reached is a network error that suggests offline mode', async () => {
    const source = await openModelSource('org/tiny', opts({ endpoint: 'http://127.0.0.1:9', retries: 0 }));
    const error = await caught(source.readFile('config.json'));
    expect(error.code).toBe('network');
    expect(error.message).toMatch(/HF_HUB_OFFLINE=1/);
  });
});

describe('validation: nothing is read or written outside the cache or folder', () => {
  it('rejects bad model ids, revisions and file names before any request', async () => {
    for (const id of ['../etc', 'org/../x', 'org/name/extra', 'a\\b', 'org--x/y', '-x', 'x.', 'org/.hidden', 'a b']) {
      const error = await caught(openModelSource(id, opts()));
      expect(error.code === 'invalid-name' || error.code === 'not-found').toBe(true);
    }
    for (const revision of ['../main', 'a/../b', '/main', 'main/', 'a//b', '..', 'ma in', 'x\\y']) {
      expect((await caught(openModelSource('org/tiny', opts({ revision })))).code).toBe('invalid-name');
    }
    const source = await openModelSource('org/tiny', opts());
    for (const name of [
      '../config.json',
      '/etc/passwd',
      'a\\b',
      'sub/../../x',
      '.',
      'x/./y',
      '',
      'C:/x',
      'x.incomplete',
      '%2e%2e/x',
    ]) {
      expect((await caught(source.readFile(name))).code).toBe('invalid-name');
      expect((await caught(source.has(name))).code).toBe('invalid-name');
    }
    expect(hub.log).toEqual([]);
    expect(await listFiles(cacheDir)).toEqual([]);
  });

  it('a local folder serves its files and refuses names that leave it', async () => {
    const folder = join(root, 'folder-model');
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'config.json'), CONFIG);
    await writeFile(join(folder, 'model.safetensors'), MODEL);
    await writeFile(join(root, 'secret.txt'), 'secret');
    const source = await openModelSource(folder, opts());
    expect(source.description).toBe(`folder ${folder}`);
    expect(await source.readText('config.json')).toBe(text.decode(CONFIG));
    expect((await source.readSafetensors('model.safetensors')).tensors.size).toBe(25);
    expect(await source.has('spiece.model')).toBe(false);
    expect((await caught(source.readFile('spiece.model'))).code).toBe('not-found');
    expect((await caught(source.readFile('../secret.txt'))).code).toBe('invalid-name');
    expect(await source.localPath('config.json')).toBe(join(folder, 'config.json'));
    // file:// URLs and relative paths work; a missing path that looks like a path is not taken for a hub id
    expect((await openModelSource(`file://${folder}`, opts())).description).toBe(`folder ${folder}`);
    const missing = await caught(openModelSource('./no-such-model-folder', opts()));
    expect(missing.code).toBe('not-found');
    expect(missing.message).toMatch(/the model folder .*no-such-model-folder does not exist/);
    expect((await caught(openModelSource(join(folder, 'config.json'), opts()))).message).toMatch(/is a file/);
  });
});

describe('base URLs', () => {
  it('fetches files from <url>/<file> without caching', async () => {
    const source = await openModelSource(`${hub.hubUrl}/static`, opts());
    expect(source.description).toBe(`url ${hub.hubUrl}/static/`);
    expect(await source.readText('config.json')).toBe(text.decode(CONFIG));
    expect((await source.readSafetensors('model.safetensors')).tensors.size).toBe(25);
    expect(await source.has('model.safetensors')).toBe(true);
    expect(await source.has('spiece.model')).toBe(false);
    const missing = await caught(source.readFile('spiece.model'));
    expect(missing.status).toBe(404);
    expect((await caught(source.readFile('../x'))).code).toBe('invalid-name');
    expect(await source.localPath('config.json')).toBeUndefined();
    expect(await listFiles(cacheDir)).toEqual([]);
  });
});

describe('fetchSafetensors', () => {
  it('downloads and parses a URL; HTTP errors and broken transfers are SafetensorsError', async () => {
    const file = await fetchSafetensors(`${hub.hubUrl}/static/model.safetensors`);
    expect(file.tensors.get('albert.embeddings.word_embeddings.weight')!.shape).toEqual([1000, 16]);
    await expect(fetchSafetensors(`${hub.hubUrl}/static/missing.safetensors`)).rejects.toThrow(
      /safetensors fetch: .*missing\.safetensors answered HTTP 404/,
    );
    hub.interrupt.set('model.safetensors', 1000);
    const cut = fetchSafetensors(`${hub.cdnUrl}/cdn/${encodeURIComponent('org/tiny')}/model.safetensors`);
    await expect(cut).rejects.toThrow(SafetensorsError);
    await expect(cut).rejects.toThrow(/broke off/);
    await expect(fetchSafetensors('http://127.0.0.1:9/x.safetensors')).rejects.toThrow(
      /safetensors fetch: could not fetch/,
    );
  });
});

describe('settings from the environment', () => {
  it('follows huggingface_hub: HF_ENDPOINT, HF_HUB_CACHE > HF_HOME/hub > XDG_CACHE_HOME, HF_TOKEN, HF_HUB_OFFLINE', async () => {
    expect(await resolveHubSettings({ env: { HOME: '/h' } })).toMatchObject({
      endpoint: 'https://huggingface.co',
      offline: false,
    });
    expect((await resolveHubSettings({ env: { HF_HOME: '/x/hf' } })).cacheDir).toBe('/x/hf/hub');
    expect((await resolveHubSettings({ env: { XDG_CACHE_HOME: '/xdg' } })).cacheDir).toBe('/xdg/huggingface/hub');
    expect((await resolveHubSettings({ env: { HF_HOME: '/x/hf', HF_HUB_CACHE: '/c' } })).cacheDir).toBe('/c');
    expect((await resolveHubSettings({ env: { HF_HUB_CACHE: '/c' }, cacheDir: '/o' })).cacheDir).toBe('/o');
    const s = await resolveHubSettings({
      env: { HF_ENDPOINT: 'https://mirror.example/', HF_TOKEN: 't', HF_HUB_OFFLINE: 'true' },
    });
    expect(s).toMatchObject({ endpoint: 'https://mirror.example', token: 't', offline: true });
    await expect(resolveHubSettings({ endpoint: 'ftp://x' })).rejects.toThrow(HubError);
    // the token file `huggingface-cli login` writes: $HF_HOME/token, or HF_TOKEN_PATH
    const home = await mkdtemp(join(root, 'hf-home-'));
    await writeFile(join(home, 'token'), 'hf_from_file\n');
    expect((await resolveHubSettings({ env: { HF_HOME: home } })).token).toBe('hf_from_file');
    expect((await resolveHubSettings({ env: { HF_HOME: home, HF_TOKEN: 'hf_env' } })).token).toBe('hf_env');
    expect((await resolveHubSettings({ env: { HF_TOKEN_PATH: join(home, 'nope') } })).token).toBeUndefined();
    const gated = await openModelSource('org/gated', opts({ env: { HF_TOKEN_PATH: join(home, 'token') } }));
    hub.goodToken = 'hf_from_file';
    try {
      expect((await gated.readFile('config.json')).length).toBe(CONFIG.length);
    } finally {
      hub.goodToken = 'hf_good';
    }
    // HF_ENDPOINT is honoured by openModelSource
    const source = await openModelSource('org/tiny', { cacheDir, env: { HF_ENDPOINT: hub.hubUrl } });
    expect((await source.readFile('config.json')).length).toBe(CONFIG.length);
    expect(hub.requests('hub').filter((r) => r.path.startsWith('/org/tiny/'))).toHaveLength(1);
  });
});
