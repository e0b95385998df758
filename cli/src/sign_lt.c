/* vbsig sign --level B-LT|B-LTA for PDF, XML documents and CMS signatures:
 * sign at B-T into a temporary file beside the output, then extend it (the
 * same code as `vbsig extend`), so a failure leaves no output behind. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

int cli_sign_then_extend(vbsig_ctx *ctx, cli_format fmt, int lta, const vbsig_tsp_opts *tsp, cli_sign_bt_fn sign_bt,
                         void *arg, const char *out, const char *data)
{
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
        rc = sign_bt(arg, tmp);
    if (rc == VBSIG_OK && fmt == FORMAT_PADES)
        rc = cli_extend_pdf(ctx, lta, tsp, tmp, out);
    else if (rc == VBSIG_OK)
        rc = cli_extend_other(ctx, fmt, lta, tsp, tmp, out, data);
    if (rc == VBSIG_OK && vbsig_ctx_level_warning(ctx) != NULL) /* --allow-lower-level */
        fprintf(stderr, "vbsig: %s\n", vbsig_ctx_level_warning(ctx));
    unlink(tmp);
    free(tmp);
    return rc;
}
