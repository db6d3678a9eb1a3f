// Only src/node-builtins.ts may name Node built-ins, and only through a dynamic import, so bundlers
// for the browser accept the package (masking, SOP, heads and TFRecord encoding work anywhere).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

describe('browser-safe imports', () => {
  it('has no static import of node: modules outside node-builtins.ts', () => {
    const offenders = sources(SRC).filter((file) => {
      const text = readFileSync(file, 'utf8');
      return (
        /^import\s+(?!type\b)[^;]*from\s+'node:/m.test(text) ||
        (/import\('node:/.test(text) && !file.endsWith('node-builtins.ts'))
      );
    });
    expect(offenders).toEqual([]);
    expect(sources(SRC).length).toBeGreaterThan(20);
  });
});
