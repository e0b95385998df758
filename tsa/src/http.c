/* The HTTP front: POST application/timestamp-query → application/timestamp-reply,
 * GET /health and GET /metrics. One polling thread reads requests; a
 * complete body suspends its connection and becomes a job; the job's end
 * (after the journal commit) resumes it and the reply goes out. */
#include <arpa/inet.h>
#include <netdb.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <microhttpd.h>

#include "tsa.h"

struct tsa_http {
    struct MHD_Daemon *daemon;
    tsa_workers *workers;
    const tsa_config *config;
    tsa_health health;
    atomic_uint connections;
    atomic_uint in_flight; /* jobs submitted whose connection has not completed */
    atomic_int stopping;   /* set first thing at shutdown: no new job is taken */
    atomic_int draining;   /* no new job either, but /health and /metrics still answer */
};

typedef struct tsa_request {
    tsa_job job; /* first: the job's owner is the request */
    tsa_http *http;
    struct MHD_Connection *conn;
    struct timespec started; /* CLOCK_MONOTONIC, for the latency histogram */
    uint8_t body[TSA_MAX_BODY];
    size_t body_len;
    size_t seen_len;
    int answered;  /* a response was queued */
    int submitted; /* a job was made */
    int overloaded;
    const char *allow; /* the Allow header of a 405; NULL: "POST, GET" */
    atomic_int finished;
} tsa_request;

static double seconds_since(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

static enum MHD_Result respond(tsa_request *r, unsigned code, const char *type, const void *body,
                               size_t len, tsa_outcome outcome)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    if (resp == NULL)
        return MHD_NO;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    if (code == MHD_HTTP_METHOD_NOT_ALLOWED)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, r->allow != NULL ? r->allow : "POST, GET");
    if (code == MHD_HTTP_SERVICE_UNAVAILABLE)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, "1");
    enum MHD_Result ok = MHD_queue_response(r->conn, code, resp);
    MHD_destroy_response(resp);
    r->answered = 1;
    if (outcome != TSA_OUT_COUNT) /* health and metrics are not counted */
        tsa_metrics_count(outcome, seconds_since(&r->started));
    return ok;
}

static enum MHD_Result respond_text(tsa_request *r, unsigned code, const char *text,
                                    tsa_outcome outcome)
{
    return respond(r, code, "text/plain; charset=utf-8", text, strlen(text), outcome);
}

/* text as a JSON string (quotes included); control characters escaped. */
static int json_string(tsa_text *b, const char *text)
{
    int rc = tsa_text_append(b, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)text; rc == VBSIG_OK && *p != '\0'; p++) {
        if (*p == '"' || *p == '\\')
            rc = tsa_text_printf(b, "\\%c", *p);
        else if (*p < 0x20)
            rc = tsa_text_printf(b, "\\u%04x", *p);
        else
            rc = tsa_text_append(b, p, 1);
    }
    return rc == VBSIG_OK ? tsa_text_append(b, "\"", 1) : rc;
}

static enum MHD_Result respond_health(tsa_request *r)
{
    const tsa_health *h = &r->http->health;
    /* The key prober's verdict: certificate validity first, then whether
     * the key still signs (never waits for a signature in progress). */
    tsa_key_report key;
    tsa_key_health_read(h->key, &key);
    int key_ok = key.state == TSA_KEY_OK;
    tsa_clock_reading reading;
    tsa_clock_state clock = tsa_clock_check(&reading);
    int clock_ok = tsa_clock_usable(clock);
    /* A PostgreSQL journal is judged by its last commit alone. */
    int journal_ok = tsa_journal_writer_healthy(h->writer) &&
                     (tsa_journal_is_pg(h->journal_path) || access(h->journal_path, W_OK) == 0);
    int draining = atomic_load(&r->http->draining);
    int ok = key_ok && clock_ok && journal_ok && !draining;
    tsa_text b;
    tsa_text_init(&b);
    int rc = tsa_text_printf(&b,
                                "{\"status\":\"%s\",\"draining\":%s,\"in_flight\":%u,\"key\":\"%s\",\"clock\":\"%s\",\"clock_usable\":%s,"
                                "\"journal\":\"%s\",\"key_error\":",
                                draining ? "draining" : ok ? "ok" : "unavailable",
                                draining ? "true" : "false", atomic_load(&r->http->in_flight),
                                tsa_key_state_name(key.state),
                                tsa_clock_state_name(clock), clock_ok ? "true" : "false",
                                journal_ok ? "ok" : "not-writable");
    if (rc == VBSIG_OK)
        rc = json_string(&b, key.error);
    /* The kernel's error figures beside the bound they are held to. */
    if (rc == VBSIG_OK)
        rc = tsa_text_printf(&b, ",\"clock_esterror_s\":%.6f,\"clock_maxerror_s\":%.6f,"
                                 "\"clock_max_error_s\":%.3f",
                             (double)reading.esterror_us / 1e6, (double)reading.maxerror_us / 1e6,
                             (double)tsa_clock_bound_ms() / 1e3);
    if (rc == VBSIG_OK)
        rc = tsa_text_printf(&b, ",\"key_checked_at\":\"%s\"", key.checked_at);
    if (rc == VBSIG_OK && key.failing_since[0] != '\0')
        rc = tsa_text_printf(&b, ",\"key_failing_since\":\"%s\"", key.failing_since);
    if (rc == VBSIG_OK)
        rc = tsa_text_printf(&b, ",\"key_probes\":%llu,\"key_probe_failures\":%llu}\n",
                                key.probes, key.failed_probes);
    enum MHD_Result res = MHD_NO;
    if (rc == VBSIG_OK)
        res = respond(r, ok ? MHD_HTTP_OK : MHD_HTTP_SERVICE_UNAVAILABLE, "application/json",
                      b.data, b.len, TSA_OUT_COUNT);
    tsa_text_free(&b);
    return res;
}

static enum MHD_Result respond_metrics(tsa_request *r)
{
    tsa_key_report key;
    tsa_key_health_read(r->http->health.key, &key);
    char *text = tsa_metrics_render(&key, atomic_load(&r->http->in_flight),
                                    atomic_load(&r->http->draining));
    if (text == NULL)
        return MHD_NO;
    enum MHD_Result ok = respond(r, MHD_HTTP_OK, "text/plain; version=0.0.4", text, strlen(text),
                                 TSA_OUT_COUNT);
    free(text);
    return ok;
}

static void peer_text(struct MHD_Connection *conn, char *buf, size_t n)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(buf, n, "?");
    if (info == NULL || info->client_addr == NULL)
        return;
    const struct sockaddr *sa = info->client_addr;
    socklen_t len = sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
    /* Numeric forms only, so these sizes always fit ("[v6 address]:port"). */
    char host[INET6_ADDRSTRLEN], port[8];
    if (getnameinfo(sa, len, host, sizeof host, port, sizeof port, NI_NUMERICHOST | NI_NUMERICSERV) == 0)
        snprintf(buf, n, "%s:%s", host, port);
}

/* Runs on the journal writer's thread (or a worker's, if nothing could be
 * built): the reply may now leave. */
static void job_done(tsa_job *job)
{
    tsa_request *r = job->owner;
    atomic_store(&r->finished, 1);
    MHD_resume_connection(r->conn);
}

static enum MHD_Result answer_job(tsa_request *r)
{
    if (r->overloaded)
        return respond_text(r, MHD_HTTP_SERVICE_UNAVAILABLE, "server busy, retry later\n",
                            TSA_OUT_OVERLOAD);
    tsa_job *job = &r->job;
    if (job->reply == NULL)
        return MHD_NO; /* nothing to send: closing tells the client */
    int granted = strcmp(job->rec.outcome, "granted") == 0;
    if (!granted) {
        tsa_metrics_failure(job->rec.failure);
        tsa_log("info", "rejected", "peer=%s failure=%s", job->rec.peer, job->rec.failure);
    }
    return respond(r, MHD_HTTP_OK, "application/timestamp-reply", job->reply, job->reply_len,
                   granted ? TSA_OUT_GRANTED : TSA_OUT_REJECTED);
}

static int is_timestamp_query(struct MHD_Connection *conn)
{
    const char *type = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    static const char want[] = "application/timestamp-query";
    if (type == NULL || strncasecmp(type, want, sizeof want - 1) != 0)
        return 0;
    char next = type[sizeof want - 1];
    return next == '\0' || next == ';' || next == ' ';
}

static enum MHD_Result first_call(tsa_http *h, tsa_request *r, struct MHD_Connection *conn,
                                  const char *url, const char *method)
{
    if (strcmp(method, MHD_HTTP_METHOD_GET) == 0) {
        if (strcmp(url, "/health") == 0)
            return respond_health(r);
        if (strcmp(url, "/metrics") == 0)
            return respond_metrics(r);
        if (strcmp(url, "/") == 0) { /* where the queries go: POST only */
            r->allow = "POST";
            return respond_text(r, MHD_HTTP_METHOD_NOT_ALLOWED, "use POST\n", TSA_OUT_BAD_HTTP);
        }
        return respond_text(r, MHD_HTTP_NOT_FOUND, "not found\n", TSA_OUT_BAD_HTTP);
    }
    if (strcmp(method, MHD_HTTP_METHOD_POST) != 0)
        return respond_text(r, MHD_HTTP_METHOD_NOT_ALLOWED, "use POST\n", TSA_OUT_BAD_HTTP);
    if (!is_timestamp_query(conn))
        return respond_text(r, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE,
                            "expected Content-Type: application/timestamp-query\n", TSA_OUT_BAD_HTTP);
    const char *length = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (length != NULL && strtoull(length, NULL, 10) > TSA_MAX_BODY)
        return respond_text(r, MHD_HTTP_CONTENT_TOO_LARGE, "request body too large\n",
                            TSA_OUT_BAD_HTTP);
    if (atomic_load(&h->connections) > h->config->max_connections)
        return respond_text(r, MHD_HTTP_SERVICE_UNAVAILABLE, "server busy, retry later\n",
                            TSA_OUT_OVERLOAD);
    return MHD_YES;
}

static enum MHD_Result submit(tsa_http *h, tsa_request *r)
{
    /* Requests waiting for a worker, a signature or the journal each hold a
     * suspended connection and a body: their number is what overload bounds. */
    if (atomic_load(&h->in_flight) >= h->config->max_queue)
        return respond_text(r, MHD_HTTP_SERVICE_UNAVAILABLE, "server busy, retry later\n",
                            TSA_OUT_OVERLOAD);
    /* Counted before the stop flag is read: a stopping server either sees
     * this request in flight and waits for it, or the request sees the
     * server stopping and is turned away (keep-alive connections can bring
     * requests after the listener closed). */
    atomic_fetch_add(&h->in_flight, 1);
    if (atomic_load(&h->stopping)) {
        atomic_fetch_sub(&h->in_flight, 1);
        return respond_text(r, MHD_HTTP_SERVICE_UNAVAILABLE, "server shutting down\n", TSA_OUT_OVERLOAD);
    }
    if (atomic_load(&h->draining)) {
        atomic_fetch_sub(&h->in_flight, 1);
        return respond_text(r, MHD_HTTP_SERVICE_UNAVAILABLE, "server draining, use another\n",
                            TSA_OUT_OVERLOAD);
    }
    tsa_job *job = &r->job;
    job->body = r->body;
    job->body_len = r->body_len;
    job->owner = r;
    job->done = job_done;
    tsa_record_init(&job->rec);
    peer_text(r->conn, job->rec.peer, sizeof job->rec.peer);
    r->submitted = 1;
    /* Suspend first: a fast worker may finish before we return. */
    MHD_suspend_connection(r->conn);
    if (tsa_workers_submit(h->workers, job) != VBSIG_OK) {
        r->overloaded = 1;
        atomic_store(&r->finished, 1);
        MHD_resume_connection(r->conn);
    }
    return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    (void)version;
    tsa_http *h = cls;
    tsa_request *r = *con_cls;
    if (r == NULL) {
        r = calloc(1, sizeof *r);
        if (r == NULL)
            return MHD_NO;
        /* The time stamped is when the request arrived (its headers). */
        clock_gettime(CLOCK_REALTIME, &r->job.received);
        clock_gettime(CLOCK_MONOTONIC, &r->started);
        r->http = h;
        r->conn = conn;
        atomic_init(&r->finished, 0);
        *con_cls = r;
        return first_call(h, r, conn, url, method);
    }
    if (r->answered) {
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        r->seen_len += *upload_data_size;
        if (r->seen_len <= TSA_MAX_BODY) {
            memcpy(r->body + r->body_len, upload_data, *upload_data_size);
            r->body_len += *upload_data_size;
        }
        *upload_data_size = 0;
        /* A body far beyond the limit is not worth reading to its end, and
         * one trickling in a byte at a time (which MHD's idle timeout never
         * sees) gets the timeout for the whole body. */
        if (r->seen_len > TSA_DISCARD_LIMIT || seconds_since(&r->started) > h->config->timeout_s)
            return MHD_NO;
        return MHD_YES;
    }
    if (!r->submitted) {
        if (r->seen_len > TSA_MAX_BODY)
            return respond_text(r, MHD_HTTP_CONTENT_TOO_LARGE, "request body too large\n",
                                TSA_OUT_BAD_HTTP);
        return submit(h, r);
    }
    if (atomic_load(&r->finished))
        return answer_job(r);
    return MHD_YES;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)conn;
    (void)toe;
    tsa_http *h = cls;
    tsa_request *r = *con_cls;
    if (r == NULL)
        return;
    if (r->submitted)
        atomic_fetch_sub(&h->in_flight, 1);
    vbsig_free(r->job.reply);
    tsa_record_clear(&r->job.rec);
    free(r);
    *con_cls = NULL;
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
    (void)conn;
    (void)socket_context;
    tsa_http *h = cls;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED)
        atomic_fetch_add(&h->connections, 1);
    else if (toe == MHD_CONNECTION_NOTIFY_CLOSED)
        atomic_fetch_sub(&h->connections, 1);
}

/* "127.0.0.1:8318", "[::1]:8318" → a socket address. */
static int parse_listen(const char *spec, struct sockaddr_storage *out, int *is_v6, uint16_t *port)
{
    char host[128];
    const char *colon;
    if (spec[0] == '[') {
        const char *end = strchr(spec, ']');
        if (end == NULL || end[1] != ':' || (size_t)(end - spec - 1) >= sizeof host)
            goto bad;
        memcpy(host, spec + 1, (size_t)(end - spec - 1));
        host[end - spec - 1] = '\0';
        colon = end + 1;
    } else {
        colon = strrchr(spec, ':');
        if (colon == NULL || (size_t)(colon - spec) >= sizeof host)
            goto bad;
        memcpy(host, spec, (size_t)(colon - spec));
        host[colon - spec] = '\0';
    }
    struct addrinfo hints = { .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE,
                              .ai_socktype = SOCK_STREAM };
    struct addrinfo *ai = NULL;
    char *end_port;
    unsigned long p = strtoul(colon + 1, &end_port, 10);
    if (*end_port != '\0' || p == 0 || p > 65535 || getaddrinfo(host, colon + 1, &hints, &ai) != 0)
        goto bad;
    memcpy(out, ai->ai_addr, ai->ai_addrlen);
    *is_v6 = ai->ai_family == AF_INET6;
    *port = (uint16_t)p;
    freeaddrinfo(ai);
    return VBSIG_OK;
bad:
    return tsa_fail(VBSIG_E_INVALID_ARG, _("--listen: expected ADDR:PORT (numeric), got '%s'"), spec);
}

int tsa_http_start(tsa_http **out, const tsa_config *c, tsa_workers *ws, const tsa_health *health)
{
    struct sockaddr_storage addr;
    int v6 = 0;
    uint16_t port = 0;
    int rc = parse_listen(c->listen, &addr, &v6, &port);
    if (rc != VBSIG_OK)
        return rc;
    tsa_http *h = calloc(1, sizeof *h);
    if (h == NULL)
        return tsa_fail(VBSIG_E_NOMEM, _("out of memory"));
    h->workers = ws;
    h->config = c;
    h->health = *health;
    atomic_init(&h->connections, 0);
    atomic_init(&h->in_flight, 0);
    atomic_init(&h->stopping, 0);
    atomic_init(&h->draining, 0);
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_ALLOW_SUSPEND_RESUME;
    if (v6)
        flags |= MHD_USE_IPv6;
    /* A few connections past the soft limit are still accepted, so that the
     * overflow is told 503 instead of being dropped. */
    h->daemon = MHD_start_daemon(
        flags, port, NULL, NULL, on_request, h,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)(c->max_connections + 64),
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)c->timeout_s,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(32 * 1024),
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, h,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, h,
        MHD_OPTION_LISTEN_BACKLOG_SIZE, 256u,
        MHD_OPTION_END);
    if (h->daemon == NULL) {
        free(h);
        return tsa_fail(VBSIG_E_UNAVAILABLE, _("cannot listen on %s (address in use or not ours?)"),
                          c->listen);
    }
    *out = h;
    return VBSIG_OK;
}

void tsa_http_drain(tsa_http *h) { atomic_store(&h->draining, 1); }

unsigned tsa_http_in_flight(tsa_http *h) { return atomic_load(&h->in_flight); }

void tsa_http_stop(tsa_http *h)
{
    if (h == NULL)
        return;
    atomic_store(&h->stopping, 1);
    MHD_socket listener = MHD_quiesce_daemon(h->daemon);
    if (listener != MHD_INVALID_SOCKET)
        close(listener);
    /* Requests already handed to workers finish: signed, journaled, sent. */
    unsigned waited_ms = 0;
    while (atomic_load(&h->in_flight) > 0) {
        struct timespec tick = { 0, 10 * 1000 * 1000 };
        nanosleep(&tick, NULL);
        waited_ms += 10;
        if (waited_ms % 5000 == 0)
            tsa_log("warning", "shutdown-waiting", "in_flight=%u", atomic_load(&h->in_flight));
    }
    MHD_stop_daemon(h->daemon);
    free(h);
}
