/* vbsig verify: the report on stdout, the verdict in the exit status. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

typedef struct verify_args {
    const char *data, *at, *revocation, *report_etsi, *signed_content;
    const char *file; /* the file verified, for the stderr line */
    cli_valid_args v; /* --trust, --chain, --url-rewrite, --config, ... */
    int json, utc, offline;
    int recursive;     /* -r: directories' subdirectories too */
    const char *jobs;  /* --jobs N: verification threads */
} verify_args;

static int parse_revocation(const char *s, vbsig_revocation_mode *out)
{
    if (strcmp(s, "hard") == 0)
        *out = VBSIG_REVOCATION_HARD;
    else if (strcmp(s, "soft") == 0)
        *out = VBSIG_REVOCATION_SOFT;
    else if (strcmp(s, "off") == 0)
        *out = VBSIG_REVOCATION_OFF;
    else
        return -1;
    return 0;
}

static int print_report(vbsig_report *r, const verify_args *a)
{
    vbsig_report_render_opts ro;
    vbsig_report_render_opts_init(&ro);
    ro.utc = a->utc;
    ro.pretty = 1;
    vbsig_buf out = {0};
    int rc = a->json ? vbsig_report_to_json(r, &ro, &out) : vbsig_report_to_text(r, &ro, &out);
    if (rc != VBSIG_OK)
        return cli_fail(rc, _("cannot render the report"));
    fwrite(out.data, 1, out.len, stdout);
    if (a->json)
        fputc('\n', stdout);
    vbsig_buf_free(&out);
    vbsig_indication ind = vbsig_report_indication(r);
    if (ind != VBSIG_TOTAL_PASSED) {
        /* The contract's one line on stderr: file, verdict, first reason. */
        size_t n = vbsig_report_signature_count(r), i = 0;
        while (i < n && vbsig_report_signature_indication(r, i) != ind)
            i++;
        if (n == 0 || i == n) {
            fprintf(stderr, _("vbsig: %s: %s: no signature found\n"), a->file, vbsig_indication_name(ind));
        } else {
            const char *sub = vbsig_report_signature_subindication(r, i);
            fprintf(stderr, _("vbsig: %s: %s: signature %zu of %zu: %s\n"), a->file, vbsig_indication_name(ind), i + 1, n,
                    sub != NULL ? sub : vbsig_indication_name(ind));
        }
    }
    switch (ind) {
    case VBSIG_TOTAL_PASSED: return EXIT_PASSED;
    case VBSIG_INDETERMINATE: return EXIT_INDETERMINATE;
    default: return EXIT_FAILED;
    }
}

int cmd_verify(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"data", required_argument, NULL, 'd'},       {"at", required_argument, NULL, 'a'},
        {"json", no_argument, NULL, 'j'},             {"utc", no_argument, NULL, 'u'},
        {"lang", required_argument, NULL, 'L'},       {"offline", no_argument, NULL, 'O'},
        {"revocation", required_argument, NULL, 'v'}, {"report-etsi", required_argument, NULL, 'E'},
        {"signed-content", required_argument, NULL, 'S'},
        {"jobs", required_argument, NULL, 'J'},       {"recursive", no_argument, NULL, 'R'},
        CLI_VALID_LONGOPTS,
        {"help", no_argument, NULL, 'h'},             {NULL, 0, NULL, 0}};
    verify_args a = {0};
    if (cli_valid_args_init(&a.v, argc) != 0)
        return EXIT_SOFTWARE;
    int c, code = 0, t;
    optind = 1;
    opterr = 0;
    while (code == 0 && (c = getopt_long(argc, argv, "hr", longopts, NULL)) != -1) {
        if ((t = cli_valid_option(&a.v, c, optarg, "verify")) != 0) {
            code = t < 0 ? EXIT_USAGE : 0;
            continue;
        }
        switch (c) {
        case 'd': a.data = optarg; break;
        case 'a': a.at = optarg; break;
        case 'j': a.json = 1; break;
        case 'u': a.utc = 1; break;
        case 'L': break;
        case 'O': a.offline = 1; break;
        case 'v': a.revocation = optarg; break;
        case 'E': a.report_etsi = optarg; break;
        case 'S': a.signed_content = optarg; break;
        case 'J': a.jobs = optarg; break;
        case 'R':
        case 'r': a.recursive = 1; break;
        case 'h': cli_print_help("verify", stdout); cli_valid_args_free(&a.v); return 0;
        default: code = cli_usage_error("verify", _("unknown or incomplete option '%s'"), argv[optind - 1]);
        }
    }
    vbsig_revocation_mode mode = VBSIG_REVOCATION_HARD;
    time_t at = 0;
    unsigned long jobs = 0;
    char *end = NULL;
    if (code == 0 && a.jobs != NULL &&
        ((jobs = strtoul(a.jobs, &end, 10)) < 1 || jobs > 64 || *end != '\0' || a.jobs[0] == '-'))
        code = cli_usage_error("verify", _("--jobs needs a number of threads from 1 to 64, not '%s'"), a.jobs);
    if (code == 0 && argc - optind < 1)
        code = cli_usage_error("verify", _("give a file to verify"));
    /* Many files, a directory or --jobs: the inbox mode, where the options
     * that name one output per file do not fit. */
    struct stat st;
    int bulk = code == 0 && (argc - optind > 1 || a.jobs != NULL || a.recursive ||
                             (stat(argv[optind], &st) == 0 && S_ISDIR(st.st_mode)));
    if (bulk && (a.data != NULL || a.report_etsi != NULL || a.signed_content != NULL))
        code = cli_usage_error("verify", _("--data, --report-etsi and --signed-content apply to one file; "
                                           "verify the files one at a time"));
    if (code == 0 && a.revocation != NULL && parse_revocation(a.revocation, &mode) != 0)
        code = cli_usage_error("verify", _("unknown revocation mode '%s' (hard, soft, off)"), a.revocation);
    if (code == 0 && a.at != NULL && vbsig_parse_time(a.at, &at) != VBSIG_OK)
        code = cli_usage_error("verify", _("'%s' is not an ISO 8601 time such as 2026-11-22T09:30:00+07:00"), a.at);
    if (code == 0 && a.report_etsi != NULL)
        code = cli_refuse_same_file("verify", a.report_etsi, argv[optind], a.data);
    if (code != 0) {
        cli_valid_args_free(&a.v);
        return code;
    }
    const char *in = argv[optind];
    a.file = in;
    vbsig_ctx *ctx = NULL;
    vbsig_report *r = NULL;
    cli_format fmt = FORMAT_CADES;
    int rc = vbsig_ctx_new(&ctx);
    /* The config file first (cli_valid_apply): every option given on the command line wins. */
    if (rc == VBSIG_OK)
        rc = cli_valid_apply(ctx, &a.v);
    if (rc == VBSIG_OK && a.revocation != NULL)
        rc = vbsig_ctx_set_revocation_mode(ctx, mode);
    if (rc == VBSIG_OK && at != 0)
        rc = vbsig_ctx_set_validation_time(ctx, at);
    if (rc == VBSIG_OK && a.offline)
        rc = vbsig_ctx_set_offline(ctx, a.offline);
    if (rc == VBSIG_OK && a.signed_content != NULL)
        rc = vbsig_ctx_set_keep_signed_content(ctx, 1);
    if (rc == VBSIG_OK && bulk) {
        code = cli_verify_bulk(ctx, argv + optind, argc - optind, a.recursive, (unsigned)jobs, a.json, a.utc);
        vbsig_ctx_free(ctx);
        cli_valid_args_free(&a.v);
        return code;
    }
    if (rc == VBSIG_OK)
        rc = cli_detect_signature(in, &fmt);
    if (rc == VBSIG_OK && a.signed_content != NULL && fmt != FORMAT_XADES)
        rc = vbsig_set_error(VBSIG_E_INVALID_ARG, _("--signed-content applies to XML signatures"));
    if (rc == VBSIG_OK && fmt == FORMAT_PADES && a.data != NULL)
        rc = vbsig_set_error(VBSIG_E_INVALID_ARG, _("PDF signatures are verified inside their document; --data applies to CAdES"));
    else if (rc == VBSIG_OK && fmt == FORMAT_PADES)
        rc = vbsig_pades_verify_file(ctx, in, &r);
    /* --data with an XML signature: a detached signature and its data file. */
    if (rc == VBSIG_OK && fmt == FORMAT_XADES && a.data != NULL)
        rc = vbsig_xml_verify_detached_file(ctx, in, a.data, &r);
    else if (rc == VBSIG_OK && fmt == FORMAT_XADES)
        rc = vbsig_xml_verify_file(ctx, in, &r);
    else if (rc == VBSIG_OK && fmt != FORMAT_PADES)
        rc = vbsig_cades_verify_file(ctx, in, a.data, &r);
    if (rc != VBSIG_OK) {
        code = cli_fail(rc, "verify"); /* the command name, as in usage errors */
    } else if (a.report_etsi != NULL && (rc = vbsig_report_write_etsi(r, a.report_etsi)) != VBSIG_OK) {
        code = cli_fail(rc, "--report-etsi");
    } else if (a.signed_content != NULL && (rc = vbsig_report_write_signed_content(r, a.signed_content, NULL)) != VBSIG_OK) {
        code = cli_fail(rc, "--signed-content");
    } else {
        code = print_report(r, &a);
    }
    vbsig_report_free(r);
    vbsig_ctx_free(ctx);
    cli_valid_args_free(&a.v);
    return code;
}
