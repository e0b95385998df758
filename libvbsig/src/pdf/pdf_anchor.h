/* Where a leader's signature image goes (Decree 30/2020 Appendix I): the
 * gap between the title line of the signature block ("CHỦ TỊCH",
 * "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH", "GIÁM ĐỐC" …) and the next text line below
 * it in the same column (the signer's name), found from the page's
 * positioned text (pdf_text_lines.h). Private to the library: the PAdES
 * signer turns the gap into a widget rectangle. */
#ifndef VBSIG_PDF_ANCHOR_H
#define VBSIG_PDF_ANCHOR_H

#include <stddef.h>

#include "pdf/pdf.h"
#include "pdf/pdf_content_bbox.h"

/* Without a line below the anchor in its column (the name is on the next
 * page, or not yet written), the gap is this many ems of the anchor line
 * tall, cut at the page box. */
#define VBSIG_PDF_GAP_DEFAULT_EMS 4.0

/* Pages searched from the end when no page is given: a signature block
 * closes a document, and pages sharing one huge content stream must not
 * multiply the work without bound. */
#define VBSIG_PDF_ANCHOR_MAX_PAGES 500

typedef struct vbsig_pdf_signature_gap {
    size_t page;             /* 0-based index of the page it is on */
    /* In the page's default user space (PDF points, origin bottom left, the
     * page's /Rotate not applied). */
    /* x0..x1: the column, the span around the anchor that no other text
     * enters between the gap's bottom and the anchor's top (up to the page
     * box: centre the image on the anchor, not on the column); y1: the
     * anchor line's bottom (descent); y0: the next line's top (ascent),
     * see has_next. */
    vbsig_pdf_rect gap;
    vbsig_pdf_rect anchor;   /* the box of the anchor's line (all of the words that matched) */
    vbsig_pdf_rect next;     /* the box of the next line; zero when has_next is 0 */
    int has_next;            /* 0: no line below in the column, gap of the default height */
    vbsig_pdf_rect page_box; /* the page's CropBox, else MediaBox */
    char *anchor_text;       /* the matched line's text (UTF-8, NFC), malloc'ed */
    char *next_text;         /* the next line's text, NULL when has_next is 0 */
} vbsig_pdf_signature_gap;

/* Finds the anchor's line on page `page` (0-based) of revision rev, or,
 * when page is -1, on the last page and then on each earlier one until
 * found (at most VBSIG_PDF_ANCHOR_MAX_PAGES of them). anchor_utf8 NULL
 * looks for the title words of a signature block (a whole line that is a
 * title such as "CHỦ TỊCH", "GIÁM ĐỐC", or begins with an authority marker
 * "TM.", "KT.", "TL.", "TUQ.", "Q."), taking the lowest such line of the
 * page: the title right above the name. An explicit anchor matches any
 * line holding it, NFC-normalised and with runs of white space as one
 * space, case and diacritics exact; the lowest match of the page is
 * taken. Words of one baseline spread apart by justification count as one
 * line.
 *
 * Errors: VBSIG_E_MALFORMED naming the anchor when it is not found (the
 * input lacks what it was asked to hold: exit 65 at the command line),
 * VBSIG_E_UNSUPPORTED for an encrypted document, VBSIG_E_INVALID_ARG for a
 * page out of range or an anchor that is not UTF-8 or is blank,
 * VBSIG_E_NOMEM; reading errors of the page tree as they come. On success
 * free out with vbsig__pdf_signature_gap_free (on failure there is nothing
 * to free). */
int vbsig__pdf_find_signature_gap(vbsig_pdf_doc *doc, size_t rev, const char *anchor_utf8, int page,
                                  vbsig_pdf_signature_gap *out);
void vbsig__pdf_signature_gap_free(vbsig_pdf_signature_gap *gap);

/* 1 when a line's text (NFC) is a title of a signature block, for tests. */
int vbsig__pdf_is_title_line(const char *text);

#endif
