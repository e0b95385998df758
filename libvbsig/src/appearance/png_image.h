/* PNG images for visible signatures: decoded with libpng into the two
 * planes a PDF image XObject needs (8-bit RGB samples, and an 8-bit
 * alpha plane that becomes its /SMask). Private to libvbsig. */
#ifndef VBSIG_APPEARANCE_PNG_IMAGE_H
#define VBSIG_APPEARANCE_PNG_IMAGE_H

#include <stddef.h>
#include <stdint.h>

/* Safety limits: a signature or seal image is a few hundred pixels wide;
 * anything near these is not one, and decoding it would cost memory
 * without bound. */
#define VBSIG__PNG_MAX_BYTES (8u * 1024u * 1024u)
#define VBSIG__PNG_MAX_SIDE 8192u
#define VBSIG__PNG_MAX_PIXELS (16u * 1024u * 1024u)

typedef struct vbsig__png_image {
    uint32_t width, height;
    uint8_t *rgb;     /* width*height*3 bytes, rows top to bottom */
    uint8_t *alpha;   /* width*height bytes, or NULL when every pixel is opaque */
    /* Pixels per metre from pHYs (unit: metre), 0 when the PNG does not say. */
    uint32_t ppm_x, ppm_y;
} vbsig__png_image;

/* Decodes a whole PNG held in memory. Errors (message set):
 * VBSIG_E_MALFORMED (not a PNG, a bad CRC, truncated, corrupt data),
 * VBSIG_E_LIMIT (bytes, side or pixel count over the limits above),
 * VBSIG_E_NOMEM. `what` names the input in messages (a file name). On
 * error *out is left empty. */
int vbsig__png_decode(const uint8_t *data, size_t len, const char *what, vbsig__png_image *out);
void vbsig__png_image_free(vbsig__png_image *img);

#endif
