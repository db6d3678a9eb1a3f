// One engine's forwards between markers, for instruction counts under callgrind (load-independent,
// unlike any clock on a shared machine):
//   ALBERT_TS_NATIVE_THREADS=1 valgrind --tool=callgrind --dump-before='*PackedBSize*' \
//     --callgrind-out-file=cg.%p node --conditions=@albert-ts/source --import tsx \
//     marked-forwards.ts "<engine>" <batch> [threads] [layers] [warmups]
// `warmups` forwards (default 2), then [marker] one plain forward + dataSync [marker] one forward
// the way users run it (tf.tidy(() => forward(…).lastHiddenState.dataSync()); ONNX Runtime:
// session.run) [marker]. The marker is the native addon's packedBSize (never called by a
// forward), so with --dump-before it closes one callgrind dump per phase: the plain forward,
// the tidy one, and tfjs-core's own walk of the tidy result (what tf.tidy costs without
// src/tidy-result.ts). Node may add a small extra dump between phases (seen once: 4 M
// instructions of JS between the two forwards): tell the phases apart by totals and functions. `layers` (native engines only) runs a random-init
// base-width model with that many layers instead of the 12-layer fixture: the layers share one
// weight set, so the per-layer counts scale. Valgrind does not emulate AVX-512: under it both
// engines run their AVX2 paths (ours: the int16 vpmaddwd q8 kernel; ONNX Runtime: MLAS's AVX2).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src/index.js';
import { loadNativeAddon } from '../../src/native/addon.js';
import { loadCore } from './core.js';
import { benchPaths, createEngine, type EngineName } from './engines.js';
import { benchInputs } from './inputs.js';
import { toTensors } from './tfjs-engine.js';

const [name, batchArg, threadsArg, layersArg, warmupsArg] = process.argv.slice(2);
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const addon = loadNativeAddon();
const marker = () => addon.packedBSize(1, 1);
const core = await loadCore(repoRoot);
const inputs = benchInputs(Number(batchArg ?? '1'), 128, 30000);
const warmups = Number(warmupsArg ?? '2');
let run: () => Promise<Float32Array>;
let runTidy: () => Promise<Float32Array>;
if (layersArg != null && name?.startsWith('native')) {
  await initBackend({ prefer: 'native', quiet: true });
  const dtype = name === 'native q8' ? 'q8' : name === 'native bf16' ? 'bf16' : 'fp32';
  const preset = core.albertPreset('albert-base-v2').toJSON();
  const config = core.AlbertConfig.fromJSON({ ...preset, num_hidden_layers: Number(layersArg) });
  const model = new core.AlbertModel(config, { seed: 1, dtype });
  const t = toTensors(inputs);
  run = async () => {
    const out = model.forward(t);
    const v = out.lastHiddenState.dataSync() as Float32Array;
    tf.dispose([out.lastHiddenState, out.poolerOutput]);
    return v;
  };
  runTidy = async () => tf.tidy(() => model.forward(t).lastHiddenState.dataSync() as Float32Array);
} else {
  const engine = await createEngine(name as EngineName, core, benchPaths(repoRoot), Number(threadsArg ?? '1'));
  await engine.activate();
  run = () => engine.run(inputs);
  runTidy = () => engine.runTidy(inputs);
}
for (let i = 0; i < warmups; i++) await run();
marker();
const plain = await run();
marker();
const tidy = await runTidy();
marker();
// What tf.tidy's end-of-scope walk costs without installFastTidyResults (src/tidy-result.ts):
// tfjs-core's own container walk over the returned Float32Array.
tf.tensor_util.getTensorsInContainer(tidy as unknown as tf.TensorContainer);
marker();
console.log(
  JSON.stringify({ engine: name, layers: layersArg ?? 'fixture', values: plain.length, same: plain[7] === tidy[7] }),
);
