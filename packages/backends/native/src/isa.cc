#include "isa.h"

#include <cstdlib>
#include <cstring>

#if defined(__x86_64__)
#include <cpuid.h>
#endif

namespace albert {
namespace {

#if defined(__x86_64__)
unsigned long long xgetbv0() {
  unsigned int lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return (static_cast<unsigned long long>(hi) << 32) | lo;
}
#endif

Isa probe() {
#if defined(__x86_64__)
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return Isa::kBaseline;
  const bool osxsave = (c >> 27) & 1, avx = (c >> 28) & 1, fma = (c >> 12) & 1;
  if (!osxsave || !avx) return Isa::kBaseline;
  const unsigned long long xcr0 = xgetbv0();
  if ((xcr0 & 0x6) != 0x6) return Isa::kBaseline;  // OS saves XMM and YMM state
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return Isa::kBaseline;
  const bool avx2 = (b >> 5) & 1, avx512f = (b >> 16) & 1, avx512dq = (b >> 17) & 1;
  if (!avx2 || !fma) return Isa::kBaseline;
  // AVX-512 also needs the OS to save opmask and ZMM state (XCR0 bits 5..7).
  if (avx512f && avx512dq && (xcr0 & 0xe0) == 0xe0) return Isa::kAvx512;
  return Isa::kAvx2;
#else
  return Isa::kBaseline;
#endif
}

Isa initial() {
  Isa isa = probe();
  // ALBERT_TS_NATIVE_ISA=baseline|avx2|avx512 lowers the choice (tests run every variant).
  if (const char* env = std::getenv("ALBERT_TS_NATIVE_ISA")) {
    Isa want = isa;
    if (!std::strcmp(env, "baseline") || !std::strcmp(env, "scalar")) want = Isa::kBaseline;
    else if (!std::strcmp(env, "avx2")) want = Isa::kAvx2;
    else if (!std::strcmp(env, "avx512")) want = Isa::kAvx512;
    if (static_cast<int>(want) < static_cast<int>(isa)) isa = want;
  }
  return isa;
}

Isa g_active = initial();

}  // namespace

Isa detect_isa() { return probe(); }
Isa active_isa() { return g_active; }

bool set_isa(Isa isa) {
  if (static_cast<int>(isa) > static_cast<int>(probe())) return false;
  g_active = isa;
  return true;
}

const char* isa_name(Isa isa) {
  switch (isa) {
    case Isa::kAvx512: return "avx512";
    case Isa::kAvx2: return "avx2";
    default: return "baseline";
  }
}

}  // namespace albert
