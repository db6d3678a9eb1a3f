#!/usr/bin/env node
// The package's install script: makes the native addon available, never failing the install.
//   1. A prebuilt addon (prebuilds/<platform>-<arch>/, made by scripts/prebuild.mjs at pack time)
//      is used when it is current (its manifest's source hash is that of native/) and it loads and
//      computes a GEMM correctly in a child process; nothing is compiled then.
//   2. Else native/binding.gyp is compiled with node-gyp and the machine's C++ compiler.
//   3. If that fails too, it prints one line, leaves native/build/BUILD_FAILED.txt (the reason and
//      the compiler output) for the loader to report, and exits 0; the backend selector then
//      falls back to wasm.
// It prints exactly one line in every case.
//
//   node scripts/build-native.mjs [--dir <folder with binding.gyp and src/>] [--prebuilds <folder>]
//   ALBERT_TS_NATIVE_BUILD=source  ignore prebuilt addons, compile
//   ALBERT_TS_NATIVE_BUILD=skip    do nothing
//   ALBERT_TS_NATIVE_BUILD=fail    compile with a compiler that does not exist (tests the fallback)
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { compileNative } from './compile-native.mjs';
import { ADDON_FILE, checkPrebuild, loadsInChild, sha256File } from './prebuilds.mjs';

const here = dirname(new URL(import.meta.url).pathname);
const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const dir = resolve(arg('--dir') ?? join(here, '..', 'native'));
const prebuildsDir = resolve(arg('--prebuilds') ?? join(dir, '..', 'prebuilds'));
const buildDir = join(dir, 'build');
const failFile = join(buildDir, 'BUILD_FAILED.txt');
const rejectedFile = join(buildDir, 'PREBUILD_REJECTED.txt');
const mode = process.env.ALBERT_TS_NATIVE_BUILD ?? '';
const tag = '@albert-ts/backends';

if (!['', 'source', 'skip', 'fail'].includes(mode)) {
  console.log(`${tag}: ALBERT_TS_NATIVE_BUILD="${mode}" is not one of source, skip, fail; treating it as unset.`);
}
if (mode === 'skip') {
  console.log(`${tag}: native addon build skipped (ALBERT_TS_NATIVE_BUILD=skip).`);
  process.exit(0);
}
rmSync(failFile, { force: true });
rmSync(rejectedFile, { force: true });

// 1. The prebuilt addon, unless told to compile.
const prebuild = checkPrebuild(prebuildsDir, dir);
let notUsed = prebuild.present ? prebuild.reason : undefined;
if (prebuild.manifest != null) {
  const probe =
    mode === 'source'
      ? { reason: 'ALBERT_TS_NATIVE_BUILD=source asks for a build from source' }
      : loadsInChild(prebuild.file);
  if (probe.info != null) {
    // The loader tries build/Release first: an older local build must not shadow this one.
    rmSync(join(buildDir, 'Release', ADDON_FILE), { force: true });
    const where = relative(join(dir, '..'), prebuild.file);
    console.log(`${tag}: using the prebuilt native addon (${where}, ${probe.info.isa} kernels); nothing to compile.`);
    process.exit(0);
  }
  notUsed = probe.reason;
}
const alsoPrebuild = notUsed == null ? '' : `; the prebuilt one was not used: ${notUsed}`;

// The loader reads this and leaves the prebuild alone, even if compiling failed. Written after
// node-gyp ran: `node-gyp rebuild` starts by deleting build/.
function recordRejection() {
  if (notUsed == null) return;
  mkdirSync(buildDir, { recursive: true });
  writeFileSync(rejectedFile, `${notUsed}\nsha256 ${safeSha(prebuild.file)}\n`);
}

function giveUp(reason, log = '') {
  mkdirSync(buildDir, { recursive: true });
  recordRejection();
  writeFileSync(failFile, `${reason}${alsoPrebuild}\n\n${log}`);
  console.log(`${tag}: native addon not built (${reason}${alsoPrebuild}); the wasm backend will be used instead.`);
  process.exit(0);
}

function safeSha(file) {
  try {
    return sha256File(file);
  } catch {
    return 'unreadable';
  }
}

// 2. Compile.
if (process.platform !== 'linux' || process.arch !== 'x64') {
  giveUp(`the native backend is built for Linux x64 only, this is ${process.platform} ${process.arch}`);
}
const built = compileNative(dir, { forceFail: mode === 'fail' });
if (!built.ok) giveUp(built.reason, built.log.slice(-4000));
recordRejection();
console.log(`${tag}: native addon built in ${built.seconds.toFixed(1)} s (${built.addon})${alsoPrebuild}.`);
