/* The TSA options shared by `sign --level B-T` and `timestamp`. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void cli_tsa_args_init(cli_tsa_args *a, int argc)
{
    memset(a, 0, sizeof *a);
    a->urls = calloc((size_t)argc + 1, sizeof *a->urls);
    a->timeout_s = -1;
    a->retries = -1;
}

void cli_tsa_args_free(cli_tsa_args *a)
{
    free(a->urls);
    a->urls = NULL;
}

static long parse_number(const char *s, long max)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < 0 || v > max)
        return -1;
    return v;
}

int cli_tsa_option(cli_tsa_args *a, int c, const char *arg, const char *cmd)
{
    switch (c) {
    case CLI_OPT_TSA:
        if (a->urls != NULL)
            a->urls[a->count++] = arg;
        return 1;
    case CLI_OPT_TSA_POLICY: a->policy = arg; return 1;
    case CLI_OPT_TSA_USER: a->user = arg; return 1;
    case CLI_OPT_TSA_PASS: a->pass = arg; return 1;
    case CLI_OPT_TSA_CACERT: a->cacert = arg; return 1;
    case CLI_OPT_TSA_TIMEOUT:
        if ((a->timeout_s = parse_number(arg, 600)) <= 0) {
            cli_usage_error(cmd, _("--tsa-timeout takes a number of seconds from 1 to 600, not '%s'"), arg);
            return -1;
        }
        return 1;
    case CLI_OPT_TSA_RETRIES:
        if ((a->retries = (int)parse_number(arg, 10)) < 0) {
            cli_usage_error(cmd, _("--tsa-retries takes a number from 0 to 10, not '%s'"), arg);
            return -1;
        }
        return 1;
    default:
        return 0;
    }
}

void cli_tsa_opts(const cli_tsa_args *a, vbsig_tsp_opts *opts)
{
    vbsig_tsp_opts_init(opts);
    opts->urls = a->urls;
    opts->url_count = a->count;
    opts->policy = a->policy;
    opts->username = a->user;
    opts->password_source = a->pass;
    opts->ca_file = a->cacert;
    if (a->timeout_s > 0)
        opts->timeout_ms = a->timeout_s * 1000;
    if (a->retries >= 0)
        opts->retries = (unsigned)a->retries;
}
