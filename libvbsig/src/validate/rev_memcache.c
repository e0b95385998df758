/* Revocation answers kept in memory for the threads of one verification
 * pool: an inbox of files from the same few CAs asks each responder once
 * per certificate. Entries are the bytes a server sent and are checked on
 * every use exactly like a fresh download (rev_ocsp.c, rev_crl.c), so a
 * stale one only costs a new request. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "validate/rev.h"

#define MEMCACHE_MAX_ENTRIES 65536
#define MEMCACHE_MAX_BYTES (256u << 20)

typedef struct mem_entry {
    char *key;
    uint8_t *data;
    size_t len;
} mem_entry;

struct vbsig_rev_memcache {
    pthread_mutex_t lock;
    unsigned refs;
    mem_entry *entries;
    size_t count, cap, bytes;
};

vbsig_rev_memcache *vbsig_rev_memcache_new(void)
{
    vbsig_rev_memcache *m = calloc(1, sizeof *m);
    if (m == NULL)
        return NULL;
    if (pthread_mutex_init(&m->lock, NULL) != 0) {
        free(m);
        return NULL;
    }
    m->refs = 1;
    return m;
}

vbsig_rev_memcache *vbsig_rev_memcache_ref(vbsig_rev_memcache *m)
{
    pthread_mutex_lock(&m->lock);
    m->refs++;
    pthread_mutex_unlock(&m->lock);
    return m;
}

void vbsig_rev_memcache_unref(vbsig_rev_memcache *m)
{
    if (m == NULL)
        return;
    pthread_mutex_lock(&m->lock);
    unsigned left = --m->refs;
    pthread_mutex_unlock(&m->lock);
    if (left > 0)
        return;
    for (size_t i = 0; i < m->count; i++) {
        free(m->entries[i].key);
        free(m->entries[i].data);
    }
    free(m->entries);
    pthread_mutex_destroy(&m->lock);
    free(m);
}

static mem_entry *find_locked(vbsig_rev_memcache *m, const char *key)
{
    for (size_t i = 0; i < m->count; i++)
        if (strcmp(m->entries[i].key, key) == 0)
            return &m->entries[i];
    return NULL;
}

int vbsig_rev_memcache_get(vbsig_rev_memcache *m, const char *key, size_t max_len, vbsig_bytes *out)
{
    pthread_mutex_lock(&m->lock);
    mem_entry *e = find_locked(m, key);
    int rc = 0;
    if (e != NULL && e->len <= max_len)
        rc = vbsig_bytes_append(out, e->data, e->len) == VBSIG_OK ? 1 : VBSIG_E_NOMEM;
    pthread_mutex_unlock(&m->lock);
    return rc;
}

void vbsig_rev_memcache_put(vbsig_rev_memcache *m, const char *key, const vbsig_bytes *data)
{
    uint8_t *copy = data->len > 0 ? malloc(data->len) : NULL;
    if (copy == NULL)
        return;
    memcpy(copy, data->data, data->len);
    pthread_mutex_lock(&m->lock);
    mem_entry *e = find_locked(m, key);
    size_t bytes = m->bytes - (e != NULL ? e->len : 0);
    if (bytes > MEMCACHE_MAX_BYTES || data->len > MEMCACHE_MAX_BYTES - bytes) {
        free(copy); /* full: this answer is not kept */
    } else if (e != NULL) {
        /* A newer answer for the same question replaces the old one. */
        free(e->data);
        e->data = copy;
        e->len = data->len;
        m->bytes = bytes + data->len;
    } else if (m->count < MEMCACHE_MAX_ENTRIES) {
        if (m->count == m->cap) {
            size_t cap = m->cap ? m->cap * 2 : 64;
            mem_entry *n = realloc(m->entries, cap * sizeof *n);
            if (n != NULL) {
                m->entries = n;
                m->cap = cap;
            }
        }
        char *k = m->count < m->cap ? strdup(key) : NULL;
        if (k != NULL) {
            m->entries[m->count++] = (mem_entry){k, copy, data->len};
            m->bytes += data->len;
            copy = NULL;
        }
        free(copy);
    } else {
        free(copy);
    }
    pthread_mutex_unlock(&m->lock);
}
