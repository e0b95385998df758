/* The vbsig command: shared plumbing of the subcommands. The command holds
 * no signature logic; it parses arguments and calls the public API. */
#ifndef VBSIG_CLI_H
#define VBSIG_CLI_H

#include <libintl.h>
#include <stdio.h>

#include <vbsig/vbsig.h>

#define _(s) dgettext("vbsig", s)

/* Exit codes of the CLI contract (reference/cli-contract.md). */
enum {
    EXIT_PASSED = 0,
    EXIT_FAILED = 1,
    EXIT_INDETERMINATE = 2,
    EXIT_USAGE = 64,
    EXIT_DATAERR = 65,
    EXIT_NOINPUT = 66,
    EXIT_SOFTWARE = 70,
    EXIT_UNAVAILABLE = 69,
    EXIT_CANTCREAT = 74,
    EXIT_NOPERM = 77
};

/* Maps a vbsig_status to the contract's exit code. */
int cli_exit_for_status(int status);
/* Prints "vbsig: <what>: <why>" on stderr and returns the exit code for status. */
int cli_fail(int status, const char *what);
/* Prints "vbsig: <what>: <why>" for a usage error and returns 64. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Sets the locale and the message catalogue from --lang or LANG. */
void cli_i18n_init(int argc, char **argv);

int cmd_sign(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_help(int argc, char **argv);
void cli_print_help(const char *command, FILE *out);

/* Content sniffing for --format auto. */
typedef enum { FORMAT_CADES, FORMAT_PADES, FORMAT_XADES } cli_format;
int cli_detect_format(const char *path, cli_format *out);

#endif
