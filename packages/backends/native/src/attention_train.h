// Multi-head attention for training (the AlbertAttention kernel and its gradient): the heads'
// part between the Q/K/V projections and the output dense, with the probabilities kept for the
// backward pass. Q, K and V are [b, s, H] as the dense layers produce them; head h is columns
// [h·d, (h+1)·d) read in place (row stride H), so there are no head split/merge transposes. One
// task per (batch item, head); the products run on the GEMM's register-blocked micro-kernel with
// the small operands packed per task (zero-padded, so any seq and head size works).
//   forward:  P_h = softmax(Q_h K_hᵀ · scale + mask),  O_h = P_h V_h
//   backward: dV_h = P_hᵀ dO_h;  dP_h = dO_h V_hᵀ (+ dProbs_h);  dZ_h = P_h ⊙ (dP_h − rowsum(dP_h ⊙ P_h));
//             dQ_h = scale · dZ_h K_h;  dK_h = scale · dZ_hᵀ Q_h
#pragma once
#include <cstdint>

namespace albert {

struct AttentionCoreArgs {
  int64_t batch = 0, seq = 0, hidden = 0, heads = 1;
  const float* q = nullptr;     // [batch, seq, hidden]
  const float* k = nullptr;     // [batch, seq, hidden]
  const float* v = nullptr;     // [batch, seq, hidden]
  const float* mask = nullptr;  // [batch, seq] additive, shared by the heads and query rows
  float scale = 1.0f;
  float* out = nullptr;    // [batch, seq, hidden]: concat over heads of P_h V_h
  float* probs = nullptr;  // [batch, heads, seq, seq]
};

void attention_core(const AttentionCoreArgs& a);

struct AttentionCoreGradArgs {
  int64_t batch = 0, seq = 0, hidden = 0, heads = 1;
  const float* dout = nullptr;    // [batch, seq, hidden]
  const float* dprobs = nullptr;  // [batch, heads, seq, seq] or null
  const float* q = nullptr;
  const float* k = nullptr;
  const float* v = nullptr;
  const float* probs = nullptr;  // the forward's
  float scale = 1.0f;
  float* dq = nullptr;  // [batch, seq, hidden] each
  float* dk = nullptr;
  float* dv = nullptr;
};

void attention_core_grad(const AttentionCoreGradArgs& a);

}  // namespace albert
