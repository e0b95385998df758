/* The access handler: the gate on the headers (first call), the body
 * within its limit (next calls), then the endpoint (last call), one
 * response and one audit line for every request. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "serve.h"

static const serve_route routes[] = {
    {"GET", "/v1/info", ep_info, 0},
    {"GET", "/v1/openapi.json", ep_openapi, 0},
    {"POST", "/v1/pair", ep_pair, 1},
    {"GET", "/v1/certificates", ep_certificates, 0},
    {"POST", "/v1/sign", ep_sign, 0},
    {"POST", "/v1/sign-batch", ep_sign_batch, 0},
    {"POST", "/v1/sign-digest", ep_sign_digest, 0},
    {"POST", "/v1/verify", ep_verify, 0},
};

const serve_route *serve_route_find(const char *method, const char *path, int *path_known)
{
    *path_known = 0;
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        if (strcmp(routes[i].path, path) != 0)
            continue;
        *path_known = 1;
        if (strcmp(routes[i].method, method) == 0)
            return &routes[i];
    }
    return NULL;
}

/* The first language the page prefers decides: "vi", "vi-VN" … */
static int wants_vi(struct MHD_Connection *c)
{
    const char *al = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_LANGUAGE);
    if (al == NULL)
        return 0;
    while (*al == ' ')
        al++;
    return strncasecmp(al, "vi", 2) == 0 && (al[2] == '\0' || al[2] == '-' || al[2] == ',' || al[2] == ';');
}

static enum MHD_Result send_reply(serve_req *r, serve_reply *rep, struct MHD_Response *resp)
{
    if (resp == NULL) {
        char *text = rep->json != NULL ? json_dumps(rep->json, JSON_COMPACT) : NULL;
        json_decref(rep->json);
        rep->json = NULL;
        if (text != NULL)
            resp = MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
        else
            resp = MHD_create_response_from_buffer(0, "", MHD_RESPMEM_PERSISTENT);
        if (resp == NULL) {
            free(text);
            return MHD_NO;
        }
        if (text != NULL)
            MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                                    rep->content_type != NULL ? rep->content_type : "application/json");
        serve_cors_headers(r, resp);
    }
    r->status = rep->status;
    enum MHD_Result ret = MHD_queue_response(r->conn, rep->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

/* A refusal by the gate: nothing else happens for this request. */
static enum MHD_Result refuse(serve_req *r, unsigned status, const char *type, const char *why)
{
    serve_reply rep = {0};
    /* A refused origin gets no CORS header: the page learns nothing. */
    if (status == 403 && strcmp(type, "origin-refused") == 0)
        r->origin = NULL;
    serve_problem(r, &rep, status, type, why, NULL);
    return send_reply(r, &rep, NULL);
}

static enum MHD_Result first_call(serve_state *st, serve_req *r)
{
    const char *why = NULL, *outcome = NULL;
    int status = serve_gate_host(r, &why);
    if (status != 0)
        return refuse(r, (unsigned)status, "host-refused", why);
    status = serve_gate_origin(r, &why);
    if (status != 0)
        return refuse(r, (unsigned)status, "origin-refused", why);
    if (strcmp(r->method, "OPTIONS") == 0) {
        unsigned code = 0;
        struct MHD_Response *resp = serve_preflight(r, &code);
        if (resp == NULL)
            return refuse(r, code ? code : 500, "preflight-refused", N_("this method or header is not allowed"));
        r->outcome = "preflight";
        serve_reply rep = {.status = code};
        return send_reply(r, &rep, resp);
    }
    int known = 0;
    r->route = serve_route_find(r->method, r->path, &known);
    if (r->route == NULL)
        return known ? refuse(r, 405, "method-not-allowed", N_("this method is not allowed here"))
                     : refuse(r, 404, "not-found", N_("no such endpoint"));
    status = serve_gate_call(r, &why, &outcome);
    if (status != 0)
        return refuse(r, (unsigned)status, outcome, why);
    /* A body announced larger than the limit is refused before one byte
     * of it is read. */
    const char *cl = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (cl != NULL && strtoull(cl, NULL, 10) > st->cfg.max_body)
        return refuse(r, 413, "too-large", N_("the request body is larger than the limit of vbsig serve"));
    return MHD_YES;
}

enum MHD_Result serve_access(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                             const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls)
{
    (void)version;
    serve_state *st = cls;
    serve_req *r = *con_cls;
    if (r == NULL) {
        if ((r = calloc(1, sizeof *r)) == NULL)
            return MHD_NO;
        r->st = st;
        r->conn = conn;
        r->method = method;
        r->path = url;
        r->vi = wants_vi(conn);
        *con_cls = r;
        serve_lang_enter(st, r->vi);
        enum MHD_Result res = first_call(st, r);
        if (r->status != 0 || res == MHD_NO)
            r->route = NULL; /* answered already */
        return res;
    }
    serve_lang_enter(st, r->vi);
    if (r->route == NULL) { /* refused: drop whatever still comes */
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        if (r->overflow || n > st->cfg.max_body - r->len) {
            r->overflow = 1; /* chunked past the limit: keep nothing more */
            return MHD_YES;
        }
        if (r->len + n + 1 > r->cap) {
            size_t cap = r->cap ? r->cap : 64 * 1024;
            while (cap < r->len + n + 1)
                cap *= 2;
            char *b = realloc(r->body, cap);
            if (b == NULL)
                return MHD_NO;
            r->body = b;
            r->cap = cap;
        }
        memcpy(r->body + r->len, upload_data, n);
        r->len += n;
        return MHD_YES;
    }
    const serve_route *route = r->route;
    r->route = NULL;
    serve_reply rep = {.status = 200};
    if (r->overflow)
        return refuse(r, 413, "too-large", N_("the request body is larger than the limit of vbsig serve"));
    json_t *in = NULL;
    if (r->len > 0) {
        json_error_t err;
        in = json_loadb(r->body, r->len, JSON_REJECT_DUPLICATES, &err);
        if (in == NULL || !json_is_object(in)) {
            json_decref(in);
            serve_problem(r, &rep, 400, "invalid-json", N_("the request body is not a JSON object"), NULL);
            return send_reply(r, &rep, NULL);
        }
    }
    /* The body is no longer needed once parsed: free it before the work. */
    free(r->body);
    r->body = NULL;
    r->len = r->cap = 0;
    route->run(r, in, &rep);
    json_decref(in);
    return send_reply(r, &rep, NULL);
}

void serve_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    serve_req *r = *con_cls;
    if (r == NULL)
        return;
    if (r->status == 0) /* closed before an answer: a timeout, or a body over the limit */
        r->outcome = toe == MHD_REQUEST_TERMINATED_TIMEOUT_REACHED ? "timeout" : "aborted";
    serve_audit(r);
    free(r->body);
    free(r);
    *con_cls = NULL;
}
