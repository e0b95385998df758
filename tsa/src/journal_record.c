/* A journal record and the hash that chains it to the one before. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "tsa.h"

#define TSA_CHAIN_LABEL "vbsig-tsa-journal/1"

void tsa_record_init(tsa_record *r) { memset(r, 0, sizeof *r); }

void tsa_record_clear(tsa_record *r)
{
    free(r->imprint);
    free(r->nonce);
    free(r->token);
    tsa_record_init(r);
}

static int feed(EVP_MD_CTX *md, const void *p, size_t n)
{
    /* Length prefixes keep field boundaries unambiguous. */
    uint8_t len[4] = { (uint8_t)(n >> 24), (uint8_t)(n >> 16), (uint8_t)(n >> 8), (uint8_t)n };
    return EVP_DigestUpdate(md, len, sizeof len) && (n == 0 || EVP_DigestUpdate(md, p, n));
}

static int feed_text(EVP_MD_CTX *md, const char *s)
{
    return feed(md, s != NULL ? s : "", s != NULL ? strlen(s) : 0);
}

/* SHA-256 fetched once for every record (an implicit fetch per record is
 * measurable under load). Released at exit, before OpenSSL's own cleanup
 * (registered earlier, so it runs later). */
static EVP_MD *sha256;
static pthread_once_t sha256_once = PTHREAD_ONCE_INIT;
static void free_sha256(void) { EVP_MD_free(sha256); }
static void fetch_sha256(void)
{
    sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
    if (sha256 != NULL)
        atexit(free_sha256);
}

int tsa_record_hash(const tsa_record *r, uint8_t out[32])
{
    pthread_once(&sha256_once, fetch_sha256);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    uint8_t seq[8];
    for (int i = 0; i < 8; i++)
        seq[i] = (uint8_t)((uint64_t)r->seq >> (56 - 8 * i));
    unsigned len = 0;
    int ok = md != NULL && EVP_DigestInit_ex(md, sha256 != NULL ? sha256 : EVP_sha256(), NULL) &&
             feed(md, TSA_CHAIN_LABEL, strlen(TSA_CHAIN_LABEL)) && feed(md, seq, sizeof seq) &&
             feed_text(md, r->received) && feed_text(md, r->outcome) &&
             feed_text(md, r->failure) && feed_text(md, r->serial) && feed_text(md, r->policy) &&
             feed_text(md, r->hash_alg) && feed_text(md, r->imprint) &&
             feed_text(md, r->nonce) && feed_text(md, r->peer) &&
             feed(md, r->token, r->token_len) && feed(md, r->prev_hash, 32) &&
             EVP_DigestFinal_ex(md, out, &len) && len == 32;
    EVP_MD_CTX_free(md);
    return ok ? VBSIG_OK : tsa_fail(VBSIG_E_CRYPTO, _("cannot hash a journal record"));
}
