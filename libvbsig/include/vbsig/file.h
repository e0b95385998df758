/* Writing output files the way the library writes its own. */
#ifndef VBSIG_FILE_H
#define VBSIG_FILE_H

#include <stddef.h>

#include "vbsig/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Leave the directory to vbsig_sync_dir (see vbsig_write_file). */
#define VBSIG_WRITE_DEFER_DIR_SYNC 1u

/* Writes len bytes to path atomically: a temporary file next to it, its
 * data flushed to disk, then renamed over path; after a failure neither
 * name holds a partial file. Then the directory is flushed, so that the
 * rename survives a crash too. With VBSIG_WRITE_DEFER_DIR_SYNC it is not:
 * a batch writing many files into one directory calls vbsig_sync_dir once
 * at the end, and a crash before that may lose the last renames (the
 * files are then absent, never partial). VBSIG_E_IO_WRITE names the path. */
VBSIG_API int vbsig_write_file(const char *path, const void *data, size_t len, unsigned flags);
/* Flushes a directory's entries to disk (file systems that cannot are
 * accepted silently). */
VBSIG_API int vbsig_sync_dir(const char *dir);

/* Output names that are another name for an input. Device and inode
 * decide (symbolic links followed), so a hard link, a symbolic link or
 * "./name" count as the input itself. */
typedef struct vbsig_file_id {
    unsigned long long dev, ino;
} vbsig_file_id;
/* VBSIG_E_IO_READ when path cannot be examined (e.g. does not exist). */
VBSIG_API int vbsig_file_id_get(const char *path, vbsig_file_id *id);
/* 1 when a and b are the same file, else 0. */
VBSIG_API int vbsig_file_id_equal(const vbsig_file_id *a, const vbsig_file_id *b);
/* 1 when both names exist and are the same file, else 0. */
VBSIG_API int vbsig_same_file(const char *a, const char *b);
/* VBSIG_OK when writing out replaces none of the n inputs (NULL entries
 * are skipped; an out that does not exist yet is fine), else
 * VBSIG_E_INVALID_ARG naming both. Writes nothing. */
VBSIG_API int vbsig_check_output(const char *out, const char *const *inputs, size_t n);

#ifdef __cplusplus
}
#endif
#endif
