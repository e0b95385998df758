/* One file of an archive renewal: verify, decide, and only when due extend
 * to B-LTA in the file's own format and verify what was written. A file not
 * due is read and nothing else, so it stays byte for byte what it was. */
#include <string.h>

#include "util/util.h"
#include "vbsig/cades.h"
#include "vbsig/pades.h"
#include "vbsig/verify.h"
#include "vbsig/xades.h"
#include "verify/verify_priv.h"

static int extend_lta(vbsig_ctx *ctx, const vbsig_tsp_opts *tsp, const char *format, const char *in, const char *out)
{
    if (strcmp(format, "pades") == 0) {
        vbsig_pades_extend_opts o;
        vbsig_pades_extend_opts_init(&o);
        o.level = VBSIG_LEVEL_B_LTA;
        o.tsp = tsp;
        return vbsig_pades_extend_file(ctx, &o, in, out);
    }
    if (strcmp(format, "cades") == 0) {
        vbsig_cades_extend_opts o;
        vbsig_cades_extend_opts_init(&o);
        o.level = VBSIG_LEVEL_B_LTA;
        o.tsp = tsp;
        return vbsig_cades_extend_file(ctx, &o, in, out);
    }
    vbsig_xml_extend_opts o;
    vbsig_xml_extend_opts_init(&o);
    o.level = VBSIG_LEVEL_B_LTA;
    o.tsp = tsp;
    return vbsig_xml_extend_file(ctx, &o, in, out);
}

int vbsig__renew_file(vbsig_ctx *ctx, const vbsig_renew_opts *opts, const char *in, const char *out,
                      vbsig_report **report, vbsig_renewal *decision, int *renewed)
{
    *report = NULL;
    *renewed = 0;
    memset(decision, 0, sizeof *decision);
    vbsig_report *r = NULL;
    int rc = vbsig_verify_file(ctx, in, NULL, &r);
    if (rc == VBSIG_OK)
        rc = vbsig_report_renewal_due(r, opts->now != 0 ? opts->now : time(NULL), opts->within_seconds, decision);
    if (rc != VBSIG_OK || !decision->due) {
        *report = r;
        return rc;
    }
    /* The format as verification read it, so the two cannot disagree. */
    rc = extend_lta(ctx, opts->tsp, vbsig_report_format(r), in, out);
    vbsig_report_free(r);
    if (rc != VBSIG_OK)
        return rc;
    *renewed = 1;
    return vbsig_verify_file(ctx, out, NULL, report);
}
