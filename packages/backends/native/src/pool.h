// A persistent thread pool: the calling thread plus (threads - 1) workers. Workers spin for a
// short while after each job (so back-to-back kernels do not pay a wake-up) and then sleep on a
// condition variable. parallel_for(n, tasks, fn) runs fn(begin, end, thread) over [0, n) in
// chunks and returns when every chunk is done. A job submitted while another thread's job runs
// is run on the submitting thread alone. Not reentrant from inside a chunk.
#pragma once
#include <cstdint>
#include <functional>

namespace albert {

using RangeFn = void (*)(void* ctx, int64_t begin, int64_t end, int thread);

// Threads a job submitted from the calling thread runs on: the pool's size, or less under the
// calling thread's limit (kernels size their tasks by it).
int pool_threads();
void pool_set_threads(int n);  // the pool's size, for the whole process; 1 = no worker threads
// For jobs submitted from the calling thread (a Node worker_thread has its own): 1 = run them on
// this thread alone, n > 1 = on the pool (grown to at least n), 0 = no limit.
void pool_set_thread_limit(int n);

// How a job's chunks are dealt (pool.cc): kOwned, each thread its own contiguous share first (the
// default); kShared, one counter for all (ALBERT_TS_NATIVE_DEALING=shared, or setDealing).
enum class Dealing { kOwned, kShared };
Dealing pool_dealing();
void pool_set_dealing(Dealing d);

// Splits [0, n) into `tasks` contiguous chunks (tasks <= n), one per call of fn.
void parallel_for(int64_t n, int64_t tasks, RangeFn fn, void* ctx);

template <typename F>
void parallel_for(int64_t n, int64_t tasks, F&& f) {
  auto tramp = [](void* ctx, int64_t b, int64_t e, int t) { (*static_cast<F*>(ctx))(b, e, t); };
  parallel_for(n, tasks, +tramp, static_cast<void*>(&f));
}

}  // namespace albert
