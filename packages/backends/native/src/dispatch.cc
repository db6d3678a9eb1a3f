#include <cstdint>

#include "isa.h"
#include "kernels.h"

namespace albert {

const KernelTable& kernels() {
  switch (active_isa()) {
    case Isa::kAvx512: return kernels_avx512();
    case Isa::kAvx2: return kernels_avx2();
    default: return kernels_baseline();
  }
}

const GemmKernel& gemm_kernel_for(int64_t n) {
  const KernelTable& t = kernels();
  const GemmKernel& wide = t.gemm[0];
  const GemmKernel& narrow = t.gemm[1];
  return (n % wide.nr != 0 && (n % narrow.nr == 0 || n < wide.nr)) ? narrow : wide;
}

}  // namespace albert
