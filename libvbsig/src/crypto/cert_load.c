/* Reading certificates from files and bytes, PEM or DER. */
#include <string.h>

#include <stdlib.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "crypto/crypto.h"
#include "util/util.h"

/* Certificate files are small; anything larger is not a certificate file. */
#define CERT_FILE_MAX (16u << 20)

static int looks_like_pem(const uint8_t *p, size_t n)
{
    static const char marker[] = "-----BEGIN ";
    size_t mlen = sizeof marker - 1;
    for (size_t i = 0; i + mlen <= n && i < 4096; i++)
        if (memcmp(p + i, marker, mlen) == 0)
            return 1;
    return 0;
}

static int certs_from_bytes(const uint8_t *p, size_t n, const char *what,
                            STACK_OF(X509) *certs, size_t max_certs)
{
    if (!looks_like_pem(p, n)) {
        X509 *x = NULL;
        int rc = vbsig_cert_from_bytes(p, n, what, &x);
        if (rc != VBSIG_OK)
            return rc;
        if ((size_t)sk_X509_num(certs) >= max_certs) {
            X509_free(x);
            return vbsig_fail(VBSIG_E_LIMIT, _("%s: more than %zu certificates"), what, max_certs);
        }
        if (!sk_X509_push(certs, x)) {
            X509_free(x);
            return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
        }
        return VBSIG_OK;
    }
    BIO *bio = BIO_new_mem_buf(p, (int)(n > INT32_MAX ? INT32_MAX : n));
    if (bio == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    size_t found = 0;
    int rc = VBSIG_OK;
    for (;;) {
        X509 *x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
        if (x == NULL) {
            unsigned long e = ERR_peek_last_error();
            if (ERR_GET_LIB(e) == ERR_LIB_PEM && ERR_GET_REASON(e) == PEM_R_NO_START_LINE && found > 0)
                ERR_clear_error();
            else
                rc = vbsig_fail_ssl(VBSIG_E_MALFORMED, _("%s: not a readable PEM certificate (after %zu read)"),
                                    what, found);
            break;
        }
        if (found >= max_certs) {
            X509_free(x);
            rc = vbsig_fail(VBSIG_E_LIMIT, _("%s: more than %zu certificates"), what, max_certs);
            break;
        }
        if (!sk_X509_push(certs, x)) {
            X509_free(x);
            rc = vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
            break;
        }
        found++;
    }
    BIO_free(bio);
    return rc;
}

int vbsig_cert_from_bytes(const uint8_t *p, size_t n, const char *what, X509 **out)
{
    *out = NULL;
    if (looks_like_pem(p, n)) {
        STACK_OF(X509) *one = sk_X509_new_null();
        if (one == NULL)
            return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
        int rc = certs_from_bytes(p, n, what, one, 1);
        if (rc == VBSIG_OK)
            *out = sk_X509_shift(one);
        sk_X509_pop_free(one, X509_free);
        return rc;
    }
    int rc = vbsig_der_check(p, n, 0, 64, what);
    if (rc != VBSIG_OK)
        return rc;
    const unsigned char *q = p;
    X509 *x = d2i_X509(NULL, &q, (long)n);
    if (x == NULL || q != p + n) {
        X509_free(x);
        return vbsig_fail_ssl(VBSIG_E_MALFORMED, _("%s: not a DER X.509 certificate"), what);
    }
    *out = x;
    return VBSIG_OK;
}

int vbsig_certs_load_file(const char *path, STACK_OF(X509) *certs, size_t max_certs)
{
    vbsig_file_map m;
    int rc = vbsig_file_map_open(&m, path, CERT_FILE_MAX);
    if (rc != VBSIG_OK)
        return rc;
    if (m.len == 0)
        rc = vbsig_fail(VBSIG_E_MALFORMED, _("%s: the file is empty"), path);
    else
        rc = certs_from_bytes(m.data, m.len, path, certs, max_certs);
    vbsig_file_map_close(&m);
    return rc;
}

void vbsig_key_describe(EVP_PKEY *pkey, char *buf, size_t n)
{
    int bits = EVP_PKEY_get_bits(pkey);
    switch (EVP_PKEY_get_base_id(pkey)) {
    case EVP_PKEY_RSA:
    case EVP_PKEY_RSA_PSS:
        snprintf(buf, n, "RSA-%d", bits);
        break;
    case EVP_PKEY_EC: {
        char group[64] = "";
        size_t glen = 0;
        if (EVP_PKEY_get_utf8_string_param(pkey, "group", group, sizeof group, &glen) &&
            strcmp(group, "prime256v1") == 0)
            snprintf(buf, n, "ECDSA-P256");
        else if (strcmp(group, "secp384r1") == 0)
            snprintf(buf, n, "ECDSA-P384");
        else if (strcmp(group, "secp521r1") == 0)
            snprintf(buf, n, "ECDSA-P521");
        else
            snprintf(buf, n, "ECDSA-%d", bits);
        break;
    }
    case EVP_PKEY_ED25519:
        snprintf(buf, n, "Ed25519");
        break;
    default:
        snprintf(buf, n, "%s-%d", OBJ_nid2sn(EVP_PKEY_get_base_id(pkey)), bits);
    }
}

char *vbsig_name_text(const X509_NAME *name)
{
    BIO *bio = BIO_new(BIO_s_mem());
    if (bio == NULL)
        return NULL;
    /* RFC 2253 order and escaping, but UTF-8 kept as is so Vietnamese reads. */
    unsigned long flags = XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB;
    char *out = NULL;
    if (X509_NAME_print_ex(bio, name, 0, flags) >= 0) {
        char *p = NULL;
        long n = BIO_get_mem_data(bio, &p);
        out = malloc((size_t)n + 1);
        if (out != NULL) {
            memcpy(out, p, (size_t)n);
            out[n] = '\0';
        }
    }
    BIO_free(bio);
    return out;
}
