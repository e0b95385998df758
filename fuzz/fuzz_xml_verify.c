/* libFuzzer harness: hostile bytes as an XML document carrying signatures,
 * through the whole public verification path (DOCTYPE refusal, libxml2
 * parsing with limits, ID registration, structure and reference checks,
 * streaming canonicalization, signature value, XAdES properties, path
 * validation, report building), and the detached variant. Any return code is acceptable; crashes,
 * leaks and hangs are not. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "vbsig/ctx.h"
#include "vbsig/report.h"
#include "vbsig/xades.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One context for the whole run, as an application keeps it; no trust
 * anchors and no revocation checks: path building runs and fails. */
static vbsig_ctx *fuzz_ctx(void)
{
    static vbsig_ctx *ctx;
    if (ctx == NULL && (vbsig_ctx_new(&ctx) != 0 || vbsig_ctx_set_revocation_mode(ctx, VBSIG_REVOCATION_OFF) != 0))
        abort();
    return ctx;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vbsig_report *report = NULL;
    (void)vbsig_xml_verify(fuzz_ctx(), data, size, &report);
    if (report != NULL) {
        vbsig_report_render_opts ro;
        vbsig_report_render_opts_init(&ro);
        vbsig_buf out = {0};
        (void)vbsig_report_to_json(report, &ro, &out);
        vbsig_buf_free(&out);
        (void)vbsig_report_to_text(report, &ro, &out);
        vbsig_buf_free(&out);
    }
    vbsig_report_free(report);
    /* The detached path too: the input's first half plays the data file,
     * so references to "d.txt" (and the refusal of every other external
     * URI) run on hostile signatures. */
    report = NULL;
    (void)vbsig_xml_verify_detached(fuzz_ctx(), data, size, data, size / 2, "d.txt", &report);
    vbsig_report_free(report);
    return 0;
}
