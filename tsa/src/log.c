/* Structured log lines for operators and log collectors. */
#include <stdarg.h>
#include <stdio.h>
#include <sys/time.h>

#include "tsa.h"

void tsa_log(const char *level, const char *event, const char *fmt, ...)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    gmtime_r(&tv.tv_sec, &tm);
    char when[40];
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);

    /* One locked write per line, so lines from several threads never mix. */
    flockfile(stderr);
    fprintf(stderr, "ts=%s.%03ldZ level=%s event=%s", when, (long)(tv.tv_usec / 1000), level, event);
    if (fmt != NULL) {
        va_list ap;
        va_start(ap, fmt);
        fputc(' ', stderr);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
    }
    fputc('\n', stderr);
    fflush(stderr);
    funlockfile(stderr);
}
