// Prebuilt addons: scripts/prebuild.mjs builds one (a real compile, shared by every test here) into
// a package-like temp folder <root>/{native,prebuilds}; the loader uses it when nothing was compiled;
// the install script uses a valid one without running node-gyp, and compiles (or falls back to
// wasm with one line) when it is corrupt, stale, or unwanted.
//
// node-gyp is reached through a spy (npm_config_node_gyp, which the install script honours first):
// it appends its arguments to a log, then runs the real node-gyp, so "did the install compile?"
// is a fact read from that log, not inferred from timing. Cases that must not pay for a compile
// point CC/CXX at a compiler that does not exist, so the real node-gyp fails within a second.
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { findNodeGyp } from '../../scripts/compile-native.mjs';
import { checkObjectIsa } from '../../scripts/isa-check.mjs';
import {
  checkPrebuild,
  loadsInChild,
  nativeSourceHash,
  type PrebuildManifest,
  sha256File,
} from '../../scripts/prebuilds.mjs';
import { BackendError } from '../../src/errors.js';
import { formatBackendReport, initBackend } from '../../src/index.js';
import { defaultNativeDir, loadNativeAddon, nativeAddonOrigin } from '../../src/native/index.js';
import { expectSameAsCpu, random, size } from './helpers.js';

const pkg = join(defaultNativeDir, '..');
const root = mkdtempSync(join(tmpdir(), 'albert-prebuild-test-'));
const nativeDir = join(root, 'native');
const prebuilds = join(root, 'prebuilds');
const addonFile = join(prebuilds, 'linux-x64', 'albert_native.node');
const manifestFile = join(prebuilds, 'linux-x64', 'albert_native.json');
const spy = join(root, 'node-gyp-spy.cjs');
const noCompiler = { CC: '/nonexistent/cc', CXX: '/nonexistent/c++' };
let prebuildOut = '';

beforeAll(() => {
  cpSync(join(defaultNativeDir, 'binding.gyp'), join(nativeDir, 'binding.gyp'));
  cpSync(join(defaultNativeDir, 'src'), join(nativeDir, 'src'), { recursive: true });
  const realNodeGyp = findNodeGyp();
  if (realNodeGyp == null) throw new Error('node-gyp not found: the prebuild tests need it');
  writeFileSync(
    spy,
    `const { appendFileSync } = require('node:fs');
appendFileSync(process.env.SPY_LOG, process.argv.slice(2).join(' ') + '\\n');
const r = require('node:child_process').spawnSync(process.execPath, [${JSON.stringify(realNodeGyp)}, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
`,
  );
  const r = spawnSync(
    process.execPath,
    [join(pkg, 'scripts', 'prebuild.mjs'), '--dir', nativeDir, '--out', prebuilds],
    {
      encoding: 'utf8',
    },
  );
  prebuildOut = `${r.stdout}${r.stderr}`;
  if (r.status !== 0) throw new Error(`prebuild.mjs failed:\n${prebuildOut}`);
}, 600_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A copy of the temp package (native sources + prebuilds), to damage without touching the original. */
function packageCopy(name: string): {
  dir: string;
  native: string;
  prebuilds: string;
  addon: string;
  manifest: string;
} {
  const dir = join(root, name);
  cpSync(nativeDir, join(dir, 'native'), { recursive: true });
  cpSync(prebuilds, join(dir, 'prebuilds'), { recursive: true });
  const tagDir = join(dir, 'prebuilds', 'linux-x64');
  return {
    dir,
    native: join(dir, 'native'),
    prebuilds: join(dir, 'prebuilds'),
    addon: join(tagDir, 'albert_native.node'),
    manifest: join(tagDir, 'albert_native.json'),
  };
}

/** Runs the install script on `native`; returns its status, stdout lines, the node-gyp calls and the time. */
function install(native: string, env: Record<string, string> = {}) {
  const log = join(native, '..', 'node-gyp-calls.log');
  rmSync(log, { force: true });
  const started = performance.now();
  const r = spawnSync(process.execPath, [join(pkg, 'scripts', 'build-native.mjs'), '--dir', native], {
    env: { ...process.env, ALBERT_TS_NATIVE_BUILD: '', npm_config_node_gyp: spy, SPY_LOG: log, ...env },
    encoding: 'utf8',
  });
  const ms = performance.now() - started;
  const nodeGypCalls = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
  return { status: r.status, lines: r.stdout.trim().split('\n'), stderr: r.stderr, nodeGypCalls, ms };
}

const manifest = () => JSON.parse(readFileSync(manifestFile, 'utf8')) as PrebuildManifest;

it('the prebuild script writes a portable addon and its manifest', () => {
  expect(prebuildOut).toMatch(
    /@albert-ts\/backends prebuild: \S+albert_native\.node \(\d+ KiB, built in [\d.]+ s, needs glibc 2\.\d+, libstdc\+\+ GLIBCXX_3\.4\.\d+\)\./,
  );
  // What ships has no CPU-specific flags: the AVX2/AVX-512 kernels are chosen at run time.
  expect(readFileSync(join(defaultNativeDir, 'binding.gyp'), 'utf8')).not.toMatch(/-march|-mtune|-mavx/);
  const m = manifest();
  expect(m.platform).toBe('linux');
  expect(m.arch).toBe('x64');
  expect(m.sha256).toBe(sha256File(addonFile));
  expect(m.bytes).toBe(statSync(addonFile).size);
  expect(m.sourceHash).toBe(nativeSourceHash(defaultNativeDir));
  expect(m.sourceHash).toMatch(/^[0-9a-f]{64}$/);
  expect(m.napiVersion).toBe(8);
  expect(m.nodeAddonApi).toMatch(/^not used/);
  expect(m.headers).toBe(`node_api.h of Node.js ${process.version}`);
  expect(m.compiler).toMatch(/g\+\+|clang/);
  expect(m.requires?.glibc).toMatch(/^2\.\d+$/);
  expect(m.requires?.glibcxx).toMatch(/^GLIBCXX_3\.4\.\d+$/);
  expect(m.requires?.glibcxxNeededBy.length).toBeGreaterThan(0);
  expect(m.requires?.needed).toEqual(expect.arrayContaining(['libc.so.6', 'libstdc++.so.6']));
  expect(m.isa).toMatch(/no -march=native/);
  expect(m.isaCheck).toMatch(
    /^objdump: no AVX\/AVX-512 instruction in the \d+ objects built without #pragma GCC target; no weak functions in the [1-9] built with it$/,
  );
  expect(checkPrebuild(prebuilds, nativeDir)).toEqual({ file: addonFile, manifest: m });
});

it('the loader falls back to the prebuilt binary, and its matmul equals the cpu backend’s', async () => {
  // <root>/native was never compiled (no build/), so the loader must take the prebuild.
  expect(existsSync(join(nativeDir, 'build'))).toBe(false);
  const addon = loadNativeAddon(nativeDir);
  expect(nativeAddonOrigin(addon)).toEqual({ origin: 'prebuilt', file: addonFile });

  // The raw addon: a 37x71 by 71x29 GEMM against tfjs cpu.
  const a = random(37 * 71, 1);
  const b = random(71 * 29, 2);
  const c = new Float32Array(37 * 29);
  addon.gemm(a, b, c, 1, 37, 29, 71, 37 * 71, 71 * 29, false, false, null, null, 0, 1);
  await initBackend({ prefer: 'cpu' });
  const want = tf.tidy(() => tf.matMul(tf.tensor2d(a, [37, 71]), tf.tensor2d(b, [71, 29])).dataSync());
  let worst = 0;
  for (let i = 0; i < c.length; i++) worst = Math.max(worst, Math.abs((c[i] as number) - (want[i] as number)));
  expect(worst).toBeLessThan(1e-4);

  // Through the backend selector: the report says which addon it runs on.
  process.env.ALBERT_TS_NATIVE_DIR = nativeDir;
  try {
    const report = await initBackend({ prefer: 'native' });
    expect(report.nativeAddon).toBe('prebuilt');
    expect(formatBackendReport(report)).toMatch(
      /^native \((avx512|avx2|baseline), \d+ threads?, fp32, prebuilt addon\)$/,
    );
    const t = (shape: number[], seed: number) => tf.tensor(random(size(shape), seed), shape);
    await expectSameAsCpu(() => [
      tf.matMul(t([64, 96], 3), t([96, 48], 4)),
      tf.matMul(t([4, 9, 17], 5), t([4, 17, 5], 6)),
    ]);
  } finally {
    delete process.env.ALBERT_TS_NATIVE_DIR;
  }
});

it('install: a valid prebuild is used and node-gyp is never run', () => {
  const p = packageCopy('valid');
  const r = install(p.native);
  console.log(`install with a valid prebuild: ${r.ms.toFixed(0)} ms`);
  expect(r.status).toBe(0);
  expect(r.lines).toEqual([
    expect.stringMatching(
      /^@albert-ts\/backends: using the prebuilt native addon \(prebuilds\/linux-x64\/albert_native\.node, (avx512|avx2|baseline) kernels\); nothing to compile\.$/,
    ),
  ]);
  expect(r.nodeGypCalls).toEqual([]);
  expect(existsSync(join(p.native, 'build', 'Release', 'albert_native.node'))).toBe(false);
  expect(existsSync(join(p.native, 'build', 'PREBUILD_REJECTED.txt'))).toBe(false);
});

it('install: a truncated prebuild is rejected and the addon is compiled from source', () => {
  const p = packageCopy('truncated');
  truncateSync(p.addon, Math.floor(statSync(p.addon).size / 2));
  const r = install(p.native);
  console.log(`install with a truncated prebuild (compiles): ${r.ms.toFixed(0)} ms`);
  expect(r.status).toBe(0);
  expect(r.lines).toEqual([
    expect.stringMatching(
      /^@albert-ts\/backends: native addon built in [\d.]+ s \(.*\/native\/build\/Release\/albert_native\.node\); the prebuilt one was not used: the binary is corrupt \(sha256 [0-9a-f]{12}… is not its manifest's [0-9a-f]{12}…\)\.$/,
    ),
  ]);
  expect(r.nodeGypCalls).toEqual([expect.stringMatching(/^rebuild /)]);
  const built = join(p.native, 'build', 'Release', 'albert_native.node');
  expect(loadsInChild(built).info?.isa).toMatch(/^(avx512|avx2|baseline)$/);
});

it('install: a prebuild that crashes when loaded cannot take the install down, nor the loader', () => {
  const p = packageCopy('crashing');
  // Truncated with a manifest that vouches for the truncated bytes: only loading it can tell.
  truncateSync(p.addon, Math.floor(statSync(p.addon).size / 2));
  const m = JSON.parse(readFileSync(p.manifest, 'utf8')) as PrebuildManifest;
  writeFileSync(p.manifest, JSON.stringify({ ...m, sha256: sha256File(p.addon) }));
  expect(checkPrebuild(p.prebuilds, p.native).manifest).toBeDefined();

  const r = install(p.native, noCompiler);
  expect(r.status).toBe(0);
  expect(r.lines).toEqual([
    expect.stringMatching(
      /^@albert-ts\/backends: native addon not built \(no working C\+\+ compiler \(g\+\+\) or make was found; the prebuilt one was not used: it does not load here \((crashed with SIG[A-Z]+|exited with status \d+)[^)]*\)\); the wasm backend will be used instead\.$/,
    ),
  ]);
  expect(r.nodeGypCalls).toEqual([expect.stringMatching(/^rebuild /)]);
  // The loader believes the install script and never dlopens the binary in this process.
  expect(() => loadNativeAddon(p.native)).toThrow(BackendError);
  expect(() => loadNativeAddon(p.native)).toThrow(
    /^native addon unavailable: no working C\+\+ compiler .*; the prebuilt addon was rejected at install: it does not load here/,
  );
});

it('install: a stale prebuild (other native sources) is ignored', () => {
  const p = packageCopy('stale');
  writeFileSync(
    join(p.native, 'src', 'ops.cc'),
    `${readFileSync(join(p.native, 'src', 'ops.cc'), 'utf8')}\n// edited\n`,
  );
  const r = install(p.native, noCompiler);
  expect(r.status).toBe(0);
  expect(r.lines).toEqual([
    '@albert-ts/backends: native addon not built (no working C++ compiler (g++) or make was found; the prebuilt one was not used: it is stale (built from other native sources than these)); the wasm backend will be used instead.',
  ]);
  expect(r.nodeGypCalls).toEqual([expect.stringMatching(/^rebuild /)]);
  expect(() => loadNativeAddon(p.native)).toThrow(
    /; the prebuilt addon is not usable: it is stale \(built from other native sources than these\)\.$/,
  );
});

it('install: ALBERT_TS_NATIVE_BUILD=source compiles even with a valid prebuild', () => {
  const p = packageCopy('source');
  const r = install(p.native, { ...noCompiler, ALBERT_TS_NATIVE_BUILD: 'source' });
  expect(r.status).toBe(0);
  expect(r.lines).toEqual([
    '@albert-ts/backends: native addon not built (no working C++ compiler (g++) or make was found; the prebuilt one was not used: ALBERT_TS_NATIVE_BUILD=source asks for a build from source); the wasm backend will be used instead.',
  ]);
  expect(r.nodeGypCalls).toEqual([expect.stringMatching(/^rebuild /)]);
});

it('install: ALBERT_TS_NATIVE_BUILD=fail without a prebuild still exits 0 with the one-line notice', () => {
  const p = packageCopy('none');
  rmSync(p.prebuilds, { recursive: true });
  const r = install(p.native, { ALBERT_TS_NATIVE_BUILD: 'fail' });
  expect(r.status).toBe(0);
  expect(r.lines).toEqual([
    '@albert-ts/backends: native addon not built (the build was forced to fail with ALBERT_TS_NATIVE_BUILD=fail); the wasm backend will be used instead.',
  ]);
  expect(r.nodeGypCalls).toEqual([expect.stringMatching(/^rebuild /)]);
  expect(() => loadNativeAddon(p.native)).toThrow(/; no prebuilt addon for linux-x64 either\.$/);
});

it('the ISA check finds AVX code in a plain object and shared code in an AVX one', () => {
  // Three tiny translation units compiled with g++ -c, checked as prebuild.mjs checks the addon's.
  const work = join(root, 'isa');
  const compile = (name: string, code: string, flags: string[]) => {
    mkdirSync(join(work, name, 'src'), { recursive: true });
    mkdirSync(join(work, name, 'obj'), { recursive: true });
    writeFileSync(join(work, name, 'src', 'k.cc'), code);
    const r = spawnSync('g++', ['-c', ...flags, '-o', join(work, name, 'obj', 'k.o'), join(work, name, 'src', 'k.cc')]);
    expect(r.status).toBe(0);
    return () => checkObjectIsa(join(work, name, 'src'), join(work, name, 'obj'));
  };
  const loop = 'void scale(float* x, int n) { for (int i = 0; i < n; i++) x[i] *= 2.0f; }\n';
  expect(compile('plain', loop, ['-O2'])()).toBe(
    'objdump: no AVX/AVX-512 instruction in the 1 objects built without #pragma GCC target; no weak functions in the 0 built with it',
  );
  expect(compile('targeted', `#pragma GCC target("avx2,fma")\n${loop}`, ['-O2'])()).toMatch(/in the 1 built with it$/);
  // What -march=native (or CXXFLAGS=-mavx2) would do to a plain file.
  expect(compile('leaked', loop, ['-O2', '-mavx2'])).toThrow(
    /^k\.o \(plain x86-64\) holds an AVX instruction in scale\(float\*, int\): .*\tv/,
  );
  // An inline function emitted in an AVX unit is weak: the linker may keep that copy for everyone.
  const inline =
    '#pragma GCC target("avx2")\ninline float twice(float v) { return v * 2.0f; }\nfloat use(float v) { return twice(v); }\n';
  expect(compile('weak', inline, ['-O0'])).toThrow(
    /^k\.o \(compiled for a specific ISA\) defines a weak function the linker may share: .*twice\(float\)/,
  );
});
