/* POST /v1/sign, /v1/sign-batch, /v1/sign-digest and /v1/verify: bytes
 * in, the library's vbsig_sign_file / vbsig_verify_file /
 * vbsig_signer_sign_digest, bytes and a report out. Documents pass
 * through a private directory (0700) that is removed at once. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "token.h"

typedef struct doc {
    uint8_t *data;
    size_t len;
    const char *name;
    char sha256[65];
} doc;

static int make_dir(char *dir, size_t size)
{
    const char *base = getenv("XDG_RUNTIME_DIR");
    snprintf(dir, size, "%s/vbsig-serve-XXXXXX", base != NULL && base[0] == '/' ? base : "/tmp");
    return mkdtemp(dir) != NULL ? VBSIG_OK : vbsig_set_error(VBSIG_E_IO_WRITE, "cannot make a private directory");
}

static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (d != NULL) {
        struct dirent *e;
        char p[4200];
        while ((e = readdir(d)) != NULL)
            if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
                snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
                unlink(p);
            }
        closedir(d);
    }
    rmdir(dir);
}

static uint8_t *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *b = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (b != NULL && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return b;
}

static int take_doc(json_t *o, doc *d, size_t index)
{
    const char *b64 = json_string_value(json_object_get(o, "document"));
    d->name = json_string_value(json_object_get(o, "name"));
    if (d->name == NULL)
        d->name = index == 0 ? "document" : "document";
    if (b64 == NULL || (d->data = serve_b64_decode(b64, &d->len)) == NULL)
        return vbsig_set_error(VBSIG_E_INVALID_ARG, serve_tr(N_("'document' must be the document in base64")));
    serve_sha256_hex(d->data, d->len, d->sha256);
    return VBSIG_OK;
}

static int sign_options(serve_req *r, json_t *in, vbsig_sign_opts *so, vbsig_pades_sign_opts *po, vbsig_tsp_opts *tsp)
{
    vbsig_sign_opts_init(so);
    vbsig_pades_sign_opts_init(po);
    vbsig_tsp_opts_init(tsp);
    so->pades = po;
    const char *fmt = json_string_value(json_object_get(in, "format"));
    if (fmt == NULL || strcmp(fmt, "auto") == 0)
        so->format = VBSIG_FORMAT_AUTO;
    else if (strcmp(fmt, "pades") == 0)
        so->format = VBSIG_FORMAT_PADES;
    else if (strcmp(fmt, "cades") == 0)
        so->format = VBSIG_FORMAT_CADES;
    else if (strcmp(fmt, "xades") == 0)
        so->format = VBSIG_FORMAT_XADES;
    else
        return vbsig_set_error(VBSIG_E_INVALID_ARG, serve_tr(N_("unknown format (auto, pades, cades, xades)")));
    const char *level = json_string_value(json_object_get(in, "level"));
    if (level != NULL && strcmp(level, "B-T") == 0) {
        /* The page may only pick one of the TSAs the user configured. */
        const char *want = json_string_value(json_object_get(in, "tsa"));
        const char *url = NULL;
        for (size_t i = 0; i < r->st->cfg.tsa_count; i++)
            if (want == NULL || strcmp(want, r->st->cfg.tsa[i]) == 0)
                url = url != NULL ? url : r->st->cfg.tsa[i];
        if (url == NULL)
            return vbsig_set_error(VBSIG_E_INVALID_ARG, serve_tr(N_("level B-T needs a TSA configured for vbsig serve (--tsa)")));
        tsp->urls = &r->st->cfg.tsa[0];
        tsp->url_count = 1;
        for (size_t i = 0; i < r->st->cfg.tsa_count; i++)
            if (r->st->cfg.tsa[i] == url)
                tsp->urls = &r->st->cfg.tsa[i];
        so->level = VBSIG_LEVEL_B_T;
        so->tsp = tsp;
        po->level = VBSIG_LEVEL_B_T;
        po->tsp = tsp;
    } else if (level != NULL && strcmp(level, "B-B") != 0) {
        return vbsig_set_error(VBSIG_E_INVALID_ARG, serve_tr(N_("unknown level (B-B, B-T)")));
    }
    po->reason = json_string_value(json_object_get(in, "reason"));
    po->location = json_string_value(json_object_get(in, "location"));
    return VBSIG_OK;
}

/* The signed file's report, as `verify --json` gives it. */
static json_t *report_of(serve_req *r, const char *path, const char *name)
{
    vbsig_report *rep = NULL;
    json_t *j = NULL;
    if (vbsig_verify_file(r->st->ctx, path, NULL, &rep) == VBSIG_OK || rep != NULL) {
        vbsig_report_set_file(rep, name);
        vbsig_buf b = {0};
        vbsig_report_render_opts ro;
        vbsig_report_render_opts_init(&ro);
        if (vbsig_report_to_json(rep, &ro, &b) == VBSIG_OK)
            j = json_loadb((const char *)b.data, b.len, 0, NULL);
        vbsig_buf_free(&b);
    }
    vbsig_report_free(rep);
    return j;
}

/* Signs docs with one consent, one login (one PIN), then frees the signer:
 * no PIN survives the batch. */
static void sign_docs(serve_req *r, json_t *in, doc *docs, size_t n, serve_reply *out, int batch)
{
    serve_cert c;
    vbsig_sign_opts so;
    vbsig_pades_sign_opts po;
    vbsig_tsp_opts tsp;
    int rc = sign_options(r, in, &so, &po, &tsp);
    if (rc == VBSIG_OK)
        rc = serve_token_find(r, json_string_value(json_object_get(in, "certificate")), &c);
    if (rc != VBSIG_OK) {
        serve_problem_status(r, out, rc);
        return;
    }
    if ((rc = serve_token_acquire(r, c.token)) != VBSIG_OK) {
        serve_problem_status(r, out, rc);
        return;
    }
    const char **names = calloc(n, sizeof *names), **digests = calloc(n, sizeof *digests);
    for (size_t i = 0; names != NULL && digests != NULL && i < n; i++) {
        names[i] = docs[i].name;
        digests[i] = docs[i].sha256;
    }
    rc = names != NULL && digests != NULL ? serve_consent(r, &c, names, digests, n) : VBSIG_E_NOMEM;
    free(names);
    free(digests);
    vbsig_signer *signer = NULL;
    if (rc == VBSIG_OK)
        rc = serve_token_signer(r, &c, &signer);
    char dir[4096] = "";
    if (rc == VBSIG_OK)
        rc = make_dir(dir, sizeof dir);
    json_t *results = json_array();
    for (size_t i = 0; rc == VBSIG_OK && i < n; i++) {
        char inp[4200], outp[4200];
        snprintf(inp, sizeof inp, "%s/in-%zu", dir, i);
        snprintf(outp, sizeof outp, "%s/out-%zu", dir, i);
        rc = vbsig_write_file(inp, docs[i].data, docs[i].len, VBSIG_WRITE_DEFER_DIR_SYNC);
        vbsig_format f = VBSIG_FORMAT_AUTO;
        if (rc == VBSIG_OK)
            rc = vbsig_sign_file(r->st->ctx, signer, &so, inp, outp, &f);
        size_t len = 0;
        uint8_t *signed_doc = rc == VBSIG_OK ? read_all(outp, &len) : NULL;
        if (rc == VBSIG_OK && signed_doc == NULL)
            rc = vbsig_set_error(VBSIG_E_IO_READ, "cannot read the signed document");
        if (rc == VBSIG_OK) {
            char *b64 = serve_b64_encode(signed_doc, len);
            json_array_append_new(results, json_pack("{s:s, s:s?, s:s, s:o*}", "name", docs[i].name, "format",
                                                     vbsig_format_name(f), "document", b64 != NULL ? b64 : "",
                                                     "report", report_of(r, outp, docs[i].name)));
            free(b64);
        }
        free(signed_doc);
    }
    vbsig_signer_free(signer); /* logs out */
    serve_token_release(c.token);
    if (dir[0] != '\0')
        remove_dir(dir);
    if (rc != VBSIG_OK) {
        json_decref(results);
        serve_problem_status(r, out, rc);
        return;
    }
    r->outcome = "signed";
    if (batch) {
        out->json = json_pack("{s:o}", "results", results);
    } else {
        out->json = json_incref(json_array_get(results, 0));
        json_decref(results);
    }
}

void ep_sign(serve_req *r, json_t *in, serve_reply *out)
{
    doc d = {0};
    int rc = in != NULL ? take_doc(in, &d, 0) : vbsig_set_error(VBSIG_E_INVALID_ARG, serve_tr(N_("the request needs a JSON body")));
    if (rc != VBSIG_OK)
        serve_problem_status(r, out, rc);
    else
        sign_docs(r, in, &d, 1, out, 0);
    free(d.data);
}

#define BATCH_MAX 100

void ep_sign_batch(serve_req *r, json_t *in, serve_reply *out)
{
    json_t *arr = in != NULL ? json_object_get(in, "documents") : NULL;
    size_t n = json_array_size(arr);
    if (n == 0 || n > BATCH_MAX) {
        serve_problem(r, out, 400, "invalid-request", N_("'documents' must list 1 to 100 documents"), NULL);
        return;
    }
    doc *docs = calloc(n, sizeof *docs);
    int rc = docs != NULL ? VBSIG_OK : VBSIG_E_NOMEM;
    for (size_t i = 0; rc == VBSIG_OK && i < n; i++)
        rc = take_doc(json_array_get(arr, i), &docs[i], i);
    if (rc != VBSIG_OK)
        serve_problem_status(r, out, rc);
    else
        sign_docs(r, in, docs, n, out, 1);
    for (size_t i = 0; docs != NULL && i < n; i++)
        free(docs[i].data);
    free(docs);
}

/* Two-step signing: the document system's server prepared the document
 * with the library (vbsig_*_prepare) and sends the digest to sign; the
 * user sees the name it gave and the digest. */
void ep_sign_digest(serve_req *r, json_t *in, serve_reply *out)
{
    const char *b64 = in != NULL ? json_string_value(json_object_get(in, "digest")) : NULL;
    const char *alg_name = in != NULL ? json_string_value(json_object_get(in, "digest_algorithm")) : NULL;
    const char *name = in != NULL ? json_string_value(json_object_get(in, "name")) : NULL;
    vbsig_sign_request req = {0};
    size_t len = 0;
    uint8_t *digest = b64 != NULL ? serve_b64_decode(b64, &len) : NULL;
    int rc = digest != NULL && name != NULL ? vbsig_digest_from_name(alg_name != NULL ? alg_name : "sha256", &req.digest_alg)
                                            : vbsig_set_error(VBSIG_E_INVALID_ARG, serve_tr(N_("'name' and 'digest' (base64) are required")));
    size_t want = req.digest_alg == VBSIG_DIGEST_SHA384 ? 48 : req.digest_alg == VBSIG_DIGEST_SHA512 || req.digest_alg == VBSIG_DIGEST_SHA3_512 ? 64 : 32;
    if (rc == VBSIG_OK && len != want)
        rc = vbsig_set_error(VBSIG_E_INVALID_ARG, serve_tr(N_("the digest has the wrong length for its algorithm")));
    const char *pad = in != NULL ? json_string_value(json_object_get(in, "padding")) : NULL;
    req.padding = pad != NULL && strcmp(pad, "pss") == 0 ? VBSIG_RSA_PSS : VBSIG_RSA_PKCS1_V15;
    req.digest = digest;
    req.digest_len = len;
    serve_cert c;
    if (rc == VBSIG_OK)
        rc = serve_token_find(r, json_string_value(json_object_get(in, "certificate")), &c);
    int locked = rc == VBSIG_OK && (rc = serve_token_acquire(r, c.token)) == VBSIG_OK;
    char hex[129] = "";
    if (rc == VBSIG_OK) {
        serve_hex(digest, len, hex);
        const char *names[1] = {name}, *digests[1] = {hex};
        rc = serve_consent(r, &c, names, digests, 1);
    }
    vbsig_signer *signer = NULL;
    if (rc == VBSIG_OK)
        rc = serve_token_signer(r, &c, &signer);
    uint8_t sig[VBSIG_MAX_SIGNATURE];
    size_t sig_len = sizeof sig;
    if (rc == VBSIG_OK)
        rc = vbsig_signer_sign_digest(signer, &req, sig, &sig_len);
    if (rc == VBSIG_OK) {
        size_t cl = 0;
        const uint8_t *cert = vbsig_signer_cert_der(signer, &cl);
        char *s64 = serve_b64_encode(sig, sig_len), *c64 = serve_b64_encode(cert, cl);
        out->json = json_pack("{s:s, s:s, s:s}", "signature", s64 ? s64 : "", "certificate", c64 ? c64 : "", "key",
                              vbsig_signer_key_type(signer) == VBSIG_KEY_EC ? "EC" : "RSA");
        free(s64);
        free(c64);
        r->outcome = "signed";
    }
    vbsig_signer_free(signer);
    if (locked)
        serve_token_release(c.token);
    free(digest);
    if (rc != VBSIG_OK)
        serve_problem_status(r, out, rc);
}

void ep_verify(serve_req *r, json_t *in, serve_reply *out)
{
    doc d = {0};
    int rc = in != NULL ? take_doc(in, &d, 0) : vbsig_set_error(VBSIG_E_INVALID_ARG, serve_tr(N_("the request needs a JSON body")));
    char dir[4096] = "", path[4200];
    if (rc == VBSIG_OK)
        rc = make_dir(dir, sizeof dir);
    if (rc == VBSIG_OK) {
        snprintf(path, sizeof path, "%s/doc", dir);
        rc = vbsig_write_file(path, d.data, d.len, VBSIG_WRITE_DEFER_DIR_SYNC);
    }
    if (rc == VBSIG_OK) {
        out->json = report_of(r, path, d.name);
        if (out->json == NULL)
            rc = vbsig_set_error(VBSIG_E_MALFORMED, serve_tr(N_("the document cannot be verified")));
        else
            r->outcome = "verified";
    }
    if (dir[0] != '\0')
        remove_dir(dir);
    free(d.data);
    if (rc != VBSIG_OK)
        serve_problem_status(r, out, rc);
}
