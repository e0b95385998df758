/* The floor for token signing: load a PKCS#11 module, log in once and call
 * C_SignInit + C_Sign in a loop with CKM_RSA_PKCS over a SHA-256
 * DigestInfo, the same work vbsig's bridge gives the token per document.
 *
 *   bench_pkcs11_raw MODULE TOKEN_LABEL KEY_LABEL PIN COUNT
 * prints "<count> signatures in <s> s: <rate>/s". */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <p11-kit/pkcs11.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int die(const char *what, CK_RV rv)
{
    fprintf(stderr, "bench_pkcs11_raw: %s failed (0x%lx)\n", what, (unsigned long)rv);
    return 1;
}

static int label_is(const CK_UTF8CHAR *p, size_t n, const char *s)
{
    while (n > 0 && p[n - 1] == ' ')
        n--;
    return strlen(s) == n && memcmp(p, s, n) == 0;
}

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: bench_pkcs11_raw MODULE TOKEN_LABEL KEY_LABEL PIN COUNT\n");
        return 64;
    }
    long count = strtol(argv[5], NULL, 10);
    void *dl = dlopen(argv[1], RTLD_NOW);
    CK_C_GetFunctionList get = NULL;
    if (dl != NULL)
        *(void **)&get = dlsym(dl, "C_GetFunctionList");
    CK_FUNCTION_LIST_PTR f = NULL;
    if (get == NULL || get(&f) != CKR_OK)
        return die("loading the module", 0);
    CK_RV rv = f->C_Initialize(NULL);
    if (rv != CKR_OK)
        return die("C_Initialize", rv);
    CK_SLOT_ID slots[64];
    CK_ULONG n = 64;
    if ((rv = f->C_GetSlotList(CK_TRUE, slots, &n)) != CKR_OK)
        return die("C_GetSlotList", rv);
    CK_SLOT_ID slot = 0;
    int found = 0;
    for (CK_ULONG i = 0; i < n && !found; i++) {
        CK_TOKEN_INFO ti;
        if (f->C_GetTokenInfo(slots[i], &ti) == CKR_OK && label_is(ti.label, sizeof ti.label, argv[2])) {
            slot = slots[i];
            found = 1;
        }
    }
    if (!found)
        return die("finding the token", 0);
    CK_SESSION_HANDLE s;
    if ((rv = f->C_OpenSession(slot, CKF_SERIAL_SESSION, NULL, NULL, &s)) != CKR_OK)
        return die("C_OpenSession", rv);
    if ((rv = f->C_Login(s, CKU_USER, (CK_UTF8CHAR_PTR)argv[4], strlen(argv[4]))) != CKR_OK)
        return die("C_Login", rv);
    CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
    CK_ATTRIBUTE tmpl[2] = {{CKA_CLASS, &cls, sizeof cls}, {CKA_LABEL, argv[3], strlen(argv[3])}};
    CK_OBJECT_HANDLE key;
    CK_ULONG got = 0;
    f->C_FindObjectsInit(s, tmpl, 2);
    f->C_FindObjects(s, &key, 1, &got);
    f->C_FindObjectsFinal(s);
    if (got != 1)
        return die("finding the key", 0);
    static const unsigned char prefix[19] = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                             0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};
    unsigned char data[51];
    memcpy(data, prefix, sizeof prefix);
    CK_MECHANISM mech = {CKM_RSA_PKCS, NULL, 0};
    double t0 = now_s();
    for (long i = 0; i < count; i++) {
        memset(data + 19, (int)(i & 0xff), 32);
        unsigned char sig[1024];
        CK_ULONG sig_len = sizeof sig;
        if ((rv = f->C_SignInit(s, &mech, key)) != CKR_OK || (rv = f->C_Sign(s, data, sizeof data, sig, &sig_len)) != CKR_OK)
            return die("C_Sign", rv);
    }
    double t = now_s() - t0;
    printf("%ld signatures in %.3f s: %.1f/s\n", count, t, (double)count / t);
    f->C_Logout(s);
    f->C_CloseSession(s);
    f->C_Finalize(NULL);
    return 0;
}
