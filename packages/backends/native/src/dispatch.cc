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

}  // namespace albert
