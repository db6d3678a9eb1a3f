// A tfjs backend running @albert-ts/core's AlbertModel: timed forwards, and a training step
// (forward + backward through tf.variableGrads) for a small config.
import * as tf from '@tensorflow/tfjs-core';
import type { Core, CoreModel } from './core.js';
import type { BenchInputs } from './inputs.js';

export interface TfjsInputs {
  inputIds: tf.Tensor2D;
  attentionMask: tf.Tensor2D;
  tokenTypeIds: tf.Tensor2D;
}

/** Input tensors on the current backend. */
export function toTensors(x: BenchInputs): TfjsInputs {
  const shape: [number, number] = [x.batch, x.seq];
  return {
    inputIds: tf.tensor2d(x.inputIds, shape, 'int32'),
    attentionMask: tf.tensor2d(x.attentionMask, shape, 'int32'),
    tokenTypeIds: tf.tensor2d(x.tokenTypeIds, shape, 'int32'),
  };
}

/** One forward; resolves with last_hidden_state once the backend has finished. */
export async function forwardOnce(model: CoreModel, inputs: TfjsInputs): Promise<Float32Array> {
  const out = model.forward(inputs);
  const values = (await out.lastHiddenState.data()) as Float32Array;
  tf.dispose([out.lastHiddenState, out.poolerOutput]);
  return values;
}

/**
 * A masked-LM training step without an optimiser update: the encoder, then (as HF's MLM head)
 * dense H->E, GELU, and the decoder tied to the word embeddings, scored with softmax
 * cross-entropy at every 7th position; gradients of every parameter.
 */
export function makeTrainStep(core: Core, layers: number, seed = 7) {
  const preset = core.albertPreset('albert-base-v2').toJSON();
  const config = core.AlbertConfig.fromJSON({ ...preset, num_hidden_layers: layers });
  const model = new core.AlbertModel(config, { seed });
  const hidden = preset.hidden_size as number;
  const embedding = preset.embedding_size as number;
  const vocab = preset.vocab_size as number;
  const head = tf.variable(tf.randomNormal([hidden, embedding], 0, 0.02, 'float32', seed), true);
  const word = model.params.get('embeddings.word_embeddings.weight') as tf.Variable; // [V, E]

  const step = async (inputs: TfjsInputs): Promise<number> => {
    const [batch, seq] = inputs.inputIds.shape;
    const positions = tf.tensor1d(
      [...Array(batch * seq).keys()].filter((i) => i % 7 === 3),
      'int32',
    );
    const labels = tf.tidy(() => tf.gather(tf.reshape(inputs.inputIds, [batch * seq]), positions));
    const { value, grads } = tf.variableGrads(() => {
      const h = model.forward(inputs, { training: true, seed }).lastHiddenState; // [b, s, H]
      const picked = tf.gather(tf.reshape(h, [batch * seq, hidden]), positions); // [m, H]
      const x = tf.matMul(picked, head); // [m, E]
      const act = tf.mul(
        tf.mul(x, 0.5),
        tf.add(1, tf.tanh(tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3)))))),
      );
      const logits = tf.matMul(act, word, false, true); // [m, V]
      return tf.losses.softmaxCrossEntropy(tf.oneHot(labels, vocab), logits) as tf.Scalar;
    });
    const loss = (await value.data())[0] as number;
    await Promise.all(Object.values(grads).map((g) => g.data()));
    tf.dispose([value, positions, labels, ...Object.values(grads)]);
    return loss;
  };
  const dispose = () => {
    model.dispose();
    head.dispose();
  };
  return { step, dispose };
}
