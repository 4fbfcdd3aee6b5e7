/* Run-time choice of the ISA path, and the public entry points. */
#include "internal.h"

#if IGEMM_X86
static int has_avx512_vnni(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
        && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vnni");
}
static int has_avx2(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2");
}
#endif

int igemm_isa_supported(igemm_isa isa) {
    switch (isa) {
    case IGEMM_ISA_PORTABLE: return 1;
#if IGEMM_X86
    case IGEMM_ISA_AVX2: return has_avx2();
    case IGEMM_ISA_AVX512_VNNI: return has_avx512_vnni();
#endif
    default: return 0;
    }
}

size_t igemm_packed_size(igemm_isa isa, ptrdiff_t n, ptrdiff_t k) {
    switch (isa) {
#if IGEMM_X86
    case IGEMM_ISA_AVX2: return igemm_avx2_packed_size(n, k);
    case IGEMM_ISA_AVX512_VNNI: return igemm_vnni_packed_size(n, k);
#endif
    default: return (size_t)(n * k);
    }
}

void igemm_pack(igemm_isa isa, const int8_t *w, ptrdiff_t n, ptrdiff_t k, void *packed) {
    switch (isa) {
#if IGEMM_X86
    case IGEMM_ISA_AVX2: igemm_avx2_pack(w, n, k, (int16_t *)packed); return;
    case IGEMM_ISA_AVX512_VNNI: igemm_vnni_pack(w, n, k, (int8_t *)packed); return;
#endif
    default: if (n * k > 0) memcpy(packed, w, (size_t)(n * k)); return;
    }
}

static void gemm(igemm_isa isa, ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, const uint8_t *x, ptrdiff_t ldx,
                 const void *packed, const igemm_output *out) {
    if (m <= 0 || n <= 0) return;
    if (k <= 0) isa = IGEMM_ISA_PORTABLE;   /* nothing to multiply; x and packed may be NULL */
    switch (isa) {
#if IGEMM_X86
    case IGEMM_ISA_AVX2:
        (out->mode == IGEMM_OUTPUT_U8 ? igemm_avx2_gemm_u8 : igemm_avx2_gemm)(m, n, k, x, ldx,
                                                                             (const int16_t *)packed, out);
        return;
    case IGEMM_ISA_AVX512_VNNI:
        (out->mode == IGEMM_OUTPUT_U8 ? igemm_vnni_gemm_u8 : igemm_vnni_gemm)(m, n, k, x, ldx,
                                                                             (const int8_t *)packed, out);
        return;
#endif
    default: igemm_portable_gemm(m, n, k, x, ldx, (const int8_t *)packed, out); return;
    }
}

void igemm_gemm_s32(igemm_isa isa, ptrdiff_t m, ptrdiff_t n, ptrdiff_t k,
                 const uint8_t *x, ptrdiff_t ldx, int32_t zero_point,
                 const void *packed, const int32_t *col_sums,
                 int32_t *acc, ptrdiff_t ldacc) {
    const igemm_output out = {
        .mode = IGEMM_OUTPUT_S32, .zero_point = zero_point, .col_sums = col_sums, .acc = acc, .ldacc = ldacc,
    };
    gemm(isa, m, n, k, x, ldx, packed, &out);
}

static void gemm_f32(igemm_isa isa, ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, const uint8_t *x, ptrdiff_t ldx,
                     int32_t zero_point, const void *packed, const int32_t *col_sums, float x_scale,
                     const float *w_scales, const float *bias, float *y, ptrdiff_t ldy, int relu) {
    const igemm_output out = {
        .mode = IGEMM_OUTPUT_F32, .zero_point = zero_point, .col_sums = col_sums,
        .x_scale = x_scale, .w_scales = w_scales, .bias = bias, .y = y, .ldy = ldy, .relu = relu,
    };
    gemm(isa, m, n, k, x, ldx, packed, &out);
}

void igemm_gemm_f32(igemm_isa isa, ptrdiff_t m, ptrdiff_t n, ptrdiff_t k,
                 const uint8_t *x, ptrdiff_t ldx, int32_t zero_point,
                 const void *packed, const int32_t *col_sums,
                 float x_scale, const float *w_scales, const float *bias,
                 float *y, ptrdiff_t ldy) {
    gemm_f32(isa, m, n, k, x, ldx, zero_point, packed, col_sums, x_scale, w_scales, bias, y, ldy, 0);
}

void igemm_gemm_f32_relu(igemm_isa isa, ptrdiff_t m, ptrdiff_t n, ptrdiff_t k,
                         const uint8_t *x, ptrdiff_t ldx, int32_t zero_point,
                         const void *packed, const int32_t *col_sums,
                         float x_scale, const float *w_scales, const float *bias,
                         float *y, ptrdiff_t ldy) {
    gemm_f32(isa, m, n, k, x, ldx, zero_point, packed, col_sums, x_scale, w_scales, bias, y, ldy, 1);
}

void igemm_gemm_u8(igemm_isa isa, ptrdiff_t m, ptrdiff_t n, ptrdiff_t k,
                   const uint8_t *x, ptrdiff_t ldx, int32_t x_zero_point,
                   const void *packed, const int32_t *col_sums,
                   const int32_t *bias, const int32_t *multiplier, const int32_t *shift,
                   int32_t y_zero_point, uint8_t y_min, uint8_t y_max,
                   uint8_t *y, ptrdiff_t ldy) {
    /* The clamp bounds relative to the zero-point (−255...255), so that the
     * kernels add the zero-point last, to a value already in range. */
    const igemm_output out = {
        .mode = IGEMM_OUTPUT_U8, .zero_point = x_zero_point, .col_sums = col_sums, .ldy = ldy,
        .bias_s32 = bias, .multiplier = multiplier, .shift = shift, .y_zero_point = y_zero_point,
        .y_low = (int32_t)y_min - y_zero_point, .y_high = (int32_t)y_max - y_zero_point, .y_u8 = y,
    };
    gemm(isa, m, n, k, x, ldx, packed, &out);
}

void igemm_min_max(const float *x, size_t count, float *min, float *max) {
#if IGEMM_X86
    if (igemm_isa_supported(IGEMM_ISA_AVX512_VNNI)) { igemm_avx512_min_max(x, count, min, max); return; }
#endif
    igemm_portable_min_max(x, count, min, max);
}

void igemm_quantize_u8(const float *x, size_t count, float inv_scale, int32_t zero_point,
                    uint8_t *codes) {
#if IGEMM_X86
    if (igemm_isa_supported(IGEMM_ISA_AVX512_VNNI)) {
        igemm_avx512_quantize_u8(x, count, inv_scale, zero_point, codes);
        return;
    }
#endif
    igemm_portable_quantize_u8(x, count, inv_scale, zero_point, codes);
}
