// The fused native update (AlbertAdamUpdate, AlbertLambUpdate) gives the tfjs-ops update's
// results within float32 bounds, on the machine's instruction set.
import { initBackend } from '@albert-ts/backends';
import { it } from 'vitest';
import { testBackends } from '../../../test-utils/backends.js';
import { expectFusedMatchesOps, MAKERS } from './helpers/fused-vs-ops.js';

const native = (await testBackends()).includes('native'); // missing native fails under CI
if (native) console.log(`native kernels: ${(await initBackend({ prefer: 'native' })).simd}`);

it.skipIf(!native).each(Object.keys(MAKERS))('%s: fused on native = tfjs ops on cpu', async (name) => {
  const worst = await expectFusedMatchesOps(name);
  console.log(`${name}: worst |fused − ops| / bound = ${worst.toPrecision(3)}`);
});
