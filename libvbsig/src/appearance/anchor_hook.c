/* Placeholder for the text-anchor finder (see anchor_hook.h): the lead
 * replaces this body with the call into pdf/pdf_text_*.c. */
#include "appearance/anchor_hook.h"

#include "util/util.h"
#include "vbsig/status.h"

int vbsig__pades_anchor_rect(const vbsig_pdf_doc *doc, const char *anchor, unsigned page,
                             unsigned *found_page, double rect_pt[4])
{
    (void)doc;
    (void)page;
    (void)rect_pt;
    if (found_page != NULL)
        *found_page = 0;
    return vbsig_fail(VBSIG_E_UNSUPPORTED, _("placing a signature by the text anchor \"%s\" is not available yet"),
                      anchor != NULL ? anchor : "");
}
