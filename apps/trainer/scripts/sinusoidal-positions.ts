// Copies a model folder with its position embeddings replaced by sinusoids (Vaswani et al. 2017,
// "Attention Is All You Need", section 3.5) of amplitude A: row p, columns 2i and 2i+1 hold
// A·sin(p / 10000^(2i/E)) and A·cos(…). The default model's third run (models/MODEL_CARD.md) used
// it: after 16M tokens the learned table was still near its random start and no attention head
// looked at neighbouring pieces. Training state (optimizer, data, RNG) is not copied, so the result
// is a model folder for `albert-train pretrain --init-from`.
//
//   node --conditions=@albert-ts/source --import tsx apps/trainer/scripts/sinusoidal-positions.ts <model folder> <output folder> [A = 0.06]
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSafetensors, serializeSafetensors } from '@albert-ts/core';

const POSITIONS = 'albert.embeddings.position_embeddings.weight';
const TRAINING_STATE = new Set(['optimizer.safetensors', 'trainer_state.json', 'data_state.json', 'rng_state.json']);

const [source, output, amplitudeArg = '0.06'] = process.argv.slice(2);
const amplitude = Number(amplitudeArg);
if (source == null || output == null || !(amplitude > 0)) {
  console.error('usage: sinusoidal-positions.ts <model folder> <output folder> [amplitude > 0, default 0.06]');
  process.exit(2);
}
if (!existsSync(join(source, 'model.safetensors'))) {
  console.error(`sinusoidal-positions: ${source} has no model.safetensors; give a Hugging Face model folder.`);
  process.exit(1);
}
if (existsSync(output)) {
  console.error(`sinusoidal-positions: ${output} exists; give a new folder.`);
  process.exit(1);
}

const file = parseSafetensors(new Uint8Array(readFileSync(join(source, 'model.safetensors'))));
const table = file.tensors.get(POSITIONS);
if (table == null || table.dtype !== 'F32' || table.shape.length !== 2) {
  console.error(`sinusoidal-positions: ${source}/model.safetensors has no float32 ${POSITIONS}.`);
  process.exit(1);
}
const [P, E] = table.shape as [number, number];
const values = new Float32Array(P * E); // [P, E]
for (let p = 0; p < P; p++) {
  for (let i = 0; i < E / 2; i++) {
    const angle = p / 10000 ** ((2 * i) / E);
    values[p * E + 2 * i] = amplitude * Math.sin(angle);
    values[p * E + 2 * i + 1] = amplitude * Math.cos(angle);
  }
}
file.tensors.set(POSITIONS, { ...table, data: values });

mkdirSync(output, { recursive: true });
for (const name of readdirSync(source)) {
  if (name === 'model.safetensors' || TRAINING_STATE.has(name)) continue;
  copyFileSync(join(source, name), join(output, name));
}
writeFileSync(join(output, 'model.safetensors'), serializeSafetensors(file.tensors, file.metadata));
console.log(
  `${output}: ${P} × ${E} sinusoidal position embeddings, amplitude ${amplitude} (row norm ${(amplitude * Math.sqrt(E / 2)).toFixed(3)})`,
);
