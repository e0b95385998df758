/* vbsig sign for PDF documents: the PDF-only options, as PAdES options. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

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

void cli_pdf_sign_opts(const cli_pdf_args *a, const vbsig_cades_sign_opts *opts, vbsig_pades_sign_opts *po)
{
    vbsig_pades_sign_opts_init(po);
    po->digest = opts->digest;
    po->level = opts->level;
    po->tsp = opts->tsp;
    po->include_chain = opts->include_chain;
    po->reason = a->reason;
    po->location = a->location;
    po->contact_info = a->contact;
    po->name = a->name;
    po->field_name = a->field;
    po->certify = a->certify;
    po->verify_after_sign = opts->verify_after_sign;
}
