// The fused update compiled for the portable baseline (SSE2) instruction set, forced with
// ALBERT_TS_NATIVE_ISA=baseline in this test process (read when the addon loads).
import { initBackend } from '@albert-ts/backends';
import { expect, it } from 'vitest';

process.env.ALBERT_TS_NATIVE_ISA = 'baseline';
const { expectFusedMatchesOps, MAKERS } = await import('./helpers/fused-vs-ops.js');
const { testBackends } = await import('../../../test-utils/backends.js');
const native = (await testBackends()).includes('native'); // missing native fails under CI

it.skipIf(!native)('runs the baseline kernels', async () => {
  expect((await initBackend({ prefer: 'native' })).simd).toBe('baseline');
});

it.skipIf(!native).each(Object.keys(MAKERS))('%s: fused (baseline ISA) = tfjs ops on cpu', async (name) => {
  await expectFusedMatchesOps(name);
});
