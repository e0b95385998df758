/* Listing slots, tokens, certificates and keys, each with its pkcs11: URI. */
#include <stdlib.h>
#include <string.h>

#include <openssl/x509.h>

#include "p11.h"

#define P11_LIST_MAX_SLOTS 256
#define P11_LIST_MAX_OBJECTS 1024

char *p11_token_uri(const char *label, const char *manufacturer, const char *serial, const char *model)
{
    char *text = NULL;
    size_t len = 0;
    FILE *s = open_memstream(&text, &len);
    if (s == NULL)
        return NULL;
    fputs("pkcs11:", s);
    int first = 1;
    const char *v[4] = {label, manufacturer, serial, model};
    static const char *const names[4] = {"token", "manufacturer", "serial", "model"};
    for (int i = 0; i < 4; i++)
        if (v[i] != NULL)
            p11_uri_put(s, &first, names[i], (const uint8_t *)v[i], strlen(v[i]));
    fclose(s);
    return text;
}

char *p11_object_uri(const char *token_label, const uint8_t *id, size_t id_len, const char *label, const char *kind)
{
    char *uri = NULL;
    size_t uri_len = 0;
    FILE *f = open_memstream(&uri, &uri_len);
    if (f == NULL)
        return NULL;
    int first = 1;
    fputs("pkcs11:", f);
    p11_uri_put(f, &first, "token", (const uint8_t *)token_label, strlen(token_label));
    if (id_len > 0)
        p11_uri_put(f, &first, "id", id, id_len);
    if (label != NULL)
        p11_uri_put(f, &first, "object", (const uint8_t *)label, strlen(label));
    p11_uri_put(f, &first, "type", (const uint8_t *)kind, strlen(kind));
    fclose(f);
    return uri;
}

char *p11_hex(const uint8_t *p, size_t n)
{
    char *hex = calloc(n * 2 + 1, 1);
    for (size_t i = 0; hex != NULL && i < n; i++)
        snprintf(hex + 2 * i, 3, "%02x", p[i]);
    return hex;
}

static char *token_uri(const CK_TOKEN_INFO *ti)
{
    char *v[4] = {p11_text_unpad(ti->label, sizeof ti->label), p11_text_unpad(ti->manufacturerID, sizeof ti->manufacturerID),
                  p11_text_unpad(ti->serialNumber, sizeof ti->serialNumber), p11_text_unpad(ti->model, sizeof ti->model)};
    char *uri = p11_token_uri(v[0], v[1], v[2], v[3]);
    for (int i = 0; i < 4; i++)
        free(v[i]);
    return uri;
}

static int list_slots(p11_module *m, CK_SLOT_ID *slots, CK_ULONG *n)
{
    *n = P11_LIST_MAX_SLOTS;
    CK_RV rv = m->f->C_GetSlotList(CK_FALSE, slots, n);
    if (rv == CKR_BUFFER_TOO_SMALL)
        *n = P11_LIST_MAX_SLOTS;
    else if (rv != CKR_OK)
        return p11_fail_rv(rv, _("cannot list the slots of the PKCS#11 module"));
    return VBSIG_OK;
}

/* The direct path: used when libp11 cannot be (see p11_libp11.c). */
int p11_list_tokens_direct(const char *module, unsigned timeout_ms, vbsig_pkcs11_token **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    p11_module *m = NULL;
    int rc = p11_module_open(module, &m);
    if (rc != VBSIG_OK)
        return rc;
    CK_SLOT_ID slots[P11_LIST_MAX_SLOTS];
    CK_ULONG n = 0;
    rc = list_slots(m, slots, &n);
    vbsig_pkcs11_token *list = rc == VBSIG_OK ? calloc(n > 0 ? n : 1, sizeof *list) : NULL;
    if (rc == VBSIG_OK && list == NULL)
        rc = p11_fail(VBSIG_E_NOMEM, _("out of memory"));
    size_t k = 0;
    for (CK_ULONG i = 0; rc == VBSIG_OK && i < n; i++) {
        CK_SLOT_INFO si;
        if (m->f->C_GetSlotInfo(slots[i], &si) != CKR_OK)
            continue;
        vbsig_pkcs11_token *t = &list[k++];
        t->slot_id = slots[i];
        t->slot_description = p11_text_unpad(si.slotDescription, sizeof si.slotDescription);
        CK_TOKEN_INFO ti;
        if (!(si.flags & CKF_TOKEN_PRESENT))
            continue;
        int info_rc = p11_token_info_bounded(m, slots[i], &ti, timeout_ms);
        if (info_rc == VBSIG_E_TIMEOUT)
            rc = info_rc;
        if (info_rc != VBSIG_OK)
            continue;
        t->token_present = 1;
        t->label = p11_text_unpad(ti.label, sizeof ti.label);
        t->manufacturer = p11_text_unpad(ti.manufacturerID, sizeof ti.manufacturerID);
        t->model = p11_text_unpad(ti.model, sizeof ti.model);
        t->serial = p11_text_unpad(ti.serialNumber, sizeof ti.serialNumber);
        t->login_required = (ti.flags & CKF_LOGIN_REQUIRED) != 0;
        t->pin_pad = (ti.flags & CKF_PROTECTED_AUTHENTICATION_PATH) != 0;
        t->pin_count_low = (ti.flags & CKF_USER_PIN_COUNT_LOW) != 0;
        t->pin_final_try = (ti.flags & CKF_USER_PIN_FINAL_TRY) != 0;
        t->pin_locked = (ti.flags & CKF_USER_PIN_LOCKED) != 0;
        t->initialized = (ti.flags & CKF_TOKEN_INITIALIZED) != 0;
        t->uri = token_uri(&ti);
    }
    p11_module_close(m);
    if (rc != VBSIG_OK) {
        vbsig_pkcs11_tokens_free(list, k);
        return rc;
    }
    *out = list;
    *count = k;
    return VBSIG_OK;
}

void vbsig_pkcs11_tokens_free(vbsig_pkcs11_token *list, size_t count)
{
    if (list == NULL)
        return;
    for (size_t i = 0; i < count; i++) {
        free(list[i].slot_description);
        free(list[i].label);
        free(list[i].manufacturer);
        free(list[i].model);
        free(list[i].serial);
        free(list[i].uri);
    }
    free(list);
}

char *p11_subject_text(X509 *x)
{
    BIO *b = BIO_new(BIO_s_mem());
    char *text = NULL;
    if (b != NULL && X509_NAME_print_ex(b, X509_get_subject_name(x), 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0) {
        char *data = NULL;
        long n = BIO_get_mem_data(b, &data);
        text = malloc((size_t)n + 1);
        if (text != NULL) {
            memcpy(text, data, (size_t)n);
            text[n] = '\0';
        }
    }
    BIO_free(b);
    return text;
}

static char *subject_text(const uint8_t *der, size_t len)
{
    const uint8_t *p = der;
    X509 *x = d2i_X509(NULL, &p, (long)len);
    if (x == NULL)
        return NULL;
    char *text = p11_subject_text(x);
    X509_free(x);
    return text;
}

static int describe_object(p11_module *m, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE o, const char *token_label,
                           vbsig_pkcs11_object *obj)
{
    CK_OBJECT_CLASS cls = 0;
    CK_KEY_TYPE kt = 0;
    CK_ATTRIBUTE a[2] = {{CKA_CLASS, &cls, sizeof cls}, {CKA_KEY_TYPE, &kt, sizeof kt}};
    CK_RV rv = m->f->C_GetAttributeValue(s, o, a, 2);
    if (rv != CKR_OK && rv != CKR_ATTRIBUTE_TYPE_INVALID)
        return p11_fail_rv(rv, _("cannot read a token object"));
    const char *kind = cls == CKO_CERTIFICATE ? "cert" : cls == CKO_PRIVATE_KEY ? "private" : "public";
    uint8_t *label = NULL, *id = NULL, *value = NULL;
    size_t label_len = 0, id_len = 0, value_len = 0;
    int rc = p11_attr_get(m, s, o, CKA_LABEL, &label, &label_len);
    if (rc == VBSIG_OK)
        rc = p11_attr_get(m, s, o, CKA_ID, &id, &id_len);
    if (rc == VBSIG_OK && cls == CKO_CERTIFICATE)
        rc = p11_attr_get(m, s, o, CKA_VALUE, &value, &value_len);
    if (rc == VBSIG_OK) {
        obj->token_label = strdup(token_label);
        obj->kind = strdup(kind);
        obj->label = strdup(label != NULL ? (const char *)label : "");
        obj->id_hex = p11_hex(id, id_len);
        if (value != NULL)
            obj->subject = subject_text(value, value_len);
        if (cls != CKO_CERTIFICATE)
            obj->key_type = strdup(kt == CKK_RSA ? "RSA" : kt == CKK_EC ? "EC" : "other");
        obj->uri = p11_object_uri(token_label, id, id_len, (const char *)label, kind);
        if (obj->token_label == NULL || obj->kind == NULL || obj->label == NULL || obj->id_hex == NULL || obj->uri == NULL)
            rc = p11_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    free(label);
    free(id);
    free(value);
    return rc;
}

static int list_token_objects(p11_module *m, CK_SLOT_ID slot, const CK_TOKEN_INFO *ti, const char *pin_source,
                              unsigned timeout_ms, vbsig_pkcs11_object *list, size_t *k, size_t max)
{
    char *token_label = p11_text_unpad(ti->label, sizeof ti->label);
    if (token_label == NULL)
        return p11_fail(VBSIG_E_NOMEM, _("out of memory"));
    CK_SESSION_HANDLE s;
    CK_RV rv = m->f->C_OpenSession(slot, CKF_SERIAL_SESSION, NULL, NULL, &s);
    int rc = rv == CKR_OK ? VBSIG_OK : p11_fail_rv(rv, _("cannot open a session on the token"));
    if (rc == VBSIG_OK && pin_source != NULL && (ti->flags & CKF_LOGIN_REQUIRED)) {
        p11_pin_source pins = {(char *)pin_source, 1, NULL, NULL, timeout_ms};
        rc = p11_login(m, s, slot, CKU_USER, &pins);
    }
    static const CK_OBJECT_CLASS classes[3] = {CKO_CERTIFICATE, CKO_PRIVATE_KEY, CKO_PUBLIC_KEY};
    for (int c = 0; rc == VBSIG_OK && c < 3; c++) {
        CK_OBJECT_HANDLE found[P11_LIST_MAX_OBJECTS];
        size_t n = 0;
        rc = p11_find_objects(m, s, classes[c], NULL, 0, NULL, found, P11_LIST_MAX_OBJECTS, &n);
        for (size_t i = 0; rc == VBSIG_OK && i < n && *k < max; i++)
            rc = describe_object(m, s, found[i], token_label, &list[(*k)++]);
    }
    if (rv == CKR_OK)
        m->f->C_CloseSession(s);
    free(token_label);
    return rc;
}

int p11_list_objects_direct(const char *module, unsigned timeout_ms, const char *uri, const char *pin_source,
                            vbsig_pkcs11_object **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    p11_uri u;
    int rc = p11_uri_parse(uri != NULL ? uri : "pkcs11:", &u);
    if (rc != VBSIG_OK)
        return rc;
    p11_module *m = NULL;
    rc = p11_module_open(module != NULL ? module : u.module_path, &m);
    CK_SLOT_ID slots[P11_LIST_MAX_SLOTS];
    CK_ULONG n = 0;
    if (rc == VBSIG_OK)
        rc = list_slots(m, slots, &n);
    vbsig_pkcs11_object *list = rc == VBSIG_OK ? calloc(P11_LIST_MAX_OBJECTS, sizeof *list) : NULL;
    if (rc == VBSIG_OK && list == NULL)
        rc = p11_fail(VBSIG_E_NOMEM, _("out of memory"));
    size_t k = 0;
    for (CK_ULONG i = 0; rc == VBSIG_OK && i < n; i++) {
        CK_SLOT_INFO si;
        CK_TOKEN_INFO ti;
        if (m->f->C_GetSlotInfo(slots[i], &si) != CKR_OK || !(si.flags & CKF_TOKEN_PRESENT))
            continue;
        int info_rc = p11_token_info_bounded(m, slots[i], &ti, timeout_ms);
        if (info_rc == VBSIG_E_TIMEOUT)
            rc = info_rc;
        if (info_rc != VBSIG_OK || !(ti.flags & CKF_TOKEN_INITIALIZED) || !p11_uri_matches_token(&u, slots[i], &si, &ti))
            continue;
        rc = list_token_objects(m, slots[i], &ti, pin_source, timeout_ms, list, &k, P11_LIST_MAX_OBJECTS);
    }
    p11_module_close(m);
    p11_uri_free(&u);
    if (rc != VBSIG_OK) {
        vbsig_pkcs11_objects_free(list, P11_LIST_MAX_OBJECTS);
        return rc;
    }
    *out = list;
    *count = k;
    return VBSIG_OK;
}

void vbsig_pkcs11_objects_free(vbsig_pkcs11_object *list, size_t count)
{
    if (list == NULL)
        return;
    for (size_t i = 0; i < count; i++) {
        free(list[i].token_label);
        free(list[i].kind);
        free(list[i].label);
        free(list[i].id_hex);
        free(list[i].subject);
        free(list[i].key_type);
        free(list[i].uri);
    }
    free(list);
}
