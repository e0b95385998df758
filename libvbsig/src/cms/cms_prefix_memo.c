/* One pass over a file for all its signatures (cms.h, vbsig_prefix_memo):
 * a PDF with k sequential signatures used to be hashed k times, each time
 * from offset 0 to that signature's /Contents. */
#include <stdlib.h>

#include <openssl/evp.h>

#include "cms/cms.h"

#define MEMO_CHUNK ((size_t)8 << 20)
#define MEMO_MAX_ALGS 4

typedef struct memo_state {
    const EVP_MD *md;
    EVP_MD_CTX *ctx;
    size_t pos; /* base[0..pos) hashed */
} memo_state;

struct vbsig_prefix_memo {
    const uint8_t *base;
    size_t len;
    int release;
    memo_state st[MEMO_MAX_ALGS];
    size_t n;
};

vbsig_prefix_memo *vbsig_prefix_memo_new(const uint8_t *base, size_t len, int release)
{
    vbsig_prefix_memo *m = calloc(1, sizeof *m);
    if (m != NULL) {
        m->base = base;
        m->len = len;
        m->release = release;
    }
    return m;
}

void vbsig_prefix_memo_free(vbsig_prefix_memo *m)
{
    if (m == NULL)
        return;
    for (size_t i = 0; i < m->n; i++)
        EVP_MD_CTX_free(m->st[i].ctx);
    free(m);
}

static memo_state *state_for(vbsig_prefix_memo *m, const EVP_MD *md)
{
    for (size_t i = 0; i < m->n; i++)
        if (EVP_MD_get_type(m->st[i].md) == EVP_MD_get_type(md))
            return &m->st[i];
    if (m->n == MEMO_MAX_ALGS)
        return NULL;
    memo_state *s = &m->st[m->n];
    s->ctx = EVP_MD_CTX_new();
    if (s->ctx == NULL || EVP_DigestInit_ex(s->ctx, md, NULL) != 1) {
        EVP_MD_CTX_free(s->ctx);
        s->ctx = NULL;
        return NULL;
    }
    s->md = md;
    s->pos = 0;
    m->n++;
    return s;
}

EVP_MD_CTX *vbsig_prefix_memo_fork(vbsig_prefix_memo *m, const EVP_MD *md, const uint8_t *data, size_t upto)
{
    if (m == NULL || md == NULL || data != m->base || upto > m->len)
        return NULL;
    memo_state *s = state_for(m, md);
    if (s == NULL || upto < s->pos)
        return NULL;
    while (s->pos < upto) {
        size_t n = upto - s->pos < MEMO_CHUNK ? upto - s->pos : MEMO_CHUNK;
        if (EVP_DigestUpdate(s->ctx, m->base + s->pos, n) != 1)
            return NULL;
        /* As in cms_ranges.c: resident pages of a big file go back once hashed. */
        if (m->release && m->len > MEMO_CHUNK)
            vbsig_cms_release_pages(m->base + s->pos, m->base + s->pos + n);
        s->pos += n;
    }
    EVP_MD_CTX *fork = EVP_MD_CTX_new();
    if (fork == NULL || EVP_MD_CTX_copy_ex(fork, s->ctx) != 1) {
        EVP_MD_CTX_free(fork);
        return NULL;
    }
    return fork;
}
