/* Tokens and direct objects: numbers, strings, names, nesting, references. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "pdf/pdf_internal.h"

static int parse_depth(const char *text, unsigned depth, vbsig_pdf_obj **out)
{
    pdf_lexer lx;
    pdf_lexer_init(&lx, (const uint8_t *)text, strlen(text), 0, "test", 1);
    return pdf_parse_object(&lx, depth, out);
}

static vbsig_pdf_obj *parse_ok(const char *text)
{
    vbsig_pdf_obj *o = NULL;
    int rc = parse_depth(text, 64, &o);
    if (rc != VBSIG_OK)
        fail_msg("parsing \"%s\": %s", text, vbsig_last_error());
    return o;
}

static void assert_refused(const char *text, int status, const char *fragment)
{
    vbsig_pdf_obj *o = NULL;
    assert_int_equal(parse_depth(text, 64, &o), status);
    assert_null(o);
    if (strstr(vbsig_last_error(), fragment) == NULL)
        fail_msg("\"%s\": message \"%s\" lacks \"%s\"", text, vbsig_last_error(), fragment);
}

static void test_integers(void **state)
{
    (void)state;
    const struct { const char *text; int64_t value; } cases[] = {
        {"0", 0}, {"123", 123}, {"+17", 17}, {"-98", -98}, {"007", 7}, {"9223372036854775807", INT64_MAX},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        vbsig_pdf_obj *o = parse_ok(cases[i].text);
        int64_t v;
        assert_int_equal(vbsig_pdf_get_int(o, &v), VBSIG_OK);
        assert_true(v == cases[i].value);
        vbsig_pdf_obj_free(o);
    }
    /* Past 64 bits: a real (as poppler reads it), never an integer. */
    const char *big[] = {"9223372036854775808", "99999999999999999999999", "-18446744073709551617"};
    for (size_t i = 0; i < sizeof big / sizeof big[0]; i++) {
        vbsig_pdf_obj *o = parse_ok(big[i]);
        assert_int_equal(o->type, VBSIG_PDF_REAL);
        int64_t v;
        assert_int_not_equal(vbsig_pdf_get_int(o, &v), VBSIG_OK);
        double d;
        assert_int_equal(vbsig_pdf_get_number(o, &d), VBSIG_OK);
        assert_true(i == 2 ? d < -1.8e19 : d > 9.2e18);
        vbsig_pdf_obj_free(o);
    }
    assert_refused("--5", VBSIG_E_MALFORMED, "malformed number");
    assert_refused("1.2.3", VBSIG_E_MALFORMED, "malformed number");
    assert_refused("+", VBSIG_E_MALFORMED, "malformed number");
    assert_refused("12abc", VBSIG_E_MALFORMED, "offset 0");
}

static void test_reals(void **state)
{
    (void)state;
    const struct { const char *text; double value; } cases[] = {
        {"34.5", 34.5}, {"-3.62", -3.62}, {"+123.6", 123.6}, {"4.", 4.0}, {"-.002", -0.002}, {".5", 0.5}, {"0.0", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        vbsig_pdf_obj *o = parse_ok(cases[i].text);
        assert_int_equal(o->type, VBSIG_PDF_REAL);
        double v;
        assert_int_equal(vbsig_pdf_get_number(o, &v), VBSIG_OK);
        assert_float_equal(v, cases[i].value, 1e-12);
        int64_t i64;
        assert_int_equal(vbsig_pdf_get_int(o, &i64), VBSIG_E_MALFORMED);
        vbsig_pdf_obj_free(o);
    }
    assert_refused(".", VBSIG_E_MALFORMED, "malformed number");
}

static void check_string(const char *text, const char *bytes, size_t len, int hex)
{
    vbsig_pdf_obj *o = parse_ok(text);
    const uint8_t *d;
    size_t n;
    assert_int_equal(vbsig_pdf_get_string(o, &d, &n), VBSIG_OK);
    assert_int_equal(n, len);
    assert_memory_equal(d, bytes, len);
    assert_int_equal(o->u.string.hex, hex);
    assert_int_equal(o->u.string.token_start, 0);
    assert_int_equal(o->u.string.token_end, strlen(text));
    vbsig_pdf_obj_free(o);
}

static void test_literal_strings(void **state)
{
    (void)state;
    check_string("(plain)", "plain", 5, 0);
    check_string("()", "", 0, 0);
    check_string("(a (balanced (nested)) b)", "a (balanced (nested)) b", 23, 0);
    check_string("(esc \\( \\) \\\\ end)", "esc ( ) \\ end", 13, 0);
    check_string("(\\n\\r\\t\\b\\f)", "\n\r\t\b\f", 5, 0);
    check_string("(\\101\\60\\0053)", "A0\0053", 4, 0); /* \101 = A, \60 = 0, \005 then '3' */
    check_string("(\\777)", "\xff", 1, 0);            /* high-order overflow dropped */
    check_string("(line\\\ncontinued)", "linecontinued", 13, 0);
    check_string("(line\\\r\ncontinued)", "linecontinued", 13, 0);
    check_string("(cr\rlf\r\nlf\n)", "cr\nlf\nlf\n", 9, 0);
    check_string("(\\q unknown)", "q unknown", 9, 0);
    check_string("(Ch\xe1\xbb\x89 th\xe1\xbb\x8b)", "Ch\xe1\xbb\x89 th\xe1\xbb\x8b", 11, 0);
    assert_refused("(unbalanced (paren)", VBSIG_E_MALFORMED, "unterminated literal string");
    assert_refused("(ends with escape\\)", VBSIG_E_MALFORMED, "unterminated literal string");
}

static void test_hex_strings(void **state)
{
    (void)state;
    check_string("<48656C6c6F>", "Hello", 5, 1);
    check_string("< 48 65\n6C\t6C 6F >", "Hello", 5, 1);
    check_string("<901FA>", "\x90\x1f\xa0", 3, 1); /* odd digit count: implied 0 */
    check_string("<>", "", 0, 1);
    assert_refused("<48 6G>", VBSIG_E_MALFORMED, "bad character in a hex string at offset 5");
    assert_refused("<4865", VBSIG_E_MALFORMED, "unterminated hex string");
}

static void check_name(const char *text, const char *name)
{
    vbsig_pdf_obj *o = parse_ok(text);
    const char *n;
    assert_int_equal(vbsig_pdf_get_name(o, &n), VBSIG_OK);
    assert_string_equal(n, name);
    vbsig_pdf_obj_free(o);
}

static void test_names(void **state)
{
    (void)state;
    check_name("/Type", "Type");
    check_name("/A;Name_With-Various***Characters?", "A;Name_With-Various***Characters?");
    check_name("/Lime#20Green", "Lime Green");
    check_name("/paired#28#29parentheses", "paired()parentheses");
    check_name("/The_Key_of_F#23_Minor", "The_Key_of_F#_Minor");
    check_name("/", "");
    check_name("/K\xc3\xbd", "K\xc3\xbd");
    assert_refused("/Bad#00Null", VBSIG_E_MALFORMED, "bad #xx escape");
    assert_refused("/Bad#4", VBSIG_E_MALFORMED, "bad #xx escape");
    assert_refused("/Bad#G1", VBSIG_E_MALFORMED, "bad #xx escape");
}

static void test_keywords_and_refs(void **state)
{
    (void)state;
    vbsig_pdf_obj *o = parse_ok("[true false null 12 0 R 5 -1]");
    assert_int_equal(vbsig_pdf_array_count(o), 6);
    assert_int_equal(vbsig_pdf_array_get(o, 0)->u.boolean, 1);
    assert_int_equal(vbsig_pdf_array_get(o, 1)->u.boolean, 0);
    assert_int_equal(vbsig_pdf_array_get(o, 2)->type, VBSIG_PDF_NULL);
    uint32_t num;
    uint16_t gen;
    assert_int_equal(vbsig_pdf_get_ref(vbsig_pdf_array_get(o, 3), &num, &gen), VBSIG_OK);
    assert_int_equal(num, 12);
    assert_int_equal(gen, 0);
    assert_int_equal(vbsig_pdf_array_get(o, 4)->type, VBSIG_PDF_INT);
    assert_int_equal(vbsig_pdf_array_get(o, 5)->u.integer, -1);
    vbsig_pdf_obj_free(o);
    /* "5 -1 R" is no reference (negative generation), and a bare R is no object. */
    assert_refused("[5 -1 R]", VBSIG_E_MALFORMED, "unexpected keyword");
    o = parse_ok("[7 8 /X 4294967295 65535 R 1 70000]");
    assert_int_equal(vbsig_pdf_array_count(o), 6);
    assert_int_equal(vbsig_pdf_get_ref(vbsig_pdf_array_get(o, 3), &num, &gen), VBSIG_OK);
    assert_true(num == 4294967295u && gen == 65535);
    assert_int_equal(vbsig_pdf_array_get(o, 5)->u.integer, 70000); /* too big for a generation */
    vbsig_pdf_obj_free(o);
    assert_refused("endobj", VBSIG_E_MALFORMED, "unexpected keyword at offset 0");
    assert_refused("", VBSIG_E_MALFORMED, "unexpected end of data");
    assert_refused(")", VBSIG_E_MALFORMED, "unexpected delimiter at offset 0");
    assert_refused("{", VBSIG_E_MALFORMED, "unexpected delimiter");
}

static void test_dictionaries(void **state)
{
    (void)state;
    vbsig_pdf_obj *o = parse_ok("<< /Type /Catalog /Pages 3 0 R % a comment >>\n /Z [1 2] /A << /B (x) >> >>");
    assert_int_equal(o->type, VBSIG_PDF_DICT);
    assert_true(vbsig_pdf_is_name(vbsig_pdf_dict_get(o, "Type"), "Catalog"));
    assert_int_equal(vbsig_pdf_dict_get(o, "Pages")->type, VBSIG_PDF_REF);
    assert_int_equal(vbsig_pdf_array_count(vbsig_pdf_dict_get(o, "Z")), 2);
    assert_non_null(vbsig_pdf_dict_get(vbsig_pdf_dict_get(o, "A"), "B"));
    assert_null(vbsig_pdf_dict_get(o, "Missing"));
    assert_null(vbsig_pdf_dict_get(vbsig_pdf_dict_get(o, "Z"), "Type")); /* not a dictionary */
    vbsig_pdf_obj_free(o);
    assert_refused("<< /A 1 /B 2 /A 3 >>", VBSIG_E_MALFORMED, "key /A appears twice");
    assert_refused("<< /A 1 (key) 2 >>", VBSIG_E_MALFORMED, "dictionary key is not a name at offset 8");
    assert_refused("<< /A 1", VBSIG_E_MALFORMED, "unterminated dictionary at offset 0");
    assert_refused("<< /A >>", VBSIG_E_MALFORMED, "unexpected token");
    assert_refused("[1 2", VBSIG_E_MALFORMED, "unterminated array");
    assert_refused("<< /A 1 > >>", VBSIG_E_MALFORMED, "stray '>'");
}

static void test_nesting_limit(void **state)
{
    (void)state;
    /* 64 levels pass at the default limit, 65 do not; a hostile 100000
     * levels fail fast without touching the C stack's depth. */
    size_t deep = 100000;
    char *text = malloc(2 * deep + 1);
    assert_non_null(text);
    for (unsigned levels = 64; levels <= 65; levels++) {
        memset(text, '[', levels);
        memset(text + levels, ']', levels);
        text[2 * levels] = 0;
        vbsig_pdf_obj *o = NULL;
        int rc = parse_depth(text, 64, &o);
        assert_int_equal(rc, levels == 64 ? VBSIG_OK : VBSIG_E_LIMIT);
        vbsig_pdf_obj_free(o);
    }
    memset(text, '[', deep);
    text[deep] = 0;
    vbsig_pdf_obj *o = NULL;
    assert_int_equal(parse_depth(text, 64, &o), VBSIG_E_LIMIT);
    assert_non_null(strstr(vbsig_last_error(), "nest too deeply at offset 64"));
    for (size_t i = 0; i < deep; i += 2)
        memcpy(text + i, "<<", 2);
    assert_int_equal(parse_depth(text, 64, &o), VBSIG_E_MALFORMED); /* "<<<<" … keys must be names */
    free(text);
}

static void test_comments_and_whitespace(void **state)
{
    (void)state;
    vbsig_pdf_obj *o = parse_ok("%comment\r\n \t\f 42");
    assert_int_equal(o->u.integer, 42);
    vbsig_pdf_obj_free(o);
    pdf_lexer lx;
    const char *text = "1 0 obj%c\n(x)";
    pdf_lexer_init(&lx, (const uint8_t *)text, strlen(text), 0, "t", 1);
    pdf_token t;
    const pdf_tok_kind kinds[] = {PDF_TOK_INT, PDF_TOK_INT, PDF_TOK_KEYWORD, PDF_TOK_STRING, PDF_TOK_EOF};
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(pdf_lex_next(&lx, &t), VBSIG_OK);
        assert_int_equal(t.kind, kinds[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_integers),
        cmocka_unit_test(test_reals),
        cmocka_unit_test(test_literal_strings),
        cmocka_unit_test(test_hex_strings),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_keywords_and_refs),
        cmocka_unit_test(test_dictionaries),
        cmocka_unit_test(test_nesting_limit),
        cmocka_unit_test(test_comments_and_whitespace),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
