/* The form of a text stamp (Decree 30/2020 Appendix I: attachments and
 * electronic copies): lines of text right-aligned, Times New Roman
 * compatible, 10 pt, upright, black. */
#ifndef VBSIG_TEXT_STAMP_H
#define VBSIG_TEXT_STAMP_H

#include "appearance/text_font.h"

#define VBSIG__STAMP_FONT_PT 10.0
#define VBSIG__STAMP_LEADING_PT 12.0  /* 1.2 x the size, the usual single spacing */
#define VBSIG__STAMP_PAD_PT 2.0       /* between the text and the widget's edges */
#define VBSIG__STAMP_MAX_LINES 4

typedef struct vbsig__text_stamp {
    double w, h;              /* the form's /BBox [0 0 w h], points */
    vbsig_bytes content;      /* the form's content stream */
    vbsig_bytes resources;    /* "<< /Font << /F1 n 0 R >> … >>" */
    size_t font_bytes;        /* the embedded subset's size, for the bench */
} vbsig__text_stamp;

/* Shapes lines with the font at font_path (NULL: the default font) and
 * writes the font's objects through sink. fixed_wh NULL: the box fits the
 * text; else the box is fixed_wh[0] x fixed_wh[1] points, and text that
 * does not fit is VBSIG_E_INVALID_ARG. */
int vbsig__text_stamp_build(const char *const *lines, size_t nlines, const char *font_path, const double *fixed_wh,
                            vbsig__obj_sink sink, void *ud, vbsig__text_stamp *out);
void vbsig__text_stamp_free(vbsig__text_stamp *s);

#endif
