/* The request gate: Host, Origin, Content-Type and the pairing token are
 * checked on the headers, before a body is read or any work is done. A
 * browser hiding a response protects nothing (the request still runs), so
 * every refusal here happens before the endpoint is reached. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../cli.h"
#include "serve.h"




/* How many times a header appears: a second Host or Origin is a trick. */
typedef struct header_count {
    const char *name;
    unsigned n;
} header_count;

static enum MHD_Result count_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    (void)value;
    header_count *h = cls;
    if (strcasecmp(key, h->name) == 0)
        h->n++;
    return MHD_YES;
}

static unsigned header_times(struct MHD_Connection *c, const char *name)
{
    header_count h = {name, 0};
    MHD_get_connection_values(c, MHD_HEADER_KIND, count_header, &h);
    return h.n;
}

int serve_gate_host(const serve_req *r, const char **why)
{
    const char *host = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
    if (host == NULL || header_times(r->conn, MHD_HTTP_HEADER_HOST) != 1) {
        *why = N_("the request has no single Host header");
        return MHD_HTTP_BAD_REQUEST;
    }
    /* Only loopback names with our port: another name is DNS rebinding. */
    char port[8];
    snprintf(port, sizeof port, "%u", (unsigned)r->st->cfg.port);
    static const char *const names[] = {"127.0.0.1", "[::1]", "localhost"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        size_t n = strlen(names[i]);
        if (strncasecmp(host, names[i], n) == 0 && host[n] == ':' && strcmp(host + n + 1, port) == 0)
            return 0;
    }
    *why = N_("the Host header does not name this service on a loopback address (DNS rebinding?)");
    return 421; /* Misdirected Request */
}

int serve_gate_origin(serve_req *r, const char **why)
{
    const char *origin = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Origin");
    if (origin == NULL || header_times(r->conn, "Origin") != 1) {
        *why = N_("the request has no single Origin header");
        return MHD_HTTP_FORBIDDEN;
    }
    /* Exact match only: no wildcard, no "null", no suffix or prefix. */
    for (size_t i = 0; i < r->st->cfg.origin_count; i++)
        if (strcmp(origin, r->st->cfg.origins[i]) == 0) {
            r->origin = r->st->cfg.origins[i];
            return 0;
        }
    *why = N_("this origin is not on the allowlist of vbsig serve");
    return MHD_HTTP_FORBIDDEN;
}

/* "application/json" with optional parameters (charset=utf-8). */
static int is_json_type(const char *ct)
{
    if (ct == NULL)
        return 0;
    size_t n = strlen("application/json");
    return strncasecmp(ct, "application/json", n) == 0 && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

int serve_gate_call(serve_req *r, const char **why, const char **outcome)
{
    if (r->route->open)
        return 0;
    /* A simple request (text/plain, a form) needs no preflight: requiring
     * JSON and a token header makes every real call pass one. */
    const char *ct = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    if (!is_json_type(ct) || header_times(r->conn, MHD_HTTP_HEADER_CONTENT_TYPE) != 1) {
        *why = N_("the request must have Content-Type: application/json");
        *outcome = "refused-content-type";
        return MHD_HTTP_UNSUPPORTED_MEDIA_TYPE;
    }
    const char *auth = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    if (auth == NULL || strncmp(auth, "Bearer ", 7) != 0 || header_times(r->conn, MHD_HTTP_HEADER_AUTHORIZATION) != 1) {
        *why = N_("this origin is not paired: pair it first (POST /v1/pair) and send its token as Authorization: Bearer");
        *outcome = "refused-no-token";
        return MHD_HTTP_UNAUTHORIZED;
    }
    int ok = serve_pairings_check(r->st->cfg.pairings_path, r->origin, auth + 7);
    if (ok != 1) {
        *why = N_("the pairing token is not valid for this origin: pair again (POST /v1/pair)");
        *outcome = "refused-bad-token";
        return MHD_HTTP_UNAUTHORIZED;
    }
    return 0;
}

void serve_cors_headers(const serve_req *r, struct MHD_Response *resp)
{
    MHD_add_response_header(resp, "Vary", "Origin");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    if (r->origin != NULL)
        MHD_add_response_header(resp, "Access-Control-Allow-Origin", r->origin);
}

/* Is every header the page asks for one we accept? */
static int headers_allowed(const char *list)
{
    char buf[512];
    if (list == NULL)
        return 1;
    if (strlen(list) >= sizeof buf)
        return 0;
    snprintf(buf, sizeof buf, "%s", list);
    char *save = NULL;
    for (char *w = strtok_r(buf, ", \t", &save); w != NULL; w = strtok_r(NULL, ", \t", &save))
        if (strcasecmp(w, "content-type") != 0 && strcasecmp(w, "authorization") != 0 &&
            strcasecmp(w, "accept-language") != 0)
            return 0;
    return 1;
}

struct MHD_Response *serve_preflight(serve_req *r, unsigned *status)
{
    const char *m = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Access-Control-Request-Method");
    const char *h = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Access-Control-Request-Headers");
    int known = 0;
    const serve_route *route = m != NULL ? serve_route_find(m, r->path, &known) : NULL;
    if (route == NULL || !headers_allowed(h)) {
        *status = MHD_HTTP_FORBIDDEN;
        return NULL;
    }
    struct MHD_Response *resp = MHD_create_response_from_buffer(0, "", MHD_RESPMEM_PERSISTENT);
    if (resp == NULL)
        return NULL;
    serve_cors_headers(r, resp);
    MHD_add_response_header(resp, "Access-Control-Allow-Methods", "GET, POST");
    MHD_add_response_header(resp, "Access-Control-Allow-Headers", "Authorization, Content-Type, Accept-Language");
    MHD_add_response_header(resp, "Access-Control-Max-Age", "600");
    /* Private Network Access (older Chromium): only when asked. */
    const char *pna = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Access-Control-Request-Private-Network");
    if (pna != NULL && strcasecmp(pna, "true") == 0)
        MHD_add_response_header(resp, "Access-Control-Allow-Private-Network", "true");
    *status = MHD_HTTP_NO_CONTENT;
    return resp;
}
