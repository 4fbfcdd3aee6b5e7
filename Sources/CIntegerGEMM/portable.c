/* The portable path: plain C on row-major weights, for any CPU. */
#include "internal.h"
#include <math.h>

/* Float results must not depend on whether the compiler fuses a·b + c. */
#pragma clang fp contract(off)

/* gemmlowp's SaturatingRoundingDoublingHighMul: the high 32 bits of 2·a·b,
 * rounded (see igemm_multiply_by_quantized_multiplier). |a·b| ≤ 2⁶², so
 * a·b + nudge fits int64; the quotient fits int32 except for a = b = INT32_MIN
 * (2⁶² / 2³¹ = 2³¹), which saturates. C's `/` truncates toward zero. */
static inline int32_t srdhm(int32_t a, int32_t b) {
    if (a == INT32_MIN && b == INT32_MIN) return INT32_MAX;
    const int64_t ab = (int64_t)a * (int64_t)b;
    const int64_t nudge = ab >= 0 ? (INT64_C(1) << 30) : 1 - (INT64_C(1) << 30);
    return (int32_t)((ab + nudge) / (INT64_C(1) << 31));
}

/* x / 2^exponent rounded to nearest, ties away from zero, for 0 ≤ exponent ≤ 31.
 * The mask is built in unsigned arithmetic (2³¹ − 1 at exponent 31); `>>` of a
 * negative int32 is arithmetic (clang, gcc). (x >> exponent) + 1 cannot
 * overflow: the + 1 needs a nonzero remainder, so exponent ≥ 1. */
static inline int32_t rounding_divide_by_pot(int32_t x, int32_t exponent) {
    const int32_t mask = (int32_t)((UINT32_C(1) << exponent) - 1u);
    const int32_t remainder = x & mask;
    const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/* x · 2^shift clamped to int32, for 0 ≤ shift ≤ 30 (exact in int64). */
static inline int32_t saturating_shift_left(int32_t x, int32_t shift) {
    const int64_t v = (int64_t)x * (INT64_C(1) << shift);
    return v > INT32_MAX ? INT32_MAX : v < INT32_MIN ? INT32_MIN : (int32_t)v;
}

/* TFLite's MultiplyByQuantizedMultiplier, see the public header. */
int32_t igemm_multiply_by_quantized_multiplier(int32_t x, int32_t multiplier, int32_t shift) {
    const int32_t left = shift > 0 ? shift : 0, right = shift > 0 ? 0 : -shift;
    return rounding_divide_by_pot(srdhm(saturating_shift_left(x, left), multiplier), right);
}

/* One requantized output code: y_zero_point + clamp(MBQM(acc + bias), y_low, y_high).
 * acc + bias cannot overflow under igemm_gemm_u8's promise on the bias, and
 * the clamp keeps the final sum in y_min...y_max ⊂ 0...255. */
static inline uint8_t requantize(int32_t acc, ptrdiff_t j, const igemm_output *out) {
    const int32_t a = out->bias_s32 ? acc + out->bias_s32[j] : acc;
    int32_t v = igemm_multiply_by_quantized_multiplier(a, out->multiplier[j], out->shift[j]);
    v = v < out->y_low ? out->y_low : v;
    v = v > out->y_high ? out->y_high : v;
    return (uint8_t)(out->y_zero_point + v);
}

void igemm_portable_gemm(ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, const uint8_t *x, ptrdiff_t ldx,
                      const int8_t *w, const igemm_output *out) {
    /* Indexed rather than offset pointers: with k = 0, x and w may be NULL. */
    for (ptrdiff_t i = 0; i < m; i++) {
        for (ptrdiff_t j = 0; j < n; j++) {
            /* |x·w| ≤ 255·128, so the raw sum fits int32 for k ≤ IGEMM_MAX_DEPTH. */
            int32_t sum = 0;
            for (ptrdiff_t t = 0; t < k; t++) sum += (int32_t)x[i * ldx + t] * (int32_t)w[j * k + t];
            int32_t acc = sum - out->zero_point * out->col_sums[j];
            switch (out->mode) {
            case IGEMM_OUTPUT_S32:
                out->acc[i * out->ldacc + j] = acc;
                break;
            case IGEMM_OUTPUT_F32: {
                float v = (float)acc * (out->x_scale * out->w_scales[j]);
                if (out->bias) v = v + out->bias[j];
                out->y[i * out->ldy + j] = out->relu && v < 0 ? 0 : v;
                break;
            }
            case IGEMM_OUTPUT_U8:
                out->y_u8[i * out->ldy + j] = requantize(acc, j, out);
                break;
            }
        }
    }
}

void igemm_portable_min_max(const float *x, size_t count, float *min, float *max) {
    float lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < count; i++) {
        /* Written so that a NaN leaves lo and hi unchanged (like vminps/vmaxps). */
        lo = x[i] < lo ? x[i] : lo;
        hi = x[i] > hi ? x[i] : hi;
    }
    *min = lo;
    *max = hi;
}

void igemm_portable_quantize_u8(const float *x, size_t count, float inv_scale, int32_t zero_point,
                             uint8_t *codes) {
    const float z = (float)zero_point;
    for (size_t i = 0; i < count; i++) {
        /* Round half to even, then shift: exact while |r| < 2²⁴, and anything
         * larger is clamped anyway. A NaN fails `t > 0` and becomes code 0. */
        float t = nearbyintf(x[i] * inv_scale) + z;
        t = t > 0 ? t : 0;
        t = t < 255 ? t : 255;
        codes[i] = (uint8_t)t;
    }
}
