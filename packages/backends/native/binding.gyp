{
  "targets": [
    {
      "target_name": "albert_native",
      "sources": [
        "src/addon.cc",
        "src/attention.cc",
        "src/clock.cc",
        "src/dispatch.cc",
        "src/gemm.cc",
        "src/huge.cc",
        "src/isa.cc",
        "src/kernels_avx2.cc",
        "src/kernels_avx512.cc",
        "src/kernels_baseline.cc",
        "src/lowp.cc",
        "src/lowp_kernels_avx2.cc",
        "src/lowp_kernels_avx512.cc",
        "src/lowp_kernels_scalar.cc",
        "src/ops.cc",
        "src/optim.cc",
        "src/optim_kernels_avx2.cc",
        "src/optim_kernels_avx512.cc",
        "src/optim_kernels_baseline.cc",
        "src/peak.cc",
        "src/peak_loops.cc",
        "src/pool.cc",
        "src/pool_trace.cc"
      ],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++17"],
      "cflags_cc": [
        "-std=c++17",
        "-O3",
        "-fno-math-errno",
        "-fno-trapping-math",
        "-ffp-contract=fast",
        "-fopenmp-simd",
        "-fvisibility=hidden",
        "-pthread"
      ],
      "ldflags": ["-pthread"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
