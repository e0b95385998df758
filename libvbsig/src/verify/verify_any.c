/* "Verify this file whatever it is": the dispatch the CLI, the pool, the
 * shim and the bindings share, so that they cannot disagree on what a file
 * is. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "util/util.h"
#include "vbsig/cades.h"
#include "vbsig/pades.h"
#include "vbsig/sign.h"
#include "vbsig/verify.h"
#include "vbsig/xades.h"

#define HEAD_BYTES 1024

/* The first bytes, or an error naming the path (an empty file is one). */
static int read_head(const char *path, uint8_t *head, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return vbsig_fail(VBSIG_E_IO_READ, "%s: %s", path, strerror(errno));
    ssize_t n;
    do
        n = read(fd, head, HEAD_BYTES);
    while (n < 0 && errno == EINTR);
    int e = errno;
    close(fd);
    if (n < 0)
        return vbsig_fail(VBSIG_E_IO_READ, "%s: %s", path, strerror(e));
    if (n == 0)
        return vbsig_fail(VBSIG_E_MALFORMED, _("%s: empty file"), path);
    *len = (size_t)n;
    return VBSIG_OK;
}

int vbsig_verify_file(vbsig_ctx *ctx, const char *path, const char *data_path, vbsig_report **out)
{
    VBSIG_REQUIRE(out, "out");
    *out = NULL;
    VBSIG_REQUIRE(ctx, "ctx");
    VBSIG_REQUIRE(path, "path");
    vbsig_i18n_ensure();
    uint8_t head[HEAD_BYTES];
    size_t n = 0;
    vbsig_format f = VBSIG_FORMAT_CADES;
    int rc = read_head(path, head, &n);
    if (rc == VBSIG_OK)
        rc = vbsig_detect_format(head, n, &f);
    if (rc != VBSIG_OK)
        return rc;
    switch (f) {
    case VBSIG_FORMAT_PADES:
        if (data_path != NULL)
            return vbsig_fail(VBSIG_E_INVALID_ARG,
                              _("PDF signatures are verified inside their document; --data applies to CAdES"));
        return vbsig_pades_verify_file(ctx, path, out);
    case VBSIG_FORMAT_XADES:
        return data_path != NULL ? vbsig_xml_verify_detached_file(ctx, path, data_path, out)
                                 : vbsig_xml_verify_file(ctx, path, out);
    default:
        /* What falls through to CMS must at least start like DER or PEM. */
        if (head[0] != 0x30 && !(n >= 11 && memcmp(head, "-----BEGIN ", 11) == 0))
            return vbsig_fail(VBSIG_E_MALFORMED, _("%s: not a PDF, XML or CMS signature"), path);
        return vbsig_cades_verify_file(ctx, path, data_path, out);
    }
}
