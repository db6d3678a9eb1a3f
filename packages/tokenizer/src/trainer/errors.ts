import { AlbertError } from '../errors.js';

/** A trainer option is invalid, or the corpus cannot produce the requested vocabulary. */
export class TrainerError extends AlbertError {}
