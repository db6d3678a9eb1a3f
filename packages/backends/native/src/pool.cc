#include "pool.h"

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define ALBERT_PAUSE() _mm_pause()
#else
#define ALBERT_PAUSE() ((void)0)
#endif

namespace albert {
namespace {

// One job at a time. Each participating thread owns a contiguous share of the chunks (thread i:
// chunks [tasks * i / T, tasks * (i + 1) / T)) and claims its own first, then what is left of
// the others' shares, so a slow thread never holds the others back. Owning a share means a
// cached weight's same columns go to the same core call after call: ALBERT runs one layer's
// weights 12 times per forward, and each core keeps its half in its own cache (measured on a
// 2-vCPU AMD EPYC with one L3 per vCPU, against one shared counter: ALBERT-base forwards of seq 28
// 7-13% faster at batch 1 and 2-5% at batch 8 and 32, a base-width training step 4-20%;
// `pnpm bench dealing`). kShared (one counter for all, as before) is kept for that comparison.
constexpr int kMaxShares = 256;
struct Job {
  // The job's fields are stored before `id` names the new job (release). A share's cursor is
  // (job id << 32 | next chunk) and its end (job id << 32 | end chunk); a chunk is claimed by a CAS
  // on the cursor, and only while both carry the id the worker read: a worker still looping on an
  // old job can never claim a chunk of the new one, even while the new job is being written.
  std::atomic<RangeFn> fn{nullptr};
  std::atomic<void*> ctx{nullptr};
  std::atomic<int64_t> n{0};
  std::atomic<int64_t> tasks{0};
  std::atomic<uint32_t> id{0};
  std::atomic<int> shares{1};
  std::atomic<uint64_t> end[kMaxShares];  // share s: chunks [cursor's start, end[s])
  std::atomic<uint64_t> cursor[kMaxShares];
  std::atomic<int64_t> done{0};
};

std::atomic<int> g_dealing{-1};  // Dealing; -1 until first read from ALBERT_TS_NATIVE_DEALING

// How long an idle worker spins for the next job before it sleeps. A forward calls the pool
// every 0.1-1 ms with JS work between the calls; waking a sleeping worker costs ~50-100 µs
// (measured: 72 base-width GEMMs with 200 µs gaps took 6 ms longer with a 100 µs spin than
// with 1 ms). ALBERT_TS_NATIVE_SPIN_US overrides it (0-100000).
int spin_us() {
  static const int us = [] {
    const char* env = std::getenv("ALBERT_TS_NATIVE_SPIN_US");
    const int v = env ? std::atoi(env) : -1;
    return v >= 0 && v <= 100000 ? v : 1000;
  }();
  return us;
}

class Pool {
 public:
  explicit Pool(int threads) { start(threads); }
  ~Pool() { stop(); }

  // An atomic copy of workers_.size() + 1: kernels read it to size their tasks while another
  // thread may be resizing.
  int threads() const { return count_.load(std::memory_order_relaxed); }

  // Safe while other threads (Node worker_threads sharing the addon) submit jobs: it takes the
  // pool as a job would, so no job runs on the workers it stops.
  void resize(int threads) {
    if (threads < 1) threads = 1;
    bool expected = false;
    while (!busy_.compare_exchange_weak(expected, true, std::memory_order_acquire)) {
      expected = false;
      std::this_thread::yield();
    }
    if (threads != static_cast<int>(workers_.size()) + 1) {
      stop();
      start(threads);
    }
    busy_.store(false, std::memory_order_release);
  }

  // alone: the submitting thread runs every chunk itself (its thread limit is 1).
  void run(int64_t n, int64_t tasks, RangeFn fn, void* ctx, bool alone) {
    if (tasks > n) tasks = n;
    if (tasks <= 0) return;
    // One job at a time: a second submitting thread (a Node worker_thread using the addon
    // too) runs its chunks itself instead of waiting.
    bool expected = false;
    bool own = !alone && tasks > 1 && busy_.compare_exchange_strong(expected, true, std::memory_order_acquire);
    if (own && workers_.empty()) {  // one thread: workers_ is read only while the pool is held
      busy_.store(false, std::memory_order_release);
      own = false;
    }
    if (!own) {
      for (int64_t t = 0; t < tasks; t++) fn(ctx, chunk_begin(n, tasks, t), chunk_begin(n, tasks, t + 1), 0);
      return;
    }
    uint32_t id = ++job_id_;
    job_.fn.store(fn, std::memory_order_relaxed);
    job_.ctx.store(ctx, std::memory_order_relaxed);
    job_.n.store(n, std::memory_order_relaxed);
    job_.tasks.store(tasks, std::memory_order_relaxed);
    job_.done.store(0, std::memory_order_relaxed);
    const int shares = pool_dealing() == Dealing::kOwned ? static_cast<int>(workers_.size()) + 1 : 1;
    job_.shares.store(shares, std::memory_order_relaxed);
    for (int s = 0; s < shares; s++) {
      job_.end[s].store((static_cast<uint64_t>(id) << 32) | static_cast<uint64_t>(chunk_begin(tasks, shares, s + 1)),
                        std::memory_order_relaxed);
      job_.cursor[s].store((static_cast<uint64_t>(id) << 32) | static_cast<uint64_t>(chunk_begin(tasks, shares, s)),
                           std::memory_order_relaxed);
    }
    job_.id.store(id, std::memory_order_release);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      generation_.fetch_add(1, std::memory_order_release);
    }
    if (sleeping_.load(std::memory_order_acquire) > 0) wake_.notify_all();
    work(0);
    // Wait for chunks other threads still run. Yield now and then: on a busy machine the
    // thread we wait for may be waiting for this core.
    for (int spins = 0; job_.done.load(std::memory_order_acquire) < tasks; spins++) {
      ALBERT_PAUSE();
      if ((spins & 255) == 255) std::this_thread::yield();
    }
    busy_.store(false, std::memory_order_release);
  }

 private:
  static int64_t chunk_begin(int64_t n, int64_t tasks, int64_t t) { return n * t / tasks; }

  // Claims chunks from this thread's own share, then from the others' in turn.
  void work(int thread) {
    const uint32_t id = job_.id.load(std::memory_order_acquire);
    const int shares = job_.shares.load(std::memory_order_relaxed);
    for (int q = 0; q < shares; q++) {
      const int s = (thread + q) % shares;
      std::atomic<uint64_t>& cursor = job_.cursor[s];
      const uint64_t e = job_.end[s].load(std::memory_order_acquire);
      if ((e >> 32) != id) return;
      const int64_t end = static_cast<int64_t>(e & 0xffffffffu);
      uint64_t v = cursor.load(std::memory_order_acquire);
      for (;;) {
        if ((v >> 32) != id) return;
        const int64_t t = static_cast<int64_t>(v & 0xffffffffu);
        if (t >= end) break;
        if (!cursor.compare_exchange_weak(v, v + 1, std::memory_order_acq_rel, std::memory_order_acquire)) continue;
        const int64_t n = job_.n.load(std::memory_order_relaxed);
        const int64_t tasks = job_.tasks.load(std::memory_order_relaxed);
        job_.fn.load(std::memory_order_relaxed)(job_.ctx.load(std::memory_order_relaxed), chunk_begin(n, tasks, t),
                                                chunk_begin(n, tasks, t + 1), thread);
        job_.done.fetch_add(1, std::memory_order_acq_rel);
        v = cursor.load(std::memory_order_acquire);
      }
    }
  }

  // `seen`: the generation when the thread was created, so a job posted while it starts is not missed.
  void worker(int thread, uint64_t seen) {
    for (;;) {
      // Spin a while for the next job, then sleep.
      auto spin_until = std::chrono::steady_clock::now() + std::chrono::microseconds(spin_us());
      uint64_t g;
      int polls = 0;
      while ((g = generation_.load(std::memory_order_acquire)) == seen && !quit_.load(std::memory_order_relaxed)) {
        ALBERT_PAUSE();
        if (++polls % 64 == 0 && std::chrono::steady_clock::now() > spin_until) {
          std::unique_lock<std::mutex> lock(mutex_);
          sleeping_.fetch_add(1, std::memory_order_acq_rel);
          wake_.wait(lock, [&] {
            return generation_.load(std::memory_order_acquire) != seen || quit_.load(std::memory_order_relaxed);
          });
          sleeping_.fetch_sub(1, std::memory_order_acq_rel);
          spin_until = std::chrono::steady_clock::now() + std::chrono::microseconds(spin_us());
        }
      }
      if (quit_.load(std::memory_order_relaxed)) return;
      seen = g;
      work(thread);
    }
  }

  void start(int threads) {
    quit_.store(false);
    const uint64_t seen = generation_.load(std::memory_order_acquire);
    for (int t = 1; t < threads; t++) workers_.emplace_back([this, t, seen] { worker(t, seen); });
    count_.store(threads, std::memory_order_relaxed);
  }

  void stop() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      quit_.store(true);
    }
    wake_.notify_all();
    for (auto& w : workers_) w.join();
    workers_.clear();
  }

  Job job_;
  uint32_t job_id_ = 0;
  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::atomic<uint64_t> generation_{0};
  std::atomic<int> sleeping_{0};
  std::atomic<bool> quit_{false};
  std::atomic<bool> busy_{false};
  std::atomic<int> count_{1};
};

int default_threads() {
  // ALBERT_TS_NATIVE_THREADS overrides the core count.
  if (const char* env = std::getenv("ALBERT_TS_NATIVE_THREADS")) {
    int v = std::atoi(env);
    if (v >= 1 && v <= 256) return v;
  }
  unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n > 64 ? 64 : n);
}

Pool& pool() {
  static Pool* p = new Pool(default_threads());  // never destroyed: workers outlive static teardown
  return *p;
}

thread_local int t_limit = 0;

}  // namespace

int pool_threads() {
  const int size = pool().threads();
  return t_limit > 0 && t_limit < size ? t_limit : size;
}
void pool_set_threads(int n) { pool().resize(n); }
void pool_set_thread_limit(int n) {
  t_limit = n < 0 ? 0 : n;
  if (n > pool().threads()) pool().resize(n);
}
Dealing pool_dealing() {
  int d = g_dealing.load(std::memory_order_relaxed);
  if (d < 0) {
    const char* env = std::getenv("ALBERT_TS_NATIVE_DEALING");
    d = static_cast<int>(env != nullptr && std::strcmp(env, "shared") == 0 ? Dealing::kShared : Dealing::kOwned);
    g_dealing.store(d, std::memory_order_relaxed);
  }
  return static_cast<Dealing>(d);
}
void pool_set_dealing(Dealing d) { g_dealing.store(static_cast<int>(d), std::memory_order_relaxed); }
void parallel_for(int64_t n, int64_t tasks, RangeFn fn, void* ctx) { pool().run(n, tasks, fn, ctx, t_limit == 1); }

}  // namespace albert
