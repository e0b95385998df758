/* PNG decoding for visible signatures, through libpng (never by hand). */
#include "appearance/png_image.h"

#include "appearance/png_dl.h"
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"
#include "vbsig/status.h"

struct mem_src {
    const uint8_t *data;
    size_t len, pos;
    char msg[200]; /* libpng's reason, kept for our message */
    int over_limit; /* libpng warned that a side exceeds our limit */
};

static void read_mem(png_structp png, png_bytep dst, png_size_t n)
{
    struct mem_src *src = png_get_io_ptr(png);
    if (n > src->len - src->pos)
        png_error(png, "truncated PNG data");
    memcpy(dst, src->data + src->pos, n);
    src->pos += n;
}

/* libpng reports through these; errors must not return, so they jump back
 * to the setjmp in decode_rows. */
static void on_error(png_structp png, png_const_charp msg)
{
    struct mem_src *src = png_get_error_ptr(png);
    snprintf(src->msg, sizeof src->msg, "%s", msg);
    png_longjmp(png, 1);
}

/* Warnings (a gamma chunk out of range …) do not stop decoding; but a side
 * over png_set_user_limits comes as a warning followed by the error
 * "Invalid IHDR data", and the warning is what tells the limit apart. */
static void on_warning(png_structp png, png_const_charp msg)
{
    struct mem_src *src = png_get_error_ptr(png);
    if (strstr(msg, "exceeds user limit") != NULL)
        src->over_limit = 1;
}

/* Everything after setjmp lives in `img` and `rows`, owned by the caller,
 * so a longjmp loses nothing that needs freeing. */
static int decode_rows(png_structp png, png_infop info, vbsig__png_image *img, uint8_t **buf,
                       png_bytep *volatile *rows_out)
{
    if (setjmp(png_jmpbuf(png)))
        return VBSIG_E_MALFORMED;
    png_set_crc_action(png, PNG_CRC_ERROR_QUIT, PNG_CRC_ERROR_QUIT);
    png_set_user_limits(png, VBSIG__PNG_MAX_SIDE, VBSIG__PNG_MAX_SIDE);
    png_set_chunk_malloc_max(png, VBSIG__PNG_MAX_BYTES);
    png_read_info(png, info);
    png_uint_32 w = png_get_image_width(png, info), h = png_get_image_height(png, info);
    if ((uint64_t)w * h > VBSIG__PNG_MAX_PIXELS)
        return VBSIG_E_LIMIT;
    png_uint_32 rx = 0, ry = 0;
    int unit = 0;
    if (png_get_pHYs(png, info, &rx, &ry, &unit) && unit == PNG_RESOLUTION_METER) {
        img->ppm_x = rx;
        img->ppm_y = ry;
    }
    /* One output shape whatever the input: 8-bit RGBA. */
    png_set_expand(png);
    png_set_strip_16(png);
    png_set_gray_to_rgb(png);
    png_set_add_alpha(png, 0xff, PNG_FILLER_AFTER);
    (void)png_set_interlace_handling(png);
    png_read_update_info(png, info);
    if (png_get_channels(png, info) != 4 || png_get_rowbytes(png, info) != (size_t)w * 4)
        return VBSIG_E_UNSUPPORTED;
    *buf = malloc((size_t)w * h * 4);
    png_bytep *rows = malloc(sizeof *rows * h);
    *rows_out = rows;
    if (*buf == NULL || rows == NULL)
        return VBSIG_E_NOMEM;
    for (png_uint_32 y = 0; y < h; y++)
        rows[y] = *buf + (size_t)y * w * 4;
    png_read_image(png, rows);
    png_read_end(png, NULL);
    img->width = w;
    img->height = h;
    return VBSIG_OK;
}

/* Splits RGBA into the RGB samples and an alpha plane (dropped when all 255). */
static int split_planes(const uint8_t *rgba, vbsig__png_image *img)
{
    size_t n = (size_t)img->width * img->height;
    img->rgb = malloc(n * 3);
    img->alpha = malloc(n);
    if (img->rgb == NULL || img->alpha == NULL)
        return VBSIG_E_NOMEM;
    int opaque = 1;
    for (size_t i = 0; i < n; i++) {
        memcpy(img->rgb + i * 3, rgba + i * 4, 3);
        img->alpha[i] = rgba[i * 4 + 3];
        opaque &= img->alpha[i] == 0xff;
    }
    if (opaque) {
        free(img->alpha);
        img->alpha = NULL;
    }
    return VBSIG_OK;
}

int vbsig__png_decode(const uint8_t *data, size_t len, const char *what, vbsig__png_image *out)
{
    memset(out, 0, sizeof *out);
    if (len > VBSIG__PNG_MAX_BYTES)
        return vbsig_fail(VBSIG_E_LIMIT, _("%s: the image is larger than %u bytes"), what,
                          (unsigned)VBSIG__PNG_MAX_BYTES);
    int loaded = vbsig__png_require();
    if (loaded != VBSIG_OK)
        return loaded;
    if (len < 8 || png_sig_cmp(data, 0, 8) != 0)
        return vbsig_fail(VBSIG_E_MALFORMED, _("%s: not a PNG image (only PNG is accepted)"), what);
    struct mem_src src = {data, len, 0, "", 0};
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &src, on_error, on_warning);
    png_infop info = png == NULL ? NULL : png_create_info_struct(png);
    if (info == NULL) {
        png_destroy_read_struct(&png, NULL, NULL);
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    png_set_read_fn(png, &src, read_mem);
    uint8_t *rgba = NULL;
    png_bytep *volatile rows = NULL;
    int rc = decode_rows(png, info, out, &rgba, &rows);
    png_destroy_read_struct(&png, &info, NULL);
    free(rows);
    if (rc == VBSIG_OK)
        rc = split_planes(rgba, out);
    free(rgba);
    if (rc == VBSIG_OK)
        return VBSIG_OK;
    vbsig__png_image_free(out);
    if (rc == VBSIG_E_LIMIT)
        return vbsig_fail(rc, _("%s: the image has more than %u pixels"), what, (unsigned)VBSIG__PNG_MAX_PIXELS);
    if (rc == VBSIG_E_NOMEM)
        return vbsig_fail(rc, _("out of memory"));
    if (rc == VBSIG_E_UNSUPPORTED)
        return vbsig_fail(rc, _("%s: this PNG pixel format is not supported"), what);
    /* libpng's own limit errors say "Image width/height exceeds user limit". */
    if (src.over_limit || strstr(src.msg, "exceeds user limit") != NULL)
        return vbsig_fail(VBSIG_E_LIMIT, _("%s: the image is wider or taller than %u pixels"), what,
                          VBSIG__PNG_MAX_SIDE);
    return vbsig_fail(VBSIG_E_MALFORMED, _("%s: a damaged PNG image (%s)"), what, src.msg);
}

void vbsig__png_image_free(vbsig__png_image *img)
{
    if (img == NULL)
        return;
    free(img->rgb);
    free(img->alpha);
    memset(img, 0, sizeof *img);
}
