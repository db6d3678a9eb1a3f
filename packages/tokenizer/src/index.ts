// @albert-ts/tokenizer: SentencePiece .model I/O, normalizer, Viterbi encoder, AlbertTokenizer, unigram trainer.
