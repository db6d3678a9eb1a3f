#include "huge.h"

#include <cstdint>
#include <cstdlib>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace albert {

constexpr size_t kHuge = size_t{2} << 20;

HugeBlock huge_alloc(size_t floats) {
  HugeBlock block;
  const size_t bytes = (floats * 4 + 4095) / 4096 * 4096;
#if defined(__linux__)
  // Map one huge page more than needed and start at the first 2 MiB boundary: the kernel gives
  // huge pages only to aligned 2 MiB ranges. Only the whole 2 MiB ranges are advised (a tail stays
  // on 4 KiB pages, so no memory is spent past the array). The advice comes before the first
  // touch, so the pages fault in huge (anonymous mappings read as zero).
  const size_t mapped = bytes + kHuge;
  void* base = mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED) return block;
  const uintptr_t start = (reinterpret_cast<uintptr_t>(base) + kHuge - 1) / kHuge * kHuge;
  if (bytes >= kHuge) madvise(reinterpret_cast<void*>(start), bytes / kHuge * kHuge, MADV_HUGEPAGE);  // advisory
  block.data = reinterpret_cast<float*>(start);
  block.base = base;
  block.mapped = mapped;
  block.bytes = floats * 4;
#else
  void* p = std::aligned_alloc(kHuge, (bytes + kHuge - 1) / kHuge * kHuge);
  if (p == nullptr) return block;
  for (size_t i = 0; i < bytes / 4; i++) static_cast<float*>(p)[i] = 0.0f;
  block.data = static_cast<float*>(p);
  block.base = p;
  block.mapped = bytes;
  block.bytes = floats * 4;
#endif
  return block;
}

void huge_free(const HugeBlock& block) {
  if (block.base == nullptr) return;
#if defined(__linux__)
  munmap(block.base, block.mapped);
#else
  std::free(block.base);
#endif
}

}  // namespace albert
