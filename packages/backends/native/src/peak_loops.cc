// The timed loops of peak.cc, one per instruction set, in assembly. They sit in their own file
// with `#pragma GCC target` so the build's ISA check (scripts/isa-check.mjs) knows this object holds
// AVX code on purpose: peak_ops calls each only after the CPU check for its instruction set.
#pragma GCC target("avx2,fma,avx512f,avx512vnni,avx512bf16")

#include "peak_loops.h"

#include <cstdint>

namespace albert {

const float kOne = 0.0f;  // zero products: no denormals, no overflow, same speed
const int32_t kSmall = 0x01010101;
const int32_t kBf = 0;

// Twelve independent accumulators (zmm/ymm 2..13), written in assembly so the compiler can
// neither spill them nor fold the loop: enough in flight to cover a 4-5 cycle latency on two ports.
void run_fp32_512(int64_t iters) {
  __asm__ volatile(
      "vbroadcastss %[one], %%zmm0\n\t" "vbroadcastss %[one], %%zmm1\n\t"
      "vxorps %%zmm2,%%zmm2,%%zmm2\n\t"
      "vxorps %%zmm3,%%zmm3,%%zmm3\n\t"
      "vxorps %%zmm4,%%zmm4,%%zmm4\n\t"
      "vxorps %%zmm5,%%zmm5,%%zmm5\n\t"
      "vxorps %%zmm6,%%zmm6,%%zmm6\n\t"
      "vxorps %%zmm7,%%zmm7,%%zmm7\n\t"
      "vxorps %%zmm8,%%zmm8,%%zmm8\n\t"
      "vxorps %%zmm9,%%zmm9,%%zmm9\n\t"
      "vxorps %%zmm10,%%zmm10,%%zmm10\n\t"
      "vxorps %%zmm11,%%zmm11,%%zmm11\n\t"
      "vxorps %%zmm12,%%zmm12,%%zmm12\n\t"
      "vxorps %%zmm13,%%zmm13,%%zmm13\n\t"
      "1:\n\t"
      "vfmadd231ps %%zmm0,%%zmm1,%%zmm2\n\t"
      "vfmadd231ps %%zmm0,%%zmm1,%%zmm3\n\t"
      "vfmadd231ps %%zmm0,%%zmm1,%%zmm4\n\t"
      "vfmadd231ps %%zmm0,%%zmm1,%%zmm5\n\t"
      "vfmadd231ps %%zmm0,%%zmm1,%%zmm6\n\t"
      "vfmadd231ps %%zmm0,%%zmm1,%%zmm7\n\t"
      "vfmadd231ps %%zmm0,%%zmm1,%%zmm8\n\t"
      "vfmadd231ps %%zmm0,%%zmm1,%%zmm9\n\t"
      "vfmadd231ps %%zmm0,%%zmm1,%%zmm10\n\t"
      "vfmadd231ps %%zmm0,%%zmm1,%%zmm11\n\t"
      "vfmadd231ps %%zmm0,%%zmm1,%%zmm12\n\t"
      "vfmadd231ps %%zmm0,%%zmm1,%%zmm13\n\t"
      "dec %0\n\t"
      "jnz 1b\n\t"
      : "+r"(iters)
      : [one] "m"(kOne), [small] "m"(kSmall), [bf] "m"(kBf)
      : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "cc");
}

void run_fp32_256(int64_t iters) {
  __asm__ volatile(
      "vbroadcastss %[one], %%ymm0\n\t" "vbroadcastss %[one], %%ymm1\n\t"
      "vxorps %%ymm2,%%ymm2,%%ymm2\n\t"
      "vxorps %%ymm3,%%ymm3,%%ymm3\n\t"
      "vxorps %%ymm4,%%ymm4,%%ymm4\n\t"
      "vxorps %%ymm5,%%ymm5,%%ymm5\n\t"
      "vxorps %%ymm6,%%ymm6,%%ymm6\n\t"
      "vxorps %%ymm7,%%ymm7,%%ymm7\n\t"
      "vxorps %%ymm8,%%ymm8,%%ymm8\n\t"
      "vxorps %%ymm9,%%ymm9,%%ymm9\n\t"
      "vxorps %%ymm10,%%ymm10,%%ymm10\n\t"
      "vxorps %%ymm11,%%ymm11,%%ymm11\n\t"
      "vxorps %%ymm12,%%ymm12,%%ymm12\n\t"
      "vxorps %%ymm13,%%ymm13,%%ymm13\n\t"
      "1:\n\t"
      "vfmadd231ps %%ymm0,%%ymm1,%%ymm2\n\t"
      "vfmadd231ps %%ymm0,%%ymm1,%%ymm3\n\t"
      "vfmadd231ps %%ymm0,%%ymm1,%%ymm4\n\t"
      "vfmadd231ps %%ymm0,%%ymm1,%%ymm5\n\t"
      "vfmadd231ps %%ymm0,%%ymm1,%%ymm6\n\t"
      "vfmadd231ps %%ymm0,%%ymm1,%%ymm7\n\t"
      "vfmadd231ps %%ymm0,%%ymm1,%%ymm8\n\t"
      "vfmadd231ps %%ymm0,%%ymm1,%%ymm9\n\t"
      "vfmadd231ps %%ymm0,%%ymm1,%%ymm10\n\t"
      "vfmadd231ps %%ymm0,%%ymm1,%%ymm11\n\t"
      "vfmadd231ps %%ymm0,%%ymm1,%%ymm12\n\t"
      "vfmadd231ps %%ymm0,%%ymm1,%%ymm13\n\t"
      "dec %0\n\t"
      "jnz 1b\n\t"
      : "+r"(iters)
      : [one] "m"(kOne), [small] "m"(kSmall), [bf] "m"(kBf)
      : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "cc");
}

void run_vnni(int64_t iters) {
  __asm__ volatile(
      "vpbroadcastd %[small], %%zmm0\n\t" "vpbroadcastd %[small], %%zmm1\n\t"
      "vpxord %%zmm2,%%zmm2,%%zmm2\n\t"
      "vpxord %%zmm3,%%zmm3,%%zmm3\n\t"
      "vpxord %%zmm4,%%zmm4,%%zmm4\n\t"
      "vpxord %%zmm5,%%zmm5,%%zmm5\n\t"
      "vpxord %%zmm6,%%zmm6,%%zmm6\n\t"
      "vpxord %%zmm7,%%zmm7,%%zmm7\n\t"
      "vpxord %%zmm8,%%zmm8,%%zmm8\n\t"
      "vpxord %%zmm9,%%zmm9,%%zmm9\n\t"
      "vpxord %%zmm10,%%zmm10,%%zmm10\n\t"
      "vpxord %%zmm11,%%zmm11,%%zmm11\n\t"
      "vpxord %%zmm12,%%zmm12,%%zmm12\n\t"
      "vpxord %%zmm13,%%zmm13,%%zmm13\n\t"
      "1:\n\t"
      "vpdpbusd %%zmm0,%%zmm1,%%zmm2\n\t"
      "vpdpbusd %%zmm0,%%zmm1,%%zmm3\n\t"
      "vpdpbusd %%zmm0,%%zmm1,%%zmm4\n\t"
      "vpdpbusd %%zmm0,%%zmm1,%%zmm5\n\t"
      "vpdpbusd %%zmm0,%%zmm1,%%zmm6\n\t"
      "vpdpbusd %%zmm0,%%zmm1,%%zmm7\n\t"
      "vpdpbusd %%zmm0,%%zmm1,%%zmm8\n\t"
      "vpdpbusd %%zmm0,%%zmm1,%%zmm9\n\t"
      "vpdpbusd %%zmm0,%%zmm1,%%zmm10\n\t"
      "vpdpbusd %%zmm0,%%zmm1,%%zmm11\n\t"
      "vpdpbusd %%zmm0,%%zmm1,%%zmm12\n\t"
      "vpdpbusd %%zmm0,%%zmm1,%%zmm13\n\t"
      "dec %0\n\t"
      "jnz 1b\n\t"
      : "+r"(iters)
      : [one] "m"(kOne), [small] "m"(kSmall), [bf] "m"(kBf)
      : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "cc");
}

void run_bf16(int64_t iters) {
  __asm__ volatile(
      "vpbroadcastd %[bf], %%zmm0\n\t" "vpbroadcastd %[bf], %%zmm1\n\t"
      "vxorps %%zmm2,%%zmm2,%%zmm2\n\t"
      "vxorps %%zmm3,%%zmm3,%%zmm3\n\t"
      "vxorps %%zmm4,%%zmm4,%%zmm4\n\t"
      "vxorps %%zmm5,%%zmm5,%%zmm5\n\t"
      "vxorps %%zmm6,%%zmm6,%%zmm6\n\t"
      "vxorps %%zmm7,%%zmm7,%%zmm7\n\t"
      "vxorps %%zmm8,%%zmm8,%%zmm8\n\t"
      "vxorps %%zmm9,%%zmm9,%%zmm9\n\t"
      "vxorps %%zmm10,%%zmm10,%%zmm10\n\t"
      "vxorps %%zmm11,%%zmm11,%%zmm11\n\t"
      "vxorps %%zmm12,%%zmm12,%%zmm12\n\t"
      "vxorps %%zmm13,%%zmm13,%%zmm13\n\t"
      "1:\n\t"
      "vdpbf16ps %%zmm0,%%zmm1,%%zmm2\n\t"
      "vdpbf16ps %%zmm0,%%zmm1,%%zmm3\n\t"
      "vdpbf16ps %%zmm0,%%zmm1,%%zmm4\n\t"
      "vdpbf16ps %%zmm0,%%zmm1,%%zmm5\n\t"
      "vdpbf16ps %%zmm0,%%zmm1,%%zmm6\n\t"
      "vdpbf16ps %%zmm0,%%zmm1,%%zmm7\n\t"
      "vdpbf16ps %%zmm0,%%zmm1,%%zmm8\n\t"
      "vdpbf16ps %%zmm0,%%zmm1,%%zmm9\n\t"
      "vdpbf16ps %%zmm0,%%zmm1,%%zmm10\n\t"
      "vdpbf16ps %%zmm0,%%zmm1,%%zmm11\n\t"
      "vdpbf16ps %%zmm0,%%zmm1,%%zmm12\n\t"
      "vdpbf16ps %%zmm0,%%zmm1,%%zmm13\n\t"
      "dec %0\n\t"
      "jnz 1b\n\t"
      : "+r"(iters)
      : [one] "m"(kOne), [small] "m"(kSmall), [bf] "m"(kBf)
      : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "cc");
}

}  // namespace albert
