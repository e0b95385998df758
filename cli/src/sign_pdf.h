/* vbsig sign for PDF documents (PAdES): the PDF-only options and the
 * PAdES options they give. */
#ifndef VBSIG_CLI_SIGN_PDF_H
#define VBSIG_CLI_SIGN_PDF_H

#include "cli.h"

enum {
    CLI_OPT_REASON = 0x1300,
    CLI_OPT_LOCATION,
    CLI_OPT_CONTACT,
    CLI_OPT_CERTIFY,
    CLI_OPT_FIELD,
    CLI_OPT_SIGNER_NAME,
    CLI_OPT_APPEARANCE,
    CLI_OPT_IMAGE,
    CLI_OPT_ANCHOR,
    CLI_OPT_SEAL_SIZE,
    CLI_OPT_PAGE,
    CLI_OPT_RECT,
    CLI_OPT_OVER_FIELD,
    CLI_OPT_DOC_NUMBER,
    CLI_OPT_COPY_FORM,
    CLI_OPT_COPY_ORG,
    CLI_OPT_FONT
};
#define CLI_PDF_LONGOPTS                                            \
    {"reason", required_argument, NULL, CLI_OPT_REASON},             \
    {"location", required_argument, NULL, CLI_OPT_LOCATION},         \
    {"contact", required_argument, NULL, CLI_OPT_CONTACT},           \
    {"certify", required_argument, NULL, CLI_OPT_CERTIFY},           \
    {"field", required_argument, NULL, CLI_OPT_FIELD},               \
    {"signer-name", required_argument, NULL, CLI_OPT_SIGNER_NAME},   \
    {"appearance", required_argument, NULL, CLI_OPT_APPEARANCE},     \
    {"image", required_argument, NULL, CLI_OPT_IMAGE},               \
    {"anchor", required_argument, NULL, CLI_OPT_ANCHOR},             \
    {"seal-size", required_argument, NULL, CLI_OPT_SEAL_SIZE},       \
    {"page", required_argument, NULL, CLI_OPT_PAGE},                 \
    {"rect", required_argument, NULL, CLI_OPT_RECT},                 \
    {"over-field", required_argument, NULL, CLI_OPT_OVER_FIELD},     \
    {"doc-number", required_argument, NULL, CLI_OPT_DOC_NUMBER},     \
    {"copy-form", required_argument, NULL, CLI_OPT_COPY_FORM},       \
    {"copy-org", required_argument, NULL, CLI_OPT_COPY_ORG},         \
    {"font", required_argument, NULL, CLI_OPT_FONT}

typedef struct cli_pdf_args {
    const char *reason, *location, *contact, *field, *name;
    int certify;
    int given; /* any PDF-only option was given */
    int lt;    /* 1: B-LT, 2: B-LTA; not a PDF-only option for `given` */
    /* A visible signature (--appearance …); kind NONE when not asked for.
     * Initialised by cli_pdf_args_init. */
    vbsig_pades_appearance ap;
    int ap_given; /* an appearance option other than --appearance was given */
} cli_pdf_args;

void cli_pdf_args_init(cli_pdf_args *a);
/* 1: c was a PDF option and is recorded; 0: not one; -1: a usage error was printed. */
int cli_pdf_option(cli_pdf_args *a, int c, const char *arg);
/* After parsing: the appearance options fit together (0), else a usage
 * error is printed (-1). */
int cli_pdf_check(const cli_pdf_args *a);
/* The PAdES options from those of the CAdES signature (digest, level, TSA,
 * chain, verification after signing) and the PDF-only ones. */
void cli_pdf_sign_opts(const cli_pdf_args *a, const vbsig_cades_sign_opts *opts, vbsig_pades_sign_opts *po);
#endif
