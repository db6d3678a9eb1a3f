// The pretraining pipeline's random streams: every example, document and epoch gets its own
// stream, addressed (seed, purpose, counters…) in @albert-ts/common's one RNG family, so any one
// of them can be rebuilt without replaying the others: that is what makes masking "per example"
// and the corpus pipeline resumable.
export {
  deriveSeed,
  type RandomGenerator,
  randomFloat,
  randomInt,
  rngFor,
  rngFromState,
  shuffleInPlace,
} from '@albert-ts/common';

/** Purposes, so that e.g. the masking stream of document 3 never equals its SOP stream. */
export const Stream = { mask: 1, document: 2, shuffle: 3 } as const;
