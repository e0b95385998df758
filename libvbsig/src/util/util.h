/* Private helpers shared by every module of libvbsig: errors, buffers, files,
 * encodings, times and input limits. Nothing here is exported. */
#ifndef VBSIG_UTIL_H
#define VBSIG_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "vbsig/status.h"
#include "vbsig/buf.h"

/* ---- i18n ---------------------------------------------------------------
 * Library messages use the "vbsig" gettext domain. _() translates now,
 * N_() only marks a string for extraction. */
#include <libintl.h>
#define VBSIG_TEXTDOMAIN "vbsig"
#define _(s) dgettext(VBSIG_TEXTDOMAIN, s)
#define N_(s) (s)
/* Binds the text domain once per process (thread-safe). Called by every
 * entry point that may produce text. */
void vbsig_i18n_ensure(void);

/* ---- errors (error.c) ---------------------------------------------------
 * Set the thread-local message and return `status`, so call sites read
 *   return vbsig_fail(VBSIG_E_MALFORMED, _("%s: bad length at offset %zu"), path, off);
 * The message is truncated at 1 KiB. */
int vbsig_fail(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Like vbsig_fail, and appends ": <first OpenSSL error reason>" when the
 * OpenSSL error queue has one; always clears that queue. */
int vbsig_fail_ssl(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Loads OpenSSL's error texts if they are not yet (ssl_strings.c); call
 * before quoting an OpenSSL reason. Cheap once done. */
void vbsig_ssl_strings_load(void);
void vbsig_error_clear(void);
/* A NULL argument a public function requires: VBSIG_E_INVALID_ARG with a
 * message naming the function and the argument (by its name in the public
 * header). VBSIG_REQUIRE returns it from the calling function;
 * VBSIG_REQUIRE_BYTES only when the length says there are bytes (a NULL
 * pointer with length 0 is empty input). */
int vbsig_null_arg(const char *func, const char *arg);
#define VBSIG_REQUIRE(p, name)                     \
    do {                                           \
        if ((p) == NULL)                           \
            return vbsig_null_arg(__func__, name); \
    } while (0)
/* A signing call whose options ask for verify_after_sign without a context. */
#define VBSIG_REQUIRE_CTX_TO_VERIFY(ctx, opts)                    \
    do {                                                          \
        if ((ctx) == NULL && (opts)->verify_after_sign)           \
            return vbsig_null_ctx_to_verify(__func__);            \
    } while (0)
int vbsig_null_ctx_to_verify(const char *func);
#define VBSIG_REQUIRE_BYTES(p, n, name)            \
    do {                                           \
        if ((p) == NULL && (n) != 0)               \
            return vbsig_null_arg(__func__, name); \
    } while (0)

/* ---- growable byte buffer (buf.c) ---------------------------------------
 * vbsig_buf is public (vbsig/buf.h): { uint8_t *data; size_t len; }.
 * These keep a private capacity in a side struct. */
typedef struct vbsig_bytes {
    uint8_t *data;
    size_t len;
    size_t cap;
} vbsig_bytes;
void vbsig_bytes_init(vbsig_bytes *b);
int vbsig_bytes_reserve(vbsig_bytes *b, size_t extra);               /* VBSIG_E_NOMEM on overflow */
int vbsig_bytes_append(vbsig_bytes *b, const void *p, size_t n);
int vbsig_bytes_append_str(vbsig_bytes *b, const char *s);
int vbsig_bytes_printf(vbsig_bytes *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void vbsig_bytes_free(vbsig_bytes *b);                                 /* wipes nothing */
/* Hands the bytes over to a public vbsig_buf (b is reset). */
void vbsig_bytes_to_buf(vbsig_bytes *b, vbsig_buf *out);
/* Overwrites memory that held secrets in a way the compiler keeps. */
void vbsig_wipe(void *p, size_t n);

/* ---- files (file_map.c, atomic_write.c) ---------------------------------
 * A read-only view of a whole file: mmap for regular files, a bounded read
 * for pipes and other streams. Empty files give data=NULL, len=0.
 * Errors: VBSIG_E_IO_READ (missing, unreadable, a directory),
 *         VBSIG_E_LIMIT (larger than max_len; max_len 0 means no limit). */
typedef struct vbsig_file_map {
    const uint8_t *data;
    size_t len;
    int mapped; /* private */
} vbsig_file_map;
int vbsig_file_map_open(vbsig_file_map *m, const char *path, uint64_t max_len);
void vbsig_file_map_close(vbsig_file_map *m);

/* Atomic output: data goes to "<path>.tmp-XXXXXX" in the same directory,
 * is fsync'ed, then rename()d over path (and the directory fsync'ed).
 * On any failure the temporary file is removed and path is untouched.
 * Errors: VBSIG_E_IO_WRITE naming the path and errno text. */
typedef struct vbsig_atomic_file {
    int fd;
    char *final_path;
    char *tmp_path;
} vbsig_atomic_file;
int vbsig_atomic_open(vbsig_atomic_file *f, const char *path);
int vbsig_atomic_write(vbsig_atomic_file *f, const void *p, size_t n);
int vbsig_atomic_commit(vbsig_atomic_file *f);   /* fsync + rename; frees */
int vbsig_atomic_commit_defer_dir(vbsig_atomic_file *f); /* the same, the directory left to vbsig_sync_dir */
void vbsig_atomic_abort(vbsig_atomic_file *f);   /* unlink temp; frees; safe twice */
/* Grouped durability (atomic_group.c): vbsig__sync_watch_add for each
 * output's directory before the output is written, write,
 * vbsig__atomic_close_unsynced each file, vbsig__atomic_flush_group once
 * for the group, then vbsig__atomic_rename each and vbsig_sync_dir each
 * directory. */
#define VBSIG_SYNC_WATCH_MAX 8
typedef struct vbsig__sync_watch {
    /* A directory of each file system written to, opened before any file
     * was written there: a syncfs through it reports every write-back
     * error since, even one that someone else's syncfs has already seen. */
    int fd[VBSIG_SYNC_WATCH_MAX];
    dev_t dev[VBSIG_SYNC_WATCH_MAX];
    size_t n;
    /* A flush reported an error: which file it was is unknown, so from
     * then on each file is flushed by itself. */
    int tainted;
} vbsig__sync_watch;
void vbsig__sync_watch_init(vbsig__sync_watch *w);
/* Watches the file system holding path's directory (a no-op when it is
 * watched, full, or cannot be opened: such files get an fsync each). */
void vbsig__sync_watch_add(vbsig__sync_watch *w, const char *path);
void vbsig__sync_watch_close(vbsig__sync_watch *w);
int vbsig__atomic_close_unsynced(vbsig_atomic_file *f); /* on failure: aborted */
/* One syncfs per watched file system, an fsync for each other file; on
 * failure the caller asks each file (vbsig__atomic_sync_file). Files stay
 * as they are. */
int vbsig__atomic_flush_group(vbsig__sync_watch *w, vbsig_atomic_file *const *files, size_t n);
/* One closed, unflushed file by itself: which of a group whose flush
 * failed is at fault (files stays as it is). */
int vbsig__atomic_sync_file(const vbsig_atomic_file *f);
int vbsig__atomic_rename(vbsig_atomic_file *f);         /* tmp -> final; frees (aborts on failure) */
/* Convenience: the whole output at once. */
int vbsig_write_file_atomic(const char *path, const void *p, size_t n);

/* ---- encodings (base64.c, hex.c) ----------------------------------------
 * Outputs are NUL-terminated (for text) and malloc'ed; free with free(). */
int vbsig_base64_encode(const uint8_t *in, size_t n, char **out, size_t *out_len);
/* Strict RFC 4648 decoding; whitespace (space, tab, CR, LF) is skipped.
 * VBSIG_E_MALFORMED on a bad character, bad padding or non-zero trailing bits. */
int vbsig_base64_decode(const char *in, size_t n, uint8_t **out, size_t *out_len);
int vbsig_hex_encode(const uint8_t *in, size_t n, int upper, char **out);
/* Accepts upper/lower case; whitespace skipped; odd digit count is an error. */
int vbsig_hex_decode(const char *in, size_t n, uint8_t **out, size_t *out_len);
/* The value of one hexadecimal digit (either case), or -1: for the escapes
 * of URIs (%XX) and PDF names (#XX) as well as for hex text. */
int vbsig_hex_digit(int c);
/* UTF-8 (utf8.c): 1 when s is well-formed UTF-8 (no overlong forms, no
 * surrogates); a malloc'ed copy with each byte of an invalid sequence
 * replaced by U+FFFD, or NULL when out of memory. */
int vbsig_utf8_valid(const char *s);
char *vbsig_utf8_sanitize(const char *s);

/* ---- ISO 8601 times (isotime.c) -----------------------------------------
 * Formats t as "YYYY-MM-DDTHH:MM:SS+HH:MM" at the given UTC offset in minutes
 * (420 = Vietnam, +07:00; 0 gives "Z"). buf must hold 32 bytes. */
#define VBSIG_TZ_VIETNAM_MINUTES 420
void vbsig_time_format(time_t t, int offset_minutes, char buf[32]);
/* Parses "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.fff]]" followed by "Z",
 * "+HH:MM", "-HH:MM", "+HHMM" or nothing (nothing = Vietnam time, +07:00).
 * Rejects out-of-range fields (month 13, Feb 30, hour 24 …) with
 * VBSIG_E_INVALID_ARG naming the text. */
int vbsig_time_parse(const char *s, time_t *out);
/* The UTC instant of calendar fields (month 1-12, day 1-31) the caller has
 * range-checked; (time_t)-1 also for a year time_t cannot hold. */
time_t vbsig_time_from_utc_fields(int year, int mon, int day, int hour, int min, int sec);

/* ---- password / PIN sources (passsrc.c) ----------------------------------
 * Public: vbsig_secret_read() and vbsig_secret_free() in vbsig/secret.h,
 * so the PKCS#11 bridge and the TSA read PINs exactly as the core does. */
#include "vbsig/secret.h"

/* ---- DER structure check (der_check.c) ----------------------------------
 * Walks TLVs with libtasn1's primitives before any structure is decoded,
 * so hostile input meets a bounded, recursive-depth-limited walker first.
 * strict = 1: DER only (definite, minimal lengths); strict = 0: BER
 * indefinite lengths accepted for constructed values.
 * The input must be exactly one complete top-level element (no trailing
 * bytes). Errors: VBSIG_E_MALFORMED with the byte offset and what is wrong;
 * VBSIG_E_LIMIT when nesting exceeds max_depth. `what` names the input in
 * messages (e.g. the file name). */
int vbsig_der_check(const uint8_t *p, size_t n, int strict, unsigned max_depth, const char *what);

#endif
