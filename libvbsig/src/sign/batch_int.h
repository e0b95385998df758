/* The batch object's insides, shared by batch.c (the object, naming,
 * accessors) and batch_run.c (the pipeline). */
#ifndef VBSIG_SIGN_BATCH_INT_H
#define VBSIG_SIGN_BATCH_INT_H

#include <pthread.h>
#include <stdint.h>

#include "util/util.h"
#include "vbsig/batch.h"
#include "vbsig/cades.h"
#include "vbsig/pades.h"

#define VBSIG_BATCH_AHEAD 4               /* files read and prepared ahead of the token */
#define VBSIG_BATCH_BEHIND 16             /* signed files waiting to be written */
/* Writers embed, check and write (no flush: the committer does that), so
 * more of them than cores would only take CPU from the signing thread. */
#define VBSIG_BATCH_WRITERS 2
/* Durability is paid once per group of written files: a group is closed
 * when it holds this many files or its first file has waited this long,
 * whichever comes first (and at the end of the batch). A crash loses at
 * most the files of the groups not yet committed; they are absent, not
 * partial. */
#define VBSIG_BATCH_GROUP_MAX 64
#define VBSIG_BATCH_GROUP_MS 50
#define VBSIG_BATCH_MAP_MAX (64ull << 20) /* larger inputs go the one-file way */

typedef struct vbsig__batch_item {
    char *in, *out;
    int out_given;     /* out came from vbsig_batch_add */
    vbsig_format fmt;  /* AUTO until known */
    /* Reader stage. */
    int read;          /* the reader is done with it */
    int fallback;      /* not mapped: the one-file way */
    int released;      /* input and prepared structures freed */
    uint8_t *data;
    size_t len;
    vbsig_cades_pending *pending;
    vbsig_pades_pending *pdf_pending;
    int prep_rc;
    char *prep_msg;
    /* Signing stage (the run thread only). */
    uint8_t *sig;
    size_t sig_len;
    int queued;        /* handed to the writers */
    int rc;
    char *msg;
    /* Writing stage (a writer, before q_done counts it; then the
     * committer, for a staged file). */
    int out_rc;
    char *out_msg;
    int staged;                /* file holds the output under its temporary name, unflushed */
    vbsig_atomic_file file;
} vbsig__batch_item;

struct vbsig_batch {
    vbsig_ctx *ctx;
    vbsig_signer *signer;
    vbsig_batch_opts opts;
    char *out_dir;
    vbsig_cades_sign_opts cades;    /* effective, for the one-file way */
    vbsig_pades_sign_opts pades;
    vbsig_xml_sign_opts xml;
    vbsig_cades_sign_opts cades_bb; /* the pipeline's preparation: B-B, no TSA */
    vbsig_pades_sign_opts pades_bb;
    vbsig__batch_item *items;
    size_t count, cap;
    size_t failed;
    int ran, running;
    int cades_verified, pdf_verified; /* the first file of the format went the one-file way */
    uint64_t map_max;
    pthread_mutex_t lock;
    /* One condition per kind of waiter, so a change wakes only who needs it. */
    pthread_cond_t cv_reader;  /* the run loop moved on: the reader may read further */
    pthread_cond_t cv_caller;  /* a file was read, or a writer took one */
    pthread_cond_t cv_writers; /* a signed file was queued */
    pthread_cond_t cv_commit;  /* a file was staged, or the writers are done (CLOCK_MONOTONIC) */
    size_t caller_at;
    size_t read_next;
    size_t *queue;
    size_t q_head, q_tail, q_done;
    int stop;
    int reader_started, writers_started, committer_started;
    pthread_t reader, writers[VBSIG_BATCH_WRITERS], committer;
    /* Staged files waiting for their group's commit. */
    size_t *staged;
    size_t n_staged;
    size_t *group;             /* the committer's: the group it commits */
    vbsig_atomic_file **group_files;
    uint64_t group_since_ms;   /* when the first of them was staged */
    vbsig__sync_watch watch;   /* the output file systems, watched from before their first output */
    char *watched;             /* the last output whose directory was added to it */
    int writers_done;
};

/* Names item's output in the batch's out_dir by its format, when
 * vbsig_batch_add was given none. */
int vbsig__batch_name_output(vbsig_batch *b, vbsig__batch_item *it);
/* Frees what the item holds for signing (mapping, pending handles). */
void vbsig__batch_release(vbsig__batch_item *it);
/* A strdup of the thread's last error message ("" when none). */
char *vbsig__batch_copy_error(void);

/* Group durability (batch_commit.c). A writer calls vbsig__batch_watch
 * before it writes an output, and hands over item i once the output is
 * staged (b->lock not held for either). */
void vbsig__batch_watch(vbsig_batch *b, const char *out);
void vbsig__batch_stage(vbsig_batch *b, size_t i);
/* The committer thread: commits groups until the writers are done and
 * nothing is staged. Each staged item's out_rc is set only once its
 * rename is on disk (or to the reason it is not; its temporary file is
 * then removed). */
void *vbsig__batch_committer_main(void *arg);

#endif
