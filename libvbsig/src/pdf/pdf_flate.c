/* FlateDecode (zlib) and the PNG predictors that usually follow it in
 * cross-reference and object streams. Output never grows past max_out. */
#include <stdlib.h>
#include <string.h>
#include "pdf/pdf_internal.h"
#include <zlib.h>

#define INFLATE_CHUNK ((size_t)64 * 1024)

int pdf_flate_decode(const uint8_t *in, size_t n, size_t max_out, vbsig_bytes *out, const char *what)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit(&zs) != Z_OK)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    int rc = VBSIG_OK, z = Z_OK;
    size_t consumed = 0;
    while (z != Z_STREAM_END) {
        if (out->len >= max_out) {
            rc = vbsig_fail(VBSIG_E_LIMIT, _("%s: the decompressed stream exceeds the limit of %zu bytes"), what,
                            max_out);
            break;
        }
        size_t room = max_out - out->len < INFLATE_CHUNK ? max_out - out->len : INFLATE_CHUNK;
        if ((rc = vbsig_bytes_reserve(out, room)) != VBSIG_OK)
            break;
        size_t feed = n - consumed > UINT32_MAX ? UINT32_MAX : n - consumed;
        zs.next_in = (Bytef *)(uintptr_t)(in + consumed);
        zs.avail_in = (uInt)feed;
        zs.next_out = out->data + out->len;
        zs.avail_out = (uInt)room;
        z = inflate(&zs, Z_NO_FLUSH);
        consumed += feed - zs.avail_in;
        out->len += room - zs.avail_out;
        if (z == Z_BUF_ERROR && consumed == n)
            break; /* the data ended without zlib's end marker: many writers do that */
        if (z != Z_OK && z != Z_STREAM_END && z != Z_BUF_ERROR) {
            rc = vbsig_fail(VBSIG_E_MALFORMED, _("%s: corrupt FlateDecode data after %zu input bytes"), what,
                            consumed);
            break;
        }
        if (z == Z_OK && consumed == n && zs.avail_out != 0)
            break;
    }
    inflateEnd(&zs);
    return rc;
}

static uint8_t paeth(uint8_t a, uint8_t b, uint8_t c)
{
    int p = (int)a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
    if (pa <= pb && pa <= pc)
        return a;
    return pb <= pc ? b : c;
}

/* Rows of 1 + row_len bytes (the first byte names the PNG filter) become
 * rows of row_len bytes, in place. A short final row is dropped. */
int pdf_predictor_decode(vbsig_bytes *data, int64_t predictor, int64_t colors, int64_t bpc, int64_t columns,
                         const char *what)
{
    if (predictor == 1)
        return VBSIG_OK;
    if (predictor < 10 || predictor > 15)
        return vbsig_fail(VBSIG_E_UNSUPPORTED, _("%s: predictor %lld is not supported"), what, (long long)predictor);
    if (colors < 1 || colors > 32 || (bpc != 1 && bpc != 2 && bpc != 4 && bpc != 8 && bpc != 16) || columns < 1 ||
        columns > (1 << 24))
        return vbsig_fail(VBSIG_E_MALFORMED, _("%s: bad predictor parameters"), what);
    size_t bpp = (size_t)((colors * bpc + 7) / 8);
    size_t row_len = (size_t)((colors * bpc * columns + 7) / 8);
    size_t rows = data->len / (row_len + 1), o = 0;
    if (rows == 0) {
        /* Checked before sizing anything by /Columns, which is hostile input. */
        data->len = 0;
        return VBSIG_OK;
    }
    uint8_t *prev = calloc(1, row_len);
    if (prev == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    for (size_t r = 0; r < rows; r++) {
        const uint8_t *src = data->data + r * (row_len + 1);
        uint8_t type = src[0];
        uint8_t *dst = data->data + o; /* dst trails src, so in place is safe */
        for (size_t i = 0; i < row_len; i++) {
            uint8_t x = src[1 + i], a = i >= bpp ? dst[i - bpp] : 0, b = prev[i], c = i >= bpp ? prev[i - bpp] : 0;
            switch (type) {
            case 0: break;
            case 1: x = (uint8_t)(x + a); break;
            case 2: x = (uint8_t)(x + b); break;
            case 3: x = (uint8_t)(x + ((a + b) >> 1)); break;
            case 4: x = (uint8_t)(x + paeth(a, b, c)); break;
            default:
                free(prev);
                return vbsig_fail(VBSIG_E_MALFORMED, _("%s: unknown PNG filter type %u in row %zu"), what, type, r);
            }
            dst[i] = x;
        }
        memcpy(prev, dst, row_len);
        o += row_len;
    }
    free(prev);
    data->len = o;
    return VBSIG_OK;
}
