/* The low-bit kernels' layout, its packing, the run-time dispatch, and the
 * portable path (plain C on the same layout as AVX-512 VNNI).
 *
 * See the public header for the product and the layout. Packing runs once
 * per model; it reads the codes back from igemm_pack_bits' layout one at a
 * time, which keeps it obviously right. */
#include "internal.h"

#pragma clang fp contract(off)

int igemm_lowbit_format_supported(igemm_format format) {
    return format == IGEMM_FORMAT_INT4 || format == IGEMM_FORMAT_INT2 || format == IGEMM_FORMAT_TERNARY
        || format == IGEMM_FORMAT_BINARY;
}

ptrdiff_t igemm_lowbit_panel_width(igemm_isa isa) {
#if IGEMM_X86
    if (isa == IGEMM_ISA_AVX2) return IGEMM_LOWBIT_AVX2_PANEL;
#endif
    (void)isa;
    return 16;
}

size_t igemm_lowbit_packed_size(igemm_isa isa, igemm_format format, ptrdiff_t n, ptrdiff_t k,
                                ptrdiff_t group_size) {
    const ptrdiff_t panel = igemm_lowbit_panel_width(isa);
    const igemm_lowbit_layout l = igemm_lowbit_layout_of(format, panel, k, group_size);
    return (size_t)(igemm_div_up(n, panel) * l.panel_bytes);
}

/* The code a b-bit field stands for: the field sign-extended, or for
 * BINARY +1 (field 1) and −1 (field 0). */
static int code_of_field(int field, int b, int binary) {
    if (binary) return field ? 1 : -1;
    return field >= 1 << (b - 1) ? field - (1 << b) : field;
}

/* The code stored for row j, column t in igemm_pack_bits' layout. */
static int code_at(const uint8_t *bits, ptrdiff_t row_bytes, int b, int binary, ptrdiff_t j, ptrdiff_t t) {
    const int per_byte = 8 / b;
    const int field = (bits[j * row_bytes + t / per_byte] >> (b * (t % per_byte))) & ((1 << b) - 1);
    return code_of_field(field, b, binary);
}

void igemm_lowbit_pack(igemm_isa isa, igemm_format format, ptrdiff_t n, ptrdiff_t k, ptrdiff_t group_size,
                       const uint8_t *bits, const float *scales, void *packed) {
    const ptrdiff_t panel = igemm_lowbit_panel_width(isa);
    const igemm_lowbit_layout l = igemm_lowbit_layout_of(format, panel, k, group_size);
    const int b = l.bits;
    /* AVX2 unpacks with a mask and a subtraction: it stores code + 2^(b−1).
     * BINARY keeps igemm_pack_bits' field (1 for +1) on every path. */
    const int offset = isa == IGEMM_ISA_AVX2 && !l.binary ? 1 << (b - 1) : 0;
    const ptrdiff_t row_bytes = igemm_div_up(k * b, 8), panels = igemm_div_up(n, panel);
    const ptrdiff_t group_length = group_size == IGEMM_GROUP_ROW ? k : group_size;
    uint8_t *out = packed;
    for (ptrdiff_t p = 0; p < panels; p++, out += l.panel_bytes) {
        for (ptrdiff_t block = 0; block < l.blocks; block++)
            for (ptrdiff_t j = 0; j < panel; j++)
                for (ptrdiff_t t = 0; t < 4; t++) {
                    const ptrdiff_t col = p * panel + j;
                    unsigned byte = 0;
                    for (int s = 0; s < l.slots; s++) {
                        const ptrdiff_t kk = block * l.depth + 4 * s + t;
                        /* Past the edges: code 0, or field 0 (−1, times x = 0) for BINARY. */
                        const int code = (col < n && kk < k) ? code_at(bits, row_bytes, b, l.binary, col, kk) : 0;
                        const int field = l.binary ? code > 0 : (code + offset) & ((1 << b) - 1);
                        byte |= (unsigned)field << (b * s);
                    }
                    out[(block * panel + j) * 4 + t] = (uint8_t)byte;
                }
        uint8_t *panel_scales = out + l.code_bytes, *panel_sums = out + l.code_bytes + l.groups * panel * 4;
        for (ptrdiff_t j = 0; j < panel; j++) {
            const ptrdiff_t col = p * panel + j;
            /* c_j = ((s_0·S_0 + s_1·S_1) + …), in group order (see the header). */
            float weighted = 0;
            for (ptrdiff_t g = 0; g < l.groups; g++) {
                int32_t sum = 0;
                if (col < n)
                    for (ptrdiff_t t = g * group_length; t < k && t < (g + 1) * group_length; t++)
                        sum += code_at(bits, row_bytes, b, l.binary, col, t);
                const float scale = col < n ? scales[col * l.groups + g] : 0;
                const float term = scale * (float)sum;
                weighted = g == 0 ? term : weighted + term;
                /* memcpy: the record may start at any alignment. */
                memcpy(panel_scales + (g * panel + j) * 4, &scale, sizeof scale);
            }
            memcpy(panel_sums + j * 4, &weighted, sizeof weighted);
        }
    }
}

/* The code in slot s of a kernel-layout byte (the portable path's fields
 * are those of igemm_pack_bits). */
static int slot_code(uint8_t byte, int b, int binary, int s) {
    return code_of_field((byte >> (b * s)) & ((1 << b) - 1), b, binary);
}

void igemm_lowbit_portable_gemm(const igemm_lowbit_call *c) {
    const igemm_lowbit_layout *l = &c->layout;
    const ptrdiff_t panel = l->panel;
    for (ptrdiff_t col = c->col_begin; col < c->col_end; col++) {
        const uint8_t *base = c->packed + (col / panel) * l->panel_bytes;
        const ptrdiff_t j = col % panel;
        for (ptrdiff_t i = 0; i < c->m; i++) {
            const uint8_t *x = c->x + i * c->ldx;
            float y = 0;
            for (ptrdiff_t g = 0; g < l->groups; g++) {
                const ptrdiff_t first = g * l->group_blocks;
                const ptrdiff_t last = first + l->group_blocks < l->blocks ? first + l->group_blocks : l->blocks;
                /* Σ x·w over the group; the zero-point's share is c_j's, below. */
                int32_t dot = 0;
                for (ptrdiff_t block = first; block < last; block++)
                    for (int s = 0; s < l->slots; s++)
                        for (ptrdiff_t t = 0; t < 4; t++) {
                            const ptrdiff_t kk = block * l->depth + 4 * s + t;
                            if (kk >= c->k) continue;
                            dot += (int32_t)x[kk] * slot_code(base[(block * panel + j) * 4 + t], l->bits, l->binary, s);
                        }
                float w_scale, weighted;
                memcpy(&w_scale, igemm_lowbit_scales(base, l) + g * panel + j, sizeof w_scale);
                const float term = (float)dot * (c->x_scale * w_scale);
                y = g == 0 ? term : y + term;
                if (g == l->groups - 1) {
                    memcpy(&weighted, igemm_lowbit_weighted_sums(base, l) + j, sizeof weighted);
                    y = y - (c->x_scale * (float)c->zero_point) * weighted;
                }
            }
            c->y[i * c->ldy + col] = c->bias ? y + c->bias[col] : y;
        }
    }
}

void igemm_lowbit_gemm_f32(igemm_isa isa, igemm_format format, ptrdiff_t m, ptrdiff_t n, ptrdiff_t k,
                           ptrdiff_t group_size, const uint8_t *x, ptrdiff_t ldx, int32_t zero_point,
                           const void *packed, float x_scale, const float *bias, float *y, ptrdiff_t ldy,
                           ptrdiff_t col_begin, ptrdiff_t col_end) {
    if (col_end > n) col_end = n;
    if (m <= 0 || col_begin < 0 || col_begin >= col_end) return;
    const igemm_lowbit_call call = {
        .layout = igemm_lowbit_layout_of(format, igemm_lowbit_panel_width(isa), k, group_size),
        .m = m, .n = n, .k = k, .x = x, .ldx = ldx, .zero_point = zero_point, .packed = packed,
        .x_scale = x_scale, .bias = bias, .y = y, .ldy = ldy, .col_begin = col_begin, .col_end = col_end,
    };
    /* k = 0: every sum is empty; the portable loop reads neither x nor codes. */
    switch (k > 0 ? isa : IGEMM_ISA_PORTABLE) {
#if IGEMM_X86
    case IGEMM_ISA_AVX2: igemm_lowbit_avx2_gemm(&call); return;
    case IGEMM_ISA_AVX512_VNNI: igemm_lowbit_vnni_gemm(&call); return;
#endif
    default: igemm_lowbit_portable_gemm(&call); return;
    }
}
