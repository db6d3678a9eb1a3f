// Branch-free float approximations written as plain scalar code so the compiler vectorises
// the loops that call them (each ISA's translation unit compiles this header for its ISA).
// exp: Cody-Waite range reduction and the cephes expf minimax polynomial (max rel. error ~2e-7).
// erf: Abramowitz & Stegun 7.1.26 (max abs. error 1.5e-7; the formula tfjs's cpu Erf uses).
// tanh: 1 - 2/(e^{2|x|} + 1) with an odd Taylor series near 0.
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>

namespace albert {

static inline float as_float(int32_t i) {
  float f;
  std::memcpy(&f, &i, 4);
  return f;
}

static inline float exp_approx(float x0) {
  float x = x0 < 88.3762626647949f ? x0 : 88.3762626647949f;
  x = x > -87.3365447505531f ? x : -87.3365447505531f;
  float n = x * 1.44269504088896341f;
  n = (n + 12582912.0f) - 12582912.0f;  // round to nearest integer (|n| < 2^22)
  float r = x - n * 0.693359375f;
  r = r - n * -2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.0f;
  const float y = p * as_float((static_cast<int32_t>(n) + 127) << 23);
  // Below the smallest normal result: exactly 0 (a -3.4e38 attention mask gives probability 0,
  // as in PyTorch); above the largest: infinity.
  const float under = x0 < -87.3365447505531f ? 0.0f : y;
  const float over = x0 > 88.7228391116729f ? INFINITY : under;
  return x0 != x0 ? x0 : over;  // NaN stays NaN
}

static inline float tanh_approx(float x) {
  const float ax = std::fabs(x);
  const float e = exp_approx(-2.0f * ax);
  const float big = (1.0f - e) / (1.0f + e);
  const float x2 = ax * ax;
  const float small = ax * (1.0f + x2 * (-0.333333333f + x2 * (0.133333333f + x2 * -0.0539682540f)));
  const float t = ax < 0.0625f ? small : big;
  return std::copysign(t, x);
}

static inline float erf_approx(float x) {
  const float ax = std::fabs(x);
  const float t = 1.0f / (1.0f + 0.3275911f * ax);
  const float poly =
      t * (0.254829592f + t * (-0.284496736f + t * (1.421413741f + t * (-1.453152027f + t * 1.061405429f))));
  const float y = 1.0f - poly * exp_approx(-ax * ax);
  return std::copysign(y, x);
}

static inline float sigmoid_approx(float x) { return 1.0f / (1.0f + exp_approx(-x)); }

// GELU, exact (erf) form: x * Φ(x).
static inline float gelu_erf(float x) { return 0.5f * x * (1.0f + erf_approx(x * 0.70710678118654752f)); }

// GELU, tanh form (gelu_new): 0.5 x (1 + tanh(u)), u = √(2/π) (x + 0.044715 x³). Since
// 0.5 (1 + tanh(u)) = σ(2u), this is x / (1 + e^{-2u}): one exp and one division, accurate
// near 0 too (no cancellation), and -0 for very negative x (e^{-2u} overflows to inf).
static inline float gelu_tanh(float x) {
  const float u = 0.79788456080286536f * (x + 0.044715f * x * x * x);
  return x / (1.0f + exp_approx(-2.0f * u));
}

// d/dx x Φ(x) = Φ(x) + x φ(x).
static inline float gelu_erf_grad(float x) {
  const float cdf = 0.5f * (1.0f + erf_approx(x * 0.70710678118654752f));
  const float pdf = 0.39894228040143268f * exp_approx(-0.5f * x * x);
  return cdf + x * pdf;
}

// With s = σ(2u): 0.5 (1 + tanh u) = s and 1 - tanh² u = 4 s (1 - s), so
// d/dx gelu_new = s + 2 x s (1 - s) du/dx.
static inline float gelu_tanh_grad(float x) {
  const float x2 = x * x;
  const float u = 0.79788456080286536f * (x + 0.044715f * x2 * x);
  const float s = 1.0f / (1.0f + exp_approx(-2.0f * u));
  const float du = 0.79788456080286536f * (1.0f + 0.134145f * x2);
  return s + 2.0f * x * s * (1.0f - s) * du;
}

}  // namespace albert
