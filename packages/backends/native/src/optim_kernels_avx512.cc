// The avx512 optimizer kernels: optim.inc compiled for this instruction set.
#include <cmath>
#include <cstdint>

#include "optim.h"
// Standard headers above are compiled for the baseline; everything below for this ISA.
#pragma GCC target("avx512f,avx512dq,avx2,fma")

namespace albert {
namespace {
#include "optim.inc"
}  // namespace

const OptimKernels& optim_kernels_avx512() { return kOptimKernels; }

}  // namespace albert
