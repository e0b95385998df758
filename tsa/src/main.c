/* vbsig-tsa: the timestamp server, and its journal tools. */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "tsa.h"

/* The same table as the vbsig CLI's cli_exit_for_status. */
int tsa_exit_for_status(int status)
{
    switch (status) {
    case VBSIG_OK: return TSA_EXIT_OK;
    case VBSIG_E_INVALID_ARG: return TSA_EXIT_USAGE;
    case VBSIG_E_IO_READ: return TSA_EXIT_NOINPUT;
    case VBSIG_E_IO_WRITE: return TSA_EXIT_CANTCREAT;
    case VBSIG_E_MALFORMED:
    case VBSIG_E_UNSUPPORTED:
    case VBSIG_E_LIMIT:
    case VBSIG_E_REFUSED: return TSA_EXIT_DATAERR;
    case VBSIG_E_AUTH:
    case VBSIG_E_PIN_LOCKED:
    case VBSIG_E_KEY_UNUSABLE:
    case VBSIG_E_KEY_NOT_FOUND:
    case VBSIG_E_MECHANISM:
    case VBSIG_E_CANCELLED: return TSA_EXIT_NOPERM;
    case VBSIG_E_UNAVAILABLE:
    case VBSIG_E_TOKEN_ABSENT:
    case VBSIG_E_TOKEN_REMOVED:
    case VBSIG_E_MODULE_LOAD:
    case VBSIG_E_TIMEOUT: return TSA_EXIT_UNAVAILABLE;
    default: return TSA_EXIT_SOFTWARE;
    }
}

int main(int argc, char **argv)
{
    /* Operators' messages follow their locale; without one installed, the
     * C.UTF-8 fallback still lets LANGUAGE=vi choose Vietnamese. */
    const char *loc = setlocale(LC_ALL, "");
    if (loc == NULL || strcmp(loc, "C") == 0)
        setlocale(LC_ALL, "C.UTF-8");
    tsa_i18n_init();
    if (argc > 1 && (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0)) {
        printf("vbsig-tsa %s\n", vbsig_version());
        return TSA_EXIT_OK;
    }
    if (argc > 1 && strcmp(argv[1], "journal") == 0)
        return tsa_journal_command(argc - 1, argv + 1);
    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        printf("%s", _("usage: vbsig-tsa [--config FILE] --listen ADDR:PORT --key KEYSPEC\n"
                       "         [--pass SRC | --pin SRC [--module PATH]] [--cert FILE] [--chain FILE]\n"
                       "         --policy OID [--accept-policy OID]... [--accuracy SECONDS]\n"
                       "         [--hashes sha256,sha384,sha512] --journal PATH|postgresql://…\n"
                       "         [--max-clock-error SECONDS] [--threads N] [--health-interval SECONDS]\n"
                       "         [--max-connections N] [--max-queue N] [--timeout SECONDS]\n"
                       "         [--drain-file PATH] [--drain-timeout SECONDS] [--allow-unsynced-clock]\n"
                       "       vbsig-tsa journal verify --journal PATH|postgresql://…\n"
                       "       vbsig-tsa journal show --journal PATH|postgresql://… --serial HEX\n"
                       "SIGUSR1 or the drain file appearing: /health answers 503 \"draining\", new\n"
                       "requests get 503, accepted ones finish, then exit 0 (70 when they have not\n"
                       "finished after --drain-timeout, default 30 s). Under systemd, WatchdogSec= is\n"
                       "fed only while requests get answered. Tokens are refused (timeNotAvailable,\n"
                       "/health 503) while the kernel's esterror or maxerror exceeds --max-clock-error\n"
                       "(default: the accuracy, 1 s; never above it) or the clock is unsynchronised.\n"));
        return TSA_EXIT_OK;
    }
    return tsa_serve(argc, argv);
}
