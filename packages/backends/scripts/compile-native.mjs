// Compiles native/binding.gyp with node-gyp and the machine's C++ compiler. Used by the install
// script (build-native.mjs) and the prebuild script (prebuild.mjs): one way to build the addon.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { ADDON_FILE } from './prebuilds.mjs';

/** node-gyp: the one the package manager provides, else an installed one, else npm's own. */
export function findNodeGyp(env = process.env) {
  const candidates = [];
  if (env.npm_config_node_gyp) candidates.push(env.npm_config_node_gyp);
  try {
    candidates.push(createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js'));
  } catch {}
  const prefix = resolve(dirname(process.execPath), '..');
  candidates.push(join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  return candidates.find((c) => existsSync(c));
}

/**
 * `node-gyp rebuild` in `dir` (the folder with binding.gyp and src/). `forceFail` points CC/CXX at
 * a compiler that does not exist (ALBERT_TS_NATIVE_BUILD=fail). Returns { ok, addon, seconds,
 * log, reason }: `addon` is build/Release/albert_native.node, `reason` a few words when !ok.
 */
export function compileNative(dir, { env = process.env, forceFail = false } = {}) {
  const nodeGyp = findNodeGyp(env);
  if (nodeGyp == null) {
    return { ok: false, seconds: 0, log: '', reason: 'node-gyp was not found (install it with `npm i -g node-gyp`)' };
  }
  const args = [nodeGyp, 'rebuild', '--jobs', 'max'];
  // Use the headers of the running Node when they are installed (no download needed).
  const prefix = resolve(dirname(process.execPath), '..');
  if (existsSync(join(prefix, 'include', 'node', 'node_api.h'))) args.push(`--nodedir=${prefix}`);
  const childEnv = { ...env };
  if (forceFail) {
    childEnv.CXX = '/nonexistent/albert-ts-forced-failure/g++';
    childEnv.CC = '/nonexistent/albert-ts-forced-failure/gcc';
  }
  const started = Date.now();
  const result = spawnSync(process.execPath, args, { cwd: dir, env: childEnv, encoding: 'utf8' });
  const seconds = (Date.now() - started) / 1000;
  const log = `${result.stdout ?? ''}\n${result.stderr ?? ''}`;
  const addon = join(dir, 'build', 'Release', ADDON_FILE);
  if (result.status === 0 && existsSync(addon)) return { ok: true, addon, seconds, log, nodeGyp };
  const compilerMissing = /not found|No such file|ENOENT/.test(log);
  const reason = forceFail
    ? 'the build was forced to fail with ALBERT_TS_NATIVE_BUILD=fail'
    : compilerMissing
      ? 'no working C++ compiler (g++) or make was found'
      : `node-gyp exited with status ${result.status}`;
  return { ok: false, addon, seconds, log, reason, nodeGyp };
}
