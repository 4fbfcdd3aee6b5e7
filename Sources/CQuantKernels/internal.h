#ifndef QUANT_CQUANTKERNELS_INTERNAL_H
#define QUANT_CQUANTKERNELS_INTERNAL_H
/* Shared by the ISA paths; not part of the module's interface. */
#include "CQuantKernels.h"
#include <string.h>

/* The x86-64 paths are compiled only for x86-64. Defining QK_PORTABLE_ONLY
 * builds what a non-x86 machine gets (used to check that build on x86). */
#if defined(__x86_64__) && !defined(QK_PORTABLE_ONLY)
#define QK_X86 1
#else
#define QK_X86 0
#endif

/* Where a kernel writes its results: int32 (acc != NULL) or rescaled float. */
typedef struct qk_output {
    int32_t zero_point;
    const int32_t *col_sums;
    int32_t *acc;
    ptrdiff_t ldacc;
    float x_scale;
    const float *w_scales;
    const float *bias;
    float *y;
    ptrdiff_t ldy;
} qk_output;

/* One unaligned little-endian 32-bit load. */
static inline uint32_t qk_load_u32(const uint8_t *p) {
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline ptrdiff_t qk_div_up(ptrdiff_t a, ptrdiff_t b) { return (a + b - 1) / b; }

void qk_portable_gemm(ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, const uint8_t *x, ptrdiff_t ldx,
                      const int8_t *w, const qk_output *out);
void qk_portable_min_max(const float *x, size_t count, float *min, float *max);
void qk_portable_quantize_u8(const float *x, size_t count, float inv_scale, int32_t zero_point,
                             uint8_t *codes);

#if QK_X86
/* AVX2: panels of 8 output columns; k in steps of 8 stored as int16 pairs. */
enum { QK_AVX2_PANEL = 8, QK_AVX2_KSTEP = 8 };
size_t qk_avx2_packed_size(ptrdiff_t n, ptrdiff_t k);
void qk_avx2_pack(const int8_t *w, ptrdiff_t n, ptrdiff_t k, int16_t *packed);
void qk_avx2_gemm(ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, const uint8_t *x, ptrdiff_t ldx,
                  const int16_t *packed, const qk_output *out);

/* AVX-512 VNNI: panels of 16 output columns; k in groups of 4 bytes. */
enum { QK_VNNI_PANEL = 16, QK_VNNI_KSTEP = 4 };
size_t qk_vnni_packed_size(ptrdiff_t n, ptrdiff_t k);
void qk_vnni_pack(const int8_t *w, ptrdiff_t n, ptrdiff_t k, int8_t *packed);
void qk_vnni_gemm(ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, const uint8_t *x, ptrdiff_t ldx,
                  const int8_t *packed, const qk_output *out);
void qk_avx512_min_max(const float *x, size_t count, float *min, float *max);
void qk_avx512_quantize_u8(const float *x, size_t count, float inv_scale, int32_t zero_point,
                           uint8_t *codes);
#endif

#endif
