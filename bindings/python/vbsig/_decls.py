"""The C declarations this binding relies on, written as C.

They are kept as C text (not as ctypes calls) so that the test
tools/check_decls.py can compare every one of them with the public headers
after the C preprocessor has run: a function whose arguments changed, a
struct that grew a field in the middle or an enum that was renumbered makes
that test fail instead of making Python crash. _lib.py turns the text into
ctypes objects.
"""

# libvbsig (libvbsig/include/vbsig/*.h)
FUNCTIONS = r"""
const char *vbsig_last_error(void);
const char *vbsig_status_name(int status);
const char *vbsig_version(void);
void vbsig_buf_free(vbsig_buf *buf);
void vbsig_free(void *p);

int vbsig_ctx_new(vbsig_ctx **out);
void vbsig_ctx_free(vbsig_ctx *ctx);
int vbsig_ctx_add_trust(vbsig_ctx *ctx, const char *path);
int vbsig_ctx_add_intermediates(vbsig_ctx *ctx, const char *path);
int vbsig_ctx_set_validation_time(vbsig_ctx *ctx, time_t t);
int vbsig_ctx_set_revocation_mode(vbsig_ctx *ctx, vbsig_revocation_mode mode);
int vbsig_ctx_set_offline(vbsig_ctx *ctx, int offline);
int vbsig_ctx_set_cache_dir(vbsig_ctx *ctx, const char *dir);
int vbsig_ctx_set_aia(vbsig_ctx *ctx, int on);
void vbsig_set_localedir(const char *dir);

int vbsig_signer_from_key_file(vbsig_signer **out, const char *key_path, const char *pass_source, const char *cert_path);
int vbsig_signer_from_pkcs12(vbsig_signer **out, const char *path, const char *pass_source);
int vbsig_signer_from_cert_file(vbsig_signer **out, const char *cert_path);
void vbsig_signer_free(vbsig_signer *s);
int vbsig_signer_add_chain_file(vbsig_signer *s, const char *path);
const uint8_t *vbsig_signer_cert_der(const vbsig_signer *s, size_t *len);
int vbsig_signer_key_bits(const vbsig_signer *s);
vbsig_key_type vbsig_signer_key_type(const vbsig_signer *s);
int vbsig_signer_sign_digest(vbsig_signer *s, const vbsig_sign_request *req, uint8_t *sig, size_t *sig_len);

void vbsig_tsp_opts_init(vbsig_tsp_opts *opts);
void vbsig_cades_sign_opts_init(vbsig_cades_sign_opts *opts);
void vbsig_pades_sign_opts_init(vbsig_pades_sign_opts *opts);
void vbsig_pades_appearance_init(vbsig_pades_appearance *ap);
void vbsig_xml_sign_opts_init(vbsig_xml_sign_opts *opts);
void vbsig_sign_opts_init(vbsig_sign_opts *opts);
int vbsig_detect_format_file(const char *path, vbsig_format *out);
int vbsig_sign_file(vbsig_ctx *ctx, vbsig_signer *signer, const vbsig_sign_opts *opts, const char *in_path, const char *out_path, vbsig_format *format_out);
int vbsig_cades_sign(vbsig_ctx *ctx, vbsig_signer *signer, const vbsig_cades_sign_opts *opts, const uint8_t *data, size_t data_len, vbsig_buf *out);

int vbsig_cades_prepare(vbsig_ctx *ctx, vbsig_signer *signer, const vbsig_cades_sign_opts *opts, const uint8_t *data, size_t data_len, vbsig_cades_pending **out);
const vbsig_sign_request *vbsig_cades_pending_request(const vbsig_cades_pending *p);
int vbsig_cades_finish(vbsig_cades_pending *p, const uint8_t *sig, size_t sig_len, vbsig_buf *out);
void vbsig_cades_pending_free(vbsig_cades_pending *p);
int vbsig_pades_prepare(vbsig_ctx *ctx, vbsig_signer *signer, const vbsig_pades_sign_opts *opts, const char *in_path, vbsig_pades_pending **out);
const vbsig_sign_request *vbsig_pades_pending_request(const vbsig_pades_pending *p);
int vbsig_pades_finish(vbsig_pades_pending *p, const uint8_t *sig, size_t sig_len, const char *out_path);
void vbsig_pades_pending_free(vbsig_pades_pending *p);

int vbsig_verify_file(vbsig_ctx *ctx, const char *path, const char *data_path, vbsig_report **out);
int vbsig_cades_verify(vbsig_ctx *ctx, const uint8_t *sig, size_t sig_len, const uint8_t *data, size_t data_len, vbsig_report **out);
int vbsig_pades_verify(vbsig_ctx *ctx, const uint8_t *pdf, size_t len, const char *name, vbsig_report **out);
int vbsig_xml_verify(vbsig_ctx *ctx, const uint8_t *doc, size_t doc_len, vbsig_report **out);

const char *vbsig_indication_name(vbsig_indication ind);
vbsig_indication vbsig_report_indication(const vbsig_report *r);
size_t vbsig_report_signature_count(const vbsig_report *r);
vbsig_indication vbsig_report_signature_indication(const vbsig_report *r, size_t i);
const char *vbsig_report_signature_subindication(const vbsig_report *r, size_t i);
const char *vbsig_report_signature_level(const vbsig_report *r, size_t i);
const char *vbsig_report_format(const vbsig_report *r);
const char *vbsig_report_file(const vbsig_report *r);
const char *vbsig_report_signature_id(const vbsig_report *r, size_t i);
const char *vbsig_report_signer_field(const vbsig_report *r, size_t i, vbsig_signer_field field);
time_t vbsig_report_signature_time(const vbsig_report *r, size_t i, vbsig_report_time which);
int vbsig_report_signature_has_timestamp(const vbsig_report *r, size_t i);
vbsig_indication vbsig_report_timestamp_indication(const vbsig_report *r, size_t i);
const char *vbsig_report_timestamp_subindication(const vbsig_report *r, size_t i);
const char *vbsig_report_timestamp_tsa(const vbsig_report *r, size_t i);
const char *vbsig_report_signature_digest_algorithm(const vbsig_report *r, size_t i);
const char *vbsig_report_signature_trust_domain(const vbsig_report *r, size_t i);
size_t vbsig_report_signature_chain_count(const vbsig_report *r, size_t i);
const char *vbsig_report_signature_chain(const vbsig_report *r, size_t i, size_t j);
const char *vbsig_report_signature_revocation(const vbsig_report *r, size_t i, const char **source, const char **reason);
int vbsig_report_signature_whole_document(const vbsig_report *r, size_t i);
size_t vbsig_report_signature_message_count(const vbsig_report *r, size_t i);
const char *vbsig_report_signature_message(const vbsig_report *r, size_t i, size_t j);
int vbsig_report_set_file(vbsig_report *r, const char *name);
void vbsig_report_render_opts_init(vbsig_report_render_opts *opts);
int vbsig_report_to_json(const vbsig_report *r, const vbsig_report_render_opts *opts, vbsig_buf *out);
int vbsig_report_to_text(const vbsig_report *r, const vbsig_report_render_opts *opts, vbsig_buf *out);
void vbsig_report_free(vbsig_report *r);

void vbsig_batch_opts_init(vbsig_batch_opts *opts);
int vbsig_batch_new(vbsig_batch **out, vbsig_ctx *ctx, vbsig_signer *signer, const vbsig_batch_opts *opts);
int vbsig_batch_add(vbsig_batch *batch, const char *in_path, const char *out_path);
int vbsig_batch_run(vbsig_batch *batch, vbsig_batch_progress_cb progress, void *user);
size_t vbsig_batch_count(const vbsig_batch *batch);
int vbsig_batch_item_status(const vbsig_batch *batch, size_t index);
const char *vbsig_batch_item_message(const vbsig_batch *batch, size_t index);
const char *vbsig_batch_item_input(const vbsig_batch *batch, size_t index);
const char *vbsig_batch_item_output(const vbsig_batch *batch, size_t index);
vbsig_format vbsig_batch_item_format(const vbsig_batch *batch, size_t index);
void vbsig_batch_free(vbsig_batch *batch);
"""

# libvbsig_pkcs11 (pkcs11-bridge/include/vbsig/pkcs11.h)
PKCS11_FUNCTIONS = r"""
void vbsig_pkcs11_opts_init(vbsig_pkcs11_opts *opts);
int vbsig_signer_from_pkcs11(vbsig_signer **out, vbsig_ctx *ctx, const char *uri, const vbsig_pkcs11_opts *opts);
int vbsig_pkcs11_list_tokens(vbsig_ctx *ctx, const char *module, vbsig_pkcs11_token **out, size_t *count);
void vbsig_pkcs11_tokens_free(vbsig_pkcs11_token *list, size_t count);
int vbsig_pkcs11_list_objects(vbsig_ctx *ctx, const char *module, const char *uri, const char *pin_source,
                              vbsig_pkcs11_object **out, size_t *count);
void vbsig_pkcs11_objects_free(vbsig_pkcs11_object *list, size_t count);
"""

# Function pointer types (typedefs in the headers).
CALLBACKS = r"""
typedef int (*vbsig_pin_cb)(void *data, const char *token_label, char *pin, size_t pin_size);
typedef void (*vbsig_batch_progress_cb)(void *user, vbsig_batch *batch, size_t index, size_t done, size_t total);
typedef int (*vbsig_batch_check_cb)(void *user, vbsig_batch *batch, size_t index, vbsig_format format);
"""

# Structures filled in from Python: every field, in order, as the headers
# define them (ctypes lays them out the same way the C compiler does).
STRUCTS = r"""
struct vbsig_buf {
    uint8_t *data;
    size_t len;
};
struct vbsig_sign_request {
    vbsig_digest_alg digest_alg;
    vbsig_rsa_padding padding;
    const uint8_t *digest;
    size_t digest_len;
};
struct vbsig_tsp_opts {
    unsigned version;
    const char *const *urls;
    size_t url_count;
    vbsig_digest_alg digest;
    const char *policy;
    const char *username;
    const char *password_source;
    long connect_timeout_ms;
    long timeout_ms;
    unsigned retries;
    long retry_delay_ms;
    const char *ca_file;
};
struct vbsig_cades_sign_opts {
    unsigned version;
    int detached;
    vbsig_digest_alg digest;
    int include_chain;
    time_t signing_time;
    int verify_after_sign;
    vbsig_level level;
    const vbsig_tsp_opts *tsp;
};
struct vbsig_pades_appearance {
    unsigned version;
    vbsig_appearance_kind kind;
    const char *image_path;
    unsigned page;
    double rect_mm[4];
    const char *anchor;
    double seal_size_mm;
    const char *over_field;
    const char *doc_number;
    const char *copy_form;
    const char *copy_org;
    const char *font_path;
};
struct vbsig_pades_sign_opts {
    unsigned version;
    vbsig_digest_alg digest;
    vbsig_level level;
    const vbsig_tsp_opts *tsp;
    int include_chain;
    const char *reason;
    const char *location;
    const char *contact_info;
    const char *name;
    int certify;
    const char *field_name;
    time_t signing_time;
    size_t contents_size;
    int verify_after_sign;
    const vbsig_pades_appearance *appearance;
};
struct vbsig_xml_sign_opts {
    unsigned version;
    int xades;
    vbsig_digest_alg digest;
    int include_chain;
    time_t signing_time;
    int verify_after_sign;
    const char *reference;
    const char *parent_xpath;
    vbsig_xml_c14n c14n;
    vbsig_xml_mode mode;
    const char *detached_name;
    const vbsig_tsp_opts *tsp;
    vbsig_level level;
};
struct vbsig_sign_opts {
    unsigned version;
    vbsig_format format;
    vbsig_level level;
    const vbsig_tsp_opts *tsp;
    const vbsig_cades_sign_opts *cades;
    const vbsig_pades_sign_opts *pades;
    const vbsig_xml_sign_opts *xml;
};
struct vbsig_batch_opts {
    unsigned version;
    vbsig_sign_opts sign;
    const char *out_dir;
    int verify_every;
    vbsig_batch_check_cb check;
    void *check_user;
};
struct vbsig_report_render_opts {
    unsigned version;
    int utc;
    int pretty;
};
struct vbsig_pkcs11_opts {
    unsigned version;
    const char *module;
    const char *pin_source;
    vbsig_pin_cb pin_cb;
    void *pin_cb_data;
    const char *cert_path;
    unsigned timeout_ms;
};
struct vbsig_pkcs11_token {
    unsigned long slot_id;
    char *slot_description;
    int token_present;
    char *label, *manufacturer, *model, *serial;
    int login_required, pin_pad, pin_count_low, pin_final_try, pin_locked, initialized;
    char *uri;
};
struct vbsig_pkcs11_object {
    char *token_label;
    char *kind;
    char *label;
    char *id_hex;
    char *subject;
    char *key_type;
    char *uri;
};
"""

# Enumerations whose numbers the binding uses; every constant listed must
# have this value in the headers, and every constant of these enums in the
# headers must be listed (so a new status code gets an exception class).
ENUMS = {
    "vbsig_status": {
        "VBSIG_OK": 0, "VBSIG_E_INVALID_ARG": -1, "VBSIG_E_NOMEM": -2, "VBSIG_E_IO_READ": -3,
        "VBSIG_E_IO_WRITE": -4, "VBSIG_E_MALFORMED": -5, "VBSIG_E_UNSUPPORTED": -6,
        "VBSIG_E_LIMIT": -7, "VBSIG_E_CRYPTO": -8, "VBSIG_E_AUTH": -9, "VBSIG_E_PIN_LOCKED": -10,
        "VBSIG_E_KEY_UNUSABLE": -11, "VBSIG_E_UNAVAILABLE": -12, "VBSIG_E_KEY_NOT_FOUND": -13,
        "VBSIG_E_TOKEN_ABSENT": -14, "VBSIG_E_TOKEN_REMOVED": -15, "VBSIG_E_MODULE_LOAD": -16,
        "VBSIG_E_MECHANISM": -17, "VBSIG_E_REFUSED": -18, "VBSIG_E_INTERNAL": -19,
        "VBSIG_E_TIMEOUT": -20, "VBSIG_E_CANCELLED": -21,
    },
    "vbsig_indication": {"VBSIG_TOTAL_PASSED": 0, "VBSIG_INDETERMINATE": 1, "VBSIG_TOTAL_FAILED": 2},
    "vbsig_level": {"VBSIG_LEVEL_B_B": 0, "VBSIG_LEVEL_B_T": 1, "VBSIG_LEVEL_B_LT": 2, "VBSIG_LEVEL_B_LTA": 3},
    "vbsig_format": {"VBSIG_FORMAT_AUTO": 0, "VBSIG_FORMAT_CADES": 1, "VBSIG_FORMAT_PADES": 2,
                     "VBSIG_FORMAT_XADES": 3},
    "vbsig_revocation_mode": {"VBSIG_REVOCATION_HARD": 0, "VBSIG_REVOCATION_SOFT": 1,
                              "VBSIG_REVOCATION_OFF": 2},
    "vbsig_key_type": {"VBSIG_KEY_RSA": 1, "VBSIG_KEY_EC": 2},
    "vbsig_appearance_kind": {"VBSIG_APPEARANCE_NONE": 0, "VBSIG_APPEARANCE_LEADER": 1,
                              "VBSIG_APPEARANCE_SEAL": 2, "VBSIG_APPEARANCE_ATTACHMENT": 3,
                              "VBSIG_APPEARANCE_COPY": 4},
    "vbsig_signer_field": {
        "VBSIG_SIGNER_SUBJECT": 0, "VBSIG_SIGNER_ISSUER": 1, "VBSIG_SIGNER_SERIAL": 2,
        "VBSIG_SIGNER_KEY": 3, "VBSIG_SIGNER_NAME": 4, "VBSIG_SIGNER_ORGANIZATION": 5,
        "VBSIG_SIGNER_TITLE": 6, "VBSIG_SIGNER_TAX_CODE": 7, "VBSIG_SIGNER_ID_NUMBER": 8,
        "VBSIG_SIGNER_BUDGET_CODE": 9,
    },
    "vbsig_report_time": {
        "VBSIG_TIME_SIGNING": 0, "VBSIG_TIME_CLAIMED": 1, "VBSIG_TIME_VALIDATION": 2,
        "VBSIG_TIME_TIMESTAMP": 3, "VBSIG_TIME_REVOKED": 4, "VBSIG_TIME_REVOCATION_PRODUCED": 5,
    },
}

# Version numbers of the option structs as the headers #define them; the
# _init functions set them, the check makes sure the struct text above is
# the one of that version.
VERSIONS = {
    "VBSIG_TSP_OPTS_VERSION": 1,
    "VBSIG_CADES_SIGN_OPTS_VERSION": 2,
    "VBSIG_PADES_SIGN_OPTS_VERSION": 2,
    "VBSIG_PADES_APPEARANCE_VERSION": 1,
    "VBSIG_XML_SIGN_OPTS_VERSION": 2,
    "VBSIG_SIGN_OPTS_VERSION": 1,
    "VBSIG_BATCH_OPTS_VERSION": 1,
    "VBSIG_REPORT_RENDER_OPTS_VERSION": 1,
}
