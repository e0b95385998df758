/* The image layouts (leader, seal): the PNG as an RGB image XObject with
 * a DeviceGray /SMask from its alpha (without the mask the transparent
 * parts paint black or the image vanishes in some viewers), drawn to fill
 * the form's box. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "appearance/appearance.h"
#include "appearance/image_place.h"
#include "appearance/png_image.h"
#include "vbsig/status.h"

/* The whole file, at most VBSIG__PNG_MAX_BYTES (one byte more is read to
 * tell a larger file apart). */
static int read_png_file(const char *path, uint8_t **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return vbsig_fail(VBSIG_E_IO_READ, _("%s: cannot open the image: %s"), path, strerror(errno));
    uint8_t *buf = malloc(VBSIG__PNG_MAX_BYTES + 1);
    if (buf == NULL) {
        fclose(f);
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    size_t n = fread(buf, 1, VBSIG__PNG_MAX_BYTES + 1, f);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return vbsig_fail(VBSIG_E_IO_READ, _("%s: cannot read the image"), path);
    }
    if (n > VBSIG__PNG_MAX_BYTES) {
        free(buf);
        return vbsig_fail(VBSIG_E_LIMIT, _("%s: the image is larger than %u bytes"), path,
                          (unsigned)VBSIG__PNG_MAX_BYTES);
    }
    *data = buf;
    *len = n;
    return VBSIG_OK;
}

/* The image (and its mask) as objects of the update; *num is the image. */
static int write_image(vbsig__ap_writer *w, const vbsig__png_image *img, uint32_t *num)
{
    char dict[256];
    uint32_t mask = 0;
    size_t px = (size_t)img->width * img->height;
    int rc = VBSIG_OK;
    if (img->alpha != NULL) {
        int n = snprintf(dict, sizeof dict,
                         "<< /Type /XObject /Subtype /Image /Width %u /Height %u /ColorSpace /DeviceGray"
                         " /BitsPerComponent 8 >>",
                         (unsigned)img->width, (unsigned)img->height);
        rc = vbsig__ap_write_object(w, dict, (size_t)n, img->alpha, px, 1, &mask);
    }
    if (rc != VBSIG_OK)
        return rc;
    char smask[40] = "";
    if (mask != 0)
        snprintf(smask, sizeof smask, " /SMask %u 0 R", (unsigned)mask);
    int n = snprintf(dict, sizeof dict,
                     "<< /Type /XObject /Subtype /Image /Width %u /Height %u /ColorSpace /DeviceRGB"
                     " /BitsPerComponent 8 /Interpolate true%s >>",
                     (unsigned)img->width, (unsigned)img->height, smask);
    return vbsig__ap_write_object(w, dict, (size_t)n, img->rgb, px * 3, 1, num);
}

int vbsig__appearance_build_image(vbsig__ap_writer *w, const vbsig__appearance_ctx *ac, vbsig__appearance_out *out)
{
    const vbsig_pades_appearance *ap = ac->ap;
    uint8_t *data = NULL;
    size_t len = 0;
    vbsig__png_image img;
    memset(&img, 0, sizeof img);
    int rc = read_png_file(ap->image_path, &data, &len);
    if (rc == VBSIG_OK)
        rc = vbsig__png_decode(data, len, ap->image_path, &img);
    free(data);
    if (rc != VBSIG_OK)
        return rc;
    vbsig__image_size is = {(double)img.width / img.height, 0};
    if (img.ppm_x > 0) /* pixels per metre */
        is.natural_w = (double)img.width / img.ppm_x * 1000.0 * VBSIG__PT_PER_MM;
    if (ap->kind == VBSIG_APPEARANCE_SEAL)
        rc = vbsig__place_seal(ac->doc, ap, &is, &out->page, out->disp);
    else
        rc = vbsig__place_leader(ac->doc, ap, &is, &out->page, out->disp);
    uint32_t im = 0;
    if (rc == VBSIG_OK)
        rc = write_image(w, &img, &im);
    vbsig__png_image_free(&img);
    if (rc == VBSIG_OK)
        rc = vbsig_bytes_printf(&out->content, "q %.3f 0 0 %.3f 0 0 cm /Im0 Do Q\n", out->disp[2], out->disp[3]);
    if (rc == VBSIG_OK)
        rc = vbsig_bytes_printf(&out->resources, "<< /XObject << /Im0 %u 0 R >> >>", (unsigned)im);
    return rc;
}
