/* Inside the text-stamp font code only: the font handle's HarfBuzz parts. */
#ifndef VBSIG_TEXT_FONT_PRIV_H
#define VBSIG_TEXT_FONT_PRIV_H

#include "appearance/hb_dl.h"

#include "appearance/text_font.h"

struct vbsig__text_font {
    char *name;        /* for messages: the path, or the caller's name */
    uint8_t *data;     /* owned by blob */
    size_t len;
    unsigned upem;
    hb_blob_t *blob;
    hb_face_t *face;
    hb_font_t *font;   /* scale = upem: positions come in font units */
};

#endif
