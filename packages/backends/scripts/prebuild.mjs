#!/usr/bin/env node
// Builds the portable native addon for this platform and puts it, with a manifest, where the
// install script and the loader look for it: prebuilds/<platform>-<arch>/albert_native.node and
// albert_native.json. Run by the package's `prepack`, so `pnpm pack` / `npm publish` ship it.
//
//   node scripts/prebuild.mjs [--out <prebuilds folder>] [--dir <folder with binding.gyp and src/>]
//
// Portable means: binding.gyp's flags only (CFLAGS/CXXFLAGS/CPPFLAGS/LDFLAGS from the environment
// are dropped), and no -march/-mtune=native or -mavx* in any compile command; the AVX2/FMA and
// AVX-512 kernels are compiled per file with `#pragma GCC target` and picked at run time
// (native/src/isa.cc), the rest is plain x86-64. The build runs in a temporary copy of the
// sources, so the package's own native/build is left alone. Exits 1 when it cannot produce a
// working prebuild on Linux x64 (a publish must not silently lose it); on other platforms it
// builds nothing and exits 0 (installs there get the wasm backend).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { compileNative } from './compile-native.mjs';
import { checkObjectIsa } from './isa-check.mjs';
import { ADDON_FILE, loadsInChild, MANIFEST_FILE, nativeSourceHash, platformTag, sha256File } from './prebuilds.mjs';

const here = dirname(new URL(import.meta.url).pathname);
const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const nativeDir = resolve(arg('--dir') ?? join(here, '..', 'native'));
const outDir = resolve(arg('--out') ?? join(nativeDir, '..', 'prebuilds'));
const tag = '@albert-ts/backends prebuild';

let work = null; // the temporary build folder, removed on every exit

function fail(message, log = '') {
  if (work != null) rmSync(work, { recursive: true, force: true });
  if (log) console.error(log.slice(-4000));
  console.error(`${tag}: ${message}`);
  process.exit(1);
}

if (process.platform !== 'linux' || process.arch !== 'x64') {
  console.log(`${tag}: nothing built for ${platformTag()} (the native addon is built for linux-x64 only).`);
  process.exit(0);
}

const gyp = readFileSync(join(nativeDir, 'binding.gyp'), 'utf8');
if (/-march=native|-mtune=native|-mcpu=native/.test(gyp))
  fail('binding.gyp asks for -march/-mtune=native; a prebuild must run on any x86-64.');

work = mkdtempSync(join(tmpdir(), 'albert-prebuild-'));
try {
  cpSync(join(nativeDir, 'binding.gyp'), join(work, 'binding.gyp'));
  cpSync(join(nativeDir, 'src'), join(work, 'src'), { recursive: true });
  const env = { ...process.env, V: '1' }; // V=1: make echoes every compile command, checked below
  for (const name of ['CFLAGS', 'CXXFLAGS', 'CPPFLAGS', 'LDFLAGS']) delete env[name];
  const built = compileNative(work, { env });
  if (!built.ok) fail(`the build failed (${built.reason}).`, built.log);
  const commands = built.log.split('\n').filter((l) => /\b(g\+\+|gcc|c\+\+|cc|clang\+?\+?)\s.*\s-c(\s|$)/.test(l));
  if (commands.length === 0) fail('could not see the compile commands in the node-gyp log (V=1).', built.log);
  const native = commands.find((l) => /-march=(?!x86-64\b)\S+|-mtune=native|-mavx|-mfma/.test(l));
  if (native != null) fail(`a compile command targets a specific CPU: ${native.trim().slice(0, 300)}`);

  let isaCheck;
  try {
    isaCheck = checkObjectIsa(join(work, 'src'), join(work, 'build', 'Release', 'obj.target', 'albert_native', 'src'));
  } catch (err) {
    fail(err.message);
  }

  const probe = loadsInChild(built.addon);
  if (probe.info == null) fail(`the freshly built addon ${probe.reason}.`);

  const dest = join(outDir, platformTag());
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  const file = join(dest, ADDON_FILE);
  cpSync(built.addon, file);
  const manifest = {
    name: 'albert_native',
    platform: process.platform,
    arch: process.arch,
    sha256: sha256File(file),
    bytes: statSync(file).size,
    sourceHash: nativeSourceHash(nativeDir),
    napiVersion: Number(/NAPI_VERSION=(\d+)/.exec(gyp)?.[1] ?? 0) || null,
    nodeAddonApi: usesNodeAddonApi(join(work, 'src'))
      ? nodeAddonApiVersion()
      : 'not used (the addon calls the C N-API, node_api.h)',
    headers: `node_api.h of Node.js ${process.version}`,
    requires: requirements(file),
    compiler: firstLine(execText(process.env.CXX || 'g++', ['--version'])),
    nodeGyp: nodeGypVersion(built.nodeGyp),
    isa: 'x86-64 baseline; AVX2/FMA and AVX-512 kernels chosen at run time; no -march=native',
    isaCheck,
    builtOn: {
      node: process.version,
      isa: probe.info.isa,
      glibc: process.report?.getReport?.().header?.glibcVersionRuntime ?? null,
    },
    builtAt: new Date().toISOString(),
  };
  writeFileSync(join(dest, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  const r = manifest.requires;
  const needs = r == null ? 'requirements unknown (no objdump)' : `needs glibc ${r.glibc}, libstdc++ ${r.glibcxx}`;
  console.log(
    `${tag}: ${shortPath(file)} (${(manifest.bytes / 1024).toFixed(0)} KiB, built in ${built.seconds.toFixed(1)} s, ${needs}).`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}

/**
 * The newest symbol versions the binary imports (objdump -T): the oldest glibc, libstdc++, C++ ABI
 * and libgcc it can load with, the symbols that ask for the newest libstdc++, and its NEEDED libraries.
 */
function requirements(file) {
  let dynamic;
  let headers;
  try {
    dynamic = execText('objdump', ['-T', '-C', file]);
    headers = execText('objdump', ['-p', file]);
  } catch {
    return null;
  }
  const newest = (prefix) => {
    const versions = [...dynamic.matchAll(new RegExp(`\\(${prefix}_([0-9.]+)\\)`, 'g'))].map((m) => m[1]);
    return versions.sort(compareDotted).at(-1) ?? null;
  };
  const glibcxx = newest('GLIBCXX');
  const neededBy =
    glibcxx == null
      ? []
      : dynamic
          .split('\n')
          .filter((l) => l.includes(`(GLIBCXX_${glibcxx})`))
          .map((l) => l.slice(l.indexOf(`(GLIBCXX_${glibcxx})`) + `(GLIBCXX_${glibcxx})`.length).trim());
  return {
    glibc: newest('GLIBC'),
    glibcxx: glibcxx == null ? null : `GLIBCXX_${glibcxx}`,
    glibcxxNeededBy: neededBy,
    cxxabi: newest('CXXABI') == null ? null : `CXXABI_${newest('CXXABI')}`,
    libgcc: newest('GCC') == null ? null : `GCC_${newest('GCC')}`,
    needed: [...headers.matchAll(/^\s*NEEDED\s+(\S+)/gm)].map((m) => m[1]),
  };
}

function compareDotted(a, b) {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function usesNodeAddonApi(srcDir) {
  try {
    return /#include\s*[<"]napi\.h[>"]/.test(execText('grep', ['-rh', '#include', srcDir]));
  } catch {
    return false;
  }
}

function nodeAddonApiVersion() {
  try {
    return JSON.parse(readFileSync(join(here, '..', 'node_modules', 'node-addon-api', 'package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

function nodeGypVersion(bin) {
  try {
    return JSON.parse(readFileSync(join(dirname(bin), '..', 'package.json'), 'utf8')).version;
  } catch {
    return null;
  }
}

function execText(cmd, args) {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 << 20 });
}

function shortPath(file) {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel;
}

function firstLine(text) {
  return text.split('\n')[0]?.trim() ?? '';
}
