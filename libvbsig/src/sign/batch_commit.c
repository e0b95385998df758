/* Group commit of a batch's outputs. A writer stages each file (written
 * under its temporary name, closed, not flushed); the committer takes what
 * is staged once the group is full or its first file has waited long
 * enough, flushes the whole group in one pass, renames each file and
 * flushes each directory once. Only then is a file's result final. One
 * flush per group instead of one per file is what lets a batch on a real
 * disk keep up with the token; the order (data on disk, then the name,
 * then the directory) is what keeps a crash from leaving a final name on
 * a partial file. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sign/batch_int.h"
#include "vbsig/file.h"

static uint64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000u + (uint64_t)t.tv_nsec / 1000000u;
}

static int same_dir(const char *a, const char *b);

void vbsig__batch_watch(vbsig_batch *b, const char *out)
{
    pthread_mutex_lock(&b->lock);
    /* Outputs mostly share one directory: it is opened once. */
    if (b->watched == NULL || !same_dir(b->watched, out)) {
        vbsig__sync_watch_add(&b->watch, out);
        free(b->watched);
        b->watched = strdup(out);
    }
    pthread_mutex_unlock(&b->lock);
}

void vbsig__batch_stage(vbsig_batch *b, size_t i)
{
    pthread_mutex_lock(&b->lock);
    if (b->n_staged == 0)
        b->group_since_ms = now_ms();
    b->staged[b->n_staged++] = i;
    /* The committer needs waking only to start a group's clock or to
     * close a full one; in between it sleeps until the group is due. */
    if (b->n_staged == 1 || b->n_staged == VBSIG_BATCH_GROUP_MAX)
        pthread_cond_signal(&b->cv_commit);
    pthread_mutex_unlock(&b->lock);
}

/* The item's output failed with rc (the thread's error names why). */
static void fail_item(vbsig__batch_item *it, int rc)
{
    it->out_rc = rc;
    free(it->out_msg);
    it->out_msg = vbsig__batch_copy_error();
    vbsig_atomic_abort(&it->file);
    it->staged = 0;
}

/* Length of path's directory part; 0 for a bare name (the current
 * directory), and 1 for a file in "/". */
static size_t dir_len(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL)
        return 0;
    return slash == path ? 1 : (size_t)(slash - path);
}

static int same_dir(const char *a, const char *b)
{
    size_t n = dir_len(a);
    return n == dir_len(b) && memcmp(a, b, n) == 0;
}

/* Renamed items (staged == 2): each directory flushed once, and the
 * items in it get their result from that flush. */
static void sync_dirs(vbsig_batch *b, const size_t *idx, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        vbsig__batch_item *it = &b->items[idx[k]];
        if (it->staged != 2)
            continue;
        size_t len = dir_len(it->out);
        char *dir = len == 0 ? strdup(".") : strndup(it->out, len);
        int rc = dir != NULL ? vbsig_sync_dir(dir) : vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
        free(dir);
        for (size_t j = k; j < n; j++) {
            vbsig__batch_item *other = &b->items[idx[j]];
            if (other->staged != 2 || !same_dir(it->out, other->out))
                continue;
            other->staged = 0;
            if (rc != VBSIG_OK) {
                other->out_rc = rc;
                other->out_msg = vbsig__batch_copy_error();
            }
        }
    }
}

static void commit_group(vbsig_batch *b, const size_t *idx, size_t n)
{
    for (size_t k = 0; k < n; k++)
        b->group_files[k] = &b->items[idx[k]].file;
    /* The writers may add file systems meanwhile; those of this group are
     * in already (each was added before its file was opened), and the
     * descriptors stay open until the batch ends. */
    pthread_mutex_lock(&b->lock);
    vbsig__sync_watch watch = b->watch;
    pthread_mutex_unlock(&b->lock);
    int flushed = vbsig__atomic_flush_group(&watch, b->group_files, n);
    if (watch.tainted) {
        pthread_mutex_lock(&b->lock);
        b->watch.tainted = 1;
        pthread_mutex_unlock(&b->lock);
    }
    if (flushed != VBSIG_OK) {
        /* The pass says only that something failed: each file by itself
         * finds which, and the others of the group go on. */
        for (size_t k = 0; k < n; k++) {
            int rc = vbsig__atomic_sync_file(b->group_files[k]);
            if (rc != VBSIG_OK)
                fail_item(&b->items[idx[k]], rc);
        }
    }
    for (size_t k = 0; k < n; k++) {
        vbsig__batch_item *it = &b->items[idx[k]];
        if (it->staged != 1)
            continue;
        int rc = vbsig__atomic_rename(&it->file); /* frees file, whatever the outcome */
        if (rc != VBSIG_OK) {
            it->staged = 0;
            it->out_rc = rc;
            it->out_msg = vbsig__batch_copy_error();
        } else {
            it->staged = 2;
        }
    }
    sync_dirs(b, idx, n);
}

void *vbsig__batch_committer_main(void *arg)
{
    vbsig_batch *b = arg;
    pthread_mutex_lock(&b->lock);
    for (;;) {
        if (b->n_staged == 0) {
            if (b->writers_done)
                break;
            pthread_cond_wait(&b->cv_commit, &b->lock);
            continue;
        }
        uint64_t due = b->group_since_ms + VBSIG_BATCH_GROUP_MS;
        if (b->n_staged < VBSIG_BATCH_GROUP_MAX && !b->writers_done && now_ms() < due) {
            struct timespec until = {.tv_sec = (time_t)(due / 1000u), .tv_nsec = (long)(due % 1000u) * 1000000L};
            pthread_cond_timedwait(&b->cv_commit, &b->lock, &until);
            continue;
        }
        /* Everything staged by now, which may be more than a full group
         * when the last commit took long: the next flush covers it all. */
        size_t n = b->n_staged;
        memcpy(b->group, b->staged, n * sizeof *b->group);
        b->n_staged = 0;
        pthread_mutex_unlock(&b->lock);
        commit_group(b, b->group, n);
        pthread_mutex_lock(&b->lock);
    }
    pthread_mutex_unlock(&b->lock);
    return NULL;
}
