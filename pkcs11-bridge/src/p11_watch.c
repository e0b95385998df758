/* Reader and card events from pcsc-lite: SCardGetStatusChange on every
 * reader plus the "\\?PnP?\Notification" pseudo-reader for hot-plugging. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "p11.h"
#include "p11_dl.h"

#define WATCH_MAX_READERS 32
#define WATCH_READERS_BUF 8192
#define WATCH_TICK_MS 500

/* pcsc-lite is loaded by vbsig_pkcs11_watch_readers before its first call
 * (p11_dl_pcsc.c); after that PCSC is its loaded function table. */
#define PCSC (p11_pcsc())

static const char PNP_READER[] = "\\\\?PnP?\\Notification";

typedef struct watch_state {
    SCARD_READERSTATE rs[WATCH_MAX_READERS + 1]; /* [0] = PnP */
    char names[WATCH_MAX_READERS][256];
    int present[WATCH_MAX_READERS];
    size_t n;
} watch_state;

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void atr_hex(const SCARD_READERSTATE *r, char *out, size_t size)
{
    out[0] = '\0';
    for (DWORD i = 0; i < r->cbAtr && 2 * i + 2 < size; i++)
        snprintf(out + 2 * i, 3, "%02X", r->rgbAtr[i]);
}

/* Reader names longer than a buffer are cut: only used to tell readers apart. */
static void copy_name(char dst[256], const char *src)
{
    size_t n = strnlen(src, 255);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* Re-reads the reader list; reports readers that came and went. */
static int refresh_readers(SCARDCONTEXT ctx, watch_state *w, vbsig_reader_event_cb cb, void *data, int *stop)
{
    char buf[WATCH_READERS_BUF];
    DWORD len = sizeof buf;
    LONG r = PCSC->list_readers(ctx, NULL, buf, &len);
    if (r == SCARD_E_NO_READERS_AVAILABLE)
        len = 0;
    else if (r != SCARD_S_SUCCESS)
        return p11_fail(VBSIG_E_UNAVAILABLE, _("cannot list smart-card readers: %s"), PCSC->stringify_error(r));
    char seen[WATCH_MAX_READERS][256];
    size_t n = 0;
    for (const char *p = buf; len > 0 && *p != '\0' && n < WATCH_MAX_READERS; p += strlen(p) + 1)
        copy_name(seen[n++], p);
    watch_state next;
    memset(&next, 0, sizeof next);
    for (size_t i = 0; i < n; i++) {
        copy_name(next.names[i], seen[i]);
        int known = 0;
        for (size_t j = 0; j < w->n; j++) {
            if (strcmp(w->names[j], seen[i]) == 0) {
                next.rs[i + 1].dwCurrentState = w->rs[j + 1].dwCurrentState;
                next.present[i] = w->present[j];
                known = 1;
            }
        }
        if (!known && !*stop)
            *stop = cb(data, VBSIG_READER_ADDED, seen[i], NULL);
    }
    for (size_t j = 0; j < w->n && !*stop; j++) {
        int still = 0;
        for (size_t i = 0; i < n; i++)
            still |= strcmp(w->names[j], seen[i]) == 0;
        if (!still) {
            if (w->present[j] && !*stop)
                *stop = cb(data, VBSIG_CARD_REMOVED, w->names[j], NULL);
            if (!*stop)
                *stop = cb(data, VBSIG_READER_REMOVED, w->names[j], NULL);
        }
    }
    next.n = n;
    next.rs[0] = w->rs[0];
    *w = next;
    for (size_t i = 0; i < n; i++)
        w->rs[i + 1].szReader = w->names[i];
    w->rs[0].szReader = PNP_READER;
    return VBSIG_OK;
}

static void report_changes(watch_state *w, vbsig_reader_event_cb cb, void *data, int *stop)
{
    for (size_t i = 0; i < w->n && !*stop; i++) {
        SCARD_READERSTATE *r = &w->rs[i + 1];
        int present = (r->dwEventState & SCARD_STATE_PRESENT) != 0;
        if (present != w->present[i]) {
            char atr[2 * MAX_ATR_SIZE + 1];
            atr_hex(r, atr, sizeof atr);
            *stop = cb(data, present ? VBSIG_CARD_INSERTED : VBSIG_CARD_REMOVED, w->names[i], present ? atr : NULL);
            w->present[i] = present;
        }
        r->dwCurrentState = r->dwEventState & ~(DWORD)SCARD_STATE_CHANGED;
    }
}

int vbsig_pkcs11_watch_readers(vbsig_reader_event_cb cb, void *data, unsigned timeout_ms)
{
    if (cb == NULL)
        return p11_fail(VBSIG_E_INVALID_ARG, _("%s: the argument '%s' is NULL"), __func__, "cb");
    if (p11_pcsc() == NULL)
        return VBSIG_E_UNAVAILABLE;
    SCARDCONTEXT ctx;
    LONG r = PCSC->establish_context(SCARD_SCOPE_SYSTEM, NULL, NULL, &ctx);
    if (r != SCARD_S_SUCCESS)
        return p11_fail(VBSIG_E_UNAVAILABLE, _("cannot reach the smart-card service (is pcscd running?): %s"),
                        PCSC->stringify_error(r));
    watch_state *w = calloc(1, sizeof *w);
    if (w == NULL) {
        PCSC->release_context(ctx);
        return p11_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    w->rs[0].szReader = PNP_READER;
    int stop = 0;
    int rc = refresh_readers(ctx, w, cb, data, &stop);
    long deadline = timeout_ms > 0 ? now_ms() + (long)timeout_ms : 0;
    while (rc == VBSIG_OK && !stop) {
        long wait = WATCH_TICK_MS;
        if (deadline != 0) {
            long left = deadline - now_ms();
            if (left <= 0)
                break;
            wait = left < wait ? left : wait;
        }
        r = PCSC->get_status_change(ctx, (DWORD)wait, w->rs, (DWORD)w->n + 1);
        if (r == SCARD_E_TIMEOUT)
            continue;
        if (r != SCARD_S_SUCCESS && r != SCARD_E_UNKNOWN_READER) {
            rc = p11_fail(VBSIG_E_UNAVAILABLE, _("the smart-card service stopped answering: %s"), PCSC->stringify_error(r));
            break;
        }
        report_changes(w, cb, data, &stop);
        if (!stop && (r == SCARD_E_UNKNOWN_READER || (w->rs[0].dwEventState & SCARD_STATE_CHANGED))) {
            w->rs[0].dwCurrentState = w->rs[0].dwEventState & ~(DWORD)SCARD_STATE_CHANGED;
            rc = refresh_readers(ctx, w, cb, data, &stop);
        }
    }
    free(w);
    PCSC->release_context(ctx);
    return rc;
}
