#!/usr/bin/env node
// Builds the native addon (native/binding.gyp) with node-gyp and the machine's C++ compiler.
// Run at install time. It never fails the install: on any error it prints one line, leaves
// native/build/BUILD_FAILED.txt (the reason and the compiler output) for the loader to report,
// and exits 0; the backend selector then falls back to wasm.
//
//   node scripts/build-native.mjs [--dir <folder with binding.gyp and src/>]
//   ALBERT_TS_NATIVE_BUILD=skip   do not build
//   ALBERT_TS_NATIVE_BUILD=fail   build with a compiler that does not exist (tests the fallback)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

const here = dirname(new URL(import.meta.url).pathname);
const argDir = process.argv.indexOf('--dir');
const dir = resolve(argDir >= 0 ? process.argv[argDir + 1] : join(here, '..', 'native'));
const buildDir = join(dir, 'build');
const failFile = join(buildDir, 'BUILD_FAILED.txt');
const mode = process.env.ALBERT_TS_NATIVE_BUILD ?? '';
const tag = '@albert-ts/backends';

function giveUp(reason, log = '') {
  mkdirSync(buildDir, { recursive: true });
  writeFileSync(failFile, `${reason}\n\n${log}`);
  console.log(`${tag}: native addon not built (${reason}); the wasm backend will be used instead.`);
  process.exit(0);
}

if (mode === 'skip') {
  console.log(`${tag}: native addon build skipped (ALBERT_TS_NATIVE_BUILD=skip).`);
  process.exit(0);
}
if (process.platform !== 'linux' || process.arch !== 'x64') {
  giveUp(`the native backend is built for Linux x64 only, this is ${process.platform} ${process.arch}`);
}

// node-gyp: the one the package manager provides, else an installed one, else npm's own.
function findNodeGyp() {
  const candidates = [];
  if (process.env.npm_config_node_gyp) candidates.push(process.env.npm_config_node_gyp);
  try {
    candidates.push(createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js'));
  } catch {}
  const prefix = resolve(dirname(process.execPath), '..');
  candidates.push(join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  return candidates.find((c) => existsSync(c));
}

const nodeGyp = findNodeGyp();
if (nodeGyp == null) giveUp('node-gyp was not found (install it with `npm i -g node-gyp`)');

rmSync(failFile, { force: true });
const args = [nodeGyp, 'rebuild', '--jobs', 'max'];
// Use the headers of the running Node when they are installed (no download needed).
const prefix = resolve(dirname(process.execPath), '..');
if (existsSync(join(prefix, 'include', 'node', 'node_api.h'))) args.push(`--nodedir=${prefix}`);
const env = { ...process.env };
if (mode === 'fail') {
  env.CXX = '/nonexistent/albert-ts-forced-failure/g++';
  env.CC = '/nonexistent/albert-ts-forced-failure/gcc';
}
const started = Date.now();
const result = spawnSync(process.execPath, args, { cwd: dir, env, encoding: 'utf8' });
const log = `${result.stdout ?? ''}\n${result.stderr ?? ''}`;
const addon = join(buildDir, 'Release', 'albert_native.node');
if (result.status !== 0 || !existsSync(addon)) {
  const compilerMissing = /not found|No such file|ENOENT/.test(log);
  const reason =
    mode === 'fail'
      ? 'the build was forced to fail with ALBERT_TS_NATIVE_BUILD=fail'
      : compilerMissing
        ? 'no working C++ compiler (g++) or make was found'
        : `node-gyp exited with status ${result.status}`;
  giveUp(reason, log.slice(-4000));
}
console.log(`${tag}: native addon built in ${((Date.now() - started) / 1000).toFixed(1)} s (${addon}).`);
