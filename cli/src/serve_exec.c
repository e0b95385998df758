/* `vbsig serve` runs in a program of its own, vbsig-serve: its HTTP server
 * (libmicrohttpd, which brings GnuTLS and its dependencies) and its
 * pinentry client (libassuan) would otherwise be mapped, relocated and
 * initialised at the start of every vbsig run — 4.6 million instructions,
 * more than a whole small verification (bench/bench_api_regression.sh).
 * The program is looked for beside this one (the build tree), then in
 * ../libexec/vbsig from this one (an installation moved to another
 * prefix), then where this build installs it. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static int near_this_program(const char *rel, char *path, size_t n)
{
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0)
        return 0;
    exe[len] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash == NULL)
        return 0;
    *slash = '\0';
    int w = snprintf(path, n, "%s/%s", exe, rel);
    return w > 0 && (size_t)w < n && access(path, X_OK) == 0;
}

int cmd_serve(int argc, char **argv)
{
    char path[PATH_MAX];
    if (!near_this_program("vbsig-serve", path, sizeof path) &&
        !near_this_program("../libexec/vbsig/vbsig-serve", path, sizeof path))
        snprintf(path, sizeof path, "%s", VBSIG_SERVE_PROGRAM);
    char **args = calloc((size_t)argc + 2, sizeof *args);
    if (args == NULL) {
        fprintf(stderr, "vbsig: serve: %s\n", _("out of memory"));
        return EXIT_SOFTWARE;
    }
    args[0] = path;
    for (int i = 0; i < argc; i++)
        args[i + 1] = argv[i]; /* argv[0] is "serve" */
    fflush(stdout);
    execv(path, args);
    int err = errno;
    free(args);
    fprintf(stderr, _("vbsig: serve: cannot run %s: %s\n"), path, strerror(err));
    return EXIT_UNAVAILABLE;
}
