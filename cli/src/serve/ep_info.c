/* GET /v1/info and GET /v1/openapi.json: what the service is, nothing
 * about the host. */
#include <stdio.h>
#include <stdlib.h>

#include "serve.h"

void ep_info(serve_req *r, json_t *in, serve_reply *out)
{
    (void)in;
    (void)r;
    out->json = json_pack("{s:s, s:s, s:s, s:[ssss]}", "service", "vbsig serve", "version", vbsig_version(), "api", "v1",
                          "formats", "pades", "cades", "xades", "auto");
}

void ep_openapi(serve_req *r, json_t *in, serve_reply *out)
{
    (void)in;
    const char *path = getenv("VBSIG_SERVE_OPENAPI");
    json_error_t err;
    out->json = json_load_file(path != NULL ? path : VBSIG_SERVE_OPENAPI_PATH, 0, &err);
    if (out->json == NULL)
        serve_problem(r, out, 500, "internal", N_("the OpenAPI description is not installed"), NULL);
}
