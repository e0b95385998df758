/* Many atomic outputs for the price of one flush: each file is written
 * under its temporary name and closed unflushed; the group is then flushed
 * in one pass (syncfs on each file system, through a directory opened
 * before the files were written; an fsync per file where syncfs is not
 * there or the file system is not watched), and only then renamed. A
 * crash before the flush leaves temporary names only; never a final name
 * on a partial or unflushed file. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/util.h"

int vbsig__atomic_close_unsynced(vbsig_atomic_file *f)
{
    if (f == NULL || f->fd < 0 || f->final_path == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("commit of an output file that is not open"));
    int fd = f->fd;
    f->fd = -1;
    /* NFS and full disks may report a failed write only here. */
    if (close(fd) != 0 && errno != EINTR) {
        int rc = vbsig_fail(VBSIG_E_IO_WRITE, _("%s: cannot write: %s"), f->final_path, strerror(errno));
        vbsig_atomic_abort(f);
        return rc;
    }
    return VBSIG_OK;
}

/* The directory part of path, malloc'ed. */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

void vbsig__sync_watch_init(vbsig__sync_watch *w)
{
    memset(w, 0, sizeof *w);
}

void vbsig__sync_watch_add(vbsig__sync_watch *w, const char *path)
{
    char *dir = dir_of(path);
    if (dir == NULL)
        return;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    free(dir);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || w->n == VBSIG_SYNC_WATCH_MAX) {
        if (fd >= 0)
            close(fd);
        return;
    }
    for (size_t i = 0; i < w->n; i++) {
        if (w->dev[i] == st.st_dev) {
            close(fd);
            return;
        }
    }
    w->fd[w->n] = fd;
    w->dev[w->n++] = st.st_dev;
}

void vbsig__sync_watch_close(vbsig__sync_watch *w)
{
    for (size_t i = 0; i < w->n; i++)
        close(w->fd[i]);
    w->n = 0;
}

int vbsig__atomic_sync_file(const vbsig_atomic_file *f)
{
    /* No one else has the temporary file open, so a write-back error of
     * its pages is still unseen and this new descriptor's fsync reports it. */
    int fd = open(f->tmp_path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) != 0) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        return vbsig_fail(VBSIG_E_IO_WRITE, _("%s: cannot flush to disk: %s"), f->final_path, strerror(e));
    }
    close(fd);
    return VBSIG_OK;
}

/* The slow way, where syncfs is missing: every file by itself. */
static int fsync_each(vbsig_atomic_file *const *files, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int rc = vbsig__atomic_sync_file(files[i]);
        if (rc != VBSIG_OK)
            return rc;
    }
    return VBSIG_OK;
}

int vbsig__atomic_flush_group(vbsig__sync_watch *w, vbsig_atomic_file *const *files, size_t n)
{
    if (w->tainted)
        return fsync_each(files, n);
    int synced[VBSIG_SYNC_WATCH_MAX] = {0};
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (stat(files[i]->tmp_path, &st) != 0)
            return vbsig_fail(VBSIG_E_IO_WRITE, _("%s: cannot flush to disk: %s"), files[i]->final_path,
                              strerror(errno));
        size_t k = 0;
        while (k < w->n && w->dev[k] != st.st_dev)
            k++;
        if (k == w->n) {
            /* Not watched: no syncfs could be trusted with its errors. */
            int rc = vbsig__atomic_sync_file(files[i]);
            if (rc != VBSIG_OK)
                return rc;
            continue;
        }
        if (synced[k])
            continue;
        /* Since Linux 5.8 syncfs reports the file system's write-back
         * errors since the descriptor was opened or last synced. */
        if (syncfs(w->fd[k]) != 0) {
            int e = errno;
            if (e == ENOSYS)
                return fsync_each(files, n);
            w->tainted = 1;
            return vbsig_fail(VBSIG_E_IO_WRITE, _("%s: cannot flush to disk: %s"), files[i]->final_path, strerror(e));
        }
        synced[k] = 1;
    }
    return VBSIG_OK;
}

int vbsig__atomic_rename(vbsig_atomic_file *f)
{
    if (f == NULL || f->tmp_path == NULL || f->final_path == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("commit of an output file that is not open"));
    if (rename(f->tmp_path, f->final_path) != 0) {
        int rc = vbsig_fail(VBSIG_E_IO_WRITE, _("%s: cannot move the new file into place: %s"), f->final_path,
                            strerror(errno));
        vbsig_atomic_abort(f);
        return rc;
    }
    free(f->tmp_path);
    f->tmp_path = NULL;
    vbsig_atomic_abort(f);
    return VBSIG_OK;
}
