// @albert-ts/pretraining: MLM + SOP heads, masking, SOP examples, corpus pipeline, TFRecord.
