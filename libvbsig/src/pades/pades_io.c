/* Input and output shared by every PAdES operation (sign, extend,
 * document timestamp): the input opened once it is known not to be the
 * output, and the output written as the input plus its incremental
 * updates, atomically. */
#include <sys/stat.h>

#include "pades/pades.h"
#include "util/util.h"

int pades_open_input(vbsig_ctx *ctx, const char *in_path, const char *out_path, vbsig_pdf_doc **doc)
{
    if (in_path == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("no input file was given"));
    struct stat sa, sb;
    if (out_path != NULL && stat(in_path, &sa) == 0 && stat(out_path, &sb) == 0 && sa.st_dev == sb.st_dev &&
        sa.st_ino == sb.st_ino)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("%s: the output must be another file than the input"), out_path);
    return vbsig_pdf_open(doc, ctx, in_path, 0);
}

int pades_write_parts(const char *path, const uint8_t *in, size_t in_len, const vbsig_bytes *const *updates,
                      size_t n)
{
    vbsig_atomic_file f;
    int rc = vbsig_atomic_open(&f, path);
    if (rc != VBSIG_OK)
        return rc;
    rc = vbsig_atomic_write(&f, in, in_len);
    for (size_t i = 0; rc == VBSIG_OK && i < n; i++)
        rc = vbsig_atomic_write(&f, updates[i]->data, updates[i]->len);
    if (rc != VBSIG_OK) {
        vbsig_atomic_abort(&f);
        return rc;
    }
    return vbsig_atomic_commit(&f);
}
