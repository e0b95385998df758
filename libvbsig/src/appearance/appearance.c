/* The appearance dispatcher: which layout builds the form of a widget. */
#include "appearance/appearance.h"

#include <string.h>

#include "vbsig/status.h"

void vbsig__appearance_out_init(vbsig__appearance_out *out)
{
    memset(out, 0, sizeof *out);
    vbsig_bytes_init(&out->content);
    vbsig_bytes_init(&out->resources);
}

void vbsig__appearance_out_free(vbsig__appearance_out *out)
{
    vbsig_bytes_free(&out->content);
    vbsig_bytes_free(&out->resources);
    vbsig__appearance_out_init(out);
}

int vbsig__appearance_build(vbsig__ap_writer *w, const vbsig__appearance_ctx *ac, vbsig__appearance_out *out)
{
    vbsig__appearance_out_init(out);
    int rc;
    switch (ac->ap->kind) {
    case VBSIG_APPEARANCE_LEADER:
    case VBSIG_APPEARANCE_SEAL:
        rc = vbsig__appearance_build_image(w, ac, out);
        break;
    case VBSIG_APPEARANCE_ATTACHMENT:
    case VBSIG_APPEARANCE_COPY:
        rc = vbsig__appearance_build_text(w, ac, out);
        break;
    default:
        rc = vbsig_fail(VBSIG_E_INVALID_ARG, _("unknown appearance kind %d"), (int)ac->ap->kind);
        break;
    }
    if (rc == VBSIG_OK && (out->disp[2] <= 0 || out->disp[3] <= 0))
        rc = vbsig_fail(VBSIG_E_INTERNAL, _("the signature appearance has an empty box"));
    if (rc != VBSIG_OK)
        vbsig__appearance_out_free(out);
    return rc;
}
