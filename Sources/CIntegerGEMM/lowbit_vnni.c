/* The AVX-512 VNNI path of the low-bit kernels.
 *
 * One 64-byte load holds a block of a 16-column panel: 4 bytes per column,
 * each byte 8/bits codes (the header's kernel layout). Slot s of every byte
 * is moved to the byte's top bits and masked,
 *
 *     operand_s = (v << (8 − bits − bits·s)) & top_mask       (vpsllw, vpandd)
 *
 * which is the signed byte 2^(8−bits) · code (INT4: 16·code ∈ [−128, 112];
 * INT2: 64·code ∈ [−128, 64]). No sign extension is needed: vpdpbusd
 * multiplies the uint8 activations by these signed bytes, 4 per int32 lane,
 * without saturation, so a group's accumulator is exactly 2^(8−bits) · Σ x·w
 * (|·| ≤ 32640·k, as in the int8 kernel), and an arithmetic shift right by
 * 8 − bits recovers Σ x·w. BINARY's field f (1 for +1) becomes −128·f the
 * same way, so the shift gives −Σ x·f, and Σ x·w = 2·Σ x·f − Σ x with
 * w = 2f − 1: the row's Σ x over the group (vpsadbw, once per tile row) is
 * the only extra term. Then, per group and column,
 *
 *     y = (y + (float)dot_g · (x_scale · w_scale_g))
 *
 * with y kept in registers between groups, and after the last group the
 * zero-point's share and the bias, y = (y − (x_scale · z) · c_j) + bias.
 * Tiles are MR rows × NR panels, or 1 row × NR1 panels at batch 1.
 */
#include "internal.h"

#if IGEMM_X86
#include <immintrin.h>

#pragma clang fp contract(off)

#define VNNI __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))
#define INLINE static inline __attribute__((always_inline))

enum { MR = 4, NR = 2, NR1 = 4, P = IGEMM_LOWBIT_VNNI_PANEL };

/* Slot s of 64 packed bytes as signed bytes 2^(8−bits)·code (see above).
 * vpsllw moves bits between the two bytes of a word, but only into the low
 * bits of the upper byte, which the mask clears. */
INLINE VNNI __m512i slot_operand(__m512i v, const int bits, const int s) {
    const int shift = 8 - bits - bits * s;
    const __m512i top = shift > 0 ? _mm512_slli_epi16(v, (unsigned)shift) : v;
    return _mm512_and_si512(top, _mm512_set1_epi8((char)(0xFF << (8 - bits))));
}

/* The lanes of a 16-column panel that lie inside the column range. */
INLINE VNNI __mmask16 column_mask(ptrdiff_t remaining) {
    return remaining >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << remaining) - 1);
}

/* One tile: rows i0 ..< i0+mr, panels p0 ..< p0+np. bits, mr and np are
 * constants at every call site, so the loops unroll into registers.
 *
 * A one-row tile (batch 1) has only np accumulators, and a chain of
 * dependent vpdpbusd on each would bound it by latency, so it alternates
 * between two per panel (even and odd slots). */
INLINE VNNI void tile(const int bits, const int mr, const int np, ptrdiff_t i0, ptrdiff_t p0,
                      const igemm_lowbit_call *c) {
    const igemm_lowbit_layout *l = &c->layout;
    const int slots = 8 / bits, split = mr == 1 ? 2 : 1;
    const ptrdiff_t depth = 4 * slots, full = c->k / depth;
    const uint8_t *base = c->packed + p0 * l->panel_bytes;
    const uint8_t *rows[MR];
    /* The last, partial block of each row, zero-padded (the codes past k are 0). */
    uint8_t tail[MR][32];
    for (int r = 0; r < mr; r++) {
        rows[r] = c->x + (i0 + r) * c->ldx;
        if (full < l->blocks) {
            memset(tail[r], 0, sizeof tail[r]);
            memcpy(tail[r], rows[r] + full * depth, (size_t)(c->k - full * depth));
        }
    }
    const __m512 xs = _mm512_set1_ps(c->x_scale);
    __m512 y[MR][NR1];

    for (ptrdiff_t g = 0; g < l->groups; g++) {
        const ptrdiff_t first = g * l->group_blocks;
        const ptrdiff_t last = first + l->group_blocks < l->blocks ? first + l->group_blocks : l->blocks;
        __m512i acc[MR][NR1][2];
        __m256i xsum[MR];   /* BINARY: Σ x over the group, in 4 partial sums */
        for (int r = 0; r < mr; r++) xsum[r] = _mm256_setzero_si256();
        for (int p = 0; p < np; p++)
            for (int r = 0; r < mr; r++)
                for (int h = 0; h < split; h++) acc[r][p][h] = _mm512_setzero_si512();
        for (ptrdiff_t b = first; b < last; b++) {
            __m512i v[NR1];
            for (int p = 0; p < np; p++) v[p] = _mm512_loadu_si512(base + p * l->panel_bytes + b * 64);
            const uint8_t *xb[MR];
            for (int r = 0; r < mr; r++) xb[r] = b < full ? rows[r] + b * depth : tail[r];
            if (bits == 1)
                for (int r = 0; r < mr; r++)
                    xsum[r] = _mm256_add_epi64(xsum[r], _mm256_sad_epu8(_mm256_loadu_si256((const __m256i *)(const void *)xb[r]),
                                                                        _mm256_setzero_si256()));
            for (int s = 0; s < slots; s++) {
                __m512i w[NR1];
                for (int p = 0; p < np; p++) w[p] = slot_operand(v[p], bits, s);
                for (int r = 0; r < mr; r++) {
                    const __m512i a = _mm512_set1_epi32((int)igemm_load_u32(xb[r] + 4 * s));
                    for (int p = 0; p < np; p++)
                        acc[r][p][s % split] = _mm512_dpbusd_epi32(acc[r][p][s % split], a, w[p]);
                }
            }
        }
        /* y = (y + (float)dot_g · (x_scale · w_scale_g)), from y = the first term. */
        for (int p = 0; p < np; p++) {
            const uint8_t *panel = base + p * l->panel_bytes;
            const __m512 scale = _mm512_mul_ps(xs, _mm512_loadu_ps(igemm_lowbit_scales(panel, l) + g * P));
            for (int r = 0; r < mr; r++) {
                const __m512i sum = split == 2 ? _mm512_add_epi32(acc[r][p][0], acc[r][p][1]) : acc[r][p][0];
                __m512i dot = _mm512_srai_epi32(sum, 8 - bits);
                if (bits == 1) {
                    /* dot = −Σ x·f; Σ x·w = −2·dot − Σ x. */
                    int64_t parts[4];
                    _mm256_storeu_si256((__m256i *)(void *)parts, xsum[r]);
                    const __m512i row_sum = _mm512_set1_epi32((int32_t)(parts[0] + parts[1] + parts[2] + parts[3]));
                    dot = _mm512_sub_epi32(_mm512_sub_epi32(_mm512_setzero_si512(), _mm512_add_epi32(dot, dot)), row_sum);
                }
                const __m512 t = _mm512_mul_ps(_mm512_cvtepi32_ps(dot), scale);
                y[r][p] = g == 0 ? t : _mm512_add_ps(y[r][p], t);
            }
        }
    }
    /* y = (y − (x_scale · z) · c_j) + bias. */
    const __m512 xz = _mm512_set1_ps(c->x_scale * (float)c->zero_point);
    for (int p = 0; p < np; p++) {
        const ptrdiff_t col = (p0 + p) * P;
        const __mmask16 mask = column_mask(c->col_end - col);
        const __m512 share = _mm512_mul_ps(xz, _mm512_loadu_ps(igemm_lowbit_weighted_sums(base + p * l->panel_bytes, l)));
        const __m512 bias = c->bias ? _mm512_maskz_loadu_ps(mask, c->bias + col) : _mm512_setzero_ps();
        for (int r = 0; r < mr; r++) {
            const __m512 v = _mm512_sub_ps(y[r][p], share);
            _mm512_mask_storeu_ps(c->y + (i0 + r) * c->ldy + col, mask, c->bias ? _mm512_add_ps(v, bias) : v);
        }
    }
}

#define TILE_CASE(R, N) case (R) * 8 + (N): tile(bits, R, N, i0, p0, c); break;
#define TILE_ROW(R) TILE_CASE(R, 1) TILE_CASE(R, 2)

/* Panels outer, rows inner: NR panels of codes stay in L1/L2 while the rows
 * of x stream past them. */
INLINE VNNI void gemm(const int bits, const igemm_lowbit_call *c) {
    const ptrdiff_t end = igemm_div_up(c->col_end, P);
    const ptrdiff_t step = c->m == 1 ? NR1 : NR;
    for (ptrdiff_t p0 = c->col_begin / P; p0 < end; p0 += step) {
        const int np = (int)(end - p0 < step ? end - p0 : step);
        if (c->m == 1) {
            const ptrdiff_t i0 = 0;
            switch (np) {
                case 1: tile(bits, 1, 1, i0, p0, c); break;
                case 2: tile(bits, 1, 2, i0, p0, c); break;
                case 3: tile(bits, 1, 3, i0, p0, c); break;
                default: tile(bits, 1, 4, i0, p0, c); break;
            }
            continue;
        }
        for (ptrdiff_t i0 = 0; i0 < c->m; i0 += MR) {
            const int mr = (int)(c->m - i0 < MR ? c->m - i0 : MR);
            switch (mr * 8 + np) {
                TILE_ROW(1) TILE_ROW(2) TILE_ROW(3) TILE_ROW(4)
            }
        }
    }
}

VNNI void igemm_lowbit_vnni_gemm(const igemm_lowbit_call *c) {
    switch (c->layout.bits) {
    case 4: gemm(4, c); return;
    case 2: gemm(2, c); return;
    default: gemm(1, c); return;
    }
}
#endif
