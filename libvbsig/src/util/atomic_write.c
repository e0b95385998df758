/* Output files that appear complete or not at all. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/util.h"
#include "vbsig/file.h"

#define VBSIG_TMP_SUFFIX ".tmp-XXXXXX"

static void reset(vbsig_atomic_file *f)
{
    f->fd = -1;
    f->final_path = NULL;
    f->tmp_path = NULL;
}

int vbsig_atomic_open(vbsig_atomic_file *f, const char *path)
{
    reset(f);
    if (path == NULL || path[0] == '\0')
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("no output file was given"));

    size_t len = strlen(path);
    if (len > SIZE_MAX - sizeof VBSIG_TMP_SUFFIX)
        return vbsig_fail(VBSIG_E_NOMEM, _("%s: the path is too long"), path);
    char *final_path = strdup(path);
    char *tmp_path = malloc(len + sizeof VBSIG_TMP_SUFFIX);
    if (final_path == NULL || tmp_path == NULL) {
        free(final_path);
        free(tmp_path);
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    memcpy(tmp_path, path, len);
    memcpy(tmp_path + len, VBSIG_TMP_SUFFIX, sizeof VBSIG_TMP_SUFFIX);

    int fd = mkstemp(tmp_path);
    if (fd < 0) {
        int e = errno;
        free(final_path);
        free(tmp_path);
        return vbsig_fail(VBSIG_E_IO_WRITE, _("%s: cannot create a temporary file next to it: %s"), path,
                          strerror(e));
    }
    /* mkstemp has no close-on-exec flag of its own; a signer that runs
     * helpers (PKCS#11 modules, TSA clients) should not hand them this fd. */
    (void)fcntl(fd, F_SETFD, FD_CLOEXEC);
    /* mkstemp creates 0600; a signed document is meant to be as readable as
     * any document the user writes. */
    if (fchmod(fd, 0644) != 0) {
        int e = errno;
        close(fd);
        unlink(tmp_path);
        free(final_path);
        free(tmp_path);
        return vbsig_fail(VBSIG_E_IO_WRITE, _("%s: cannot set permissions on the temporary file: %s"), path,
                          strerror(e));
    }
    f->fd = fd;
    f->final_path = final_path;
    f->tmp_path = tmp_path;
    return VBSIG_OK;
}

void vbsig_atomic_abort(vbsig_atomic_file *f)
{
    if (f == NULL)
        return;
    if (f->fd >= 0)
        close(f->fd);
    if (f->tmp_path != NULL)
        unlink(f->tmp_path);
    free(f->tmp_path);
    free(f->final_path);
    reset(f);
}

/* Fails the whole output: the header promises the temporary file never
 * survives an error, whichever step it came from. */
static int fail_and_abort(vbsig_atomic_file *f, const char *fmt_path_errno, int e)
{
    int rc = vbsig_fail(VBSIG_E_IO_WRITE, fmt_path_errno, f->final_path, strerror(e));
    vbsig_atomic_abort(f);
    return rc;
}

int vbsig_atomic_write(vbsig_atomic_file *f, const void *p, size_t n)
{
    if (f == NULL || f->fd < 0 || f->final_path == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("write to an output file that is not open"));
    const uint8_t *q = p;
    while (n > 0) {
        ssize_t w = write(f->fd, q, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return fail_and_abort(f, _("%s: cannot write: %s"), errno);
        }
        if (w == 0)
            return fail_and_abort(f, _("%s: cannot write: %s"), EIO);
        q += w;
        n -= (size_t)w;
    }
    return VBSIG_OK;
}

/* The rename is only durable once the directory entry itself is on disk. */
static int sync_parent_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir;
    if (slash == NULL) {
        dir = strdup(".");
    } else if (slash == path) {
        dir = strdup("/");
    } else {
        dir = strndup(path, (size_t)(slash - path));
    }
    if (dir == NULL)
        return ENOMEM;
    int err = 0;
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) {
        err = errno;
    } else {
        if (fsync(dfd) != 0)
            err = errno;
        close(dfd);
    }
    free(dir);
    /* Some file systems cannot sync a directory at all; the data file is in
     * place and synced, which is the most such a file system offers. */
    if (err == EINVAL || err == ENOTSUP || err == EROFS || err == EACCES)
        err = 0;
    return err;
}

static int commit(vbsig_atomic_file *f, int sync_dir);

int vbsig_atomic_commit(vbsig_atomic_file *f)
{
    return commit(f, 1);
}

/* A batch of outputs into one directory: each file's data is flushed before
 * its rename (so no final name ever points at a partial file), and the
 * caller flushes the directory once at the end (vbsig_sync_dir). */
int vbsig_atomic_commit_defer_dir(vbsig_atomic_file *f)
{
    return commit(f, 0);
}

static int commit(vbsig_atomic_file *f, int sync_dir)
{
    if (f == NULL || f->fd < 0 || f->final_path == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("commit of an output file that is not open"));
    if (fsync(f->fd) != 0)
        return fail_and_abort(f, _("%s: cannot flush to disk: %s"), errno);
    int fd = f->fd;
    f->fd = -1;
    /* NFS and full disks may report a failed write only here. */
    if (close(fd) != 0 && errno != EINTR)
        return fail_and_abort(f, _("%s: cannot write: %s"), errno);
    if (rename(f->tmp_path, f->final_path) != 0)
        return fail_and_abort(f, _("%s: cannot move the new file into place: %s"), errno);
    /* The temporary name is gone now; only the final file remains. */
    free(f->tmp_path);
    f->tmp_path = NULL;
    int e = sync_dir ? sync_parent_dir(f->final_path) : 0;
    int rc = VBSIG_OK;
    if (e != 0)
        rc = vbsig_fail(VBSIG_E_IO_WRITE, _("%s: written, but its directory could not be flushed to disk: %s"),
                        f->final_path, strerror(e));
    vbsig_atomic_abort(f);
    return rc;
}

int vbsig_write_file_atomic(const char *path, const void *p, size_t n)
{
    vbsig_atomic_file f;
    int rc = vbsig_atomic_open(&f, path);
    if (rc != VBSIG_OK)
        return rc;
    rc = vbsig_atomic_write(&f, p, n);
    if (rc != VBSIG_OK)
        return rc;
    return vbsig_atomic_commit(&f);
}

int vbsig_write_file(const char *path, const void *data, size_t len, unsigned flags)
{
    VBSIG_REQUIRE(path, "path");
    VBSIG_REQUIRE_BYTES(data, len, "data");
    vbsig_i18n_ensure();
    if (flags & ~VBSIG_WRITE_DEFER_DIR_SYNC)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("unknown flags for writing %s"), path != NULL ? path : "");
    vbsig_atomic_file f;
    int rc = vbsig_atomic_open(&f, path);
    if (rc != VBSIG_OK)
        return rc;
    rc = vbsig_atomic_write(&f, data, len);
    if (rc != VBSIG_OK)
        return rc;
    return (flags & VBSIG_WRITE_DEFER_DIR_SYNC) ? vbsig_atomic_commit_defer_dir(&f) : vbsig_atomic_commit(&f);
}

int vbsig_sync_dir(const char *dir)
{
    VBSIG_REQUIRE(dir, "dir");
    vbsig_i18n_ensure();
    if (dir == NULL || dir[0] == '\0')
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("no directory was given"));
    /* sync_parent_dir flushes what holds its argument's last component. */
    size_t n = strlen(dir);
    char *inside = malloc(n + 3);
    if (inside == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    snprintf(inside, n + 3, "%s/x", dir);
    int e = sync_parent_dir(inside);
    free(inside);
    if (e != 0)
        return vbsig_fail(VBSIG_E_IO_WRITE, _("%s: the directory could not be flushed to disk: %s"), dir, strerror(e));
    return VBSIG_OK;
}
