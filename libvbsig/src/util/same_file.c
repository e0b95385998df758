/* Is an output another name for an input? Device and inode decide, so a
 * hard link, a symbolic link or "./name" are caught as well as the same
 * spelling. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "util/util.h"
#include "vbsig/file.h"

int vbsig_file_id_get(const char *path, vbsig_file_id *id)
{
    vbsig_i18n_ensure();
    struct stat st;
    VBSIG_REQUIRE(path, "path");
    VBSIG_REQUIRE(id, "id");
    if (stat(path, &st) != 0)
        return vbsig_fail(VBSIG_E_IO_READ, "%s: %s", path, strerror(errno));
    id->dev = (unsigned long long)st.st_dev;
    id->ino = (unsigned long long)st.st_ino;
    return VBSIG_OK;
}

int vbsig_file_id_equal(const vbsig_file_id *a, const vbsig_file_id *b)
{
    /* A missing identity is no file, so it equals nothing (a yes/no answer
     * has no status to report it with). */
    if (a == NULL || b == NULL)
        return 0;
    return a->dev == b->dev && a->ino == b->ino;
}

int vbsig_same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    /* A name that does not exist (yet) is no other file's name. */
    if (a == NULL || b == NULL || stat(a, &sa) != 0 || stat(b, &sb) != 0)
        return 0;
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

int vbsig_check_output(const char *out, const char *const *inputs, size_t n)
{
    vbsig_i18n_ensure();
    VBSIG_REQUIRE(out, "out");
    if (out[0] == '\0')
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("no output file was given"));
    if (inputs == NULL && n > 0)
        return vbsig_null_arg(__func__, "inputs");
    for (size_t i = 0; i < n; i++) {
        if (inputs[i] == NULL || !vbsig_same_file(out, inputs[i]))
            continue;
        if (strcmp(out, inputs[i]) == 0)
            return vbsig_fail(VBSIG_E_INVALID_ARG, _("%s: the output would replace the input; choose another output file"),
                              out);
        return vbsig_fail(VBSIG_E_INVALID_ARG,
                          _("%s: the output is the input %s under another name (a link or another path); choose another output file"),
                          out, inputs[i]);
    }
    return VBSIG_OK;
}
