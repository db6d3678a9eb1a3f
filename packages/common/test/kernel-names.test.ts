import { describe, expect, it } from 'vitest';
import * as common from '../src/index.js';
import { FUSED_ACTIVATION_CODES, FUSED_KERNEL_NAMES } from '../src/index.js';

describe('the fused-kernel contract', () => {
  it('exports each kernel name as a constant whose value is its own name, listed once', () => {
    expect(new Set(FUSED_KERNEL_NAMES).size).toBe(FUSED_KERNEL_NAMES.length);
    expect(FUSED_KERNEL_NAMES.length).toBe(20);
    for (const name of FUSED_KERNEL_NAMES) expect((common as Record<string, unknown>)[name]).toBe(name);
  });

  it('numbers the activations 0..7 without gaps', () => {
    expect(Object.values(FUSED_ACTIVATION_CODES).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(FUSED_ACTIVATION_CODES.linear).toBe(0);
  });
});
