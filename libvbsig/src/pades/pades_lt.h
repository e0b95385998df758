/* Long-term validation data during PDF verification (pades_lt.c): the one
 * hook pades_verify.c calls around verifying a document's signatures. */
#ifndef VBSIG_PADES_LT_H
#define VBSIG_PADES_LT_H

#include "pdf/pdf.h"
#include "validate/validate.h"

typedef struct pades_lt pades_lt;

/* Loads doc's /DSS: its certificates join ctx's intermediates, its OCSP
 * responses and CRLs become ctx's first revocation source until detach.
 * A missing or unreadable /DSS is no error (*out then holds nothing). */
int pades_lt_attach(vbsig_ctx *ctx, vbsig_pdf_doc *doc, pades_lt **out);
/* Raises B-T entries of r to B-LT (path and revocation data from the
 * /DSS) and B-LTA (and a valid document timestamp over a revision that
 * has the /DSS, after the signature). */
void pades_lt_levels(pades_lt *lt, vbsig_pdf_doc *doc, vbsig_report *r);
void pades_lt_detach(vbsig_ctx *ctx, pades_lt *lt);

#endif
