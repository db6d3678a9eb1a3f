// @albert-ts/training: AdamW, LAMB, schedules, Trainer, checkpoints will live here.
export {};
