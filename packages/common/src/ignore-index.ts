// The label value that every loss and every label builder skips: torch's CrossEntropyLoss default
// `ignore_index`, which Hugging Face's data collators and run_*.py scripts write at special tokens,
// padding, unmasked positions (MLM) and later word pieces (NER). One home, so a label array built
// by the pretraining or heads data code and the loss in core can never disagree.

/** Label value the losses skip (torch's CrossEntropyLoss default `ignore_index`). */
export const IGNORE_INDEX = -100;
