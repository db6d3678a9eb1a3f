// The umbrella re-exports every package (`export *` from tokenizer, core, pretraining, heads,
// training, backends). TypeScript and ES modules silently drop a name that two `export *`
// sources export with different bindings, so no two packages may export one name for two
// different things. A name two packages share must be the same value (e.g. AlbertError, which
// all of them re-export from @albert-ts/common).
import * as backends from '@albert-ts/backends';
import * as core from '@albert-ts/core';
import * as heads from '@albert-ts/heads';
import * as pretraining from '@albert-ts/pretraining';
import * as tokenizer from '@albert-ts/tokenizer';
import * as training from '@albert-ts/training';
import { describe, expect, it } from 'vitest';
import * as umbrella from '../src/index.js';

const packages: Record<string, Record<string, unknown>> = { tokenizer, core, pretraining, heads, training, backends };

describe('the packages the umbrella re-exports', () => {
  it('export no name twice with two different values', () => {
    const owners = new Map<string, { pkg: string; value: unknown }>();
    const clashes: string[] = [];
    for (const [pkg, exports] of Object.entries(packages)) {
      for (const [name, value] of Object.entries(exports)) {
        const first = owners.get(name);
        if (first == null) owners.set(name, { pkg, value });
        else if (first.value !== value) clashes.push(`${name}: @albert-ts/${first.pkg} and @albert-ts/${pkg}`);
      }
    }
    expect(clashes).toEqual([]);
  });

  it('share the one AlbertError and the one deriveSeed', () => {
    expect(core.AlbertError).toBe(tokenizer.AlbertError);
    expect(core.AlbertError).toBe(backends.AlbertError);
    expect(core.deriveSeed).toBe(pretraining.deriveSeed);
    expect(owned('AlbertError').length).toBeGreaterThanOrEqual(3);
  });
});

describe("the umbrella's own exports", () => {
  it("shadow a package's name only for AlbertTokenizer, which extends the tokenizer package's class", () => {
    const shadowed = Object.entries(umbrella as Record<string, unknown>)
      .filter(([name, value]) => owned(name).some((pkg) => packages[pkg]?.[name] !== value))
      .map(([name]) => name);
    expect(shadowed).toEqual(['AlbertTokenizer']);
    expect(Object.getPrototypeOf(umbrella.AlbertTokenizer)).toBe(tokenizer.AlbertTokenizer);
    expect(typeof umbrella.AlbertTokenizer.fromPretrained).toBe('function');
  });
});

function owned(name: string): string[] {
  return Object.entries(packages)
    .filter(([, exports]) => name in exports)
    .map(([pkg]) => pkg);
}
