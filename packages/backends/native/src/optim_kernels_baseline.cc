// The baseline optimizer kernels: optim.inc compiled for this instruction set.
#include <cmath>
#include <cstdint>

#include "optim.h"

namespace albert {
namespace {
#include "optim.inc"
}  // namespace

const OptimKernels& optim_kernels_baseline() { return kOptimKernels; }

}  // namespace albert
