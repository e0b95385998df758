/* vbsig extend: long-term validation data for a signed PDF (B-LT), and an
 * archive document timestamp over it (B-LTA). */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

int cli_extend_pdf(vbsig_ctx *ctx, int lta, const vbsig_tsp_opts *tsp, const char *in, const char *out)
{
    vbsig_pades_extend_opts eo;
    vbsig_pades_extend_opts_init(&eo);
    eo.level = lta ? VBSIG_LEVEL_B_LTA : VBSIG_LEVEL_B_LT;
    eo.tsp = tsp;
    return vbsig_pades_extend_file(ctx, &eo, in, out);
}

int cli_extend_other(vbsig_ctx *ctx, cli_format fmt, int lta, const vbsig_tsp_opts *tsp, const char *in, const char *out,
                     const char *data)
{
    vbsig_level level = lta ? VBSIG_LEVEL_B_LTA : VBSIG_LEVEL_B_LT;
    const vbsig_tsp_opts *t = tsp != NULL && tsp->url_count > 0 ? tsp : NULL;
    if (fmt == FORMAT_XADES) {
        vbsig_xml_extend_opts xo;
        vbsig_xml_extend_opts_init(&xo);
        xo.level = level;
        xo.tsp = t;
        return data != NULL ? vbsig_xml_extend_detached_file(ctx, &xo, in, data, out)
                            : vbsig_xml_extend_file(ctx, &xo, in, out);
    }
    if (data != NULL)
        return vbsig_set_error(VBSIG_E_INVALID_ARG, _("--data applies to detached XAdES signatures only"));
    vbsig_cades_extend_opts co;
    vbsig_cades_extend_opts_init(&co);
    co.level = level;
    co.tsp = t;
    return vbsig_cades_extend_file(ctx, &co, in, out);
}

enum { OPT_RENEW_WITHIN = 0x1200, OPT_JOBS, OPT_OUT_DIR, OPT_JSON, OPT_UTC };

typedef struct extend_args {
    const char *output, *level, *data;
    const char *renew_within, *jobs, *out_dir; /* renewal of many files */
    int allow_lower, json, utc;
    cli_valid_args v;
} extend_args;

static int setup_ctx(const extend_args *a, vbsig_ctx **out)
{
    vbsig_ctx *ctx = NULL;
    int rc = vbsig_ctx_new(&ctx);
    if (rc == VBSIG_OK)
        rc = cli_valid_apply(ctx, &a->v);
    if (rc == VBSIG_OK)
        rc = vbsig_ctx_set_allow_lower_level(ctx, a->allow_lower);
    if (rc != VBSIG_OK) {
        vbsig_ctx_free(ctx);
        return rc;
    }
    *out = ctx;
    return VBSIG_OK;
}

/* A whole number of days, 0 to 36500 (a century covers any certificate). */
static int parse_days(const char *s, long long *out)
{
    char *end = NULL;
    long long v = strtoll(s, &end, 10);
    if (s[0] == '\0' || s[0] == '-' || s[0] == '+' || *end != '\0' || v < 0 || v > 36500)
        return -1;
    *out = v;
    return 0;
}

/* The renewal road: many files, one pool (extend_renew.c). */
static int renew(extend_args *a, cli_tsa_args *tsa, int n, char **inputs, int code)
{
    cli_renew_args r = {inputs, n, a->output, a->out_dir, 0, 0, a->json, a->utc};
    unsigned long jobs = 0;
    char *end = NULL;
    if (code == 0 && a->renew_within == NULL)
        code = cli_usage_error("extend", _("several files, --jobs, --out-dir and --json need --renew-within DAYS"));
    if (code == 0 && parse_days(a->renew_within, &r.days) != 0)
        code = cli_usage_error("extend", _("--renew-within needs a number of days from 0 to 36500, not '%s'"),
                               a->renew_within);
    if (code == 0 && a->jobs != NULL &&
        ((jobs = strtoul(a->jobs, &end, 10)) < 1 || jobs > 64 || *end != '\0' || a->jobs[0] == '-'))
        code = cli_usage_error("extend", _("--jobs needs a number of threads from 1 to 64, not '%s'"), a->jobs);
    r.jobs = (unsigned)jobs;
    if (code == 0 && (a->level == NULL || strcmp(a->level, "B-LTA") != 0))
        code = cli_usage_error("extend", _("--renew-within renews archive timestamps: it needs --level B-LTA"));
    if (code == 0 && n < 1)
        code = cli_usage_error("extend", _("give the signed files to renew"));
    if (code == 0 && (a->output == NULL) == (a->out_dir == NULL))
        code = cli_usage_error("extend", _("give exactly one of -o OUT and --out-dir DIR"));
    if (code == 0 && a->output != NULL && n > 1)
        code = cli_usage_error("extend", _("renewing several files needs --out-dir DIR"));
    if (code == 0 && a->data != NULL)
        code = cli_usage_error("extend", _("--data names the data of one detached signature: it cannot go with --renew-within"));
    if (code == 0 && tsa->count == 0)
        code = cli_usage_error("extend", _("level B-LTA needs a timestamp authority: --tsa URL"));
    if (code == 0 && a->v.trust_count == 0)
        code = cli_usage_error("extend", _("--trust PATH is required: the revocation data must be checked against trust anchors"));
    /* As with sign: a missing --out-dir is made (its last component). */
    if (code == 0 && a->out_dir != NULL && mkdir(a->out_dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, _("vbsig: extend: cannot create the output directory %s: %s\n"), a->out_dir, strerror(errno));
        code = EXIT_CANTCREAT;
    }
    struct stat dst;
    if (code == 0 && a->out_dir != NULL && (stat(a->out_dir, &dst) != 0 || !S_ISDIR(dst.st_mode))) {
        fprintf(stderr, _("vbsig: extend: the output directory %s does not exist\n"), a->out_dir);
        code = EXIT_CANTCREAT;
    }
    if (code == 0) {
        vbsig_ctx *ctx = NULL;
        vbsig_tsp_opts opts;
        cli_tsa_opts(tsa, &opts);
        int rc = setup_ctx(a, &ctx);
        code = rc == VBSIG_OK ? cli_extend_renew(ctx, &opts, &r) : cli_fail(rc, "extend");
        vbsig_ctx_free(ctx);
    }
    cli_valid_args_free(&a->v);
    cli_tsa_args_free(tsa);
    return code < 0 ? 0 : code;
}

int cmd_extend(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'}, {"level", required_argument, NULL, 'l'},
        {"lang", required_argument, NULL, 'L'},   {"help", no_argument, NULL, 'h'},
        {"data", required_argument, NULL, 'D'},   {"allow-lower-level", no_argument, NULL, 'Y'},
        {"renew-within", required_argument, NULL, OPT_RENEW_WITHIN},
        {"jobs", required_argument, NULL, OPT_JOBS},
        {"out-dir", required_argument, NULL, OPT_OUT_DIR},
        {"json", no_argument, NULL, OPT_JSON},
        {"utc", no_argument, NULL, OPT_UTC},
        CLI_VALID_LONGOPTS,                       CLI_TSA_LONGOPTS,
        {NULL, 0, NULL, 0}};
    extend_args a;
    memset(&a, 0, sizeof a);
    cli_tsa_args tsa;
    cli_tsa_args_init(&tsa, argc);
    int c, code = 0, t;
    if (cli_valid_args_init(&a.v, argc) != 0 || tsa.urls == NULL)
        code = EXIT_SOFTWARE;
    optind = 1;
    opterr = 0;
    while (code == 0 && (c = getopt_long(argc, argv, "o:l:h", longopts, NULL)) != -1) {
        if ((t = cli_tsa_option(&tsa, c, optarg, "extend")) != 0) {
            code = t < 0 ? EXIT_USAGE : 0;
            continue;
        }
        if ((t = cli_valid_option(&a.v, c, optarg, "extend")) != 0) {
            code = t < 0 ? EXIT_USAGE : 0;
            continue;
        }
        switch (c) {
        case 'o': a.output = optarg; break;
        case 'l': a.level = optarg; break;
        case 'D': a.data = optarg; break;
        case 'Y': a.allow_lower = 1; break;
        case OPT_RENEW_WITHIN: a.renew_within = optarg; break;
        case OPT_JOBS: a.jobs = optarg; break;
        case OPT_OUT_DIR: a.out_dir = optarg; break;
        case OPT_JSON: a.json = 1; break;
        case OPT_UTC: a.utc = 1; break;
        case 'L': break;
        case 'h': cli_print_help("extend", stdout); code = -1; break;
        default: code = cli_usage_error("extend", _("unknown or incomplete option '%s'"), argv[optind - 1]);
        }
    }
    if (code == 0 && (a.renew_within != NULL || a.jobs != NULL || a.out_dir != NULL || a.json || a.utc ||
                      argc - optind > 1))
        return renew(&a, &tsa, argc - optind, argv + optind, code);
    int lta = 0;
    if (code == 0 && argc - optind != 1)
        code = cli_usage_error("extend", _("give exactly one signed PDF to extend"));
    if (code == 0 && a.output == NULL)
        code = cli_usage_error("extend", _("-o OUT is required"));
    if (code == 0 && (a.level == NULL || (strcmp(a.level, "B-LT") != 0 && strcmp(a.level, "B-LTA") != 0)))
        code = cli_usage_error("extend", _("--level must be B-LT or B-LTA (B-B and B-T are made by 'vbsig sign --level')"));
    if (code == 0)
        lta = strcmp(a.level, "B-LTA") == 0;
    if (code == 0 && lta && tsa.count == 0)
        code = cli_usage_error("extend", _("level B-LTA needs a timestamp authority: --tsa URL"));
    if (code == 0 && a.v.trust_count == 0)
        code = cli_usage_error("extend", _("--trust PATH is required: the revocation data must be checked against trust anchors"));
    if (code == 0)
        code = cli_refuse_same_file("extend", a.output, argv[optind], a.data);
    if (code == 0) {
        vbsig_ctx *ctx = NULL;
        const char *in = argv[optind];
        cli_format fmt = FORMAT_CADES;
        vbsig_tsp_opts opts;
        cli_tsa_opts(&tsa, &opts);
        int rc = setup_ctx(&a, &ctx);
        if (rc == VBSIG_OK)
            rc = cli_detect_signature(in, &fmt);
        if (rc == VBSIG_OK && fmt == FORMAT_PADES && a.data != NULL)
            rc = vbsig_set_error(VBSIG_E_INVALID_ARG, _("--data applies to detached XAdES signatures only"));
        else if (rc == VBSIG_OK && fmt == FORMAT_PADES)
            rc = cli_extend_pdf(ctx, lta, &opts, in, a.output);
        else if (rc == VBSIG_OK)
            rc = cli_extend_other(ctx, fmt, lta, &opts, in, a.output, a.data);
        if (rc == VBSIG_OK && vbsig_ctx_level_warning(ctx) != NULL)
            fprintf(stderr, "vbsig: %s\n", vbsig_ctx_level_warning(ctx));
        if (rc != VBSIG_OK) {
            char what[600];
            snprintf(what, sizeof what, _("cannot extend %s"), in);
            code = cli_fail(rc, what);
        }
        vbsig_ctx_free(ctx);
    }
    cli_valid_args_free(&a.v);
    cli_tsa_args_free(&tsa);
    return code < 0 ? 0 : code;
}
