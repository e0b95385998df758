/* A structural pre-check of DER/BER input. libtasn1 reads single tags and
 * lengths; everything that makes the walk safe on hostile input (bounds
 * against the parent, minimal encodings, depth, end-of-contents) is checked
 * here, without recursion and with memory bounded by the input size. */
#include <limits.h>
#include <stdlib.h>

#include <libtasn1.h>

#include "util/util.h"

/* Matches the default of VBSIG_LIMIT_DER_DEPTH. */
#define DER_DEFAULT_DEPTH 64u
/* Enough open levels for ordinary certificates and CMS without malloc. */
#define DER_INLINE_FRAMES 64u

struct der_frame {
    size_t start;   /* offset of the element's first byte, for messages */
    size_t end;     /* definite: end of its contents; indefinite: its parent's bound */
    int indefinite;
};

static int clamp_int(size_t v)
{
    return v > (size_t)INT_MAX ? INT_MAX : (int)v;
}

int vbsig_der_check(const uint8_t *p, size_t n, int strict, unsigned max_depth, const char *what)
{
    if (what == NULL)
        what = "input";
    if (p == NULL && n > 0)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("%s: DER: no input bytes"), what);
    if (n == 0)
        return vbsig_fail(VBSIG_E_MALFORMED, _("%s: DER: the input is empty"), what);
    if (max_depth == 0)
        max_depth = DER_DEFAULT_DEPTH;

    /* Every open level used at least two header bytes, so the stack never
     * needs more than n/2 entries however large max_depth is. */
    size_t cap = max_depth;
    if (cap > n / 2)
        cap = n / 2;
    if (cap == 0)
        cap = 1;
    struct der_frame inline_frames[DER_INLINE_FRAMES];
    struct der_frame *frames = inline_frames;
    if (cap > DER_INLINE_FRAMES) {
        frames = malloc(cap * sizeof *frames);
        if (frames == NULL)
            return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    }

    int rc = VBSIG_OK;
    size_t pos = 0;
    size_t depth = 0;
    int top_seen = 0;
    for (;;) {
        size_t limit = n;
        if (depth > 0) {
            struct der_frame *f = &frames[depth - 1];
            limit = f->end;
            if (!f->indefinite) {
                if (pos == limit) {
                    depth--;
                    continue;
                }
            } else {
                if (limit - pos >= 2 && p[pos] == 0 && p[pos + 1] == 0) {
                    pos += 2;
                    depth--;
                    continue;
                }
                if (pos == limit) {
                    rc = vbsig_fail(VBSIG_E_MALFORMED,
                                    _("%s: DER: the indefinite-length element at offset %zu has no end-of-contents"),
                                    what, f->start);
                    goto done;
                }
            }
        } else if (top_seen) {
            break;
        }

        size_t avail = limit - pos;
        if (avail < 2) {
            rc = depth == 0 ? vbsig_fail(VBSIG_E_MALFORMED,
                                         _("%s: DER: the element header at offset %zu runs past the end of the input"),
                                         what, pos)
                            : vbsig_fail(VBSIG_E_MALFORMED,
                                         _("%s: DER: the element header at offset %zu runs past the end of its parent"),
                                         what, pos);
            goto done;
        }
        unsigned char cls;
        int taglen;
        unsigned long tag;
        if (asn1_get_tag_der(p + pos, clamp_int(avail), &cls, &taglen, &tag) != ASN1_SUCCESS) {
            rc = vbsig_fail(VBSIG_E_MALFORMED, _("%s: DER: the tag at offset %zu is truncated or too large"), what,
                            pos);
            goto done;
        }
        /* X.690 8.1.2.4: the high-tag-number form is only for numbers of 31
         * and up, and its first subsequent byte may not be a leading zero. */
        if ((p[pos] & 0x1F) == 0x1F && (p[pos + 1] == 0x80 || tag < 31)) {
            rc = vbsig_fail(VBSIG_E_MALFORMED, _("%s: DER: the tag at offset %zu is not minimally encoded"), what, pos);
            goto done;
        }
        int constructed = (cls & ASN1_CLASS_STRUCTURED) != 0;
        /* Universal tag 0 exists only as the end-of-contents marker, which
         * was consumed above wherever it is allowed. */
        if ((cls & 0xC0) == ASN1_CLASS_UNIVERSAL && tag == 0) {
            rc = vbsig_fail(VBSIG_E_MALFORMED, _("%s: DER: unexpected end-of-contents or tag 0 at offset %zu"), what,
                            pos);
            goto done;
        }
        if ((size_t)taglen >= avail) {
            rc = vbsig_fail(VBSIG_E_MALFORMED, _("%s: DER: length at offset %zu runs past the end of its parent"),
                            what, pos + (size_t)taglen);
            goto done;
        }

        size_t lpos = pos + (size_t)taglen;
        size_t lavail = avail - (size_t)taglen;
        unsigned char l0 = p[lpos];
        size_t hdr;
        size_t clen = 0;
        int indefinite = 0;
        if (l0 == 0x80) {
            if (strict) {
                rc = vbsig_fail(VBSIG_E_MALFORMED, _("%s: DER: indefinite length at offset %zu is not allowed in DER"),
                                what, lpos);
                goto done;
            }
            if (!constructed) {
                rc = vbsig_fail(VBSIG_E_MALFORMED,
                                _("%s: DER: primitive element at offset %zu has an indefinite length"), what, pos);
                goto done;
            }
            indefinite = 1;
            hdr = (size_t)taglen + 1;
        } else {
            if (l0 == 0xFF) {
                rc = vbsig_fail(VBSIG_E_MALFORMED, _("%s: DER: reserved length byte 0xff at offset %zu"), what, lpos);
                goto done;
            }
            if (l0 & 0x80) {
                size_t k = l0 & 0x7Fu;
                /* libtasn1 stops early on a cut-off length and reports the
                 * bytes it saw, so a truncated length must be caught here. */
                if (k >= lavail) {
                    rc = vbsig_fail(VBSIG_E_MALFORMED,
                                    _("%s: DER: length at offset %zu runs past the end of its parent"), what, lpos);
                    goto done;
                }
                if (strict && p[lpos + 1] == 0) {
                    rc = vbsig_fail(VBSIG_E_MALFORMED, _("%s: DER: length at offset %zu has a leading zero byte"),
                                    what, lpos);
                    goto done;
                }
                if (strict && k == 1 && p[lpos + 1] < 0x80) {
                    rc = vbsig_fail(VBSIG_E_MALFORMED,
                                    _("%s: DER: length at offset %zu uses the long form for a value below 128"), what,
                                    lpos);
                    goto done;
                }
            }
            int llen = 0;
            long len = asn1_get_length_der(p + lpos, clamp_int(lavail), &llen);
            if (len == -4 || (len == -2 && lavail < (size_t)INT_MAX)) {
                rc = vbsig_fail(VBSIG_E_MALFORMED, _("%s: DER: length at offset %zu runs past the end of its parent"),
                                what, lpos);
                goto done;
            }
            if (len == -2) {
                rc = vbsig_fail(VBSIG_E_LIMIT, _("%s: DER: length at offset %zu is too large to handle"), what, lpos);
                goto done;
            }
            if (len < 0 || llen <= 0) {
                rc = vbsig_fail(VBSIG_E_MALFORMED, _("%s: DER: invalid length at offset %zu"), what, lpos);
                goto done;
            }
            hdr = (size_t)taglen + (size_t)llen;
            clen = (size_t)len;
            /* asn1_get_length_der checked this against what it was shown;
             * check it against the real bound too, in case that was clamped. */
            if (clen > avail - hdr) {
                rc = vbsig_fail(VBSIG_E_MALFORMED, _("%s: DER: length at offset %zu runs past the end of its parent"),
                                what, lpos);
                goto done;
            }
        }

        if (depth + 1 > max_depth) {
            rc = vbsig_fail(VBSIG_E_LIMIT, _("%s: DER: nesting deeper than %u levels at offset %zu"), what, max_depth,
                            pos);
            goto done;
        }
        top_seen = 1;
        if (!constructed) {
            pos += hdr + clen;
            continue;
        }
        if (depth >= cap) {
            rc = vbsig_fail(VBSIG_E_INTERNAL, _("%s: DER: nesting bookkeeping overflow at offset %zu"), what, pos);
            goto done;
        }
        frames[depth].start = pos;
        frames[depth].end = indefinite ? limit : pos + hdr + clen;
        frames[depth].indefinite = indefinite;
        depth++;
        pos += hdr;
    }

    if (pos != n)
        rc = vbsig_fail(VBSIG_E_MALFORMED, _("%s: DER: %zu trailing bytes after the element, at offset %zu"), what,
                        n - pos, pos);
done:
    if (frames != inline_frames)
        free(frames);
    return rc;
}
