// The avx2 optimizer kernels: optim.inc compiled for this instruction set.
#include <cmath>
#include <cstdint>

#include "optim.h"
// Standard headers above are compiled for the baseline; everything below for this ISA.
#pragma GCC target("avx2,fma")

namespace albert {
namespace {
#include "optim.inc"
}  // namespace

const OptimKernels& optim_kernels_avx2() { return kOptimKernels; }

}  // namespace albert
