// Starting a worker thread on a module of this app, from the built JavaScript (dist/) or from the
// TypeScript sources (pnpm albert-train, vitest): there the worker registers tsx first and resolves
// the workspace packages to their src/ (the @albert-ts/source export condition).
import { Worker } from 'node:worker_threads';

export function spawnWorker(entry: URL): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry);
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot =
    `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); ` +
    `return import(${JSON.stringify(entry.href)}); })`;
  const conditions = process.execArgv.some((a) => a.includes('@albert-ts/source'))
    ? []
    : ['--conditions=@albert-ts/source'];
  return new Worker(boot, { eval: true, execArgv: [...process.execArgv, ...conditions] });
}

/** The sibling module `name` (without extension) of `base`, in the same flavour (.ts or .js). */
export function siblingModule(base: string, name: string): URL {
  return new URL(`./${name}${base.endsWith('.ts') ? '.ts' : '.js'}`, base);
}
