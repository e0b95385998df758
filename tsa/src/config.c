/* Settings from a config file ("name = value" lines, the long option names
 * without "--"; "#" starts a comment) and from the command line, which wins. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tsa.h"

#define TSA_CONFIG_MAX (64 * 1024)

void tsa_config_init(tsa_config *c)
{
    memset(c, 0, sizeof *c);
    c->accuracy_ms = 1000;
    c->threads = 2;
    c->max_connections = 256;
    c->max_queue = 64;
    c->timeout_s = 10;
    c->health_interval_s = 5;
    c->drain_timeout_s = 30;
}

static void free_policies(tsa_config *c)
{
    for (size_t i = 0; i < c->n_accept_policies; i++)
        free(c->accept_policies[i]);
    free(c->accept_policies);
    c->accept_policies = NULL;
    c->n_accept_policies = 0;
}

void tsa_config_free(tsa_config *c)
{
    char **strings[] = { &c->listen, &c->key, &c->pass, &c->pin, &c->cert, &c->chain,
                         &c->policy, &c->journal, &c->hashes, &c->module,
                         &c->drain_file };
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++) {
        free(*strings[i]);
        *strings[i] = NULL;
    }
    free_policies(c);
}

static int set_string(char **slot, const char *value)
{
    char *copy = strdup(value);
    if (copy == NULL)
        return tsa_fail(VBSIG_E_NOMEM, _("out of memory"));
    free(*slot);
    *slot = copy;
    return VBSIG_OK;
}

static int parse_unsigned(const char *name, const char *value, unsigned lo, unsigned hi,
                          unsigned *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(value, &end, 10);
    if (errno != 0 || end == value || *end != '\0' || value[0] == '-' || v < lo || v > hi)
        return tsa_fail(VBSIG_E_INVALID_ARG, _("--%s: expected a number from %u to %u, got '%s'"),
                          name, lo, hi, value);
    *out = (unsigned)v;
    return VBSIG_OK;
}

/* "1", "0.5", "0.001": seconds with at most millisecond precision. */
static int parse_seconds_ms(const char *name, const char *value, unsigned *out_ms)
{
    unsigned secs = 0, ms = 0, digits = 0;
    const char *p = value;
    if (!isdigit((unsigned char)*p))
        goto bad;
    while (isdigit((unsigned char)*p) && secs < 1000)
        secs = secs * 10 + (unsigned)(*p++ - '0');
    if (*p == '.') {
        p++;
        while (isdigit((unsigned char)*p) && digits < 3) {
            ms = ms * 10 + (unsigned)(*p++ - '0');
            digits++;
        }
        for (; digits < 3; digits++)
            ms *= 10;
    }
    if (*p != '\0' || secs >= 1000 || (secs == 0 && ms == 0))
        goto bad;
    *out_ms = secs * 1000 + ms;
    return VBSIG_OK;
bad:
    if (strcmp(name, "accuracy") == 0)
        return tsa_fail(VBSIG_E_INVALID_ARG,
                        _("--accuracy: expected seconds such as 1 or 0.5 (at most 999), got '%s'"),
                        value);
    return tsa_fail(VBSIG_E_INVALID_ARG,
                    _("--max-clock-error: expected seconds such as 1 or 0.5 (at most 999), got '%s'"),
                    value);
}

typedef struct option_seen {
    int accept_policy; /* the first --accept-policy from a source replaces the earlier list */
} option_seen;

static int set_option(tsa_config *c, const char *name, const char *value, option_seen *seen)
{
    struct { const char *name; char **slot; } strings[] = {
        { "listen", &c->listen }, { "key", &c->key },       { "pass", &c->pass },
        { "pin", &c->pin },       { "cert", &c->cert },     { "chain", &c->chain },
        { "policy", &c->policy }, { "journal", &c->journal }, { "hashes", &c->hashes },
        { "module", &c->module }, { "drain-file", &c->drain_file },
    };
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++)
        if (strcmp(name, strings[i].name) == 0)
            return set_string(strings[i].slot, value);

    if (strcmp(name, "accept-policy") == 0) {
        if (!seen->accept_policy)
            free_policies(c);
        seen->accept_policy = 1;
        if (c->n_accept_policies >= 64)
            return tsa_fail(VBSIG_E_LIMIT, _("--accept-policy: at most 64 policies"));
        char **grown = realloc(c->accept_policies, (c->n_accept_policies + 1) * sizeof *grown);
        if (grown == NULL)
            return tsa_fail(VBSIG_E_NOMEM, _("out of memory"));
        c->accept_policies = grown;
        c->accept_policies[c->n_accept_policies] = NULL;
        int rc = set_string(&c->accept_policies[c->n_accept_policies], value);
        if (rc == VBSIG_OK)
            c->n_accept_policies++;
        return rc;
    }
    if (strcmp(name, "accuracy") == 0 || strcmp(name, "max-clock-error") == 0)
        return parse_seconds_ms(name, value,
                                name[0] == 'a' ? &c->accuracy_ms : &c->max_clock_error_ms);
    if (strcmp(name, "threads") == 0)
        return parse_unsigned(name, value, 1, 64, &c->threads);
    if (strcmp(name, "max-connections") == 0)
        return parse_unsigned(name, value, 1, 100000, &c->max_connections);
    if (strcmp(name, "max-queue") == 0)
        return parse_unsigned(name, value, 1, 100000, &c->max_queue);
    if (strcmp(name, "timeout") == 0)
        return parse_unsigned(name, value, 1, 3600, &c->timeout_s);
    if (strcmp(name, "drain-timeout") == 0)
        return parse_unsigned(name, value, 1, 3600, &c->drain_timeout_s);
    if (strcmp(name, "health-interval") == 0)
        return parse_unsigned(name, value, 1, 3600, &c->health_interval_s);
    if (strcmp(name, "allow-unsynced-clock") == 0) {
        if (strcmp(value, "yes") == 0 || strcmp(value, "true") == 0 || strcmp(value, "1") == 0)
            c->allow_unsynced_clock = 1;
        else if (strcmp(value, "no") == 0 || strcmp(value, "false") == 0 || strcmp(value, "0") == 0)
            c->allow_unsynced_clock = 0;
        else
            return tsa_fail(VBSIG_E_INVALID_ARG,
                              _("allow-unsynced-clock: expected yes or no, got '%s'"), value);
        return VBSIG_OK;
    }
    return tsa_fail(VBSIG_E_INVALID_ARG, _("unknown option '%s'"), name);
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

static int load_file(tsa_config *c, const char *path)
{
    uint8_t *data = NULL;
    size_t len = 0;
    int rc = tsa_read_file(path, TSA_CONFIG_MAX, &data, &len);
    if (rc != VBSIG_OK)
        return rc;
    char *text = malloc(len + 1);
    if (text == NULL) {
        free(data);
        return tsa_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    if (len > 0)
        memcpy(text, data, len);
    text[len] = '\0';
    free(data);

    option_seen seen = { 0 };
    unsigned line_no = 0;
    for (char *line = text; line != NULL && rc == VBSIG_OK;) {
        char *next = strchr(line, '\n');
        if (next != NULL)
            *next++ = '\0';
        line_no++;
        char *hash = strchr(line, '#');
        if (hash != NULL)
            *hash = '\0';
        char *t = trim(line);
        if (*t != '\0') {
            char *eq = strchr(t, '=');
            if (eq == NULL) {
                rc = tsa_fail(VBSIG_E_INVALID_ARG, _("%s:%u: expected 'name = value'"), path,
                                line_no);
                break;
            }
            *eq = '\0';
            rc = set_option(c, trim(t), trim(eq + 1), &seen);
            if (rc != VBSIG_OK)
                tsa_fail(rc, "%s:%u: %s", path, line_no, vbsig_last_error());
        }
        line = next;
    }
    free(text);
    return rc;
}

int tsa_config_load(tsa_config *c, int argc, char **argv)
{
    /* The file first, wherever --config stands, so the command line wins. */
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--config") == 0) {
            if (i + 1 >= argc)
                return tsa_fail(VBSIG_E_INVALID_ARG, _("--config needs a value"));
            int rc = load_file(c, argv[i + 1]);
            if (rc != VBSIG_OK)
                return rc;
            i++;
        }
    }
    option_seen seen = { 0 };
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strncmp(arg, "--", 2) != 0)
            return tsa_fail(VBSIG_E_INVALID_ARG, _("unexpected argument '%s'"), arg);
        if (strcmp(arg, "--config") == 0) {
            i++;
            continue;
        }
        if (strcmp(arg, "--allow-unsynced-clock") == 0) {
            c->allow_unsynced_clock = 1;
            continue;
        }
        if (i + 1 >= argc)
            return tsa_fail(VBSIG_E_INVALID_ARG, _("%s needs a value"), arg);
        int rc = set_option(c, arg + 2, argv[++i], &seen);
        if (rc != VBSIG_OK)
            return rc;
    }
    return VBSIG_OK;
}

int tsa_config_check(const tsa_config *c)
{
    if (c->listen == NULL)
        return tsa_fail(VBSIG_E_INVALID_ARG, _("--listen ADDR:PORT is required"));
    if (c->key == NULL)
        return tsa_fail(VBSIG_E_INVALID_ARG, _("--key KEYSPEC is required"));
    if (c->policy == NULL)
        return tsa_fail(VBSIG_E_INVALID_ARG, _("--policy OID is required"));
    if (c->journal == NULL)
        return tsa_fail(VBSIG_E_INVALID_ARG, _("--journal PATH is required"));
    if (c->pin != NULL && strncmp(c->key, "pkcs11:", 7) != 0)
        return tsa_fail(VBSIG_E_INVALID_ARG,
                          _("--pin is for pkcs11: keys; a key file or PKCS#12 file takes --pass"));
    if (c->module != NULL && strncmp(c->key, "pkcs11:", 7) != 0)
        return tsa_fail(VBSIG_E_INVALID_ARG, _("--module is for pkcs11: keys"));
    if (c->accuracy_ms > 1000)
        return tsa_fail(VBSIG_E_INVALID_ARG,
                          _("--accuracy: EN 319 422 tokens declare at most 1 second"));
    if (c->max_clock_error_ms > c->accuracy_ms)
        return tsa_fail(VBSIG_E_INVALID_ARG,
                        _("--max-clock-error: above --accuracy, tokens would declare an accuracy "
                          "the clock may not have"));
    return VBSIG_OK;
}

void tsa_config_settle(tsa_config *c)
{
    /* Unset, the clock is held to what the tokens declare. */
    if (c->max_clock_error_ms == 0)
        c->max_clock_error_ms = c->accuracy_ms;
}
