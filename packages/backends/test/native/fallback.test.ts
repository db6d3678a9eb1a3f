// Installing without a working compiler: the build script exits 0 with one clear line, and the
// loader (and so the backend selector) says why the native backend is unavailable.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { BackendError } from '../../src/errors.js';
import { defaultNativeDir, loadNativeAddon, registerNativeBackend } from '../../src/native/index.js';

const pkg = join(defaultNativeDir, '..');
// A package-like folder: <root>/native (binding.gyp, src/) and no <root>/prebuilds.
const root = mkdtempSync(join(tmpdir(), 'albert-native-fail-'));
const dir = join(root, 'native');
afterAll(() => rmSync(root, { recursive: true, force: true }));

it('a forced build failure does not fail the install and leaves a clear notice', async () => {
  cpSync(join(defaultNativeDir, 'binding.gyp'), join(dir, 'binding.gyp'));
  cpSync(join(defaultNativeDir, 'src'), join(dir, 'src'), { recursive: true });
  const r = spawnSync(process.execPath, [join(pkg, 'scripts', 'build-native.mjs'), '--dir', dir], {
    env: { ...process.env, ALBERT_TS_NATIVE_BUILD: 'fail' },
    encoding: 'utf8',
  });
  expect(r.status).toBe(0);
  const lines = r.stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(
    /^@albert-ts\/backends: native addon not built \(the build was forced to fail .*\); the wasm backend will be used instead\.$/,
  );

  let err: unknown;
  try {
    loadNativeAddon(dir);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(BackendError);
  expect((err as Error).message).toMatch(
    /^native addon unavailable: the build was forced to fail with ALBERT_TS_NATIVE_BUILD=fail\. Build it with .*; no prebuilt addon for linux-x64 either\.$/,
  );

  // What the backend selector sees when it tries 'native'.
  process.env.ALBERT_TS_NATIVE_DIR = dir;
  await expect(registerNativeBackend()).rejects.toThrow(/native addon unavailable: the build was forced to fail/);
  delete process.env.ALBERT_TS_NATIVE_DIR;
});

it('ALBERT_TS_NATIVE_BUILD=skip builds nothing and says so', () => {
  const r = spawnSync(process.execPath, [join(pkg, 'scripts', 'build-native.mjs'), '--dir', dir], {
    env: { ...process.env, ALBERT_TS_NATIVE_BUILD: 'skip' },
    encoding: 'utf8',
  });
  expect(r.status).toBe(0);
  expect(r.stdout.trim()).toBe('@albert-ts/backends: native addon build skipped (ALBERT_TS_NATIVE_BUILD=skip).');
});
