// Memory on 2 MiB pages for the large, long-lived arrays the GEMM streams (packed weights).
#pragma once
#include <cstddef>

namespace albert {

struct HugeBlock {
  float* data = nullptr;  // 2 MiB-aligned, zero-filled
  void* base = nullptr;   // what to give back to huge_free
  size_t mapped = 0;
  size_t bytes = 0;  // the array's own bytes (what it costs in memory once touched)
};

// `floats` floats on 2 MiB-aligned anonymous memory advised for transparent huge pages (Linux;
// elsewhere, or when the kernel refuses, ordinary pages). data == nullptr when mapping failed.
HugeBlock huge_alloc(size_t floats);
void huge_free(const HugeBlock& block);

}  // namespace albert
