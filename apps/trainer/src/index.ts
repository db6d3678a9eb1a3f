// The trainer app (one CLI for tokenizer training, pretraining, fine-tuning, export) will live here.
export {};
