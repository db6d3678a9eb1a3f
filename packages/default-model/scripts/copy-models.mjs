// prepack: copy the repository's shipped model folders (../../models/<folder>) into this package so
// the tarball holds them; postpack (--clean) removes the copy again.
import { cpSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('..', import.meta.url));
const target = `${here}models`;
rmSync(target, { recursive: true, force: true });
if (!process.argv.includes('--clean')) {
  const source = fileURLToPath(new URL('../../../models/', import.meta.url));
  for (const name of readdirSync(source)) {
    if (!existsSync(`${source}${name}/config.json`)) continue; // the card and charts stay in the repo
    cpSync(`${source}${name}`, `${target}/${name}`, { recursive: true });
    console.log(`copied models/${name}`);
  }
}
