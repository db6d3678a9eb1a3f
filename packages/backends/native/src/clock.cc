// Measures the core clock: a chain of dependent integer adds retires one per cycle, so adds
// per second of this thread's CPU time is cycles per second. Used by the GEMM benchmark to state the machine's peak.
#include "clock.h"

#include <time.h>

namespace albert {

double measure_ghz() {
#if defined(__x86_64__)
  double best = 0;
  for (int rep = 0; rep < 5; rep++) {
    long n = 50'000'000, x = 0;
    // Thread CPU time, not wall time: on a busy machine the thread may be preempted.
    timespec t0, t1;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
    __asm__ volatile(
        "1:\n\t"
        "add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\t"
        "add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\t"
        "sub $8, %1\n\tjnz 1b"
        : "+r"(x), "+r"(n));
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
    double s = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9;
    double ghz = 50e6 / s / 1e9;
    if (ghz > best) best = ghz;  // the least disturbed run
  }
  return best;
#else
  return 0;
#endif
}

}  // namespace albert
