// The child process of the kill test: trains the tiny ALBERT for KILL_TEST_STEPS updates on the cpu
// backend with checkpoints every 3 updates (keep 2) in KILL_TEST_ROOT, resuming when KILL_TEST_RESUME=1.
// It prints one line per event for the parent to act on:
//   STEP <n>                         an update finished
//   WRITE <checkpoint> <file|-> <done>/<total>   storage progress (file '-' = the checkpoint is complete)
//   END <reason> <step>              train() returned
// KILL_TEST_STALL=first-file|complete makes the process sleep 400 ms after the first file of a
// checkpoint is written (inside the temporary folder) or right after the rename (before older
// checkpoints are deleted), so the parent's SIGKILL lands exactly there. KILL_TEST_EVERY changes the
// checkpoint interval (3).
import { initBackend } from '@albert-ts/backends';
import { NodeCheckpointStorage } from '../../src/index.js';
import { tinyModel } from '../helpers/tiny-albert.js';
import { tinyTrainer } from '../helpers/tiny-trainer.js';

const root = process.env.KILL_TEST_ROOT as string;
const stall = process.env.KILL_TEST_STALL ?? '';
const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
const say = (line: string) => process.stdout.write(`${line}\n`);

await initBackend({ prefer: 'cpu', quiet: true });
const storage = new NodeCheckpointStorage(root, {
  onProgress: ({ checkpoint, file, done, total }) => {
    say(`WRITE ${checkpoint} ${file ?? '-'} ${done}/${total}`);
    if ((stall === 'first-file' && done === 1 && file != null) || (stall === 'complete' && file == null)) sleep(400);
  },
});
const { trainer } = tinyTrainer(tinyModel(1), {
  maxSteps: Number(process.env.KILL_TEST_STEPS ?? 30),
  checkpoints: { storage, every: Number(process.env.KILL_TEST_EVERY ?? 3), keep: 2 },
});
trainer.on('step', (e) => say(`STEP ${e.step}`));
const result = await trainer.train({ resume: process.env.KILL_TEST_RESUME === '1' });
say(`END ${result.reason} ${result.step}`);
