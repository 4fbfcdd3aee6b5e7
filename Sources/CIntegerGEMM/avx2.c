/* The AVX2 path. vpmaddubsw (u8 × s8 → pairs summed into int16) would be
 * fastest but saturates: 255·127·2 = 64770 > 32767. So both operands are
 * widened to int16 and multiplied with vpmaddwd, whose pair sums
 * (|·| ≤ 2·255·128 = 65280) fit easily in int32: the result is exact.
 *
 * Packed layout: output columns in panels of 8; k in steps of 8, each step
 * four pairs; one pair is a 32-byte vector of 8 columns × 2 int16 weights:
 *
 *     packed[panel][step][pair][j][u] = W[8·panel + j][8·step + 2·pair + u]   (0 past the edges)
 *
 * The weights are widened once, at pack time (twice the bytes, no work per
 * call). Per step each row of x is loaded as 8 bytes, widened, and each of its
 * four pairs broadcast to all lanes with one shuffle.
 */
#include "internal.h"

#if IGEMM_X86
#include <immintrin.h>

#pragma clang fp contract(off)

#define AVX2 __attribute__((target("avx2")))
#define INLINE static inline __attribute__((always_inline))

enum { MR = 4, NR = 2, STEP_BYTES = 4 * 32 };

size_t igemm_avx2_packed_size(ptrdiff_t n, ptrdiff_t k) {
    return (size_t)(igemm_div_up(n, IGEMM_AVX2_PANEL) * igemm_div_up(k, IGEMM_AVX2_KSTEP) * STEP_BYTES);
}

void igemm_avx2_pack(const int8_t *w, ptrdiff_t n, ptrdiff_t k, int16_t *packed) {
    const ptrdiff_t panels = igemm_div_up(n, IGEMM_AVX2_PANEL), steps = igemm_div_up(k, IGEMM_AVX2_KSTEP);
    for (ptrdiff_t p = 0; p < panels; p++)
        for (ptrdiff_t s = 0; s < steps; s++)
            for (ptrdiff_t pair = 0; pair < 4; pair++)
                for (ptrdiff_t j = 0; j < IGEMM_AVX2_PANEL; j++)
                    for (ptrdiff_t u = 0; u < 2; u++) {
                        const ptrdiff_t col = p * IGEMM_AVX2_PANEL + j, kk = s * IGEMM_AVX2_KSTEP + 2 * pair + u;
                        *packed++ = (col < n && kk < k) ? w[col * k + kk] : 0;
                    }
}

/* All-ones in the lanes of an 8-column panel that lie inside the matrix. */
INLINE AVX2 __m256i column_mask(ptrdiff_t remaining) {
    const int r = remaining >= 8 ? 8 : (int)remaining;
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(r), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

INLINE AVX2 void store(__m256i c, ptrdiff_t i, ptrdiff_t col, __m256i mask,
                       __m256i zero_point_sums, __m256 scale, __m256 bias, const igemm_output *out) {
    __m256i acc = _mm256_sub_epi32(c, zero_point_sums);
    if (out->acc) {
        _mm256_maskstore_epi32(out->acc + i * out->ldacc + col, mask, acc);
    } else {
        __m256 v = _mm256_mul_ps(_mm256_cvtepi32_ps(acc), scale);
        if (out->bias) v = _mm256_add_ps(v, bias);
        _mm256_maskstore_ps(out->y + i * out->ldy + col, mask, v);
    }
}

/* 8 bytes of x widened to int16 and copied into both 128-bit halves. */
INLINE AVX2 __m256i load_row(const uint8_t *p, ptrdiff_t available) {
    uint8_t bytes[8] = { 0, 0, 0, 0, 0, 0, 0, 0 };
    const uint8_t *src = p;
    if (available < 8) {
        memcpy(bytes, p, (size_t)available);
        src = bytes;
    }
    const __m128i v = _mm_cvtepu8_epi16(_mm_loadl_epi64((const __m128i *)src));
    return _mm256_broadcastsi128_si256(v);
}

INLINE AVX2 void tile(const int mr, const int np, ptrdiff_t i0, ptrdiff_t p0,
                      ptrdiff_t n, ptrdiff_t k, const uint8_t *x, ptrdiff_t ldx,
                      const int16_t *packed, const igemm_output *out) {
    const ptrdiff_t steps = igemm_div_up(k, IGEMM_AVX2_KSTEP);
    const uint8_t *w = (const uint8_t *)packed + p0 * steps * STEP_BYTES;
    const uint8_t *xr = x + i0 * ldx;
    __m256i c[MR][NR];
    for (int r = 0; r < mr; r++)
        for (int p = 0; p < np; p++) c[r][p] = _mm256_setzero_si256();

    for (ptrdiff_t s = 0; s < steps; s++) {
        __m256i a[MR];
        for (int r = 0; r < mr; r++) a[r] = load_row(xr + r * ldx + s * 8, k - s * 8);
#define PAIR(q)                                                                                   \
        {                                                                                         \
            __m256i b[NR];                                                                        \
            for (int p = 0; p < np; p++)                                                          \
                b[p] = _mm256_loadu_si256((const __m256i *)(w + (p * steps + s) * STEP_BYTES + (q) * 32)); \
            for (int r = 0; r < mr; r++) {                                                        \
                const __m256i xq = _mm256_shuffle_epi32(a[r], (q) * 0x55);                        \
                for (int p = 0; p < np; p++) c[r][p] = _mm256_add_epi32(c[r][p], _mm256_madd_epi16(xq, b[p])); \
            }                                                                                     \
        }
        PAIR(0) PAIR(1) PAIR(2) PAIR(3)
#undef PAIR
    }

    const __m256i zp = _mm256_set1_epi32(out->zero_point);
    const __m256 xs = _mm256_set1_ps(out->x_scale);
    for (int p = 0; p < np; p++) {
        const ptrdiff_t col = (p0 + p) * IGEMM_AVX2_PANEL;
        const __m256i mask = column_mask(n - col);
        const __m256i sums = _mm256_mullo_epi32(zp, _mm256_maskload_epi32(out->col_sums + col, mask));
        __m256 scale = _mm256_setzero_ps(), bias = _mm256_setzero_ps();
        if (!out->acc) {
            scale = _mm256_mul_ps(xs, _mm256_maskload_ps(out->w_scales + col, mask));
            if (out->bias) bias = _mm256_maskload_ps(out->bias + col, mask);
        }
        for (int r = 0; r < mr; r++) store(c[r][p], i0 + r, col, mask, sums, scale, bias, out);
    }
}

#define TILE_CASE(R, P) case (R) * 8 + (P): tile(R, P, i0, p0, n, k, x, ldx, packed, out); break;
#define TILE_ROW(R) TILE_CASE(R, 1) TILE_CASE(R, 2)

AVX2 void igemm_avx2_gemm(ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, const uint8_t *x, ptrdiff_t ldx,
                       const int16_t *packed, const igemm_output *out) {
    const ptrdiff_t panels = igemm_div_up(n, IGEMM_AVX2_PANEL);
    for (ptrdiff_t p0 = 0; p0 < panels; p0 += NR) {
        const int np = (int)(panels - p0 < NR ? panels - p0 : NR);
        for (ptrdiff_t i0 = 0; i0 < m; i0 += MR) {
            const int mr = (int)(m - i0 < MR ? m - i0 : MR);
            switch (mr * 8 + np) {
                TILE_ROW(1) TILE_ROW(2) TILE_ROW(3) TILE_ROW(4)
            }
        }
    }
}
#endif
