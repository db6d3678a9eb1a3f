// N-API entry points. Every function takes the caller's typed arrays and works on their
// memory in place (no copies); shapes and options are plain numbers. Errors throw a JS Error
// whose message names the function; the TypeScript layer turns them into BackendErrors.
#include <node_api.h>

#include <cstdint>
#include <string>
#include <vector>

#include "attention.h"
#include "clock.h"
#include "gemm.h"
#include "huge.h"
#include "isa.h"
#include "kernels.h"
#include "lowp.h"
#include "ops.h"
#include "optim.h"
#include "peak.h"
#include "pool.h"
#include "pool_trace.h"

using namespace albert;

namespace {

struct Args {
  napi_env env;
  napi_value argv[16];
  size_t argc = 16;
  const char* fn;
  bool failed = false;

  Args(napi_env e, napi_callback_info info, const char* name) : env(e), fn(name) {
    napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  }

  void fail(const std::string& msg) {
    if (failed) return;
    failed = true;
    napi_throw_error(env, nullptr, (std::string("albert_native.") + fn + ": " + msg).c_str());
  }

  // Data pointer and element count of a typed array (any 4-byte element type unless `f32`).
  void* array(size_t i, size_t* length, bool f32 = true, bool nullable = false) {
    *length = 0;
    if (failed) return nullptr;
    if (i >= argc) {
      fail("missing argument " + std::to_string(i));
      return nullptr;
    }
    napi_valuetype t;
    napi_typeof(env, argv[i], &t);
    if (nullable && (t == napi_null || t == napi_undefined)) return nullptr;
    bool is_ta = false;
    napi_is_typedarray(env, argv[i], &is_ta);
    if (!is_ta) {
      fail("argument " + std::to_string(i) + " must be a typed array");
      return nullptr;
    }
    napi_typedarray_type type;
    void* data;
    napi_get_typedarray_info(env, argv[i], &type, length, &data, nullptr, nullptr);
    const bool ok = f32 ? type == napi_float32_array
                        : (type == napi_float32_array || type == napi_int32_array || type == napi_uint32_array);
    if (!ok) {
      fail("argument " + std::to_string(i) + (f32 ? " must be a Float32Array" : " must have 4-byte elements"));
      return nullptr;
    }
    return data;
  }
  float* f32(size_t i, size_t* n, bool nullable = false) { return static_cast<float*>(array(i, n, true, nullable)); }
  int32_t* i32(size_t i, size_t* n) {
    *n = 0;
    if (failed) return nullptr;
    napi_typedarray_type type;
    void* data;
    bool is_ta = false;
    if (i < argc) napi_is_typedarray(env, argv[i], &is_ta);
    if (!is_ta) {
      fail("argument " + std::to_string(i) + " must be an Int32Array");
      return nullptr;
    }
    napi_get_typedarray_info(env, argv[i], &type, n, &data, nullptr, nullptr);
    if (type != napi_int32_array) {
      fail("argument " + std::to_string(i) + " must be an Int32Array");
      return nullptr;
    }
    return static_cast<int32_t*>(data);
  }
  int64_t num(size_t i) {
    if (failed) return 0;
    double v = 0;
    if (i >= argc || napi_get_value_double(env, argv[i], &v) != napi_ok) fail("argument " + std::to_string(i) + " must be a number");
    return static_cast<int64_t>(v);
  }
  double dbl(size_t i) {
    if (failed) return 0;
    double v = 0;
    if (i >= argc || napi_get_value_double(env, argv[i], &v) != napi_ok) fail("argument " + std::to_string(i) + " must be a number");
    return v;
  }
  bool flag(size_t i) {
    if (failed) return false;
    bool v = false;
    if (i >= argc || napi_get_value_bool(env, argv[i], &v) != napi_ok) fail("argument " + std::to_string(i) + " must be a boolean");
    return v;
  }
  std::vector<int64_t> shape(size_t i) {
    std::vector<int64_t> out;
    if (failed) return out;
    bool is_array = false;
    if (i < argc) napi_is_array(env, argv[i], &is_array);
    if (!is_array) {
      fail("argument " + std::to_string(i) + " must be an array of numbers");
      return out;
    }
    uint32_t len;
    napi_get_array_length(env, argv[i], &len);
    for (uint32_t k = 0; k < len; k++) {
      napi_value e;
      double v;
      napi_get_element(env, argv[i], k, &e);
      if (napi_get_value_double(env, e, &v) != napi_ok || v < 0) {
        fail("argument " + std::to_string(i) + " must be an array of non-negative numbers");
        return out;
      }
      out.push_back(static_cast<int64_t>(v));
    }
    return out;
  }
  // An optional string argument ("" when absent, null or undefined).
  std::string str(size_t i) {
    if (failed || i >= argc) return "";
    napi_valuetype t;
    napi_typeof(env, argv[i], &t);
    if (t == napi_null || t == napi_undefined) return "";
    char buf[64];
    size_t len = 0;
    if (napi_get_value_string_utf8(env, argv[i], buf, sizeof buf, &len) != napi_ok) {
      fail("argument " + std::to_string(i) + " must be a string");
      return "";
    }
    return std::string(buf, len);
  }
  void need(bool ok, const std::string& msg) {
    if (!ok) fail(msg);
  }
};

int64_t product(const std::vector<int64_t>& s) {
  int64_t p = 1;
  for (int64_t d : s) p *= d;
  return p;
}

napi_value undefined(napi_env env) {
  napi_value u;
  napi_get_undefined(env, &u);
  return u;
}

// info() -> { isa, detectedIsa, threads, mr, nr }
napi_value Info(napi_env env, napi_callback_info) {
  napi_value o, v;
  napi_create_object(env, &o);
  napi_create_string_utf8(env, isa_name(active_isa()), NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, o, "isa", v);
  napi_create_string_utf8(env, isa_name(detect_isa()), NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, o, "detectedIsa", v);
  napi_create_int32(env, pool_threads(), &v);
  napi_set_named_property(env, o, "threads", v);
  napi_create_string_utf8(env, pool_dealing() == Dealing::kOwned ? "owned" : "shared", NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, o, "dealing", v);
  napi_create_int32(env, kernels().gemm[0].mr, &v);
  napi_set_named_property(env, o, "mr", v);
  napi_create_int32(env, kernels().gemm[0].nr, &v);
  napi_set_named_property(env, o, "nr", v);
  napi_create_string_utf8(env, lowp_path_name(q8_path()), NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, o, "q8Path", v);
  napi_create_string_utf8(env, lowp_path_name(bf16_path()), NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, o, "bf16Path", v);
  // Every path this CPU can run, whatever is active (tests run each against the scalar one).
  for (int kind = 0; kind < 2; kind++) {
    napi_value list;
    napi_create_array(env, &list);
    uint32_t n = 0;
    for (LowpPath p : {LowpPath::kScalar, LowpPath::kAvx2, LowpPath::kAvx512}) {
      if (!(kind == 0 ? q8_path_supported(p) : bf16_path_supported(p))) continue;
      napi_create_string_utf8(env, lowp_path_name(p), NAPI_AUTO_LENGTH, &v);
      napi_set_element(env, list, n++, v);
    }
    napi_set_named_property(env, o, kind == 0 ? "q8Paths" : "bf16Paths", list);
  }
  return o;
}

napi_value CpuGhz(napi_env env, napi_callback_info) {
  napi_value v;
  napi_create_double(env, measure_ghz(), &v);
  return v;
}

// peakOps(kind, reps, threads = 1): measured giga-ops/s on `threads` pool threads at once (peak.h); kind: 'fp32-avx512' |
// 'fp32-avx2' | 'int8-vnni' | 'bf16-avx512'; 0 when the CPU lacks it.
napi_value PeakOps(napi_env env, napi_callback_info info) {
  Args a(env, info, "peakOps");
  const std::string kind = a.str(0);
  const int64_t reps = a.num(1);
  PeakKind k;
  if (kind == "fp32-avx512") k = PeakKind::kFp32Avx512;
  else if (kind == "fp32-avx2") k = PeakKind::kFp32Avx2;
  else if (kind == "int8-vnni") k = PeakKind::kInt8Vnni512;
  else if (kind == "bf16-avx512") k = PeakKind::kBf16Avx512;
  else {
    a.fail("kind must be fp32-avx512, fp32-avx2, int8-vnni or bf16-avx512");
    return nullptr;
  }
  a.need(reps >= 1 && reps <= 100, "reps must be in [1, 100]");
  const int64_t threads = a.argc > 2 ? a.num(2) : 1;
  a.need(threads >= 1 && threads <= 256, "threads must be in [1, 256]");
  if (a.failed) return nullptr;
  napi_value v;
  napi_create_double(env, peak_ops_parallel(k, static_cast<int>(reps), static_cast<int>(threads)), &v);
  return v;
}

napi_value SetThreads(napi_env env, napi_callback_info info) {
  Args a(env, info, "setThreads");
  int64_t n = a.num(0);
  a.need(n >= 1 && n <= 256, "threads must be in [1, 256]");
  if (!a.failed) pool_set_threads(static_cast<int>(n));
  return undefined(env);
}

// setThreadLimit(n): jobs submitted from this JS thread run on it alone (1), on the pool grown to
// at least n (n > 1), or on the whole pool (0)
napi_value SetThreadLimit(napi_env env, napi_callback_info info) {
  Args a(env, info, "setThreadLimit");
  int64_t n = a.num(0);
  a.need(n >= 0 && n <= 256, "the thread limit must be in [0, 256]");
  if (!a.failed) pool_set_thread_limit(static_cast<int>(n));
  return undefined(env);
}

// setDealing('owned' | 'shared'): how the pool deals a job's chunks, for the whole process (pool.h)
napi_value SetDealing(napi_env env, napi_callback_info info) {
  Args a(env, info, "setDealing");
  const std::string mode = a.str(0);
  a.need(mode == "owned" || mode == "shared", "the dealing must be 'owned' or 'shared'");
  if (!a.failed) pool_set_dealing(mode == "owned" ? Dealing::kOwned : Dealing::kShared);
  return undefined(env);
}

// poolTrace(tasks, wait: 'none' | 'meet' | 'stall') -> { thread: Int32Array, order: Int32Array }:
// which pool thread ran each of `tasks` chunks and when it started (pool_trace.h)
napi_value PoolTrace(napi_env env, napi_callback_info info) {
  Args a(env, info, "poolTrace");
  const int64_t tasks = a.num(0);
  const std::string wait = a.str(1);
  a.need(tasks >= 1 && tasks <= 65536, "tasks must be in [1, 65536]");
  a.need(wait == "none" || wait == "meet" || wait == "stall", "wait must be 'none', 'meet' or 'stall'");
  if (a.failed) return nullptr;
  napi_value thread, order, o;
  int32_t *thread_of, *started;
  for (auto [arr, data] : {std::pair{&thread, &thread_of}, std::pair{&order, &started}}) {
    napi_value buf;
    void* raw;
    napi_create_arraybuffer(env, static_cast<size_t>(tasks) * 4, &raw, &buf);
    napi_create_typedarray(env, napi_int32_array, static_cast<size_t>(tasks), buf, 0, arr);
    *data = static_cast<int32_t*>(raw);
  }
  const TraceWait w = wait == "meet" ? TraceWait::kMeet : wait == "stall" ? TraceWait::kStall : TraceWait::kNone;
  if (!pool_trace(tasks, w, thread_of, started)) {
    a.fail("a chunk waited 10 s for the others: the pool's threads did not deal the chunks as expected");
    return nullptr;
  }
  napi_create_object(env, &o);
  napi_set_named_property(env, o, "thread", thread);
  napi_set_named_property(env, o, "order", order);
  return o;
}

// packedBSize(k, n) -> floats
napi_value PackedBSize(napi_env env, napi_callback_info info) {
  Args a(env, info, "packedBSize");
  int64_t k = a.num(0), n = a.num(1);
  napi_value v;
  napi_create_double(env, static_cast<double>(gemm_packed_b_size(k, n)), &v);
  return v;
}

// hugeF32(n) -> a zero-filled Float32Array of n floats on 2 MiB pages (see huge.h), or null when
// the memory could not be mapped. The pages are given back when the array is garbage collected.
napi_value HugeF32(napi_env env, napi_callback_info info) {
  Args a(env, info, "hugeF32");
  const int64_t n = a.num(0);
  a.need(n > 0, "n must be a positive number of floats");
  napi_value result;
  napi_get_null(env, &result);
  if (a.failed) return result;
  HugeBlock* block = new HugeBlock(huge_alloc(static_cast<size_t>(n)));
  if (block->data == nullptr) {
    delete block;
    return result;
  }
  const size_t bytes = static_cast<size_t>(n) * 4;
  napi_value buffer;
  const napi_status status = napi_create_external_arraybuffer(
      env, block->data, bytes,
      [](napi_env e, void*, void* hint) {
        HugeBlock* b = static_cast<HugeBlock*>(hint);
        int64_t adjusted;
        napi_adjust_external_memory(e, -static_cast<int64_t>(b->bytes), &adjusted);
        huge_free(*b);
        delete b;
      },
      block, &buffer);
  if (status != napi_ok) {  // runtimes that forbid external buffers: the caller falls back
    huge_free(*block);
    delete block;
    return result;
  }
  int64_t adjusted;
  napi_adjust_external_memory(env, static_cast<int64_t>(block->bytes), &adjusted);
  napi_create_typedarray(env, napi_float32_array, static_cast<size_t>(n), buffer, 0, &result);
  return result;
}

// packB(b, transB, k, n, out)
napi_value PackB(napi_env env, napi_callback_info info) {
  Args a(env, info, "packB");
  size_t nb, no;
  const float* b = a.f32(0, &nb);
  bool tb = a.flag(1);
  int64_t k = a.num(2), n = a.num(3);
  float* out = a.f32(4, &no);
  a.need(static_cast<int64_t>(nb) >= k * n, "b is smaller than k * n");
  a.need(static_cast<int64_t>(no) >= gemm_packed_b_size(k, n), "out is smaller than packedBSize(k, n)");
  if (!a.failed) gemm_pack_b(b, tb, k, n, out);
  return undefined(env);
}

// gemm(a, b, c, batch, m, n, k, aStride, bStride, transA, transB, bPacked|null, bias|null, act, alpha)
napi_value Gemm(napi_env env, napi_callback_info info) {
  Args a(env, info, "gemm");
  GemmArgs g;
  size_t na, nb, nc, np, nbias;
  g.a = a.f32(0, &na);
  g.b = a.f32(1, &nb);
  g.c = a.f32(2, &nc);
  g.batch = a.num(3);
  g.m = a.num(4);
  g.n = a.num(5);
  g.k = a.num(6);
  g.a_stride = a.num(7);
  g.b_stride = a.num(8);
  g.trans_a = a.flag(9);
  g.trans_b = a.flag(10);
  g.b_packed = a.f32(11, &np, true);
  g.bias = a.f32(12, &nbias, true);
  g.act = static_cast<int>(a.num(13));
  g.alpha = static_cast<float>(a.dbl(14));
  if (a.failed) return nullptr;
  const int64_t last = g.batch > 0 ? g.batch - 1 : 0;
  a.need(g.batch >= 0 && g.m >= 0 && g.n >= 0 && g.k >= 0, "negative size");
  a.need(static_cast<int64_t>(na) >= last * g.a_stride + g.m * g.k, "a is too small");
  a.need(static_cast<int64_t>(nb) >= last * g.b_stride + g.k * g.n, "b is too small");
  a.need(static_cast<int64_t>(nc) >= g.batch * g.m * g.n, "c is too small");
  a.need(g.b_packed == nullptr || (g.b_stride == 0 && static_cast<int64_t>(np) >= gemm_packed_b_size(g.k, g.n)),
         "bPacked needs a shared b and packedBSize(k, n) floats");
  a.need(g.bias == nullptr || static_cast<int64_t>(nbias) >= g.n, "bias is smaller than n");
  a.need(g.act >= kLinear && g.act <= kActGeluNew, "unknown activation");
  if (!a.failed) gemm(g);
  return undefined(env);
}

// unary(op, x, y, alpha)
napi_value Unary(napi_env env, napi_callback_info info) {
  Args a(env, info, "unary");
  int op = static_cast<int>(a.num(0));
  size_t nx, ny;
  const float* x = a.f32(1, &nx);
  float* y = a.f32(2, &ny);
  float alpha = static_cast<float>(a.dbl(3));
  a.need(op >= 0 && op < kUnaryCount, "unknown op");
  a.need(ny >= nx, "y is smaller than x");
  if (!a.failed) op_unary(op, x, y, static_cast<int64_t>(nx), alpha);
  return undefined(env);
}

// binary(op, a, aShape, b, bShape, y, yShape)
napi_value Binary(napi_env env, napi_callback_info info) {
  Args a(env, info, "binary");
  int op = static_cast<int>(a.num(0));
  size_t na, nb, ny;
  const float* pa = a.f32(1, &na);
  auto sa = a.shape(2);
  const float* pb = a.f32(3, &nb);
  auto sb = a.shape(4);
  float* py = a.f32(5, &ny);
  auto sy = a.shape(6);
  a.need(op >= 0 && op < kBinaryCount, "unknown op");
  if (a.failed) return nullptr;
  a.need(static_cast<int64_t>(na) >= product(sa) && static_cast<int64_t>(nb) >= product(sb) &&
             static_cast<int64_t>(ny) >= product(sy),
         "an array is smaller than its shape");
  if (a.failed) return nullptr;
  std::string err = op_binary(op, pa, sa, pb, sb, py, sy);
  if (!err.empty()) a.fail(err);
  return undefined(env);
}

// geluGrad(dy, x, dx, tanhForm)
napi_value GeluGrad(napi_env env, napi_callback_info info) {
  Args a(env, info, "geluGrad");
  size_t n1, n2, n3;
  const float* dy = a.f32(0, &n1);
  const float* x = a.f32(1, &n2);
  float* dx = a.f32(2, &n3);
  bool tanh_form = a.flag(3);
  a.need(n1 == n2 && n3 >= n2, "dy, x and dx must have the same length");
  if (!a.failed) op_gelu_grad(dy, x, dx, static_cast<int64_t>(n2), tanh_form ? 1 : 0);
  return undefined(env);
}

// softmax(x, y, cols) / softmaxGrad(dy, y, dx, cols)
napi_value Softmax(napi_env env, napi_callback_info info) {
  Args a(env, info, "softmax");
  size_t nx, ny;
  const float* x = a.f32(0, &nx);
  float* y = a.f32(1, &ny);
  int64_t cols = a.num(2);
  a.need(cols > 0 && nx % cols == 0 && ny >= nx, "bad sizes");
  if (!a.failed) op_softmax(x, y, static_cast<int64_t>(nx) / cols, cols);
  return undefined(env);
}

// maskedSoftmax(x, mask, y, cols, scale): y = softmax(x * scale + mask), mask rows shared by
// consecutive equal groups of x's rows (an attention mask [b, 1, 1, s] over scores [b, h, s, s]).
napi_value MaskedSoftmax(napi_env env, napi_callback_info info) {
  Args a(env, info, "maskedSoftmax");
  size_t nx, nm, ny;
  const float* x = a.f32(0, &nx);
  const float* mask = a.f32(1, &nm);
  float* y = a.f32(2, &ny);
  int64_t cols = a.num(3);
  float scale = static_cast<float>(a.dbl(4));
  a.need(cols > 0 && nx % cols == 0 && nm % cols == 0 && nm > 0 && ny >= nx, "bad sizes");
  const int64_t rows = cols > 0 ? static_cast<int64_t>(nx) / cols : 0;
  const int64_t groups = cols > 0 ? static_cast<int64_t>(nm) / cols : 1;
  a.need(groups > 0 && rows % groups == 0, "mask rows must divide the rows");
  if (!a.failed) op_softmax_masked(x, mask, groups, scale, y, rows, cols);
  return undefined(env);
}

napi_value SoftmaxGrad(napi_env env, napi_callback_info info) {
  Args a(env, info, "softmaxGrad");
  size_t n1, n2, n3;
  const float* dy = a.f32(0, &n1);
  const float* y = a.f32(1, &n2);
  float* dx = a.f32(2, &n3);
  int64_t cols = a.num(3);
  a.need(cols > 0 && n1 == n2 && n2 % cols == 0 && n3 >= n2, "bad sizes");
  if (!a.failed) op_softmax_grad(dy, y, dx, static_cast<int64_t>(n2) / cols, cols);
  return undefined(env);
}

// layerNorm(x, gamma, beta, y, cols, eps)
napi_value LayerNorm(napi_env env, napi_callback_info info) {
  Args a(env, info, "layerNorm");
  size_t nx, ng, nb, ny;
  const float* x = a.f32(0, &nx);
  const float* gamma = a.f32(1, &ng);
  const float* beta = a.f32(2, &nb);
  float* y = a.f32(3, &ny);
  int64_t cols = a.num(4);
  float eps = static_cast<float>(a.dbl(5));
  a.need(cols > 0 && nx % cols == 0 && ny >= nx && static_cast<int64_t>(ng) == cols && static_cast<int64_t>(nb) == cols,
         "bad sizes");
  if (!a.failed) op_layernorm(x, nullptr, gamma, beta, y, static_cast<int64_t>(nx) / cols, cols, eps);
  return undefined(env);
}

// addLayerNorm(x, residual, gamma, beta, y, cols, eps): y = layerNorm(x + residual)
napi_value AddLayerNorm(napi_env env, napi_callback_info info) {
  Args a(env, info, "addLayerNorm");
  size_t nx, nr, ng, nb, ny;
  const float* x = a.f32(0, &nx);
  const float* residual = a.f32(1, &nr);
  const float* gamma = a.f32(2, &ng);
  const float* beta = a.f32(3, &nb);
  float* y = a.f32(4, &ny);
  int64_t cols = a.num(5);
  float eps = static_cast<float>(a.dbl(6));
  a.need(cols > 0 && nx % cols == 0 && nr == nx && ny >= nx && static_cast<int64_t>(ng) == cols &&
             static_cast<int64_t>(nb) == cols,
         "bad sizes");
  if (!a.failed) op_layernorm(x, residual, gamma, beta, y, static_cast<int64_t>(nx) / cols, cols, eps);
  return undefined(env);
}

// layerNormGradX(dy, x, gamma, dx, cols, eps)
napi_value LayerNormGradX(napi_env env, napi_callback_info info) {
  Args a(env, info, "layerNormGradX");
  size_t n1, nx, ng, nd;
  const float* dy = a.f32(0, &n1);
  const float* x = a.f32(1, &nx);
  const float* gamma = a.f32(2, &ng);
  float* dx = a.f32(3, &nd);
  int64_t cols = a.num(4);
  float eps = static_cast<float>(a.dbl(5));
  a.need(cols > 0 && nx % cols == 0 && n1 == nx && nd >= nx && static_cast<int64_t>(ng) == cols, "bad sizes");
  if (!a.failed) op_layernorm_grad_x(dy, x, gamma, dx, static_cast<int64_t>(nx) / cols, cols, eps);
  return undefined(env);
}

// layerNormGradParams(dy, x, dgamma, dbeta, cols, eps)
napi_value LayerNormGradParams(napi_env env, napi_callback_info info) {
  Args a(env, info, "layerNormGradParams");
  size_t n1, nx, ng, nb;
  const float* dy = a.f32(0, &n1);
  const float* x = a.f32(1, &nx);
  float* dg = a.f32(2, &ng);
  float* db = a.f32(3, &nb);
  int64_t cols = a.num(4);
  float eps = static_cast<float>(a.dbl(5));
  a.need(cols > 0 && nx % cols == 0 && n1 == nx && static_cast<int64_t>(ng) == cols && static_cast<int64_t>(nb) == cols,
         "bad sizes");
  if (!a.failed) op_layernorm_grad_params(dy, x, dg, db, static_cast<int64_t>(nx) / cols, cols, eps);
  return undefined(env);
}

// reduce(op, x, y, outer, reduce, inner)
napi_value Reduce(napi_env env, napi_callback_info info) {
  Args a(env, info, "reduce");
  int op = static_cast<int>(a.num(0));
  size_t nx, ny;
  const float* x = a.f32(1, &nx);
  float* y = a.f32(2, &ny);
  int64_t outer = a.num(3), red = a.num(4), inner = a.num(5);
  a.need(op >= kSum && op <= kMinR, "unknown op");
  a.need(static_cast<int64_t>(nx) >= outer * red * inner && static_cast<int64_t>(ny) >= outer * inner && red > 0,
         "bad sizes");
  if (!a.failed) op_reduce(op, x, y, outer, red, inner);
  return undefined(env);
}

// transpose(x, y, shape, perm) — 4-byte elements
napi_value Transpose(napi_env env, napi_callback_info info) {
  Args a(env, info, "transpose");
  size_t nx, ny;
  const void* x = a.array(0, &nx, false);
  void* y = a.array(1, &ny, false);
  auto shape = a.shape(2);
  auto perm = a.shape(3);
  if (a.failed) return nullptr;
  a.need(!shape.empty() && shape.size() == perm.size() && static_cast<int64_t>(nx) == product(shape) && ny >= nx,
         "bad sizes");
  std::vector<bool> seen(shape.size(), false);
  for (int64_t p : perm) {
    if (p >= static_cast<int64_t>(shape.size()) || seen[p]) {
      a.fail("perm is not a permutation");
      break;
    }
    seen[p] = true;
  }
  if (!a.failed) op_transpose(static_cast<const uint32_t*>(x), static_cast<uint32_t*>(y), shape, perm);
  return undefined(env);
}

// slice(x, y, shape, begin, size) — 4-byte elements
napi_value Slice(napi_env env, napi_callback_info info) {
  Args a(env, info, "slice");
  size_t nx, ny;
  const void* x = a.array(0, &nx, false);
  void* y = a.array(1, &ny, false);
  auto shape = a.shape(2);
  auto begin = a.shape(3);
  auto size = a.shape(4);
  if (a.failed) return nullptr;
  a.need(!shape.empty() && begin.size() == shape.size() && size.size() == shape.size() &&
             static_cast<int64_t>(nx) == product(shape) && static_cast<int64_t>(ny) >= product(size),
         "bad sizes");
  for (size_t d = 0; d < shape.size() && !a.failed; d++)
    a.need(begin[d] + size[d] <= shape[d], "slice out of bounds");
  if (!a.failed) op_slice(static_cast<const uint32_t*>(x), static_cast<uint32_t*>(y), shape, begin, size);
  return undefined(env);
}

// gather(params, indices, out, outer, axisDim, inner) — 4-byte elements
napi_value Gather(napi_env env, napi_callback_info info) {
  Args a(env, info, "gather");
  size_t np, ni, no;
  const void* params = a.array(0, &np, false);
  const int32_t* idx = a.i32(1, &ni);
  void* out = a.array(2, &no, false);
  int64_t outer = a.num(3), axis_dim = a.num(4), inner = a.num(5);
  a.need(static_cast<int64_t>(np) >= outer * axis_dim * inner && static_cast<int64_t>(no) >= outer * static_cast<int64_t>(ni) * inner,
         "bad sizes");
  if (a.failed) return nullptr;
  std::string err = op_gather(static_cast<const uint32_t*>(params), idx, static_cast<int64_t>(ni),
                              static_cast<uint32_t*>(out), outer, axis_dim, inner);
  if (!err.empty()) a.fail(err);
  return undefined(env);
}

// dropout(x, y, rate, seedLo, seedHi): inverted dropout with a counter-based mask keyed by the
// 64-bit seed seedHi * 2^32 + seedLo (see ops.h)
napi_value Dropout(napi_env env, napi_callback_info info) {
  Args a(env, info, "dropout");
  size_t nx, ny;
  const float* x = a.f32(0, &nx);
  float* y = a.f32(1, &ny);
  double rate = a.dbl(2);
  double lo = a.dbl(3), hi = a.dbl(4);
  a.need(ny >= nx, "y is smaller than x");
  a.need(rate >= 0 && rate < 1, "rate must be in [0, 1)");
  a.need(lo >= 0 && lo < 4294967296.0 && hi >= 0 && hi < 4294967296.0 && lo == static_cast<double>(static_cast<uint32_t>(lo)) &&
             hi == static_cast<double>(static_cast<uint32_t>(hi)),
         "seedLo and seedHi must be 32-bit unsigned integers");
  if (!a.failed)
    op_dropout(x, y, static_cast<int64_t>(nx), static_cast<float>(rate), static_cast<float>(1.0 / (1.0 - rate)),
               (static_cast<uint64_t>(hi) << 32) | static_cast<uint64_t>(lo));
  return undefined(env);
}

// segmentSum(data, ids, out, inner, segments)
napi_value SegmentSum(napi_env env, napi_callback_info info) {
  Args a(env, info, "segmentSum");
  size_t nd, ni, no;
  const float* data = a.f32(0, &nd);
  const int32_t* ids = a.i32(1, &ni);
  float* out = a.f32(2, &no);
  int64_t inner = a.num(3), segments = a.num(4);
  a.need(inner > 0 && static_cast<int64_t>(nd) == static_cast<int64_t>(ni) * inner &&
             static_cast<int64_t>(no) >= segments * inner,
         "bad sizes");
  if (!a.failed) op_segment_sum(data, ids, static_cast<int64_t>(ni), inner, out, segments);
  return undefined(env);
}

// packedQkvSize(hidden) -> floats; packQkv(wq, wk, wv, hidden, out): [Wq | Wk | Wv] packed as one B
napi_value PackedQkvSize(napi_env env, napi_callback_info info) {
  Args a(env, info, "packedQkvSize");
  int64_t hidden = a.num(0);
  napi_value v;
  napi_create_double(env, static_cast<double>(attention_packed_qkv_size(hidden)), &v);
  return v;
}

napi_value PackQkv(napi_env env, napi_callback_info info) {
  Args a(env, info, "packQkv");
  size_t nq, nk, nv, no;
  const float* wq = a.f32(0, &nq);
  const float* wk = a.f32(1, &nk);
  const float* wv = a.f32(2, &nv);
  int64_t hidden = a.num(3);
  float* out = a.f32(4, &no);
  const size_t hh = static_cast<size_t>(hidden * hidden);
  a.need(hidden > 0 && nq == hh && nk == hh && nv == hh, "weights must be [hidden, hidden]");
  a.need(static_cast<int64_t>(no) >= attention_packed_qkv_size(hidden), "out is smaller than packedQkvSize(hidden)");
  if (!a.failed) attention_pack_qkv(wq, wk, wv, hidden, out);
  return undefined(env);
}

// selfAttention(x, qkvPacked, bq, bk, bv, mask, out, batch, seq, hidden, heads, scale)
napi_value SelfAttention(napi_env env, napi_callback_info info) {
  Args a(env, info, "selfAttention");
  AttentionArgs g;
  size_t nx, np, nbq, nbk, nbv, nm, no;
  g.x = a.f32(0, &nx);
  g.qkv_packed = a.f32(1, &np);
  g.bq = a.f32(2, &nbq);
  g.bk = a.f32(3, &nbk);
  g.bv = a.f32(4, &nbv);
  g.mask = a.f32(5, &nm);
  g.out = a.f32(6, &no);
  g.batch = a.num(7);
  g.seq = a.num(8);
  g.hidden = a.num(9);
  g.heads = a.num(10);
  g.scale = static_cast<float>(a.dbl(11));
  if (a.failed) return nullptr;
  const int64_t tokens = g.batch * g.seq * g.hidden;
  a.need(g.batch >= 0 && g.seq >= 0 && g.hidden > 0 && g.heads > 0 && g.hidden % g.heads == 0,
         "hidden must be a positive multiple of heads");
  a.need(static_cast<int64_t>(nx) == tokens && static_cast<int64_t>(no) >= tokens, "x and out must be [batch, seq, hidden]");
  a.need(static_cast<int64_t>(np) >= attention_packed_qkv_size(g.hidden), "qkvPacked is smaller than packedQkvSize(hidden)");
  a.need(static_cast<int64_t>(nbq) == g.hidden && static_cast<int64_t>(nbk) == g.hidden && static_cast<int64_t>(nbv) == g.hidden,
         "biases must have hidden values");
  a.need(static_cast<int64_t>(nm) == g.batch * g.seq, "mask must be [batch, seq]");
  if (!a.failed) self_attention(g);
  return undefined(env);
}

// adamUpdate(param, grad, m, v, paramOut, mOut, vOut, normsOut|null, beta1, beta2, epsilon, vScale,
// decayInUpdate, preScale, stepSize, postScale): one Adam-family step (optim.h); with normsOut
// (3 floats) LAMB's trust ratio, and [|w|, |u|, ratio] written there.
napi_value AdamUpdate(napi_env env, napi_callback_info info) {
  Args a(env, info, "adamUpdate");
  AdamArgs g;
  size_t nw, ng, nm, nv, nwo, nmo, nvo, nn;
  g.param = a.f32(0, &nw);
  g.grad = a.f32(1, &ng);
  g.m = a.f32(2, &nm);
  g.v = a.f32(3, &nv);
  g.param_out = a.f32(4, &nwo);
  g.m_out = a.f32(5, &nmo);
  g.v_out = a.f32(6, &nvo);
  float* norms = a.f32(7, &nn, true);
  const double beta1 = a.dbl(8), beta2 = a.dbl(9);
  g.beta1 = static_cast<float>(beta1);
  g.one_minus_beta1 = static_cast<float>(1.0 - beta1);
  g.beta2 = static_cast<float>(beta2);
  g.one_minus_beta2 = static_cast<float>(1.0 - beta2);
  g.epsilon = static_cast<float>(a.dbl(10));
  g.v_scale = static_cast<float>(a.dbl(11));
  g.decay_in_update = static_cast<float>(a.dbl(12));
  g.pre_scale = static_cast<float>(a.dbl(13));
  g.step_size = static_cast<float>(a.dbl(14));
  g.post_scale = static_cast<float>(a.dbl(15));
  if (a.failed) return nullptr;
  g.n = static_cast<int64_t>(nw);
  a.need(ng == nw && nm == nw && nv == nw && nwo == nw && nmo == nw && nvo == nw,
         "param, grad, m, v and the three outputs must have the same length");
  a.need(norms == nullptr || nn >= 3, "normsOut must hold 3 floats");
  a.need(g.n == 0 || (g.param_out != g.param && g.m_out != g.m && g.v_out != g.v), "outputs must not alias the inputs");
  if (a.failed) return nullptr;
  const AdamNorms r = adam_update(g, norms != nullptr);
  if (norms != nullptr) {
    norms[0] = static_cast<float>(r.w_norm);
    norms[1] = static_cast<float>(r.u_norm);
    norms[2] = static_cast<float>(r.ratio);
  }
  return undefined(env);
}


// The path argument of the low-precision entry points: "" for the active one, else a name the
// CPU supports.
bool lowp_path_arg(Args& a, size_t i, bool q8, LowpPath* out) {
  const std::string name = a.str(i);
  if (a.failed) return false;
  if (name.empty()) {
    *out = q8 ? q8_path() : bf16_path();
    return true;
  }
  if (!lowp_path_from_name(name.c_str(), out)) {
    a.fail("unknown path '" + name + "' (scalar, avx2 or avx512)");
    return false;
  }
  if (!(q8 ? q8_path_supported(*out) : bf16_path_supported(*out))) {
    a.fail("this CPU cannot run the " + name + (q8 ? " q8" : " bf16") + " path");
    return false;
  }
  return true;
}

// q8Linear(x, weight, scale, colsum, bias|null, y, m, k, n, act, path?): y = act(x · W + bias)
// with W packed int8 (lowp.h). weight: Int32Array of ceil(n/16) * ceil(k/4) * 16 (4 int8 each).
napi_value Q8Linear(napi_env env, napi_callback_info info) {
  Args a(env, info, "q8Linear");
  LowpLinearArgs g;
  size_t nx, nw, ns, nc, nb, ny;
  g.x = a.f32(0, &nx);
  const void* w = a.array(1, &nw, false);
  g.scale = a.f32(2, &ns);
  g.colsum = static_cast<const int32_t*>(a.array(3, &nc, false));
  g.bias = a.f32(4, &nb, true);
  g.y = a.f32(5, &ny);
  g.m = a.num(6);
  g.k = a.num(7);
  g.n = a.num(8);
  g.act = static_cast<int>(a.num(9));
  LowpPath path;
  if (a.failed || !lowp_path_arg(a, 10, true, &path)) return nullptr;
  g.weight = w;
  const int64_t strips = (g.n + 15) / 16, kg = (g.k + 3) / 4;
  a.need(g.m >= 0 && g.k > 0 && g.n > 0, "bad sizes");
  a.need(static_cast<int64_t>(nx) >= g.m * g.k && static_cast<int64_t>(ny) >= g.m * g.n, "x or y is too small");
  a.need(static_cast<int64_t>(nw) == strips * kg * 16, "weight must hold ceil(n/16) * ceil(k/4) * 16 words");
  a.need(static_cast<int64_t>(ns) >= strips * 16 && static_cast<int64_t>(nc) >= strips * 16,
         "scale and colsum must hold n values, padded to a multiple of 16");
  a.need(g.bias == nullptr || static_cast<int64_t>(nb) >= g.n, "bias is smaller than n");
  a.need(g.act >= kLinear && g.act <= kActGeluNew, "unknown activation");
  if (!a.failed) q8_linear(g, path);
  return undefined(env);
}

// bf16Linear(x, weight, bias|null, y, m, k, n, act, path?): weight Int32Array of
// ceil(n/16) * ceil(k/2) * 16 (two bf16 each).
napi_value Bf16Linear(napi_env env, napi_callback_info info) {
  Args a(env, info, "bf16Linear");
  LowpLinearArgs g;
  size_t nx, nw, nb, ny;
  g.x = a.f32(0, &nx);
  const void* w = a.array(1, &nw, false);
  g.bias = a.f32(2, &nb, true);
  g.y = a.f32(3, &ny);
  g.m = a.num(4);
  g.k = a.num(5);
  g.n = a.num(6);
  g.act = static_cast<int>(a.num(7));
  LowpPath path;
  if (a.failed || !lowp_path_arg(a, 8, false, &path)) return nullptr;
  g.weight = w;
  const int64_t strips = (g.n + 15) / 16, kp = (g.k + 1) / 2;
  a.need(g.m >= 0 && g.k > 0 && g.n > 0, "bad sizes");
  a.need(static_cast<int64_t>(nx) >= g.m * g.k && static_cast<int64_t>(ny) >= g.m * g.n, "x or y is too small");
  a.need(static_cast<int64_t>(nw) == strips * kp * 16, "weight must hold ceil(n/16) * ceil(k/2) * 16 words");
  a.need(g.bias == nullptr || static_cast<int64_t>(nb) >= g.n, "bias is smaller than n");
  a.need(g.act >= kLinear && g.act <= kActGeluNew, "unknown activation");
  if (!a.failed) bf16_linear(g, path);
  return undefined(env);
}

// selfAttentionLowp(kind, x, weight, scale|null, colsum|null, bias, mask, out, batch, seq, hidden,
// heads, scale, path?): AlbertSelfAttention with the [H, 3H] projection in q8 (kind 1) or bf16 (2).
napi_value SelfAttentionLowp(napi_env env, napi_callback_info info) {
  Args a(env, info, "selfAttentionLowp");
  AttentionArgs g;
  size_t nx, nw, ns, nc, nb, nm, no;
  g.lowp = static_cast<int>(a.num(0));
  g.x = a.f32(1, &nx);
  g.lowp_weight = a.array(2, &nw, false);
  g.lowp_scale = a.f32(3, &ns, true);
  g.lowp_colsum = static_cast<const int32_t*>(a.array(4, &nc, false, true));
  g.lowp_bias = a.f32(5, &nb);
  g.mask = a.f32(6, &nm);
  g.out = a.f32(7, &no);
  g.batch = a.num(8);
  g.seq = a.num(9);
  g.hidden = a.num(10);
  g.heads = a.num(11);
  g.scale = static_cast<float>(a.dbl(12));
  a.need(g.lowp == 1 || g.lowp == 2, "kind must be 1 (q8) or 2 (bf16)");
  if (a.failed || !lowp_path_arg(a, 13, g.lowp == 1, &g.lowp_path)) return nullptr;
  const int64_t tokens = g.batch * g.seq * g.hidden, n3 = 3 * g.hidden, strips = (n3 + 15) / 16;
  a.need(g.batch >= 0 && g.seq >= 0 && g.hidden > 0 && g.heads > 0 && g.hidden % g.heads == 0,
         "hidden must be a positive multiple of heads");
  a.need(static_cast<int64_t>(nx) == tokens && static_cast<int64_t>(no) >= tokens, "x and out must be [batch, seq, hidden]");
  const int64_t groups = g.lowp == 1 ? (g.hidden + 3) / 4 : (g.hidden + 1) / 2;
  a.need(static_cast<int64_t>(nw) == strips * groups * 16, "weight is not a packed [hidden, 3 hidden] weight");
  a.need(g.lowp == 2 || (g.lowp_scale != nullptr && g.lowp_colsum != nullptr && static_cast<int64_t>(ns) >= strips * 16 &&
                         static_cast<int64_t>(nc) >= strips * 16),
         "q8 needs scale and colsum of 3 hidden values, padded to a multiple of 16");
  a.need(static_cast<int64_t>(nb) == n3, "bias must have 3 hidden values");
  a.need(static_cast<int64_t>(nm) == g.batch * g.seq, "mask must be [batch, seq]");
  if (!a.failed) self_attention(g);
  return undefined(env);
}

napi_value Init(napi_env env, napi_value exports) {
  const napi_property_descriptor props[] = {
      {"info", nullptr, Info, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"cpuGhz", nullptr, CpuGhz, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"peakOps", nullptr, PeakOps, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setThreads", nullptr, SetThreads, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setThreadLimit", nullptr, SetThreadLimit, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setDealing", nullptr, SetDealing, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"poolTrace", nullptr, PoolTrace, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"packedBSize", nullptr, PackedBSize, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"hugeF32", nullptr, HugeF32, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"packB", nullptr, PackB, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"gemm", nullptr, Gemm, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"unary", nullptr, Unary, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"binary", nullptr, Binary, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"geluGrad", nullptr, GeluGrad, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"softmax", nullptr, Softmax, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"softmaxGrad", nullptr, SoftmaxGrad, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"maskedSoftmax", nullptr, MaskedSoftmax, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"layerNorm", nullptr, LayerNorm, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"addLayerNorm", nullptr, AddLayerNorm, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"layerNormGradX", nullptr, LayerNormGradX, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"layerNormGradParams", nullptr, LayerNormGradParams, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"reduce", nullptr, Reduce, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"transpose", nullptr, Transpose, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"slice", nullptr, Slice, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"gather", nullptr, Gather, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"segmentSum", nullptr, SegmentSum, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"dropout", nullptr, Dropout, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"packedQkvSize", nullptr, PackedQkvSize, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"packQkv", nullptr, PackQkv, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"selfAttention", nullptr, SelfAttention, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"q8Linear", nullptr, Q8Linear, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"bf16Linear", nullptr, Bf16Linear, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"selfAttentionLowp", nullptr, SelfAttentionLowp, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"adamUpdate", nullptr, AdamUpdate, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
