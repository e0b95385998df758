/* Test tokens: a real SoftHSM2 store per test program. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "p11_test_token.h"

static char g_module[1024];

const char *p11_test_pki(const char *rel)
{
    static char path[2048];
    const char *root = getenv("VBSIG_TEST_PKI");
    snprintf(path, sizeof path, "%s/%s", root != NULL ? root : "test-pki", rel);
    return path;
}

const char *p11_test_token(const char *name)
{
    const char *tmp = getenv("VBSIG_TEST_TMP"), *src = getenv("VBSIG_SRC"), *pki = getenv("VBSIG_TEST_PKI");
    if (tmp == NULL || src == NULL || pki == NULL)
        return NULL;
    char dir[1024], cmd[4096], conf[1100], modfile[1100];
    snprintf(dir, sizeof dir, "%s/%s", tmp, name);
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s' && bash '%s/test-vectors/make-softhsm.sh' '%s' '%s'", dir, dir,
             src, dir, pki);
    if (system(cmd) != 0)
        return NULL;
    snprintf(conf, sizeof conf, "%s/softhsm2.conf", dir);
    setenv("SOFTHSM2_CONF", conf, 1);
    snprintf(modfile, sizeof modfile, "%s/module.txt", dir);
    FILE *f = fopen(modfile, "r");
    if (f == NULL)
        return NULL;
    char *ok = fgets(g_module, sizeof g_module, f);
    fclose(f);
    if (ok == NULL)
        return NULL;
    g_module[strcspn(g_module, "\n")] = '\0';
    setenv("VBSIG_FAULTY_TARGET", g_module, 1);
    return g_module;
}

const char *p11_test_faulty_module(void)
{
    return getenv("VBSIG_FAULTY_MODULE");
}
