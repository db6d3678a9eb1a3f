// Prebuilt addons: where they live (prebuilds/<platform>-<arch>/albert_native.node with the
// manifest albert_native.json beside it), and whether one fits this machine and these sources.
// Shared by the install script (build-native.mjs), the prebuild script (prebuild.mjs) and the
// loader (src/native/addon.ts), so all three judge a prebuild the same way.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

export const ADDON_FILE = 'albert_native.node';
export const MANIFEST_FILE = 'albert_native.json';

/** "linux-x64": the folder name under prebuilds/ for this machine. */
export function platformTag(platform = process.platform, arch = process.arch) {
  return `${platform}-${arch}`;
}

export function sha256File(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/**
 * sha256 over what decides the binary: binding.gyp and every file under src/ of the native
 * folder, in sorted path order (path, NUL, bytes, NUL per file). Equal hashes, same sources.
 */
export function nativeSourceHash(nativeDir) {
  const files = ['binding.gyp', ...listFiles(join(nativeDir, 'src')).map((f) => relative(nativeDir, f))]
    .map((f) => f.split(sep).join('/'))
    .sort();
  const hash = createHash('sha256');
  for (const f of files) {
    hash.update(f);
    hash.update('\0');
    hash.update(readFileSync(join(nativeDir, f)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

function listFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/**
 * Is prebuilds/<platform>-<arch>/albert_native.node usable here? Returns { file, manifest } when
 * it is, else { file, reason, present } where `reason` says why not in a few words and `present`
 * tells whether there was a binary at all. Checks, cheapest first: the binary and its manifest
 * exist; platform and arch; the N-API version Node offers; glibc; the binary's sha256 (a truncated
 * or corrupted copy); the native sources' hash when `nativeDir` holds them (a stale prebuild).
 * It does not load the binary: loadsInChild() does that without risking this process.
 */
export function checkPrebuild(prebuildsDir, nativeDir) {
  const tag = platformTag();
  const file = join(prebuildsDir, tag, ADDON_FILE);
  if (!existsSync(file)) return { file, present: false, reason: `no prebuilt addon for ${tag}` };
  const no = (reason) => ({ file, present: true, reason });
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(prebuildsDir, tag, MANIFEST_FILE), 'utf8'));
  } catch {
    return no(`its manifest ${MANIFEST_FILE} is missing or unreadable`);
  }
  if (manifest.platform !== process.platform || manifest.arch !== process.arch) {
    return no(`it was built for ${manifest.platform}-${manifest.arch}, this is ${tag}`);
  }
  const napi = Number(process.versions.napi ?? 0);
  if (!(napi >= manifest.napiVersion)) {
    return no(`it needs N-API ${manifest.napiVersion}, this Node.js offers ${napi}`);
  }
  const glibc = manifest.requires?.glibc;
  const runtime = glibcRuntime();
  if (glibc && runtime && compareVersions(runtime, glibc) < 0) {
    return no(`it needs glibc ${glibc}, this system has ${runtime}`);
  }
  const sha = sha256File(file);
  if (sha !== manifest.sha256) {
    return no(
      `the binary is corrupt (sha256 ${sha.slice(0, 12)}… is not its manifest's ${manifest.sha256?.slice(0, 12)}…)`,
    );
  }
  if (existsSync(join(nativeDir, 'binding.gyp')) && existsSync(join(nativeDir, 'src'))) {
    if (nativeSourceHash(nativeDir) !== manifest.sourceHash) {
      return no('it is stale (built from other native sources than these)');
    }
  }
  return { file, manifest };
}

function glibcRuntime() {
  try {
    return process.report?.getReport?.().header?.glibcVersionRuntime ?? null;
  } catch {
    return null;
  }
}

/** -1, 0, 1 for dotted versions "2.17" vs "2.36". */
export function compareVersions(a, b) {
  const pa = String(a).split('.').map(Number);
  const pb = String(b).split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

// Loads the addon and runs a 2x3 by 3x2 GEMM in a separate Node process: a binary that fails to
// load, or crashes (SIGILL from an instruction this CPU lacks, SIGSEGV), takes only that process down.
const PROBE = `
const addon = require(process.argv[1]);
const a = new Float32Array([1, 2, 3, 4, 5, 6]), b = new Float32Array([7, 8, 9, 10, 11, 12]), c = new Float32Array(4);
addon.gemm(a, b, c, 1, 2, 2, 3, 6, 6, false, false, null, null, 0, 1);
if (c.join() !== '58,64,139,154') throw new Error('2x2 GEMM gave ' + c.join() + ', not 58,64,139,154');
process.stdout.write(JSON.stringify(addon.info()));
`;

/** Returns { info } when `file` loads and computes correctly in a child process, else { reason }. */
export function loadsInChild(file) {
  const r = spawnSync(process.execPath, ['-e', PROBE, resolve(file)], { encoding: 'utf8', timeout: 60_000 });
  if (r.status === 0) {
    try {
      return { info: JSON.parse(r.stdout) };
    } catch {}
  }
  const lines = `${r.stderr ?? ''}`.split('\n').map((l) => l.trim());
  const error = lines.find((l) => /^\w*Error\b|^Error:/.test(l)) ?? lines.find((l) => l !== '') ?? '';
  const how = r.signal ? `crashed with ${r.signal}` : r.error ? r.error.message : `exited with status ${r.status}`;
  return { reason: `it does not load here (${how}${error ? `: ${error}` : ''})` };
}
