/* vbsig: sign and verify official documents. */
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "cli.h"

/* One row per command; a new command adds its cmd_*.c file and a row. */
static const struct command {
    const char *name;
    int (*run)(int argc, char **argv);
} commands[] = {
    {"sign", cmd_sign},
    {"verify", cmd_verify},
    {"timestamp", cmd_timestamp},
    {"extend", cmd_extend},
    {"token", cmd_token},
    {"serve", cmd_serve},
    {"help", cmd_help},
};

/* Commands of the contract that later versions bring. */
static const char *const not_yet[] = {""};

int main(int argc, char **argv)
{
    /* A run is short and may build a large XML tree (a million small
     * nodes for 10 MB): without fastbins glibc frees them straight into its
     * bins instead of running consolidation passes over them, which cuts
     * about a tenth of the time to verify or sign such a document. */
    mallopt(M_MXFAST, 0);
    cli_i18n_init(argc, argv);
    /* --lang names a language we have: vi or en. */
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
        const char *l = strncmp(argv[i], "--lang=", 7) == 0 ? argv[i] + 7
                        : strcmp(argv[i], "--lang") == 0 && i + 1 < argc ? argv[i + 1]
                                                                         : NULL;
        if (l != NULL && strcmp(l, "vi") != 0 && strcmp(l, "en") != 0) {
            fprintf(stderr, _("vbsig: --lang: unsupported language '%s' (vi, en)\n"), l);
            return EXIT_USAGE;
        }
    }
    /* "vbsig --lang vi verify …": the language may come before the command. */
    while (argc >= 2 && (strcmp(argv[1], "--lang") == 0 || strncmp(argv[1], "--lang=", 7) == 0)) {
        int skip = strcmp(argv[1], "--lang") == 0 && argc >= 3 ? 2 : 1;
        argv[skip] = argv[0];
        argv += skip;
        argc -= skip;
    }
    if (argc < 2) {
        cli_print_help(NULL, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    /* The process ends when the command does: OpenSSL's exit handler would
     * only free, one by one, tables the kernel is about to drop whole, and
     * its error texts are loaded when a message first quotes one
     * (util/ssl_strings.c) rather than at start. Verification decrypts
     * nothing (no key, no encrypted PEM), so it also skips filling
     * OpenSSL's table of legacy cipher names; ciphers are still found by
     * their provider names, as TLS to an https responder does. Each saves
     * 0.1-0.2 ms, a few percent of a small verification. */
    uint64_t ossl_opts = OPENSSL_INIT_NO_ATEXIT | OPENSSL_INIT_NO_LOAD_CRYPTO_STRINGS;
    if (strcmp(cmd, "verify") == 0)
        ossl_opts |= OPENSSL_INIT_NO_ADD_ALL_CIPHERS;
    OPENSSL_init_crypto(ossl_opts, NULL);
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("vbsig %s\n", vbsig_version());
        return 0;
    }
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0)
        return cmd_help(argc - 1, argv + 1);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(cmd, commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    for (size_t i = 0; i < sizeof not_yet / sizeof not_yet[0]; i++) {
        if (strcmp(cmd, not_yet[i]) == 0) {
            fprintf(stderr, _("vbsig: %s: this command is not available in this version of vbsig\n"), cmd);
            return EXIT_USAGE;
        }
    }
    fprintf(stderr, _("vbsig: unknown command '%s'\n"), cmd);
    cli_print_help(NULL, stderr);
    return EXIT_USAGE;
}
