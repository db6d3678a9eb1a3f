// Threaded drivers over the per-ISA kernels: element-wise with broadcasting, row-wise
// (softmax, layer norm), reductions over one contiguous axis range, transpose, gather and
// its gradient (segment sum). Element types other than float32 are handled where noted.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace albert {

void op_unary(int op, const float* x, float* y, int64_t n, float alpha);
// Returns "" or an error message. Shapes broadcast NumPy-style to out_shape.
std::string op_binary(int op, const float* a, const std::vector<int64_t>& a_shape, const float* b,
                      const std::vector<int64_t>& b_shape, float* y, const std::vector<int64_t>& out_shape);
void op_gelu_grad(const float* dy, const float* x, float* dx, int64_t n, int tanh_form);
void op_softmax(const float* x, float* y, int64_t rows, int64_t cols);
// y = softmax(x * scale + mask[g]) where row r uses mask row g = r / (rows / groups).
void op_softmax_masked(const float* x, const float* mask, int64_t groups, float scale, float* y, int64_t rows,
                       int64_t cols);
void op_softmax_grad(const float* dy, const float* y, float* dx, int64_t rows, int64_t cols);
// y = layernorm(x + residual) over rows of cols; residual may be null.
void op_layernorm(const float* x, const float* residual, const float* gamma, const float* beta, float* y,
                  int64_t rows, int64_t cols, float eps);
void op_layernorm_grad_x(const float* dy, const float* x, const float* gamma, float* dx, int64_t rows, int64_t cols,
                         float eps);
void op_layernorm_grad_params(const float* dy, const float* x, float* dgamma, float* dbeta, int64_t rows, int64_t cols,
                              float eps);
// y[o, i] = reduce_r x[o, r, i]
void op_reduce(int op, const float* x, float* y, int64_t outer, int64_t reduce, int64_t inner);
// 4-byte elements of any type
void op_transpose(const uint32_t* x, uint32_t* y, const std::vector<int64_t>& shape, const std::vector<int64_t>& perm);
// y = x[begin : begin + size] (4-byte elements)
void op_slice(const uint32_t* x, uint32_t* y, const std::vector<int64_t>& shape, const std::vector<int64_t>& begin,
              const std::vector<int64_t>& size);
// out[o, j, i] = params[o, idx[j], i] (4-byte elements); returns "" or an error
std::string op_gather(const uint32_t* params, const int32_t* idx, int64_t n_idx, uint32_t* out, int64_t outer,
                      int64_t axis_dim, int64_t inner);
// Inverted dropout: y[i] = x[i] * scale where uniform(seed, i) >= rate, else 0. The uniform is a
// hash of (seed, i) (counter-based), so a mask is reproduced from its seed alone and does not
// depend on how the work is split among threads.
void op_dropout(const float* x, float* y, int64_t n, float rate, float scale, uint64_t seed);
// out[s, i] = sum over rows r with ids[r] == s of data[r, i]; ids outside [0, segments) are dropped
void op_segment_sum(const float* data, const int32_t* ids, int64_t rows, int64_t inner, float* out, int64_t segments);

}  // namespace albert
