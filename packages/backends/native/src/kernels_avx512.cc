// The avx512 kernel table: gemm_micro.inc and ops.inc compiled for this instruction set.
#include <cmath>
#include <cstdint>
#include <cstring>

#include "kernels.h"
// Standard headers above are compiled for the baseline; everything below for this ISA.
#pragma GCC target("avx512f,avx512dq,avx2,fma")
#include "vecmath.h"

namespace albert {
namespace {

typedef float V __attribute__((vector_size(64)));
constexpr int VW = 16;  // lanes per vector
// GEMM register blocks: 8x48 and 12x32.
constexpr int MR0 = 8, NV0 = 3;
constexpr int MR1 = 12, NV1 = 2;
#define KERNELS_NAME "avx512"

#include "gemm_micro.inc"
#include "ops.inc"

}  // namespace

const KernelTable& kernels_avx512() { return kTable; }

}  // namespace albert
