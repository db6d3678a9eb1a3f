import { resolve, sep } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HubError, validateFileName, validateRepoId, validateRevision } from '../../src/hub/index.js';

const ROOT = resolve('/cache/models--org--name/snapshots/abc');

describe('name validation', () => {
  it('accepts real names', () => {
    expect(validateRepoId('albert/albert-base-v2')).toBe('albert/albert-base-v2');
    expect(validateRepoId('albert-base-v2')).toBe('albert-base-v2');
    expect(validateRepoId('Org_1/model.v2')).toBe('Org_1/model.v2');
    expect(validateRevision('main')).toBe('main');
    expect(validateRevision('refs/pr/12')).toBe('refs/pr/12');
    expect(validateRevision('v1.0.0')).toBe('v1.0.0');
    expect(validateFileName('model.safetensors')).toBe('model.safetensors');
    expect(validateFileName('onnx/model_quantized.onnx')).toBe('onnx/model_quantized.onnx');
    expect(validateFileName('.gitattributes')).toBe('.gitattributes');
  });

  it('any string either fails with HubError or stays inside the folder it is joined to (10,000 cases)', () => {
    const alphabet = fc.constantFrom('a', 'Z', '0', '.', '/', '\\', '-', '_', ':', '%', ' ', '~', '\0', 'é', '+');
    const nasty = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.string({ unit: alphabet, maxLength: 20 }),
      fc.constantFrom('..', '../x', 'x/..', '/etc/passwd', 'C:\\x', 'a//b', './a', 'a/./b', '....', '.../x'),
    );
    let accepted = 0;
    fc.assert(
      fc.property(nasty, (name) => {
        for (const validate of [validateFileName, validateRevision, validateRepoId]) {
          let ok: string;
          try {
            ok = validate(name);
          } catch (error) {
            expect(error).toBeInstanceOf(HubError);
            continue;
          }
          accepted++;
          const full = resolve(ROOT, ...ok.split('/'));
          expect(full.startsWith(ROOT + sep)).toBe(true);
          expect(ok).not.toMatch(/\\|^\/|(^|\/)\.\.?(\/|$)/);
        }
      }),
      { numRuns: 10_000, seed: 7 },
    );
    expect(accepted).toBeGreaterThan(100);
  });
});
