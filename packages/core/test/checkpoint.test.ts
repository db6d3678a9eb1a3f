import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@albert-ts/backends';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itWith, PYTHON, pythonModules } from '../../../test-utils/requirements.js';
import {
  AlbertConfig,
  AlbertModel,
  CheckpointError,
  isLinearWeight,
  loadStateDict,
  parseSafetensors,
  readSafetensorsFile,
  type SafetensorsFile,
  serializeSafetensors,
  stateDict,
  type TensorEntry,
  valuesFromFile,
} from '../src/index.js';
import { loadCase } from './helpers/fixtures.js';

const numpy = pythonModules(['numpy'], 'apt-get install python3-numpy');

const tmp = mkdtempSync(join(tmpdir(), 'albert-core-ckpt-'));
const fixtureDir = loadCase('tiny-seqcls').dir;

function fileOf(entries: TensorEntry[]): SafetensorsFile {
  return parseSafetensors(serializeSafetensors(entries));
}

function fixtureEntries(): TensorEntry[] {
  return [...parseSafetensors(new Uint8Array(readFileSync(join(fixtureDir, 'model.safetensors')))).tensors.values()];
}

describe('checkpoints', () => {
  beforeAll(async () => {
    await initBackend({ prefer: 'cpu' });
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('savePretrained then fromPretrained round-trips bit-exactly', async () => {
    const model = await AlbertModel.fromPretrained(fixtureDir, { warn: () => {} });
    const folder = join(tmp, 'roundtrip');
    await model.savePretrained(folder);
    const again = await AlbertModel.fromPretrained(folder, { warn: (m) => expect.fail(`unexpected warning: ${m}`) });
    expect([...again.params.keys()]).toEqual([...model.params.keys()]);
    for (const [name, v] of model.params) {
      const a = new Uint32Array((v.dataSync() as Float32Array).slice().buffer);
      const b = new Uint32Array((again.params.get(name)!.dataSync() as Float32Array).slice().buffer);
      expect(b, name).toEqual(a);
    }
    // The file holds HF's AlbertModel layout: no prefix, Linear weights [out, in], the fixture's values.
    const saved = await readSafetensorsFile(join(folder, 'model.safetensors'));
    const original = parseSafetensors(new Uint8Array(readFileSync(join(fixtureDir, 'model.safetensors'))));
    expect(saved.metadata).toEqual({ format: 'pt' });
    expect(saved.tensors.size).toBe(model.params.size);
    for (const [name, entry] of saved.tensors) {
      const ref = original.tensors.get(`albert.${name}`)!;
      expect(entry.shape, name).toEqual(ref.shape);
      expect(new Uint32Array((entry.data as Float32Array).slice().buffer), name).toEqual(
        new Uint32Array((ref.data as Float32Array).slice().buffer),
      );
    }
    const config = JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8'));
    expect(config.architectures).toEqual(['AlbertModel']);
    expect(AlbertConfig.fromJSON(config).toJSON()).toEqual({
      ...model.config.toJSON(),
      architectures: ['AlbertModel'],
    });
    model.dispose();
    again.dispose();
  });

  itWith(numpy, 'the saved files load in Python (numpy + a small safetensors reader)', async () => {
    const folder = join(tmp, 'python');
    const model = await AlbertModel.fromPretrained(fixtureDir, { warn: () => {} });
    await model.savePretrained(folder);
    model.dispose();
    const script = join(tmp, 'check.py');
    writeFileSync(
      script,
      `import json, struct, sys
import numpy as np

def read(path):
    with open(path, 'rb') as f:
        raw = f.read()
    (n,) = struct.unpack('<Q', raw[:8])
    assert (8 + n) % 8 == 0, 'header not aligned to 8 bytes'
    header = json.loads(raw[8:8 + n])
    meta = header.pop('__metadata__', {})
    data = raw[8 + n:]
    dtypes = {'F32': '<f4', 'I32': '<i4', 'I64': '<i8'}
    out = {}
    for name, h in header.items():
        b, e = h['data_offsets']
        out[name] = np.frombuffer(data[b:e], dtype=dtypes[h['dtype']]).reshape(h['shape'])
    return meta, out

meta, saved = read(sys.argv[1])
_, original = read(sys.argv[2])
config = json.load(open(sys.argv[3]))
assert meta == {'format': 'pt'}, meta
for name, value in saved.items():
    ref = original['albert.' + name]
    assert value.shape == ref.shape, (name, value.shape, ref.shape)
    assert np.array_equal(value.view(np.uint32), ref.view(np.uint32)), name
assert config['model_type'] == 'albert' and config['hidden_size'] == saved['pooler.weight'].shape[0]
print(len(saved))
`,
    );
    const run = spawnSync(
      PYTHON,
      [script, join(folder, 'model.safetensors'), join(fixtureDir, 'model.safetensors'), join(folder, 'config.json')],
      { encoding: 'utf8' },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(Number(run.stdout.trim())).toBe(25); // every AlbertModel tensor of the tiny config
  });

  it('missing encoder weights are an error; missing pooler a warning; heads and buffers reported', async () => {
    const entries = fixtureEntries();
    const config = AlbertConfig.fromJSONString(readFileSync(join(fixtureDir, 'config.json'), 'utf8'));
    const write = async (name: string, list: TensorEntry[]) => {
      const dir = join(tmp, name);
      const { mkdir, writeFile } = await import('node:fs/promises');
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'config.json'), config.toJSONString());
      await writeFile(join(dir, 'model.safetensors'), serializeSafetensors(list));
      return dir;
    };
    const noFfn = await write(
      'no-ffn',
      entries.filter((e) => !e.name.includes('ffn.weight')),
    );
    await expect(AlbertModel.fromPretrained(noFfn, { warn: () => {} })).rejects.toThrow(
      /missing 1 tensor\(s\) AlbertModel needs: encoder.albert_layer_groups.0.albert_layers.0.ffn.weight/,
    );
    const warnings: string[] = [];
    const noPooler = await write('no-pooler', [
      ...entries.filter((e) => !e.name.startsWith('albert.pooler')),
      { name: 'albert.embeddings.position_ids', dtype: 'I64', shape: [1, 64], data: new BigInt64Array(64) },
    ]);
    const model = await AlbertModel.fromPretrained(noPooler, { warn: (m) => warnings.push(m), seed: 3 });
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/newly initialized: pooler.weight, pooler.bias/);
    expect(warnings[1]).toMatch(/were not used when initializing AlbertModel: classifier.bias, classifier.weight\./);
    expect(warnings.join()).not.toMatch(/position_ids/);
    model.dispose();
    // A task model that loads its own head passes the head keys as `ignore`.
    const file = parseSafetensors(new Uint8Array(readFileSync(join(noPooler, 'model.safetensors'))));
    const silent: string[] = [];
    const parts = valuesFromFile(config, file, {
      warn: (m) => silent.push(m),
      addPoolingLayer: false,
      ignore: [/^classifier\./],
    });
    expect(silent).toEqual([]);
    expect(parts.unexpected).toEqual([]);
    expect(parts.initialValues.size).toBe(23);
    tf.dispose([...parts.initialValues.values()]);
    const quiet: string[] = [];
    const noPool = await AlbertModel.fromPretrained(noPooler, { warn: (m) => quiet.push(m), addPoolingLayer: false });
    expect(noPool.params.has('pooler.weight')).toBe(false);
    expect(quiet).toHaveLength(1); // only the unused classifier
    noPool.dispose();
  });

  it('shape and dtype mismatches name the tensor', async () => {
    const model = await AlbertModel.fromPretrained(fixtureDir, { warn: () => {} });
    const wrongShape = fileOf([
      {
        name: 'albert.encoder.albert_layer_groups.0.albert_layers.0.ffn.weight',
        dtype: 'F32',
        shape: [32, 37],
        data: new Float32Array(32 * 37),
      },
    ]);
    expect(() => loadStateDict(model.params, wrongShape)).toThrow(CheckpointError);
    expect(() => loadStateDict(model.params, wrongShape)).toThrow(
      /"albert.encoder.albert_layer_groups.0.albert_layers.0.ffn.weight" has shape \[32,37\] but parameter .* needs \[37,32\] \(Linear weight, \[out, in\] on disk\)/,
    );
    const wrongType = fileOf([{ name: 'pooler.bias', dtype: 'I32', shape: [32], data: new Int32Array(32) }]);
    expect(() => loadStateDict(model.params, wrongType)).toThrow(/has dtype I32; parameter "pooler.bias" needs F32/);
    model.dispose();
  });

  it('loadStateDict strips or adds the albert. prefix and transposes Linear weights', async () => {
    const model = await AlbertModel.fromPretrained(fixtureDir, { warn: () => {} });
    const fresh = new AlbertModel(model.config, { seed: 9 });
    // base-model state dict (no prefix) into base-model targets
    const base = fileOf(stateDict(model.params));
    expect(loadStateDict(fresh.params, base)).toEqual({ missing: [], unexpected: [] });
    const a = model.params.get('encoder.embedding_hidden_mapping_in.weight')!;
    expect(fresh.params.get('encoder.embedding_hidden_mapping_in.weight')!.dataSync()).toEqual(a.dataSync());
    expect(a.shape).toEqual([16, 32]); // [in, out] in memory
    expect(base.tensors.get('encoder.embedding_hidden_mapping_in.weight')!.shape).toEqual([32, 16]); // [out, in]
    // task-model targets ('albert.' names + a head) from a base-model file: the prefix is added
    const taskTargets = new Map([...fresh.params].map(([n, v]) => [`albert.${n}`, v]));
    const head = tf.variable(tf.zeros([32, 3]));
    taskTargets.set('classifier.weight', head);
    const r = loadStateDict(taskTargets, base);
    expect(r).toEqual({ missing: ['classifier.weight'], unexpected: [] });
    // a prefixed file into task targets: keys match directly, tied keys can be ignored
    const prefixed = fileOf([
      ...stateDict(model.params, { prefix: 'albert.' }),
      { name: 'predictions.decoder.weight', dtype: 'F32', shape: [2], data: new Float32Array(2) },
    ]);
    expect(loadStateDict(taskTargets, prefixed, { ignore: ['predictions.decoder.weight'] }).unexpected).toEqual([]);
    expect(loadStateDict(taskTargets, prefixed).unexpected).toEqual(['predictions.decoder.weight']);
    expect(isLinearWeight('classifier.weight', [32, 3])).toBe(true);
    expect(isLinearWeight('embeddings.word_embeddings.weight', [1000, 16])).toBe(false);
    expect(isLinearWeight('embeddings.LayerNorm.weight', [16])).toBe(false);
    head.dispose();
    model.dispose();
    fresh.dispose();
  });

  it('loads the same model from a base URL (local HTTP server)', async () => {
    const server = createServer((req, res) => {
      const name = (req.url ?? '').replace(/^\/models\/tiny\//, '');
      if (!['config.json', 'model.safetensors'].includes(name)) {
        res.writeHead(404).end();
        return;
      }
      const body = readFileSync(join(fixtureDir, name));
      res.writeHead(200, { 'content-length': body.length }).end(req.method === 'HEAD' ? undefined : body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const remote = await AlbertModel.fromPretrained(`http://127.0.0.1:${port}/models/tiny`, { warn: () => {} });
      const local = await AlbertModel.fromPretrained(fixtureDir, { warn: () => {} });
      for (const [name, v] of local.params) expect(remote.params.get(name)!.dataSync(), name).toEqual(v.dataSync());
      remote.dispose();
      local.dispose();
    } finally {
      server.close();
    }
  });

  it('a folder without model.safetensors gets a clear error', async () => {
    const dir = join(tmp, 'bin-only');
    const { mkdir, writeFile } = await import('node:fs/promises');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'config.json'), readFileSync(join(fixtureDir, 'config.json')));
    await expect(AlbertModel.fromPretrained(dir)).rejects.toThrow(/has no model.safetensors.*safe_serialization=True/);
  });
});
