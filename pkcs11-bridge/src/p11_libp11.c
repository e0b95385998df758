/* Listing slots, tokens, certificates and keys through libp11.
 *
 * libp11 0.4.12 is used here, for read-only enumeration, and nowhere else
 * (README.md, "libp11 and direct calls"). Two of its habits need care,
 * both measured on this platform with tests/faulty_module.c:
 * - PKCS11_enumerate_slots calls C_GetTokenInfo for every slot that says a
 *   token is present, with no deadline: a reader that lost its card hangs
 *   it (VBSIG_FAULTY_HANG_INFO). Every libp11 call below therefore runs on a
 *   helper thread with the bridge's deadline (p11_bounded.c); on a timeout
 *   the libp11 context stays with that thread and the module is marked
 *   stuck. An empty slot (VBSIG_FAULTY_ABSENT) is fine: libp11 does not ask
 *   for token information there.
 * - PKCS11_release_all_slots closes every session of the process on each
 *   slot (C_CloseAllSessions, which also ends the login) and
 *   PKCS11_CTX_unload calls C_Finalize: a signer of ours on the same module
 *   would lose its sessions and login. So libp11 gets the module only when
 *   nobody else in the process has it open, and keeps it exclusively until
 *   it is done (p11_module_open_exclusive); otherwise the direct path of
 *   p11_list.c lists. */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>

#include "p11.h"
#include "p11_bounded.h"
#include "p11_dl.h"

/* libp11 is loaded by lp_open (p11_dl_libp11.c), which every path below
 * goes through first; after that LIB is its loaded function table. */
#define LIB (p11_libp11())

#define P11_LP_MAX_OBJECTS 1024

typedef struct lp_slots {
    PKCS11_CTX *ctx;
    PKCS11_SLOT *slots;
    unsigned n;
    int rc;
    unsigned long err; /* libp11's reason, from the helper thread's error queue */
} lp_slots;

typedef struct lp_objects {
    PKCS11_TOKEN *token;
    PKCS11_CERT *certs;
    PKCS11_KEY *privs, *pubs;
    unsigned ncerts, nprivs, npubs;
    int rc;
    unsigned long err;
} lp_objects;

typedef struct p11_lp {
    p11_module *m;
    PKCS11_CTX *ctx;
    lp_slots *slots; /* NULL after a timeout: the helper thread keeps it */
    unsigned timeout_ms; /* every bounded call of this listing */
} p11_lp;

static void enumerate_slots(void *arg)
{
    lp_slots *w = arg;
    w->rc = LIB->enumerate_slots(w->ctx, &w->slots, &w->n);
    w->err = w->rc != 0 ? ERR_peek_last_error() : 0;
    ERR_clear_error();
}

static void enumerate_objects(void *arg)
{
    lp_objects *w = arg;
    w->rc = LIB->enumerate_certs(w->token, &w->certs, &w->ncerts);
    if (w->rc == 0)
        w->rc = LIB->enumerate_keys(w->token, &w->privs, &w->nprivs);
    if (w->rc == 0)
        w->rc = LIB->enumerate_public_keys(w->token, &w->pubs, &w->npubs);
    w->err = w->rc != 0 ? ERR_peek_last_error() : 0;
    ERR_clear_error();
}

/* fn(arg) on a helper thread, within the deadline. On VBSIG_E_TIMEOUT arg
 * belongs to the thread still inside the module: the caller must leave it. */
static int bounded(p11_module *m, void (*fn)(void *), void *arg, unsigned timeout_ms)
{
    p11_job *job = p11_job_new(m, P11_JOB_CALL);
    if (job == NULL)
        return p11_fail(VBSIG_E_NOMEM, _("out of memory"));
    job->call = fn;
    job->call_arg = arg;
    CK_RV rv;
    int rc = p11_job_run(job, timeout_ms, &rv);
    if (rc == VBSIG_OK)
        p11_job_free(job);
    return rc;
}

static int libp11_fail(int status, const char *what, const char *path, unsigned long e)
{
    if (e == 0)
        e = ERR_peek_last_error();
    const char *reason = e != 0 ? ERR_reason_error_string(e) : NULL;
    int rc = p11_fail(status, _("%s %s (libp11: %s)"), what, path,
                      reason != NULL ? reason : _("no reason given"));
    ERR_clear_error();
    return rc;
}

static void lp_close(p11_lp *lp)
{
    if (lp->slots != NULL) {
        if (lp->slots->slots != NULL)
            LIB->release_all_slots(lp->ctx, lp->slots->slots, lp->slots->n);
        free(lp->slots);
    }
    if (lp->ctx != NULL) {
        LIB->ctx_unload(lp->ctx);
        LIB->ctx_free(lp->ctx);
    }
    p11_module_close(lp->m);
    memset(lp, 0, sizeof *lp);
}

/* VBSIG_OK with the slots enumerated, P11_MODULE_IN_USE, or an error. */
static int lp_open(const char *path, unsigned timeout_ms, p11_lp *lp)
{
    memset(lp, 0, sizeof *lp);
    lp->timeout_ms = timeout_ms;
    if (p11_libp11() == NULL)
        return VBSIG_E_UNAVAILABLE;
    int rc = p11_module_open_exclusive(path, &lp->m);
    if (rc != VBSIG_OK)
        return rc;
    /* The module is initialised already (by us): libp11 accepts
     * CKR_CRYPTOKI_ALREADY_INITIALIZED and shares the loaded library. */
    lp->ctx = LIB->ctx_new();
    if (lp->ctx == NULL) {
        lp_close(lp);
        return p11_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    if (LIB->ctx_load(lp->ctx, lp->m->path) != 0) {
        rc = libp11_fail(VBSIG_E_MODULE_LOAD, _("cannot load the PKCS#11 module"), lp->m->path, 0);
        LIB->ctx_free(lp->ctx);
        lp->ctx = NULL;
        lp_close(lp);
        return rc;
    }
    lp->slots = calloc(1, sizeof *lp->slots);
    if (lp->slots == NULL) {
        lp_close(lp);
        return p11_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    lp->slots->ctx = lp->ctx;
    rc = bounded(lp->m, enumerate_slots, lp->slots, lp->timeout_ms);
    if (rc == VBSIG_E_TIMEOUT) {
        lp->slots = NULL; /* with the thread, as is the context */
        lp->ctx = NULL;
    } else if (rc == VBSIG_OK && lp->slots->rc != 0) {
        lp->slots->slots = NULL;
        rc = libp11_fail(VBSIG_E_UNAVAILABLE, _("cannot list the slots of the PKCS#11 module"), lp->m->path,
                         lp->slots->err);
    }
    if (rc != VBSIG_OK)
        lp_close(lp);
    return rc;
}

static int token_from_slot(PKCS11_SLOT *slot, vbsig_pkcs11_token *t)
{
    t->slot_id = LIB->get_slotid_from_slot(slot);
    t->slot_description = strdup(slot->description != NULL ? slot->description : "");
    if (t->slot_description == NULL)
        return p11_fail(VBSIG_E_NOMEM, _("out of memory"));
    const PKCS11_TOKEN *tk = slot->token;
    if (tk == NULL)
        return VBSIG_OK;
    t->token_present = 1;
    t->label = strdup(tk->label != NULL ? tk->label : "");
    t->manufacturer = strdup(tk->manufacturer != NULL ? tk->manufacturer : "");
    t->model = strdup(tk->model != NULL ? tk->model : "");
    t->serial = strdup(tk->serialnr != NULL ? tk->serialnr : "");
    t->login_required = tk->loginRequired != 0;
    t->pin_pad = tk->secureLogin != 0; /* CKF_PROTECTED_AUTHENTICATION_PATH */
    t->pin_count_low = tk->userPinCountLow != 0;
    t->pin_final_try = tk->userPinFinalTry != 0;
    t->pin_locked = tk->userPinLocked != 0;
    t->initialized = tk->initialized != 0;
    if (t->label != NULL && t->manufacturer != NULL && t->model != NULL && t->serial != NULL)
        t->uri = p11_token_uri(t->label, t->manufacturer, t->serial, t->model);
    if (t->uri == NULL)
        return p11_fail(VBSIG_E_NOMEM, _("out of memory"));
    return VBSIG_OK;
}

/* The module and time bound a listing uses: the caller's module, else the
 * context's network settings, else the defaults. */
static void listing_settings(vbsig_ctx *ctx, const char **module, unsigned *timeout_ms)
{
    *timeout_ms = P11_DEFAULT_TIMEOUT_MS;
    vbsig_network_opts net;
    if (ctx == NULL || vbsig_ctx_get_network(ctx, &net) != VBSIG_OK)
        return;
    *timeout_ms = net.pkcs11_timeout_ms;
    if (*module == NULL)
        *module = net.pkcs11_module;
}

int vbsig_pkcs11_list_tokens(vbsig_ctx *ctx, const char *module, vbsig_pkcs11_token **out, size_t *count)
{
    if (out == NULL || count == NULL)
        return p11_fail(VBSIG_E_INVALID_ARG, _("%s: the argument '%s' is NULL"), "vbsig_pkcs11_list_tokens",
                        out == NULL ? "out" : "count");
    *out = NULL;
    *count = 0;
    unsigned timeout_ms;
    listing_settings(ctx, &module, &timeout_ms);
    p11_lp lp;
    int rc = lp_open(module, timeout_ms, &lp);
    if (rc == P11_MODULE_IN_USE)
        return p11_list_tokens_direct(module, timeout_ms, out, count);
    if (rc != VBSIG_OK)
        return rc;
    unsigned n = lp.slots->n;
    vbsig_pkcs11_token *list = calloc(n > 0 ? n : 1, sizeof *list);
    if (list == NULL)
        rc = p11_fail(VBSIG_E_NOMEM, _("out of memory"));
    size_t k = 0;
    for (unsigned i = 0; rc == VBSIG_OK && i < n; i++)
        rc = token_from_slot(&lp.slots->slots[i], &list[k++]);
    lp_close(&lp);
    if (rc != VBSIG_OK) {
        vbsig_pkcs11_tokens_free(list, k);
        return rc;
    }
    *out = list;
    *count = k;
    return VBSIG_OK;
}

static int add_object(vbsig_pkcs11_object *o, const char *token_label, const char *kind, const char *label,
                      const unsigned char *id, size_t id_len, X509 *x509, int key_type)
{
    o->token_label = strdup(token_label);
    o->kind = strdup(kind);
    o->label = strdup(label != NULL ? label : "");
    o->id_hex = p11_hex(id, id_len);
    if (x509 != NULL)
        o->subject = p11_subject_text(x509);
    if (key_type != 0)
        o->key_type = strdup(key_type == EVP_PKEY_RSA ? "RSA" : key_type == EVP_PKEY_EC ? "EC" : "other");
    o->uri = p11_object_uri(token_label, id, id_len, label, kind);
    if (o->token_label == NULL || o->kind == NULL || o->label == NULL || o->id_hex == NULL || o->uri == NULL ||
        (key_type != 0 && o->key_type == NULL))
        return p11_fail(VBSIG_E_NOMEM, _("out of memory"));
    return VBSIG_OK;
}

/* Certificates, then private keys, then public keys, as the direct path lists them. */
static int add_token_objects(const lp_objects *w, vbsig_pkcs11_object *list, size_t *k)
{
    const char *token = w->token->label != NULL ? w->token->label : "";
    int rc = VBSIG_OK;
    for (unsigned i = 0; rc == VBSIG_OK && i < w->ncerts && *k < P11_LP_MAX_OBJECTS; i++) {
        const PKCS11_CERT *c = &w->certs[i];
        rc = add_object(&list[(*k)++], token, "cert", c->label, c->id, c->id_len, c->x509, 0);
    }
    for (unsigned i = 0; rc == VBSIG_OK && i < w->nprivs && *k < P11_LP_MAX_OBJECTS; i++) {
        PKCS11_KEY *key = &w->privs[i];
        rc = add_object(&list[(*k)++], token, "private", key->label, key->id, key->id_len, NULL,
                        LIB->get_key_type(key));
    }
    for (unsigned i = 0; rc == VBSIG_OK && i < w->npubs && *k < P11_LP_MAX_OBJECTS; i++) {
        PKCS11_KEY *key = &w->pubs[i];
        rc = add_object(&list[(*k)++], token, "public", key->label, key->id, key->id_len, NULL,
                        LIB->get_key_type(key));
    }
    return rc;
}

/* The login is ours (bounded, PIN wiped; libp11 0.4.12's hangs without a
 * token and keeps the PIN): a session of ours stays open while libp11
 * enumerates, so its sessions share the login. */
static int list_slot_objects(p11_lp *lp, PKCS11_SLOT *slot, const char *pin_source, vbsig_pkcs11_object *list,
                             size_t *k)
{
    CK_SESSION_HANDLE s = CK_INVALID_HANDLE;
    int rc = VBSIG_OK;
    if (pin_source != NULL && slot->token->loginRequired) {
        CK_SLOT_ID id = LIB->get_slotid_from_slot(slot);
        CK_RV rv = lp->m->f->C_OpenSession(id, CKF_SERIAL_SESSION, NULL, NULL, &s);
        if (rv != CKR_OK)
            return p11_fail_rv(rv, _("cannot open a session on the token"));
        p11_pin_source pins = {(char *)pin_source, 1, NULL, NULL, lp->timeout_ms};
        rc = p11_login(lp->m, s, id, CKU_USER, &pins);
    }
    lp_objects *w = NULL;
    if (rc == VBSIG_OK && (w = calloc(1, sizeof *w)) == NULL)
        rc = p11_fail(VBSIG_E_NOMEM, _("out of memory"));
    if (rc == VBSIG_OK) {
        w->token = slot->token;
        rc = bounded(lp->m, enumerate_objects, w, lp->timeout_ms);
        if (rc == VBSIG_E_TIMEOUT) {
            w = NULL; /* the thread's now, with the whole libp11 context */
            lp->slots = NULL;
            lp->ctx = NULL;
        } else if (rc == VBSIG_OK && w->rc != 0) {
            rc = libp11_fail(VBSIG_E_UNAVAILABLE, _("cannot list the objects on a token of"), lp->m->path, w->err);
        }
    }
    if (rc == VBSIG_OK)
        rc = add_token_objects(w, list, k);
    free(w);
    if (s != CK_INVALID_HANDLE && !p11_module_is_stuck(lp->m))
        lp->m->f->C_CloseSession(s);
    return rc;
}

int vbsig_pkcs11_list_objects(vbsig_ctx *ctx, const char *module, const char *uri, const char *pin_source,
                              vbsig_pkcs11_object **out, size_t *count)
{
    if (out == NULL || count == NULL)
        return p11_fail(VBSIG_E_INVALID_ARG, _("%s: the argument '%s' is NULL"), "vbsig_pkcs11_list_objects",
                        out == NULL ? "out" : "count");
    *out = NULL;
    *count = 0;
    unsigned timeout_ms;
    const char *ctx_module = NULL;
    listing_settings(ctx, &ctx_module, &timeout_ms);
    p11_uri u;
    int rc = p11_uri_parse(uri != NULL ? uri : "pkcs11:", &u);
    if (rc != VBSIG_OK)
        return rc;
    /* The caller's module, then module-path= of the URI, then the context's. */
    if (module == NULL)
        module = u.module_path != NULL ? u.module_path : ctx_module;
    const char *path = module;
    p11_lp lp;
    rc = lp_open(path, timeout_ms, &lp);
    if (rc == P11_MODULE_IN_USE) {
        p11_uri_free(&u);
        return p11_list_objects_direct(module, timeout_ms, uri, pin_source, out, count);
    }
    vbsig_pkcs11_object *list = NULL;
    if (rc == VBSIG_OK && (list = calloc(P11_LP_MAX_OBJECTS, sizeof *list)) == NULL)
        rc = p11_fail(VBSIG_E_NOMEM, _("out of memory"));
    size_t k = 0;
    for (unsigned i = 0; rc == VBSIG_OK && i < lp.slots->n; i++) {
        PKCS11_SLOT *slot = &lp.slots->slots[i];
        const PKCS11_TOKEN *t = slot->token;
        if (t == NULL || !t->initialized ||
            !p11_uri_matches_names(&u, LIB->get_slotid_from_slot(slot), slot->description, t->label,
                                   t->manufacturer, t->serialnr, t->model))
            continue;
        rc = list_slot_objects(&lp, slot, pin_source, list, &k);
    }
    if (lp.m != NULL)
        lp_close(&lp);
    p11_uri_free(&u);
    if (rc != VBSIG_OK) {
        vbsig_pkcs11_objects_free(list, P11_LP_MAX_OBJECTS);
        return rc;
    }
    *out = list;
    *count = k;
    return VBSIG_OK;
}
