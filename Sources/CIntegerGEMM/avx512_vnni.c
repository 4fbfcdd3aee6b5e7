/* The AVX-512 VNNI path: vpdpbusd multiplies 4 unsigned bytes of x by 4
 * signed bytes of W and adds the 4 products to an int32 lane, without
 * saturation, so the result equals the reference exactly.
 *
 * Packed layout: output columns in panels of 16; within a panel, k in groups
 * of 4; one group is 64 bytes, column j's 4 weights at bytes 4j ..< 4j+4:
 *
 *     packed[panel][group][j][t] = W[16·panel + j][4·group + t]   (0 past the edges)
 *
 * A microkernel tile keeps MR rows × NR panels of accumulators in zmm
 * registers: per group it loads NR weight vectors, broadcasts 4 bytes of each
 * row of x, and issues MR·NR vpdpbusd.
 */
#include "internal.h"

#if IGEMM_X86
#include <immintrin.h>
#include <math.h>

#pragma clang fp contract(off)

#define VNNI __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))
#define AVX512 __attribute__((target("avx512f,avx512bw,avx512vl")))
#define INLINE static inline __attribute__((always_inline))

enum { MR = 6, NR = 4 };

size_t igemm_vnni_packed_size(ptrdiff_t n, ptrdiff_t k) {
    return (size_t)(igemm_div_up(n, IGEMM_VNNI_PANEL) * igemm_div_up(k, IGEMM_VNNI_KSTEP) * 64);
}

void igemm_vnni_pack(const int8_t *w, ptrdiff_t n, ptrdiff_t k, int8_t *packed) {
    const ptrdiff_t panels = igemm_div_up(n, IGEMM_VNNI_PANEL), groups = igemm_div_up(k, IGEMM_VNNI_KSTEP);
    for (ptrdiff_t p = 0; p < panels; p++)
        for (ptrdiff_t g = 0; g < groups; g++)
            for (ptrdiff_t j = 0; j < IGEMM_VNNI_PANEL; j++)
                for (ptrdiff_t t = 0; t < IGEMM_VNNI_KSTEP; t++) {
                    const ptrdiff_t col = p * IGEMM_VNNI_PANEL + j, kk = g * IGEMM_VNNI_KSTEP + t;
                    *packed++ = (col < n && kk < k) ? w[col * k + kk] : 0;
                }
}

/* The lanes of a 16-column panel that lie inside the matrix. */
INLINE __mmask16 column_mask(ptrdiff_t remaining) {
    return remaining >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << remaining) - 1);
}

/* Writes one finished accumulator vector (columns col ..< col+16 of row i)
 * as int32 or rescaled float. */
INLINE VNNI void store(__m512i c, ptrdiff_t i, ptrdiff_t col, __mmask16 mask,
                       __m512i zero_point_sums, __m512 scale, __m512 bias, const igemm_output *out) {
    __m512i acc = _mm512_sub_epi32(c, zero_point_sums);
    if (out->acc) {
        _mm512_mask_storeu_epi32(out->acc + i * out->ldacc + col, mask, acc);
    } else {
        __m512 v = _mm512_mul_ps(_mm512_cvtepi32_ps(acc), scale);
        if (out->bias) v = _mm512_add_ps(v, bias);
        /* vmaxps returns its second operand for a NaN or equal operands: v < 0 ? 0 : v. */
        if (out->relu) v = _mm512_max_ps(_mm512_setzero_ps(), v);
        _mm512_mask_storeu_ps(out->y + i * out->ldy + col, mask, v);
    }
}

/* The per-column constants of the requantization of one 16-column panel. */
typedef struct requant_panel {
    __m512i bias, multiplier, left, right, low, high, zero_point;
} requant_panel;

INLINE AVX512 requant_panel requant_panel_load(const igemm_output *out, ptrdiff_t col, __mmask16 mask) {
    const __m512i shift = _mm512_maskz_loadu_epi32(mask, out->shift + col), zero = _mm512_setzero_si512();
    requant_panel q;
    q.bias = out->bias_s32 ? _mm512_maskz_loadu_epi32(mask, out->bias_s32 + col) : zero;
    q.multiplier = _mm512_maskz_loadu_epi32(mask, out->multiplier + col);
    q.left = _mm512_max_epi32(shift, zero);
    q.right = _mm512_max_epi32(_mm512_sub_epi32(zero, shift), zero);
    q.low = _mm512_set1_epi32(out->y_low);
    q.high = _mm512_set1_epi32(out->y_high);
    q.zero_point = _mm512_set1_epi32(out->y_zero_point);
    return q;
}

/* igemm_multiply_by_quantized_multiplier on 16 lanes, the same integers:
 *
 *  1. saturate(x · 2^left): vpsllvd, with the lanes where x > INT32_MAX >> left
 *     (or x < INT32_MIN >> left) replaced by INT32_MAX (INT32_MIN);
 *  2. SRDHM(a, m) = (a·m + nudge) / 2³¹ truncated equals ⌊(a·m + 2³⁰) / 2³¹⌋
 *     for every a·m (for a·m < 0, truncation of (a·m + 1 − 2³⁰) / 2³¹ is
 *     ⌈·⌉ = ⌊(a·m + 1 − 2³⁰ + 2³¹ − 1) / 2³¹⌋): bits 31..62 of the 64-bit
 *     sum. vpmuldq gives the products of the even lanes; the odd lanes are
 *     shifted down first. With m ≥ 0 (the caller's promise) the sum is below
 *     2⁶², and the quotient fits int32 (the INT32_MIN² case cannot occur);
 *  3. RoundingDivideByPOT as written: mask, remainder, threshold, vpsravd, + 1. */
INLINE AVX512 __m512i multiply_by_quantized_multiplier(__m512i x, const requant_panel *q) {
    const __m512i max = _mm512_set1_epi32(INT32_MAX), min = _mm512_set1_epi32(INT32_MIN);
    __m512i a = _mm512_sllv_epi32(x, q->left);
    a = _mm512_mask_mov_epi32(a, _mm512_cmpgt_epi32_mask(x, _mm512_srav_epi32(max, q->left)), max);
    a = _mm512_mask_mov_epi32(a, _mm512_cmplt_epi32_mask(x, _mm512_srav_epi32(min, q->left)), min);

    const __m512i nudge = _mm512_set1_epi64(INT64_C(1) << 30);
    const __m512i even = _mm512_add_epi64(_mm512_mul_epi32(a, q->multiplier), nudge);
    const __m512i odd = _mm512_add_epi64(
        _mm512_mul_epi32(_mm512_srli_epi64(a, 32), _mm512_srli_epi64(q->multiplier, 32)), nudge);
    /* Bits 31..62: the low half of even >> 31, the high half of odd << 1. */
    const __m512i high = _mm512_mask_blend_epi32((__mmask16)0xAAAA, _mm512_srli_epi64(even, 31),
                                                 _mm512_slli_epi64(odd, 1));

    const __m512i one = _mm512_set1_epi32(1);
    const __m512i mask = _mm512_sub_epi32(_mm512_sllv_epi32(one, q->right), one);
    const __m512i remainder = _mm512_and_si512(high, mask);
    const __m512i threshold = _mm512_add_epi32(_mm512_srai_epi32(mask, 1), _mm512_srli_epi32(high, 31));
    const __m512i quotient = _mm512_srav_epi32(high, q->right);
    return _mm512_mask_add_epi32(quotient, _mm512_cmpgt_epi32_mask(remainder, threshold), quotient, one);
}

/* Writes one accumulator vector requantized to uint8 codes:
 * y_zero_point + clamp(MBQM(acc + bias), y_low, y_high), then narrowed. */
INLINE VNNI void store_u8(__m512i c, ptrdiff_t i, ptrdiff_t col, __mmask16 mask,
                          __m512i zero_point_sums, const requant_panel *q, const igemm_output *out) {
    const __m512i acc = _mm512_add_epi32(_mm512_sub_epi32(c, zero_point_sums), q->bias);
    __m512i v = multiply_by_quantized_multiplier(acc, q);
    v = _mm512_add_epi32(_mm512_min_epi32(_mm512_max_epi32(v, q->low), q->high), q->zero_point);
    _mm_mask_storeu_epi8(out->y_u8 + i * out->ldy + col, mask, _mm512_cvtepi32_epi8(v));
}

/* One tile: rows i0 ..< i0+mr, panels p0 ..< p0+np, written as uint8 codes
 * when `requantize`, else as out->mode says. mr, np and requantize are
 * constants at every call site, so the loops unroll and `c` lives in registers. */
INLINE VNNI void tile(const int mr, const int np, const int requantize, ptrdiff_t i0, ptrdiff_t p0,
                      ptrdiff_t n, ptrdiff_t k, const uint8_t *x, ptrdiff_t ldx,
                      const int8_t *packed, const igemm_output *out) {
    const ptrdiff_t groups = igemm_div_up(k, IGEMM_VNNI_KSTEP), full = k / IGEMM_VNNI_KSTEP;
    const int8_t *w = packed + p0 * groups * 64;
    const uint8_t *xr = x + i0 * ldx;
    __m512i c[MR][NR];
    for (int r = 0; r < mr; r++)
        for (int p = 0; p < np; p++) c[r][p] = _mm512_setzero_si512();

    for (ptrdiff_t g = 0; g < full; g++) {
        __m512i b[NR];
        for (int p = 0; p < np; p++) b[p] = _mm512_loadu_si512(w + (p * groups + g) * 64);
        for (int r = 0; r < mr; r++) {
            const __m512i a = _mm512_set1_epi32((int)igemm_load_u32(xr + r * ldx + g * 4));
            for (int p = 0; p < np; p++) c[r][p] = _mm512_dpbusd_epi32(c[r][p], a, b[p]);
        }
    }
    if (full < groups) {
        /* The last 1–3 values of k: read only what is there (the packed
         * weights are 0 past k, so the zero padding of a adds nothing). */
        const ptrdiff_t rest = k - full * IGEMM_VNNI_KSTEP;
        __m512i b[NR];
        for (int p = 0; p < np; p++) b[p] = _mm512_loadu_si512(w + (p * groups + full) * 64);
        for (int r = 0; r < mr; r++) {
            uint8_t bytes[4] = { 0, 0, 0, 0 };
            memcpy(bytes, xr + r * ldx + full * 4, (size_t)rest);
            const __m512i a = _mm512_set1_epi32((int)igemm_load_u32(bytes));
            for (int p = 0; p < np; p++) c[r][p] = _mm512_dpbusd_epi32(c[r][p], a, b[p]);
        }
    }

    const __m512i zp = _mm512_set1_epi32(out->zero_point);
    const __m512 xs = _mm512_set1_ps(out->x_scale);
    for (int p = 0; p < np; p++) {
        const ptrdiff_t col = (p0 + p) * IGEMM_VNNI_PANEL;
        const __mmask16 mask = column_mask(n - col);
        const __m512i sums = _mm512_mullo_epi32(zp, _mm512_maskz_loadu_epi32(mask, out->col_sums + col));
        if (requantize) {
            const requant_panel q = requant_panel_load(out, col, mask);
            for (int r = 0; r < mr; r++) store_u8(c[r][p], i0 + r, col, mask, sums, &q, out);
            continue;
        }
        __m512 scale = _mm512_setzero_ps(), bias = _mm512_setzero_ps();
        if (!out->acc) {
            scale = _mm512_mul_ps(xs, _mm512_maskz_loadu_ps(mask, out->w_scales + col));
            if (out->bias) bias = _mm512_maskz_loadu_ps(mask, out->bias + col);
        }
        for (int r = 0; r < mr; r++) store(c[r][p], i0 + r, col, mask, sums, scale, bias, out);
    }
}

#define TILE_CASE(R, P) case (R) * 8 + (P): tile(R, P, requantize, i0, p0, n, k, x, ldx, packed, out); break;
#define TILE_ROW(R) TILE_CASE(R, 1) TILE_CASE(R, 2) TILE_CASE(R, 3) TILE_CASE(R, 4)

/* The loop over tiles. `requantize` is a constant at both call sites, so the
 * uint8 tiles are compiled into their own function and the int32/float ones
 * carry none of their code. */
INLINE VNNI void gemm(const int requantize, ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, const uint8_t *x,
                     ptrdiff_t ldx, const int8_t *packed, const igemm_output *out) {
    const ptrdiff_t panels = igemm_div_up(n, IGEMM_VNNI_PANEL);
    /* Panels outer, rows inner: NR panels of weights (NR·16·k bytes) stay in
     * L1/L2 while the rows of x stream past them. */
    for (ptrdiff_t p0 = 0; p0 < panels; p0 += NR) {
        const int np = (int)(panels - p0 < NR ? panels - p0 : NR);
        for (ptrdiff_t i0 = 0; i0 < m; i0 += MR) {
            const int mr = (int)(m - i0 < MR ? m - i0 : MR);
            switch (mr * 8 + np) {
                TILE_ROW(1) TILE_ROW(2) TILE_ROW(3) TILE_ROW(4) TILE_ROW(5) TILE_ROW(6)
            }
        }
    }
}

VNNI void igemm_vnni_gemm(ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, const uint8_t *x, ptrdiff_t ldx,
                       const int8_t *packed, const igemm_output *out) {
    gemm(0, m, n, k, x, ldx, packed, out);
}

VNNI void igemm_vnni_gemm_u8(ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, const uint8_t *x, ptrdiff_t ldx,
                          const int8_t *packed, const igemm_output *out) {
    gemm(1, m, n, k, x, ldx, packed, out);
}

AVX512 void igemm_avx512_min_max(const float *x, size_t count, float *min, float *max) {
    /* Four independent (lo, hi) pairs, so the loop is bound by loads rather
     * than by the latency of one chain of vminps. */
    __m512 lo[4], hi[4];
    for (int u = 0; u < 4; u++) {
        lo[u] = _mm512_set1_ps(INFINITY);
        hi[u] = _mm512_set1_ps(-INFINITY);
    }
    size_t i = 0;
    for (; i + 64 <= count; i += 64) {
        for (int u = 0; u < 4; u++) {
            const __m512 v = _mm512_loadu_ps(x + i + 16 * u);
            /* vminps returns its second operand when either is NaN: NaNs are skipped. */
            lo[u] = _mm512_min_ps(v, lo[u]);
            hi[u] = _mm512_max_ps(v, hi[u]);
        }
    }
    for (; i < count; i += 16) {
        const __mmask16 mask = column_mask((ptrdiff_t)(count - i));
        const __m512 v = _mm512_maskz_loadu_ps(mask, x + i);
        lo[0] = _mm512_mask_min_ps(lo[0], mask, v, lo[0]);
        hi[0] = _mm512_mask_max_ps(hi[0], mask, v, hi[0]);
    }
    *min = _mm512_reduce_min_ps(_mm512_min_ps(_mm512_min_ps(lo[0], lo[1]), _mm512_min_ps(lo[2], lo[3])));
    *max = _mm512_reduce_max_ps(_mm512_max_ps(_mm512_max_ps(hi[0], hi[1]), _mm512_max_ps(hi[2], hi[3])));
}

/* 16 floats → 16 clamped codes as int32 lanes: round half to even, shift, clamp. */
INLINE AVX512 __m512i quantize16(__m512 v, __m512 inv, __m512 z) {
    __m512 t = _mm512_roundscale_ps(_mm512_mul_ps(v, inv), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    t = _mm512_add_ps(t, z);
    t = _mm512_max_ps(t, _mm512_setzero_ps());   /* a NaN in t gives 0, as in the portable path */
    t = _mm512_min_ps(t, _mm512_set1_ps(255));
    return _mm512_cvttps_epi32(t);
}

AVX512 void igemm_avx512_quantize_u8(const float *x, size_t count, float inv_scale, int32_t zero_point,
                                  uint8_t *codes) {
    const __m512 inv = _mm512_set1_ps(inv_scale), z = _mm512_set1_ps((float)zero_point);
    /* The packs work within 128-bit lanes; this gathers the 4-byte groups
     * back into order (a0..a3 b0..b3 c0..c3 d0..d3). */
    const __m512i order = _mm512_setr_epi32(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
    size_t i = 0;
    for (; i + 64 <= count; i += 64) {
        const __m512i a = quantize16(_mm512_loadu_ps(x + i), inv, z);
        const __m512i b = quantize16(_mm512_loadu_ps(x + i + 16), inv, z);
        const __m512i c = quantize16(_mm512_loadu_ps(x + i + 32), inv, z);
        const __m512i d = quantize16(_mm512_loadu_ps(x + i + 48), inv, z);
        /* Values are already in 0...255, so the saturating packs are exact. */
        const __m512i bytes = _mm512_packus_epi16(_mm512_packus_epi32(a, b), _mm512_packus_epi32(c, d));
        _mm512_storeu_si512(codes + i, _mm512_permutexvar_epi32(order, bytes));
    }
    for (; i < count; i += 16) {
        const __mmask16 mask = column_mask((ptrdiff_t)(count - i));
        const __m512i q = quantize16(_mm512_maskz_loadu_ps(mask, x + i), inv, z);
        _mm_mask_storeu_epi8(codes + i, mask, _mm512_cvtepi32_epi8(q));
    }
}
#endif
