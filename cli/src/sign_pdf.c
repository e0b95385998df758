/* vbsig sign for PDF documents: options to vbsig_pades_sign_file. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sign_pdf.h"

int cli_pdf_option(cli_pdf_args *a, int c, const char *arg)
{
    switch (c) {
    case CLI_OPT_REASON: a->reason = arg; break;
    case CLI_OPT_LOCATION: a->location = arg; break;
    case CLI_OPT_CONTACT: a->contact = arg; break;
    case CLI_OPT_FIELD: a->field = arg; break;
    case CLI_OPT_SIGNER_NAME: a->name = arg; break;
    case CLI_OPT_CERTIFY:
        if (strcmp(arg, "1") != 0 && strcmp(arg, "2") != 0 && strcmp(arg, "3") != 0) {
            cli_usage_error("sign", _("--certify takes 1 (no changes), 2 (form filling and signing) or 3 (also annotations), not '%s'"),
                            arg);
            return -1;
        }
        a->certify = arg[0] - '0';
        break;
    default: return 0;
    }
    a->given = 1;
    return 1;
}

int cli_sign_pdf(vbsig_ctx *ctx, vbsig_signer *signer, const cli_pdf_args *a, const vbsig_cades_sign_opts *opts,
                 const char *in, const char *out)
{
    vbsig_pades_sign_opts po;
    vbsig_pades_sign_opts_init(&po);
    po.digest = opts->digest;
    po.level = opts->level;
    po.tsp = opts->tsp;
    po.include_chain = opts->include_chain;
    po.reason = a->reason;
    po.location = a->location;
    po.contact_info = a->contact;
    po.name = a->name;
    po.field_name = a->field;
    po.certify = a->certify;
    po.verify_after_sign = opts->verify_after_sign;
    if (!a->lt)
        return vbsig_pades_sign_file(ctx, signer, in, out, &po);
    /* B-LT / B-LTA: the B-T signature goes to a temporary file next to out,
     * which extending then turns into out; out appears only when both work. */
    size_t n = strlen(out) + 16;
    char *tmp = malloc(n);
    if (tmp == NULL)
        return vbsig_set_error(VBSIG_E_NOMEM, _("out of memory"));
    snprintf(tmp, n, "%s.bt-XXXXXX", out);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        free(tmp);
        return vbsig_set_error(VBSIG_E_IO_WRITE, _("cannot create a temporary file next to the output"));
    }
    close(fd);
    int rc = cli_load_default_config(ctx, NULL);
    if (rc == VBSIG_OK)
        rc = vbsig_pades_sign_file(ctx, signer, in, tmp, &po);
    if (rc == VBSIG_OK)
        rc = cli_extend_pdf(ctx, a->lt == 2, opts->tsp, tmp, out);
    unlink(tmp);
    free(tmp);
    return rc;
}
