/* Hashing content given as byte ranges (PDF signatures) in bounded memory.
 *
 * The ranges of a PDF are read straight from its file mapping. Touched
 * file pages count in the process's RSS until unmapped, so on a 1 GB PDF
 * the hash alone would hold 1 GB resident. Ranges marked `release` are
 * hashed in chunks and each hashed chunk's pages are handed back
 * (MADV_DONTNEED on a read-only file mapping only drops them from this
 * process; a later read faults them in again from the page cache). */
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "cms/cms.h"
#include "util/util.h"

#define RANGE_CHUNK ((size_t)8 << 20)

void vbsig_cms_release_pages(const uint8_t *from, const uint8_t *to)
{
    long ps = sysconf(_SC_PAGESIZE);
    uintptr_t page = ps > 0 ? (uintptr_t)ps : 4096u;
    uintptr_t a = ((uintptr_t)from + page - 1) & ~(page - 1);
    uintptr_t b = (uintptr_t)to & ~(page - 1);
    if (b > a)
        (void)madvise((void *)a, (size_t)(b - a), MADV_DONTNEED);
}

int vbsig_cms_digest_ranges(const EVP_MD *md, const vbsig_cms_range *ranges, size_t count, uint8_t *out,
                            unsigned *out_len)
{
    size_t first = 0;
    EVP_MD_CTX *mctx = NULL;
    if (count > 0 && ranges[0].memo != NULL && (mctx = vbsig_prefix_memo_fork(ranges[0].memo, md, ranges[0].data, ranges[0].len)) != NULL)
        first = 1; /* the memo has hashed the first range */
    else
        mctx = EVP_MD_CTX_new();
    int ok = mctx != NULL && (first == 1 || EVP_DigestInit_ex(mctx, md, NULL) == 1);
    for (size_t i = first; ok && i < count; i++) {
        const uint8_t *p = ranges[i].data;
        size_t left = ranges[i].len;
        while (ok && left > 0) {
            size_t n = left < RANGE_CHUNK ? left : RANGE_CHUNK;
            ok = EVP_DigestUpdate(mctx, p, n) == 1;
            /* A range that fits in one chunk never holds more than a
             * chunk resident: handing its pages back would only cost a
             * system call and a page-table walk. */
            if (ranges[i].release && ranges[i].len > RANGE_CHUNK)
                vbsig_cms_release_pages(p, p + n);
            p += n;
            left -= n;
        }
    }
    ok = ok && EVP_DigestFinal_ex(mctx, out, out_len) == 1;
    EVP_MD_CTX_free(mctx);
    if (!ok)
        return vbsig_fail_ssl(VBSIG_E_CRYPTO, _("cannot compute the digest of the signed data"));
    return VBSIG_OK;
}
