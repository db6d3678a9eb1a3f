// Node built-ins, loaded on first use. The specifiers are not string literals on purpose: browser
// bundlers then leave these imports alone instead of failing to resolve them, and browser code that
// never touches files never loads them.

type Fs = typeof import('node:fs/promises');
type Path = typeof import('node:path');
type Os = typeof import('node:os');
type Url = typeof import('node:url');
type Crypto = typeof import('node:crypto');

const load = (specifier: string): Promise<unknown> => import(/* @vite-ignore */ /* webpackIgnore: true */ specifier);

export const nodeFs = (): Promise<Fs> => load('node:fs/promises') as Promise<Fs>;
export const nodePath = (): Promise<Path> => load('node:path') as Promise<Path>;
export const nodeOs = (): Promise<Os> => load('node:os') as Promise<Os>;
export const nodeUrl = (): Promise<Url> => load('node:url') as Promise<Url>;
export const nodeCrypto = (): Promise<Crypto> => load('node:crypto') as Promise<Crypto>;
