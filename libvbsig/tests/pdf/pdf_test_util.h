/* Helpers shared by the PDF reader's tests: corpus paths, a reader that
 * touches every object, page and stream, and runs in a child process with
 * a memory ceiling. */
#ifndef VBSIG_PDF_TEST_UTIL_H
#define VBSIG_PDF_TEST_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pdf/pdf.h"

static inline const char *corpus_path(const char *rel)
{
    static char buf[4096];
    const char *root = getenv("VBSIG_TEST_DATA");
    int n = snprintf(buf, sizeof buf, "%s/corpus/pdf/%s", root != NULL ? root : "test-vectors", rel);
    return n > 0 && (size_t)n < sizeof buf ? buf : "path-too-long";
}

/* Resolves every in-use object of every revision as of that revision,
 * decodes every stream (encrypted ones must say so), counts pages and
 * finds signature fields. Returns the first failure. */
static inline int read_everything(vbsig_pdf_doc *doc, size_t *objects, size_t *streams)
{
    size_t nobj = 0, nstm = 0;
    for (size_t r = 0; r < vbsig_pdf_revision_count(doc); r++) {
        vbsig_pdf_revision_info info;
        int rc = vbsig_pdf_revision_get(doc, r, &info);
        for (size_t i = 0; rc == VBSIG_OK && i < info.object_count; i++) {
            uint32_t num;
            uint16_t gen;
            int in_use;
            const vbsig_pdf_obj *o;
            rc = vbsig_pdf_revision_object(doc, r, i, &num, &gen, &in_use);
            if (rc != VBSIG_OK || !in_use)
                continue;
            if ((rc = vbsig_pdf_get_object(doc, r, num, gen, &o)) != VBSIG_OK)
                return rc;
            nobj++;
            if (o->type != VBSIG_PDF_STREAM)
                continue;
            vbsig_bytes data;
            rc = vbsig_pdf_stream_decode(doc, r, o, &data);
            vbsig_bytes_free(&data);
            if (rc == VBSIG_E_UNSUPPORTED && vbsig_pdf_is_encrypted(doc))
                rc = VBSIG_OK;
            nstm += rc == VBSIG_OK;
        }
        if (rc != VBSIG_OK)
            return rc;
        size_t pages;
        if ((rc = vbsig_pdf_page_count(doc, r, &pages)) != VBSIG_OK)
            return rc;
        vbsig_pdf_sig_field *fields;
        size_t nfields;
        if ((rc = vbsig_pdf_sig_fields(doc, r, &fields, &nfields)) != VBSIG_OK)
            return rc;
        vbsig_pdf_sig_fields_free(fields, nfields);
    }
    if (objects != NULL)
        *objects = nobj;
    if (streams != NULL)
        *streams = nstm;
    return VBSIG_OK;
}

typedef struct child_result {
    int status;
    char message[1024];
    long rss_growth_kib; /* peak resident size minus the size before reading */
    int repaired;
    size_t pages;
} child_result;

/* Opens path and reads everything in a child process, so that a crash or
 * runaway allocation is caught and measured instead of taking the test
 * program down. Outside sanitizer builds the child also has an address
 * space ceiling (ASan reserves terabytes of shadow, so it cannot). */
static inline child_result read_in_child(const char *path, unsigned open_flags, size_t as_ceiling_mib)
{
    child_result res = {.status = 1};
    int fds[2];
    if (pipe(fds) != 0)
        return res;
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        struct rusage before, after;
        getrusage(RUSAGE_SELF, &before);
#if !defined(__SANITIZE_ADDRESS__)
        struct rlimit rl = {.rlim_cur = (rlim_t)as_ceiling_mib << 20, .rlim_max = (rlim_t)as_ceiling_mib << 20};
        setrlimit(RLIMIT_AS, &rl);
#else
        (void)as_ceiling_mib;
#endif
        child_result out = {0};
        vbsig_pdf_doc *doc;
        out.status = vbsig_pdf_open(&doc, NULL, path, open_flags);
        if (out.status == VBSIG_OK) {
            out.repaired = vbsig_pdf_is_repaired(doc);
            out.status = read_everything(doc, NULL, NULL);
            size_t pages = 0;
            if (out.status == VBSIG_OK)
                out.status = vbsig_pdf_page_count(doc, VBSIG_PDF_NEWEST, &pages);
            out.pages = pages;
            vbsig_pdf_close(doc);
        }
        snprintf(out.message, sizeof out.message, "%s", vbsig_last_error());
        getrusage(RUSAGE_SELF, &after);
        out.rss_growth_kib = after.ru_maxrss - before.ru_maxrss;
        ssize_t w = write(fds[1], &out, sizeof out);
        _exit(w == (ssize_t)sizeof out ? 0 : 1);
    }
    close(fds[1]);
    ssize_t got = read(fds[0], &res, sizeof res);
    close(fds[0]);
    int wstatus = 0;
    waitpid(pid, &wstatus, 0);
    if (got != (ssize_t)sizeof res || !WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0) {
        res.status = 1;
        snprintf(res.message, sizeof res.message, "the child reading %.900s died (wait status %d)", path, wstatus);
    }
    return res;
}

#endif
