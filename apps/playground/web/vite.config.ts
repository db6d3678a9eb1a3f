// Vite builds the page (web/index.html → dist/web). Workspace packages resolve to their src/
// (the @albert-ts/source condition), Node-only imports stay out of the bundle, and the worker is
// an ES module. The server (src/web-server) adds the COOP/COEP headers and serves the models.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: './',
  publicDir: `${here}public`,
  resolve: { conditions: ['@albert-ts/source', 'browser', 'module', 'import', 'default'] },
  build: {
    outDir: `${here}../dist/web`,
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 8192,
    // tfjs-backend-wasm's threaded build re-creates its module in each pthread worker from the
    // factory's source text, which breaks when identifiers are minified (tensorflow/tfjs#4107)
    minify: false,
    rollupOptions: { external: [/^node:/] },
  },
  worker: { format: 'es', rollupOptions: { external: [/^node:/] } },
  logLevel: 'warn',
});
