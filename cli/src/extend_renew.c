/* vbsig extend FILE… --level B-LTA --renew-within DAYS [--jobs N]: an
 * e-archive's renewal in one process. The library's verification pool
 * decides per file and extends only what is due; this file names the
 * outputs, prints one line per file and keeps the worst exit code. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

typedef struct renew_state {
    const cli_renew_args *a;
    size_t renewed, unchanged, errors;
    int worst;
} renew_state;

/* ISO 8601 with the offset the reports use: Vietnam time unless --utc. */
static void format_time(time_t t, int utc, char out[32])
{
    struct tm tm;
    time_t shown = utc ? t : t + 7 * 3600;
    const char *fmt = utc ? "%Y-%m-%dT%H:%M:%SZ" : "%Y-%m-%dT%H:%M:%S+07:00";
    if (gmtime_r(&shown, &tm) == NULL || strftime(out, 32, fmt, &tm) == 0)
        snprintf(out, 32, "?");
}

static const char *reason_name(vbsig_renewal_reason r)
{
    switch (r) {
    case VBSIG_RENEWAL_NO_ARCHIVE: return "no-archive-timestamp";
    case VBSIG_RENEWAL_TSA_EXPIRES: return "tsa-certificate-expires";
    case VBSIG_RENEWAL_WEAK_ALGORITHM: return "weak-algorithm";
    case VBSIG_RENEWAL_NOT_VALID: return "not-valid";
    case VBSIG_RENEWAL_NOTHING_TO_ARCHIVE: return "nothing-to-archive";
    default: return "not-due";
    }
}

/* Why, for a person: the part in parentheses of the file's line. */
static void why_text(const renew_state *st, const vbsig_verify_result *res, char *out, size_t size)
{
    const vbsig_renewal *d = &res->renewal;
    char when[32];
    format_time(d->expires, st->a->utc, when);
    switch (d->reason) {
    case VBSIG_RENEWAL_NO_ARCHIVE:
        snprintf(out, size, _("signature %zu has no archive timestamp yet: extended to B-LTA"), d->signature + 1);
        break;
    case VBSIG_RENEWAL_TSA_EXPIRES:
        snprintf(out, size, _("the newest archive timestamp's TSA certificate expires %s, within %lld days"), when,
                 st->a->days);
        break;
    case VBSIG_RENEWAL_WEAK_ALGORITHM:
        snprintf(out, size,
                 _("the newest archive timestamp of signature %zu uses an algorithm or key that is no longer acceptable"),
                 d->signature + 1);
        break;
    case VBSIG_RENEWAL_NOT_VALID:
        snprintf(out, size, _("the file is %s: a new archive timestamp would not restore its proof"),
                 res->report != NULL ? vbsig_indication_name(vbsig_report_indication(res->report)) : "?");
        break;
    case VBSIG_RENEWAL_NOTHING_TO_ARCHIVE:
        snprintf(out, size, "%s", _("it holds no signature an archive timestamp could protect"));
        break;
    default:
        snprintf(out, size, _("the newest archive timestamp's TSA certificate expires %s, after %lld days"), when,
                 st->a->days);
    }
}

static void json_time(time_t t, int utc)
{
    char buf[32];
    if (t == 0) {
        fputs("null", stdout);
        return;
    }
    format_time(t, utc, buf);
    printf("\"%s\"", buf);
}

static void json_line(const renew_state *st, const vbsig_verify_result *res, const char *action, const char *why)
{
    fputs("{\"file\":", stdout);
    cli_json_string(res->path, stdout);
    printf(",\"action\":\"%s\",\"output\":", action);
    if (res->renewed)
        cli_json_string(res->out_path, stdout);
    else
        fputs("null", stdout);
    printf(",\"reason\":\"%s\",\"renew_within_days\":%lld", reason_name(res->renewal.reason), st->a->days);
    printf(",\"signature\":%zu,\"archive_time\":", res->renewal.signature);
    json_time(res->renewal.archive_time, st->a->utc);
    fputs(",\"tsa_not_after\":", stdout);
    json_time(res->renewal.expires, st->a->utc);
    fputs(",\"message\":", stdout);
    cli_json_string(why, stdout);
    if (res->status != VBSIG_OK) {
        printf(",\"error\":{\"status\":\"%s\",\"message\":", vbsig_status_name(res->status));
        cli_json_string(res->error, stdout);
        fputc('}', stdout);
    }
    vbsig_buf rep = {0};
    vbsig_report_render_opts ro;
    vbsig_report_render_opts_init(&ro);
    ro.utc = st->a->utc;
    if (res->report != NULL && vbsig_report_to_json(res->report, &ro, &rep) == VBSIG_OK) {
        fputs(",\"report\":", stdout);
        fwrite(rep.data, 1, rep.len, stdout);
    }
    vbsig_buf_free(&rep);
    fputs("}\n", stdout);
}

static int verdict_code(const vbsig_report *r)
{
    vbsig_indication ind = vbsig_report_indication(r);
    return ind == VBSIG_TOTAL_PASSED ? EXIT_PASSED : ind == VBSIG_INDETERMINATE ? EXIT_INDETERMINATE : EXIT_FAILED;
}

static int print_one(void *user, const vbsig_verify_result *res)
{
    renew_state *st = user;
    char why[600];
    why_text(st, res, why, sizeof why);
    int code = EXIT_PASSED;
    const char *action;
    if (res->status != VBSIG_OK) {
        action = "error";
        st->errors++;
        code = cli_exit_for_status(res->status);
        const char *msg = res->error[0] ? res->error : vbsig_status_name(res->status);
        if (res->renewed)
            fprintf(stderr, _("vbsig: %s: renewed into %s, which then could not be verified: %s\n"), res->path,
                    res->out_path, msg);
        else if (strncmp(msg, res->path, strlen(res->path)) == 0)
            fprintf(stderr, "vbsig: %s\n", msg);
        else
            fprintf(stderr, "vbsig: %s: %s\n", res->path, msg);
    } else if (res->renewed) {
        action = "renewed";
        st->renewed++;
        code = verdict_code(res->report);
        if (!st->a->json)
            printf(_("%s: renewed into %s (%s)\n"), res->path, res->out_path, why);
        if (code != EXIT_PASSED)
            fprintf(stderr, _("vbsig: %s: the renewed file %s is %s\n"), res->path, res->out_path,
                    vbsig_indication_name(vbsig_report_indication(res->report)));
    } else {
        action = "unchanged";
        st->unchanged++;
        if (res->renewal.reason == VBSIG_RENEWAL_NOT_VALID && res->report != NULL) {
            code = verdict_code(res->report);
            fprintf(stderr, _("vbsig: %s: %s: not renewed\n"), res->path,
                    vbsig_indication_name(vbsig_report_indication(res->report)));
        }
        if (!st->a->json)
            printf(_("%s: unchanged (%s)\n"), res->path, why);
    }
    if (st->a->json)
        json_line(st, res, action, why);
    fflush(stdout);
    if (cli_exit_rank(code) > cli_exit_rank(st->worst))
        st->worst = code;
    return 0;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash != NULL ? slash + 1 : path;
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* The outputs: -o for the one input, else DIR/<input's name>. Two inputs
 * of the same name would share an output: refused before anything runs. */
static int output_names(const cli_renew_args *a, char **outs)
{
    for (int i = 0; i < a->count; i++) {
        if (a->out_dir == NULL) {
            outs[i] = strdup(a->output);
        } else {
            size_t len = strlen(a->out_dir) + strlen(base_name(a->inputs[i])) + 2;
            if ((outs[i] = malloc(len)) != NULL)
                snprintf(outs[i], len, "%s/%s", a->out_dir, base_name(a->inputs[i]));
        }
        if (outs[i] == NULL)
            return EXIT_SOFTWARE;
    }
    char **sorted = malloc((size_t)a->count * sizeof *sorted);
    if (sorted == NULL)
        return EXIT_SOFTWARE;
    memcpy(sorted, outs, (size_t)a->count * sizeof *sorted);
    qsort(sorted, (size_t)a->count, sizeof *sorted, cmp_str);
    int code = 0;
    for (int i = 1; code == 0 && i < a->count; i++)
        if (strcmp(sorted[i - 1], sorted[i]) == 0)
            code = cli_usage_error("extend", _("two inputs would both be renewed into %s; rename one"), sorted[i]);
    free(sorted);
    return code;
}

int cli_extend_renew(vbsig_ctx *ctx, const vbsig_tsp_opts *tsp, const cli_renew_args *a)
{
    char **outs = calloc((size_t)a->count, sizeof *outs);
    int code = outs != NULL ? output_names(a, outs) : EXIT_SOFTWARE;
    for (int i = 0; code == 0 && i < a->count; i++)
        code = cli_refuse_same_file("extend", outs[i], a->inputs[i], NULL);
    vbsig_verify_pool *pool = NULL;
    vbsig_renew_opts ro;
    vbsig_renew_opts_init(&ro);
    ro.tsp = tsp;
    ro.within_seconds = a->days * 86400;
    /* One moment for every file, so that the run's verdicts agree. */
    ro.now = time(NULL);
    int rc = VBSIG_OK;
    if (code == 0 && ((rc = vbsig_verify_pool_new(&pool, ctx, a->jobs)) != VBSIG_OK ||
                      (rc = vbsig_verify_pool_set_renewal(pool, &ro)) != VBSIG_OK))
        code = cli_fail(rc, "extend");
    for (int i = 0; code == 0 && i < a->count; i++)
        if ((rc = vbsig_verify_pool_add_renewal(pool, a->inputs[i], outs[i])) != VBSIG_OK)
            code = cli_fail(rc, a->inputs[i]);
    renew_state st = {a, 0, 0, 0, EXIT_PASSED};
    if (code == 0 && (rc = vbsig_verify_pool_run(pool, print_one, &st)) != VBSIG_OK)
        code = cli_fail(rc, "extend");
    vbsig_verify_pool_free(pool);
    for (int i = 0; outs != NULL && i < a->count; i++)
        free(outs[i]);
    free(outs);
    if (code != 0)
        return code;
    fprintf(stderr, _("vbsig: %zu files: %zu renewed, %zu unchanged, %zu not renewed (errors)\n"),
            (size_t)a->count, st.renewed, st.unchanged, st.errors);
    return st.worst;
}
