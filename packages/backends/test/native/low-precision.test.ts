// The q8 and bf16 linear layers of the addon (native/src/lowp.h): every path this CPU can run
// (AVX-512 VNNI / BF16, AVX2, scalar — /proc/cpuinfo decides which must be there) against the
// scalar path and against an independent reference of the documented math; the int8 result
// against the exact fp32 product; forcing a lower path with ALBERT_TS_NATIVE_ISA.
import { execFileSync } from 'node:child_process';
import { packBf16, quantizeQ8 } from '@albert-ts/common';
import { describe, expect, it } from 'vitest';
import { loadNativeAddon } from '../../src/native/index.js';
import { random } from './helpers.js';
import { bf16Reference, cpuinfoPaths, q8Reference } from './low-precision-reference.js';

const addon = loadNativeAddon();
const info = addon.info();
const expected = cpuinfoPaths();

function maxDiff(a: Float32Array, b: Float32Array): { abs: number; at: number } {
  let abs = 0;
  let at = -1;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs((a[i] as number) - (b[i] as number));
    if (!(d <= abs)) {
      abs = d;
      at = i;
    }
  }
  return { abs, at };
}

function fp32Product(x: Float32Array, w: Float32Array, m: number, k: number, n: number): Float64Array {
  const y = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let kk = 0; kk < k; kk++) {
      const a = x[i * k + kk] as number;
      for (let j = 0; j < n; j++) y[i * n + j] = (y[i * n + j] as number) + a * (w[kk * n + j] as number);
    }
  return y;
}

// Odd sizes (k not a multiple of 4, n not of 16, rows not of any register block) and an
// ALBERT-like one; activations with an offset (u8 zero point not 0 or 255).
const SHAPES = [
  { m: 1, k: 5, n: 3 },
  { m: 37, k: 70, n: 50 },
  { m: 19, k: 768, n: 100 },
];

describe('the paths this CPU runs', () => {
  it('lists every q8 and bf16 path /proc/cpuinfo allows, and uses the best one', () => {
    expect(info.q8Paths).toEqual(expected.q8);
    expect(info.bf16Paths).toEqual(expected.bf16);
    if (process.env.ALBERT_TS_NATIVE_ISA == null) {
      expect(info.q8Path).toBe(expected.q8.at(-1));
      expect(info.bf16Path).toBe(expected.bf16.at(-1));
    }
  });

  it('ALBERT_TS_NATIVE_ISA forces the low-precision paths down (avx2, baseline)', () => {
    const script = `const a = require(${JSON.stringify(addonFile())}); const i = a.info(); console.log(JSON.stringify([i.q8Path, i.bf16Path]));`;
    const run = (isa: string) =>
      JSON.parse(
        execFileSync(process.execPath, ['-e', script], {
          env: { ...process.env, ALBERT_TS_NATIVE_ISA: isa },
        }).toString(),
      );
    if (expected.q8.includes('avx2')) expect(run('avx2')).toEqual(['avx2', 'avx2']);
    expect(run('baseline')).toEqual(['scalar', 'scalar']);
  });
});

function addonFile(): string {
  return `${process.cwd().replace(/\/packages\/backends$/, '')}/packages/backends/native/build/Release/albert_native.node`;
}

describe.each(SHAPES)('q8 linear m $m k $k n $n', ({ m, k, n }) => {
  const x = random(m * k, 11 + k, -1.5, 2.5);
  const wf = random(k * n, 7 + n, -0.2, 0.2);
  const bias = random(n, 3, -1, 1);
  const w = quantizeQ8(wf, k, n);
  const run = (path: string, act = 0, b: Float32Array | null = null) => {
    const y = new Float32Array(m * n);
    addon.q8Linear?.(x, w.weight, w.scale, w.colSum, b, y, m, k, n, act, path as 'scalar');
    return y;
  };
  const scalar = run('scalar');

  it('scalar path = the reference of the documented math', () => {
    const ref = q8Reference(x, m, w);
    const d = maxDiff(scalar, ref);
    expect(d.abs, `at ${d.at}: ${scalar[d.at]} vs ${ref[d.at]}`).toBeLessThanOrEqual(1e-6);
  });

  it.each(expected.q8)('path %s = scalar (same int32 sums), with bias and gelu too', (path) => {
    expect(maxDiff(run(path), scalar).abs).toBe(0);
    const withBias = run('scalar', 7, bias);
    expect(maxDiff(run(path, 7, bias), withBias).abs).toBeLessThanOrEqual(1e-5);
  });

  it('stays close to the exact fp32 product (int8 error)', () => {
    const exact = fp32Product(x, wf, m, k, n);
    let se = 0;
    let sy = 0;
    for (let i = 0; i < exact.length; i++) {
      se += ((scalar[i] as number) - (exact[i] as number)) ** 2;
      sy += (exact[i] as number) ** 2;
    }
    expect(Math.sqrt(se / sy)).toBeLessThan(0.02);
  });
});

describe.each(SHAPES)('bf16 linear m $m k $k n $n', ({ m, k, n }) => {
  const x = random(m * k, 5 + k, -2, 2);
  const wf = random(k * n, 9 + n, -0.2, 0.2);
  const w = packBf16(wf, k, n);
  const run = (path: string) => {
    const y = new Float32Array(m * n);
    addon.bf16Linear?.(x, w.weight, null, y, m, k, n, 0, path as 'scalar');
    return y;
  };
  const scalar = run('scalar');

  it('scalar path = the reference (bf16 inputs, vdpbf16ps order)', () => {
    expect(maxDiff(scalar, bf16Reference(x, m, w)).abs).toBe(0);
  });

  it.each(expected.bf16)('path %s = scalar', (path) => {
    expect(maxDiff(run(path), scalar).abs).toBe(0);
  });

  it('stays close to the exact fp32 product (bf16 error)', () => {
    const exact = fp32Product(x, wf, m, k, n);
    let se = 0;
    let sy = 0;
    for (let i = 0; i < exact.length; i++) {
      se += ((scalar[i] as number) - (exact[i] as number)) ** 2;
      sy += (exact[i] as number) ** 2;
    }
    expect(Math.sqrt(se / sy)).toBeLessThan(0.01);
  });
});

it('rejects a path the CPU cannot run or a wrongly packed weight, naming the problem', () => {
  const w = quantizeQ8(new Float32Array(8 * 16), 8, 16);
  const y = new Float32Array(16);
  const x = new Float32Array(8);
  expect(() => addon.q8Linear?.(x, w.weight, w.scale, w.colSum, null, y, 1, 8, 16, 0, 'avx9' as 'scalar')).toThrow(
    /unknown path 'avx9'/,
  );
  expect(() => addon.q8Linear?.(x, w.weight.subarray(1), w.scale, w.colSum, null, y, 1, 8, 16, 0)).toThrow(
    /weight must hold/,
  );
});

it('measures a peak for every multiply-add instruction this CPU has, and 0 for the others', () => {
  const flags = cpuinfoPaths();
  const rate = (k: 'fp32-avx512' | 'fp32-avx2' | 'int8-vnni' | 'bf16-avx512') => addon.peakOps?.(k, 1) ?? -1;
  expect(rate('fp32-avx2') > 0).toBe(flags.q8.includes('avx2'));
  expect(rate('int8-vnni') > 0).toBe(flags.q8.includes('avx512'));
  expect(rate('bf16-avx512') > 0).toBe(flags.bf16.includes('avx512'));
  expect(() => addon.peakOps?.('fp64' as 'fp32-avx2', 1)).toThrow(/kind must be/);
});
