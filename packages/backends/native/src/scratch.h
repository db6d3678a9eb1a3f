// Small helpers shared by the GEMM and the attention kernel.
#pragma once
#include <cstdint>
#include <cstdlib>

namespace albert {

inline int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// A grow-only, 64-byte aligned float buffer, one per thread that uses it (declare it
// thread_local): no allocation per call once warm. Aborts when memory is exhausted.
struct Scratch {
  float* p = nullptr;
  int64_t cap = 0;
  Scratch() = default;
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  ~Scratch() { std::free(p); }
  float* get(int64_t floats) {
    if (floats > cap) {
      std::free(p);
      const int64_t bytes = ((floats * 4 + 63) / 64) * 64;
      p = static_cast<float*>(std::aligned_alloc(64, static_cast<size_t>(bytes)));
      cap = p ? floats : 0;
      if (p == nullptr) std::abort();
    }
    return p;
  }
};

}  // namespace albert
