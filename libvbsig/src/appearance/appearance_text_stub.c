/* Until the text stamps (attachment, copy) land in appearance_text.c,
 * asking for one fails clearly rather than signing invisibly. */
#include "appearance/appearance.h"

#include "vbsig/status.h"

int vbsig__appearance_build_text(vbsig__ap_writer *w, const vbsig__appearance_ctx *ac, vbsig__appearance_out *out)
{
    (void)w;
    (void)ac;
    (void)out;
    return vbsig_fail(VBSIG_E_UNSUPPORTED, _("text stamps (attachment, copy) are not available in this build yet"));
}
