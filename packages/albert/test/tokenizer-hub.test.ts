// AlbertTokenizer.fromPretrained and AutoTokenizer.fromPretrained on a hub id: the files come from
// a local stand-in for the Hugging Face hub (core's FakeHub, 127.0.0.1) into a cache folder once, and
// a second load reads the cache. Ids against Hugging Face's (albert-30k.expected.json).
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import type { OpenModelSourceOptions } from '@albert-ts/core';
import { TokenizerJsonTokenizer } from '@albert-ts/tokenizer';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeHub } from '../../../test-utils/fake-hub.js';
import { AlbertTokenizer, AutoTokenizer, PipelineError } from '../src/index.js';
import { ALBERT_30K, ALBERT_30K_JSON, EXPECTED, fixtureBytes } from './helpers/albert-30k.js';

const COMMIT = 'a1be700000000000000000000000000000000030';
const CONFIG = fixtureBytes(ALBERT_30K, 'tokenizer_config.json');
const SPIECE_REPO = {
  'spiece.model': fixtureBytes(ALBERT_30K, 'spiece.model'),
  'tokenizer_config.json': CONFIG,
  // HF's AlbertTokenizer.save_pretrained writes it too; with it, no file the loader asks for is missing
  'special_tokens_map.json': new TextEncoder().encode(JSON.stringify({ mask_token: '[MASK]' })),
};
const JSON_REPO = {
  'tokenizer.json': fixtureBytes(ALBERT_30K_JSON, 'tokenizer.json'),
  'tokenizer_config.json': CONFIG,
};

let hub: FakeHub;
let root: string;
let cacheDir: string;

beforeAll(async () => {
  hub = new FakeHub();
  await hub.start();
  hub.repos.set('albert-ts/albert-30k', {
    commit: COMMIT,
    revisions: ['main'],
    files: SPIECE_REPO,
    lfs: ['spiece.model'],
  });
  hub.repos.set('albert-ts/albert-30k-json', { commit: COMMIT, revisions: ['main'], files: JSON_REPO });
  hub.repos.set('albert-ts/no-tokenizer', {
    commit: COMMIT,
    revisions: ['main'],
    files: { 'tokenizer_config.json': CONFIG },
  });
  root = mkdtempSync(join(tmpdir(), 'albert-ts-tokenizer-hub-'));
});
afterAll(async () => {
  await hub.stop();
  rmSync(root, { recursive: true, force: true });
});
beforeEach(() => {
  cacheDir = mkdtempSync(join(root, 'cache-'));
  hub.log.length = 0;
});

/** The fake hub, this test's cache, and no token or setting from the real environment. */
function opts(extra: OpenModelSourceOptions = {}): OpenModelSourceOptions {
  return { endpoint: hub.hubUrl, cacheDir, ...extra, env: { HF_TOKEN_PATH: join(root, 'no-token') } };
}

/** Requests as "METHOD path", hub and CDN alike. */
const requests = () => hub.log.map((r) => `${r.method} ${r.path}`);

const inputIds = (tok: { encode(text: string): { inputIds: Int32Array } }, text: string) => [
  ...tok.encode(text).inputIds,
];

describe('AlbertTokenizer.fromPretrained on a hub id', () => {
  it("downloads spiece.model and the config into the cache once, then reads the cache: HF's ids both times", async () => {
    const first = await AlbertTokenizer.fromPretrained('albert-ts/albert-30k', opts());
    expect(first).toBeInstanceOf(AlbertTokenizer);
    expect(first.modelMaxLength).toBe(512);
    for (const { text, inputIds: expected } of EXPECTED.spiece) expect(inputIds(first, text), text).toEqual(expected);
    const downloads = requests().filter((r) => r.startsWith('GET'));
    expect(downloads).toEqual(
      expect.arrayContaining([
        'GET /albert-ts/albert-30k/resolve/main/spiece.model',
        'GET /albert-ts/albert-30k/resolve/main/tokenizer_config.json',
        'GET /albert-ts/albert-30k/resolve/main/special_tokens_map.json',
      ]),
    );
    // spiece.model is an LFS file: the hub redirects to its CDN (HEAD from has(), then one GET)
    expect(requests().filter((r) => r.startsWith('GET /cdn/'))).toEqual([
      'GET /cdn/albert-ts%2Falbert-30k/spiece.model',
    ]);
    const snapshot = join(cacheDir, 'models--albert-ts--albert-30k', 'snapshots', COMMIT);
    expect(readdirSync(snapshot).sort()).toEqual(['special_tokens_map.json', 'spiece.model', 'tokenizer_config.json']);

    hub.log.length = 0;
    const second = await AlbertTokenizer.fromPretrained('albert-ts/albert-30k', opts());
    expect(requests()).toEqual([]); // the server sees nothing
    for (const { text, inputIds: expected } of EXPECTED.spiece) expect(inputIds(second, text), text).toEqual(expected);
  });

  it('offline, the cache alone serves it; with an empty cache, an error that says the files are not cached', async () => {
    await AlbertTokenizer.fromPretrained('albert-ts/albert-30k', opts());
    hub.log.length = 0;
    const offline = await AlbertTokenizer.fromPretrained('albert-ts/albert-30k', opts({ offline: true }));
    expect(inputIds(offline, 'café')).toEqual([2, 6241, 3]);
    expect(requests()).toEqual([]);
    cacheDir = mkdtempSync(join(root, 'empty-'));
    const err = await AlbertTokenizer.fromPretrained('albert-ts/albert-30k', opts({ offline: true })).catch((e) => e);
    expect(err).toBeInstanceOf(PipelineError);
    expect((err as PipelineError).code).toBe('no-tokenizer');
    expect((err as Error).message).toMatch(
      /neither spiece\.model nor tokenizer\.json is in the cache, and offline mode/,
    );
    expect((err as Error).message).toContain(cacheDir);
    expect(requests()).toEqual([]);
  });

  it('a hub repo with only tokenizer.json: a no-tokenizer error that points to AutoTokenizer', async () => {
    const err = await AlbertTokenizer.fromPretrained('albert-ts/albert-30k-json', opts()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PipelineError);
    expect((err as PipelineError).code).toBe('no-tokenizer');
    expect((err as Error).message).toMatch(
      /albert-ts\/albert-30k-json.*has no spiece\.model.*AutoTokenizer\.fromPretrained/,
    );
    expect(requests().filter((r) => r.startsWith('GET'))).toEqual([]); // nothing downloaded before the refusal
  });
});

describe('AutoTokenizer.fromPretrained on a hub id', () => {
  it('a hub repo with neither file: the no-tokenizer error, nothing downloaded (only the 404s remembered)', async () => {
    const err = await AutoTokenizer.fromPretrained('albert-ts/no-tokenizer', opts()).catch((e: unknown) => e);
    expect((err as PipelineError).code).toBe('no-tokenizer');
    expect((err as Error).message).toMatch(
      /albert-ts\/no-tokenizer@main .* has no tokenizer: neither spiece\.model nor tokenizer\.json is there/,
    );
    const left = readdirSync(cacheDir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => relative(cacheDir, join(e.parentPath, e.name)).split(sep).slice(1).join('/'));
    // no snapshot: .no_exist/<commit>/<file> for what the hub said is missing, and the ref it resolved
    expect(left.filter((f) => !/^\.no_exist\/[0-9a-f]{40}\//.test(f)).sort()).toEqual(['refs/main']);
    expect(
      left
        .filter((f) => f.startsWith('.no_exist/'))
        .map((f) => f.split('/').slice(2).join('/'))
        .sort(),
    ).toEqual(['spiece.model', 'tokenizer.json']);
  });

  it('spiece.model: the same tokenizer, through the cache', async () => {
    const tok = await AutoTokenizer.fromPretrained('albert-ts/albert-30k', opts());
    expect(tok).toBeInstanceOf(AlbertTokenizer);
    for (const { text, inputIds: expected } of EXPECTED.spiece) expect(inputIds(tok, text), text).toEqual(expected);
  });

  it("tokenizer.json only: the Rust library's ids, downloaded once, then from the cache", async () => {
    const first = await AutoTokenizer.fromPretrained('albert-ts/albert-30k-json', opts());
    expect(first).toBeInstanceOf(TokenizerJsonTokenizer);
    expect(first.modelMaxLength).toBe(512);
    for (const { text, inputIds: expected } of EXPECTED.tokenizerJson)
      expect(inputIds(first, text), text).toEqual(expected);
    expect(
      requests()
        .filter((r) => r.startsWith('GET'))
        .sort(),
    ).toEqual([
      'GET /albert-ts/albert-30k-json/resolve/main/tokenizer.json',
      'GET /albert-ts/albert-30k-json/resolve/main/tokenizer_config.json',
    ]);

    hub.log.length = 0;
    const second = await AutoTokenizer.fromPretrained('albert-ts/albert-30k-json', opts());
    // No request at all: the cache remembers that the repo has no spiece.model at that commit
    // (.no_exist/<commit>/spiece.model, as huggingface_hub records it).
    expect(requests()).toEqual([]);
    for (const { text, inputIds: expected } of EXPECTED.tokenizerJson)
      expect(inputIds(second, text), text).toEqual(expected);
  });
});
