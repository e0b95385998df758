/* The one call site through which a visible signature placed by a text
 * anchor gets its rectangle. The anchor finder (pdf/pdf_text_*.c) is
 * written separately; until it is wired in, anchor_hook.c answers
 * VBSIG_E_UNSUPPORTED so an anchored placement fails clearly instead of
 * guessing. */
#ifndef VBSIG_APPEARANCE_ANCHOR_HOOK_H
#define VBSIG_APPEARANCE_ANCHOR_HOOK_H

#include "pdf/pdf.h"

/* Finds `anchor` (UTF-8; NULL: the usual title words of a signature block)
 * on page `page` (1-based; 0: the last page, then earlier ones) and returns
 * the gap below it as a rectangle in default user space of that page
 * (points: x0, y0, x1, y1) and the page it was found on. */
int vbsig__pades_anchor_rect(const vbsig_pdf_doc *doc, const char *anchor, unsigned page,
                             unsigned *found_page, double rect_pt[4]);

#endif
