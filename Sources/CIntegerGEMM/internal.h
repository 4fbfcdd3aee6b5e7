#ifndef QUANT_CQUANTKERNELS_INTERNAL_H
#define QUANT_CQUANTKERNELS_INTERNAL_H
/* Shared by the ISA paths; not part of the module's interface. */
#include "CIntegerGEMM.h"
#include <string.h>

/* The x86-64 paths are compiled only for x86-64. Defining IGEMM_PORTABLE_ONLY
 * builds what a non-x86 machine gets (used to check that build on x86). */
#if defined(__x86_64__) && !defined(IGEMM_PORTABLE_ONLY)
#define IGEMM_X86 1
#else
#define IGEMM_X86 0
#endif

/* Where a kernel writes its results: int32 (acc != NULL) or rescaled float. */
typedef struct igemm_output {
    int32_t zero_point;
    const int32_t *col_sums;
    int32_t *acc;
    ptrdiff_t ldacc;
    float x_scale;
    const float *w_scales;
    const float *bias;
    float *y;
    ptrdiff_t ldy;
} igemm_output;

/* One unaligned little-endian 32-bit load. */
static inline uint32_t igemm_load_u32(const uint8_t *p) {
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline ptrdiff_t igemm_div_up(ptrdiff_t a, ptrdiff_t b) { return (a + b - 1) / b; }

void igemm_portable_gemm(ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, const uint8_t *x, ptrdiff_t ldx,
                      const int8_t *w, const igemm_output *out);
void igemm_portable_min_max(const float *x, size_t count, float *min, float *max);
void igemm_portable_quantize_u8(const float *x, size_t count, float inv_scale, int32_t zero_point,
                             uint8_t *codes);

#if IGEMM_X86
/* AVX2: panels of 8 output columns; k in steps of 8 stored as int16 pairs. */
enum { IGEMM_AVX2_PANEL = 8, IGEMM_AVX2_KSTEP = 8 };
size_t igemm_avx2_packed_size(ptrdiff_t n, ptrdiff_t k);
void igemm_avx2_pack(const int8_t *w, ptrdiff_t n, ptrdiff_t k, int16_t *packed);
void igemm_avx2_gemm(ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, const uint8_t *x, ptrdiff_t ldx,
                  const int16_t *packed, const igemm_output *out);

/* AVX-512 VNNI: panels of 16 output columns; k in groups of 4 bytes. */
enum { IGEMM_VNNI_PANEL = 16, IGEMM_VNNI_KSTEP = 4 };
size_t igemm_vnni_packed_size(ptrdiff_t n, ptrdiff_t k);
void igemm_vnni_pack(const int8_t *w, ptrdiff_t n, ptrdiff_t k, int8_t *packed);
void igemm_vnni_gemm(ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, const uint8_t *x, ptrdiff_t ldx,
                  const int8_t *packed, const igemm_output *out);
void igemm_avx512_min_max(const float *x, size_t count, float *min, float *max);
void igemm_avx512_quantize_u8(const float *x, size_t count, float inv_scale, int32_t zero_point,
                           uint8_t *codes);
#endif

#endif
