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
constexpr int MR = 4;  // rows of the GEMM register block
constexpr int NV = 3;  // vectors per row of the register block
#define KERNELS_NAME "baseline"

#include "gemm_micro.inc"
#include "ops.inc"

}  // namespace

const KernelTable& kernels_baseline() { return kTable; }

}  // namespace albert
