/* POST /v1/pair, in two calls so that the page can show the code while
 * the user looks at the dialog:
 *   1. {}                      → 202 {"pairing": ID, "code": "123-456"}
 *   2. {"pairing": ID}         → the dialog (origin and code) → 200 {"token": …}
 * Only the origin that started a pairing may finish it, once, within the
 * timeout. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "serve.h"

#define PENDING_MAX 16

typedef struct pending {
    char id[33], code[8];
    const char *origin; /* one of the configured origins */
    time_t expires;
} pending;

static pending g_pending[PENDING_MAX];
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;

static void start(serve_req *r, serve_reply *out)
{
    uint8_t rnd[20];
    if (RAND_bytes(rnd, sizeof rnd) != 1) {
        serve_problem(r, out, 500, "internal", N_("no random numbers"), NULL);
        return;
    }
    pending p = {.origin = r->origin, .expires = time(NULL) + r->st->cfg.timeout_s};
    serve_hex(rnd, 16, p.id);
    unsigned v = ((unsigned)rnd[16] << 16 | (unsigned)rnd[17] << 8 | rnd[18]) % 1000000u;
    snprintf(p.code, sizeof p.code, "%03u-%03u", v / 1000, v % 1000);
    pthread_mutex_lock(&g_lock);
    /* One pending pairing per origin: a new start replaces the old one. */
    size_t slot = PENDING_MAX;
    time_t now = time(NULL);
    for (size_t i = 0; i < PENDING_MAX; i++)
        if (g_pending[i].origin == r->origin || g_pending[i].expires < now)
            slot = slot == PENDING_MAX || g_pending[i].origin == r->origin ? i : slot;
    if (slot < PENDING_MAX)
        g_pending[slot] = p;
    pthread_mutex_unlock(&g_lock);
    if (slot == PENDING_MAX) {
        serve_problem(r, out, 503, "busy", N_("too many pairings are waiting"), NULL);
        return;
    }
    out->status = 202;
    out->json = json_pack("{s:s, s:s, s:i}", "pairing", p.id, "code", p.code, "expires_in", (int)r->st->cfg.timeout_s);
    r->outcome = "pair-started";
}

static void finish(serve_req *r, const char *id, serve_reply *out)
{
    pending p = {0};
    pthread_mutex_lock(&g_lock);
    for (size_t i = 0; i < PENDING_MAX; i++)
        if (g_pending[i].origin == r->origin && strlen(id) == 32 && CRYPTO_memcmp(g_pending[i].id, id, 32) == 0 &&
            g_pending[i].expires >= time(NULL)) {
            p = g_pending[i];
            memset(&g_pending[i], 0, sizeof g_pending[i]); /* used once */
        }
    pthread_mutex_unlock(&g_lock);
    if (p.origin == NULL) {
        serve_problem(r, out, 404, "no-pairing", N_("no such pairing is waiting: start again"), NULL);
        return;
    }
    serve_lang_enter(r->st, r->st->cfg.user_vi);
    char desc[1024];
    snprintf(desc, sizeof desc,
             serve_tr(N_("The web page %s asks to use your signing token.\nCode shown by the page: %s\n\n"
                         "Allow it only if the page shows the same code.")),
             p.origin, p.code);
    pinentry_result res = serve_pinentry_confirm(&r->st->cfg, serve_tr(N_("vbsig: pair a web page")), desc,
                                                 serve_tr(N_("Allow")), serve_tr(N_("Refuse")));
    serve_lang_enter(r->st, r->vi);
    if (res == PINENTRY_CANCELLED) {
        serve_problem(r, out, 403, "cancelled", N_("the user refused"), NULL);
        return;
    }
    if (res != PINENTRY_OK) {
        serve_problem(r, out, 503, "pinentry-failed", N_("the dialog program (pinentry) could not be run"), NULL);
        return;
    }
    char token[64];
    if (serve_pairings_add(r->st->cfg.pairings_path, p.origin, token, sizeof token) != 0) {
        serve_problem(r, out, 500, "pairing-store", N_("the pairing cannot be stored"), NULL);
        return;
    }
    out->json = json_pack("{s:s, s:s}", "token", token, "origin", p.origin);
    OPENSSL_cleanse(token, sizeof token);
    r->outcome = "paired";
}

void ep_pair(serve_req *r, json_t *in, serve_reply *out)
{
    const char *id = in != NULL ? json_string_value(json_object_get(in, "pairing")) : NULL;
    if (id == NULL)
        start(r, out);
    else
        finish(r, id, out);
}
