/* The on-disk cache of revocation data. Entries are the raw bytes a server
 * sent, in files named by the SHA-256 of the key; they are untrusted input
 * on every read and are checked exactly like a fresh download. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "validate/rev.h"

static int entry_path(const vbsig_rev_net *net, const char *key, char **out)
{
    uint8_t md[32];
    unsigned int md_len = 0;
    if (!EVP_Digest(key, strlen(key), md, &md_len, EVP_sha256(), NULL))
        return vbsig_fail_ssl(VBSIG_E_CRYPTO, _("cannot hash the cache key"));
    char *hex = NULL;
    int rc = vbsig_hex_encode(md, md_len, 0, &hex);
    if (rc != VBSIG_OK)
        return rc;
    size_t len = strlen(net->cache_dir) + strlen(hex) + 8;
    *out = malloc(len);
    if (*out != NULL)
        snprintf(*out, len, "%s/%s.der", net->cache_dir, hex);
    free(hex);
    return *out != NULL ? VBSIG_OK : vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
}

int vbsig_rev_cache_get(const vbsig_rev_net *net, const char *key, size_t max_len, vbsig_bytes *out)
{
    if (net->mem != NULL) {
        int held = vbsig_rev_memcache_get(net->mem, key, max_len, out);
        if (held != 0)
            return held > 0 ? VBSIG_OK : vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    if (net->cache_dir == NULL)
        return VBSIG_OK;
    char *path = NULL;
    int rc = entry_path(net, key, &path);
    if (rc != VBSIG_OK)
        return rc;
    vbsig_file_map m;
    if (vbsig_file_map_open(&m, path, max_len) == VBSIG_OK) {
        rc = vbsig_bytes_append(out, m.data, m.len);
        vbsig_file_map_close(&m);
    }
    vbsig_error_clear(); /* a missing or oversized entry is a cache miss */
    free(path);
    return rc;
}

void vbsig_rev_cache_put(const vbsig_rev_net *net, const char *key, const vbsig_bytes *data)
{
    if (net->mem != NULL)
        vbsig_rev_memcache_put(net->mem, key, data);
    if (net->cache_dir == NULL)
        return;
    char *path = NULL;
    if (entry_path(net, key, &path) == VBSIG_OK)
        vbsig_write_file_atomic(path, data->data, data->len);
    /* A cache that cannot be written costs a download next time, nothing more. */
    vbsig_error_clear();
    free(path);
}
