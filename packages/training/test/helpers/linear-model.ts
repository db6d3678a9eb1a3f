// y = x·W + b with a mean-squared-error loss: the smallest model the Trainer can train, for the
// comparison with a PyTorch loop (weights in our layout, W [in, out]).
import * as tf from '@tensorflow/tfjs-core';

export type RegressionInputs = { x: tf.Tensor2D; y: tf.Tensor2D };

let count = 0;

export class LinearRegression {
  readonly weight: tf.Variable;
  readonly bias: tf.Variable;

  /** w: [nIn, nOut] row-major; b: [nOut]. */
  constructor(w: number[], b: number[], nIn: number) {
    const id = count++;
    this.weight = tf.tidy(() => tf.variable(tf.tensor2d(w, [nIn, b.length]), true, `linear_${id}/weight`));
    this.bias = tf.tidy(() => tf.variable(tf.tensor1d(b), true, `linear_${id}/bias`));
  }

  namedParameters(): Map<string, tf.Variable> {
    return new Map([
      ['linear.weight', this.weight],
      ['linear.bias', this.bias],
    ]);
  }

  forward(inputs: RegressionInputs): { loss: tf.Scalar } {
    return {
      loss: tf.tidy(() => tf.mean(tf.square(tf.sub(tf.add(tf.matMul(inputs.x, this.weight), this.bias), inputs.y)))),
    };
  }

  dispose(): void {
    this.weight.dispose();
    this.bias.dispose();
  }
}
