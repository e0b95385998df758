/* Batch signing of CAdES files and PDFs with one login, in a pipeline, so
 * that the host's work hides behind the token's:
 *   reader   opens and maps each input once, detects its format and
 *            prepares its CMS structure (digest, signed attributes), a few
 *            files ahead of the token; a PDF is prepared by the PAdES code
 *            (vbsig_pades_prepare: update laid out, byte ranges hashed),
 *            which opens it by name once more;
 *   caller   (the sign loop) has the token sign file i — one signature at
 *            a time, in order, exactly as a file-by-file batch does;
 *   writers  encode signature i, check the signature value against the
 *            certificate on the very bytes produced (vbsig_cades_finish),
 *            and write the file atomically (several at once: the flushes
 *            wait for the disk).
 * Re-verification: the first CAdES file and the first PDF of the batch go
 * the one-file way
 * (vbsig_cades_sign_file: full verification of what was written, as for a
 * single file); after it, each signature value is still checked with the
 * certificate's public key, but the full re-parse and report, identical for
 * every file of one signer, are not repeated.
 * Durability: every file's data is flushed to disk before its rename, so no
 * final name ever holds a partial file; for CAdES outputs the directory is
 * flushed once at the end rather than after every file (PDFs: after each,
 * by vbsig_pades_finish). A crash during the batch
 * may lose the renames of the last files (they are then absent), nothing
 * more. Inputs that cannot be mapped (special files, errors, very large
 * files) go the one-file way, which reports their errors. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sign_batch.h"
#include "sign_pdf.h"

#define BATCH_AHEAD 4               /* files read and prepared ahead of the token */
#define BATCH_BEHIND 16             /* signed files waiting to be written */
/* Writers: flushing a file to disk mostly waits for the device, and
 * flushes issued together share the file system's journal commits. */
#define BATCH_WRITERS 4
#define BATCH_MAP_MAX (64ull << 20) /* larger inputs go the one-file way */

typedef struct batch_item {
    int read;     /* the reader is done with it */
    int fallback; /* not mapped: the one-file way */
    int released; /* input and CMS freed */
    uint8_t *data;
    size_t len;
    cli_format fmt;
    vbsig_cades_pending *pending;
    vbsig_pades_pending *pdf_pending; /* PDFs: laid out and hashed ahead */
    int prep_rc;
    char *prep_msg;
    uint8_t *sig; /* VBSIG_MAX_SIGNATURE bytes once signed */
    size_t sig_len;
    char *out;
    int out_rc;
    char *out_msg;
} batch_item;

struct cli_batch {
    vbsig_ctx *ctx;
    vbsig_signer *signer;
    vbsig_cades_sign_opts opts;
    char **inputs;
    int count;
    const char *out_dir;
    int force_cades; /* --format cades: prepare every file */
    const cli_pdf_args *pdf; /* NULL: PDFs are signed file by file */
    vbsig_pades_sign_opts pdf_opts;
    int pdf_verified; /* the first PDF went the one-file way */
    int verified;    /* the first CAdES file went the one-file way */
    uint64_t map_max;
    batch_item *items;
    pthread_mutex_t lock;
    /* One condition per kind of waiter, so a change wakes only who needs it. */
    pthread_cond_t cv_reader;  /* the loop moved on: the reader may read further */
    pthread_cond_t cv_caller;  /* a file was read, or a writer took one */
    pthread_cond_t cv_writers; /* a signed file was queued */
    int caller_at; /* the file the sign loop is on */
    int read_next;
    int *queue; /* files for the writers, in order */
    int q_head, q_tail, q_done;
    int written_ok;
    int stop;
    int reader_started, writers_started;
    pthread_t reader, writers[BATCH_WRITERS];
};

static int sign_and_queue(cli_batch *b, int i, struct batch_item *it, const vbsig_sign_request *req, const char *out);

static char *copy_error(void)
{
    const char *m = vbsig_last_error();
    return strdup(m != NULL ? m : "");
}

/* Frees what the item holds for signing; the caller owns the item. */
static void release(batch_item *it)
{
    if (it->released)
        return;
    it->released = 1;
    free(it->sig);
    it->sig = NULL;
    vbsig_cades_pending_free(it->pending);
    it->pending = NULL;
    vbsig_pades_pending_free(it->pdf_pending);
    it->pdf_pending = NULL;
    if (it->data != NULL)
        munmap(it->data, it->len);
    it->data = NULL;
}

static void read_item(cli_batch *b, batch_item *it, const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
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
    cli_detect_format_bytes(it->data, it->len, &it->fmt);
    if (!b->force_cades && it->fmt == FORMAT_PADES && b->pdf != NULL) {
        /* The PDF code opens the file by name: the mapping was for the format. */
        munmap(it->data, it->len);
        it->data = NULL;
        it->prep_rc = vbsig_pades_prepare(NULL, b->signer, path, &b->pdf_opts, &it->pdf_pending);
        if (it->prep_rc != VBSIG_OK)
            it->prep_msg = copy_error();
        return;
    }
    if (!b->force_cades && it->fmt != FORMAT_CADES)
        return;
    /* No context: B-B needs none, and the sign loop may be using it. */
    it->prep_rc = vbsig_cades_prepare(NULL, b->signer, &b->opts, it->data, it->len, &it->pending);
    if (it->prep_rc != VBSIG_OK)
        it->prep_msg = copy_error();
}

static void *reader_main(void *arg)
{
    cli_batch *b = arg;
    pthread_mutex_lock(&b->lock);
    while (!b->stop && b->read_next < b->count) {
        if (b->read_next > b->caller_at + BATCH_AHEAD) {
            pthread_cond_wait(&b->cv_reader, &b->lock);
            continue;
        }
        int i = b->read_next;
        pthread_mutex_unlock(&b->lock);
        read_item(b, &b->items[i], b->inputs[i]);
        pthread_mutex_lock(&b->lock);
        b->items[i].read = 1;
        b->read_next++;
        pthread_cond_signal(&b->cv_caller);
    }
    pthread_mutex_unlock(&b->lock);
    return NULL;
}

static void write_item(batch_item *it)
{
    vbsig_buf der = {0};
    int rc;
    if (it->pdf_pending != NULL) {
        /* Embeds the CMS (its signature value checked as for CAdES) and
         * writes the PDF atomically, its directory flushed too. */
        rc = vbsig_pades_finish(it->pdf_pending, it->sig, it->sig_len, it->out);
    } else {
        rc = vbsig_cades_finish(it->pending, it->sig, it->sig_len, &der);
        if (rc == VBSIG_OK)
            rc = vbsig_write_file(it->out, der.data, der.len, VBSIG_WRITE_DEFER_DIR_SYNC);
    }
    if (rc != VBSIG_OK) {
        it->out_rc = rc;
        it->out_msg = copy_error();
    }
    vbsig_buf_free(&der);
    release(it);
}

static void *writer_main(void *arg)
{
    cli_batch *b = arg;
    pthread_mutex_lock(&b->lock);
    for (;;) {
        if (b->q_head == b->q_tail) {
            if (b->stop)
                break;
            pthread_cond_wait(&b->cv_writers, &b->lock);
            continue;
        }
        batch_item *it = &b->items[b->queue[b->q_head++]];
        pthread_mutex_unlock(&b->lock);
        write_item(it);
        pthread_mutex_lock(&b->lock);
        b->q_done++;
        b->written_ok += it->out_rc == VBSIG_OK;
        pthread_cond_signal(&b->cv_caller);
    }
    pthread_mutex_unlock(&b->lock);
    return NULL;
}

/* The PAdES options of cli_sign_pdf, without the re-verification (the
 * batch re-verifies its first PDF the one-file way) and without a TSA (the
 * batch signs at B-B only). */
static void pdf_options(const cli_pdf_args *a, const vbsig_cades_sign_opts *opts, vbsig_pades_sign_opts *po)
{
    cli_pdf_sign_opts(a, opts, po);
    po->tsp = NULL;
    po->verify_after_sign = 0;
}

cli_batch *cli_batch_new(vbsig_ctx *ctx, vbsig_signer *signer, const vbsig_cades_sign_opts *opts, const char *format,
                         const cli_pdf_args *pdf, char **inputs, int count, const char *out_dir)
{
    if (count < 2 || out_dir == NULL || opts->level != VBSIG_LEVEL_B_B ||
        (strcmp(format, "auto") != 0 && strcmp(format, "cades") != 0 && strcmp(format, "pades") != 0))
        return NULL;
    cli_batch *b = calloc(1, sizeof *b);
    if (b == NULL)
        return NULL;
    b->items = calloc((size_t)count, sizeof *b->items);
    b->queue = calloc((size_t)count, sizeof *b->queue);
    if (b->items == NULL || b->queue == NULL) {
        free(b->items);
        free(b->queue);
        free(b);
        return NULL;
    }
    b->ctx = ctx;
    b->signer = signer;
    b->opts = *opts;
    b->inputs = inputs;
    b->count = count;
    b->out_dir = out_dir;
    b->force_cades = strcmp(format, "cades") == 0;
    if (pdf != NULL && strcmp(format, "cades") != 0) {
        b->pdf = pdf;
        pdf_options(pdf, opts, &b->pdf_opts);
    }
    uint64_t limit = ctx != NULL ? vbsig_ctx_get_limit(ctx, VBSIG_LIMIT_INPUT_SIZE) : 0;
    b->map_max = limit != 0 && limit < BATCH_MAP_MAX ? limit : BATCH_MAP_MAX;
    pthread_mutex_init(&b->lock, NULL);
    pthread_cond_init(&b->cv_reader, NULL);
    pthread_cond_init(&b->cv_caller, NULL);
    pthread_cond_init(&b->cv_writers, NULL);
    /* Without its threads the batch still works, file by file. */
    b->reader_started = pthread_create(&b->reader, NULL, reader_main, b) == 0;
    while (b->writers_started < BATCH_WRITERS &&
           pthread_create(&b->writers[b->writers_started], NULL, writer_main, b) == 0)
        b->writers_started++;
    return b;
}

/* The loop is on file i now: files before it that were not handed to the
 * writer are let go, and the reader may run further ahead. Returns the
 * item once the reader is done with it, or NULL without a reader. */
static batch_item *advance(cli_batch *b, int i)
{
    pthread_mutex_lock(&b->lock);
    for (int j = b->caller_at; j < i; j++)
        if (b->items[j].read && b->items[j].out == NULL)
            release(&b->items[j]);
    if (i > b->caller_at) {
        b->caller_at = i;
        pthread_cond_signal(&b->cv_reader);
    }
    while (b->reader_started && !b->items[i].read)
        pthread_cond_wait(&b->cv_caller, &b->lock);
    batch_item *it = b->items[i].read ? &b->items[i] : NULL;
    pthread_mutex_unlock(&b->lock);
    return it;
}

int cli_batch_detect(cli_batch *b, int i, cli_format *out)
{
    batch_item *it = advance(b, i);
    if (it == NULL || it->fallback)
        return cli_detect_format(b->inputs[i], out);
    *out = it->fmt;
    return VBSIG_OK;
}

/* An item signed the plain way rather than by the pipeline: its pipeline
 * resources are let go; the error its preparation met is reported as is,
 * unless the signature is a full one (verified after signing), which meets
 * that error again itself. */
static int leave_pipeline(batch_item *it, int full)
{
    if (it == NULL)
        return VBSIG_OK;
    int rc = full ? VBSIG_OK : it->prep_rc;
    if (rc != VBSIG_OK)
        vbsig_set_error(rc, it->prep_msg != NULL ? it->prep_msg : "");
    release(it);
    return rc;
}

int cli_batch_sign_cades(cli_batch *b, int i, const char *out)
{
    batch_item *it = advance(b, i);
    int full = b->opts.verify_after_sign && !b->verified;
    if (it == NULL || it->fallback || it->pending == NULL || full || b->writers_started == 0) {
        int rc = leave_pipeline(it, full);
        if (rc != VBSIG_OK)
            return rc;
        rc = vbsig_cades_sign_file(b->ctx, b->signer, &b->opts, b->inputs[i], out);
        if (rc == VBSIG_OK && full)
            b->verified = 1;
        if (rc == VBSIG_OK) {
            pthread_mutex_lock(&b->lock);
            b->written_ok++; /* its directory is flushed at the end all the same */
            pthread_mutex_unlock(&b->lock);
        }
        return rc;
    }
    return sign_and_queue(b, i, it, vbsig_cades_pending_request(it->pending), out);
}

/* Hands a signed item to the writers (waiting while too many are queued). */
static void enqueue(cli_batch *b, int i)
{
    pthread_mutex_lock(&b->lock);
    while (b->q_tail - b->q_done >= BATCH_BEHIND)
        pthread_cond_wait(&b->cv_caller, &b->lock);
    b->queue[b->q_tail++] = i;
    pthread_cond_signal(&b->cv_writers);
    pthread_mutex_unlock(&b->lock);
}

/* The token signs the item's request; VBSIG_OK: queued for writing. */
static int sign_and_queue(cli_batch *b, int i, batch_item *it, const vbsig_sign_request *req, const char *out)
{
    it->sig_len = VBSIG_MAX_SIGNATURE;
    int rc = (it->sig = malloc(VBSIG_MAX_SIGNATURE)) != NULL && (it->out = strdup(out)) != NULL
                 ? VBSIG_OK
                 : vbsig_set_error(VBSIG_E_NOMEM, _("out of memory"));
    if (rc == VBSIG_OK)
        rc = vbsig_signer_sign_digest(b->signer, req, it->sig, &it->sig_len);
    if (rc != VBSIG_OK) {
        free(it->out);
        it->out = NULL;
        release(it);
        return rc;
    }
    enqueue(b, i);
    return VBSIG_OK;
}

int cli_batch_sign_pdf(cli_batch *b, int i, const char *out)
{
    batch_item *it = advance(b, i);
    int full = b->opts.verify_after_sign && !b->pdf_verified;
    if (it == NULL || it->fallback || it->pdf_pending == NULL || full || b->writers_started == 0) {
        int rc = leave_pipeline(it, full);
        if (rc != VBSIG_OK)
            return rc;
        rc = cli_sign_pdf(b->ctx, b->signer, b->pdf != NULL ? b->pdf : &(cli_pdf_args){0}, &b->opts,
                              b->inputs[i], out);
        if (rc == VBSIG_OK && full)
            b->pdf_verified = 1;
        return rc;
    }
    return sign_and_queue(b, i, it, vbsig_pades_pending_request(it->pdf_pending), out);
}

int cli_batch_end(cli_batch *b, int *first_error)
{
    if (b == NULL)
        return 0;
    pthread_mutex_lock(&b->lock);
    b->stop = 1;
    pthread_cond_broadcast(&b->cv_reader);
    pthread_cond_broadcast(&b->cv_writers);
    pthread_mutex_unlock(&b->lock);
    if (b->reader_started)
        pthread_join(b->reader, NULL);
    for (int w = 0; w < b->writers_started; w++)
        pthread_join(b->writers[w], NULL);
    int failures = 0;
    for (int i = 0; i < b->count; i++) {
        batch_item *it = &b->items[i];
        if (it->out_rc != VBSIG_OK) {
            vbsig_set_error(it->out_rc, it->out_msg != NULL ? it->out_msg : "");
            char what[600];
            snprintf(what, sizeof what, _("cannot sign %s"), b->inputs[i]);
            int code = cli_fail(it->out_rc, what);
            if (*first_error == 0)
                *first_error = code;
            failures++;
        }
        if (it->read)
            release(it);
        free(it->prep_msg);
        free(it->out_msg);
        free(it->out);
    }
    if (b->written_ok > 0) {
        int rc = vbsig_sync_dir(b->out_dir);
        if (rc != VBSIG_OK) {
            int code = cli_fail(rc, "sign");
            if (*first_error == 0)
                *first_error = code;
        }
    }
    pthread_mutex_destroy(&b->lock);
    pthread_cond_destroy(&b->cv_reader);
    pthread_cond_destroy(&b->cv_caller);
    pthread_cond_destroy(&b->cv_writers);
    free(b->items);
    free(b->queue);
    free(b);
    return failures;
}
