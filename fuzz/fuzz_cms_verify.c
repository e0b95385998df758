/* libFuzzer harness: hostile bytes as a CMS/CAdES signature, through the
 * whole public verification path (PEM sniffing, DER walk, OpenSSL decoding,
 * attribute checks, signature and path validation, report building).
 * Any return code is acceptable; crashes, leaks and hangs are not. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "vbsig/cades.h"
#include "vbsig/ctx.h"
#include "vbsig/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One context for the whole run, as an application would keep it; creating
 * it per input would spend the exec budget on X509_STORE setup. No trust
 * anchors: path building still runs, it just never succeeds. */
static vbsig_ctx *fuzz_ctx(void)
{
    static vbsig_ctx *ctx;
    if (ctx == NULL && vbsig_ctx_new(&ctx) != 0)
        abort();
    return ctx;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vbsig_report *report = NULL;
    /* The seeds' detached signatures are over this one byte, so the fuzzer
     * starts past the digest comparison and reaches signature and path
     * checks; attached ones ignore it. */
    (void)vbsig_cades_verify(fuzz_ctx(), data, size, (const uint8_t *)"x", 1, &report);
    /* Rendering walks every string the verifier took from the input. */
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
    return 0;
}
