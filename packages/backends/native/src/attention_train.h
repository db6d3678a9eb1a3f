// Multi-head attention for training (the AlbertAttention kernel and its gradient): the heads' part
// between the fused Q/K/V projection and the output dense. qkv is [b, s, 3H] (x · [Wq | Wk | Wv]
// + [bq | bk | bv]); head h of Q is columns [h·d, (h+1)·d), of K and V the same H and 2H further,
// read in place (row stride 3H): no head split/merge transposes. One task per (batch item, head);
// the products run on the GEMM's register-blocked micro-kernel with the small operands packed per
// task (zero-padded: any seq and head size). The probabilities are not kept: the backward pass
// recomputes them per head in cache (one more product per head instead of writing, reading and
// zero-filling [b, h, s, s] arrays in memory).
//   forward:  P_h = softmax(Q_h K_hᵀ · scale + mask),  O_h = P_h V_h
//   backward: dV_h = P_hᵀ dO_h;  dP_h = dO_h V_hᵀ;  dZ_h = P_h ⊙ (dP_h − rowsum(dP_h ⊙ P_h));
//             dQ_h = scale · dZ_h K_h;  dK_h = scale · dZ_hᵀ Q_h
#pragma once
#include <cstdint>

namespace albert {

struct AttentionTrainArgs {
  int64_t batch = 0, seq = 0, hidden = 0, heads = 1;
  const float* qkv = nullptr;   // [batch, seq, 3 * hidden]
  const float* mask = nullptr;  // [batch, seq] additive, shared by the heads and query rows
  float scale = 1.0f;
  float* out = nullptr;          // forward: [batch, seq, hidden], concat over heads of P_h V_h
  const float* dout = nullptr;   // backward: the gradient of out
  float* dqkv = nullptr;         // backward: [batch, seq, 3 * hidden]
};

void attention_train_forward(const AttentionTrainArgs& a);
void attention_train_backward(const AttentionTrainArgs& a);

}  // namespace albert
