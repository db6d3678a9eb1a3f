#pragma once
// pool_trace: which pool thread ran each chunk of one parallel_for, and in what order; the hook
// through which test/native/pool-dealing.test.ts checks how pool.cc deals chunks.
#include <cstdint>

namespace albert {

enum class TraceWait {
  kNone,
  kMeet,   // the first chunk of every thread's share waits until all of them have started
  kStall,  // the first chunk of the last share waits until every other chunk has finished
};

// thread_of[t]: the pool thread (0 = the submitter) that ran chunk t of `tasks`; order[t]: when
// it started (0 .. tasks - 1). A wait gives up after 10 s: returns false.
bool pool_trace(int64_t tasks, TraceWait wait, int32_t* thread_of, int32_t* order);

}  // namespace albert
