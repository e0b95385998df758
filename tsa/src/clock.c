/* Is the system clock good enough to put in a token? The kernel knows
 * whether NTP (or PTP) keeps it synchronised and how large its error is. */
#include <stdatomic.h>
#include <string.h>
#include <sys/timex.h>

#include "tsa.h"

static unsigned clock_bound_ms = 1000;
static int clock_allow_unsynced;
static atomic_int clock_last_state = -1;

void tsa_clock_init(unsigned max_error_ms, int allow_unsynced)
{
    clock_bound_ms = max_error_ms;
    clock_allow_unsynced = allow_unsynced;
}

unsigned tsa_clock_bound_ms(void) { return clock_bound_ms; }

const char *tsa_clock_state_name(tsa_clock_state s)
{
    switch (s) {
    case TSA_CLOCK_SYNCED: return "synchronised";
    case TSA_CLOCK_UNSYNCED: return "unsynchronised";
    case TSA_CLOCK_INACCURATE: return "error-above-bound";
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

tsa_clock_state tsa_clock_check(tsa_clock_reading *out)
{
    struct timex tx;
    memset(&tx, 0, sizeof tx); /* modes 0: read only */
    tsa_clock_reading r = { .rc = ntp_adjtime(&tx) };
    r.status = tx.status;
    r.maxerror_us = tx.maxerror;
    r.esterror_us = tx.esterror;
    /* STA_NANO means the offset is in nanoseconds; the errors are always µs. */
    r.offset_us = (tx.status & STA_NANO) ? tx.offset / 1000 : tx.offset;
    tsa_clock_state s = tsa_clock_judge(&r, (long)clock_bound_ms * 1000L);
    if (out != NULL)
        *out = r;

    int before = atomic_exchange(&clock_last_state, (int)s);
    if (before != (int)s) {
        int usable = tsa_clock_usable(s);
        if (s == TSA_CLOCK_SYNCED)
            tsa_log("info", "clock-sync", "state=%s esterror_us=%ld maxerror_us=%ld bound_ms=%u",
                    tsa_clock_state_name(s), r.esterror_us, r.maxerror_us, clock_bound_ms);
        else
            tsa_log(usable ? "warning" : "error", "clock-sync-lost",
                    "state=%s esterror_us=%ld maxerror_us=%ld bound_ms=%u issuing=%s",
                    tsa_clock_state_name(s), r.esterror_us, r.maxerror_us, clock_bound_ms,
                    usable ? "allowed-by-allow-unsynced-clock" : "refused-timeNotAvailable");
    }
    return s;
}
