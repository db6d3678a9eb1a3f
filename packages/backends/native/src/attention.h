// Fused multi-head self-attention for inference (the AlbertSelfAttention kernel of packages/common/CONTRACTS.md):
// one GEMM x · [Wq | Wk | Wv] + [bq | bk | bv] into a scratch qkv [b·s, 3H], then one task per
// (batch item, head[, block of query rows]) that computes scores = Q_h K_hᵀ, softmax(scores ·
// scale + mask) and P V_h straight into the output's columns [h·d, (h+1)·d). Q_h, K_h and V_h
// are read in place from qkv (row stride 3H): no head split/merge transposes.
#pragma once
#include <cstdint>

#include "lowp.h"

namespace albert {

// Size in floats of the packed [H, 3H] weight [Wq | Wk | Wv].
int64_t attention_packed_qkv_size(int64_t hidden);
// Packs [wq | wk | wv] (each [H, H] stored (in, out)) as one GEMM B operand of [H, 3H].
void attention_pack_qkv(const float* wq, const float* wk, const float* wv, int64_t hidden, float* out);

struct AttentionArgs {
  int64_t batch = 0, seq = 0, hidden = 0, heads = 1;
  const float* x = nullptr;           // [batch, seq, hidden]
  const float* qkv_packed = nullptr;  // attention_pack_qkv(...)
  const float* bq = nullptr;          // [hidden] each
  const float* bk = nullptr;
  const float* bv = nullptr;
  const float* mask = nullptr;  // [batch, seq] additive (0 or a large negative), shared by heads and queries
  float scale = 1.0f;           // usually 1/sqrt(hidden / heads)
  float* out = nullptr;         // [batch, seq, hidden]: concat over heads of softmax(...) V_h
  // Low-precision projection instead of qkv_packed/bq/bk/bv: 1 q8, 2 bf16 (lowp.h), with the
  // [H, 3H] weight packed as lowp.h says, its q8 scale and colsum [3H], and the bias [3H].
  int lowp = 0;
  LowpPath lowp_path = LowpPath::kScalar;
  const void* lowp_weight = nullptr;
  const float* lowp_scale = nullptr;
  const int32_t* lowp_colsum = nullptr;
  const float* lowp_bias = nullptr;
};

void self_attention(const AttentionArgs& a);

}  // namespace albert
