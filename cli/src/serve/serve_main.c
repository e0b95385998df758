/* vbsig-serve: the local REST shim, started by `vbsig serve` (which passes
 * "serve" and its own arguments) or directly. */
#include <stdint.h>
#include <string.h>

#include <openssl/crypto.h>

#include "cli.h"

int main(int argc, char **argv)
{
    cli_i18n_init(argc, argv);
    OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT | OPENSSL_INIT_NO_LOAD_CRYPTO_STRINGS, NULL);
    if (argc >= 2 && strcmp(argv[1], "serve") == 0) {
        argc--;
        argv++;
    }
    /* cmd_serve reads its options after argv[0], as every command does. */
    argv[0] = (char *)"serve";
    return cmd_serve(argc, argv);
}
