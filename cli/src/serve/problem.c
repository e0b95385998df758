/* RFC 9457 problem details (application/problem+json): our status code
 * name, the HTTP status and a message in the request's language. */
#include <string.h>

#include "../cli.h"
#include "serve.h"

const char *serve_tr(const char *msgid)
{
    return dgettext("vbsig", msgid);
}

/* gettext follows the thread's LC_MESSAGES: "C" gives the English
 * msgids, C.UTF-8 with LANGUAGE=vi the Vietnamese catalogue; the library's
 * messages follow the same switch, so one request is in one language. */
void serve_lang_enter(serve_state *st, int vi)
{
    uselocale(vi ? st->loc_vi : st->loc_en);
}

void serve_problem(serve_req *r, serve_reply *out, unsigned status, const char *type, const char *title_msgid,
                   const char *detail)
{
    char uri[128];
    snprintf(uri, sizeof uri, "urn:vbsig:problem:%s", type);
    out->status = status;
    out->content_type = "application/problem+json";
    out->json = json_pack("{s:s, s:s, s:i}", "type", uri, "title", serve_tr(title_msgid), "status", (int)status);
    if (out->json != NULL && detail != NULL && detail[0] != '\0')
        json_object_set_new(out->json, "detail", json_string(detail));
    if (r->outcome == NULL)
        r->outcome = type;
}

void serve_problem_status(serve_req *r, serve_reply *out, int rc)
{
    unsigned status = 500;
    const char *type = "internal", *title = N_("the operation failed");
    switch (rc) {
    case VBSIG_E_INVALID_ARG: status = 400; type = "invalid-request"; title = N_("the request is not valid"); break;
    case VBSIG_E_MALFORMED:
    case VBSIG_E_UNSUPPORTED: status = 422; type = "malformed-document"; title = N_("the document cannot be read"); break;
    case VBSIG_E_LIMIT: status = 413; type = "too-large"; title = N_("the request is too large"); break;
    case VBSIG_E_REFUSED: status = 409; type = "refused"; title = N_("the document refuses this signature"); break;
    case VBSIG_E_AUTH: status = 403; type = "wrong-pin"; title = N_("wrong PIN"); break;
    case VBSIG_E_PIN_LOCKED: status = 403; type = "pin-locked"; title = N_("the PIN is locked"); break;
    case VBSIG_E_CANCELLED: status = 403; type = "cancelled"; title = N_("the user refused"); break;
    case VBSIG_E_KEY_UNUSABLE:
    case VBSIG_E_KEY_NOT_FOUND:
    case VBSIG_E_MECHANISM: status = 422; type = "key-unusable"; title = N_("the key cannot sign this"); break;
    case VBSIG_E_TOKEN_ABSENT: status = 503; type = "token-absent"; title = N_("the token is not present"); break;
    /* Pulled out while the request was using it: nothing was signed, and
     * the page can ask the user to insert it and try again. */
    case VBSIG_E_TOKEN_REMOVED: status = 503; type = "token-removed"; title = N_("the token was removed during the operation; nothing was signed"); break;
    case VBSIG_E_TIMEOUT: status = 504; type = "timeout"; title = N_("the token did not answer in time"); break;
    case VBSIG_E_UNAVAILABLE:
    case VBSIG_E_MODULE_LOAD: status = 503; type = "unavailable"; title = N_("a service or device is unavailable"); break;
    default: break;
    }
    serve_problem(r, out, status, type, title, vbsig_last_error());
    if (out->json != NULL)
        json_object_set_new(out->json, "code", json_string(vbsig_status_name(rc)));
}
