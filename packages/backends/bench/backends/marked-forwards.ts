// One engine's forwards between markers, for instruction counts under callgrind (load-independent,
// unlike any clock on a shared machine):
//   valgrind --tool=callgrind --dump-before='*PackedBSize*' --callgrind-out-file=cg.%p \
//     node --conditions=@albert-ts/source --import tsx marked-forwards.ts "<engine>" <batch> [threads]
// Two warm-up forwards, then [marker] one plain forward + dataSync [marker] one forward the way
// users run it (tf.tidy(() => forward(…).lastHiddenState.dataSync()); ONNX Runtime: session.run)
// [marker]. The marker is the native addon's packedBSize (never called by a forward), so with
// --dump-before it closes one callgrind dump per phase: cg.<pid>.2 holds the plain forward and
// cg.<pid>.3 the tidy one. Valgrind does not emulate AVX-512: under it both engines run their
// AVX2 paths (ours: the int16 vpmaddwd q8 kernel; ONNX Runtime: MLAS's AVX2 u8s8 kernel).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadNativeAddon } from '../../src/native/addon.js';
import { loadCore } from './core.js';
import { benchPaths, createEngine, type EngineName } from './engines.js';
import { benchInputs } from './inputs.js';

const [name, batchArg, threadsArg] = process.argv.slice(2);
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const addon = loadNativeAddon();
const marker = () => addon.packedBSize(1, 1);
const core = await loadCore(repoRoot);
const engine = await createEngine(name as EngineName, core, benchPaths(repoRoot), Number(threadsArg ?? '1'));
const inputs = benchInputs(Number(batchArg ?? '1'), 128, 30000);
await engine.activate();
for (let i = 0; i < 2; i++) await engine.run(inputs);
marker();
const plain = await engine.run(inputs);
marker();
const tidy = await engine.runTidy(inputs);
marker();
await engine.release();
console.log(JSON.stringify({ engine: name, isa: engine.isa, values: plain.length, same: plain[7] === tidy[7] }));
