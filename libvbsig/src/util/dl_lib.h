/* What every library loaded on first use needs (util/curl_dl.c,
 * util/xml_dl.c, and the PKCS#11 bridge's p11_dl_libp11.c and p11_dl_pcsc.c,
 * which compile this same helper): open it by the soname found at build
 * time, copy out its functions, check its version, keep a one-line reason
 * when any of that fails, and record the dependency in the binary. */
#ifndef VBSIG_DL_LIB_H
#define VBSIG_DL_LIB_H

#include <stddef.h>
#include <stdint.h>

typedef struct vbsig_dl_lib {
    const char *soname;
    void *handle;   /* never closed: the libraries keep global state */
    char why[256];  /* the reason of the last failure, "" if none */
} vbsig_dl_lib;

/* dlopen(soname, RTLD_NOW | RTLD_LOCAL): the library's symbols stay out of
 * the global namespace, where a PKCS#11 module opened later could otherwise
 * bind to them. 1 on success, else 0 with lib->why set. */
int vbsig_dl_open(vbsig_dl_lib *lib);

/* Copies the address of `name` into the function pointer at fn_ptr (of
 * size bytes): ISO C has no conversion from dlsym's void * to a function
 * pointer, and POSIX guarantees the bits are the same. 1, or 0 with
 * lib->why naming the missing symbol. */
int vbsig_dl_sym(vbsig_dl_lib *lib, const char *name, void *fn_ptr, size_t size);

/* A version as one number, for vbsig_dl_check_version. */
#define VBSIG_DL_VERSION(major, minor, patch) \
    ((unsigned long)(major) * 1000000UL + (unsigned long)(minor) * 1000UL + (unsigned long)(patch))

/* The loaded library must have the major version of the headers the code
 * was built with (the soname alone does not stop a package from pairing a
 * build with an older library of the same soname) and must not be older
 * than them: calls and structures written against newer headers can be
 * missing from an older library. 1, or 0 with lib->why giving both. */
int vbsig_dl_check_version(vbsig_dl_lib *lib, unsigned long loaded, unsigned long built);

/* Records a library opened on first use in the ELF section .note.dlopen,
 * as systemd's "ELF dlopen metadata" convention describes: a note of owner
 * "FDO" and type 0x407c0c0a whose descriptor is a JSON array naming the
 * feature, why it is needed, how much ("required", "recommended",
 * "suggested") and the sonames. Packaging tools read it as they read
 * DT_NEEDED, and `readelf -n` shows it. All arguments are string literals;
 * ident names the (unused) object that holds the note. */
#define VBSIG_DL_NOTE(ident, feature, description, priority, soname)                                                \
    VBSIG_DL_NOTE_JSON(ident, "[{\"feature\":\"" feature "\",\"description\":\"" description "\",\"priority\":\"" \
                                  priority "\",\"soname\":[\"" soname "\"]}]")
#define VBSIG_DL_NOTE_TYPE 0x407c0c0aU
#define VBSIG_DL_NOTE_JSON(ident, json)                                                                             \
    __attribute__((used, section(".note.dlopen"), aligned(4))) static const struct {                              \
        uint32_t name_size, desc_size, type;                                                                        \
        char name[4];                                                                                               \
        char desc[(sizeof(json) + 3) & ~(size_t)3];                                                                 \
    } ident = {4, sizeof(json), VBSIG_DL_NOTE_TYPE, "FDO", json}

#endif
