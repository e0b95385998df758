/* The clock's verdict from one kernel reading, apart from the system call
 * so that every case can be tested without touching the machine's clock. */
#include <sys/timex.h>

#include "tsa.h"

tsa_clock_state tsa_clock_judge(const tsa_clock_reading *r, long bound_us)
{
    if (r->rc == TIME_OOP)
        return TSA_CLOCK_LEAP;
    if (r->rc == -1 || r->rc == TIME_ERROR || (r->status & STA_UNSYNC))
        return TSA_CLOCK_UNSYNCED;
    /* esterror is the kernel's estimate; maxerror its worst case, growing by
     * the frequency tolerance between two updates from the time daemon: a
     * daemon that stopped updating shows here before the kernel gives up on
     * it (16 s maxerror sets STA_UNSYNC). Either above the bound means a
     * genTime that may be further from UTC than the token declares. */
    if (r->esterror_us > bound_us || r->maxerror_us > bound_us)
        return TSA_CLOCK_INACCURATE;
    return TSA_CLOCK_SYNCED;
}
