/* Bit-packed weight codes: the storage of the formats of igemm_format.
 *
 * Portable C for now (packing runs once per model, not per inference). The
 * layout is the public header's: rows on byte boundaries, codes little-endian
 * within a byte, padding bits 0. */
#include "internal.h"

int igemm_format_bits(igemm_format format) {
    switch (format) {
    case IGEMM_FORMAT_INT8: return 8;
    case IGEMM_FORMAT_INT4: return 4;
    case IGEMM_FORMAT_INT2: return 2;
    case IGEMM_FORMAT_BINARY: return 1;
    case IGEMM_FORMAT_TERNARY: return 2;
    }
    return 0;
}

/* Whether `format` can store `code`. */
static int code_is_valid(igemm_format format, int8_t code) {
    switch (format) {
    case IGEMM_FORMAT_INT8: return 1;
    case IGEMM_FORMAT_INT4: return code >= -8 && code <= 7;
    case IGEMM_FORMAT_INT2: return code >= -2 && code <= 1;
    case IGEMM_FORMAT_BINARY: return code == -1 || code == 1;
    case IGEMM_FORMAT_TERNARY: return code >= -1 && code <= 1;
    }
    return 0;
}

/* The `bits`-bit field that stores a valid code: its low bits (two's
 * complement), or for BINARY 1 for +1 and 0 for −1. */
static uint8_t field_of(igemm_format format, int8_t code, int bits) {
    if (format == IGEMM_FORMAT_BINARY) return code > 0 ? 1 : 0;
    return (uint8_t)((uint8_t)code & ((1u << bits) - 1u));
}

/* The code a field stores: the field sign-extended from `bits` bits, or ±1. */
static int8_t code_of(igemm_format format, uint8_t field, int bits) {
    if (format == IGEMM_FORMAT_BINARY) return field ? 1 : -1;
    const int v = field, half = 1 << (bits - 1);
    return (int8_t)(v >= half ? v - (1 << bits) : v);
}

/* Bytes per row: ceil(k · bits / 8). */
static ptrdiff_t row_bytes(igemm_format format, ptrdiff_t k) {
    return igemm_div_up(k * igemm_format_bits(format), 8);
}

ptrdiff_t igemm_groups_per_row(ptrdiff_t k, ptrdiff_t group_size) {
    return group_size == IGEMM_GROUP_ROW ? 1 : igemm_div_up(k, group_size);
}

size_t igemm_packed_bits_size(igemm_format format, ptrdiff_t n, ptrdiff_t k) {
    return (size_t)(n * row_bytes(format, k));
}

ptrdiff_t igemm_pack_bits(igemm_format format, const int8_t *codes, ptrdiff_t n, ptrdiff_t k,
                          uint8_t *out) {
    const int bits = igemm_format_bits(format), per_byte = 8 / bits;
    const ptrdiff_t stride = row_bytes(format, k);
    if (n * stride > 0) memset(out, 0, (size_t)(n * stride));   /* padding bits are 0 */
    for (ptrdiff_t j = 0; j < n; j++)
        for (ptrdiff_t t = 0; t < k; t++) {
            const int8_t code = codes[j * k + t];
            if (!code_is_valid(format, code)) return j * k + t;
            out[j * stride + t / per_byte] |= (uint8_t)(field_of(format, code, bits) << (bits * (t % per_byte)));
        }
    return -1;
}

void igemm_unpack_bits(igemm_format format, const uint8_t *packed, ptrdiff_t n, ptrdiff_t k,
                       int8_t *codes) {
    const int bits = igemm_format_bits(format), per_byte = 8 / bits;
    const unsigned mask = (1u << bits) - 1u;
    const ptrdiff_t stride = row_bytes(format, k);
    for (ptrdiff_t j = 0; j < n; j++)
        for (ptrdiff_t t = 0; t < k; t++) {
            const uint8_t field = (uint8_t)((packed[j * stride + t / per_byte] >> (bits * (t % per_byte))) & mask);
            codes[j * k + t] = code_of(format, field, bits);
        }
}
