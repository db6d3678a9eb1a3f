// What a checkpoint holds and how storage behaves: a Hugging Face folder that AlbertForPreTraining
// loads without a warning (the same model.safetensors as savePretrained writes), the tokenizer
// file given, the state files; keeping the last K; the zip download unpacked by Python's zipfile.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@albert-ts/backends';
import { AlbertForPreTraining } from '@albert-ts/pretraining';
import { AlbertTokenizer, trainUnigram } from '@albert-ts/tokenizer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itWith, PYTHON, pythonModules } from '../../../test-utils/requirements.js';
import { checkpointZip, NodeCheckpointStorage, readCheckpoint, TrainingCheckpointError } from '../src/index.js';
import { tinyModel } from './helpers/tiny-albert.js';
import { tinyTrainer } from './helpers/tiny-trainer.js';

const tmp = mkdtempSync(join(tmpdir(), 'albert-ts-checkpoints-'));
beforeAll(() => initBackend({ prefer: 'cpu' }));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const ZIPFILE = pythonModules(['zipfile', 'hashlib'], 'apt-get install python3');

describe('checkpoint folders', () => {
  it('are Hugging Face folders with the tokenizer and the trainer state; the last K are kept', async () => {
    const lines = ['the cat sat on the mat', 'a dog ran after the cat', 'the mat was red'];
    const { bytes: spiece } = await trainUnigram(lines, { preset: 'albert', vocabSize: 40, hardVocabLimit: false });
    const model = tinyModel();
    const storage = new NodeCheckpointStorage(join(tmp, 'run'));
    const { trainer, optimizer } = tinyTrainer(model, {
      maxSteps: 9,
      checkpoints: { storage, every: 2, keep: 2, files: { 'spiece.model': spiece } },
    });
    const events: { name: string; reason: string; removed: string[] }[] = [];
    trainer.on('checkpoint', (e) => events.push({ name: e.name, reason: e.reason, removed: e.removed }));
    await trainer.train();
    expect(events).toEqual([
      { name: 'checkpoint-2', reason: 'interval', removed: [] },
      { name: 'checkpoint-4', reason: 'interval', removed: [] },
      { name: 'checkpoint-6', reason: 'interval', removed: ['checkpoint-2'] },
      { name: 'checkpoint-8', reason: 'interval', removed: ['checkpoint-4'] },
      { name: 'checkpoint-9', reason: 'end', removed: ['checkpoint-6'] },
    ]);
    expect((await storage.list()).sort()).toEqual(['checkpoint-8', 'checkpoint-9']);

    const folder = await storage.path('checkpoint-9');
    expect((await storage.files('checkpoint-9')).sort()).toEqual([
      'config.json',
      'data_state.json',
      'model.safetensors',
      'optimizer.safetensors',
      'rng_state.json',
      'spiece.model',
      'trainer_state.json',
    ]);
    const config = JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8'));
    expect(config).toMatchObject({ architectures: ['AlbertForPreTraining'], model_type: 'albert', hidden_size: 16 });
    // Same bytes as AlbertForPreTraining.savePretrained (the layout Hugging Face loads).
    await model.savePretrained(join(tmp, 'saved'));
    expect(
      readFileSync(join(folder, 'model.safetensors')).equals(readFileSync(join(tmp, 'saved', 'model.safetensors'))),
    ).toBe(true);
    const warnings: string[] = [];
    const loaded = await AlbertForPreTraining.fromPretrained(folder, { warn: (m) => warnings.push(m) });
    expect(warnings).toEqual([]);
    loaded.dispose();
    const tok = await AlbertTokenizer.fromFile(join(folder, 'spiece.model'));
    expect(tok.tokenize('the cat').join(' ')).toBe(AlbertTokenizer.fromBytes(spiece).tokenize('the cat').join(' '));

    const stored = await readCheckpoint(storage, 'checkpoint-9');
    expect(stored.trainerState).toMatchObject({
      globalStep: 9,
      batchesSeen: 18,
      seed: 5,
      gradientAccumulationSteps: 2,
      maxGradNorm: 1,
    });
    expect(stored.rngState).toMatchObject({ seed: 5, nextStep: 9 });
    expect(stored.dataState).toEqual({ version: 1, epoch: 1, index: 8 }); // 18 batches of 4: 16 in epoch 0, 2 in epoch 1
    expect(stored.optimizer.step).toBe(9);
    expect(stored.optimizer.config).toEqual({
      optimizer: 'SGD',
      momentum: 0.9,
      dampening: 0,
      weightDecay: 0.01,
      nesterov: false,
    });
    expect(stored.optimizer.tensors.size).toBe(model.namedParameters().size);
    model.dispose();
    optimizer.dispose();
  });

  itWith(ZIPFILE, 'zip with checkpointZip() and Python’s zipfile unpacks the same files', async () => {
    const storage = new NodeCheckpointStorage(join(tmp, 'run'));
    const zip = await checkpointZip(storage, 'checkpoint-9');
    writeFileSync(join(tmp, 'c.zip'), zip);
    const listing = execFileSync(PYTHON, [
      '-c',
      'import sys, zipfile, hashlib\nz = zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nfor i in z.infolist(): print(i.filename, i.file_size, hashlib.sha256(z.read(i)).hexdigest())',
      join(tmp, 'c.zip'),
    ]).toString();
    const { createHash } = await import('node:crypto');
    const expected = (await storage.files('checkpoint-9')).sort().map((f) => {
      const bytes = readFileSync(join(tmp, 'run', 'checkpoint-9', f));
      return `checkpoint-9/${f} ${bytes.length} ${createHash('sha256').update(bytes).digest('hex')}`;
    });
    expect(listing.trim().split('\n')).toEqual(expected);
  });

  it("use the model's own toFiles() when it has one, and resume from them", async () => {
    const model = tinyModel();
    const saved = join(tmp, 'own-files');
    // The model writes its folder itself (here through savePretrained), plus a file of its own.
    const own = Object.assign(Object.create(model) as typeof model, {
      async toFiles() {
        await model.savePretrained(saved);
        const files = new Map(readdirSync(saved).map((f) => [f, new Uint8Array(readFileSync(join(saved, f)))]));
        return files.set('generation_config.json', new TextEncoder().encode('{}\n'));
      },
    });
    const storage = new NodeCheckpointStorage(join(tmp, 'own'));
    const a = tinyTrainer(own, { maxSteps: 2, checkpoints: { storage } });
    await a.trainer.train();
    expect((await storage.files('checkpoint-2')).sort()).toContain('generation_config.json');
    expect(
      Buffer.from(await storage.read('checkpoint-2', 'model.safetensors')).equals(
        readFileSync(join(saved, 'model.safetensors')),
      ),
    ).toBe(true);
    const b = tinyTrainer(tinyModel(9), { maxSteps: 3, checkpoints: { storage } });
    expect(await b.trainer.train({ resume: true })).toMatchObject({ step: 3, reason: 'max-steps' });
    const c = tinyTrainer(Object.assign(Object.create(model) as typeof model, { toFiles: () => new Map() }), {
      maxSteps: 1,
      checkpoints: { storage: new NodeCheckpointStorage(join(tmp, 'no-files')) },
    });
    await expect(c.trainer.train()).rejects.toThrow(/model.toFiles\(\) gave no config.json or model.safetensors/);
    for (const r of [a, b, c]) r.optimizer.dispose();
    model.dispose();
  });

  it('storage: names are checked, an existing checkpoint is not overwritten, a missing one is named', async () => {
    const storage = new NodeCheckpointStorage(join(tmp, 'names'));
    const files = new Map([['a.json', new Uint8Array([1])]]);
    await expect(storage.write('../x', files)).rejects.toThrow(/"..\/x" is not a valid checkpoint name/);
    await expect(storage.write('c', new Map([['.hidden', new Uint8Array()]]))).rejects.toThrow(/not a valid file name/);
    await storage.write('c', files);
    await expect(storage.write('c', files)).rejects.toThrow(/already has a checkpoint c/);
    await expect(storage.read('d', 'a.json')).rejects.toThrow(TrainingCheckpointError);
    await expect(storage.read('d', 'a.json')).rejects.toThrow(/has no checkpoint d/);
    await expect(storage.read('c', 'b.json')).rejects.toThrow(/Checkpoint c in folder .* has no file b.json/);
    await storage.remove('c');
    expect(await storage.list()).toEqual([]);
  });
});
