/* The pairing store: one line per paired origin, "ORIGIN SHA256-HEX TIME",
 * in a file only the user can read ($XDG_CONFIG_HOME/vbsig/pairings, mode
 * 0600). Only the hash of a token is kept; the page holds the token. The
 * file is read on every check, so `vbsig serve pairings remove` takes
 * effect at once. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "../cli.h"
#include "serve.h"

#define PAIRINGS_MAX_BYTES (1u << 20)

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;

char *serve_pairings_default_path(void)
{
    const char *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");
    char buf[4096];
    if (xdg != NULL && xdg[0] == '/')
        snprintf(buf, sizeof buf, "%s/vbsig/pairings", xdg);
    else if (home != NULL && home[0] == '/')
        snprintf(buf, sizeof buf, "%s/.config/vbsig/pairings", home);
    else
        return NULL;
    return strdup(buf);
}

/* The whole file, NUL-terminated; "" when it does not exist. */
static char *load(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? strdup("") : NULL;
    struct stat st;
    char *text = NULL;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size <= PAIRINGS_MAX_BYTES &&
        (text = malloc((size_t)st.st_size + 1)) != NULL) {
        ssize_t n = read(fd, text, (size_t)st.st_size);
        if (n < 0) {
            free(text);
            text = NULL;
        } else {
            text[n] = '\0';
        }
    }
    close(fd);
    return text;
}

static int save(const char *path, const char *text)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    for (char *p = dir + 1; *p != '\0'; p++)
        if (*p == '/') {
            *p = '\0';
            mkdir(dir, 0700);
            *p = '/';
        }
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    size_t len = strlen(text);
    int ok = write(fd, text, len) == (ssize_t)len && fsync(fd) == 0;
    ok &= close(fd) == 0;
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        return -1;
    }
    return 0;
}

/* The text without the line of origin (a fresh copy). */
static char *without(const char *text, const char *origin, int *found)
{
    char *out = malloc(strlen(text) + 1);
    if (out == NULL)
        return NULL;
    size_t o = 0, n = strlen(origin);
    *found = 0;
    for (const char *p = text; *p != '\0';) {
        const char *nl = strchr(p, '\n');
        size_t len = nl != NULL ? (size_t)(nl - p) + 1 : strlen(p);
        if (strncmp(p, origin, n) == 0 && p[n] == ' ')
            *found = 1;
        else {
            memcpy(out + o, p, len);
            o += len;
        }
        p += len;
    }
    out[o] = '\0';
    return out;
}

int serve_pairings_add(const char *path, const char *origin, char *token_out, size_t token_size)
{
    uint8_t raw[32];
    if (token_size < 45 || RAND_bytes(raw, sizeof raw) != 1)
        return -1;
    /* base64url without padding: 43 characters, safe in a header. */
    char *b64 = serve_b64_encode(raw, sizeof raw);
    OPENSSL_cleanse(raw, sizeof raw);
    if (b64 == NULL)
        return -1;
    size_t n = 0;
    for (char *p = b64; *p != '\0' && *p != '='; p++)
        token_out[n++] = *p == '+' ? '-' : *p == '/' ? '_' : *p;
    token_out[n] = '\0';
    OPENSSL_cleanse(b64, strlen(b64));
    free(b64);
    char hash[65];
    serve_sha256_hex((const uint8_t *)token_out, n, hash);
    pthread_mutex_lock(&g_lock);
    int rc = -1, found = 0;
    char *text = load(path);
    char *rest = text != NULL ? without(text, origin, &found) : NULL;
    if (rest != NULL) {
        char when[32];
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
        size_t len = strlen(rest) + strlen(origin) + 200;
        char *next = malloc(len);
        if (next != NULL) {
            snprintf(next, len, "%s%s %s %s\n", rest, origin, hash, when);
            rc = save(path, next);
            free(next);
        }
    }
    free(rest);
    free(text);
    pthread_mutex_unlock(&g_lock);
    return rc;
}

int serve_pairings_check(const char *path, const char *origin, const char *token)
{
    char hash[65], want[65];
    serve_sha256_hex((const uint8_t *)token, strlen(token), hash);
    pthread_mutex_lock(&g_lock);
    char *text = load(path);
    pthread_mutex_unlock(&g_lock);
    if (text == NULL)
        return -1;
    int ok = 0;
    size_t n = strlen(origin);
    for (const char *p = text; *p != '\0';) {
        const char *nl = strchr(p, '\n');
        if (strncmp(p, origin, n) == 0 && p[n] == ' ' && strlen(p + n + 1) >= 64) {
            memcpy(want, p + n + 1, 64);
            want[64] = '\0';
            ok = CRYPTO_memcmp(want, hash, 64) == 0;
        }
        if (nl == NULL)
            break;
        p = nl + 1;
    }
    free(text);
    return ok;
}

int serve_pairings_remove(const char *path, const char *origin)
{
    pthread_mutex_lock(&g_lock);
    int found = 0, rc = -1;
    char *text = load(path);
    char *rest = text != NULL ? without(text, origin, &found) : NULL;
    if (rest != NULL)
        rc = found ? save(path, rest) : 1;
    free(rest);
    free(text);
    pthread_mutex_unlock(&g_lock);
    return rc;
}

int serve_pairings_list(const char *path, FILE *out)
{
    char *text = load(path);
    if (text == NULL)
        return -1;
    for (char *line = strtok(text, "\n"); line != NULL; line = strtok(NULL, "\n")) {
        char origin[1024], hash[128], when[64];
        if (sscanf(line, "%1023s %127s %63s", origin, hash, when) == 3)
            fprintf(out, "%s\t%s\n", origin, when);
    }
    free(text);
    return 0;
}
