/* Passwords and PINs from OpenSSL-style sources or the terminal. None of
 * these paths ever puts the secret into a message. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "util/util.h"

#define VBSIG_SECRET_MAX 1024
/* Room for a full-length line plus the CR of a CRLF ending. */
#define VBSIG_LINE_BUF (VBSIG_SECRET_MAX + 1)

enum line_end { LINE_OK, LINE_EMPTY_EOF, LINE_TOO_LONG, LINE_ERROR };

/* One byte per read(): whatever follows the first line on a pipe or a
 * terminal belongs to the next reader (a second fd:N secret, a document on
 * standard input), so nothing past the newline may be consumed. */
static enum line_end read_line(int fd, char buf[VBSIG_LINE_BUF], size_t *len, int *err)
{
    size_t n = 0;
    int any = 0;
    char c = 0;
    enum line_end how = LINE_OK;
    *err = 0;
    for (;;) {
        ssize_t r = read(fd, &c, 1);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            *err = errno;
            how = LINE_ERROR;
            break;
        }
        if (r == 0) {
            if (!any)
                how = LINE_EMPTY_EOF;
            break;
        }
        any = 1;
        if (c == '\n')
            break;
        if (n == VBSIG_LINE_BUF) {
            how = LINE_TOO_LONG;
            break;
        }
        buf[n++] = c;
    }
    vbsig_wipe(&c, sizeof c);
    if (how == LINE_OK && n > 0 && buf[n - 1] == '\r')
        n--;
    if (how == LINE_OK && n > VBSIG_SECRET_MAX)
        how = LINE_TOO_LONG;
    *len = n;
    return how;
}

static int copy_secret(const char *p, size_t n, char **out)
{
    if (memchr(p, '\0', n) != NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("the password contains a NUL byte"));
    char *s = malloc(n + 1);
    if (s == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    memcpy(s, p, n);
    s[n] = '\0';
    *out = s;
    return VBSIG_OK;
}

static int too_long(void)
{
    return vbsig_fail(VBSIG_E_LIMIT, _("the password is longer than %d bytes"), VBSIG_SECRET_MAX);
}

/* `label` names the source ("file:/run/pin", "fd:3") in messages. */
static int secret_from_fd(int fd, const char *label, char **out)
{
    char buf[VBSIG_LINE_BUF];
    size_t n;
    int err;
    int rc;
    switch (read_line(fd, buf, &n, &err)) {
    case LINE_OK:
        rc = copy_secret(buf, n, out);
        break;
    case LINE_EMPTY_EOF:
        rc = vbsig_fail(VBSIG_E_INVALID_ARG, _("%s: no password to read (the input is empty)"), label);
        break;
    case LINE_TOO_LONG:
        rc = too_long();
        break;
    default:
        rc = vbsig_fail(VBSIG_E_IO_READ, _("%s: cannot read the password: %s"), label, strerror(err));
        break;
    }
    vbsig_wipe(buf, sizeof buf);
    return rc;
}

static int write_all(int fd, const char *s, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, s, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        s += w;
        n -= (size_t)w;
    }
    return 0;
}

static int secret_from_tty(const char *prompt, char **out)
{
    const char *no_tty = _("no terminal to ask for the password on; give it as pass:TEXT, env:VAR, file:PATH or fd:N");
    int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return vbsig_fail(VBSIG_E_INVALID_ARG, "%s", no_tty);
    struct termios saved;
    if (tcgetattr(fd, &saved) != 0) {
        close(fd);
        return vbsig_fail(VBSIG_E_INVALID_ARG, "%s", no_tty);
    }
    if (prompt == NULL)
        prompt = _("Password: ");
    if (write_all(fd, prompt, strlen(prompt)) != 0) {
        int e = errno;
        close(fd);
        return vbsig_fail(VBSIG_E_IO_WRITE, _("cannot show the password prompt: %s"), strerror(e));
    }
    struct termios quiet = saved;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    /* TCSAFLUSH drops anything typed ahead before echo went off, which the
     * user saw on screen and may not have meant as the password. */
    if (tcsetattr(fd, TCSAFLUSH, &quiet) != 0) {
        int e = errno;
        close(fd);
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("cannot turn off echo on the terminal: %s"), strerror(e));
    }

    char buf[VBSIG_LINE_BUF];
    size_t n;
    int err;
    enum line_end how = read_line(fd, buf, &n, &err);
    /* Flushing again discards the rest of an overlong line so it does not
     * reach the shell after we exit. */
    (void)tcsetattr(fd, TCSAFLUSH, &saved);
    (void)write_all(fd, "\n", 1);
    close(fd);

    int rc;
    switch (how) {
    case LINE_OK:
        rc = copy_secret(buf, n, out);
        break;
    case LINE_EMPTY_EOF:
        rc = vbsig_fail(VBSIG_E_CANCELLED, _("no password was entered"));
        break;
    case LINE_TOO_LONG:
        rc = too_long();
        break;
    default:
        rc = vbsig_fail(VBSIG_E_IO_READ, _("cannot read the password from the terminal: %s"), strerror(err));
        break;
    }
    vbsig_wipe(buf, sizeof buf);
    return rc;
}

/* Strict: only ASCII digits, no sign, no spaces, and it must fit an int. */
static int parse_fd(const char *s, int *fd)
{
    if (*s == '\0')
        return 0;
    long v = 0;
    for (; *s != '\0'; s++) {
        if (*s < '0' || *s > '9')
            return 0;
        v = v * 10 + (*s - '0');
        if (v > INT_MAX)
            return 0;
    }
    *fd = (int)v;
    return 1;
}

int vbsig_secret_read(const char *source, const char *prompt, char **out)
{
    VBSIG_REQUIRE(out, "out");
    *out = NULL;
    if (source == NULL || source[0] == '\0')
        return secret_from_tty(prompt, out);

    if (strncmp(source, "pass:", 5) == 0) {
        const char *text = source + 5;
        size_t n = strlen(text);
        if (n > VBSIG_SECRET_MAX)
            return too_long();
        return copy_secret(text, n, out);
    }
    if (strncmp(source, "env:", 4) == 0) {
        const char *name = source + 4;
        if (name[0] == '\0' || strchr(name, '=') != NULL)
            return vbsig_fail(VBSIG_E_INVALID_ARG, _("env: needs the name of an environment variable"));
        const char *value = getenv(name);
        if (value == NULL)
            return vbsig_fail(VBSIG_E_INVALID_ARG, _("environment variable %s is not set"), name);
        size_t n = strlen(value);
        if (n > VBSIG_SECRET_MAX)
            return too_long();
        return copy_secret(value, n, out);
    }
    if (strncmp(source, "file:", 5) == 0) {
        const char *path = source + 5;
        if (path[0] == '\0')
            return vbsig_fail(VBSIG_E_INVALID_ARG, _("file: needs the path of a file"));
        int fd;
        do {
            fd = open(path, O_RDONLY | O_CLOEXEC);
        } while (fd < 0 && errno == EINTR);
        if (fd < 0)
            return vbsig_fail(VBSIG_E_IO_READ, _("%s: cannot open: %s"), path, strerror(errno));
        int rc = secret_from_fd(fd, source, out);
        close(fd);
        return rc;
    }
    if (strncmp(source, "fd:", 3) == 0) {
        int fd;
        if (!parse_fd(source + 3, &fd))
            return vbsig_fail(VBSIG_E_INVALID_ARG, _("fd: needs a file descriptor number (digits only)"));
        /* The descriptor belongs to the caller, who may read more from it. */
        return secret_from_fd(fd, source, out);
    }
    /* The text is not quoted back: a user who typed the password itself
     * instead of a source would otherwise see it in logs. */
    return vbsig_fail(VBSIG_E_INVALID_ARG, _("unknown password source: it must be pass:TEXT, env:VAR, file:PATH, "
                                             "fd:N or empty to be asked on the terminal"));
}

void vbsig_secret_free(char *secret)
{
    if (secret == NULL)
        return;
    vbsig_wipe(secret, strlen(secret));
    free(secret);
}
