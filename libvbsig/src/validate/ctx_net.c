/* The context's revocation-source settings: URL rewrites, cache, offline. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "validate/rev.h"

/* A configuration with more rules than this is a mistake. */
#define MAX_REWRITE_RULES 256

static int is_http_url(const char *s)
{
    return strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0;
}

int vbsig_ctx_add_url_rewrite(vbsig_ctx *ctx, const char *from, const char *to)
{
    VBSIG_REQUIRE(ctx, "ctx");
    VBSIG_REQUIRE(from, "from");
    VBSIG_REQUIRE(to, "to");
    if (ctx == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("no context"));
    return vbsig_rev_add_rewrite(&ctx->net, from, to, 0);
}

int vbsig_rev_add_rewrite(vbsig_rev_net *net, const char *from, const char *to, int low)
{
    if (from == NULL || to == NULL || from[0] == '\0' || !is_http_url(to))
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("a URL rewrite needs a non-empty prefix and an http:// or https:// target"));
    if (net->rule_count >= MAX_REWRITE_RULES)
        return vbsig_fail(VBSIG_E_LIMIT, _("more than %d URL rewrite rules"), MAX_REWRITE_RULES);
    vbsig_url_rule *rules = realloc(net->rules, (net->rule_count + 1) * sizeof *rules);
    if (rules == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    net->rules = rules;
    char *f = strdup(from), *t = strdup(to);
    if (f == NULL || t == NULL) {
        free(f);
        free(t);
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    rules[net->rule_count].from = f;
    rules[net->rule_count].to = t;
    rules[net->rule_count].low = low;
    net->rule_count++;
    return VBSIG_OK;
}

int vbsig_ctx_set_cache_dir(vbsig_ctx *ctx, const char *dir)
{
    VBSIG_REQUIRE(ctx, "ctx");
    if (ctx == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("no context"));
    char *copy = NULL;
    if (dir != NULL) {
        if (mkdir(dir, 0700) != 0 && errno != EEXIST)
            return vbsig_fail(VBSIG_E_IO_WRITE, _("%s: cannot create the cache directory: %s"), dir, strerror(errno));
        struct stat st;
        if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
            return vbsig_fail(VBSIG_E_IO_WRITE, _("%s: not a directory"), dir);
        copy = strdup(dir);
        if (copy == NULL)
            return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    free(ctx->net.cache_dir);
    ctx->net.cache_dir = copy;
    return VBSIG_OK;
}

int vbsig_ctx_set_offline(vbsig_ctx *ctx, int offline)
{
    VBSIG_REQUIRE(ctx, "ctx");
    if (ctx == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("no context"));
    ctx->net.offline = offline != 0;
    return VBSIG_OK;
}

void vbsig_rev_net_clear(vbsig_rev_net *net)
{
    for (size_t i = 0; i < net->rule_count; i++) {
        free(net->rules[i].from);
        free(net->rules[i].to);
    }
    free(net->rules);
    free(net->cache_dir);
    free(net->ca_file);
    free(net->pkcs11_module);
    vbsig_rev_memcache_unref(net->mem);
    memset(net, 0, sizeof *net);
}

int vbsig_rev_rewrite(const vbsig_rev_net *net, const char *url, char **out)
{
    const char *prefix = "", *rest = url;
    /* The first matching rule wins; the command line's before the file's. */
    for (int low = 0; low <= 1 && rest == url; low++) {
        for (size_t i = 0; i < net->rule_count; i++) {
            size_t n = strlen(net->rules[i].from);
            if (net->rules[i].low == low && strncmp(url, net->rules[i].from, n) == 0) {
                prefix = net->rules[i].to;
                rest = url + n;
                break;
            }
        }
    }
    size_t len = strlen(prefix) + strlen(rest) + 1;
    *out = malloc(len);
    if (*out == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    snprintf(*out, len, "%s%s", prefix, rest);
    return VBSIG_OK;
}
