/* vbsig_batch_run: the three-stage pipeline.
 *   reader   opens and maps each input once, detects its format and
 *            prepares its CMS structure (digest, signed attributes), a few
 *            files ahead of the token; a PDF is prepared by the PAdES code
 *            (vbsig_pades_prepare: update laid out, byte ranges hashed),
 *            which opens it by name once more;
 *   run loop (the caller's thread) has the token sign file i — one
 *            signature at a time, in order, exactly as a file-by-file
 *            batch does; what the pipeline cannot take (other levels, XML,
 *            the first file of a format when it must be fully verified,
 *            inputs that cannot be mapped) is signed there by
 *            vbsig_sign_file;
 *   writers  embed signature i, check the signature value against the
 *            certificate on the very bytes produced (vbsig_cades_finish,
 *            vbsig__pades_finish_staged), and write the file under its
 *            temporary name, unflushed;
 *   committer (batch_commit.c) flushes the written files a group at a
 *            time, then renames them and flushes their directory.
 * A crash during the batch loses the files of the groups not yet
 * committed (at most their temporary files remain, NAME.tmp-XXXXXX next to
 * NAME); a file under its final name is complete and on disk. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pades/pades.h"
#include "sign/batch_int.h"
#include "util/util.h"
#include "vbsig/file.h"

static void read_item(vbsig_batch *b, vbsig__batch_item *it)
{
    int fd = open(it->in, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
        (uint64_t)st.st_size > b->map_max) {
        if (fd >= 0)
            close(fd);
        it->fallback = 1;
        return;
    }
    void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (p == MAP_FAILED) {
        it->fallback = 1;
        return;
    }
    it->data = p;
    it->len = (size_t)st.st_size;
    vbsig_format seen = VBSIG_FORMAT_CADES;
    vbsig_detect_format(it->data, it->len, &seen);
    it->fmt = b->opts.sign.format != VBSIG_FORMAT_AUTO ? b->opts.sign.format : seen;
    /* No context: B-B needs none, and the run loop may be using it. */
    if (it->fmt == VBSIG_FORMAT_CADES) {
        it->prep_rc = vbsig_cades_prepare(NULL, b->signer, &b->cades_bb, it->data, it->len, &it->pending);
    } else {
        /* The PDF code opens the file by name: the mapping was for the format. */
        munmap(it->data, it->len);
        it->data = NULL;
        if (it->fmt == VBSIG_FORMAT_PADES && seen == VBSIG_FORMAT_PADES)
            it->prep_rc = vbsig_pades_prepare(NULL, b->signer, &b->pades_bb, it->in, &it->pdf_pending);
    }
    if (it->prep_rc != VBSIG_OK)
        it->prep_msg = vbsig__batch_copy_error();
}

static void *reader_main(void *arg)
{
    vbsig_batch *b = arg;
    pthread_mutex_lock(&b->lock);
    while (!b->stop && b->read_next < b->count) {
        if (b->read_next > b->caller_at + VBSIG_BATCH_AHEAD) {
            pthread_cond_wait(&b->cv_reader, &b->lock);
            continue;
        }
        size_t i = b->read_next;
        pthread_mutex_unlock(&b->lock);
        read_item(b, &b->items[i]);
        pthread_mutex_lock(&b->lock);
        b->items[i].read = 1;
        b->read_next++;
        pthread_cond_signal(&b->cv_caller);
    }
    pthread_mutex_unlock(&b->lock);
    return NULL;
}

/* data under f's temporary name for path, closed unflushed. */
static int stage_bytes(vbsig_atomic_file *f, const char *path, const vbsig_buf *data)
{
    int rc = vbsig_atomic_open(f, path);
    if (rc == VBSIG_OK && (rc = vbsig_atomic_write(f, data->data, data->len)) == VBSIG_OK)
        rc = vbsig__atomic_close_unsynced(f);
    return rc;
}

static void write_item(vbsig_batch *b, size_t i)
{
    vbsig__batch_item *it = &b->items[i];
    vbsig_buf der = {0};
    int rc;
    vbsig__batch_watch(b, it->out);
    if (it->pdf_pending != NULL) {
        /* Embeds the CMS (its signature value checked as for CAdES). */
        rc = vbsig__pades_finish_staged(it->pdf_pending, it->sig, it->sig_len, it->out, &it->file);
    } else {
        rc = vbsig_cades_finish(it->pending, it->sig, it->sig_len, &der);
        if (rc == VBSIG_OK)
            rc = stage_bytes(&it->file, it->out, &der);
    }
    vbsig_buf_free(&der);
    vbsig__batch_release(it);
    if (rc != VBSIG_OK) {
        it->out_rc = rc;
        it->out_msg = vbsig__batch_copy_error();
        return;
    }
    it->staged = 1;
    vbsig__batch_stage(b, i);
}

static void *writer_main(void *arg)
{
    vbsig_batch *b = arg;
    pthread_mutex_lock(&b->lock);
    for (;;) {
        if (b->q_head == b->q_tail) {
            if (b->stop)
                break;
            pthread_cond_wait(&b->cv_writers, &b->lock);
            continue;
        }
        size_t i = b->queue[b->q_head++];
        pthread_mutex_unlock(&b->lock);
        write_item(b, i);
        pthread_mutex_lock(&b->lock);
        b->q_done++;
        pthread_cond_signal(&b->cv_caller);
    }
    pthread_mutex_unlock(&b->lock);
    return NULL;
}

/* The run loop is on file i now: the reader may run further ahead.
 * Returns the item once the reader is done with it, or NULL without one. */
static vbsig__batch_item *advance(vbsig_batch *b, size_t i)
{
    if (!b->reader_started)
        return NULL;
    pthread_mutex_lock(&b->lock);
    if (i > b->caller_at) {
        b->caller_at = i;
        pthread_cond_signal(&b->cv_reader);
    }
    while (!b->items[i].read)
        pthread_cond_wait(&b->cv_caller, &b->lock);
    pthread_mutex_unlock(&b->lock);
    return &b->items[i];
}

/* Hands a signed item to the writers (waiting while too many are queued). */
static void enqueue(vbsig_batch *b, size_t i)
{
    pthread_mutex_lock(&b->lock);
    while (b->q_tail - b->q_done >= VBSIG_BATCH_BEHIND)
        pthread_cond_wait(&b->cv_caller, &b->lock);
    b->items[i].queued = 1;
    b->queue[b->q_tail++] = i;
    pthread_cond_signal(&b->cv_writers);
    pthread_mutex_unlock(&b->lock);
}

/* The token signs the item's request; VBSIG_OK: queued for writing. */
static int sign_and_queue(vbsig_batch *b, size_t i, const vbsig_sign_request *req)
{
    vbsig__batch_item *it = &b->items[i];
    it->sig_len = VBSIG_MAX_SIGNATURE;
    it->sig = malloc(VBSIG_MAX_SIGNATURE);
    if (it->sig == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    int rc = vbsig_signer_sign_digest(b->signer, req, it->sig, &it->sig_len);
    if (rc != VBSIG_OK)
        return rc;
    enqueue(b, i);
    return VBSIG_OK;
}

/* The plain way: vbsig_sign_file with the batch's options. */
static int one_file(vbsig_batch *b, vbsig__batch_item *it)
{
    vbsig_sign_opts so = b->opts.sign;
    so.format = it->fmt;
    return vbsig_sign_file(b->ctx, b->signer, &so, it->in, it->out, NULL);
}

/* The item's format: forced, seen by the reader, or read here. */
static int item_format(vbsig_batch *b, vbsig__batch_item *it, int from_reader)
{
    if (b->opts.sign.format != VBSIG_FORMAT_AUTO) {
        it->fmt = b->opts.sign.format;
        return VBSIG_OK;
    }
    if (from_reader)
        return VBSIG_OK;
    vbsig_format f;
    int rc = vbsig_detect_format_file(it->in, &f);
    if (rc == VBSIG_OK)
        it->fmt = f;
    return rc;
}

static int sign_item(vbsig_batch *b, size_t i, vbsig__batch_item *read)
{
    vbsig__batch_item *it = &b->items[i];
    int rc = item_format(b, it, read != NULL && !read->fallback);
    if (rc != VBSIG_OK)
        return rc;
    struct stat st; /* nothing to sign: refused, not signed as 0 bytes */
    if (stat(it->in, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 0)
        return vbsig_fail(VBSIG_E_MALFORMED, _("%s: empty file"), it->in);
    if (b->opts.check != NULL && (rc = b->opts.check(b->opts.check_user, b, i, it->fmt)) != VBSIG_OK)
        return rc;
    if ((rc = vbsig__batch_name_output(b, it)) != VBSIG_OK)
        return rc;
    const vbsig_sign_request *req = NULL;
    int verify = 0, no_flag = 0, *verified = &no_flag;
    if (it->fmt == VBSIG_FORMAT_PADES) {
        verify = b->pades.verify_after_sign;
        verified = &b->pdf_verified;
        req = it->pdf_pending != NULL ? vbsig_pades_pending_request(it->pdf_pending) : NULL;
    } else if (it->fmt == VBSIG_FORMAT_CADES) {
        verify = b->cades.verify_after_sign;
        verified = &b->cades_verified;
        req = it->pending != NULL ? vbsig_cades_pending_request(it->pending) : NULL;
    }
    int full = verify && (b->opts.verify_every || !*verified);
    if (req != NULL && !full && b->writers_started > 0)
        return sign_and_queue(b, i, req);
    /* The error the preparation met is reported as is, unless the
     * signature is a full one, which meets that error again itself. */
    if (read != NULL && !read->fallback && read->prep_rc != VBSIG_OK && !full)
        return vbsig_set_error(read->prep_rc, read->prep_msg != NULL ? read->prep_msg : "");
    vbsig__batch_release(it);
    rc = one_file(b, it);
    if (rc == VBSIG_OK && full)
        *verified = 1;
    return rc;
}

static int start(vbsig_batch *b)
{
    vbsig__sync_watch_init(&b->watch);
    pthread_mutex_init(&b->lock, NULL);
    pthread_cond_init(&b->cv_reader, NULL);
    pthread_cond_init(&b->cv_caller, NULL);
    pthread_cond_init(&b->cv_writers, NULL);
    /* The committer waits for a group to fall due: a clock that the
     * wall-clock time being set cannot move. */
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&b->cv_commit, &ca);
    pthread_condattr_destroy(&ca);
    /* One file, other levels, XML: nothing to hide behind the token. */
    if (b->count < 2 || b->opts.sign.level != VBSIG_LEVEL_B_B || b->opts.sign.format == VBSIG_FORMAT_XADES)
        return VBSIG_OK;
    b->queue = calloc(b->count, sizeof *b->queue);
    b->staged = calloc(b->count, sizeof *b->staged);
    b->group = calloc(b->count, sizeof *b->group);
    b->group_files = calloc(b->count, sizeof *b->group_files);
    if (b->queue == NULL || b->staged == NULL || b->group == NULL || b->group_files == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    /* Without its threads the batch still works, file by file; writers
     * only with a committer to make their files durable. */
    b->reader_started = pthread_create(&b->reader, NULL, reader_main, b) == 0;
    b->committer_started = pthread_create(&b->committer, NULL, vbsig__batch_committer_main, b) == 0;
    while (b->committer_started && b->writers_started < VBSIG_BATCH_WRITERS &&
           pthread_create(&b->writers[b->writers_started], NULL, writer_main, b) == 0)
        b->writers_started++;
    return VBSIG_OK;
}

int vbsig_batch_run(vbsig_batch *b, vbsig_batch_progress_cb progress, void *user)
{
    vbsig_i18n_ensure();
    if (b == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("%s: the argument '%s' is NULL"), "vbsig_batch_run", "batch");
    if (b->ran)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("%s: the batch has already run"), "vbsig_batch_run");
    b->ran = 1;
    b->running = 1;
    int rc = start(b);
    for (size_t i = 0; rc == VBSIG_OK && i < b->count; i++) {
        vbsig__batch_item *it = &b->items[i];
        vbsig__batch_item *read = advance(b, i);
        it->rc = sign_item(b, i, read);
        if (it->rc != VBSIG_OK)
            it->msg = vbsig__batch_copy_error();
        if (!it->queued)
            vbsig__batch_release(it);
        if (progress != NULL)
            progress(user, b, i, i + 1, b->count);
    }
    pthread_mutex_lock(&b->lock);
    b->stop = 1;
    pthread_cond_broadcast(&b->cv_reader);
    pthread_cond_broadcast(&b->cv_writers);
    pthread_mutex_unlock(&b->lock);
    if (b->reader_started)
        pthread_join(b->reader, NULL);
    for (int w = 0; w < b->writers_started; w++)
        pthread_join(b->writers[w], NULL);
    /* The last group, however small, is committed now. */
    pthread_mutex_lock(&b->lock);
    b->writers_done = 1;
    pthread_cond_broadcast(&b->cv_commit);
    pthread_mutex_unlock(&b->lock);
    if (b->committer_started)
        pthread_join(b->committer, NULL);
    vbsig__sync_watch_close(&b->watch);
    free(b->watched);
    b->watched = NULL;
    b->running = 0;
    for (size_t i = 0; i < b->count; i++)
        b->failed += vbsig_batch_item_status(b, i) != VBSIG_OK;
    pthread_mutex_destroy(&b->lock);
    pthread_cond_destroy(&b->cv_reader);
    pthread_cond_destroy(&b->cv_caller);
    pthread_cond_destroy(&b->cv_writers);
    pthread_cond_destroy(&b->cv_commit);
    return rc;
}
