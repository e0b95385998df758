/* GET /v1/certificates and what signing needs from the tokens: the
 * certificate a page names by id, the consent dialog, the PIN dialog and
 * one signing operation in flight per token. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <vbsig/pkcs11.h>

#include "token.h"

/* An opaque id: the page never needs the token's URI. */
static void cert_id(const vbsig_pkcs11_object *o, char id[17])
{
    char h[65];
    serve_sha256_hex((const uint8_t *)o->uri, strlen(o->uri), h);
    memcpy(id, h, 16);
    id[16] = '\0';
}

void ep_certificates(serve_req *r, json_t *in, serve_reply *out)
{
    (void)in;
    vbsig_pkcs11_object *list = NULL;
    size_t n = 0;
    int rc = vbsig_pkcs11_list_objects(r->st->ctx, r->st->cfg.module, NULL, NULL, &list, &n);
    if (rc != VBSIG_OK) {
        serve_problem_status(r, out, rc);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        if (strcmp(list[i].kind, "cert") != 0 || list[i].id_hex[0] == '\0')
            continue;
        char id[17];
        cert_id(&list[i], id);
        json_array_append_new(arr, json_pack("{s:s, s:s?, s:s?, s:s?}", "id", id, "subject", list[i].subject, "label",
                                             list[i].label, "token", list[i].token_label));
    }
    vbsig_pkcs11_objects_free(list, n);
    out->json = json_pack("{s:o}", "certificates", arr);
}

int serve_token_find(serve_req *r, const char *id, serve_cert *out)
{
    memset(out, 0, sizeof *out);
    vbsig_pkcs11_object *list = NULL;
    size_t n = 0;
    int rc = vbsig_pkcs11_list_objects(r->st->ctx, r->st->cfg.module, NULL, NULL, &list, &n);
    if (rc != VBSIG_OK)
        return rc;
    rc = vbsig_set_error(VBSIG_E_KEY_NOT_FOUND, serve_tr(N_("no certificate with this id is on the tokens")));
    for (size_t i = 0; id != NULL && i < n; i++) {
        char cid[17];
        if (strcmp(list[i].kind, "cert") != 0 || list[i].id_hex[0] == '\0')
            continue;
        cert_id(&list[i], cid);
        if (strcmp(cid, id) != 0)
            continue;
        /* The key with the certificate's CKA_ID on the same token. */
        snprintf(out->key_uri, sizeof out->key_uri, "pkcs11:token=%s;id=", list[i].token_label);
        for (const char *h = list[i].id_hex; h[0] != '\0' && h[1] != '\0'; h += 2) {
            size_t l = strlen(out->key_uri);
            snprintf(out->key_uri + l, sizeof out->key_uri - l, "%%%c%c", h[0], h[1]);
        }
        size_t l = strlen(out->key_uri);
        snprintf(out->key_uri + l, sizeof out->key_uri - l, ";type=private");
        snprintf(out->subject, sizeof out->subject, "%s", list[i].subject != NULL ? list[i].subject : "?");
        snprintf(out->token, sizeof out->token, "%s", list[i].token_label);
        rc = VBSIG_OK;
    }
    vbsig_pkcs11_objects_free(list, n);
    return rc;
}

/* ---- one operation in flight per token ---- */
#define LOCKS_MAX 16
static struct {
    char token[128];
    int busy;
} g_locks[LOCKS_MAX];
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_cond = PTHREAD_COND_INITIALIZER;

int serve_token_acquire(serve_req *r, const char *token)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += r->st->cfg.timeout_s;
    pthread_mutex_lock(&g_lock);
    int rc = VBSIG_OK;
    for (;;) {
        int slot = -1, busy = 0;
        for (int i = 0; i < LOCKS_MAX; i++) {
            if (strcmp(g_locks[i].token, token) == 0)
                busy = g_locks[i].busy, slot = i;
        }
        if (!busy) {
            if (slot < 0)
                for (int i = 0; i < LOCKS_MAX && slot < 0; i++)
                    if (!g_locks[i].busy)
                        slot = i;
            if (slot >= 0) {
                snprintf(g_locks[slot].token, sizeof g_locks[slot].token, "%s", token);
                g_locks[slot].busy = 1;
                break;
            }
        }
        if (pthread_cond_timedwait(&g_cond, &g_lock, &until) == ETIMEDOUT) {
            rc = vbsig_set_error(VBSIG_E_TIMEOUT, serve_tr(N_("another signing operation on this token did not end in time")));
            break;
        }
    }
    pthread_mutex_unlock(&g_lock);
    return rc;
}

void serve_token_release(const char *token)
{
    pthread_mutex_lock(&g_lock);
    for (int i = 0; i < LOCKS_MAX; i++)
        if (g_locks[i].busy && strcmp(g_locks[i].token, token) == 0)
            g_locks[i].busy = 0;
    pthread_cond_broadcast(&g_cond);
    pthread_mutex_unlock(&g_lock);
}

/* ---- consent, then the PIN ---- */
int serve_consent(serve_req *r, const serve_cert *c, const char *const *names, const char *const *digests, size_t n)
{
    serve_lang_enter(r->st, r->st->cfg.user_vi);
    size_t cap = 1024 + n * 400;
    char *desc = malloc(cap);
    if (desc == NULL)
        return vbsig_set_error(VBSIG_E_NOMEM, "out of memory");
    size_t o = (size_t)snprintf(desc, cap, serve_tr(N_("The web page %s asks to sign with\n%s\n")), r->origin, c->subject);
    for (size_t i = 0; i < n && o < cap; i++)
        o += (size_t)snprintf(desc + o, cap - o, serve_tr(N_("\nDocument: %s\nSHA-256: %s\n")), names[i], digests[i]);
    pinentry_result res = serve_pinentry_confirm(&r->st->cfg, serve_tr(N_("vbsig: sign a document")), desc,
                                                 serve_tr(N_("Sign")), serve_tr(N_("Refuse")));
    free(desc);
    serve_lang_enter(r->st, r->vi);
    if (res == PINENTRY_CANCELLED)
        return vbsig_set_error(VBSIG_E_CANCELLED, serve_tr(N_("the user refused")));
    if (res != PINENTRY_OK)
        return vbsig_set_error(VBSIG_E_UNAVAILABLE, serve_tr(N_("the dialog program (pinentry) could not be run")));
    return VBSIG_OK;
}

typedef struct pin_ctx {
    serve_req *r;
    const serve_cert *c;
} pin_ctx;

static int ask_pin(void *data, const char *token_label, char *pin, size_t pin_size)
{
    pin_ctx *p = data;
    serve_lang_enter(p->r->st, p->r->st->cfg.user_vi);
    char desc[600];
    snprintf(desc, sizeof desc, serve_tr(N_("PIN of the token %s, to sign for %s")), token_label, p->r->origin);
    pinentry_result res = serve_pinentry_getpin(&p->r->st->cfg, serve_tr(N_("vbsig: token PIN")), desc, "PIN:", pin, pin_size);
    serve_lang_enter(p->r->st, p->r->vi);
    if (res == PINENTRY_OK)
        return VBSIG_OK;
    return vbsig_set_error(res == PINENTRY_CANCELLED ? VBSIG_E_CANCELLED : VBSIG_E_UNAVAILABLE,
                           serve_tr(res == PINENTRY_CANCELLED ? N_("the user refused") : N_("the dialog program (pinentry) could not be run")));
}

int serve_token_signer(serve_req *r, const serve_cert *c, vbsig_signer **out)
{
    vbsig_pkcs11_opts p11;
    vbsig_pkcs11_opts_init(&p11);
    p11.module = r->st->cfg.module;
    pin_ctx p = {r, c};
    /* A token with a PIN pad is asked there (no callback). */
    vbsig_pkcs11_token *toks = NULL;
    size_t nt = 0;
    int pad = 0;
    if (vbsig_pkcs11_list_tokens(r->st->ctx, r->st->cfg.module, &toks, &nt) == VBSIG_OK) {
        for (size_t i = 0; i < nt; i++)
            if (toks[i].label != NULL && strcmp(toks[i].label, c->token) == 0)
                pad = toks[i].pin_pad;
        vbsig_pkcs11_tokens_free(toks, nt);
    }
    if (!pad) {
        p11.pin_cb = ask_pin;
        p11.pin_cb_data = &p;
    }
    return vbsig_signer_from_pkcs11(out, r->st->ctx, c->key_uri, &p11);
}
