/* A PKCS#11 module for tests: forwards every call to a real module
 * (SoftHSM2) and injects the faults real tokens have and SoftHSM2 lacks.
 * Configured by the environment when C_GetFunctionList is called:
 *   VBSIG_FAULTY_TARGET        the real module (required)
 *   VBSIG_FAULTY_STATE         file keeping the wrong-PIN count across processes
 *   VBSIG_FAULTY_MAX_TRIES     wrong PINs before the PIN locks (default 3)
 *   VBSIG_FAULTY_REMOVE_AFTER  N: N signatures after this variable is set (or changed)
 *                              the token is "removed"; unsetting it puts the token back
 *   VBSIG_FAULTY_ABSENT        1: every slot is empty
 *   VBSIG_FAULTY_PRESENT_FILE  the token is in the reader while this file exists; after
 *                              re-insertion old sessions are invalid and the login is gone
 *   VBSIG_FAULTY_HANG_LOGIN    1: C_Login never returns (a wedged reader)
 *   VBSIG_FAULTY_HANG_INFO     1: C_GetTokenInfo never returns (a reader that lost its card)
 *   VBSIG_FAULTY_DELAY_MS      sleep before each C_Sign (a slow token)
 *   VBSIG_FAULTY_DELAY_FILE    file holding a delay in ms, read before each C_Sign and
 *                              re-read while sleeping: a running process's token turns
 *                              slow or wedged, and answers again when the file says 0
 *                              or when it is removed (PRESENT_FILE), as a reader would
 *   VBSIG_FAULTY_SIGN_STARTED  file created when a C_Sign begins, before its delays: a
 *                              test knows the signature is under way
 *   VBSIG_FAULTY_NO_PSS        1: CKM_RSA_PKCS_PSS is refused
 *   VBSIG_FAULTY_PIN_PAD       PIN: the token has a PIN pad on which "the user types" PIN
 *   VBSIG_FAULTY_ALWAYS_AUTH   PIN: private keys need a context-specific login with PIN per signature
 * Counters are shared by all threads of a process. */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <p11-kit/pkcs11.h>

static CK_FUNCTION_LIST g_list;
static CK_FUNCTION_LIST_PTR g_real;
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static long g_signatures;
static int g_removed;
static CK_SESSION_HANDLE g_ctx_authed[1024]; /* sessions with a fresh context-specific login */
static unsigned g_generation = 1;            /* insertions seen (PRESENT_FILE) */
static int g_was_present = 1;
static unsigned g_login_generation;          /* the insertion the user logged in to */
static unsigned g_session_generation[1024];  /* the insertion each session was opened in */

static long env_long(const char *name, long dflt)
{
    const char *v = getenv(name);
    return v != NULL && v[0] != '\0' ? strtol(v, NULL, 10) : dflt;
}

static const char *env_str(const char *name)
{
    const char *v = getenv(name);
    return v != NULL && v[0] != '\0' ? v : NULL;
}

static long state_read(void)
{
    const char *path = env_str("VBSIG_FAULTY_STATE");
    long n = 0;
    FILE *f = path != NULL ? fopen(path, "r") : NULL;
    if (f != NULL) {
        if (fscanf(f, "%ld", &n) != 1)
            n = 0;
        fclose(f);
    }
    return n;
}

static void state_write(long n)
{
    const char *path = env_str("VBSIG_FAULTY_STATE");
    FILE *f = path != NULL ? fopen(path, "w") : NULL;
    if (f != NULL) {
        fprintf(f, "%ld\n", n);
        fclose(f);
    }
}

/* Follows VBSIG_FAULTY_REMOVE_AFTER: a new value starts a new count. Call with g_lock held. */
static void sync_remove_after(void)
{
    static char seen[32];
    const char *v = env_str("VBSIG_FAULTY_REMOVE_AFTER");
    if (strcmp(v != NULL ? v : "", seen) == 0)
        return;
    snprintf(seen, sizeof seen, "%s", v != NULL ? v : "");
    g_signatures = 0;
    if (g_removed)
        g_generation++; /* put back: like a real re-insertion, old sessions are gone */
    g_removed = 0;
}

static int is_removed(void)
{
    if (env_long("VBSIG_FAULTY_ABSENT", 0))
        return 1;
    const char *flag = env_str("VBSIG_FAULTY_PRESENT_FILE");
    pthread_mutex_lock(&g_lock);
    sync_remove_after();
    if (flag != NULL) {
        int present = access(flag, F_OK) == 0;
        if (present && !g_was_present)
            g_generation++;
        g_was_present = present;
    }
    int r = g_removed || (flag != NULL && !g_was_present);
    pthread_mutex_unlock(&g_lock);
    return r;
}

/* A session from before the last re-insertion, as real tokens have them. */
static int stale(CK_SESSION_HANDLE s)
{
    pthread_mutex_lock(&g_lock);
    int old = g_session_generation[s % 1024] != g_generation;
    pthread_mutex_unlock(&g_lock);
    return old;
}

static int logged_in_now(void)
{
    pthread_mutex_lock(&g_lock);
    int ok = g_login_generation == g_generation;
    pthread_mutex_unlock(&g_lock);
    return ok;
}

static CK_RV f_GetSlotInfo(CK_SLOT_ID slot, CK_SLOT_INFO_PTR info)
{
    CK_RV rv = g_real->C_GetSlotInfo(slot, info);
    if (rv == CKR_OK && is_removed())
        info->flags &= ~(CK_FLAGS)CKF_TOKEN_PRESENT;
    return rv;
}

static CK_RV f_GetSlotList(CK_BBOOL present, CK_SLOT_ID_PTR list, CK_ULONG_PTR n)
{
    if (present && is_removed()) {
        *n = 0;
        return CKR_OK;
    }
    return g_real->C_GetSlotList(present, list, n);
}

static CK_RV f_GetTokenInfo(CK_SLOT_ID slot, CK_TOKEN_INFO_PTR info)
{
    if (env_long("VBSIG_FAULTY_HANG_INFO", 0))
        for (;;)
            pause();
    if (is_removed())
        return CKR_TOKEN_NOT_PRESENT;
    CK_RV rv = g_real->C_GetTokenInfo(slot, info);
    if (rv != CKR_OK)
        return rv;
    long max = env_long("VBSIG_FAULTY_MAX_TRIES", 3), wrong = state_read();
    info->flags &= ~(CK_FLAGS)(CKF_USER_PIN_COUNT_LOW | CKF_USER_PIN_FINAL_TRY | CKF_USER_PIN_LOCKED);
    if (wrong >= max)
        info->flags |= CKF_USER_PIN_LOCKED;
    else if (wrong == max - 1)
        info->flags |= CKF_USER_PIN_FINAL_TRY | CKF_USER_PIN_COUNT_LOW;
    else if (wrong > 0)
        info->flags |= CKF_USER_PIN_COUNT_LOW;
    if (env_str("VBSIG_FAULTY_PIN_PAD") != NULL)
        info->flags |= CKF_PROTECTED_AUTHENTICATION_PATH;
    return CKR_OK;
}

static CK_RV f_OpenSession(CK_SLOT_ID slot, CK_FLAGS flags, CK_VOID_PTR app, CK_NOTIFY notify, CK_SESSION_HANDLE_PTR s)
{
    if (is_removed())
        return CKR_DEVICE_REMOVED;
    CK_RV rv = g_real->C_OpenSession(slot, flags, app, notify, s);
    if (rv == CKR_OK) {
        pthread_mutex_lock(&g_lock);
        g_session_generation[*s % 1024] = g_generation;
        pthread_mutex_unlock(&g_lock);
    }
    return rv;
}

static void set_ctx_authed(CK_SESSION_HANDLE s, int on)
{
    pthread_mutex_lock(&g_lock);
    g_ctx_authed[s % 1024] = on ? s : 0;
    pthread_mutex_unlock(&g_lock);
}

static int ctx_authed(CK_SESSION_HANDLE s)
{
    pthread_mutex_lock(&g_lock);
    int on = g_ctx_authed[s % 1024] == s;
    g_ctx_authed[s % 1024] = 0;
    pthread_mutex_unlock(&g_lock);
    return on;
}

static CK_RV f_Login(CK_SESSION_HANDLE s, CK_USER_TYPE who, CK_UTF8CHAR_PTR pin, CK_ULONG pin_len)
{
    if (env_long("VBSIG_FAULTY_HANG_LOGIN", 0))
        for (;;)
            pause(); /* what libp11 0.4.12 users see with an absent token */
    if (is_removed())
        return CKR_DEVICE_REMOVED;
    if (stale(s))
        return CKR_SESSION_HANDLE_INVALID;
    long max = env_long("VBSIG_FAULTY_MAX_TRIES", 3), wrong = state_read();
    if (who == CKU_USER && wrong >= max)
        return CKR_PIN_LOCKED;
    const char *pad = env_str("VBSIG_FAULTY_PIN_PAD");
    if (pin == NULL && pad != NULL) {
        pin = (CK_UTF8CHAR_PTR)pad;
        pin_len = strlen(pad);
    }
    if (who == CKU_CONTEXT_SPECIFIC) {
        const char *want = env_str("VBSIG_FAULTY_ALWAYS_AUTH");
        if (want == NULL)
            return CKR_OPERATION_NOT_INITIALIZED;
        if (pin == NULL || pin_len != strlen(want) || memcmp(pin, want, pin_len) != 0)
            return CKR_PIN_INCORRECT;
        set_ctx_authed(s, 1);
        return CKR_OK;
    }
    if (pin == NULL)
        return CKR_ARGUMENTS_BAD;
    CK_RV rv = g_real->C_Login(s, who, pin, pin_len);
    if (who == CKU_USER && rv == CKR_PIN_INCORRECT)
        state_write(wrong + 1);
    else if (who == CKU_USER && (rv == CKR_OK || rv == CKR_USER_ALREADY_LOGGED_IN)) {
        state_write(0);
        pthread_mutex_lock(&g_lock);
        g_login_generation = g_generation;
        pthread_mutex_unlock(&g_lock);
    }
    return rv;
}

static CK_RV f_GetAttributeValue(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE o, CK_ATTRIBUTE_PTR t, CK_ULONG n)
{
    CK_RV rv = g_real->C_GetAttributeValue(s, o, t, n);
    if (env_str("VBSIG_FAULTY_ALWAYS_AUTH") == NULL)
        return rv;
    for (CK_ULONG i = 0; i < n; i++) {
        if (t[i].type != CKA_ALWAYS_AUTHENTICATE || t[i].pValue == NULL)
            continue;
        CK_OBJECT_CLASS cls = 0;
        CK_ATTRIBUTE c = {CKA_CLASS, &cls, sizeof cls};
        if (g_real->C_GetAttributeValue(s, o, &c, 1) == CKR_OK && cls == CKO_PRIVATE_KEY) {
            *(CK_BBOOL *)t[i].pValue = CK_TRUE;
            t[i].ulValueLen = sizeof(CK_BBOOL);
        }
    }
    return rv;
}

static CK_RV f_SignInit(CK_SESSION_HANDLE s, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE key)
{
    if (is_removed())
        return CKR_DEVICE_REMOVED;
    if (stale(s))
        return CKR_SESSION_HANDLE_INVALID;
    if (!logged_in_now())
        return CKR_USER_NOT_LOGGED_IN;
    if (m != NULL && m->mechanism == CKM_RSA_PKCS_PSS && env_long("VBSIG_FAULTY_NO_PSS", 0))
        return CKR_MECHANISM_INVALID;
    set_ctx_authed(s, 0);
    return g_real->C_SignInit(s, m, key);
}

/* The delay VBSIG_FAULTY_DELAY_FILE asks for now; 0 without the file. */
static long file_delay_ms(void)
{
    const char *path = env_str("VBSIG_FAULTY_DELAY_FILE");
    FILE *f = path != NULL ? fopen(path, "r") : NULL;
    long ms = 0;
    if (f != NULL) {
        if (fscanf(f, "%ld", &ms) != 1)
            ms = 0;
        fclose(f);
    }
    return ms;
}

/* Sleeps in 50 ms steps while the file's delay has not passed. */
static void file_delay(void)
{
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        long want = file_delay_ms();
        clock_gettime(CLOCK_MONOTONIC, &now);
        long spent = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
        if (spent >= want || is_removed())
            return;
        struct timespec step = {0, 50 * 1000000L};
        nanosleep(&step, NULL);
    }
}

static CK_RV f_Sign(CK_SESSION_HANDLE s, CK_BYTE_PTR data, CK_ULONG len, CK_BYTE_PTR sig, CK_ULONG_PTR sig_len)
{
    const char *started = env_str("VBSIG_FAULTY_SIGN_STARTED");
    FILE *mark = started != NULL ? fopen(started, "w") : NULL;
    if (mark != NULL)
        fclose(mark);
    long delay = env_long("VBSIG_FAULTY_DELAY_MS", 0);
    if (delay > 0) {
        struct timespec ts = {delay / 1000, (delay % 1000) * 1000000L};
        while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
            ;
    }
    file_delay();
    long after = env_long("VBSIG_FAULTY_REMOVE_AFTER", -1);
    pthread_mutex_lock(&g_lock);
    sync_remove_after();
    if (after >= 0 && g_signatures >= after)
        g_removed = 1;
    int removed = g_removed;
    pthread_mutex_unlock(&g_lock);
    if (removed || is_removed())
        return CKR_DEVICE_REMOVED;
    if (stale(s))
        return CKR_SESSION_HANDLE_INVALID;
    if (env_str("VBSIG_FAULTY_ALWAYS_AUTH") != NULL && sig != NULL && !ctx_authed(s))
        return CKR_USER_NOT_LOGGED_IN;
    CK_RV rv = g_real->C_Sign(s, data, len, sig, sig_len);
    if (rv == CKR_OK && sig != NULL) {
        pthread_mutex_lock(&g_lock);
        g_signatures++;
        pthread_mutex_unlock(&g_lock);
    }
    return rv;
}

__attribute__((visibility("default"))) CK_RV C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR out)
{
    if (out == NULL)
        return CKR_ARGUMENTS_BAD;
    const char *target = env_str("VBSIG_FAULTY_TARGET");
    if (target == NULL)
        return CKR_GENERAL_ERROR;
    if (g_real == NULL) {
        void *dl = dlopen(target, RTLD_NOW | RTLD_LOCAL);
        CK_C_GetFunctionList get = NULL;
        if (dl != NULL)
            *(void **)&get = dlsym(dl, "C_GetFunctionList");
        if (get == NULL || get(&g_real) != CKR_OK)
            return CKR_GENERAL_ERROR;
        g_list = *g_real;
        g_list.C_GetSlotList = f_GetSlotList;
        g_list.C_GetSlotInfo = f_GetSlotInfo;
        g_list.C_GetTokenInfo = f_GetTokenInfo;
        g_list.C_OpenSession = f_OpenSession;
        g_list.C_Login = f_Login;
        g_list.C_GetAttributeValue = f_GetAttributeValue;
        g_list.C_SignInit = f_SignInit;
        g_list.C_Sign = f_Sign;
    }
    *out = &g_list;
    return CKR_OK;
}
