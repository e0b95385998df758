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

#ifdef __cplusplus
}
#endif
#endif
