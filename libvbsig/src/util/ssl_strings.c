/* OpenSSL's reason strings, loaded when an error is first reported.
 *
 * libcrypto loads the text of every error it knows (a few thousand strings
 * into a hash table) the first time any thread touches its error queue,
 * which a verification does long before anything fails: about 0.15 ms of a
 * 3.5 ms run of the command. The CLI turns that off at start
 * (OPENSSL_INIT_NO_LOAD_CRYPTO_STRINGS); this loads the same tables the
 * first time a message is about to quote OpenSSL, so reports still say
 * "header too long" rather than a bare code. The per-library loaders are
 * deprecated in OpenSSL 3 but still the only public way to do it late. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <pthread.h>

#include <openssl/err.h>

#include "util/util.h"

static pthread_once_t loaded = PTHREAD_ONCE_INIT;

static void load_all(void)
{
    (void)ERR_load_ERR_strings();
    (void)ERR_load_ASN1_strings();
    (void)ERR_load_ASYNC_strings();
    (void)ERR_load_BIO_strings();
    (void)ERR_load_BN_strings();
    (void)ERR_load_BUF_strings();
#ifndef OPENSSL_NO_CMS
    (void)ERR_load_CMS_strings();
#endif
#ifndef OPENSSL_NO_COMP
    (void)ERR_load_COMP_strings();
#endif
    (void)ERR_load_CONF_strings();
    (void)ERR_load_CRYPTO_strings();
#ifndef OPENSSL_NO_CT
    (void)ERR_load_CT_strings();
#endif
#ifndef OPENSSL_NO_DH
    (void)ERR_load_DH_strings();
#endif
#ifndef OPENSSL_NO_DSA
    (void)ERR_load_DSA_strings();
#endif
#ifndef OPENSSL_NO_EC
    (void)ERR_load_EC_strings();
#endif
#ifndef OPENSSL_NO_ENGINE
    (void)ERR_load_ENGINE_strings();
#endif
    (void)ERR_load_EVP_strings();
    (void)ERR_load_KDF_strings();
    (void)ERR_load_OBJ_strings();
#ifndef OPENSSL_NO_OCSP
    (void)ERR_load_OCSP_strings();
#endif
    (void)ERR_load_OSSL_STORE_strings();
    (void)ERR_load_PEM_strings();
    (void)ERR_load_PKCS12_strings();
    (void)ERR_load_PKCS7_strings();
    (void)ERR_load_RAND_strings();
    (void)ERR_load_RSA_strings();
#ifndef OPENSSL_NO_TS
    (void)ERR_load_TS_strings();
#endif
    (void)ERR_load_UI_strings();
    (void)ERR_load_X509V3_strings();
    (void)ERR_load_X509_strings();
}

void vbsig_ssl_strings_load(void)
{
    (void)pthread_once(&loaded, load_all);
}
