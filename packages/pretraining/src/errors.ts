// Errors thrown on purpose by @albert-ts/pretraining. Each says what was wrong, where, and what to do.
import { AlbertError } from '@albert-ts/common';

/** Bad options or inputs to masking, SOP building or the corpus pipeline. */
export class PretrainingError extends AlbertError {}

/** A TFRecord file or tf.train.Example that cannot be read (bad framing, CRC mismatch, bad protobuf). */
export class TFRecordError extends AlbertError {}
