/* vbsig verify FILE|DIR… [-r] [--jobs N]: an inbox in one process, through
 * the library's verification pool. One report per file in the order given
 * (directories in name order), a summary line, the worst verdict as the
 * exit status. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

typedef struct bulk_state {
    int json, utc, progress;
    size_t total, done;
    size_t passed, failed, indeterminate, errors;
    int worst;
} bulk_state;

/* Worse verdicts rank higher: passed, indeterminate, failed, then errors. */
int cli_exit_rank(int code)
{
    switch (code) {
    case EXIT_PASSED: return 0;
    case EXIT_INDETERMINATE: return 1;
    case EXIT_FAILED: return 2;
    default: return 3 + code;
    }
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds the regular files in dir (sorted), and with recursive those of its
 * subdirectories; symbolic links to directories are not followed, so a
 * link cycle cannot make the walk endless. */
static int add_dir(vbsig_verify_pool *pool, const char *dir, int recursive, int depth)
{
    if (depth > 64) {
        fprintf(stderr, _("vbsig: %s: directories nested too deep\n"), dir);
        return EXIT_DATAERR;
    }
    DIR *d = opendir(dir);
    if (d == NULL) {
        fprintf(stderr, "vbsig: %s: %s\n", dir, strerror(errno));
        return EXIT_NOINPUT;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    int code = 0;
    struct dirent *e;
    while (code == 0 && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue; /* ., .. and hidden files such as editors' backups */
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **grown = realloc(names, cap * sizeof *names);
            if (grown == NULL) {
                code = EXIT_SOFTWARE;
                break;
            }
            names = grown;
        }
        size_t len = strlen(dir) + strlen(e->d_name) + 2;
        if ((names[n] = malloc(len)) == NULL) {
            code = EXIT_SOFTWARE;
            break;
        }
        snprintf(names[n++], len, "%s/%s", dir, e->d_name);
    }
    closedir(d);
    if (n > 0)
        qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (code == 0 && lstat(names[i], &st) == 0) {
            if (S_ISREG(st.st_mode) && vbsig_verify_pool_add(pool, names[i]) != VBSIG_OK)
                code = cli_fail(VBSIG_E_LIMIT, names[i]);
            else if (S_ISDIR(st.st_mode) && recursive)
                code = add_dir(pool, names[i], recursive, depth + 1);
        }
        free(names[i]);
    }
    free(names);
    return code;
}

/* A JSON string for text that may not be UTF-8: bytes that do not form
 * UTF-8 become U+FFFD, as the report does with file names. */
void cli_json_string(const char *s, FILE *out)
{
    const unsigned char *p = (const unsigned char *)s;
    fputc('"', out);
    while (*p) {
        unsigned char c = *p;
        size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        size_t ok = len;
        for (size_t k = 1; k < len && ok; k++)
            if ((p[k] & 0xC0) != 0x80)
                ok = 0;
        if (len == 0 || ok == 0) {
            fputs("\\ufffd", out);
            p++;
        } else if (len > 1) {
            fwrite(p, 1, len, out);
            p += len;
        } else {
            if (c == '"' || c == '\\')
                fprintf(out, "\\%c", c);
            else if (c < 0x20)
                fprintf(out, "\\u%04x", c);
            else
                fputc(c, out);
            p++;
        }
    }
    fputc('"', out);
}

static void clear_progress(const bulk_state *st)
{
    if (st->progress)
        fputs("\r\033[K", stderr);
}

static void show_progress(const bulk_state *st)
{
    if (!st->progress)
        return;
    int width = 30, filled = (int)(st->total ? st->done * (size_t)width / st->total : 0);
    fprintf(stderr, "\r[%.*s%*s] %zu/%zu", filled, "##############################", width - filled, "", st->done,
            st->total);
    fflush(stderr);
}

/* The contract's one stderr line for a file that did not pass. */
static void verdict_line(const vbsig_verify_result *res, vbsig_indication ind)
{
    const vbsig_report *r = res->report;
    size_t n = vbsig_report_signature_count(r), i = 0;
    while (i < n && vbsig_report_signature_indication(r, i) != ind)
        i++;
    if (n == 0 || i == n) {
        fprintf(stderr, _("vbsig: %s: %s: no signature found\n"), res->path, vbsig_indication_name(ind));
    } else {
        const char *sub = vbsig_report_signature_subindication(r, i);
        fprintf(stderr, _("vbsig: %s: %s: signature %zu of %zu: %s\n"), res->path, vbsig_indication_name(ind), i + 1,
                n, sub != NULL ? sub : vbsig_indication_name(ind));
    }
}

static int print_one(void *user, const vbsig_verify_result *res)
{
    bulk_state *st = user;
    int code;
    clear_progress(st);
    if (res->status != VBSIG_OK) {
        st->errors++;
        code = cli_exit_for_status(res->status);
        /* The library's messages name the file already. */
        const char *why = res->error[0] ? res->error : vbsig_status_name(res->status);
        if (strncmp(why, res->path, strlen(res->path)) == 0)
            fprintf(stderr, "vbsig: %s\n", why);
        else
            fprintf(stderr, "vbsig: %s: %s\n", res->path, why);
        if (st->json) {
            fputs("{\"file\":", stdout);
            cli_json_string(res->path, stdout);
            fprintf(stdout, ",\"error\":{\"status\":\"%s\",\"message\":", vbsig_status_name(res->status));
            cli_json_string(res->error, stdout);
            fputs("}}\n", stdout);
        }
    } else {
        vbsig_report_render_opts ro;
        vbsig_report_render_opts_init(&ro);
        ro.utc = st->utc;
        ro.pretty = 0; /* one object per line */
        vbsig_buf out = {0};
        int rc = st->json ? vbsig_report_to_json(res->report, &ro, &out) : vbsig_report_to_text(res->report, &ro, &out);
        if (rc != VBSIG_OK) {
            st->worst = cli_fail(rc, _("cannot render the report"));
            return 1; /* stop: every later report would fail the same way */
        }
        if (!st->json)
            printf("== %s\n", res->path);
        fwrite(out.data, 1, out.len, stdout);
        if (st->json)
            fputc('\n', stdout);
        vbsig_buf_free(&out);
        vbsig_indication ind = vbsig_report_indication(res->report);
        code = ind == VBSIG_TOTAL_PASSED ? EXIT_PASSED : ind == VBSIG_INDETERMINATE ? EXIT_INDETERMINATE : EXIT_FAILED;
        if (ind == VBSIG_TOTAL_PASSED)
            st->passed++;
        else if (ind == VBSIG_INDETERMINATE)
            st->indeterminate++;
        else
            st->failed++;
        if (ind != VBSIG_TOTAL_PASSED)
            verdict_line(res, ind);
    }
    fflush(stdout);
    if (cli_exit_rank(code) > cli_exit_rank(st->worst))
        st->worst = code;
    st->done++;
    show_progress(st);
    return 0;
}

int cli_verify_bulk(vbsig_ctx *ctx, char **args, int count, int recursive, unsigned jobs, int json, int utc)
{
    vbsig_verify_pool *pool = NULL;
    int rc = vbsig_verify_pool_new(&pool, ctx, jobs);
    if (rc != VBSIG_OK)
        return cli_fail(rc, "verify");
    int code = 0;
    for (int i = 0; code == 0 && i < count; i++) {
        struct stat st;
        if (stat(args[i], &st) == 0 && S_ISDIR(st.st_mode))
            code = add_dir(pool, args[i], recursive, 0);
        else if ((rc = vbsig_verify_pool_add(pool, args[i])) != VBSIG_OK)
            code = cli_fail(rc, args[i]);
    }
    bulk_state state = {.json = json, .utc = utc, .worst = EXIT_PASSED};
    state.total = vbsig_verify_pool_count(pool);
    state.progress = isatty(STDERR_FILENO) && state.total > 1;
    if (code == 0 && state.total == 0) {
        fprintf(stderr, _("vbsig: verify: no files to verify\n"));
        code = EXIT_NOINPUT;
    }
    if (code == 0 && (rc = vbsig_verify_pool_run(pool, print_one, &state)) != VBSIG_OK)
        code = cli_fail(rc, "verify");
    vbsig_verify_pool_free(pool);
    if (code != 0)
        return code;
    clear_progress(&state);
    fprintf(stderr, _("vbsig: %zu files: %zu TOTAL-PASSED, %zu INDETERMINATE, %zu TOTAL-FAILED, %zu not verified\n"),
            state.total, state.passed, state.indeterminate, state.failed, state.errors);
    return state.worst;
}
