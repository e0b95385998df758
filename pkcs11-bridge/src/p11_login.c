/* Logging in: PIN from a source, a callback, the PIN pad or the terminal;
 * bounded in time; the PIN wiped as soon as the module has seen it; wrong
 * PINs reported with what the token says about the tries left. */
#include <stdlib.h>
#include <string.h>

#include "util/util.h"
#include "p11.h"
#include "p11_bounded.h"

int p11_token_info_bounded(p11_module *m, CK_SLOT_ID slot, CK_TOKEN_INFO *ti, unsigned timeout_ms)
{
    p11_job *job = p11_job_new(m, P11_JOB_TOKEN_INFO);
    if (job == NULL)
        return p11_fail(VBSIG_E_NOMEM, _("out of memory"));
    job->slot = slot;
    CK_RV rv;
    int rc = p11_job_run(job, timeout_ms, &rv);
    if (rc != VBSIG_OK)
        return rc;
    *ti = job->ti;
    p11_job_free(job);
    if (rv != CKR_OK)
        return p11_fail_rv(rv, _("cannot read the token's state"));
    return VBSIG_OK;
}

/* Fills job->pin, or leaves use_pin 0 for the PIN pad. */
static int obtain_pin(const p11_pin_source *pins, const char *label, int pin_pad, p11_job *job)
{
    char prompt[160];
    snprintf(prompt, sizeof prompt, _("PIN for token %s: "), label);
    char *secret = NULL;
    int rc;
    if (pins->has_source) {
        rc = vbsig_secret_read(pins->source, prompt, &secret);
    } else if (pins->cb != NULL) {
        rc = pins->cb(pins->cb_data, label, job->pin, sizeof job->pin);
        if (rc != VBSIG_OK)
            return rc == VBSIG_E_CANCELLED ? p11_fail(rc, _("no PIN was given for token %s"), label) : rc;
        job->pin[sizeof job->pin - 1] = '\0';
        job->pin_len = strlen(job->pin);
        job->use_pin = 1;
        return VBSIG_OK;
    } else if (pin_pad) {
        job->use_pin = 0; /* the reader asks for the PIN on its own keypad */
        return VBSIG_OK;
    } else {
        rc = vbsig_secret_read(NULL, prompt, &secret);
        if (rc == VBSIG_E_INVALID_ARG)
            return p11_fail(VBSIG_E_AUTH, _("token %s needs a PIN: give it with --pin SRC (there is no terminal to ask on)"),
                            label);
    }
    if (rc != VBSIG_OK)
        return rc;
    size_t len = strlen(secret);
    if (len >= sizeof job->pin) {
        vbsig_secret_free(secret);
        return p11_fail(VBSIG_E_LIMIT, _("the PIN is longer than %d bytes"), P11_PIN_MAX - 1);
    }
    memcpy(job->pin, secret, len + 1);
    job->pin_len = len;
    job->use_pin = 1;
    vbsig_secret_free(secret);
    return VBSIG_OK;
}

static int wrong_pin(p11_module *m, CK_SLOT_ID slot, const char *label, unsigned timeout_ms)
{
    CK_TOKEN_INFO ti;
    if (p11_token_info_bounded(m, slot, &ti, timeout_ms) == VBSIG_OK) {
        if (ti.flags & CKF_USER_PIN_LOCKED)
            return p11_fail(VBSIG_E_PIN_LOCKED, _("wrong PIN for token %s, and the PIN is now locked; it must be unblocked with the PUK or SO PIN"), label);
        if (ti.flags & CKF_USER_PIN_FINAL_TRY)
            return p11_fail(VBSIG_E_AUTH, _("wrong PIN for token %s: one try is left before the PIN locks"), label);
        if (ti.flags & CKF_USER_PIN_COUNT_LOW)
            return p11_fail(VBSIG_E_AUTH, _("wrong PIN for token %s: few tries are left before the PIN locks"), label);
    }
    return p11_fail(VBSIG_E_AUTH, _("wrong PIN for token %s"), label);
}

int p11_login(p11_module *m, CK_SESSION_HANDLE s, CK_SLOT_ID slot, CK_USER_TYPE who, const p11_pin_source *pins)
{
    CK_TOKEN_INFO ti;
    int rc = p11_token_info_bounded(m, slot, &ti, pins->timeout_ms);
    if (rc != VBSIG_OK)
        return rc;
    char *label = p11_text_unpad(ti.label, sizeof ti.label);
    if (label == NULL)
        return p11_fail(VBSIG_E_NOMEM, _("out of memory"));
    if (ti.flags & CKF_USER_PIN_LOCKED) {
        rc = p11_fail(VBSIG_E_PIN_LOCKED, _("the PIN of token %s is locked; it must be unblocked with the PUK or SO PIN"), label);
        free(label);
        return rc;
    }
    p11_job *job = p11_job_new(m, P11_JOB_LOGIN);
    if (job == NULL) {
        free(label);
        return p11_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    job->session = s;
    job->who = who;
    rc = obtain_pin(pins, label, (ti.flags & CKF_PROTECTED_AUTHENTICATION_PATH) != 0, job);
    if (rc != VBSIG_OK) {
        p11_job_free(job);
        free(label);
        return rc;
    }
    CK_RV rv;
    rc = p11_job_run(job, pins->timeout_ms, &rv);
    if (rc == VBSIG_OK) {
        p11_job_free(job);
        if (rv == CKR_PIN_INCORRECT)
            rc = wrong_pin(m, slot, label, pins->timeout_ms);
        else if (rv == CKR_PIN_LOCKED)
            rc = p11_fail(VBSIG_E_PIN_LOCKED, _("the PIN of token %s is locked; it must be unblocked with the PUK or SO PIN"), label);
        else if (rv != CKR_OK && rv != CKR_USER_ALREADY_LOGGED_IN) {
            char what[200];
            snprintf(what, sizeof what, _("cannot log in to token %s"), label);
            rc = p11_fail_rv(rv, what);
        }
    }
    free(label);
    return rc;
}
