/* Algorithm identifiers of XMLDSig 1.1 and RFC 6931: the only ones accepted. */
#include <string.h>

#include <libxml/c14n.h>

#include "xml.h"

static const struct {
    const char *uri;
    int mode, with_comments;
} c14n_algs[] = {
    {"http://www.w3.org/TR/2001/REC-xml-c14n-20010315", XML_C14N_1_0, 0},
    {"http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments", XML_C14N_1_0, 1},
    {"http://www.w3.org/2006/12/xml-c14n11", XML_C14N_1_1, 0},
    {"http://www.w3.org/2006/12/xml-c14n11#WithComments", XML_C14N_1_1, 1},
    {"http://www.w3.org/2001/10/xml-exc-c14n#", XML_C14N_EXCLUSIVE_1_0, 0},
    {"http://www.w3.org/2001/10/xml-exc-c14n#WithComments", XML_C14N_EXCLUSIVE_1_0, 1},
};

int vbsig_xml_c14n_from_uri(const char *uri, vbsig_c14n_alg *out)
{
    for (size_t i = 0; uri != NULL && i < sizeof c14n_algs / sizeof c14n_algs[0]; i++)
        if (strcmp(uri, c14n_algs[i].uri) == 0) {
            out->mode = c14n_algs[i].mode;
            out->with_comments = c14n_algs[i].with_comments;
            return 0;
        }
    return -1;
}

static const struct {
    const char *uri;
    vbsig_digest_alg alg;
} digest_algs[] = {
    {"http://www.w3.org/2001/04/xmlenc#sha256", VBSIG_DIGEST_SHA256},
    {"http://www.w3.org/2001/04/xmldsig-more#sha384", VBSIG_DIGEST_SHA384},
    {"http://www.w3.org/2001/04/xmlenc#sha512", VBSIG_DIGEST_SHA512},
    {"http://www.w3.org/2000/09/xmldsig#sha1", VBSIG_DIGEST_SHA1},
};

vbsig_digest_alg vbsig_xml_digest_from_uri(const char *uri)
{
    for (size_t i = 0; uri != NULL && i < sizeof digest_algs / sizeof digest_algs[0]; i++)
        if (strcmp(uri, digest_algs[i].uri) == 0)
            return digest_algs[i].alg;
    return 0;
}

const char *vbsig_xml_digest_uri(vbsig_digest_alg alg)
{
    for (size_t i = 0; i < sizeof digest_algs / sizeof digest_algs[0]; i++)
        if (digest_algs[i].alg == alg)
            return digest_algs[i].uri;
    return NULL;
}

static const struct {
    const char *uri;
    vbsig_xml_sigalg alg;
} sig_algs[] = {
    {"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", {VBSIG_KEY_RSA, VBSIG_DIGEST_SHA256, VBSIG_RSA_PKCS1_V15}},
    {"http://www.w3.org/2001/04/xmldsig-more#rsa-sha384", {VBSIG_KEY_RSA, VBSIG_DIGEST_SHA384, VBSIG_RSA_PKCS1_V15}},
    {"http://www.w3.org/2001/04/xmldsig-more#rsa-sha512", {VBSIG_KEY_RSA, VBSIG_DIGEST_SHA512, VBSIG_RSA_PKCS1_V15}},
    {"http://www.w3.org/2000/09/xmldsig#rsa-sha1", {VBSIG_KEY_RSA, VBSIG_DIGEST_SHA1, VBSIG_RSA_PKCS1_V15}},
    {"http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1", {VBSIG_KEY_RSA, VBSIG_DIGEST_SHA256, VBSIG_RSA_PSS}},
    {"http://www.w3.org/2007/05/xmldsig-more#sha384-rsa-MGF1", {VBSIG_KEY_RSA, VBSIG_DIGEST_SHA384, VBSIG_RSA_PSS}},
    {"http://www.w3.org/2007/05/xmldsig-more#sha512-rsa-MGF1", {VBSIG_KEY_RSA, VBSIG_DIGEST_SHA512, VBSIG_RSA_PSS}},
    {"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256", {VBSIG_KEY_EC, VBSIG_DIGEST_SHA256, VBSIG_RSA_PKCS1_V15}},
    {"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384", {VBSIG_KEY_EC, VBSIG_DIGEST_SHA384, VBSIG_RSA_PKCS1_V15}},
    {"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512", {VBSIG_KEY_EC, VBSIG_DIGEST_SHA512, VBSIG_RSA_PKCS1_V15}},
};

int vbsig_xml_sigalg_from_uri(const char *uri, vbsig_xml_sigalg *out)
{
    for (size_t i = 0; uri != NULL && i < sizeof sig_algs / sizeof sig_algs[0]; i++)
        if (strcmp(uri, sig_algs[i].uri) == 0) {
            *out = sig_algs[i].alg;
            return 0;
        }
    return -1;
}

const char *vbsig_xml_sigalg_uri(const vbsig_xml_sigalg *a)
{
    for (size_t i = 0; i < sizeof sig_algs / sizeof sig_algs[0]; i++) {
        const vbsig_xml_sigalg *s = &sig_algs[i].alg;
        if (s->key == a->key && s->digest == a->digest &&
            (a->key == VBSIG_KEY_EC || s->padding == a->padding))
            return sig_algs[i].uri;
    }
    return NULL;
}
