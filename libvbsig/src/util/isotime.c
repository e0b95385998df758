/* ISO 8601 times as shown to users and accepted on the command line.
 * Everything is computed in UTC with explicit offsets, so the process time
 * zone (TZ, /etc/localtime) never changes a result. */
#include <stdio.h>
#include <string.h>

#include "util/util.h"

#define MINUTES_PER_DAY (24 * 60)

/* Returns 0 when the text did not fit in 32 bytes. */
static int format_tm(char buf[32], const struct tm *tm, int offset_minutes)
{
    long long year = (long long)tm->tm_year + 1900;
    char zone[16];
    if (offset_minutes == 0) {
        zone[0] = 'Z';
        zone[1] = '\0';
    } else {
        int a = offset_minutes < 0 ? -offset_minutes : offset_minutes;
        snprintf(zone, sizeof zone, "%c%02d:%02d", offset_minutes < 0 ? '-' : '+', a / 60, a % 60);
    }
    /* Years outside 0000–9999 use ISO 8601's expanded form with a sign. */
    const char *yfmt = (year >= 0 && year <= 9999) ? "%04lld-%02d-%02dT%02d:%02d:%02d%s"
                                                   : "%+05lld-%02d-%02dT%02d:%02d:%02d%s";
    int r = snprintf(buf, 32, yfmt, year, tm->tm_mon + 1, tm->tm_mday, tm->tm_hour, tm->tm_min, tm->tm_sec, zone);
    return r > 0 && r < 32;
}

void vbsig_time_format(time_t t, int offset_minutes, char buf[32])
{
    /* An impossible offset still gets a correct answer: the same instant
     * in UTC. */
    if (offset_minutes <= -MINUTES_PER_DAY || offset_minutes >= MINUTES_PER_DAY)
        offset_minutes = 0;
    struct tm tm;
    time_t shifted;
    if (offset_minutes != 0 && !__builtin_add_overflow(t, (time_t)offset_minutes * 60, &shifted) &&
        gmtime_r(&shifted, &tm) != NULL && format_tm(buf, &tm, offset_minutes))
        return;
    if (gmtime_r(&t, &tm) != NULL && format_tm(buf, &tm, 0))
        return;
    /* Only for times billions of years away, which no certificate or
     * signature can carry; an empty string cannot be mistaken for a date. */
    buf[0] = '\0';
}

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return (m == 2 && is_leap(y)) ? 29 : days[m - 1];
}

/* Reads exactly `count` ASCII digits; signs and spaces are never digits. */
static int take_digits(const char **p, int count, int *out)
{
    int v = 0;
    for (int i = 0; i < count; i++) {
        char c = (*p)[i];
        if (c < '0' || c > '9')
            return 0;
        v = v * 10 + (c - '0');
    }
    *p += count;
    *out = v;
    return 1;
}

static int take_char(const char **p, char c)
{
    if (**p != c)
        return 0;
    (*p)++;
    return 1;
}

static int bad_time(const char *s, const char *why)
{
    return vbsig_fail(VBSIG_E_INVALID_ARG, _("\"%s\" is not a valid time: %s"), s, why);
}

int vbsig_time_parse(const char *s, time_t *out)
{
    if (s == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("no time was given"));
    const char *syntax = _("expected YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS[.fff]] followed by Z, +HH:MM, -HH:MM, "
                           "+HHMM or nothing (Vietnam time)");
    const char *p = s;
    int year, mon, day, hour = 0, min = 0, sec = 0;
    int offset = VBSIG_TZ_VIETNAM_MINUTES;

    if (!take_digits(&p, 4, &year) || !take_char(&p, '-') || !take_digits(&p, 2, &mon) || !take_char(&p, '-') ||
        !take_digits(&p, 2, &day))
        return bad_time(s, syntax);
    if (*p == 'T') {
        p++;
        if (!take_digits(&p, 2, &hour) || !take_char(&p, ':') || !take_digits(&p, 2, &min))
            return bad_time(s, syntax);
        if (take_char(&p, ':')) {
            if (!take_digits(&p, 2, &sec))
                return bad_time(s, syntax);
            if (take_char(&p, '.')) {
                /* Fractions are accepted for compatibility and dropped:
                 * time_t has whole seconds. */
                int n = 0;
                while (*p >= '0' && *p <= '9' && n < 10) {
                    p++;
                    n++;
                }
                if (n == 0 || n > 9)
                    return bad_time(s, syntax);
            }
        }
        if (*p == 'Z') {
            p++;
            offset = 0;
        } else if (*p == '+' || *p == '-') {
            int sign = *p == '-' ? -1 : 1;
            int oh, om;
            p++;
            if (!take_digits(&p, 2, &oh))
                return bad_time(s, syntax);
            take_char(&p, ':');
            if (!take_digits(&p, 2, &om))
                return bad_time(s, syntax);
            if (oh > 23 || om > 59)
                return bad_time(s, _("the UTC offset is out of range"));
            offset = sign * (oh * 60 + om);
        }
    }
    if (*p != '\0')
        return bad_time(s, syntax);

    if (mon < 1 || mon > 12)
        return bad_time(s, _("the month is out of range"));
    if (day < 1 || day > days_in_month(year, mon))
        return bad_time(s, _("the month has no such day"));
    if (hour > 23)
        return bad_time(s, _("the hour is out of range"));
    if (min > 59)
        return bad_time(s, _("the minute is out of range"));
    if (sec > 59)
        return bad_time(s, _("the second is out of range"));

    /* With every field range-checked, -1 from timegm is either the genuine
     * instant 1969-12-31T23:59:59Z or a year that time_t cannot hold. */
    time_t t = vbsig_time_from_utc_fields(year, mon, day, hour, min, sec);
    if (t == (time_t)-1 && !(year == 1969 && mon == 12 && day == 31 && hour == 23 && min == 59 && sec == 59))
        return bad_time(s, _("the year is out of the supported range"));
    time_t r;
    if (__builtin_sub_overflow(t, (time_t)offset * 60, &r))
        return bad_time(s, _("the year is out of the supported range"));
    *out = r;
    return VBSIG_OK;
}

time_t vbsig_time_from_utc_fields(int year, int mon, int day, int hour, int min, int sec)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    tm.tm_year = year - 1900;
    tm.tm_mon = mon - 1;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = min;
    tm.tm_sec = sec;
    return timegm(&tm);
}
