/* vbsig sign for PDF documents: the PDF-only options, as PAdES options. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "sign_pdf.h"

void cli_pdf_args_init(cli_pdf_args *a)
{
    memset(a, 0, sizeof *a);
    vbsig_pades_appearance_init(&a->ap);
}

static int parse_kind(vbsig_pades_appearance *ap, const char *arg)
{
    static const char *const names[] = {"leader", "seal", "attachment", "copy"};
    static const vbsig_appearance_kind kinds[] = {VBSIG_APPEARANCE_LEADER, VBSIG_APPEARANCE_SEAL,
                                                  VBSIG_APPEARANCE_ATTACHMENT, VBSIG_APPEARANCE_COPY};
    for (size_t i = 0; i < 4; i++)
        if (strcmp(arg, names[i]) == 0) {
            ap->kind = kinds[i];
            return 1;
        }
    cli_usage_error("sign", _("--appearance takes leader, seal, attachment or copy, not '%s'"), arg);
    return -1;
}

/* A number of millimetres in (0, max]; 1 when it is one. */
static int parse_mm(const char *s, double max, double *out)
{
    char *end = NULL;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || !(v > 0 && v <= max))
        return 0;
    *out = v;
    return 1;
}

/* "X,Y,W,H" in millimetres, X and Y >= 0, W and H > 0. */
static int parse_rect(const char *arg, double r[4])
{
    const char *p = arg;
    for (int i = 0; i < 4; i++) {
        char *end = NULL;
        r[i] = strtod(p, &end);
        if (end == p || (i < 3 ? *end != ',' : *end != '\0'))
            return 0;
        if (!(i < 2 ? r[i] >= 0 : r[i] > 0) || r[i] > 5000)
            return 0;
        p = end + 1;
    }
    return 1;
}

static int appearance_option(cli_pdf_args *a, int c, const char *arg)
{
    vbsig_pades_appearance *ap = &a->ap;
    switch (c) {
    case CLI_OPT_APPEARANCE: return parse_kind(ap, arg);
    case CLI_OPT_IMAGE: ap->image_path = arg; break;
    case CLI_OPT_ANCHOR: ap->anchor = arg; break;
    case CLI_OPT_OVER_FIELD: ap->over_field = arg; break;
    case CLI_OPT_DOC_NUMBER: ap->doc_number = arg; break;
    case CLI_OPT_COPY_FORM: ap->copy_form = arg; break;
    case CLI_OPT_COPY_ORG: ap->copy_org = arg; break;
    case CLI_OPT_FONT: ap->font_path = arg; break;
    case CLI_OPT_SEAL_SIZE:
        if (!parse_mm(arg, 200, &ap->seal_size_mm)) {
            cli_usage_error("sign", _("--seal-size takes the seal's diameter in millimetres (up to 200), not '%s'"), arg);
            return -1;
        }
        break;
    case CLI_OPT_PAGE: {
        char *end = NULL;
        unsigned long n = strcmp(arg, "last") == 0 ? 0 : strtoul(arg, &end, 10);
        if (strcmp(arg, "last") != 0 && (end == arg || *end != '\0' || n == 0 || n > 1000000 || arg[0] == '-')) {
            cli_usage_error("sign", _("--page takes a page number from 1 or 'last', not '%s'"), arg);
            return -1;
        }
        ap->page = (unsigned)n;
        break;
    }
    case CLI_OPT_RECT:
        if (!parse_rect(arg, ap->rect_mm)) {
            cli_usage_error("sign", _("--rect takes X,Y,W,H in millimetres from the top-left corner of the page (W and H above 0), not '%s'"),
                            arg);
            return -1;
        }
        break;
    default: return 0;
    }
    a->ap_given = 1;
    return 1;
}

int cli_pdf_check(const cli_pdf_args *a)
{
    const vbsig_pades_appearance *ap = &a->ap;
    if (ap->kind == VBSIG_APPEARANCE_NONE && a->ap_given) {
        cli_usage_error("sign", _("--image, --anchor, --seal-size, --page, --rect and the stamp texts need --appearance leader, seal, attachment or copy"));
        return -1;
    }
    int image = ap->kind == VBSIG_APPEARANCE_LEADER || ap->kind == VBSIG_APPEARANCE_SEAL;
    if (image && ap->image_path == NULL) {
        cli_usage_error("sign", _("--appearance %s needs --image FILE.png"),
                        ap->kind == VBSIG_APPEARANCE_LEADER ? "leader" : "seal");
        return -1;
    }
    if (ap->anchor != NULL && ap->kind != VBSIG_APPEARANCE_LEADER) {
        cli_usage_error("sign", _("--anchor places the leader's signature (--appearance leader)"));
        return -1;
    }
    if (ap->anchor != NULL && (ap->rect_mm[2] > 0)) {
        cli_usage_error("sign", _("give either --anchor or --rect, not both"));
        return -1;
    }
    if (ap->kind == VBSIG_APPEARANCE_ATTACHMENT && ap->doc_number == NULL) {
        cli_usage_error("sign", _("--appearance attachment needs --doc-number TEXT"));
        return -1;
    }
    if (ap->kind == VBSIG_APPEARANCE_COPY && (ap->copy_form == NULL || ap->copy_org == NULL)) {
        cli_usage_error("sign", _("--appearance copy needs --copy-form TEXT and --copy-org TEXT"));
        return -1;
    }
    return 0;
}

int cli_pdf_option(cli_pdf_args *a, int c, const char *arg)
{
    int t = appearance_option(a, c, arg);
    if (t != 0) {
        if (t > 0)
            a->given = 1;
        return t;
    }
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
    if (a->ap.kind != VBSIG_APPEARANCE_NONE)
        po->appearance = &a->ap;
}
