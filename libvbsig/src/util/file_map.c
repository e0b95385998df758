/* Read-only views of whole input files. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/util.h"

/* Pipes have no size to check up front, so "no limit" still needs some
 * bound or `cat /dev/zero |` would eat all memory. */
#define VBSIG_STREAM_CAP ((uint64_t)1 << 30)
#define VBSIG_READ_CHUNK ((size_t)64 * 1024)

static int map_regular(vbsig_file_map *m, int fd, const char *path, const struct stat *st, uint64_t max_len)
{
    uint64_t size = (uint64_t)st->st_size;
    if (max_len != 0 && size > max_len)
        return vbsig_fail(VBSIG_E_LIMIT, _("%s: the file has %" PRIu64 " bytes, more than the limit of %" PRIu64),
                          path, size, max_len);
    if (size > SIZE_MAX)
        return vbsig_fail(VBSIG_E_LIMIT, _("%s: the file has %" PRIu64 " bytes, too many to map into memory"), path,
                          size);
    if (size == 0)
        return VBSIG_OK;
    void *p = mmap(NULL, (size_t)size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED)
        return vbsig_fail(VBSIG_E_IO_READ, _("%s: cannot map the file into memory: %s"), path, strerror(errno));
    /* Only a hint for the kernel's read-ahead; failing it changes nothing. */
    (void)madvise(p, (size_t)size, MADV_SEQUENTIAL);
    m->data = p;
    m->len = (size_t)size;
    m->mapped = 1;
    return VBSIG_OK;
}

static int read_stream(vbsig_file_map *m, int fd, const char *path, uint64_t max_len)
{
    uint64_t limit = max_len != 0 ? max_len : VBSIG_STREAM_CAP;
    if (limit > SIZE_MAX - 1)
        limit = SIZE_MAX - 1;
    /* Reading one byte past the limit is how a stream that is exactly at
     * the limit is told apart from one that is over it. The buffer grows
     * by doubling but never beyond that, so a hostile stream costs at most
     * limit + 1 bytes. */
    size_t most = (size_t)limit + 1;
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            size_t ncap = cap == 0 ? VBSIG_READ_CHUNK : (cap > most / 2 ? most : cap * 2);
            if (ncap > most)
                ncap = most;
            uint8_t *nb = realloc(buf, ncap);
            if (nb == NULL) {
                free(buf);
                return vbsig_fail(VBSIG_E_NOMEM, _("%s: out of memory while reading"), path);
            }
            buf = nb;
            cap = ncap;
        }
        size_t want = cap - len;
        if (want > VBSIG_READ_CHUNK)
            want = VBSIG_READ_CHUNK;
        ssize_t r = read(fd, buf + len, want);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            free(buf);
            return vbsig_fail(VBSIG_E_IO_READ, _("%s: cannot read: %s"), path, strerror(e));
        }
        if (r == 0)
            break;
        len += (size_t)r;
        if (len > limit) {
            free(buf);
            return vbsig_fail(VBSIG_E_LIMIT, _("%s: the input has more than %" PRIu64 " bytes, the limit"), path,
                              limit);
        }
    }
    if (len == 0) {
        free(buf);
        return VBSIG_OK;
    }
    m->data = buf;
    m->len = len;
    m->mapped = 0;
    return VBSIG_OK;
}

int vbsig_file_map_open(vbsig_file_map *m, const char *path, uint64_t max_len)
{
    m->data = NULL;
    m->len = 0;
    m->mapped = 0;
    if (path == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("no input file was given"));

    int fd;
    do {
        fd = open(path, O_RDONLY | O_CLOEXEC);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0)
        return vbsig_fail(VBSIG_E_IO_READ, _("%s: cannot open: %s"), path, strerror(errno));

    struct stat st;
    int rc;
    if (fstat(fd, &st) != 0) {
        rc = vbsig_fail(VBSIG_E_IO_READ, _("%s: cannot examine the file: %s"), path, strerror(errno));
    } else if (S_ISDIR(st.st_mode)) {
        rc = vbsig_fail(VBSIG_E_IO_READ, _("%s: is a directory"), path);
    } else if (S_ISREG(st.st_mode)) {
        rc = map_regular(m, fd, path, &st, max_len);
    } else {
        rc = read_stream(m, fd, path, max_len);
    }
    /* A mapping outlives its descriptor, so nothing needs fd from here on. */
    close(fd);
    return rc;
}

void vbsig_file_map_close(vbsig_file_map *m)
{
    if (m == NULL)
        return;
    if (m->data != NULL) {
        if (m->mapped)
            munmap((void *)m->data, m->len);
        else
            free((void *)m->data);
    }
    m->data = NULL;
    m->len = 0;
    m->mapped = 0;
}
