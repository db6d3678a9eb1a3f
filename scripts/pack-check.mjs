#!/usr/bin/env node
// `pnpm pack` of @albert-ts/core installs in an empty project without compiling anything, with
// @tensorflow/tfjs-core resolved from the user's project (one copy). Steps:
//   1. build @albert-ts/common and @albert-ts/core (tsc → dist/) and `pnpm pack` both;
//   2. an empty npm project installs the two tarballs beside @tensorflow/tfjs-core and
//      @tensorflow/tfjs-backend-cpu (the user's own copies; core only peer-depends on tfjs-core);
//   3. checks: no installed package has an install script or a binding.gyp (nothing compiles),
//      @albert-ts/backends is not installed, there is exactly one tfjs-core, and core resolves the
//      project's; a small ALBERT forward runs on the project's tfjs-core + cpu backend.
// Prints one line per check and exits 1 on the first failure.
//
//   node scripts/pack-check.mjs [--keep]     (--keep leaves the scratch project and prints its path)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);
const scratch = mkdtempSync(join(tmpdir(), 'albert-pack-check-'));
const keep = process.argv.includes('--keep');
const TFJS = JSON.parse(readFileSync(join(root, 'packages/core/package.json'), 'utf8')).devDependencies[
  '@tensorflow/tfjs-core'
];

function run(cmd, args, cwd) {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) {
    console.log(`scratch project: ${scratch}`);
    process.exit(1);
  }
}

/** Every package.json under node_modules (scoped and nested). */
function installedPackages(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === '.bin' || name === '.package-lock.json') continue;
    const path = join(dir, name);
    if (!statSync(path).isDirectory()) continue;
    if (name.startsWith('@')) {
      installedPackages(path, out);
      continue;
    }
    try {
      out.push({ path, json: JSON.parse(readFileSync(join(path, 'package.json'), 'utf8')) });
    } catch {
      continue;
    }
    try {
      installedPackages(join(path, 'node_modules'), out);
    } catch {
      // no nested node_modules
    }
  }
  return out;
}

try {
  // 1. Build and pack.
  run('pnpm', ['--filter', '@albert-ts/common', '--filter', '@albert-ts/core', 'run', 'build'], root);
  const tarballs = {};
  for (const pkg of ['common', 'core']) {
    const out = run('pnpm', ['pack', '--pack-destination', scratch], join(root, 'packages', pkg))
      .trim()
      .split('\n');
    tarballs[pkg] = out.filter((l) => l.endsWith('.tgz')).pop();
  }
  check(
    tarballs.common != null && tarballs.core != null,
    `packed ${Object.values(tarballs)
      .map((t) => relative(scratch, t))
      .join(', ')}`,
  );
  const packed = JSON.parse(run('tar', ['-xOzf', tarballs.core, 'package/package.json'], scratch));
  check(
    packed.dependencies?.['@albert-ts/backends'] == null && packed.peerDependencies?.['@tensorflow/tfjs-core'] != null,
    `core's packed manifest: dependencies ${JSON.stringify(packed.dependencies)}, peerDependencies ${JSON.stringify(packed.peerDependencies)}`,
  );

  // 2. An empty project.
  const project = join(scratch, 'project');
  run('mkdir', ['-p', project]);
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify(
      {
        name: 'empty-project',
        private: true,
        type: 'module',
        dependencies: {
          '@albert-ts/core': `file:${tarballs.core}`,
          '@tensorflow/tfjs-core': TFJS,
          '@tensorflow/tfjs-backend-cpu': TFJS,
        },
        // core's dependency on @albert-ts/common@0.0.0 is unpublished: take it from its tarball.
        overrides: { '@albert-ts/common': `file:${tarballs.common}` },
      },
      null,
      2,
    ),
  );
  const log = run('npm', ['install', '--no-audit', '--no-fund', '--foreground-scripts', '--loglevel', 'info'], project);
  check(
    true,
    `npm install in an empty project (${
      log
        .split('\n')
        .filter((l) => l.startsWith('added'))
        .join('') || 'done'
    })`,
  );

  // 3. Nothing compiled, no backends, one tfjs-core.
  const installed = installedPackages(join(project, 'node_modules'));
  const scripted = installed.filter(
    ({ path, json }) =>
      ['preinstall', 'install', 'postinstall'].some((s) => json.scripts?.[s] != null) ||
      readdirSync(path).includes('binding.gyp'),
  );
  check(
    scripted.length === 0,
    `no installed package has an install script or a binding.gyp (${installed.length} packages): ${scripted.map((p) => p.json.name).join(', ') || 'none'}`,
  );
  const names = installed.map((p) => p.json.name);
  check(!names.includes('@albert-ts/backends'), '@albert-ts/backends is not installed (core does not depend on it)');
  const tfjs = installed.filter((p) => p.json.name === '@tensorflow/tfjs-core');
  check(tfjs.length === 1, `one @tensorflow/tfjs-core (${tfjs.map((p) => relative(project, p.path)).join(', ')})`);

  writeFileSync(
    join(project, 'smoke.mjs'),
    `import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { AlbertConfig, AlbertModel } from '@albert-ts/core';

// tfjs-core as core resolves it, from core's own folder.
const fromCore = createRequire(createRequire(import.meta.url).resolve('@albert-ts/core')).resolve('@tensorflow/tfjs-core');
const fromProject = createRequire(import.meta.url).resolve('@tensorflow/tfjs-core');
await tf.setBackend('cpu');
const config = new AlbertConfig({ vocabSize: 100, embeddingSize: 8, hiddenSize: 16, numHiddenLayers: 2,
  numAttentionHeads: 2, intermediateSize: 32, maxPositionEmbeddings: 16 });
const model = new AlbertModel(config, { seed: 1 });
const inputIds = tf.tensor2d([[2, 10, 11, 3]], [1, 4], 'int32');
const out = model.forward({ inputIds });
console.log(JSON.stringify({ same: fromCore === fromProject, fromCore, shape: out.lastHiddenState.shape,
  backend: tf.getBackend(), finite: Array.from(out.lastHiddenState.dataSync()).every(Number.isFinite) }));
`,
  );
  const smoke = JSON.parse(run(process.execPath, ['smoke.mjs'], project).trim().split('\n').pop());
  check(smoke.same, `core resolves the project's tfjs-core (${relative(project, smoke.fromCore)})`);
  check(
    JSON.stringify(smoke.shape) === '[1,4,16]' && smoke.backend === 'cpu' && smoke.finite,
    `an AlbertModel forward on the project's tfjs-core + cpu: lastHiddenState ${JSON.stringify(smoke.shape)}, finite`,
  );
  console.log('pack-check: OK');
} catch (err) {
  console.log(`FAIL ${err.message}\n${err.stdout ?? ''}${err.stderr ?? ''}`);
  console.log(`scratch project: ${scratch}`);
  process.exitCode = 1;
} finally {
  if (keep) console.log(`kept: ${scratch}`);
  else if (process.exitCode !== 1) rmSync(scratch, { recursive: true, force: true });
}
