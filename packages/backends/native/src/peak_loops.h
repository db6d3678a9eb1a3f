// The assembly loops that peak_ops times (peak_loops.cc): each runs `iters` iterations of twelve
// independent multiply-adds and may be called only on a CPU that has its instruction set.
#pragma once

#include <cstdint>

namespace albert {

void run_fp32_512(int64_t iters);  // AVX-512F vfmadd231ps zmm
void run_fp32_256(int64_t iters);  // AVX2 + FMA vfmadd231ps ymm
void run_vnni(int64_t iters);      // AVX-512 VNNI vpdpbusd zmm
void run_bf16(int64_t iters);      // AVX512_BF16 vdpbf16ps zmm

}  // namespace albert
