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

/* What a kernel writes: the int32 accumulators, rescaled floats, or
 * requantized uint8 codes. */
typedef enum igemm_output_mode {
    IGEMM_OUTPUT_S32,
    IGEMM_OUTPUT_F32,
    IGEMM_OUTPUT_U8,
} igemm_output_mode;

/* Where and how a kernel writes its results; only the fields of `mode` are set,
 * so acc != NULL exactly in IGEMM_OUTPUT_S32 mode (the vector paths' int32/float
 * tiles test that, one condition for both of their outputs). */
typedef struct igemm_output {
    igemm_output_mode mode;
    int32_t zero_point;
    const int32_t *col_sums;
    /* IGEMM_OUTPUT_S32 */
    int32_t *acc;
    ptrdiff_t ldacc;
    /* IGEMM_OUTPUT_F32 */
    float x_scale;
    const float *w_scales;
    const float *bias;
    float *y;
    ptrdiff_t ldy;   /* also for IGEMM_OUTPUT_U8 */
    int relu;        /* 1: y = v < 0 ? 0 : v as each output is stored */
    /* IGEMM_OUTPUT_U8: y_u8 = y_zero_point + clamp(MBQM(acc + bias_s32), y_low, y_high) */
    const int32_t *bias_s32;
    const int32_t *multiplier;
    const int32_t *shift;
    int32_t y_zero_point;
    int32_t y_low, y_high;   /* y_min − y_zero_point, y_max − y_zero_point */
    uint8_t *y_u8;
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

/* The kernel layout of low-bit weights for one ISA (see the public header):
 * where a panel's codes, scales and weighted code sums are, and how a row is grouped. */
typedef struct igemm_lowbit_layout {
    int bits;                 /* bits per code: 4, 2 or 1 */
    int binary;               /* 1 for BINARY: a field is 1 for +1, 0 for −1 */
    int slots;                /* codes per byte: 8 / bits */
    ptrdiff_t depth;          /* D: codes of a column per block, 4 · slots */
    ptrdiff_t panel;          /* P: columns per panel */
    ptrdiff_t blocks;         /* ceil(k / D) blocks per panel */
    ptrdiff_t groups;         /* G: scales per row */
    ptrdiff_t group_blocks;   /* blocks per (full) group */
    ptrdiff_t code_bytes;     /* blocks · 4P */
    ptrdiff_t panel_bytes;    /* code_bytes + G·P·4 (scales) + P·4 (weighted sums) */
} igemm_lowbit_layout;

static inline igemm_lowbit_layout igemm_lowbit_layout_of(igemm_format format, ptrdiff_t panel, ptrdiff_t k,
                                                         ptrdiff_t group_size) {
    igemm_lowbit_layout l;
    l.bits = igemm_format_bits(format);
    l.binary = format == IGEMM_FORMAT_BINARY;
    l.slots = 8 / l.bits;
    l.depth = 4 * l.slots;
    l.panel = panel;
    l.blocks = igemm_div_up(k, l.depth);
    l.groups = igemm_groups_per_row(k, group_size);
    l.group_blocks = group_size == IGEMM_GROUP_ROW ? (l.blocks > 0 ? l.blocks : 1) : group_size / l.depth;
    l.code_bytes = l.blocks * 4 * panel;
    l.panel_bytes = l.code_bytes + l.groups * panel * 4 + panel * 4;
    return l;
}

/* The float scales [G][P] and the weighted code sums [P] (c_j, see the
 * public header) of the panel at `base`. */
static inline const float *igemm_lowbit_scales(const uint8_t *base, const igemm_lowbit_layout *l) {
    return (const float *)(const void *)(base + l->code_bytes);
}
static inline const float *igemm_lowbit_weighted_sums(const uint8_t *base, const igemm_lowbit_layout *l) {
    return (const float *)(const void *)(base + l->code_bytes + l->groups * l->panel * 4);
}

/* One low-bit product: the arguments of igemm_lowbit_gemm_f32 with the layout. */
typedef struct igemm_lowbit_call {
    igemm_lowbit_layout layout;
    ptrdiff_t m, n, k;
    const uint8_t *x;
    ptrdiff_t ldx;
    int32_t zero_point;
    const uint8_t *packed;
    float x_scale;
    const float *bias;
    float *y;
    ptrdiff_t ldy;
    ptrdiff_t col_begin, col_end;
} igemm_lowbit_call;

void igemm_lowbit_portable_gemm(const igemm_lowbit_call *call);

#if IGEMM_X86
/* AVX2: panels of 8 output columns; k in steps of 8 stored as int16 pairs. */
enum { IGEMM_AVX2_PANEL = 8, IGEMM_AVX2_KSTEP = 8 };
size_t igemm_avx2_packed_size(ptrdiff_t n, ptrdiff_t k);
void igemm_avx2_pack(const int8_t *w, ptrdiff_t n, ptrdiff_t k, int16_t *packed);
/* igemm_avx2_gemm writes int32 or float outputs, igemm_avx2_gemm_u8 uint8 ones. */
void igemm_avx2_gemm(ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, const uint8_t *x, ptrdiff_t ldx,
                  const int16_t *packed, const igemm_output *out);
void igemm_avx2_gemm_u8(ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, const uint8_t *x, ptrdiff_t ldx,
                        const int16_t *packed, const igemm_output *out);

/* AVX-512 VNNI: panels of 16 output columns; k in groups of 4 bytes. */
enum { IGEMM_VNNI_PANEL = 16, IGEMM_VNNI_KSTEP = 4 };
size_t igemm_vnni_packed_size(ptrdiff_t n, ptrdiff_t k);
void igemm_vnni_pack(const int8_t *w, ptrdiff_t n, ptrdiff_t k, int8_t *packed);
void igemm_vnni_gemm(ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, const uint8_t *x, ptrdiff_t ldx,
                  const int8_t *packed, const igemm_output *out);
void igemm_vnni_gemm_u8(ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, const uint8_t *x, ptrdiff_t ldx,
                        const int8_t *packed, const igemm_output *out);
void igemm_avx512_min_max(const float *x, size_t count, float *min, float *max);
void igemm_avx512_quantize_u8(const float *x, size_t count, float inv_scale, int32_t zero_point,
                           uint8_t *codes);
/* The low-bit kernels (lowbit_avx2.c, lowbit_vnni.c). */
enum { IGEMM_LOWBIT_AVX2_PANEL = 8, IGEMM_LOWBIT_VNNI_PANEL = 16 };
void igemm_lowbit_avx2_gemm(const igemm_lowbit_call *call);
void igemm_lowbit_vnni_gemm(const igemm_lowbit_call *call);
#endif

#endif
