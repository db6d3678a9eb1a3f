// Dense layer with the weight stored [in, out], so the product needs no transpose flag.
import * as tf from '@tensorflow/tfjs-core';

/** y = x W + b. x: [..., in], weight: [in, out], bias: [out] -> [..., out]. */
export function linear<T extends tf.Tensor>(x: T, weight: tf.Tensor, bias?: tf.Tensor): T {
  return tf.tidy(() => {
    const [inDim, outDim] = weight.shape as [number, number];
    const lead = x.shape.slice(0, -1);
    const flat = tf.reshape(x, [-1, inDim]) as tf.Tensor2D; // [N, in]
    let y: tf.Tensor = tf.matMul(flat, weight); // [N, out]
    if (bias != null) y = tf.add(y, bias);
    return tf.reshape(y, [...lead, outDim]) as T;
  });
}
