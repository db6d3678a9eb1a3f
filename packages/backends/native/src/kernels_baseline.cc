// The baseline kernel table: gemm_micro.inc and ops.inc compiled for this instruction set.

#include <cmath>
#include <cstdint>
#include <cstring>

#include "kernels.h"
#include "vecmath.h"

namespace albert {
namespace {

typedef float V __attribute__((vector_size(16)));
constexpr int VW = 4;  // lanes per vector
// GEMM register blocks: 4x12 and 4x8 (16 xmm registers).
constexpr int MR0 = 4, NV0 = 3;
constexpr int MR1 = 4, NV1 = 2;
#define KERNELS_NAME "baseline"

#include "gemm_micro.inc"
#include "ops.inc"

}  // namespace

const KernelTable& kernels_baseline() { return kTable; }

}  // namespace albert
