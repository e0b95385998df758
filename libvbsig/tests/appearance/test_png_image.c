/* PNG decoding for visible signatures: the specimen signature decodes to
 * RGB plus an alpha plane; hostile variants made from it fail clearly. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "appearance/png_image.h"
#include "util/util.h"

static uint8_t *specimen(size_t *len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/images/chu-ky-lanh-dao-xanh.png", getenv("VBSIG_TEST_DATA"));
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    uint8_t *buf = malloc(1 << 20);
    assert_non_null(buf);
    *len = fread(buf, 1, 1 << 20, f);
    fclose(f);
    assert_true(*len > 100);
    return buf;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16), p[2] = (uint8_t)(v >> 8), p[3] = (uint8_t)v;
}

/* Rewrites IHDR's width and height and recomputes its CRC, so only the
 * size limit can object. IHDR is always at offset 8. */
static void set_size(uint8_t *png, uint32_t w, uint32_t h)
{
    put32(png + 16, w);
    put32(png + 20, h);
    put32(png + 29, (uint32_t)crc32(0, png + 12, 17));
}

static void expect(const uint8_t *p, size_t n, int status, const char *part)
{
    vbsig__png_image img;
    int rc = vbsig__png_decode(p, n, "sig.png", &img);
    if (rc != status)
        fail_msg("expected %s, got %s (%s)", vbsig_status_name(status), vbsig_status_name(rc), vbsig_last_error());
    if (strstr(vbsig_last_error(), part) == NULL || strstr(vbsig_last_error(), "sig.png") == NULL)
        fail_msg("message \"%s\" lacks \"%s\"", vbsig_last_error(), part);
    assert_null(img.rgb);
    assert_null(img.alpha);
}

static void test_specimen(void **state)
{
    (void)state;
    size_t n;
    uint8_t *png = specimen(&n);
    vbsig__png_image img;
    assert_int_equal(vbsig__png_decode(png, n, "sig.png", &img), VBSIG_OK);
    assert_int_equal(img.width, 600);
    assert_int_equal(img.height, 240);
    assert_non_null(img.alpha);
    /* A transparent signature: mostly clear, some ink, and the ink blue. */
    size_t clear = 0, ink = 0, blue = 0, px = (size_t)img.width * img.height;
    for (size_t i = 0; i < px; i++) {
        if (img.alpha[i] == 0)
            clear++;
        else if (img.alpha[i] > 128) {
            ink++;
            const uint8_t *c = img.rgb + i * 3;
            blue += c[2] > c[0] + 40 && c[2] > c[1];
        }
    }
    assert_true(clear > px / 2);
    assert_true(ink > 500);
    assert_true(blue > ink * 9 / 10);
    vbsig__png_image_free(&img);
    free(png);
}

static void test_hostile(void **state)
{
    (void)state;
    size_t n;
    uint8_t *png = specimen(&n);
    expect((const uint8_t *)"GIF89a\x01\x00\x01\x00", 10, VBSIG_E_MALFORMED, "not a PNG");
    expect(png, n / 2, VBSIG_E_MALFORMED, "damaged");
    expect(png, 40, VBSIG_E_MALFORMED, "damaged");

    uint8_t *bad = malloc(n);
    assert_non_null(bad);
    memcpy(bad, png, n);
    /* IDAT's own CRC (after IHDR at 8..32, IDAT's length, type and data)
     * made wrong: the data decodes, only the checksum objects. */
    uint32_t idat_len = (uint32_t)bad[33] << 24 | (uint32_t)bad[34] << 16 | (uint32_t)bad[35] << 8 | bad[36];
    assert_true(41 + idat_len + 4 <= n);
    bad[41 + idat_len + 1] ^= 0x5a;
    expect(bad, n, VBSIG_E_MALFORMED, "CRC");

    memcpy(bad, png, n);
    set_size(bad, 100000, 10);
    expect(bad, n, VBSIG_E_LIMIT, "wider or taller");
    memcpy(bad, png, n);
    set_size(bad, 8000, 8000); /* each side allowed, the product is not */
    expect(bad, n, VBSIG_E_LIMIT, "pixels");

    uint8_t *big = calloc(1, VBSIG__PNG_MAX_BYTES + 1);
    assert_non_null(big);
    memcpy(big, png, n);
    expect(big, VBSIG__PNG_MAX_BYTES + 1, VBSIG_E_LIMIT, "bytes");
    free(big);
    free(bad);
    free(png);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_specimen),
        cmocka_unit_test(test_hostile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
