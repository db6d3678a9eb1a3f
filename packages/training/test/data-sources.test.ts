// The resumable data sources: a source reopened from getState() taken between two batches yields
// exactly the rest of the uninterrupted stream.
import { describe, expect, it } from 'vitest';
import { arraySource, type DataSourceFactory, MEGA_BATCH, replaySource, TrainingError } from '../src/index.js';

async function take<B, S>(factory: DataSourceFactory<B, S>, n: number, state?: S) {
  const source = factory(state);
  const out: B[] = [];
  const states: S[] = [];
  for await (const b of source.batches()) {
    out.push(b);
    states.push(JSON.parse(JSON.stringify(source.getState())) as S);
    if (out.length === n) break;
  }
  return { out, states };
}

describe('arraySource', () => {
  const items = Array.from({ length: 10 }, (_, i) => i);
  const source = arraySource(items, { batchSize: 4, seed: 3, epochs: 3, collate: (b) => b });

  it('reshuffles every epoch (each epoch a permutation), last batch short unless dropLast', async () => {
    const { out } = await take(source, 100);
    expect(out.map((b) => b.length)).toEqual([4, 4, 2, 4, 4, 2, 4, 4, 2]);
    const epochs = [out.slice(0, 3).flat(), out.slice(3, 6).flat(), out.slice(6).flat()];
    for (const e of epochs) expect([...e].sort((a, b) => a - b)).toEqual(items);
    expect(epochs[0]).not.toEqual(epochs[1]);
    const dropped = await take(arraySource(items, { batchSize: 4, epochs: 2, dropLast: true, collate: (b) => b }), 100);
    expect(dropped.out.map((b) => b.length)).toEqual([4, 4, 4, 4]);
    const plain = await take(arraySource(items, { batchSize: 5, shuffle: false, collate: (b) => b }), 100);
    expect(plain.out).toEqual([
      [0, 1, 2, 3, 4],
      [5, 6, 7, 8, 9],
    ]);
  });

  it('resumes from any position with the batches that were to come', async () => {
    const { out, states } = await take(source, 100);
    for (let k = 1; k < out.length; k++) {
      const rest = await take(source, 100, states[k - 1]);
      expect(rest.out).toEqual(out.slice(k));
    }
  });

  it('rejects bad options and a state from other data', () => {
    expect(() => arraySource(items, { batchSize: 0, collate: (b) => b })).toThrow(TrainingError);
    expect(() => arraySource([], { batchSize: 1, collate: (b) => b })).toThrow(/there are no examples/);
    expect(() => source({ version: 1, epoch: 0, index: 11 })).toThrow(/does not fit 10 examples/);
  });
});

describe('replaySource', () => {
  const open = async function* () {
    for (let i = 0; i < 7; i++) yield { i };
  };

  it('resumes by skipping the batches already taken; fails when the data shrank', async () => {
    const source = replaySource(open);
    const { out, states } = await take(source, 100);
    expect(out.map((b) => b.i)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(states[2]).toEqual({ version: 1, batches: 3 });
    expect((await take(source, 100, states[2])).out.map((b) => b.i)).toEqual([3, 4, 5, 6]);
    await expect(take(source, 100, { version: 1 as const, batches: 9 })).rejects.toThrow(
      /the saved position is batch 9 but the data now has only 7 batches/,
    );
  });
});

describe('arraySource grouped by length (Hugging Face group_by_length)', () => {
  // 1000 examples whose length is their value; batch 8 → mega-batches of 400 positions
  const lengths = Array.from({ length: 1000 }, (_, i) => ((i * 7919) % 1000) + 1);
  const batches = async (seed: number, epochs = 1) => {
    const source = arraySource(lengths, { batchSize: 8, collate: (xs) => xs, seed, epochs, length: (x) => x })(
      undefined,
    );
    const out: number[][] = [];
    for await (const b of source.batches()) out.push(b);
    return out;
  };

  it('visits every example once per epoch, in full batches but the last', async () => {
    const got = await batches(3);
    expect(got.flat().sort((a, b) => a - b)).toEqual([...lengths].sort((a, b) => a - b));
    expect(got.map((b) => b.length)).toEqual(Array.from({ length: 125 }, () => 8));
  });

  it('each batch is a run of its mega-batch sorted by length: nothing else in the mega-batch lies between', async () => {
    const got = await batches(3);
    for (let m = 0; m < got.length; m += MEGA_BATCH) {
      const mega = got.slice(m, m + MEGA_BATCH);
      const all = mega.flat();
      for (const b of mega) {
        const lo = Math.min(...b);
        const hi = Math.max(...b);
        expect(all.filter((x) => x > lo && x < hi && !b.includes(x))).toEqual([]);
      }
      // and the batches of a mega-batch are not left in sorted order
      const firsts = mega.map((b) => b[0] as number);
      expect(firsts).not.toEqual([...firsts].sort((a, b) => b - a));
    }
  });

  it('the padding a batch needs (max − length, summed) falls to under 5% of random batching (about 2.6% expected: 400 of 1000 lengths per mega-batch)', async () => {
    const waste = (bs: number[][]) => bs.reduce((s, b) => s + b.reduce((t, x) => t + Math.max(...b) - x, 0), 0);
    const random = arraySource(lengths, { batchSize: 8, collate: (xs) => xs, seed: 3 })(undefined);
    const plain: number[][] = [];
    for await (const b of random.batches()) plain.push(b);
    expect(waste(await batches(3))).toBeLessThan(0.05 * waste(plain));
  });

  it('is the same for the same seed and differs between seeds and epochs', async () => {
    expect(await batches(3)).toEqual(await batches(3));
    expect(await batches(4)).not.toEqual(await batches(3));
    const two = await batches(3, 2);
    expect(two.slice(125)).not.toEqual(two.slice(0, 125));
  });
});
