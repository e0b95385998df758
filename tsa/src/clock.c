/* Is the system clock good enough to put in a token? The kernel knows
 * whether NTP (or PTP) keeps it synchronised and how large its error is. */
#include <stdatomic.h>
#include <sys/timex.h>

#include "tsa.h"

static unsigned clock_accuracy_ms = 1000;
static int clock_allow_unsynced;
static atomic_int clock_last_state = -1;

void tsa_clock_init(unsigned accuracy_ms, int allow_unsynced)
{
    clock_accuracy_ms = accuracy_ms;
    clock_allow_unsynced = allow_unsynced;
}

const char *tsa_clock_state_name(tsa_clock_state s)
{
    switch (s) {
    case TSA_CLOCK_SYNCED: return "synchronised";
    case TSA_CLOCK_UNSYNCED: return "unsynchronised";
    case TSA_CLOCK_INACCURATE: return "error-above-accuracy";
    case TSA_CLOCK_LEAP: return "leap-second";
    }
    return "unknown";
}

int tsa_clock_usable(tsa_clock_state s)
{
    if (s == TSA_CLOCK_SYNCED)
        return 1;
    return clock_allow_unsynced && s != TSA_CLOCK_LEAP;
}

tsa_clock_state tsa_clock_check(long *esterror_us, long *offset_us)
{
    struct timex tx = { 0 }; /* modes 0: read only */
    int rc = ntp_adjtime(&tx);
    tsa_clock_state s;
    if (rc == TIME_OOP)
        s = TSA_CLOCK_LEAP;
    else if (rc == -1 || rc == TIME_ERROR || (tx.status & STA_UNSYNC))
        s = TSA_CLOCK_UNSYNCED;
    else if (tx.esterror > (long)clock_accuracy_ms * 1000L)
        s = TSA_CLOCK_INACCURATE;
    else
        s = TSA_CLOCK_SYNCED;
    if (esterror_us != NULL)
        *esterror_us = tx.esterror;
    if (offset_us != NULL)
        /* STA_NANO means the offset is in nanoseconds. */
        *offset_us = (tx.status & STA_NANO) ? tx.offset / 1000 : tx.offset;

    int before = atomic_exchange(&clock_last_state, (int)s);
    if (before != (int)s) {
        int usable = tsa_clock_usable(s);
        if (s == TSA_CLOCK_SYNCED)
            tsa_log("info", "clock-sync", "state=%s esterror_us=%ld", tsa_clock_state_name(s),
                    (long)tx.esterror);
        else
            tsa_log(usable ? "warning" : "error", "clock-sync-lost",
                    "state=%s esterror_us=%ld accuracy_ms=%u issuing=%s", tsa_clock_state_name(s),
                    (long)tx.esterror, clock_accuracy_ms,
                    usable ? "allowed-by-allow-unsynced-clock" : "refused-timeNotAvailable");
    }
    return s;
}
