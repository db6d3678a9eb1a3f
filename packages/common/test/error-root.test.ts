// Every error the library and apps throw is an AlbertError subclass that says what was wrong and
// what to do: no plain `new Error(` (or a bare built-in error) in any package's or app's src/.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));

function sources(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) sources(path, out);
    else if (/\.(ts|mts)$/.test(entry.name) && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts')) {
      out.push(path);
    }
  }
  return out;
}

it('no package or app throws a plain Error from src/', () => {
  const dirs = ['packages', 'apps'].flatMap((group) =>
    readdirSync(join(root, group), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => join(root, group, e.name, 'src')),
  );
  const files = dirs.flatMap((d) => {
    try {
      return sources(d);
    } catch {
      return []; // a package without src/
    }
  });
  expect(files.length).toBeGreaterThan(100);
  const plain = /\b(?:new\s+|throw\s+)(?:Error|TypeError|RangeError)\s*\(/;
  const offenders = files.flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((line, i) => (plain.test(line) ? [`${relative(root, file)}:${i + 1}: ${line.trim()}`] : [])),
  );
  expect(offenders, 'throw an AlbertError subclass (from @albert-ts/common) that says what to do').toEqual([]);
});
