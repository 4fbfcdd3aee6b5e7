/* The int8 multiply–add peak of one core, measured rather than computed
 * from a data sheet: the GEMM benchmarks report their GOP/s against it.
 *
 * Twelve independent chains of vpdpbusd on zmm registers: more chains than
 * the instruction's latency times its issue rate on the CPUs we know (5 × 2
 * on Intel, 4 × 1 zmm on AMD Zen 4, which splits a zmm operation in two
 * 256-bit halves), so the loop is bound by issue rate alone, and nothing but
 * the multiply–adds themselves (no loads, no stores) is in it. */
#include "internal.h"

#if IGEMM_X86
#include <immintrin.h>

enum { CHAINS = 12 };

/* Keeps the chains' results alive past the compiler. */
static volatile int32_t igemm_peak_sink;

__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))
static uint64_t vnni_peak(uint64_t iterations) {
    __m512i acc[CHAINS];
    for (int c = 0; c < CHAINS; c++) acc[c] = _mm512_set1_epi32(c);
    const __m512i a = _mm512_set1_epi8(3), b = _mm512_set1_epi8(-5);
    for (uint64_t i = 0; i < iterations; i++)
        for (int c = 0; c < CHAINS; c++) acc[c] = _mm512_dpbusd_epi32(acc[c], a, b);
    __m512i sum = acc[0];
    for (int c = 1; c < CHAINS; c++) sum = _mm512_add_epi32(sum, acc[c]);
    igemm_peak_sink = _mm512_reduce_add_epi32(sum);
    return iterations * CHAINS * 64;
}
#endif

uint64_t igemm_vnni_peak(uint64_t iterations) {
#if IGEMM_X86
    if (igemm_isa_supported(IGEMM_ISA_AVX512_VNNI)) return vnni_peak(iterations);
#endif
    (void)iterations;
    return 0;
}
