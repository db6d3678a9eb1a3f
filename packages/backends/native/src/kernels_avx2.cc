// The avx2 kernel table: gemm_micro.inc and ops.inc compiled for this instruction set.
#include <cmath>
#include <cstdint>
#include <cstring>

#include "kernels.h"
// Standard headers above are compiled for the baseline; everything below for this ISA.
#pragma GCC target("avx2,fma")
#include "vecmath.h"

namespace albert {
namespace {

typedef float V __attribute__((vector_size(32)));
constexpr int VW = 8;  // lanes per vector
// GEMM register blocks: 4x24 (88-90% of peak on ALBERT's 768/3072-wide products) and 6x16 (for widths 24 does not divide: attention's 64 and 128).
constexpr int MR0 = 4, NV0 = 3;
constexpr int MR1 = 6, NV1 = 2;
#define KERNELS_NAME "avx2"

#include "gemm_micro.inc"
#include "ops.inc"

}  // namespace

const KernelTable& kernels_avx2() { return kTable; }

}  // namespace albert
