/* vbsig timestamp: adds a signature timestamp (CAdES-T) to a .p7s/.p7m, or a
 * document timestamp (ETSI.RFC3161) to a PDF. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cmd_timestamp(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'}, {"trust", required_argument, NULL, 't'},
        {"lang", required_argument, NULL, 'L'},   {"help", no_argument, NULL, 'h'},
        CLI_TSA_LONGOPTS,                         {NULL, 0, NULL, 0}};
    const char *output = NULL;
    const char **trust = calloc((size_t)argc, sizeof *trust);
    cli_tsa_args tsa;
    cli_tsa_args_init(&tsa, argc);
    if (trust == NULL || tsa.urls == NULL) {
        free(trust);
        cli_tsa_args_free(&tsa);
        return EXIT_SOFTWARE;
    }
    int trust_count = 0, c, code = 0, t;
    optind = 1;
    opterr = 0;
    while (code == 0 && (c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
        if ((t = cli_tsa_option(&tsa, c, optarg, "timestamp")) != 0) {
            code = t < 0 ? EXIT_USAGE : 0;
            continue;
        }
        switch (c) {
        case 'o': output = optarg; break;
        case 't': trust[trust_count++] = optarg; break;
        case 'L': break;
        case 'h':
            cli_print_help("timestamp", stdout);
            free(trust);
            cli_tsa_args_free(&tsa);
            return 0;
        default: code = cli_usage_error("timestamp", _("unknown or incomplete option '%s'"), argv[optind - 1]);
        }
    }
    if (code == 0 && argc - optind != 1)
        code = cli_usage_error("timestamp", _("give exactly one signature file to timestamp"));
    if (code == 0 && output == NULL)
        code = cli_usage_error("timestamp", _("-o OUT is required"));
    if (code == 0 && tsa.count == 0)
        code = cli_usage_error("timestamp", _("--tsa URL is required"));
    if (code == 0)
        code = cli_refuse_same_file("timestamp", output, argv[optind], NULL);
    if (code != 0) {
        free(trust);
        cli_tsa_args_free(&tsa);
        return code;
    }
    const char *in = argv[optind];
    vbsig_tsp_opts opts;
    cli_tsa_opts(&tsa, &opts);
    vbsig_ctx *ctx = NULL;
    cli_format fmt = FORMAT_CADES;
    int rc = vbsig_ctx_new(&ctx);
    /* With anchors the TSA's certificate must chain to them too. */
    for (int i = 0; rc == VBSIG_OK && i < trust_count; i++)
        rc = vbsig_ctx_add_trust(ctx, trust[i]);
    if (rc == VBSIG_OK)
        rc = cli_detect_signature(in, &fmt);
    if (rc == VBSIG_OK && fmt != FORMAT_CADES && fmt != FORMAT_PADES)
        rc = vbsig_set_error(VBSIG_E_UNSUPPORTED, _("XML signatures cannot be timestamped by 'vbsig timestamp': sign with --tsa (level B-T), or add an archive timestamp to a B-T signature with 'vbsig extend --level B-LTA'"));
    if (rc == VBSIG_OK && fmt == FORMAT_PADES) /* a document timestamp (ETSI.RFC3161) */
        rc = vbsig_pades_timestamp_file(ctx, &opts, in, output);
    else if (rc == VBSIG_OK)
        rc = vbsig_cades_add_timestamp_file(ctx, &opts, in, output);
    if (rc != VBSIG_OK) {
        char what[600];
        snprintf(what, sizeof what, _("cannot timestamp %s"), in);
        code = cli_fail(rc, what);
    }
    vbsig_ctx_free(ctx);
    free(trust);
    cli_tsa_args_free(&tsa);
    return code;
}
