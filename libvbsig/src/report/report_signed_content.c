/* What an XML signature signed, handed to the caller: the accessors of the
 * report's Reference records and the canonical bytes of each signed element
 * written into a directory — the defence the signature-wrapping literature
 * recommends (read only what was signed, never "the element named X"). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/util.h"
#include "validate/validate.h"
#include "vbsig/file.h"
#include "vbsig/report.h"

#define NAME_PART_MAX 64

int vbsig_ctx_set_keep_signed_content(vbsig_ctx *ctx, int on)
{
    VBSIG_REQUIRE(ctx, "ctx");
    ctx->keep_signed_content = on != 0;
    return VBSIG_OK;
}

size_t vbsig_report_reference_count(const vbsig_report *r, size_t sig)
{
    return r != NULL && sig < r->count ? r->sigs[sig].ref_count : 0;
}

int vbsig_report_reference(const vbsig_report *r, size_t sig, size_t ref, vbsig_reference_info *out)
{
    if (r == NULL || out == NULL || sig >= r->count || ref >= r->sigs[sig].ref_count)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("vbsig_report_reference: no such reference"));
    const vbsig_signed_ref *f = &r->sigs[sig].refs[ref];
    memset(out, 0, sizeof *out);
    out->uri = f->uri;
    out->path = f->path;
    out->id = f->id;
    out->kind = f->kind;
    out->bytes = f->bytes;
    out->digest_ok = f->digest_ok;
    out->content = f->content;
    out->content_len = f->content_len;
    return VBSIG_OK;
}

/* [A-Za-z0-9._-] kept, anything else '_', no leading dot, bounded. */
static void safe_part(char *out, const char *in)
{
    size_t k = 0;
    for (const unsigned char *p = (const unsigned char *)in; *p != '\0' && k < NAME_PART_MAX; p++) {
        int ok = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' ||
                 *p == '_' || (*p == '.' && k > 0);
        out[k++] = ok ? (char)*p : '_';
    }
    if (k == 0)
        out[k++] = '_';
    out[k] = '\0';
}

/* "sig<N>-ref<M>-<Id, element name or data file name>[.xml]". */
static void file_name(char *out, size_t cap, size_t sig, size_t ref, const vbsig_signed_ref *f)
{
    char part[NAME_PART_MAX + 1];
    const char *from = f->id;
    if (strcmp(f->kind, "detached") == 0) {
        from = f->path;
    } else if (from == NULL) {
        const char *slash = strrchr(f->path, '/');
        from = slash != NULL && slash[1] != '\0' ? slash + 1 : "document";
    }
    safe_part(part, from);
    int detached = strcmp(f->kind, "detached") == 0;
    snprintf(out, cap, "sig%zu-ref%zu-%s%s", sig + 1, ref + 1, part, detached ? "" : ".xml");
}

static int wanted(const vbsig_sig_entry *e, const vbsig_signed_ref *f)
{
    /* A failed signature signed nothing a reader may rely on. */
    return e->indication != VBSIG_TOTAL_FAILED && f->digest_ok && f->content != NULL;
}

/* Written to a temporary file, flushed, then linked under its name, which
 * fails rather than replacing a file that appeared meanwhile. */
static int write_one(const char *dir, const char *name, const uint8_t *p, size_t n)
{
    size_t dl = strlen(dir);
    char *tmp = malloc(dl + 32), *final = malloc(dl + strlen(name) + 2);
    if (tmp == NULL || final == NULL) {
        free(tmp);
        free(final);
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    snprintf(tmp, dl + 32, "%s/.vbsig-content-XXXXXX", dir);
    snprintf(final, dl + strlen(name) + 2, "%s/%s", dir, name);
    int rc = VBSIG_OK;
    int fd = mkstemp(tmp);
    if (fd < 0) {
        rc = vbsig_fail(VBSIG_E_IO_WRITE, _("%s: cannot create a file: %s"), dir, strerror(errno));
        free(tmp);
        free(final);
        return rc;
    }
    (void)fchmod(fd, 0644);
    for (size_t off = 0; rc == VBSIG_OK && off < n;) {
        ssize_t w = write(fd, p + off, n - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            rc = vbsig_fail(VBSIG_E_IO_WRITE, _("%s: cannot write: %s"), final, strerror(w < 0 ? errno : EIO));
        else
            off += (size_t)w;
    }
    if (rc == VBSIG_OK && fsync(fd) != 0)
        rc = vbsig_fail(VBSIG_E_IO_WRITE, _("%s: cannot write: %s"), final, strerror(errno));
    close(fd);
    if (rc == VBSIG_OK && link(tmp, final) != 0)
        rc = vbsig_fail(VBSIG_E_IO_WRITE, errno == EEXIST ? _("%s: the file exists already; nothing is replaced")
                                                            : _("%s: cannot write: %s"),
                        final, strerror(errno));
    unlink(tmp);
    free(tmp);
    free(final);
    return rc;
}

int vbsig_report_write_signed_content(const vbsig_report *r, const char *dir, size_t *written)
{
    vbsig_i18n_ensure();
    if (written != NULL)
        *written = 0;
    VBSIG_REQUIRE(r, "r");
    VBSIG_REQUIRE(dir, "dir");
    if (dir[0] == '\0')
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("vbsig_report_write_signed_content: missing report or directory"));
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return vbsig_fail(VBSIG_E_IO_WRITE, _("%s: not a directory"), dir);
    char name[128];
    size_t dl = strlen(dir);
    /* Every name is checked first, so that a clash writes nothing at all. */
    for (size_t i = 0; i < r->count; i++)
        for (size_t j = 0; j < r->sigs[i].ref_count; j++) {
            if (!wanted(&r->sigs[i], &r->sigs[i].refs[j]))
                continue;
            file_name(name, sizeof name, i, j, &r->sigs[i].refs[j]);
            char *path = malloc(dl + strlen(name) + 2);
            if (path == NULL)
                return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
            snprintf(path, dl + strlen(name) + 2, "%s/%s", dir, name);
            int exists = lstat(path, &st) == 0;
            int rc = exists ? vbsig_fail(VBSIG_E_IO_WRITE, _("%s: the file exists already; nothing is replaced"),
                                              path)
                            : VBSIG_OK;
            free(path);
            if (rc != VBSIG_OK)
                return rc;
        }
    for (size_t i = 0; i < r->count; i++)
        for (size_t j = 0; j < r->sigs[i].ref_count; j++) {
            const vbsig_signed_ref *f = &r->sigs[i].refs[j];
            if (!wanted(&r->sigs[i], f))
                continue;
            file_name(name, sizeof name, i, j, f);
            int rc = write_one(dir, name, f->content, f->content_len);
            if (rc != VBSIG_OK)
                return rc;
            if (written != NULL)
                (*written)++;
        }
    return vbsig_sync_dir(dir);
}
