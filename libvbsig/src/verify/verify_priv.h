/* Private view of verify/: what the pool's workers call. */
#ifndef VBSIG_VERIFY_PRIV_H
#define VBSIG_VERIFY_PRIV_H

#include "vbsig/verify.h"

/* renew_one.c: verifies in, decides with opts and, when due, extends it to
 * B-LTA into out and verifies that. *report is the input's report (not
 * renewed) or the output's (*renewed = 1); *decision is the input's.
 * Returns the first error; *report may then be NULL. */
int vbsig__renew_file(vbsig_ctx *ctx, const vbsig_renew_opts *opts, const char *in, const char *out,
                      vbsig_report **report, vbsig_renewal *decision, int *renewed);

#endif
