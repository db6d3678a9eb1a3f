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
constexpr int MR = 6;  // rows of the GEMM register block
constexpr int NV = 2;  // vectors per row of the register block
#define KERNELS_NAME "avx2"

#include "gemm_micro.inc"
#include "ops.inc"

}  // namespace

const KernelTable& kernels_avx2() { return kTable; }

}  // namespace albert
