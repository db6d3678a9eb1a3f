import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { PretrainingExample } from '../corpus/example.js';
import { TFRecordError } from '../errors.js';
import { exampleToFeatures, featuresToExample } from './albert-features.js';
import { crc32c, maskCrc, unmaskCrc } from './crc32c.js';
import { decodeExample, encodeExample, type Features } from './example-proto.js';
import { frameRecord, parseRecords } from './record-framing.js';
import { readExamplesTFRecord, readTFRecordFile, writeExamplesTFRecord } from './tfrecord-file.js';

describe('CRC-32C', () => {
  // Known answers: RFC 3720 (iSCSI) appendix B.4 "CRC Examples", and the standard check value of
  // CRC-32C ("123456789" → 0xE3069283, the CRC catalogue's CRC-32/ISCSI entry).
  it.each([
    ['32 bytes of 0x00', new Uint8Array(32), 0x8a9136aa],
    ['32 bytes of 0xFF', new Uint8Array(32).fill(0xff), 0x62a8ab43],
    ['32 ascending bytes', Uint8Array.from({ length: 32 }, (_, i) => i), 0x46dd794e],
    ['32 descending bytes', Uint8Array.from({ length: 32 }, (_, i) => 31 - i), 0x113fdb5c],
    ['"123456789"', new TextEncoder().encode('123456789'), 0xe3069283],
    ['empty', new Uint8Array(0), 0],
  ])('%s', (_, bytes, expected) => {
    expect(crc32c(bytes)).toBe(expected);
  });

  it('continues across chunks and unmasks what it masks', () => {
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 37) & 0xff);
    expect(crc32c(bytes.subarray(500), crc32c(bytes.subarray(0, 500)))).toBe(crc32c(bytes));
    for (const c of [0, 1, 0xe3069283, 0xffffffff]) expect(unmaskCrc(maskCrc(c))).toBe(c);
    // TensorFlow's mask: rotate right 15, add 0xa282ead8.
    expect(maskCrc(0)).toBe(0xa282ead8);
    expect(maskCrc(0x8000)).toBe((1 + 0xa282ead8) >>> 0);
  });
});

const example: PretrainingExample = {
  inputIds: Int32Array.from([2, 4, 31, 3, 88, 4, 3]),
  tokenTypeIds: Int32Array.from([0, 0, 0, 0, 1, 1, 1]),
  tokenBoundary: Uint8Array.from([1, 1, 0, 1, 1, 1, 1]),
  maskedPositions: Int32Array.from([1, 5]),
  maskedIds: Int32Array.from([17, 29999]),
  sentenceOrderLabel: 1,
};
const shape = { maxSeqLength: 10, maxPredictionsPerSeq: 4 };

describe('tf.train.Example', () => {
  it('encodes the original feature names, types and padding', () => {
    const f = exampleToFeatures(example, shape);
    expect([...f.keys()]).toEqual([
      'input_ids',
      'input_mask',
      'segment_ids',
      'token_boundary',
      'masked_lm_positions',
      'masked_lm_ids',
      'masked_lm_weights',
      'next_sentence_labels',
    ]);
    expect(f.get('input_ids')).toEqual({ kind: 'int64', values: [2, 4, 31, 3, 88, 4, 3, 0, 0, 0] });
    expect(f.get('input_mask')).toEqual({ kind: 'int64', values: [1, 1, 1, 1, 1, 1, 1, 0, 0, 0] });
    expect(f.get('masked_lm_positions')).toEqual({ kind: 'int64', values: [1, 5, 0, 0] });
    expect(f.get('masked_lm_weights')).toEqual({ kind: 'float', values: Float32Array.from([1, 1, 0, 0]) });
    expect(f.get('next_sentence_labels')).toEqual({ kind: 'int64', values: [1] });
  });

  it('writes protobuf wire format by hand-checkable bytes', () => {
    const bytes = encodeExample(new Map([['a', { kind: 'int64', values: [1, 300] }]]));
    // Example.features(1,LEN) → Features.feature entry(1,LEN) → key(1,LEN "a"), value(2,LEN) →
    // Feature.int64_list(3,LEN) → Int64List.value packed(1,LEN) [01, ac 02]
    expect([...bytes]).toEqual([
      0x0a, 0x0e, 0x0a, 0x0c, 0x0a, 0x01, 0x61, 0x12, 0x07, 0x1a, 0x05, 0x0a, 0x03, 0x01, 0xac, 0x02,
    ]);
  });

  it('round-trips features, including negative int64, bytes lists and unpacked lists', () => {
    const f: Features = new Map([
      ['neg', { kind: 'int64', values: [-1, -300, 2 ** 40, 0] }],
      ['floats', { kind: 'float', values: Float32Array.from([0.5, -2.25, 1e-7]) }],
      ['text', { kind: 'bytes', values: [new TextEncoder().encode('héllo'), new Uint8Array(0)] }],
    ]);
    expect(decodeExample(encodeExample(f))).toEqual(f);
    // Unpacked int64 list (wire type 0 repeated) is valid protobuf too.
    const unpacked = Uint8Array.from([
      0x0a, 0x0d, 0x0a, 0x0b, 0x0a, 0x01, 0x78, 0x12, 0x06, 0x1a, 0x04, 0x08, 0x05, 0x08, 0x07,
    ]);
    expect(decodeExample(unpacked).get('x')).toEqual({ kind: 'int64', values: [5, 7] });
  });

  it('round-trips an ALBERT example', () => {
    const back = featuresToExample(decodeExample(encodeExample(exampleToFeatures(example, shape))));
    expect(back).toEqual(example);
  });

  it('rejects garbage with a TFRecordError', () => {
    expect(() => decodeExample(Uint8Array.from([0x0a, 0x50, 0x01]))).toThrow(TFRecordError);
    expect(() => featuresToExample(new Map())).toThrow(/input_ids.*missing/);
  });
});

describe('TFRecord files', () => {
  it('frames records as length | masked crc | data | masked crc', () => {
    const data = new TextEncoder().encode('123456789');
    const rec = frameRecord(data);
    const view = new DataView(rec.buffer);
    expect(rec.length).toBe(12 + 9 + 4);
    expect(Number(view.getBigUint64(0, true))).toBe(9);
    expect(view.getUint32(8, true)).toBe(maskCrc(crc32c(rec.subarray(0, 8))));
    expect(view.getUint32(21, true)).toBe(maskCrc(0xe3069283));
    expect([...parseRecords(rec)].map((r) => [...r])).toEqual([[...data]]);
  });

  it('writes and streams back many examples; a flipped bit is a clear error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'albert-tfrecord-'));
    try {
      const path = join(dir, 'examples.tfrecord');
      const examples = Array.from({ length: 50 }, (_, i) => ({
        ...example,
        inputIds: example.inputIds.map((x) => x + i),
        sentenceOrderLabel: (i % 2) as 0 | 1,
      }));
      expect(await writeExamplesTFRecord(path, examples, shape)).toBe(50);
      const back: PretrainingExample[] = [];
      for await (const e of readExamplesTFRecord(path)) back.push(e);
      expect(back).toEqual(examples);

      const bytes = new Uint8Array(await readFile(path));
      const starts: number[] = [];
      for (let offset = 0; offset < bytes.length; ) {
        starts.push(offset);
        offset += 16 + Number(new DataView(bytes.buffer, offset, 8).getBigUint64(0, true));
      }
      expect(starts.length).toBe(50);
      const corruptData = bytes.slice();
      corruptData[(starts[3] as number) + 20] = (corruptData[(starts[3] as number) + 20] as number) ^ 0x04;
      await writeFile(path, corruptData);
      await expect(async () => {
        for await (const _ of readTFRecordFile(path)) void _;
      }).rejects.toThrow(/record 3 at byte \d+: data CRC mismatch/);

      const corruptLength = bytes.slice();
      corruptLength[starts[7] as number] = (corruptLength[starts[7] as number] as number) ^ 0x01;
      await writeFile(path, corruptLength);
      await expect(async () => {
        for await (const _ of readTFRecordFile(path)) void _;
      }).rejects.toThrow(/record 7 at byte \d+: length CRC mismatch/);
      expect(() => [...parseRecords(corruptLength)]).toThrow(TFRecordError);
      await writeFile(path, bytes.subarray(0, bytes.length - 2));
      await expect(async () => {
        for await (const _ of readTFRecordFile(path)) void _;
      }).rejects.toThrow(/record 49 .*truncated/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('a TFRecord file written by Google protobuf + crcmod (scripts/make-tfrecord-fixture.py)', () => {
  const fixture = new URL('../../test/fixtures/python-written.tfrecord', import.meta.url);
  const expected = JSON.parse(
    readFileSync(new URL('../../test/fixtures/python-written.tfrecord.json', import.meta.url), 'utf8'),
  ) as {
    maxSeqLength: number;
    maxPredictionsPerSeq: number;
    examples: (Record<'inputIds' | 'tokenTypeIds' | 'tokenBoundary' | 'maskedPositions' | 'maskedIds', number[]> & {
      sentenceOrderLabel: 0 | 1;
      exampleBytesHex: string;
    })[];
  };
  const toExample = (e: (typeof expected.examples)[number]): PretrainingExample => ({
    inputIds: Int32Array.from(e.inputIds),
    tokenTypeIds: Int32Array.from(e.tokenTypeIds),
    tokenBoundary: Uint8Array.from(e.tokenBoundary),
    maskedPositions: Int32Array.from(e.maskedPositions),
    maskedIds: Int32Array.from(e.maskedIds),
    sentenceOrderLabel: e.sentenceOrderLabel,
  });

  it('reads it: both CRCs check out and every feature comes back', async () => {
    const back: PretrainingExample[] = [];
    for await (const e of readExamplesTFRecord(fileURLToPath(fixture))) back.push(e);
    expect(back).toEqual(expected.examples.map(toExample));
  });

  it('encodes every feature byte for byte as Google protobuf does (map entries may come in any order)', () => {
    // Split an Example into its map entries (Features.feature) as hex strings.
    const entries = (bytes: Uint8Array): string[] => {
      const out: string[] = [];
      const varint = (b: Uint8Array, at: number): [number, number] => {
        let v = 0;
        let shift = 0;
        for (;;) {
          const x = b[at++] as number;
          v += (x & 0x7f) * 2 ** shift;
          shift += 7;
          if ((x & 0x80) === 0) return [v, at];
        }
      };
      let [len, at] = varint(bytes, 1); // Example.features
      const features = bytes.subarray(at, at + len);
      at = 0;
      while (at < features.length) {
        [len, at] = varint(features, at + 1);
        out.push(Buffer.from(features.subarray(at, at + len)).toString('hex'));
        at += len;
      }
      return out.sort();
    };
    for (const e of expected.examples) {
      const ours = encodeExample(exampleToFeatures(toExample(e), expected));
      const theirs = Uint8Array.from(Buffer.from(e.exampleBytesHex, 'hex'));
      expect(ours.length).toBe(theirs.length);
      expect(entries(ours)).toEqual(entries(theirs));
      expect(decodeExample(ours)).toEqual(decodeExample(theirs));
    }
  });
});
