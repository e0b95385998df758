/* Content sniffing: which format a document is, from its first bytes. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "util/util.h"
#include "vbsig/sign.h"

#define DETECT_HEAD 1024

const char *vbsig_format_name(vbsig_format f)
{
    switch (f) {
    case VBSIG_FORMAT_AUTO: return "auto";
    case VBSIG_FORMAT_CADES: return "cades";
    case VBSIG_FORMAT_PADES: return "pades";
    case VBSIG_FORMAT_XADES: return "xades";
    }
    return NULL;
}

int vbsig_detect_format(const uint8_t *data, size_t len, vbsig_format *out)
{
    if (out == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("%s: the argument '%s' is NULL"), "vbsig_detect_format", "out");
    if (data == NULL && len > 0)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("%s: the argument '%s' is NULL"), "vbsig_detect_format", "data");
    size_t n = len < DETECT_HEAD ? len : DETECT_HEAD;
    /* DER or PEM first: an attached signature may carry a PDF or XML
     * document a few bytes in, and must still be read as a signature. */
    if ((n > 0 && data[0] == 0x30) || (n >= 11 && memcmp(data, "-----BEGIN ", 11) == 0)) {
        *out = VBSIG_FORMAT_CADES;
        return VBSIG_OK;
    }
    /* %PDF- may follow a little junk: readers look in the first 1 KiB. */
    for (size_t i = 0; i + 5 <= n; i++) {
        if (memcmp(data + i, "%PDF-", 5) == 0) {
            *out = VBSIG_FORMAT_PADES;
            return VBSIG_OK;
        }
    }
    size_t i = 0;
    if (n >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF)
        i = 3;
    while (i < n && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
        i++;
    *out = i < n && data[i] == '<' ? VBSIG_FORMAT_XADES : VBSIG_FORMAT_CADES;
    return VBSIG_OK;
}

int vbsig_detect_format_file(const char *path, vbsig_format *out)
{
    vbsig_i18n_ensure();
    if (path == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("%s: the argument '%s' is NULL"), "vbsig_detect_format_file", "path");
    if (out == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("%s: the argument '%s' is NULL"), "vbsig_detect_format_file", "out");
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return vbsig_fail(VBSIG_E_IO_READ, "%s: %s", path, strerror(errno));
    uint8_t head[DETECT_HEAD];
    ssize_t n;
    do
        n = read(fd, head, sizeof head);
    while (n < 0 && errno == EINTR);
    int e = errno;
    close(fd);
    if (n < 0)
        return vbsig_fail(VBSIG_E_IO_READ, "%s: %s", path, strerror(e));
    return vbsig_detect_format(head, (size_t)n, out);
}
