/* libFuzzer harness: the text-stamp font path over an untrusted font file.
 * The input is the font's bytes: it is loaded (our checks, then HarfBuzz),
 * a Vietnamese line is shaped with it, the glyphs are subset with
 * hb-subset and the PDF font objects and TJ operators are built. Besides
 * memory errors it checks the promises: a failure leaves nothing behind,
 * a success gives a subset holding every glyph the line uses. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "appearance/text_font.h"
#include "util/util.h"
#include "vbsig/status.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int sink(void *ud, const char *dict, size_t dict_len, const uint8_t *d, size_t len, int flate, uint32_t *num)
{
    (void)dict, (void)dict_len, (void)d, (void)len, (void)flate;
    *num = ++*(uint32_t *)ud;
    return VBSIG_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vbsig__text_font *f = NULL;
    if (vbsig__text_font_from_mem(data, size, "fuzz.ttf", &f) != VBSIG_OK) {
        if (f != NULL)
            abort();
        return 0;
    }
    vbsig__glyph_run run;
    if (vbsig__text_shape(f, "SAO Y VĂN PHÒNG 15/QĐ-UBND 2026-11-22T09:30:15+07:00", &run) == VBSIG_OK) {
        uint32_t objs = 0;
        vbsig__embedded_font e;
        if (vbsig__font_embed(f, &run, 1, sink, &objs, &e) == VBSIG_OK) {
            for (size_t i = 0; i < run.n; i++)
                if (vbsig__font_subset_cid(&e.sub, run.g[i].gid) == UINT32_MAX)
                    abort();
            vbsig_bytes c;
            vbsig_bytes_init(&c);
            if (vbsig__font_show_run(&e, f, &run, "F1", 10, 0, 0, &c) != VBSIG_OK)
                abort();
            vbsig_bytes_free(&c);
            vbsig__embedded_font_free(&e);
        }
        vbsig__glyph_run_free(&run);
    }
    vbsig__text_font_free(f);
    return 0;
}
