#!/usr/bin/env node
// `pnpm bench <name> [args…]` runs the benchmark script registered under <name> in a package's
// package.json ("albert-ts": { "benchmarks": { "<name>": "bench/<file>.ts" } }). Benchmarks are
// TypeScript run by tsx, with workspace packages resolved to their src/ (no build needed).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const benches = new Map();
for (const group of ['packages', 'apps']) {
  for (const name of readdirSync(join(root, group))) {
    const file = join(root, group, name, 'package.json');
    if (!existsSync(file)) continue;
    const entries = JSON.parse(readFileSync(file, 'utf8'))['albert-ts']?.benchmarks ?? {};
    for (const [bench, script] of Object.entries(entries)) benches.set(bench, join(root, group, name, script));
  }
}
const [name, ...args] = process.argv.slice(2);
if (name == null || !benches.has(name)) {
  console.log(`usage: pnpm bench <name> [args]\navailable: ${[...benches.keys()].sort().join(', ') || '(none yet)'}`);
  process.exit(name == null ? 0 : 1);
}
const result = spawnSync(
  process.execPath,
  ['--conditions=@albert-ts/source', '--import', 'tsx', benches.get(name), ...args],
  { stdio: 'inherit', cwd: root },
);
process.exit(result.status ?? 1);
