/* Counters for Prometheus: requests by outcome, rejections by reason, and a
 * latency histogram from request received to reply queued. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tsa.h"

static const double bucket_bounds[] = { 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5 };
#define N_BUCKETS (sizeof bucket_bounds / sizeof bucket_bounds[0])

static const char *const outcome_names[TSA_OUT_COUNT] = { "granted", "rejection", "overload",
                                                          "bad_http" };
static const char *const failure_names[] = { "badAlg", "badRequest", "badDataFormat",
                                             "timeNotAvailable", "unacceptedPolicy",
                                             "unacceptedExtension", "addInfoNotAvailable",
                                             "systemFailure" };
#define N_FAILURES (sizeof failure_names / sizeof failure_names[0])

static atomic_ullong outcome_count[TSA_OUT_COUNT];
static atomic_ullong failure_count[N_FAILURES];
static atomic_ullong bucket_count[N_BUCKETS + 1]; /* the last one is +Inf */
static atomic_ullong latency_micros_sum;

void tsa_metrics_count(tsa_outcome o, double seconds)
{
    atomic_fetch_add(&outcome_count[o], 1);
    size_t b = 0;
    while (b < N_BUCKETS && seconds > bucket_bounds[b])
        b++;
    atomic_fetch_add(&bucket_count[b], 1);
    atomic_fetch_add(&latency_micros_sum, (unsigned long long)(seconds * 1e6));
}

void tsa_metrics_failure(const char *failure)
{
    for (size_t i = 0; i < N_FAILURES; i++)
        if (strstr(failure, failure_names[i]) != NULL)
            atomic_fetch_add(&failure_count[i], 1);
}

char *tsa_metrics_render(const tsa_key_report *key, unsigned in_flight, int draining)
{
    tsa_text b;
    tsa_text_init(&b);
    int rc = tsa_text_printf(&b,
                             "# HELP vbsig_tsa_requests_in_flight Requests accepted whose reply has not gone out.\n"
                             "# TYPE vbsig_tsa_requests_in_flight gauge\n"
                             "vbsig_tsa_requests_in_flight %u\n"
                             "# HELP vbsig_tsa_draining 1 while draining for a restart (new requests get 503).\n"
                             "# TYPE vbsig_tsa_draining gauge\n"
                             "vbsig_tsa_draining %d\n",
                             in_flight, draining != 0);
    if (rc == VBSIG_OK)
        rc = tsa_text_append_str(&b, "# HELP vbsig_tsa_requests_total Timestamp requests by outcome.\n"
                                        "# TYPE vbsig_tsa_requests_total counter\n");
    for (int o = 0; rc == VBSIG_OK && o < TSA_OUT_COUNT; o++)
        rc = tsa_text_printf(&b, "vbsig_tsa_requests_total{outcome=\"%s\"} %llu\n",
                                outcome_names[o], atomic_load(&outcome_count[o]));
    if (rc == VBSIG_OK)
        rc = tsa_text_append_str(&b, "# HELP vbsig_tsa_rejections_total Rejections by PKIFailureInfo.\n"
                                        "# TYPE vbsig_tsa_rejections_total counter\n");
    for (size_t i = 0; rc == VBSIG_OK && i < N_FAILURES; i++)
        rc = tsa_text_printf(&b, "vbsig_tsa_rejections_total{failure=\"%s\"} %llu\n",
                                failure_names[i], atomic_load(&failure_count[i]));
    if (rc == VBSIG_OK)
        rc = tsa_text_append_str(&b, "# HELP vbsig_tsa_request_seconds Time from request received to reply.\n"
                                        "# TYPE vbsig_tsa_request_seconds histogram\n");
    unsigned long long cumulative = 0;
    for (size_t i = 0; rc == VBSIG_OK && i <= N_BUCKETS; i++) {
        cumulative += atomic_load(&bucket_count[i]);
        if (i < N_BUCKETS)
            rc = tsa_text_printf(&b, "vbsig_tsa_request_seconds_bucket{le=\"%g\"} %llu\n",
                                    bucket_bounds[i], cumulative);
        else
            rc = tsa_text_printf(&b, "vbsig_tsa_request_seconds_bucket{le=\"+Inf\"} %llu\n",
                                    cumulative);
    }
    if (rc == VBSIG_OK)
        rc = tsa_text_printf(&b, "vbsig_tsa_request_seconds_sum %.6f\nvbsig_tsa_request_seconds_count %llu\n",
                                (double)atomic_load(&latency_micros_sum) / 1e6, cumulative);
    tsa_clock_reading clk;
    tsa_clock_state s = tsa_clock_check(&clk);
    if (rc == VBSIG_OK)
        rc = tsa_text_printf(&b,
                                "# HELP vbsig_tsa_clock_synchronised 1 when the kernel reports a synchronised clock.\n"
                                "# TYPE vbsig_tsa_clock_synchronised gauge\n"
                                "vbsig_tsa_clock_synchronised %d\n"
                                "# HELP vbsig_tsa_clock_usable 1 when tokens may be issued with this clock.\n"
                                "# TYPE vbsig_tsa_clock_usable gauge\n"
                                "vbsig_tsa_clock_usable %d\n"
                                "# HELP vbsig_tsa_clock_offset_seconds Offset the kernel reports from its time source.\n"
                                "# TYPE vbsig_tsa_clock_offset_seconds gauge\n"
                                "vbsig_tsa_clock_offset_seconds %.6f\n"
                                "# HELP vbsig_tsa_clock_esterror_seconds Estimated clock error the kernel reports.\n"
                                "# TYPE vbsig_tsa_clock_esterror_seconds gauge\n"
                                "vbsig_tsa_clock_esterror_seconds %.6f\n"
                                "# HELP vbsig_tsa_clock_maxerror_seconds Maximum clock error the kernel reports.\n"
                                "# TYPE vbsig_tsa_clock_maxerror_seconds gauge\n"
                                "vbsig_tsa_clock_maxerror_seconds %.6f\n"
                                "# HELP vbsig_tsa_clock_max_error_seconds The bound on both errors (max-clock-error).\n"
                                "# TYPE vbsig_tsa_clock_max_error_seconds gauge\n"
                                "vbsig_tsa_clock_max_error_seconds %.3f\n",
                                s == TSA_CLOCK_SYNCED, tsa_clock_usable(s), (double)clk.offset_us / 1e6,
                                (double)clk.esterror_us / 1e6, (double)clk.maxerror_us / 1e6,
                                (double)tsa_clock_bound_ms() / 1e3);
    if (rc == VBSIG_OK && key != NULL) {
        rc = tsa_text_printf(&b,
                                "# HELP vbsig_tsa_key_healthy 1 when the signing key signs (/health \"key\" is \"ok\").\n"
                                "# TYPE vbsig_tsa_key_healthy gauge\n"
                                "vbsig_tsa_key_healthy %d\n"
                                "# HELP vbsig_tsa_key_state The key's state as /health names it (1 for the current one).\n"
                                "# TYPE vbsig_tsa_key_state gauge\n",
                                key->state == TSA_KEY_OK);
        static const tsa_key_state states[] = { TSA_KEY_OK, TSA_KEY_CERT_NOT_VALID,
                                                TSA_KEY_SIGNING_FAILED, TSA_KEY_NOT_RESPONDING };
        for (size_t i = 0; rc == VBSIG_OK && i < sizeof states / sizeof states[0]; i++)
            rc = tsa_text_printf(&b, "vbsig_tsa_key_state{state=\"%s\"} %d\n",
                                    tsa_key_state_name(states[i]), key->state == states[i]);
        if (rc == VBSIG_OK)
            rc = tsa_text_printf(&b,
                                    "# HELP vbsig_tsa_key_probes_total Test signatures made by the key prober.\n"
                                    "# TYPE vbsig_tsa_key_probes_total counter\n"
                                    "vbsig_tsa_key_probes_total %llu\n"
                                    "# HELP vbsig_tsa_key_probe_failures_total Test signatures that failed or did not verify.\n"
                                    "# TYPE vbsig_tsa_key_probe_failures_total counter\n"
                                    "vbsig_tsa_key_probe_failures_total %llu\n",
                                    key->probes, key->failed_probes);
    }
    if (rc == VBSIG_OK)
        rc = tsa_text_append(&b, "", 1);
    if (rc != VBSIG_OK) {
        tsa_text_free(&b);
        return NULL;
    }
    return (char *)b.data;
}
