// Bundles tfjs-core's register_all_gradients (shipped as extensionless ESM that Node cannot
// import) into one ESM file, gen/register_all_gradients.js. Runs at install and at build.
// The bundle carries its own copy of the op code, but tfjs keeps the engine, the kernel and
// gradient registries and the Tensor class on a global namespace, so both copies share them.
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'gen', 'register_all_gradients.js');
const require = createRequire(import.meta.url);
const coreDir = dirname(require.resolve('@tensorflow/tfjs-core/package.json'));
const entry = join(coreDir, 'dist', 'register_all_gradients.js');

if (existsSync(out) && !process.argv.includes('--force')) process.exit(0);
let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  console.warn('[albert-ts/backends] esbuild is not installed; gradients bundle not built.');
  process.exit(existsSync(out) ? 0 : 1);
}
mkdirSync(dirname(out), { recursive: true });
await esbuild.build({
  entryPoints: [entry],
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  outfile: out,
  logLevel: 'warning',
  banner: {
    js: '// Generated from @tensorflow/tfjs-core/dist/register_all_gradients.js by scripts/bundle-gradients.mjs. Do not edit.',
  },
});
