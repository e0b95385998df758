/* Exit codes, the one-line error, locale set-up and format detection. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <langinfo.h>
#include <locale.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

int cli_exit_for_status(int status)
{
    switch (status) {
    case VBSIG_OK: return 0;
    case VBSIG_E_INVALID_ARG: return EXIT_USAGE;
    case VBSIG_E_IO_READ: return EXIT_NOINPUT;
    case VBSIG_E_IO_WRITE: return EXIT_CANTCREAT;
    case VBSIG_E_MALFORMED:
    case VBSIG_E_UNSUPPORTED:
    case VBSIG_E_LIMIT:
    case VBSIG_E_REFUSED: return EXIT_DATAERR;
    case VBSIG_E_AUTH:
    case VBSIG_E_PIN_LOCKED:
    case VBSIG_E_KEY_UNUSABLE:
    case VBSIG_E_KEY_NOT_FOUND:
    case VBSIG_E_MECHANISM:
    case VBSIG_E_CANCELLED: return EXIT_NOPERM;
    case VBSIG_E_UNAVAILABLE:
    case VBSIG_E_TOKEN_ABSENT:
    case VBSIG_E_TOKEN_REMOVED:
    case VBSIG_E_MODULE_LOAD:
    case VBSIG_E_TIMEOUT: return EXIT_UNAVAILABLE;
    default: return EXIT_SOFTWARE;
    }
}

int cli_network_defaults(vbsig_ctx *ctx)
{
    vbsig_network_opts net;
    int rc = vbsig_ctx_get_network(ctx, &net);
    if (rc != VBSIG_OK)
        return rc;
    const char *module = getenv("VBSIG_PKCS11_MODULE");
    if (module != NULL && module[0] != '\0')
        net.pkcs11_module = module;
    const char *ms = getenv("VBSIG_PKCS11_TIMEOUT_MS");
    unsigned long v = ms != NULL ? strtoul(ms, NULL, 10) : 0;
    if (v > 0 && v <= 3600000) /* out of range: the default, as the bridge did */
        net.pkcs11_timeout_ms = (unsigned)v;
    return vbsig_ctx_set_network(ctx, &net);
}

int cli_fail(int status, const char *what)
{
    const char *why = vbsig_last_error();
    fprintf(stderr, "vbsig: %s: %s\n", what, why[0] ? why : vbsig_status_name(status));
    return cli_exit_for_status(status);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    char why[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    /* One line, the way to the help on it too. */
    fprintf(stderr, _("vbsig: %s: %s (see 'vbsig help %s')\n"), cmd, why, cmd);
    return EXIT_USAGE;
}

int cli_refuse_same_file(const char *cmd, const char *out, const char *in, const char *in2)
{
    const char *inputs[2] = {in, in2};
    if (vbsig_check_output(out, inputs, 2) == VBSIG_OK)
        return 0;
    fprintf(stderr, "vbsig: %s: %s\n", cmd, vbsig_last_error());
    return EXIT_USAGE;
}

/* The catalogues sit in ../share/locale beside the binary, both in the
 * build tree and under an install prefix. */
static void bind_catalogues(void)
{
    const char *env = getenv("VBSIG_LOCALEDIR");
    if (env != NULL && env[0] != '\0') {
        vbsig_set_localedir(env);
        bindtextdomain("vbsig", env);
        return;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash == NULL)
        return;
    *slash = '\0';
    char dir[PATH_MAX + 32];
    snprintf(dir, sizeof dir, "%s/../share/locale", exe);
    struct stat st;
    if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode)) {
        vbsig_set_localedir(dir);
        bindtextdomain("vbsig", dir);
    }
}

static const char *lang_from_argv(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            break;
        if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc)
            return argv[i + 1];
        if (strncmp(argv[i], "--lang=", 7) == 0)
            return argv[i] + 7;
    }
    return NULL;
}

void cli_i18n_init(int argc, char **argv)
{
    const char *lang = lang_from_argv(argc, argv);
    if (lang != NULL)
        setenv("LANGUAGE", strcmp(lang, "vi") == 0 ? "vi" : "en", 1);
    /* Only what gettext needs: the messages category. The output codeset is
     * fixed below (UTF-8), nothing here classifies or converts characters
     * by locale, and numbers and dates are never formatted by locale, so
     * the other categories (a dozen file opens, the 350 KB LC_CTYPE table)
     * are not loaded. */
    const char *set = setlocale(LC_MESSAGES, "");
    /* A machine without the vi_VN locale installed still gets Vietnamese:
     * gettext honours LANGUAGE under any locale but "C", and C.UTF-8 is
     * always there. */
    if (set == NULL || strcmp(set, "C") == 0 || strcmp(set, "POSIX") == 0) {
        const char *l = getenv("LC_ALL");
        if (l == NULL || l[0] == '\0')
            l = getenv("LC_MESSAGES");
        if (l == NULL || l[0] == '\0')
            l = getenv("LANG");
        const char *language = getenv("LANGUAGE");
        if (lang == NULL && l != NULL && strncmp(l, "vi", 2) == 0 && (language == NULL || language[0] == '\0'))
            setenv("LANGUAGE", "vi", 1);
        setlocale(LC_MESSAGES, "C.UTF-8");
    }
    /* Texts that come from the C library (strerror) are converted to the
     * LC_CTYPE codeset: under "C" glibc transliterates Vietnamese to ASCII
     * ("Kh?ng c? t?p tin"). English texts are ASCII, so only a translated
     * run needs a UTF-8 character type: the user's if it is one, else
     * C.UTF-8 (always there). */
    const char *language = getenv("LANGUAGE");
    if (language != NULL && language[0] != '\0' && strncmp(language, "en", 2) != 0) {
        const char *ct = setlocale(LC_CTYPE, "");
        if (ct == NULL || strcmp(nl_langinfo(CODESET), "UTF-8") != 0)
            if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
                setlocale(LC_CTYPE, "C.utf8");
    }
    bind_catalogues();
    bind_textdomain_codeset("vbsig", "UTF-8");
    textdomain("vbsig");
}

static cli_format from_library(vbsig_format f)
{
    return f == VBSIG_FORMAT_PADES ? FORMAT_PADES : f == VBSIG_FORMAT_XADES ? FORMAT_XADES : FORMAT_CADES;
}

static int detect(const char *path, cli_format *out, int signature)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        char msg[512];
        snprintf(msg, sizeof msg, "%s: %s", path, strerror(errno));
        return vbsig_set_error(VBSIG_E_IO_READ, msg);
    }
    unsigned char head[1024];
    ssize_t n = read(fd, head, sizeof head);
    close(fd);
    if (n < 0) {
        char msg[512];
        snprintf(msg, sizeof msg, "%s: %s", path, strerror(errno));
        return vbsig_set_error(VBSIG_E_IO_READ, msg);
    }
    if (n == 0) {
        char msg[512];
        snprintf(msg, sizeof msg, _("%s: empty file"), path);
        return vbsig_set_error(VBSIG_E_MALFORMED, msg);
    }
    int rc = cli_detect_format_bytes(head, (size_t)n, out);
    /* What falls through to CMS must at least start like DER or PEM. */
    if (rc == VBSIG_OK && signature && *out == FORMAT_CADES && head[0] != 0x30 &&
        !(n >= 11 && memcmp(head, "-----BEGIN ", 11) == 0)) {
        char msg[512];
        snprintf(msg, sizeof msg, _("%s: not a PDF, XML or CMS signature"), path);
        return vbsig_set_error(VBSIG_E_MALFORMED, msg);
    }
    return rc;
}

int cli_detect_format(const char *path, cli_format *out)
{
    return detect(path, out, 0);
}

int cli_detect_signature(const char *path, cli_format *out)
{
    return detect(path, out, 1);
}

int cli_detect_format_bytes(const unsigned char *data, size_t len, cli_format *out)
{
    vbsig_format f = VBSIG_FORMAT_CADES;
    int rc = vbsig_detect_format(data, len, &f);
    if (rc == VBSIG_OK)
        *out = from_library(f);
    return rc;
}
