/* vbsig sign: one file, or a batch with one signer (one login). */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vbsig/pkcs11.h>

#include "cli.h"
#include "sign_pdf.h"

typedef struct sign_args {
    const char *output, *out_dir, *key, *cert, *chain, *pass, *format, *level, *digest, *padding;
    const char *pin, *module; /* PKCS#11: PIN source and module path */
    const char *xml_ref, *xml_parent; /* XML: what is signed, where the Signature goes */
    const char *xml_c14n;             /* XML: exc (default), c14n, c14n11 */
    const char *xml_mode;             /* XML: enveloped (default), enveloping, detached */
    const char **trust;
    int trust_count;
    int detached, no_verify, level_given, allow_lower;
    cli_tsa_args tsa;
    cli_pdf_args pdf; /* --reason, --location, --contact, --certify, --field, --signer-name */
} sign_args;

static int has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

static int is_pkcs11_uri(const char *key)
{
    return strncmp(key, "pkcs11:", 7) == 0;
}

static int load_signer(vbsig_ctx *ctx, const sign_args *a, vbsig_signer **out)
{
    if (is_pkcs11_uri(a->key)) {
        vbsig_pkcs11_opts p11;
        vbsig_pkcs11_opts_init(&p11);
        p11.module = a->module;
        p11.pin_source = a->pin; /* NULL: the PIN pad, else a prompt without echo */
        p11.cert_path = a->cert;
        int rc = vbsig_signer_from_pkcs11(out, ctx, a->key, &p11);
        if (rc == VBSIG_OK && a->chain != NULL)
            rc = vbsig_signer_add_chain_file(*out, a->chain);
        if (rc == VBSIG_OK && a->padding != NULL)
            rc = vbsig_signer_set_rsa_padding(*out, strcmp(a->padding, "pss") == 0 ? VBSIG_RSA_PSS : VBSIG_RSA_PKCS1_V15);
        if (rc != VBSIG_OK && *out != NULL) {
            vbsig_signer_free(*out);
            *out = NULL;
        }
        return rc;
    }
    /* Key files took --pin as another name for --pass before tokens came. */
    const char *pass = a->pass != NULL ? a->pass : a->pin;
    int rc;
    if (has_suffix(a->key, ".p12") || has_suffix(a->key, ".pfx") || a->cert == NULL)
        rc = vbsig_signer_from_pkcs12(out, a->key, pass);
    else
        rc = vbsig_signer_from_key_file(out, a->key, pass, a->cert);
    if (rc == VBSIG_OK && a->chain != NULL)
        rc = vbsig_signer_add_chain_file(*out, a->chain);
    if (rc == VBSIG_OK && a->padding != NULL)
        rc = vbsig_signer_set_rsa_padding(*out, strcmp(a->padding, "pss") == 0 ? VBSIG_RSA_PSS : VBSIG_RSA_PKCS1_V15);
    if (rc != VBSIG_OK && *out != NULL) {
        vbsig_signer_free(*out);
        *out = NULL;
    }
    return rc;
}

/* With --trust, the signer's own certificate must chain to an anchor now
 * (Decree 23/2025 art. 15: check one's own certificate before signing).
 * The library checks it without signing anything; an unavailable
 * revocation status (TRY_LATER) does not stop the signing. */
static int check_signer_trust(vbsig_ctx *ctx, vbsig_signer *signer)
{
    vbsig_report *r = NULL;
    int rc = vbsig_signer_check(ctx, signer, 0, &r);
    if (rc != VBSIG_OK)
        return rc;
    vbsig_indication ind = vbsig_report_signature_indication(r, 0);
    const char *sub = vbsig_report_signature_subindication(r, 0);
    int trouble = ind != VBSIG_TOTAL_PASSED && !(sub != NULL && strcmp(sub, "TRY_LATER") == 0);
    if (trouble) {
        char msg[256];
        snprintf(msg, sizeof msg, _("the signer certificate does not validate against the trust anchors (%s)"),
                 sub != NULL ? sub : vbsig_indication_name(ind));
        rc = vbsig_set_error(VBSIG_E_KEY_UNUSABLE, msg);
    }
    vbsig_report_free(r);
    return rc;
}

/* XML signatures are enveloped: the signed document keeps its name. */
static char *batch_output_path(const char *dir, const char *in, int detached, cli_format fmt)
{
    char *copy = strdup(in);
    if (copy == NULL)
        return NULL;
    const char *base = basename(copy);
    size_t n = strlen(dir) + strlen(base) + 16;
    char *out = malloc(n);
    if (out != NULL)
        snprintf(out, n, "%s/%s%s", dir, base, fmt == FORMAT_PADES ? "" : fmt == FORMAT_XADES ? (detached ? ".sig.xml" : "") : detached ? ".p7s" : ".p7m");
    free(copy);
    return out;
}

/* The format sign_files will use for path (with --format auto: by content). */
static int planned_format(const sign_args *a, const char *path, cli_format *fmt)
{
    *fmt = FORMAT_CADES;
    if (strcmp(a->format, "pades") == 0)
        *fmt = FORMAT_PADES;
    else if (strcmp(a->format, "xades") == 0 || strcmp(a->format, "xmldsig") == 0)
        *fmt = FORMAT_XADES;
    else if (strcmp(a->format, "auto") == 0)
        return cli_detect_format(path, fmt);
    return VBSIG_OK;
}

static int cmp_id(const void *x, const void *y)
{
    const vbsig_file_id *a = x, *b = y;
    if (a->dev != b->dev)
        return a->dev < b->dev ? -1 : 1;
    return a->ino < b->ino ? -1 : a->ino > b->ino;
}

/* Before anything is signed: no file of a batch may be written over one of
 * its inputs (--out-dir the inputs' own directory: a PDF or an XML
 * document keeps its name). One stat per input and per output name; the
 * content is read only for a name that collides. 0, or 64 (one line). */
static int check_batch_outputs(const sign_args *a, char **inputs, int count)
{
    vbsig_file_id *ids = calloc((size_t)count, sizeof *ids);
    if (ids == NULL)
        return EXIT_SOFTWARE;
    size_t n = 0;
    for (int i = 0; i < count; i++)
        if (vbsig_file_id_get(inputs[i], &ids[n]) == VBSIG_OK)
            n++;
    qsort(ids, n, sizeof *ids, cmp_id);
    int xml_detached = a->xml_mode != NULL && strcmp(a->xml_mode, "detached") == 0;
    int code = 0;
    for (int i = 0; code == 0 && i < count; i++) {
        cli_format fmt;
        vbsig_file_id id;
        /* The names the output may take: the input's own, or with a suffix. */
        char *same = batch_output_path(a->out_dir, inputs[i], 0, FORMAT_PADES);
        char *suffixed = batch_output_path(a->out_dir, inputs[i], a->detached, FORMAT_CADES);
        char *xml = batch_output_path(a->out_dir, inputs[i], 1, FORMAT_XADES);
        const char *names[3] = {same, suffixed, xml};
        int hit = 0;
        for (int k = 0; k < 3; k++)
            if (names[k] != NULL && vbsig_file_id_get(names[k], &id) == VBSIG_OK &&
                bsearch(&id, ids, n, sizeof *ids, cmp_id) != NULL)
                hit = 1;
        if (hit && planned_format(a, inputs[i], &fmt) == VBSIG_OK) {
            char *out = batch_output_path(a->out_dir, inputs[i], fmt == FORMAT_XADES ? xml_detached : a->detached, fmt);
            if (out != NULL && vbsig_file_id_get(out, &id) == VBSIG_OK && bsearch(&id, ids, n, sizeof *ids, cmp_id) != NULL) {
                const char *in = inputs[i];
                for (int j = 0; j < count; j++)
                    if (vbsig_same_file(out, inputs[j]))
                        in = inputs[j];
                code = cli_refuse_same_file("sign", out, in, NULL);
                if (code == 0) /* a link among the inputs: still one file */
                    code = cli_usage_error("sign", _("%s: the output is one of the inputs; choose another --out-dir"), out);
            }
            free(out);
        }
        free(same);
        free(suffixed);
        free(xml);
    }
    free(ids);
    return code;
}

static int check_xml_request(const sign_args *a)
{
    if (a->detached)
        return vbsig_set_error(VBSIG_E_INVALID_ARG, _("--detached applies to CAdES; use --xml-mode detached for XML"));
    return VBSIG_OK;
}

/* The XML options from the command line (the library applies level and TSA). */
static void xml_options(const sign_args *a, const vbsig_cades_sign_opts *opts, vbsig_xml_sign_opts *xo)
{
    vbsig_xml_sign_opts_init(xo);
    xo->xades = strcmp(a->format, "xmldsig") != 0;
    xo->digest = opts->digest;
    xo->verify_after_sign = opts->verify_after_sign;
    xo->reference = a->xml_ref;
    xo->parent_xpath = a->xml_parent;
    if (a->xml_c14n != NULL)
        xo->c14n = strcmp(a->xml_c14n, "c14n") == 0 ? VBSIG_XML_C14N_INCLUSIVE : VBSIG_XML_C14N_INCLUSIVE_11;
    if (a->xml_mode != NULL)
        xo->mode = strcmp(a->xml_mode, "enveloping") == 0 ? VBSIG_XML_ENVELOPING
                   : strcmp(a->xml_mode, "detached") == 0 ? VBSIG_XML_DETACHED
                                                          : VBSIG_XML_ENVELOPED;
}

static void progress_bar(size_t done, size_t total, const char *name)
{
    if (!isatty(STDERR_FILENO) || total < 2)
        return;
    const int width = 30;
    int filled = (int)(done * (size_t)width / total);
    fprintf(stderr, "\r[");
    for (int i = 0; i < width; i++)
        fputc(i < filled ? '#' : '.', stderr);
    fprintf(stderr, "] %zu/%zu %-40.40s", done, total, name);
    if (done == total)
        fputc('\n', stderr);
    fflush(stderr);
}

/* What the batch callbacks share with sign_files. */
typedef struct sign_run {
    const sign_args *a;
    vbsig_ctx *ctx;
    int first_error, failures;
    char *reported; /* the file's failure was printed as it happened */
} sign_run;

/* The command line's options must fit the file's format (known only once
 * it is read, with --format auto). */
/* An enveloped or enveloping signature goes into an XML document; a PDF
 * given to --format xades is most likely meant to get a detached one. */
static int check_xml_input(const sign_args *a, const char *in)
{
    if (a->xml_mode != NULL && strcmp(a->xml_mode, "detached") == 0)
        return VBSIG_OK;
    cli_format content = FORMAT_CADES;
    if (in == NULL || cli_detect_format(in, &content) != VBSIG_OK || content != FORMAT_PADES)
        return VBSIG_OK; /* the XML parser says what is wrong with anything else */
    char msg[700];
    snprintf(msg, sizeof msg,
             _("%s is a PDF, not an XML document: an XML signature of it must be detached "
               "(--xml-mode detached), or sign it as a PDF (--format pades)"),
             in);
    return vbsig_set_error(VBSIG_E_MALFORMED, msg);
}

static int check_item(void *user, vbsig_batch *batch, size_t index, vbsig_format fmt)
{
    sign_run *r = user;
    const sign_args *a = r->a;
    int rc = VBSIG_OK;
    if (fmt == VBSIG_FORMAT_PADES && a->detached)
        rc = vbsig_set_error(VBSIG_E_INVALID_ARG, _("a PDF signature is embedded in the PDF; use --format cades for a detached signature"));
    if (rc == VBSIG_OK && fmt != VBSIG_FORMAT_PADES && a->pdf.given)
        rc = vbsig_set_error(VBSIG_E_INVALID_ARG, _("--reason, --location, --contact, --certify, --field and --signer-name apply to PDF signatures only"));
    if (rc == VBSIG_OK && fmt == VBSIG_FORMAT_XADES)
        rc = check_xml_request(a);
    if (rc == VBSIG_OK && fmt == VBSIG_FORMAT_XADES)
        rc = check_xml_input(a, vbsig_batch_item_input(batch, index));
    if (rc == VBSIG_OK && fmt != VBSIG_FORMAT_XADES && (a->xml_ref != NULL || a->xml_parent != NULL || a->xml_c14n != NULL))
        rc = vbsig_set_error(VBSIG_E_INVALID_ARG, _("--xml-ref, --xml-parent and --xml-c14n apply to XML documents only"));
    if (rc == VBSIG_OK && fmt != VBSIG_FORMAT_XADES && a->xml_mode != NULL)
        rc = vbsig_set_error(VBSIG_E_INVALID_ARG, _("--xml-mode applies to XML signatures only (--format xades or xmldsig)"));
    /* B-LT / B-LTA fetch revocation data: the configuration file's
     * sources and rewrites apply, as for `extend`. */
    if (rc == VBSIG_OK && a->pdf.lt)
        rc = cli_load_default_config(r->ctx, NULL);
    return rc;
}

/* Prints "cannot sign FILE: why" and keeps the first exit code. */
static void report_failure(sign_run *r, vbsig_batch *batch, size_t index, int late)
{
    int rc = vbsig_batch_item_status(batch, index);
    vbsig_set_error(rc, vbsig_batch_item_message(batch, index));
    char what[600];
    snprintf(what, sizeof what, _("cannot sign %s"), vbsig_batch_item_input(batch, index));
    int code = cli_fail(rc, what);
    /* A PDF whose certification forbids another signature (or a second
     * certification): the request is refused, the data is fine: the usage
     * code, as the contract's refusals are. */
    if (!late && vbsig_batch_item_format(batch, index) == VBSIG_FORMAT_PADES && rc == VBSIG_E_REFUSED)
        code = EXIT_USAGE;
    if (r->first_error == 0)
        r->first_error = code;
    r->failures++;
}

static void on_progress(void *user, vbsig_batch *batch, size_t index, size_t done, size_t total)
{
    sign_run *r = user;
    if (vbsig_batch_item_status(batch, index) != VBSIG_OK) {
        report_failure(r, batch, index, 0);
        r->reported[index] = 1;
    }
    progress_bar(done, total, vbsig_batch_item_input(batch, index));
}

/* Every file through the library's batch (pipelined at B-B, one login). */
static int sign_files(vbsig_ctx *ctx, vbsig_signer *signer, const sign_args *a,
                      const vbsig_cades_sign_opts *opts, char **inputs, int count)
{
    sign_run r = {.a = a, .ctx = ctx};
    vbsig_pades_sign_opts po;
    vbsig_xml_sign_opts xo;
    cli_pdf_sign_opts(&a->pdf, opts, &po);
    xml_options(a, opts, &xo);
    vbsig_batch_opts bo;
    vbsig_batch_opts_init(&bo);
    bo.sign.format = strcmp(a->format, "pades") == 0                                        ? VBSIG_FORMAT_PADES
                     : strcmp(a->format, "xades") == 0 || strcmp(a->format, "xmldsig") == 0 ? VBSIG_FORMAT_XADES
                     : strcmp(a->format, "cades") == 0                                      ? VBSIG_FORMAT_CADES
                                                                                            : VBSIG_FORMAT_AUTO;
    bo.sign.level = opts->level;
    bo.sign.tsp = opts->tsp;
    bo.sign.cades = opts;
    bo.sign.pades = &po;
    bo.sign.xml = &xo;
    bo.out_dir = a->out_dir;
    bo.check = check_item;
    bo.check_user = &r;
    vbsig_batch *batch = NULL;
    int rc = vbsig_batch_new(&batch, ctx, signer, &bo);
    for (int i = 0; rc == VBSIG_OK && i < count; i++)
        rc = vbsig_batch_add(batch, inputs[i], a->out_dir != NULL ? NULL : a->output);
    if (rc == VBSIG_OK && (r.reported = calloc((size_t)count, 1)) == NULL)
        rc = vbsig_set_error(VBSIG_E_NOMEM, _("out of memory"));
    if (rc == VBSIG_OK) {
        rc = vbsig_batch_run(batch, on_progress, &r);
        /* Writing failures come after the token's part: reported last. */
        for (int i = 0; i < count; i++)
            if (!r.reported[i] && vbsig_batch_item_status(batch, (size_t)i) != VBSIG_OK)
                report_failure(&r, batch, (size_t)i, 1);
    }
    if (rc != VBSIG_OK) {
        int code = cli_fail(rc, "sign");
        if (r.first_error == 0)
            r.first_error = code;
    }
    vbsig_batch_free(batch);
    free(r.reported);
    if (r.failures > 0 && count > 1)
        fprintf(stderr, _("vbsig: sign: %d of %d files were not signed\n"), r.failures, count);
    return r.first_error;
}

int cmd_sign(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'}, {"out-dir", required_argument, NULL, 'D'},
        {"key", required_argument, NULL, 'k'},    {"cert", required_argument, NULL, 'c'},
        {"chain", required_argument, NULL, 'C'},  {"pass", required_argument, NULL, 'p'},
        {"pin", required_argument, NULL, 'P'},    {"format", required_argument, NULL, 'f'},
        {"level", required_argument, NULL, 'l'},  {"detached", no_argument, NULL, 'd'},
        {"digest", required_argument, NULL, 'g'}, {"rsa-padding", required_argument, NULL, 'r'},
        {"trust", required_argument, NULL, 't'},  {"no-verify", no_argument, NULL, 'n'},
        {"lang", required_argument, NULL, 'L'},   {"help", no_argument, NULL, 'h'},
        CLI_TSA_LONGOPTS,                         CLI_PDF_LONGOPTS,
        {"module", required_argument, NULL, 'M'},
        {"xml-ref", required_argument, NULL, 0x1200}, {"xml-parent", required_argument, NULL, 0x1201},
        {"xml-c14n", required_argument, NULL, 0x1202}, {"xml-mode", required_argument, NULL, 0x1203},
        {"allow-lower-level", no_argument, NULL, 0x1204},
        {NULL, 0, NULL, 0}};
    sign_args a = {0};
    cli_pdf_args_init(&a.pdf);
    a.format = "auto";
    a.level = "B-B";
    a.trust = calloc((size_t)argc, sizeof *a.trust);
    cli_tsa_args_init(&a.tsa, argc);
    if (a.trust == NULL || a.tsa.urls == NULL) {
        free(a.trust);
        cli_tsa_args_free(&a.tsa);
        return EXIT_SOFTWARE;
    }
    int c, code = 0, t;
    optind = 1;
    opterr = 0;
    while (code == 0 && (c = getopt_long(argc, argv, "o:k:h", longopts, NULL)) != -1) {
        if ((t = cli_pdf_option(&a.pdf, c, optarg)) != 0) {
            code = t < 0 ? EXIT_USAGE : 0;
            continue;
        }
        if ((t = cli_tsa_option(&a.tsa, c, optarg, "sign")) != 0) {
            code = t < 0 ? EXIT_USAGE : 0;
            continue;
        }
        switch (c) {
        case 'o': a.output = optarg; break;
        case 'D': a.out_dir = optarg; break;
        case 'k': a.key = optarg; break;
        case 'c': a.cert = optarg; break;
        case 'C': a.chain = optarg; break;
        case 'p': a.pass = optarg; break;
        case 'P': a.pin = optarg; break;
        case 'f': a.format = optarg; break;
        case 'l': a.level = optarg; a.level_given = 1; break;
        case 'd': a.detached = 1; break;
        case 'g': a.digest = optarg; break;
        case 'r': a.padding = optarg; break;
        case 't': a.trust[a.trust_count++] = optarg; break;
        case 'n': a.no_verify = 1; break;
        case 'L': break;
        case 'h': cli_print_help("sign", stdout); free(a.trust); cli_tsa_args_free(&a.tsa); return 0;
        case 'M': a.module = optarg; break;
        case 0x1200: a.xml_ref = optarg; break;
        case 0x1201: a.xml_parent = optarg; break;
        case 0x1202: a.xml_c14n = optarg; break;
        case 0x1203: a.xml_mode = optarg; break;
        case 0x1204: a.allow_lower = 1; break;
        default:
            code = cli_usage_error("sign", _("unknown or incomplete option '%s'"), argv[optind - 1]);
        }
    }
    int inputs = argc - optind;
    if (code == 0 && inputs < 1)
        code = cli_usage_error("sign", _("no input file"));
    if (code == 0 && a.key == NULL)
        code = cli_usage_error("sign", _("--key is required"));
    if (code == 0 && is_pkcs11_uri(a.key) && a.pass != NULL)
        code = cli_usage_error("sign", _("a PKCS#11 key takes its PIN with --pin SRC, not --pass"));
    if (code == 0 && !is_pkcs11_uri(a.key) && a.module != NULL)
        code = cli_usage_error("sign", _("--module applies only to pkcs11: keys"));
    if (code == 0 && (a.output == NULL) == (a.out_dir == NULL))
        code = cli_usage_error("sign", _("give exactly one of -o OUT and --out-dir DIR"));
    if (code == 0 && a.output != NULL && inputs > 1)
        code = cli_usage_error("sign", _("several inputs need --out-dir DIR"));
    if (code == 0 && strcmp(a.format, "auto") != 0 && strcmp(a.format, "cades") != 0 &&
        strcmp(a.format, "pades") != 0 && strcmp(a.format, "xades") != 0 && strcmp(a.format, "xmldsig") != 0)
        code = cli_usage_error("sign", _("unknown format '%s' (auto, cades, pades, xades, xmldsig)"), a.format);
    /* --tsa alone asks for B-T; an explicit level must agree with it. */
    if (code == 0 && a.tsa.count > 0 && !a.level_given)
        a.level = "B-T";
    /* B-LT / B-LTA: the library signs at B-T and adds what `extend` adds;
     * the checks below are those of B-T. */
    if (code == 0 && (strcmp(a.level, "B-LT") == 0 || strcmp(a.level, "B-LTA") == 0)) {
        a.pdf.lt = strcmp(a.level, "B-LTA") == 0 ? 2 : 1;
        if (a.trust_count == 0 || a.out_dir != NULL)
            code = cli_usage_error("sign", _("levels B-LT and B-LTA sign one file (-o OUT) and need --trust PATH"));
        a.level = "B-T";
    }
    if (code == 0 && strcmp(a.level, "B-B") != 0 && strcmp(a.level, "B-T") != 0)
        code = cli_usage_error("sign", _("unknown level '%s' (B-B, B-T, B-LT, B-LTA)"), a.level);
    if (code == 0 && strcmp(a.level, "B-T") == 0 && a.tsa.count == 0)
        code = cli_usage_error("sign", _("level B-T needs a timestamp authority: --tsa URL"));
    if (code == 0 && strcmp(a.level, "B-B") == 0 && a.tsa.count > 0)
        code = cli_usage_error("sign", _("--tsa adds a timestamp, which level B-B does not have; use --level B-T"));
    if (code == 0 && a.xml_c14n != NULL && strcmp(a.xml_c14n, "exc") == 0)
        a.xml_c14n = NULL;
    if (code == 0 && a.xml_c14n != NULL && strcmp(a.xml_c14n, "c14n") != 0 && strcmp(a.xml_c14n, "c14n11") != 0)
        code = cli_usage_error("sign", _("unknown XML canonicalization '%s' (exc, c14n, c14n11)"), a.xml_c14n);
    if (code == 0 && a.xml_mode != NULL && strcmp(a.xml_mode, "enveloped") != 0 && strcmp(a.xml_mode, "enveloping") != 0 &&
        strcmp(a.xml_mode, "detached") != 0)
        code = cli_usage_error("sign", _("unknown XML signature mode '%s' (enveloped, enveloping, detached)"), a.xml_mode);
    if (code == 0 && a.padding != NULL && strcmp(a.padding, "pss") != 0 && strcmp(a.padding, "pkcs1") != 0)
        code = cli_usage_error("sign", _("unknown RSA padding '%s' (pkcs1, pss)"), a.padding);
    if (code == 0 && cli_pdf_check(&a.pdf) != 0)
        code = EXIT_USAGE;
    /* Never write over an input (hard link, symbolic link, ./name too). */
    if (code == 0 && a.output != NULL)
        code = cli_refuse_same_file("sign", a.output, argv[optind], NULL);
    if (code == 0 && a.out_dir != NULL)
        code = check_batch_outputs(&a, argv + optind, inputs);
    /* A missing --out-dir is made (its last component), or fails once here. */
    if (code == 0 && a.out_dir != NULL && mkdir(a.out_dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, _("vbsig: sign: cannot create the output directory %s: %s\n"), a.out_dir, strerror(errno));
        code = EXIT_CANTCREAT;
    }
    struct stat dst;
    if (code == 0 && a.out_dir != NULL && (stat(a.out_dir, &dst) != 0 || !S_ISDIR(dst.st_mode))) {
        fprintf(stderr, _("vbsig: sign: %s is not a directory\n"), a.out_dir);
        code = EXIT_CANTCREAT;
    }
    if (code != 0) {
        free(a.trust);
        cli_tsa_args_free(&a.tsa);
        return code;
    }
    vbsig_tsp_opts tsp;
    cli_tsa_opts(&a.tsa, &tsp);
    vbsig_cades_sign_opts opts;
    vbsig_cades_sign_opts_init(&opts);
    opts.detached = a.detached;
    opts.verify_after_sign = !a.no_verify;
    if (strcmp(a.level, "B-T") == 0) {
        opts.level = a.pdf.lt == 2 ? VBSIG_LEVEL_B_LTA : a.pdf.lt == 1 ? VBSIG_LEVEL_B_LT : VBSIG_LEVEL_B_T;
        opts.tsp = &tsp;
    }
    vbsig_ctx *ctx = NULL;
    vbsig_signer *signer = NULL;
    int rc = vbsig_ctx_new(&ctx);
    if (rc == VBSIG_OK)
        rc = cli_network_defaults(ctx);
    if (rc == VBSIG_OK)
        rc = vbsig_ctx_set_allow_lower_level(ctx, a.allow_lower);
    if (rc == VBSIG_OK && a.digest != NULL) {
        vbsig_digest_alg alg;
        rc = vbsig_digest_from_name(a.digest, &alg);
        opts.digest = alg;
    }
    for (int i = 0; rc == VBSIG_OK && i < a.trust_count; i++)
        rc = vbsig_ctx_add_trust(ctx, a.trust[i]);
    if (rc == VBSIG_OK)
        rc = load_signer(ctx, &a, &signer);
    if (rc == VBSIG_OK && a.trust_count > 0)
        rc = check_signer_trust(ctx, signer);
    if (rc != VBSIG_OK)
        code = cli_fail(rc, "sign"); /* the command name, as in usage errors */
    else
        code = sign_files(ctx, signer, &a, &opts, argv + optind, inputs);
    if (code == 0 && vbsig_ctx_level_warning(ctx) != NULL) /* --allow-lower-level */
        fprintf(stderr, "vbsig: %s\n", vbsig_ctx_level_warning(ctx));
    vbsig_signer_free(signer);
    vbsig_ctx_free(ctx);
    free(a.trust);
    cli_tsa_args_free(&a.tsa);
    return code;
}
