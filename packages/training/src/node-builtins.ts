// Node built-ins loaded on first use through a non-literal specifier, so browser bundles of this
// package leave them alone; only NodeCheckpointStorage and the signal handling touch them.
type Fs = typeof import('node:fs/promises');
type Path = typeof import('node:path');

const load = (specifier: string): Promise<unknown> => import(/* @vite-ignore */ /* webpackIgnore: true */ specifier);

export const nodeFs = (): Promise<Fs> => load('node:fs/promises') as Promise<Fs>;
export const nodePath = (): Promise<Path> => load('node:path') as Promise<Path>;

/** True in Node.js (not in a browser or a web worker). */
export const isNode: boolean =
  typeof process !== 'undefined' && typeof process.versions === 'object' && process.versions?.node != null;
