import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src/index.js';
import { loadCore } from '../backends/core.js';
const core = await loadCore('/work/wt/quant');
await initBackend({ prefer: 'native', quiet: true });
const config = core.AlbertConfig.fromJSON({ ...core.albertPreset('albert-base-v2').toJSON(), num_hidden_layers: 2 });
const dtype = (process.argv[2] ?? 'fp32') as 'fp32';
const model = new core.AlbertModel(config, { seed: 1, dtype });
const ids = tf.tensor2d(Array.from({ length: 128 }, (_, i) => 5 + i), [1, 128], 'int32');
const backend = tf.backend() as unknown as { allocF32(n: number): Float32Array };
const proto = Object.getPrototypeOf(backend);
const orig = proto.allocF32;
const seen = new WeakSet<ArrayBufferLike>();
let fresh = 0;
let calls = 0;
proto.allocF32 = function (n: number) {
  const r = orig.call(this, n);
  calls++;
  if (!seen.has(r.buffer)) { fresh++; seen.add(r.buffer); }
  return r;
};
const plain = async () => { const o = model.forward({ inputIds: ids }); await o.lastHiddenState.data(); tf.dispose([o.lastHiddenState, o.poolerOutput]); };
const tidy = async () => { tf.tidy(() => model.forward({ inputIds: ids }).lastHiddenState.dataSync()); };
const sync = async () => { const o = model.forward({ inputIds: ids }); o.lastHiddenState.dataSync(); tf.dispose([o.lastHiddenState, o.poolerOutput]); };
const tidyAwait = async () => { const v = tf.tidy(() => model.forward({ inputIds: ids }).lastHiddenState.clone()); await v.data(); v.dispose(); };
const res: Record<string, number[]> = { plain: [], tidy: [], sync: [], tidyAwait: [] };
for (let i = 0; i < 3; i++) { await plain(); await tidy(); }
for (let r = 0; r < 15; r++) for (const [name, f] of [['plain', plain], ['tidy', tidy], ['sync', sync], ['tidyAwait', tidyAwait]] as const) {
  fresh = 0; calls = 0;
  const t0 = performance.now(); await f(); res[name]!.push(performance.now() - t0);
  if (r === 14) console.log(name, 'fresh allocations', fresh, 'allocF32 calls', calls, 'tensors', tf.memory().numTensors);
}
const med = (x: number[]) => [...x].sort((a, b) => a - b)[x.length >> 1]!;
for (const [k, v] of Object.entries(res)) console.log(dtype, k, 'median', med(v).toFixed(1), 'min', Math.min(...v).toFixed(1));
