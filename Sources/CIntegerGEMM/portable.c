/* The portable path: plain C on row-major weights, for any CPU. */
#include "internal.h"
#include <math.h>

/* Float results must not depend on whether the compiler fuses a·b + c. */
#pragma clang fp contract(off)

void igemm_portable_gemm(ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, const uint8_t *x, ptrdiff_t ldx,
                      const int8_t *w, const igemm_output *out) {
    /* Indexed rather than offset pointers: with k = 0, x and w may be NULL. */
    for (ptrdiff_t i = 0; i < m; i++) {
        for (ptrdiff_t j = 0; j < n; j++) {
            /* |x·w| ≤ 255·128, so the raw sum fits int32 for k ≤ IGEMM_MAX_DEPTH. */
            int32_t sum = 0;
            for (ptrdiff_t t = 0; t < k; t++) sum += (int32_t)x[i * ldx + t] * (int32_t)w[j * k + t];
            int32_t acc = sum - out->zero_point * out->col_sums[j];
            if (out->acc) {
                out->acc[i * out->ldacc + j] = acc;
            } else {
                float v = (float)acc * (out->x_scale * out->w_scales[j]);
                out->y[i * out->ldy + j] = out->bias ? v + out->bias[j] : v;
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
