/* Help texts, English and Vietnamese through the catalogue. */
#include <string.h>

#include "cli.h"

static void overview(FILE *out)
{
    fputs(_("Usage: vbsig COMMAND [OPTIONS]\n"
            "\n"
            "Sign and verify official documents (PAdES, XAdES, CAdES).\n"
            "\n"
            "Commands:\n"
            "  sign      sign a file, or several files with one login\n"
            "  verify    verify the signatures of a file and print a report\n"
            "  timestamp add a signature timestamp from a TSA to a CAdES signature\n"
            "            (or a document timestamp to a PDF)\n"
            "  extend    add long-term validation data to a signature (B-LT, B-LTA)\n"
            "  token     list PKCS#11 tokens and their certificates; watch card readers\n"
            "  serve     the local signing service for web applications (loopback REST)\n"
            "  help      show help for a command\n"
            "\n"
            "  --version         print the version\n"
            "  --lang vi|en      language of messages and reports\n"
            "\n"
            "Run 'vbsig help COMMAND' for the options of a command.\n"), out);
}

static void tsa_options_help(FILE *out)
{
    fputs(_("\n"
            "Timestamps (level B-T):\n"
            "      --tsa URL           a timestamp authority (RFC 3161 over HTTP or HTTPS);\n"
            "                          repeat it to name others, tried in order\n"
            "      --tsa-policy OID    ask for this TSA policy\n"
            "      --tsa-user USER     HTTP basic authentication at the TSA\n"
            "      --tsa-pass SRC      its password: pass:TEXT, env:VAR, file:PATH, fd:N\n"
            "      --tsa-timeout SEC   give up one attempt after SEC seconds (default 30)\n"
            "      --tsa-retries N     attempts after a failed connection, per URL (default 2)\n"
            "      --tsa-cacert FILE   roots for an https:// TSA's TLS certificate (default: the system's)\n"
            "With --trust, the TSA's certificate must chain to those anchors.\n"), out);
}

static void timestamp_help(FILE *out)
{
    fputs(_("Usage: vbsig timestamp IN -o OUT --tsa URL [OPTIONS]\n"
            "\n"
            "IN is a CMS signature (.p7s, .p7m, CAdES): every signer gets a signature\n"
            "timestamp (it becomes B-T); or a PDF: a document timestamp (ETSI.RFC3161)\n"
            "is added in an incremental update, and earlier signatures stay valid.\n"
            "XML signatures cannot be timestamped by this command (exit status 65):\n"
            "sign them with --tsa (level B-T), or add an archive timestamp to a B-T\n"
            "signature with 'vbsig extend --level B-LTA'.\n"
            "OUT is written atomically; IN is never modified.\n"
            "Exit status 69 when no TSA gives a valid timestamp; OUT is then not written.\n"
            "\n"
            "  -o, --output FILE       where the timestamped signature or PDF goes\n"
            "      --trust PATH        trust anchors the TSA certificate must chain to\n"
            "      --lang vi|en        language of messages\n"), out);
    tsa_options_help(out);
}

static void extend_help(FILE *out)
{
    fputs(_("Usage: vbsig extend IN -o OUT --level B-LT|B-LTA --trust PATH [OPTIONS]\n"
            "       vbsig extend FILE... --level B-LTA --renew-within DAYS --out-dir DIR [OPTIONS]\n"
            "\n"
            "Adds long-term validation data to every signature and document timestamp\n"
            "of the signed PDF IN, in an incremental update: the certificate paths and\n"
            "an OCSP response (or CRL) for each certificate below the trust anchor go\n"
            "into the document's /DSS, with a /VRI entry per signature. B-LTA then adds\n"
            "a document timestamp over everything; extending a B-LTA file again adds\n"
            "fresh data and a new timestamp (archive renewal). OUT is written atomically.\n"
            "Exit status 69 when revocation data or the timestamp cannot be obtained;\n"
            "OUT is then not written.\n"
            "\n"
            "  -o, --output FILE       where the extended document goes\n"
            "      --level LEVEL       B-LT (validation data) or B-LTA (also a document timestamp)\n"
            "      --data FILE         the data a detached XAdES signature signs (needed for B-LTA)\n"
            "      --trust PATH        trust anchors (file or directory; repeatable; required)\n"
            "      --chain FILE        extra intermediate certificates\n"
            "      --url-rewrite FROM=TO  fetch CRL/OCSP URLs starting with FROM from TO instead\n"
            "      --cache-dir DIR     reuse fresh CRLs and OCSP responses kept in DIR\n"
            "      --config FILE       read settings from FILE; --no-config: read none\n"
            "      --no-aia            do not fetch missing intermediate certificates\n"
            "      --lang vi|en        language of messages\n"), out);
    fputs(_("\n"
            "IN may also be an XML document with XAdES signatures or a CMS signature\n"
            "(.p7s, CAdES), extended in place of the PDF /DSS: B-LT adds CertificateValues\n"
            "and RevocationValues (XAdES) or fills SignedData.certificates and .crls\n"
            "(CAdES, OCSP responses per RFC 5940); B-LTA adds an ArchiveTimeStamp (XAdES\n"
            "1.4.1) or an archive-time-stamp-v3 (CAdES). The signatures must be B-T;\n"
            "a CAdES signature without its timestamp gets one from --tsa first.\n"), out);
    fputs(_("      --allow-lower-level accept a lower level than --level asks for when no\n"
            "                          revocation data can be had for the signer (a warning\n"
            "                          names the level reached); without it that is exit 69,\n"
            "                          naming the certificate, and nothing is written\n"), out);
    fputs(_("\n"
            "Archive renewal: vbsig extend FILE... --level B-LTA --renew-within DAYS\n"
            "                 (-o OUT | --out-dir DIR) --tsa URL --trust PATH [--jobs N]\n"
            "renews, in one process with the verification pool of 'vbsig verify --jobs',\n"
            "exactly the PDF, XAdES and CAdES files whose newest archive timestamp needs it:\n"
            "its TSA certificate expires within DAYS, or it uses an algorithm or key no\n"
            "longer acceptable, or a signature has none yet (a B-T or B-LT file is then\n"
            "extended to B-LTA). A renewed file is written to DIR under its own name (or to\n"
            "OUT) and verified again; every other file is left as it is and nothing is\n"
            "written for it. One line per file says which and why; a file that does not\n"
            "verify TOTAL-PASSED is not renewed (exit 1 or 2). The exit status is the worst.\n"
            "\n"
            "      --renew-within DAYS renew what would expire within DAYS (0 to 36500)\n"
            "      --out-dir DIR       where renewed files go (an existing directory, not the inputs')\n"
            "      --jobs N            threads (1 to 64; default: one per core)\n"
            "      --json              one JSON object per file and line: action, reason, report\n"
            "      --utc               times in UTC instead of Vietnam time\n"), out);
    tsa_options_help(out);
}

static void sign_help(FILE *out)
{
    fputs(_("Usage: vbsig sign IN -o OUT --key KEYSPEC [OPTIONS]\n"
            "       vbsig sign IN... --out-dir DIR --key KEYSPEC [OPTIONS]\n"
            "\n"
            "Signs IN. OUT is written atomically; IN is never modified.\n"
            "\n"
            "  -o, --output FILE       where the signature goes\n"
            "      --out-dir DIR       batch mode: one output per input, in DIR\n"
            "  -k, --key KEYSPEC       a PEM/DER private key file or a PKCS#12 file (.p12, .pfx),\n"
            "                          or a token key: pkcs11:token=LABEL;object=NAME;type=private\n"
            "      --module PATH       the PKCS#11 module of a pkcs11: key (default: p11-kit's proxy)\n"
            "      --cert FILE         the signer certificate (needed with a key file)\n"
            "      --chain FILE        intermediate certificates to embed\n"
            "      --pass SRC          password source: pass:TEXT, env:VAR, file:PATH, fd:N\n"
            "                          (without it vbsig asks on the terminal)\n"
            "      --pin SRC           the same, for tokens (without it: the PIN pad or a prompt)\n"
            "      --format FMT        auto (default), cades, pades, xades, xmldsig\n"), out);
    /* Every level is available for every format: said once, here, and not
     * under one format's options. */
    fputs(_("      --level LEVEL       for every format (PDF, XML, CAdES): B-B (default);\n"
            "                          B-T: a signature timestamp from --tsa; B-LT: also the\n"
            "                          chain and revocation data (PDF /DSS, XAdES or CAdES\n"
            "                          values); B-LTA: also an archive or document timestamp,\n"
            "                          as 'vbsig extend' adds; B-LT and B-LTA need --tsa and\n"
            "                          --trust and sign one file (-o OUT)\n"), out);
    fputs(_("      --allow-lower-level accept a lower level than --level asks for when no\n"
            "                          revocation data can be had for the signer (a warning\n"
            "                          names the level reached); without it that is exit 69,\n"
            "                          naming the certificate, and nothing is written\n"), out);
    fputs(_("      --detached          keep the data outside the signature (.p7s)\n"
            "      --digest ALG        sha256 (default), sha384, sha512, sha3-256, sha3-512\n"
            "      --rsa-padding PAD   pkcs1 (default) or pss\n"
            "      --trust PATH        check the signer's chain against these anchors before signing\n"
            "      --no-verify         do not re-verify the signature before writing it\n"
            "      --lang vi|en        language of messages\n"), out);
    fputs(_("XML (--format xades or xmldsig):\n"
            "      --xml-ref '#ID'     sign only the element with this Id (default: the whole document)\n"
            "      --xml-parent XPATH  put the Signature under this element (default: the root)\n"
            "      --xml-c14n ALG      exc (default), c14n or c14n11\n"), out);
    fputs(_("      --xml-mode MODE     enveloped (default: the Signature inside the document),\n"
            "                          enveloping (the document inside the Signature) or\n"
            "                          detached (the Signature alone; verify it with --data FILE)\n"
            "      --tsa URL           with XAdES: level B-T, a SignatureTimeStamp over SignatureValue\n"), out);
    fputs(_("PDF (--format pades, or auto for a file starting with %PDF-): an invisible\n"
            "signature field is added in an incremental update; earlier signatures stay valid.\n"
            "      --reason TEXT       why the document is signed\n"
            "      --location TEXT     where it is signed\n"
            "      --contact TEXT      how to reach the signer\n"
            "      --signer-name TEXT  the signer's name in the signature dictionary\n"
            "      --field NAME        the new signature field's name (default: Signature1, 2 …)\n"
            "      --certify 1|2|3     a certification signature (first signature only) allowing\n"
            "                          1 no changes, 2 form filling and signing, 3 also annotations\n"), out);
    fputs(_("Visible PDF signatures (Decree 30/2020 layouts):\n"
            "      --appearance KIND   leader: the leader's signature image between the title\n"
            "                          line and the name line of the signature block;\n"
            "                          seal: the organisation's seal at its real size over the\n"
            "                          left third of the latest visible signature;\n"
            "                          attachment, copy: text stamps top right of page 1\n"
            "      --image FILE.png    the signature or seal image (transparent PNG)\n"
            "      --anchor TEXT       leader: the title line to sign under (default: the usual\n"
            "                          titles such as CHỦ TỊCH, GIÁM ĐỐC, KT. …, last page first)\n"
            "      --seal-size MM      the seal's diameter (default: from the PNG's pHYs)\n"
            "      --over-field NAME   seal: the leader's signature field (default: the latest)\n"
            "      --page N|last       the page to search or place on\n"
            "      --rect X,Y,W,H      place here instead: millimetres from the top-left corner\n"
            "                          of the page as displayed\n"), out);
    fputs(_("      --doc-number TEXT   attachment: the number and notation (15/QĐ-UBND)\n"
            "      --copy-form TEXT    copy: SAO Y, SAO LỤC or TRÍCH SAO\n"
            "      --copy-org TEXT     copy: the copying organisation\n"
            "      --font FILE.ttf     text stamps: the font (default: Liberation Serif 2)\n"), out);
    tsa_options_help(out);
}

static void verify_help(FILE *out)
{
    fputs(_("Usage: vbsig verify IN... [OPTIONS]\n"
            "\n"
            "Verifies every signature in IN and prints a report.\n"
            "Exit status: 0 all valid, 1 a signature failed (or none found),\n"
            "2 a signature could not be confirmed (INDETERMINATE).\n"
            "\n"
            "      --data FILE         the signed data of a detached signature\n"
            "      --trust PATH        trust anchors (file or directory; repeatable)\n"
            "      --chain FILE        extra intermediate certificates\n"
            "      --at ISO8601        validate at this time instead of the time a timestamp proves (else now)\n"
            "      --revocation MODE   hard (default), soft or off\n"
            "      --offline           use no network\n"
            "      --json              print the JSON report\n"
            "      --utc               show times in UTC instead of Vietnam time\n"
            "      --lang vi|en        language of the report\n"), out);
    fputs(_("Several files, a directory or --jobs: each file in turn (directories in name\n"
            "order, hidden files left out), one report per file (--json: one object per\n"
            "line), a summary on stderr; the exit status is the worst verdict.\n"
            "  -r, --recursive         directories' subdirectories too\n"
            "      --jobs N            verify on N threads (1-64; default: one per core)\n"), out);
    fputs(_("      --signed-content DIR  XML: write the canonical bytes of every signed\n"
            "                          element into DIR (existing files are never replaced)\n"), out);
    fputs(_("      --url-rewrite FROM=TO  fetch CRL/OCSP URLs starting with FROM from TO\n"
            "                          instead (repeatable; the first match wins)\n"
            "      --cache-dir DIR     keep fetched CRLs and OCSP responses in DIR and\n"
            "                          reuse them while fresh (before their nextUpdate)\n"), out);
    fputs(_("      --config FILE       read trust domains and settings from FILE (default:\n"
            "                          $VBSIG_CONFIG, $XDG_CONFIG_HOME/vbsig/vbsig.conf,\n"
            "                          /etc/vbsig/vbsig.conf); options given here win\n"
            "      --no-config         read no configuration file\n"
            "      --no-aia            do not fetch missing intermediate certificates from\n"
            "                          the caIssuers URLs (never fetched with --offline)\n"
            "      --report-etsi FILE  also write an ETSI TS 119 102-2 XML validation report\n"
            "Without a timestamp nothing proves when a signature was made: certificates\n"
            "are then checked at the current time, not at the time the signature claims.\n"), out);
}

static void token_help(FILE *out)
{
    fputs(_("Usage: vbsig token list [--module PATH] [--json]\n"
            "       vbsig token certs [URI] [--module PATH] [--pin SRC] [--json]\n"
            "       vbsig token watch [--json] [--count N] [--timeout SECONDS]\n"
            "\n"
            "list   slots and tokens: label, manufacturer, model, serial and PIN state\n"
            "       (login required, PIN pad, few tries left, final try, locked)\n"
            "certs  certificates and keys with the pkcs11: URIs to sign with; URI narrows\n"
            "       the tokens; with --pin the private keys show too\n"
            "watch  card readers and cards coming and going (pcscd), one line per event\n"
            "\n"
            "      --module PATH       the PKCS#11 module (default: p11-kit's proxy)\n"
            "      --pin SRC           PIN source: pass:TEXT, env:VAR, file:PATH, fd:N\n"
            "      --json              JSON output (watch: one object per line)\n"
            "      --count N           watch: stop after N events\n"
            "      --timeout SECONDS   watch: stop after this long\n"), out);
    fputs(_("      --lang vi|en        language of messages\n"), out);
}

static void serve_help(FILE *out)
{
    fputs(_("Usage: vbsig serve --allow-origin ORIGIN [OPTIONS]\n"
            "       vbsig serve pairings list | remove ORIGIN\n"
            "\n"
            "A local signing service for the web applications you allow: HTTP on\n"
            "127.0.0.1 and [::1] only, JSON in and out, errors as problem+json (RFC 9457).\n"
            "Each origin pairs once (POST /v1/pair; you confirm the code it shows outside\n"
            "the browser); every signature is confirmed, with the PIN, in pinentry, never\n"
            "in the page. The endpoints are described at /v1/openapi.json.\n"
            "\n"
            "      --allow-origin ORIGIN  an origin allowed to pair and sign: https://host[:port]\n"
            "                          exactly (repeatable; never *, null or a path)\n"
            "      --listen ADDR       PORT, 127.0.0.1:PORT, [::1]:PORT or localhost:PORT\n"
            "                          (default: both loopback addresses, port 8632)\n"
            "      --pinentry PROGRAM  the pinentry program for consent and PIN (default: pinentry)\n"
            "      --module PATH       the PKCS#11 module (default: p11-kit's proxy)\n"
            "      --tsa URL           a TSA for level B-T (repeatable): a page may choose one\n"
            "                          of these, never a URL of its own\n"
            "      --trust PATH        trust anchors for /v1/verify (repeatable)\n"), out);
    fputs(_("      --max-body SIZE     the largest request body, bytes or MiB with M (default 64M)\n"
            "      --timeout SEC       request, dialog and token wait limit (1 to 3600; default 120)\n"
            "      --audit-log FILE    one line per request: origin, endpoint, outcome (default:\n"
            "                          $XDG_STATE_HOME/vbsig/serve-audit.log; - for stderr)\n"
            "      --pairings FILE     the paired origins' hashed tokens (default:\n"
            "                          $XDG_CONFIG_HOME/vbsig/pairings, mode 0600)\n"
            "      --config FILE       read settings from FILE; its [serve] section gives\n"
            "                          allow-origin, listen, pinentry, module, max-body, timeout\n"
            "      --no-config         read no configuration file\n"
            "      --lang vi|en        language of messages (a request's own: Accept-Language)\n"), out);
}

void cli_print_help(const char *command, FILE *out)
{
    if (command != NULL && strcmp(command, "sign") == 0)
        sign_help(out);
    else if (command != NULL && strcmp(command, "token") == 0)
        token_help(out);
    else if (command != NULL && strcmp(command, "verify") == 0)
        verify_help(out);
    else if (command != NULL && strcmp(command, "timestamp") == 0)
        timestamp_help(out);
    else if (command != NULL && strcmp(command, "extend") == 0)
        extend_help(out);
    else if (command != NULL && strcmp(command, "serve") == 0)
        serve_help(out);
    else
        overview(out);
}

int cmd_help(int argc, char **argv)
{
    const char *command = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--lang") == 0) {
            i++;
            continue;
        }
        if (strncmp(argv[i], "--lang=", 7) == 0)
            continue;
        command = argv[i];
        break;
    }
    static const char *const known[] = {"sign", "verify", "timestamp", "extend", "token", "serve", "help"};
    int found = command == NULL;
    for (size_t i = 0; !found && i < sizeof known / sizeof known[0]; i++)
        found = strcmp(command, known[i]) == 0;
    if (!found) {
        fprintf(stderr, _("vbsig: help: unknown command '%s' (sign, verify, timestamp, extend, token, serve)\n"), command);
        return EXIT_USAGE;
    }
    cli_print_help(command, stdout);
    return 0;
}
