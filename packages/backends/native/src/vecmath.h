// Branch-free float approximations written as plain scalar code so the compiler vectorises
// the loops that call them (each ISA's translation unit compiles this header for its ISA).
// exp: Cody-Waite range reduction and the cephes expf minimax polynomial (max rel. error ~2e-7).
// erf: an odd rational x P(x²) / Q(x²) on [-4, 4] (erf rounds to ±1 in float outside), degrees
//   5/5 in x² (on [0, 4], clamped where its float value reaches 1), fitted here (Lawson-weighted linearised least squares, then the coefficients rounded
//   to float one at a time with the rest refitted): float max abs. error 3.3e-7, relative 4.5e-7
//   everywhere (Abramowitz & Stegun 7.1.26, used before and by tfjs's cpu Erf, has 5.3e-7 abs. and
//   loses all relative accuracy near 0), no exp, one division: about twice as fast.
// tanh: 1 - 2/(e^{2|x|} + 1) with an odd Taylor series near 0; tanh_rational: the same kind of
//   rational as erf (fitted on [0, 9], degrees 6/6, max abs. error 4e-7), for GELU's tanh form.
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

// erf(x) = x P(x²) / Q(x²), both by Horner in s = x² (coefficients highest first).
static inline float erf_approx(float x) {
  // ±1 from where the float evaluation reaches 1 (a little further on it would round past 1;
  // erf(3.6564436) = 1 - 3.3e-7). Beyond, p / q may even be inf / inf: the select replaces it.
  const float s = x * x;
  float p = 1.940936044775299e-06f;
  p = p * s + 2.9312074184417725e-04f;
  p = p * s + 4.216511268168688e-03f;
  p = p * s + 5.4124973714351654e-02f;
  p = p * s + 2.011735886335373e-01f;
  p = p * s + 1.1283788681030273f;
  float q = 3.7394962419057265e-05f;
  q = q * s + 1.2685272376984358e-03f;
  q = q * s + 1.58702339977026e-02f;
  q = q * s + 1.1851818859577179e-01f;
  q = q * s + 5.116151571273804e-01f;
  q = q * s + 1.0f;
  const float y = x * p / q;  // NaN stays NaN: both comparisons are false
  return x > 3.6564436f ? 1.0f : (x < -3.6564436f ? -1.0f : y);
}

static inline float tanh_rational(float x) {
  // ±1 from where the float evaluation first reaches 1 (tanh(7.84935045) = 1 - 3.0e-7).
  const float s = x * x;
  float p = 8.346148216986649e-10f;
  p = p * s + 1.3291775076140766e-06f;
  p = p * s + 2.2544206876773387e-04f;
  p = p * s + 7.961709052324295e-03f;
  p = p * s + 3.155297040939331e-02f;
  p = p * s + -1.5891727805137634e-01f;
  p = p * s + 9.999999403953552e-01f;
  float q = 4.9500211929398574e-08f;
  q = q * s + 2.13086350413505e-05f;
  q = q * s + 1.6303341835737228e-03f;
  q = q * s + 2.4126872420310974e-02f;
  q = q * s + -4.364108294248581e-02f;
  q = q * s + 1.7441564798355103e-01f;
  q = q * s + 1.0f;
  const float y = x * p / q;  // NaN stays NaN: both comparisons are false
  return x > 7.84935045f ? 1.0f : (x < -7.84935045f ? -1.0f : y);
}

static inline float sigmoid_approx(float x) { return 1.0f / (1.0f + exp_approx(-x)); }

// GELU, exact (erf) form: x * Φ(x).
static inline float gelu_erf(float x) { return 0.5f * x * (1.0f + erf_approx(x * 0.70710678118654752f)); }

// GELU, tanh form (gelu_new): 0.5 x (1 + tanh(u)), u = √(2/π) (x + 0.044715 x³), with the
// rational tanh (no exp; 1.4x faster than x / (1 + e^{-2u}), max abs. error 1.2e-6 vs 5e-7, i.e.
// about 2 ulp of the result where |x| ~ 5, and the same formula PyTorch evaluates).
static inline float gelu_tanh(float x) {
  const float u = 0.79788456080286536f * (x + 0.044715f * x * x * x);
  return 0.5f * x * (1.0f + tanh_rational(u));
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
