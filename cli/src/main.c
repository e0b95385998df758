/* vbsig: sign and verify official documents. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

int main(int argc, char **argv)
{
    cli_i18n_init(argc, argv);
    if (argc < 2) {
        cli_print_help(NULL, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("vbsig %s\n", vbsig_version());
        return 0;
    }
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0)
        return cmd_help(argc - 1, argv + 1);
    if (strcmp(cmd, "sign") == 0)
        return cmd_sign(argc - 1, argv + 1);
    if (strcmp(cmd, "verify") == 0)
        return cmd_verify(argc - 1, argv + 1);
    static const char *later[] = {"extend", "timestamp", "token", "serve"};
    for (size_t i = 0; i < sizeof later / sizeof later[0]; i++) {
        if (strcmp(cmd, later[i]) == 0) {
            fprintf(stderr, _("vbsig: %s: this command is not available in this version of vbsig\n"), cmd);
            return EXIT_USAGE;
        }
    }
    fprintf(stderr, _("vbsig: unknown command '%s'\n"), cmd);
    cli_print_help(NULL, stderr);
    return EXIT_USAGE;
}
