/* Rejections (a bad request, an unusable clock, a journal that could not
 * record a token, a worker that failed): a DER TimeStampResp with status
 * rejection, a statusString and one PKIFailureInfo bit. Written directly:
 * its shape is fixed and small, and it must work when nothing else does. */
#include <stdlib.h>
#include <string.h>

#include "tsp/issue.h"

static size_t put_len(uint8_t *p, size_t len)
{
    if (len < 0x80) {
        p[0] = (uint8_t)len;
        return 1;
    }
    p[0] = 0x82; /* every length here is below 64 KiB */
    p[1] = (uint8_t)(len >> 8);
    p[2] = (uint8_t)len;
    return 3;
}

static size_t len_size(size_t len) { return len < 0x80 ? 1 : 3; }

int vbsig_tsp_reject(int failure, const char *text, vbsig_buf *reply)
{
    VBSIG_REQUIRE(text, "text");
    VBSIG_REQUIRE(reply, "reply");
    vbsig_i18n_ensure();
    reply->data = NULL;
    reply->len = 0;
    int failure_bit = failure;
    size_t text_len = strlen(text);
    if (text_len > 1024 || failure_bit < 0 || failure_bit > 31)
        return vbsig_fail(VBSIG_E_INVALID_ARG,
                          _("vbsig_tsp_reject: the failure bit must be 0 to 31 and the text at most 1024 bytes"));

    size_t utf8 = 1 + len_size(text_len) + text_len;
    size_t free_text = 1 + len_size(utf8) + utf8;
    size_t bit_bytes = (size_t)failure_bit / 8 + 1;
    size_t bits = 1 + len_size(bit_bytes + 1) + bit_bytes + 1;
    size_t status = 3; /* INTEGER 2 */
    size_t info_body = status + free_text + bits;
    size_t info = 1 + len_size(info_body) + info_body;
    size_t total = 1 + len_size(info) + info;

    uint8_t *p = malloc(total);
    if (p == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    size_t o = 0;
    p[o++] = 0x30;
    o += put_len(p + o, info);
    p[o++] = 0x30;
    o += put_len(p + o, info_body);
    p[o++] = 0x02; p[o++] = 0x01; p[o++] = 0x02; /* PKIStatus rejection */
    p[o++] = 0x30;
    o += put_len(p + o, utf8);
    p[o++] = 0x0c;
    o += put_len(p + o, text_len);
    memcpy(p + o, text, text_len);
    o += text_len;
    p[o++] = 0x03;
    o += put_len(p + o, bit_bytes + 1);
    /* DER named bits: no trailing zero bits, so the set bit is the last one. */
    p[o++] = (uint8_t)(7 - failure_bit % 8);
    memset(p + o, 0, bit_bytes);
    p[o + bit_bytes - 1] = (uint8_t)(0x80 >> (failure_bit % 8));
    o += bit_bytes;
    reply->data = p;
    reply->len = o;
    return VBSIG_OK;
}
