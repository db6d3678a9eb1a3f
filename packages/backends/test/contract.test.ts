// One source of truth for the numbers TypeScript and the C++ addon share: the addon's enums in
// native/src/kernels.h must list the codes of src/native/op-codes.ts and @albert-ts/common's
// FUSED_ACTIVATION_CODES, in the same order; the dropout hash in native/src/ops.cc and ops.inc
// must use @albert-ts/common's DROPOUT_HASH constants; and the native backend registers every
// fused kernel of the contract under its exported name. (Reads the sources: no addon needed.)
import { readFileSync } from 'node:fs';
import { DROPOUT_HASH, FUSED_ACTIVATION_CODES, FUSED_KERNEL_NAMES } from '@albert-ts/common';
import { describe, expect, it } from 'vitest';
import { BinaryOp, ReduceOp, UnaryOp } from '../src/native/op-codes.js';
import { nativeKernelNames } from '../src/native/register.js';

const source = (file: string) => readFileSync(new URL(`../native/src/${file}`, import.meta.url), 'utf8');
const header = source('kernels.h');

/** The enumerators of `enum name : int { kA = 0, kB, ... }` with their values, `k` removed. */
function cppEnum(name: string): Record<string, number> {
  const body = new RegExp(`enum ${name} : int \\{([^}]*)\\}`).exec(header)?.[1];
  if (body == null) throw new Error(`enum ${name} not found in native/src/kernels.h`);
  const out: Record<string, number> = {};
  let next = 0;
  for (const item of body.split(',').map((s) => s.trim())) {
    if (item === '') continue;
    const [id, value] = item.split('=').map((s) => s.trim()) as [string, string | undefined];
    next = value == null ? next : Number(value);
    out[id.replace(/^k/, '')] = next++;
  }
  return out;
}

const withoutCount = (e: Record<string, number>) =>
  Object.fromEntries(Object.entries(e).filter(([k]) => !k.endsWith('Count')));

describe('TypeScript and the C++ addon agree', () => {
  it('on the UnaryOp, BinaryOp and ReduceOp codes', () => {
    expect(withoutCount(cppEnum('UnaryOp'))).toEqual(UnaryOp);
    expect(withoutCount(cppEnum('BinaryOp'))).toEqual(BinaryOp);
    expect(cppEnum('ReduceOp')).toEqual(ReduceOp);
  });

  it('on the GEMM epilogue activation codes (enum Act)', () => {
    const act = cppEnum('Act'); // Linear, ActRelu, ..., ActGeluNew
    const normalise = (name: string) => name.replace(/^Act/, '').replace(/_/g, '').toLowerCase();
    const cpp = Object.fromEntries(Object.entries(act).map(([k, v]) => [normalise(k), v]));
    const ts = Object.fromEntries(Object.entries(FUSED_ACTIVATION_CODES).map(([k, v]) => [normalise(k), v]));
    expect(cpp).toEqual(ts);
  });

  it('on the dropout hash constants', () => {
    const hex = (n: number) => `0x${n.toString(16)}U`;
    for (const file of ['ops.cc', 'ops.inc']) {
      const text = source(file);
      expect(text).toContain(hex(DROPOUT_HASH.mul1));
      expect(text).toContain(hex(DROPOUT_HASH.mul2));
    }
    const ops = source('ops.cc');
    expect(ops).toContain(`^ ${hex(DROPOUT_HASH.key0)}`);
    expect(ops).toContain(`+ ${hex(DROPOUT_HASH.key1)}`);
    expect(ops).toContain(`* ${2 ** DROPOUT_HASH.bits}.0`);
    expect(source('ops.inc')).toContain(`) >> ${32 - DROPOUT_HASH.bits};`);
  });
});

describe('the native backend registers the fused-kernel contract', () => {
  it('every fused kernel name, under the exported constant', () => {
    const names = new Set(nativeKernelNames());
    for (const name of FUSED_KERNEL_NAMES) expect(names.has(name), name).toBe(true);
    const albertNames = [...names].filter((n) => n.startsWith('Albert'));
    expect(albertNames.sort()).toEqual([...FUSED_KERNEL_NAMES].sort());
  });
});
