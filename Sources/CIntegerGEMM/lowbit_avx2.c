/* The AVX2 path of the low-bit kernels, for x86-64 CPUs without AVX-512.
 *
 * A 32-byte load holds a block of an 8-column panel (the header's kernel
 * layout, with fields stored as code + 2^(bits−1)). Slot s unpacks to the
 * signed codes with a shift, a mask and a subtraction:
 *
 *     w_s = ((v >> bits·s) & (2^bits − 1)) − 2^(bits−1)
 *
 * vpmaddubsw multiplies the uint8 activations by these signed bytes and adds
 * adjacent pairs into int16 lanes. It saturates in general, but not here:
 * the codes are small, so even the sum over all slots of a block,
 * (8/bits)·2·255·2^(bits−1) (INT4: 8160, INT2: 4080), fits int16 exactly.
 * vpmaddwd with ones then widens each column's 4 pairs into its int32 lane.
 * BINARY's field f (1 for +1) is used as it is (0 or 1, pair sums ≤ 510,
 * ≤ 4080 over 8 slots), and Σ x·w = 2·Σ x·f − Σ x with the row's Σ x over
 * the group from vpsadbw.
 * The group and float steps are those of the VNNI path.
 */
#include "internal.h"

#if IGEMM_X86
#include <immintrin.h>

#pragma clang fp contract(off)

#define AVX2 __attribute__((target("avx2")))
#define INLINE static inline __attribute__((always_inline))

enum { MR = 4, NR = 2, P = IGEMM_LOWBIT_AVX2_PANEL };

/* All-ones in the lanes of an 8-column panel that lie inside the column range. */
INLINE AVX2 __m256i column_mask(ptrdiff_t remaining) {
    const int r = remaining >= 8 ? 8 : (int)remaining;
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(r), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

/* Slot s of 32 packed bytes as signed int8 codes, or BINARY's 0/1 fields (see above). */
INLINE AVX2 __m256i slot_codes(__m256i v, const int bits, const int s) {
    const __m256i shifted = s > 0 ? _mm256_srli_epi16(v, bits * s) : v;
    const __m256i field = _mm256_and_si256(shifted, _mm256_set1_epi8((char)((1 << bits) - 1)));
    return bits == 1 ? field : _mm256_sub_epi8(field, _mm256_set1_epi8((char)(1 << (bits - 1))));
}

/* One tile: rows i0 ..< i0+mr, panels p0 ..< p0+np (constants at every call site). */
INLINE AVX2 void tile(const int bits, const int mr, const int np, ptrdiff_t i0, ptrdiff_t p0,
                      const igemm_lowbit_call *c) {
    const igemm_lowbit_layout *l = &c->layout;
    const int slots = 8 / bits;
    const ptrdiff_t depth = 4 * slots, full = c->k / depth;
    const uint8_t *base = c->packed + p0 * l->panel_bytes;
    const uint8_t *rows[MR];
    uint8_t tail[MR][32];
    for (int r = 0; r < mr; r++) {
        rows[r] = c->x + (i0 + r) * c->ldx;
        if (full < l->blocks) {
            memset(tail[r], 0, sizeof tail[r]);
            memcpy(tail[r], rows[r] + full * depth, (size_t)(c->k - full * depth));
        }
    }
    const __m256i ones = _mm256_set1_epi16(1);
    const __m256 xs = _mm256_set1_ps(c->x_scale), xz = _mm256_set1_ps(c->x_scale * (float)c->zero_point);

    for (ptrdiff_t g = 0; g < l->groups; g++) {
        const ptrdiff_t first = g * l->group_blocks;
        const ptrdiff_t last = first + l->group_blocks < l->blocks ? first + l->group_blocks : l->blocks;
        __m256i acc[MR][NR], xsum[MR];   /* xsum: BINARY's Σ x over the group, in 4 partial sums */
        for (int r = 0; r < mr; r++) {
            xsum[r] = _mm256_setzero_si256();
            for (int p = 0; p < np; p++) acc[r][p] = _mm256_setzero_si256();
        }
        for (ptrdiff_t b = first; b < last; b++) {
            const uint8_t *xb[MR];
            for (int r = 0; r < mr; r++) xb[r] = b < full ? rows[r] + b * depth : tail[r];
            if (bits == 1)
                for (int r = 0; r < mr; r++)
                    xsum[r] = _mm256_add_epi64(xsum[r], _mm256_sad_epu8(_mm256_loadu_si256((const __m256i *)(const void *)xb[r]),
                                                                        _mm256_setzero_si256()));
            for (int p = 0; p < np; p++) {
                const __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(base + p * l->panel_bytes + b * 32));
                __m256i w[8];
                for (int s = 0; s < slots; s++) w[s] = slot_codes(v, bits, s);
                for (int r = 0; r < mr; r++) {
                    __m256i pairs = _mm256_setzero_si256();
                    for (int s = 0; s < slots; s++) {
                        const __m256i a = _mm256_set1_epi32((int)igemm_load_u32(xb[r] + 4 * s));
                        pairs = _mm256_add_epi16(pairs, _mm256_maddubs_epi16(a, w[s]));
                    }
                    acc[r][p] = _mm256_add_epi32(acc[r][p], _mm256_madd_epi16(pairs, ones));
                }
            }
        }
        for (int p = 0; p < np; p++) {
            const uint8_t *panel = base + p * l->panel_bytes;
            const ptrdiff_t col = (p0 + p) * P;
            const __m256i mask = column_mask(c->col_end - col);
            const __m256 scale = _mm256_mul_ps(xs, _mm256_loadu_ps(igemm_lowbit_scales(panel, l) + g * P));
            const int last = g == l->groups - 1;   /* then the zero-point's share and the bias */
            const __m256 share = last ? _mm256_mul_ps(xz, _mm256_loadu_ps(igemm_lowbit_weighted_sums(panel, l))) : xz;
            for (int r = 0; r < mr; r++) {
                __m256i dot = acc[r][p];
                if (bits == 1) {
                    int64_t parts[4];
                    _mm256_storeu_si256((__m256i *)(void *)parts, xsum[r]);
                    const __m256i row_sum = _mm256_set1_epi32((int32_t)(parts[0] + parts[1] + parts[2] + parts[3]));
                    dot = _mm256_sub_epi32(_mm256_add_epi32(dot, dot), row_sum);
                }
                __m256 t = _mm256_mul_ps(_mm256_cvtepi32_ps(dot), scale);
                float *y = c->y + (i0 + r) * c->ldy + col;
                if (g > 0) t = _mm256_add_ps(_mm256_maskload_ps(y, mask), t);
                if (last) t = _mm256_sub_ps(t, share);
                if (last && c->bias) t = _mm256_add_ps(t, _mm256_maskload_ps(c->bias + col, mask));
                _mm256_maskstore_ps(y, mask, t);
            }
        }
    }
}

#define TILE_CASE(R, N) case (R) * 8 + (N): tile(bits, R, N, i0, p0, c); break;
#define TILE_ROW(R) TILE_CASE(R, 1) TILE_CASE(R, 2)

INLINE AVX2 void gemm(const int bits, const igemm_lowbit_call *c) {
    const ptrdiff_t end = igemm_div_up(c->col_end, P);
    for (ptrdiff_t p0 = c->col_begin / P; p0 < end; p0 += NR) {
        const int np = (int)(end - p0 < NR ? end - p0 : NR);
        for (ptrdiff_t i0 = 0; i0 < c->m; i0 += MR) {
            const int mr = (int)(c->m - i0 < MR ? c->m - i0 : MR);
            switch (mr * 8 + np) {
                TILE_ROW(1) TILE_ROW(2) TILE_ROW(3) TILE_ROW(4)
            }
        }
    }
}

AVX2 void igemm_lowbit_avx2_gemm(const igemm_lowbit_call *c) {
    switch (c->layout.bits) {
    case 4: gemm(4, c); return;
    case 2: gemm(2, c); return;
    default: gemm(1, c); return;
    }
}
#endif
