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
    CLI_OPT_SIGNER_NAME
};
#define CLI_PDF_LONGOPTS                                            \
    {"reason", required_argument, NULL, CLI_OPT_REASON},             \
    {"location", required_argument, NULL, CLI_OPT_LOCATION},         \
    {"contact", required_argument, NULL, CLI_OPT_CONTACT},           \
    {"certify", required_argument, NULL, CLI_OPT_CERTIFY},           \
    {"field", required_argument, NULL, CLI_OPT_FIELD},               \
    {"signer-name", required_argument, NULL, CLI_OPT_SIGNER_NAME}

typedef struct cli_pdf_args {
    const char *reason, *location, *contact, *field, *name;
    int certify;
    int given; /* any PDF-only option was given */
    int lt;    /* 1: B-LT, 2: B-LTA; not a PDF-only option for `given` */
} cli_pdf_args;

/* 1: c was a PDF option and is recorded; 0: not one; -1: a usage error was printed. */
int cli_pdf_option(cli_pdf_args *a, int c, const char *arg);
/* The PAdES options from those of the CAdES signature (digest, level, TSA,
 * chain, verification after signing) and the PDF-only ones. */
void cli_pdf_sign_opts(const cli_pdf_args *a, const vbsig_cades_sign_opts *opts, vbsig_pades_sign_opts *po);
#endif
