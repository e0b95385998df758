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
/* The context's network settings from the environment, the command's
 * defaults: VBSIG_PKCS11_MODULE, VBSIG_PKCS11_TIMEOUT_MS (milliseconds). */
int cli_network_defaults(vbsig_ctx *ctx);
/* Prints "vbsig: <what>: <why>" for a usage error and returns 64. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Refuses (64, one line "vbsig: cmd: why") an output that is one of the
 * inputs under any name (vbsig_check_output: device and inode); NULL
 * inputs are skipped. 0 when out is another file. Nothing is written. */
int cli_refuse_same_file(const char *cmd, const char *out, const char *in, const char *in2);

/* Sets the locale and the message catalogue from --lang or LANG. */
void cli_i18n_init(int argc, char **argv);

int cmd_sign(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_token(int argc, char **argv);
int cmd_serve(int argc, char **argv);
void cli_print_help(const char *command, FILE *out);

int cmd_timestamp(int argc, char **argv);
/* verify_bulk.c: verifies the files and directories in args (recursive: and
 * their subdirectories) with `jobs` threads (0: one per core), printing one
 * report per file and a summary; returns the worst exit code. */
int cli_verify_bulk(vbsig_ctx *ctx, char **args, int count, int recursive, unsigned jobs, int json, int utc);
/* A JSON string of s; bytes that are not UTF-8 become U+FFFD. */
void cli_json_string(const char *s, FILE *out);
/* Orders exit codes from best to worst: passed, indeterminate, failed, errors. */
int cli_exit_rank(int code);
/* extend_renew.c: `extend FILE… --renew-within DAYS`: renews through the
 * library's pool the archives that are due, into output (one input) or
 * out_dir; one line (or JSON object) per file, a summary; the worst exit code. */
typedef struct cli_renew_args {
    char **inputs;
    int count;
    const char *output, *out_dir;
    long long days;
    unsigned jobs;
    int json, utc;
} cli_renew_args;
int cli_extend_renew(vbsig_ctx *ctx, const vbsig_tsp_opts *tsp, const cli_renew_args *a);
int cmd_extend(int argc, char **argv);
/* cmd_extend.c: B-LT (lta 0) or B-LTA (lta 1) validation data for the PDF in,
 * written to out; shared by `extend` and `sign --level B-LT|B-LTA`. */
int cli_extend_pdf(vbsig_ctx *ctx, int lta, const vbsig_tsp_opts *tsp, const char *in, const char *out);
/* The named configuration file, else the default one when it exists. */
int cli_load_default_config(vbsig_ctx *ctx, const char *named);

/* The validation options of verify and extend (cli_validation.c): --trust
 * (repeatable), --chain, --url-rewrite FROM=TO (repeatable), --cache-dir,
 * --config, --no-config, --no-aia. */
#define CLI_VALID_LONGOPTS                                                 \
    {"trust", required_argument, NULL, 't'},                               \
    {"chain", required_argument, NULL, 'C'},                               \
    {"url-rewrite", required_argument, NULL, 'W'},                         \
    {"cache-dir", required_argument, NULL, 'K'},                           \
    {"config", required_argument, NULL, 'F'},                              \
    {"no-config", no_argument, NULL, 'N'},                                 \
    {"no-aia", no_argument, NULL, 'A'}
typedef struct cli_valid_args {
    const char *chain, *cache_dir;
    const char *config; /* --config FILE; NULL: the default file if any */
    const char **trust, **rewrites;
    int trust_count, rewrite_count, no_config, no_aia;
} cli_valid_args;
/* 0, or -1 when out of memory (a is then empty and safe to free). */
int cli_valid_args_init(cli_valid_args *a, int argc);
void cli_valid_args_free(cli_valid_args *a);
/* 1: c was a validation option and is recorded; 0: not one; -1: a usage error was printed. */
int cli_valid_option(cli_valid_args *a, int c, const char *arg, const char *cmd);
/* The config file (unless --no-config), then the command-line settings over it. */
int cli_valid_apply(vbsig_ctx *ctx, const cli_valid_args *a);

/* The TSA options of sign and timestamp (cli_tsa.c): --tsa URL (repeatable,
 * tried in order), --tsa-policy, --tsa-user, --tsa-pass, --tsa-timeout,
 * --tsa-retries, --tsa-cacert. */
enum {
    CLI_OPT_TSA = 'T',
    CLI_OPT_TSA_POLICY = 0x1100,
    CLI_OPT_TSA_USER,
    CLI_OPT_TSA_PASS,
    CLI_OPT_TSA_TIMEOUT,
    CLI_OPT_TSA_RETRIES,
    CLI_OPT_TSA_CACERT
};
#define CLI_TSA_LONGOPTS                                                   \
    {"tsa", required_argument, NULL, CLI_OPT_TSA},                          \
    {"tsa-policy", required_argument, NULL, CLI_OPT_TSA_POLICY},            \
    {"tsa-user", required_argument, NULL, CLI_OPT_TSA_USER},                \
    {"tsa-pass", required_argument, NULL, CLI_OPT_TSA_PASS},                \
    {"tsa-timeout", required_argument, NULL, CLI_OPT_TSA_TIMEOUT},          \
    {"tsa-retries", required_argument, NULL, CLI_OPT_TSA_RETRIES},          \
    {"tsa-cacert", required_argument, NULL, CLI_OPT_TSA_CACERT}
typedef struct cli_tsa_args {
    const char **urls;
    size_t count;
    const char *policy, *user, *pass, *cacert;
    long timeout_s; /* -1: the library's default */
    int retries;    /* -1: the library's default */
} cli_tsa_args;
void cli_tsa_args_init(cli_tsa_args *a, int argc);
void cli_tsa_args_free(cli_tsa_args *a);
/* 1: c was a TSA option and is recorded; 0: not one; -1: a usage error was printed. */
int cli_tsa_option(cli_tsa_args *a, int c, const char *arg, const char *cmd);
/* opts points into a: keep a alive while opts is used. */
void cli_tsa_opts(const cli_tsa_args *a, vbsig_tsp_opts *opts);

/* Content sniffing for --format auto. */
typedef enum { FORMAT_CADES, FORMAT_PADES, FORMAT_XADES } cli_format;
/* cmd_extend.c: the same for an XML document (XAdES) or a CMS signature
 * (CAdES); tsp may have no URL for B-LT of a B-T signature. */
/* data: the file a detached XAdES signature signs (its archive timestamp
 * digests it), or NULL. */
int cli_extend_other(vbsig_ctx *ctx, cli_format fmt, int lta, const vbsig_tsp_opts *tsp, const char *in, const char *out,
                     const char *data);
int cli_detect_format(const char *path, cli_format *out);
/* The same for a file that must hold a signature (verify, extend,
 * timestamp): VBSIG_E_MALFORMED "empty file", or "not a PDF, XML or CMS
 * signature" when nothing in it looks like one. */
int cli_detect_signature(const char *path, cli_format *out);
/* The same from the document's first bytes (up to 1 KiB are looked at). */
int cli_detect_format_bytes(const unsigned char *data, size_t len, cli_format *out);

#endif
