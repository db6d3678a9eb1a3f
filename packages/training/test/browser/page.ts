// The browser page of browser.test.ts: the Trainer on the cpu backend with checkpoints in
// IndexedDB — an uninterrupted run, a stopped and resumed one, a checkpoint offered as a download.
// Functions are put on window for the test to call.
import { initBackend } from '@albert-ts/backends';
import { serializeSafetensors, stateDict } from '@albert-ts/core';
import { checkpointZip, downloadCheckpoint, IndexedDBCheckpointStorage, readCheckpoint } from '../../src/index.js';
import { tinyModel } from '../helpers/tiny-albert.js';
import { type TinyModel, tinyTrainer } from '../helpers/tiny-trainer.js';

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as BufferSource);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

const trainer = (model: TinyModel, storage: IndexedDBCheckpointStorage) =>
  tinyTrainer(model, { maxSteps: 6, checkpoints: { storage, every: 2, keep: 2 } });

const api = {
  async trainAndResume() {
    const backend = (await initBackend({ prefer: 'cpu', quiet: true })).backend;
    const reference = new IndexedDBCheckpointStorage('run-reference');
    const a = tinyModel();
    const ra = trainer(a, reference);
    const whole = await ra.trainer.train();
    const expected = await sha256(serializeSafetensors(stateDict(a.namedParameters())));

    const storage = new IndexedDBCheckpointStorage('run-resumed');
    const b = tinyModel();
    const rb = trainer(b, storage);
    rb.trainer.on('step', (e) => e.step === 3 && rb.trainer.stop());
    const stopped = await rb.trainer.train();
    const c = tinyModel(777);
    const rc = trainer(c, storage);
    const resumed = await rc.trainer.train({ resume: true });
    const got = await sha256(serializeSafetensors(stateDict(c.namedParameters())));
    const stored = await readCheckpoint(storage, 'checkpoint-6');
    const storedModel = await sha256(await storage.read('checkpoint-6', 'model.safetensors'));
    for (const m of [a, b, c]) m.dispose();
    for (const r of [ra, rb, rc]) r.optimizer.dispose();
    return {
      backend,
      whole: whole.step,
      stopped: [stopped.reason, stopped.step, stopped.lastCheckpoint],
      resumed: [resumed.reason, resumed.step],
      identical: got === expected,
      storedIsFinal: storedModel === expected,
      list: (await storage.list()).sort(),
      files: (await storage.files('checkpoint-6')).sort(),
      storedStep: stored.trainerState.globalStep,
      dataState: stored.dataState,
    };
  },

  /** Starts writing a ~48 MB checkpoint and returns before it is committed. */
  startBigWrite() {
    const storage = new IndexedDBCheckpointStorage('big');
    const files = new Map<string, Uint8Array>();
    for (let i = 0; i < 6; i++) files.set(`part-${i}.bin`, new Uint8Array(8 << 20).fill(i + 1));
    void storage.write('checkpoint-1', files).catch(() => {});
    return 'started';
  },

  /** What the 'big' database holds after the page was reloaded in the middle of that write. */
  async afterBigWrite() {
    const storage = new IndexedDBCheckpointStorage('big');
    const list = await storage.list();
    const sizes: number[] = [];
    for (const name of list) {
      for (const f of await storage.files(name)) {
        const bytes = await storage.read(name, f);
        sizes.push(bytes.every((v) => v === (bytes[0] as number)) ? bytes.length : -1);
      }
    }
    return { list, sizes };
  },

  async duplicateWrite() {
    const storage = new IndexedDBCheckpointStorage('run-resumed');
    try {
      await storage.write('checkpoint-6', new Map([['x.json', new Uint8Array([1])]]));
      return 'written';
    } catch (e) {
      return (e as Error).message;
    }
  },

  async download() {
    const storage = new IndexedDBCheckpointStorage('run-resumed');
    const zip = await checkpointZip(storage, 'checkpoint-6');
    await downloadCheckpoint(storage, 'checkpoint-6');
    return {
      zipSha: await sha256(zip),
      modelSha: await sha256(await storage.read('checkpoint-6', 'model.safetensors')),
    };
  },
};

(window as unknown as { albert: typeof api }).albert = api;
(window as unknown as { ready: boolean }).ready = true;
