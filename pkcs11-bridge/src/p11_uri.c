/* RFC 7512 pkcs11: URIs: the attributes that select a token and a key. */
#include <stdlib.h>
#include <string.h>

#include "p11.h"

#define P11_URI_MAX 4096

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Percent-decodes [p, p+n); the result may hold any bytes (ids do). */
static int pct_decode(const char *p, size_t n, uint8_t **out, size_t *out_len, const char *name)
{
    uint8_t *d = malloc(n + 1);
    if (d == NULL)
        return p11_fail(VBSIG_E_NOMEM, _("out of memory"));
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '%') {
            int hi = i + 1 < n ? hexval((unsigned char)p[i + 1]) : -1;
            int lo = i + 2 < n ? hexval((unsigned char)p[i + 2]) : -1;
            if (hi < 0 || lo < 0) {
                free(d);
                return p11_fail(VBSIG_E_INVALID_ARG, _("PKCS#11 URI: bad percent-encoding in '%s'"), name);
            }
            d[k++] = (uint8_t)(hi * 16 + lo);
            i += 2;
        } else {
            d[k++] = (uint8_t)p[i];
        }
    }
    d[k] = '\0';
    *out = d;
    *out_len = k;
    return VBSIG_OK;
}

static int set_text(char **field, const uint8_t *v, size_t len, const char *name)
{
    if (memchr(v, '\0', len) != NULL)
        return p11_fail(VBSIG_E_INVALID_ARG, _("PKCS#11 URI: '%s' contains a NUL byte"), name);
    if (*field != NULL)
        return p11_fail(VBSIG_E_INVALID_ARG, _("PKCS#11 URI: '%s' is given twice"), name);
    *field = strdup((const char *)v);
    return *field != NULL ? VBSIG_OK : p11_fail(VBSIG_E_NOMEM, _("out of memory"));
}

static int set_attr(p11_uri *u, const char *name, size_t name_len, uint8_t *v, size_t len, int query)
{
#define IS(lit) (name_len == sizeof(lit) - 1 && memcmp(name, lit, name_len) == 0)
    if (query) {
        if (IS("module-path"))
            return set_text(&u->module_path, v, len, "module-path");
        /* pin-value, pin-source, module-name and vendor attributes: the PIN
         * never travels in a URI here, and unknown query attributes are
         * ignorable by RFC 7512. */
        return VBSIG_OK;
    }
    if (IS("token"))
        return set_text(&u->token, v, len, "token");
    if (IS("manufacturer"))
        return set_text(&u->manufacturer, v, len, "manufacturer");
    if (IS("serial"))
        return set_text(&u->serial, v, len, "serial");
    if (IS("model"))
        return set_text(&u->model, v, len, "model");
    if (IS("object"))
        return set_text(&u->object, v, len, "object");
    if (IS("type"))
        return set_text(&u->type, v, len, "type");
    if (IS("slot-description"))
        return set_text(&u->slot_description, v, len, "slot-description");
    if (IS("id")) {
        if (u->has_id)
            return p11_fail(VBSIG_E_INVALID_ARG, _("PKCS#11 URI: '%s' is given twice"), "id");
        u->id = malloc(len > 0 ? len : 1);
        if (u->id == NULL)
            return p11_fail(VBSIG_E_NOMEM, _("out of memory"));
        memcpy(u->id, v, len);
        u->id_len = len;
        u->has_id = 1;
        return VBSIG_OK;
    }
    if (IS("slot-id")) {
        char *end = NULL;
        unsigned long id = strtoul((const char *)v, &end, 10);
        if (len == 0 || end == NULL || *end != '\0' || v[0] == '-')
            return p11_fail(VBSIG_E_INVALID_ARG, _("PKCS#11 URI: slot-id must be a decimal number"));
        u->slot_id = id;
        u->has_slot_id = 1;
        return VBSIG_OK;
    }
    if (IS("library-manufacturer") || IS("library-description") || IS("library-version") ||
        IS("slot-manufacturer"))
        return VBSIG_OK; /* one module at a time: these cannot narrow anything */
    return p11_fail(VBSIG_E_INVALID_ARG, _("PKCS#11 URI: unknown attribute '%.*s'"), (int)name_len, name);
#undef IS
}

static int parse_part(p11_uri *u, const char *p, size_t n, char sep, int query)
{
    while (n > 0) {
        const char *end = memchr(p, sep, n);
        size_t item = end != NULL ? (size_t)(end - p) : n;
        if (item > 0) {
            const char *eq = memchr(p, '=', item);
            if (eq == NULL)
                return p11_fail(VBSIG_E_INVALID_ARG, _("PKCS#11 URI: '%.*s' is not name=value"), (int)item, p);
            size_t name_len = (size_t)(eq - p);
            uint8_t *v = NULL;
            size_t len = 0;
            char name[64];
            snprintf(name, sizeof name, "%.*s", (int)name_len, p);
            int rc = pct_decode(eq + 1, item - name_len - 1, &v, &len, name);
            if (rc == VBSIG_OK)
                rc = set_attr(u, p, name_len, v, len, query);
            free(v);
            if (rc != VBSIG_OK)
                return rc;
        }
        if (end == NULL)
            break;
        n -= item + 1;
        p = end + 1;
    }
    return VBSIG_OK;
}

int p11_uri_parse(const char *text, p11_uri *u)
{
    memset(u, 0, sizeof *u);
    if (text == NULL || strncmp(text, "pkcs11:", 7) != 0)
        return p11_fail(VBSIG_E_INVALID_ARG, _("a PKCS#11 URI must start with 'pkcs11:'"));
    size_t n = strlen(text);
    if (n > P11_URI_MAX)
        return p11_fail(VBSIG_E_LIMIT, _("the PKCS#11 URI is longer than %d bytes"), P11_URI_MAX);
    const char *path = text + 7;
    const char *q = strchr(path, '?');
    size_t path_len = q != NULL ? (size_t)(q - path) : strlen(path);
    int rc = parse_part(u, path, path_len, ';', 0);
    if (rc == VBSIG_OK && q != NULL)
        rc = parse_part(u, q + 1, strlen(q + 1), '&', 1);
    if (rc == VBSIG_OK && u->type != NULL && strcmp(u->type, "private") != 0 && strcmp(u->type, "cert") != 0 &&
        strcmp(u->type, "public") != 0 && strcmp(u->type, "secret-key") != 0 && strcmp(u->type, "data") != 0)
        rc = p11_fail(VBSIG_E_INVALID_ARG, _("PKCS#11 URI: unknown type '%s'"), u->type);
    if (rc != VBSIG_OK)
        p11_uri_free(u);
    return rc;
}

void p11_uri_free(p11_uri *u)
{
    free(u->token);
    free(u->manufacturer);
    free(u->serial);
    free(u->model);
    free(u->object);
    free(u->type);
    free(u->module_path);
    free(u->slot_description);
    free(u->id);
    memset(u, 0, sizeof *u);
}

int p11_uri_matches_token(const p11_uri *u, CK_SLOT_ID slot, const CK_SLOT_INFO *si, const CK_TOKEN_INFO *ti)
{
    if (u->has_slot_id && u->slot_id != slot)
        return 0;
    if (u->slot_description != NULL && !p11_text_equal(si->slotDescription, sizeof si->slotDescription, u->slot_description))
        return 0;
    if (u->token != NULL && !p11_text_equal(ti->label, sizeof ti->label, u->token))
        return 0;
    if (u->manufacturer != NULL && !p11_text_equal(ti->manufacturerID, sizeof ti->manufacturerID, u->manufacturer))
        return 0;
    if (u->serial != NULL && !p11_text_equal(ti->serialNumber, sizeof ti->serialNumber, u->serial))
        return 0;
    if (u->model != NULL && !p11_text_equal(ti->model, sizeof ti->model, u->model))
        return 0;
    return 1;
}

static int same(const char *want, const char *have)
{
    return want == NULL || (have != NULL && strcmp(want, have) == 0);
}

int p11_uri_matches_names(const p11_uri *u, unsigned long slot, const char *slot_description, const char *label,
                          const char *manufacturer, const char *serial, const char *model)
{
    if (u->has_slot_id && u->slot_id != slot)
        return 0;
    return same(u->slot_description, slot_description) && same(u->token, label) &&
           same(u->manufacturer, manufacturer) && same(u->serial, serial) && same(u->model, model);
}

void p11_uri_put(FILE *s, int *first, const char *name, const uint8_t *value, size_t len)
{
    fprintf(s, "%s%s=", *first ? "" : ";", name);
    *first = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = value[i];
        /* RFC 7512 pchar minus the separators; everything else encoded. */
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
            c == '.' || c == '_' || c == '~' || c == ':' || c == '[' || c == ']' || c == '@' || c == '!' ||
            c == '$' || c == '\'' || c == '(' || c == ')' || c == '*' || c == '+' || c == ',' || c == '&')
            fputc(c, s);
        else
            fprintf(s, "%%%02X", c);
    }
}

char *p11_uri_describe(const p11_uri *u)
{
    char *text = NULL;
    size_t len = 0;
    FILE *s = open_memstream(&text, &len);
    if (s == NULL)
        return NULL;
    int first = 1;
#define PUT(name, v) if (v != NULL) p11_uri_put(s, &first, name, (const uint8_t *)v, strlen(v))
    PUT("token", u->token);
    PUT("manufacturer", u->manufacturer);
    PUT("serial", u->serial);
    PUT("model", u->model);
    PUT("object", u->object);
    if (u->has_id)
        p11_uri_put(s, &first, "id", u->id, u->id_len);
    PUT("type", u->type);
#undef PUT
    if (first)
        fputs(_("any key"), s);
    fclose(s);
    return text;
}
