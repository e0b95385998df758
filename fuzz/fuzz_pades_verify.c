/* libFuzzer harness: PDF signature verification on hostile bytes. Runs the
 * whole verifier (ByteRange rules, /Contents, CMS, modification analysis)
 * and checks the promises its report makes: a revision number inside the
 * file's revisions, a modification level only for a signature whose
 * revision is known, and never TOTAL-PASSED after disallowed changes or
 * without a covered revision. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "validate/validate.h"
#include "vbsig/pades.h"
#include "vbsig/status.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static vbsig_ctx *g_ctx;

/* Small limits keep each run fast; offline so no input reaches the network. */
static vbsig_ctx *fuzz_ctx(void)
{
    if (g_ctx == NULL && vbsig_ctx_new(&g_ctx) == VBSIG_OK) {
        vbsig_ctx_set_limit(g_ctx, VBSIG_LIMIT_INFLATED_SIZE, 4u << 20);
        vbsig_ctx_set_limit(g_ctx, VBSIG_LIMIT_PDF_OBJECTS, 100000);
        vbsig_ctx_set_offline(g_ctx, 1);
    }
    return g_ctx;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vbsig_report *r = NULL;
    if (vbsig_pades_verify(fuzz_ctx(), data, size, "fuzz.pdf", &r) != VBSIG_OK) {
        if (r != NULL)
            abort(); /* an error leaves no report behind */
        return 0;
    }
    for (size_t i = 0; i < r->count; i++) {
        const vbsig_sig_entry *e = &r->sigs[i];
        if (!e->pdf || e->revision > e->revision_count)
            abort();
        if (e->modifications != NULL && e->revision == 0)
            abort();
        if (e->indication == VBSIG_TOTAL_PASSED &&
            (e->revision == 0 || (e->modifications != NULL && strcmp(e->modifications, "disallowed") == 0)))
            abort();
    }
    vbsig_buf out = {0};
    if (vbsig_report_to_json(r, NULL, &out) == VBSIG_OK)
        vbsig_buf_free(&out);
    vbsig_report_free(r);
    return 0;
}
