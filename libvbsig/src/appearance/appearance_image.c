#include "appearance/appearance.h"
#include "vbsig/status.h"
int vbsig__appearance_build_image(vbsig__ap_writer *w, const vbsig__appearance_ctx *ac, vbsig__appearance_out *out)
{
    (void)w; (void)ac; (void)out;
    return vbsig_fail(VBSIG_E_UNSUPPORTED, "todo");
}
