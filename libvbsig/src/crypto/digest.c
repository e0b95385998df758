/* The digest algorithms vbsig signs and verifies with. */
#include <string.h>
#include <strings.h>

#include "crypto/crypto.h"
#include "util/util.h"

const EVP_MD *vbsig_digest_md(vbsig_digest_alg alg)
{
    switch (alg) {
    case VBSIG_DIGEST_SHA256: return EVP_sha256();
    case VBSIG_DIGEST_SHA384: return EVP_sha384();
    case VBSIG_DIGEST_SHA512: return EVP_sha512();
    case VBSIG_DIGEST_SHA3_256: return EVP_sha3_256();
    case VBSIG_DIGEST_SHA3_512: return EVP_sha3_512();
    case VBSIG_DIGEST_SHA1: return EVP_sha1();
    }
    return NULL;
}

size_t vbsig_digest_size(vbsig_digest_alg alg)
{
    const EVP_MD *md = vbsig_digest_md(alg);
    return md ? (size_t)EVP_MD_get_size(md) : 0;
}

const char *vbsig_digest_label(vbsig_digest_alg alg)
{
    switch (alg) {
    case VBSIG_DIGEST_SHA256: return "SHA-256";
    case VBSIG_DIGEST_SHA384: return "SHA-384";
    case VBSIG_DIGEST_SHA512: return "SHA-512";
    case VBSIG_DIGEST_SHA3_256: return "SHA3-256";
    case VBSIG_DIGEST_SHA3_512: return "SHA3-512";
    case VBSIG_DIGEST_SHA1: return "SHA-1";
    }
    return "unknown";
}

vbsig_digest_alg vbsig_digest_from_nid(int nid)
{
    switch (nid) {
    case NID_sha256: return VBSIG_DIGEST_SHA256;
    case NID_sha384: return VBSIG_DIGEST_SHA384;
    case NID_sha512: return VBSIG_DIGEST_SHA512;
    case NID_sha3_256: return VBSIG_DIGEST_SHA3_256;
    case NID_sha3_512: return VBSIG_DIGEST_SHA3_512;
    case NID_sha1: return VBSIG_DIGEST_SHA1;
    default: return (vbsig_digest_alg)0;
    }
}

int vbsig_digest_from_name(const char *name, vbsig_digest_alg *out)
{
    VBSIG_REQUIRE(name, "name");
    VBSIG_REQUIRE(out, "out");
    static const struct { const char *name; vbsig_digest_alg alg; } names[] = {
        {"sha256", VBSIG_DIGEST_SHA256},     {"sha-256", VBSIG_DIGEST_SHA256},
        {"sha384", VBSIG_DIGEST_SHA384},     {"sha-384", VBSIG_DIGEST_SHA384},
        {"sha512", VBSIG_DIGEST_SHA512},     {"sha-512", VBSIG_DIGEST_SHA512},
        {"sha3-256", VBSIG_DIGEST_SHA3_256}, {"sha3-512", VBSIG_DIGEST_SHA3_512},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcasecmp(name, names[i].name) == 0) {
            *out = names[i].alg;
            return VBSIG_OK;
        }
    }
    if (strcasecmp(name, "sha1") == 0 || strcasecmp(name, "sha-1") == 0)
        return vbsig_fail(VBSIG_E_INVALID_ARG,
                          _("SHA-1 may not be used for new signatures; use SHA-256 or stronger"));
    return vbsig_fail(VBSIG_E_INVALID_ARG, _("unknown digest algorithm '%s'"), name);
}

/* 8 MiB slices keep EVP calls few while madvise(SEQUENTIAL) streams pages. */
#define DIGEST_SLICE (8u << 20)

int vbsig_digest_bytes_md(const EVP_MD *md, const uint8_t *p, size_t n,
                          uint8_t *out, unsigned *out_len)
{
    EVP_MD_CTX *mctx = EVP_MD_CTX_new();
    int ok = mctx != NULL && EVP_DigestInit_ex(mctx, md, NULL);
    while (ok && n > 0) {
        size_t take = n < DIGEST_SLICE ? n : DIGEST_SLICE;
        ok = EVP_DigestUpdate(mctx, p, take);
        p += take;
        n -= take;
    }
    ok = ok && EVP_DigestFinal_ex(mctx, out, out_len);
    EVP_MD_CTX_free(mctx);
    if (!ok)
        return vbsig_fail_ssl(VBSIG_E_CRYPTO, _("computing a %s digest failed"), EVP_MD_get0_name(md));
    return VBSIG_OK;
}

int vbsig_digest_bytes(vbsig_digest_alg alg, const uint8_t *p, size_t n,
                       uint8_t *out, size_t *out_len)
{
    const EVP_MD *md = vbsig_digest_md(alg);
    if (md == NULL)
        return vbsig_fail(VBSIG_E_UNSUPPORTED, _("unsupported digest algorithm"));
    unsigned len = 0;
    int rc = vbsig_digest_bytes_md(md, p, n, out, &len);
    *out_len = len;
    return rc;
}
