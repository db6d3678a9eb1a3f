// AlbertSelfAttention with the portable (SSE2) kernel table, forced with
// ALBERT_TS_NATIVE_ISA=baseline in this test process: other register blocks (4x12, 4x8), so
// other padding and edge paths, against the composite on cpu.
import { beforeAll, expect, it } from 'vitest';
import { loadNativeAddon } from '../../src/native/index.js';
import { expectAttentionSameAsCpu } from './attention-helpers.js';
import { setupNative } from './helpers.js';

beforeAll(async () => {
  process.env.ALBERT_TS_NATIVE_ISA = 'baseline';
  await setupNative();
});

it.each([
  [1, 1, 16, 4, [0]],
  [3, 7, 60, 4, [2, 7, 0]],
  [2, 33, 96, 2, [5, 0]],
  [2, 128, 768, 12, [27, 128]],
] as [number, number, number, number, number[]][])(
  'batch %i, seq %i, hidden %i, %i heads matches the composite on cpu',
  async (batch, seq, hidden, heads, pads) => {
    expect(loadNativeAddon().info().isa).toBe('baseline');
    await expectAttentionSameAsCpu(batch, seq, hidden, heads, pads);
  },
);
