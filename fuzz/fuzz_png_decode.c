/* libFuzzer harness: the PNG decoder of visible signatures (libpng behind
 * our limits). Besides memory errors it checks the decoder's promises:
 * a success has planes of the stated size within the limits, a failure
 * leaves nothing allocated. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "appearance/png_image.h"
#include "util/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vbsig__png_image img;
    int rc = vbsig__png_decode(data, size, "fuzz.png", &img);
    if (rc == VBSIG_OK) {
        if (img.rgb == NULL || img.width == 0 || img.height == 0 || img.width > VBSIG__PNG_MAX_SIDE ||
            (uint64_t)img.width * img.height > VBSIG__PNG_MAX_PIXELS)
            abort();
        /* Touch the last byte of each plane: ASan catches a short buffer. */
        size_t px = (size_t)img.width * img.height;
        volatile uint8_t sink = img.rgb[px * 3 - 1];
        if (img.alpha != NULL)
            sink = img.alpha[px - 1];
        (void)sink;
    } else if (img.rgb != NULL || img.alpha != NULL || rc == VBSIG_E_INTERNAL) {
        abort();
    }
    vbsig__png_image_free(&img);
    return 0;
}
