/* The verifier's configuration file: trust domains and which of them to
 * accept, revocation sources and modes. An INI-like text:
 *
 *   # comment
 *   [trust.national-root]
 *   anchors = /etc/vbsig/roots/national.pem /etc/vbsig/roots/national.d
 *   [trust.gov-ca]
 *   anchors = /etc/vbsig/roots/gov-ca.pem
 *   [policy]
 *   accept = national-root gov-ca       # absent: every domain is accepted
 *   weak = warn                          # SHA-1, RSA < 2048: warn (default) or fail
 *   revocation-freshness = 86400         # a CRL at most this old at the proven time (s)
 *   [network]
 *   offline = no
 *   aia = yes                            # fetch missing intermediates (caIssuers)
 *   cache-dir = /var/cache/vbsig
 *   url-rewrite = http://ocsp.internal/=http://ocsp.example.vn/   # repeatable
 *   [revocation]
 *   mode = hard                          # hard, soft or off
 *
 * The whole file is parsed before any setting is applied, so a syntax error
 * changes nothing (an anchor file that fails to load can leave the domains
 * before it loaded). Paths hold no spaces (spaces separate list items).
 * Every error names file:line. Settings made later through the API (the
 * command line) win; the file's URL rewrites rank after later ones. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/util.h"
#include "validate/rev.h"
#include "validate/validate.h"

#define CONFIG_MAX_BYTES (1u << 20)
#define CONFIG_MAX_LINE 4096
#define CONFIG_MAX_DOMAINS 64

typedef struct domain_def {
    char name[64];
    char *anchors;      /* whitespace-separated paths */
    int line;
} domain_def;

typedef struct config {
    const char *path;
    domain_def domains[CONFIG_MAX_DOMAINS];
    size_t domain_count;
    char *accept;       /* NULL: all */
    int accept_line;
    int revocation;     /* -1: not set */
    int offline;        /* -1: not set */
    int aia;            /* -1: not set */
    int weak;           /* -1: not set, else vbsig_weak_policy */
    long freshness;     /* -1: not set, else seconds */
    char *cache_dir;
    char **rewrites;    /* FROM=TO */
    size_t rewrite_count;
    char **serve;       /* [serve] settings, "key=value", for the local REST shim */
    size_t serve_count;
} config;

static void config_clear(config *c)
{
    for (size_t i = 0; i < c->domain_count; i++)
        free(c->domains[i].anchors);
    free(c->accept);
    free(c->cache_dir);
    for (size_t i = 0; i < c->rewrite_count; i++)
        free(c->rewrites[i]);
    free(c->rewrites);
    for (size_t i = 0; i < c->serve_count; i++)
        free(c->serve[i]);
    free(c->serve);
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

static int parse_bool(const char *v, int *out)
{
    if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0 || strcmp(v, "1") == 0 || strcmp(v, "on") == 0)
        *out = 1;
    else if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0 || strcmp(v, "0") == 0 || strcmp(v, "off") == 0)
        *out = 0;
    else
        return -1;
    return 0;
}

static int bad(const config *c, int line, const char *why)
{
    return vbsig_fail(VBSIG_E_INVALID_ARG, _("%s:%d: %s"), c->path, line, why);
}

static int set_string(const config *c, int line, char **slot, const char *v)
{
    if (*slot != NULL)
        return bad(c, line, _("the setting appears twice"));
    if ((*slot = strdup(v)) == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    return VBSIG_OK;
}

/* [serve]: the library does not use these; it checks their names and keeps
 * them for `vbsig serve` (vbsig_ctx_config_serve), so that one file and one
 * parser serve every front door. */
static int take_serve(config *c, const char *key, const char *v, int line)
{
    static const char *const known[] = {"allow-origin", "listen", "pinentry", "module", "max-body", "timeout"};
    int ok = 0;
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        ok |= strcmp(key, known[i]) == 0;
    if (!ok)
        return bad(c, line, _("unknown setting in [serve] (allow-origin, listen, pinentry, module, max-body, timeout)"));
    if (v[0] == '\0')
        return bad(c, line, _("the setting needs a value"));
    if (c->serve_count >= 256)
        return bad(c, line, _("too many settings in [serve]"));
    char **n = realloc(c->serve, (c->serve_count + 1) * sizeof *n);
    if (n == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    c->serve = n;
    size_t len = strlen(key) + strlen(v) + 2;
    if ((n[c->serve_count] = malloc(len)) == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    snprintf(n[c->serve_count], len, "%s=%s", key, v);
    c->serve_count++;
    return VBSIG_OK;
}

/* One "key = value" inside a section. */
static int take(config *c, const char *section, const char *key, const char *v, int line)
{
    if (strncmp(section, "trust.", 6) == 0) {
        domain_def *d = &c->domains[c->domain_count - 1];
        if (strcmp(key, "anchors") != 0)
            return bad(c, line, _("unknown setting in a [trust.NAME] section (only 'anchors')"));
        if (v[0] == '\0')
            return bad(c, line, _("'anchors' needs at least one file or directory"));
        return set_string(c, line, &d->anchors, v);
    }
    if (strcmp(section, "policy") == 0) {
        if (strcmp(key, "weak") == 0) {
            if (strcmp(v, "warn") == 0)
                c->weak = VBSIG_WEAK_WARN;
            else if (strcmp(v, "fail") == 0)
                c->weak = VBSIG_WEAK_FAIL;
            else
                return bad(c, line, _("'weak' must be warn or fail"));
            return VBSIG_OK;
        }
        if (strcmp(key, "revocation-freshness") == 0) {
            char *end = NULL;
            errno = 0;
            long n = strtol(v, &end, 10);
            if (errno != 0 || end == v || *end != '\0' || n < 1 || n > 100L * 366 * 86400)
                return bad(c, line, _("'revocation-freshness' must be a number of seconds (1 or more)"));
            c->freshness = n;
            return VBSIG_OK;
        }
        if (strcmp(key, "accept") != 0)
            return bad(c, line, _("unknown setting in [policy] (accept, weak, revocation-freshness)"));
        c->accept_line = line;
        return set_string(c, line, &c->accept, v);
    }
    if (strcmp(section, "revocation") == 0) {
        if (strcmp(key, "mode") != 0)
            return bad(c, line, _("unknown setting in [revocation] (only 'mode')"));
        if (strcmp(v, "hard") == 0)
            c->revocation = VBSIG_REVOCATION_HARD;
        else if (strcmp(v, "soft") == 0)
            c->revocation = VBSIG_REVOCATION_SOFT;
        else if (strcmp(v, "off") == 0)
            c->revocation = VBSIG_REVOCATION_OFF;
        else
            return bad(c, line, _("the revocation mode must be hard, soft or off"));
        return VBSIG_OK;
    }
    if (strcmp(section, "network") == 0) {
        if (strcmp(key, "offline") == 0)
            return parse_bool(v, &c->offline) == 0 ? VBSIG_OK : bad(c, line, _("'offline' must be yes or no"));
        if (strcmp(key, "aia") == 0)
            return parse_bool(v, &c->aia) == 0 ? VBSIG_OK : bad(c, line, _("'aia' must be yes or no"));
        if (strcmp(key, "cache-dir") == 0)
            return v[0] != '\0' ? set_string(c, line, &c->cache_dir, v) : bad(c, line, _("'cache-dir' needs a directory"));
        if (strcmp(key, "url-rewrite") == 0) {
            const char *eq = strchr(v, '=');
            if (eq == NULL || eq == v)
                return bad(c, line, _("'url-rewrite' needs FROM=TO"));
            char **n = realloc(c->rewrites, (c->rewrite_count + 1) * sizeof *n);
            if (n == NULL)
                return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
            c->rewrites = n;
            if ((n[c->rewrite_count] = strdup(v)) == NULL)
                return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
            c->rewrite_count++;
            return VBSIG_OK;
        }
        return bad(c, line, _("unknown setting in [network] (offline, aia, cache-dir, url-rewrite)"));
    }
    if (strcmp(section, "serve") == 0)
        return take_serve(c, key, v, line);
    return bad(c, line, _("setting outside a known section"));
}

static int open_section(config *c, char *name, int line)
{
    if (strncmp(name, "trust.", 6) == 0) {
        const char *dn = name + 6;
        size_t n = strlen(dn);
        if (n == 0 || n >= sizeof c->domains[0].name)
            return bad(c, line, _("a trust domain needs a name of 1 to 63 characters"));
        for (size_t i = 0; i < c->domain_count; i++)
            if (strcmp(c->domains[i].name, dn) == 0)
                return bad(c, line, _("the trust domain is declared twice"));
        if (c->domain_count >= CONFIG_MAX_DOMAINS)
            return bad(c, line, _("too many trust domains"));
        domain_def *d = &c->domains[c->domain_count++];
        memcpy(d->name, dn, n + 1);
        d->line = line;
        return VBSIG_OK;
    }
    if (strcmp(name, "policy") == 0 || strcmp(name, "revocation") == 0 || strcmp(name, "network") == 0 ||
        strcmp(name, "serve") == 0)
        return VBSIG_OK;
    return bad(c, line, _("unknown section (trust.NAME, policy, network, revocation, serve)"));
}

static int parse(config *c, const char *text, size_t len)
{
    char section[80] = "";
    int line = 0;
    size_t pos = 0;
    while (pos < len) {
        line++;
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t n = nl != NULL ? (size_t)(nl - (text + pos)) : len - pos;
        if (n >= CONFIG_MAX_LINE)
            return bad(c, line, _("the line is too long"));
        char buf[CONFIG_MAX_LINE];
        memcpy(buf, text + pos, n);
        buf[n] = '\0';
        pos += n + (nl != NULL);
        if (memchr(buf, '\0', n) != NULL)
            return bad(c, line, _("the line holds a NUL byte"));
        char *hash = strchr(buf, '#');
        if (hash != NULL)
            *hash = '\0';
        char *s = trim(buf);
        if (*s == '\0')
            continue;
        if (*s == '[') {
            size_t sl = strlen(s);
            if (s[sl - 1] != ']' || sl < 3 || sl - 2 >= sizeof section)
                return bad(c, line, _("a section header looks like [name]"));
            s[sl - 1] = '\0';
            snprintf(section, sizeof section, "%s", trim(s + 1));
            int rc = open_section(c, section, line);
            if (rc != VBSIG_OK)
                return rc;
            continue;
        }
        char *eq = strchr(s, '=');
        if (eq == NULL)
            return bad(c, line, _("expected 'key = value'"));
        *eq = '\0';
        int rc = take(c, section, trim(s), trim(eq + 1), line);
        if (rc != VBSIG_OK)
            return rc;
    }
    return VBSIG_OK;
}

/* Is `name` in the space-separated list? */
static int listed(const char *list, const char *name)
{
    size_t n = strlen(name);
    const char *p = list;
    while (*p != '\0') {
        while (*p == ' ' || *p == '\t')
            p++;
        size_t w = strcspn(p, " \t");
        if (w == n && strncmp(p, name, n) == 0)
            return 1;
        p += w;
    }
    return 0;
}

static int check_accept(const config *c)
{
    char *copy = strdup(c->accept);
    if (copy == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    int rc = VBSIG_OK;
    char *save = NULL;
    for (char *w = strtok_r(copy, " \t", &save); w != NULL && rc == VBSIG_OK; w = strtok_r(NULL, " \t", &save)) {
        int found = 0;
        for (size_t i = 0; i < c->domain_count; i++)
            found |= strcmp(c->domains[i].name, w) == 0;
        if (!found)
            rc = vbsig_fail(VBSIG_E_INVALID_ARG, _("%s:%d: 'accept' names the trust domain '%s', which no [trust.%s] section declares"),
                            c->path, c->accept_line, w, w);
    }
    free(copy);
    return rc;
}

static int apply_domain(vbsig_ctx *ctx, const config *c, const domain_def *d)
{
    if (d->anchors == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("%s:%d: the trust domain '%s' lists no anchors"), c->path, d->line, d->name);
    int accepted = c->accept == NULL || listed(c->accept, d->name);
    char *copy = strdup(d->anchors);
    if (copy == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    int rc = VBSIG_OK;
    char *save = NULL;
    for (char *w = strtok_r(copy, " \t", &save); w != NULL && rc == VBSIG_OK; w = strtok_r(NULL, " \t", &save))
        rc = vbsig_ctx_add_trust_domain(ctx, d->name, w, accepted);
    free(copy);
    return rc;
}

static int apply(vbsig_ctx *ctx, const config *c)
{
    int rc = c->accept != NULL ? check_accept(c) : VBSIG_OK;
    for (size_t i = 0; rc == VBSIG_OK && i < c->domain_count; i++)
        rc = apply_domain(ctx, c, &c->domains[i]);
    if (rc == VBSIG_OK && c->revocation >= 0)
        rc = vbsig_ctx_set_revocation_mode(ctx, (vbsig_revocation_mode)c->revocation);
    if (rc == VBSIG_OK && c->offline >= 0)
        rc = vbsig_ctx_set_offline(ctx, c->offline);
    if (rc == VBSIG_OK && c->weak >= 0)
        rc = vbsig_ctx_set_weak_policy(ctx, (vbsig_weak_policy)c->weak);
    if (rc == VBSIG_OK && c->aia >= 0)
        rc = vbsig_ctx_set_aia(ctx, c->aia);
    if (rc == VBSIG_OK && c->freshness > 0)
        ctx->net.freshness = c->freshness;
    if (rc == VBSIG_OK && c->cache_dir != NULL)
        rc = vbsig_ctx_set_cache_dir(ctx, c->cache_dir);
    for (size_t i = 0; rc == VBSIG_OK && i < c->rewrite_count; i++) {
        char *eq = strchr(c->rewrites[i], '=');
        *eq = '\0';
        rc = vbsig_rev_add_rewrite(&ctx->net, c->rewrites[i], eq + 1, 1);
        *eq = '=';
    }
    /* The file's [serve] settings replace those of a file loaded before. */
    if (rc == VBSIG_OK && c->serve_count > 0) {
        vbsig__ctx_serve_clear(ctx);
        ctx->serve = c->serve;
        ctx->serve_count = c->serve_count;
    }
    return rc;
}

void vbsig__ctx_serve_clear(vbsig_ctx *ctx)
{
    for (size_t i = 0; i < ctx->serve_count; i++)
        free(ctx->serve[i]);
    free(ctx->serve);
    ctx->serve = NULL;
    ctx->serve_count = 0;
}

const char *vbsig_ctx_config_serve(const vbsig_ctx *ctx, const char *key, size_t index)
{
    if (ctx == NULL || key == NULL)
        return NULL;
    size_t klen = strlen(key);
    for (size_t i = 0; i < ctx->serve_count; i++) {
        const char *s = ctx->serve[i];
        if (strncmp(s, key, klen) == 0 && s[klen] == '=' && index-- == 0)
            return s + klen + 1;
    }
    return NULL;
}

int vbsig_ctx_load_config(vbsig_ctx *ctx, const char *path)
{
    VBSIG_REQUIRE(ctx, "ctx");
    VBSIG_REQUIRE(path, "path");
    if (ctx == NULL || path == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("loading a configuration needs a context and a path"));
    vbsig_file_map m;
    int rc = vbsig_file_map_open(&m, path, CONFIG_MAX_BYTES);
    if (rc == VBSIG_E_LIMIT)
        return vbsig_fail(VBSIG_E_LIMIT, _("%s: a configuration file larger than %u bytes is a mistake"), path,
                          CONFIG_MAX_BYTES);
    if (rc != VBSIG_OK)
        return rc;
    config c = {.path = path, .revocation = -1, .offline = -1, .aia = -1, .weak = -1, .freshness = -1};
    rc = parse(&c, (const char *)m.data, m.len);
    vbsig_file_map_close(&m);
    if (rc == VBSIG_OK)
        rc = apply(ctx, &c);
    if (ctx->serve == c.serve) { /* now the context's */
        c.serve = NULL;
        c.serve_count = 0;
    }
    config_clear(&c);
    return rc;
}

static char *existing(const char *a, const char *b)
{
    size_t len = strlen(a) + strlen(b) + 1;
    char *p = malloc(len);
    if (p == NULL)
        return NULL;
    snprintf(p, len, "%s%s", a, b);
    struct stat st;
    if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
        return p;
    free(p);
    return NULL;
}

char *vbsig_config_default_path(void)
{
    const char *env = getenv("VBSIG_CONFIG");
    if (env != NULL)
        return env[0] != '\0' ? existing(env, "") : NULL; /* "" turns the default off */
    const char *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");
    char *p = NULL;
    if (xdg != NULL && xdg[0] == '/')
        p = existing(xdg, "/vbsig/vbsig.conf");
    else if (home != NULL && home[0] == '/')
        p = existing(home, "/.config/vbsig/vbsig.conf");
    return p != NULL ? p : existing("/etc/vbsig/vbsig.conf", "");
}
