"""Checks the binding's C declarations (vbsig/_decls.py) against the public
headers, as the C compiler sees them (cc -E), so they cannot drift.

    check_decls.py CC SOURCE_DIR

Every function the binding declares must exist with the same return type
and parameter types; every struct the binding lays out must have the same
fields in the same order with the same types; every enum listed must have
exactly the constants and values of the header; the option versions must
match their #defines. Exit 0 when all agree, 1 with one line per difference.
"""
import os
import re
import subprocess
import sys

# The two modules by themselves: importing the package would load libvbsig.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "vbsig"))
import _cparse  # noqa: E402
import _decls  # noqa: E402


def preprocess(cc, src, macros=False):
    code = '#include "vbsig/vbsig.h"\n#include "vbsig/pkcs11.h"\n'
    args = [cc, "-E", "-P", "-std=c11", "-I", os.path.join(src, "libvbsig/include"),
            "-I", os.path.join(src, "pkcs11-bridge/include")] + (["-dM"] if macros else []) + ["-"]
    return subprocess.run(args, input=code, capture_output=True, text=True, check=True).stdout


def main():
    cc, src = sys.argv[1], sys.argv[2]
    text = preprocess(cc, src)
    problems = []
    have_f = _cparse.functions(text)
    mine = dict(_cparse.functions(_decls.FUNCTIONS))
    mine.update(_cparse.functions(_decls.PKCS11_FUNCTIONS))
    for name, sig in sorted(mine.items()):
        if name not in have_f:
            problems.append("function %s: not in the headers" % name)
        elif have_f[name] != sig:
            problems.append("function %s: binding %s, header %s" % (name, sig, have_f[name]))
    have_cb = _cparse.callbacks(text)
    for name, sig in _cparse.callbacks(_decls.CALLBACKS).items():
        if have_cb.get(name) != sig:
            problems.append("callback %s: binding %s, header %s" % (name, sig, have_cb.get(name)))
    have_s = _cparse.structs(text)
    for name, fields in _cparse.structs(_decls.STRUCTS).items():
        if have_s.get(name) != fields:
            problems.append("struct %s: binding %s, header %s" % (name, fields, have_s.get(name)))
    have_e = _cparse.enums(text)
    for name, vals in _decls.ENUMS.items():
        if have_e.get(name) != vals:
            problems.append("enum %s: binding %s, header %s" % (name, vals, have_e.get(name)))
    macros = dict(re.findall(r"#define (VBSIG_\w+_VERSION) (\d+)", preprocess(cc, src, macros=True)))
    for name, v in _decls.VERSIONS.items():
        if macros.get(name) != str(v):
            problems.append("%s: binding %s, header %s" % (name, v, macros.get(name)))
    checked = len(mine) + len(_decls.ENUMS) + len(_decls.VERSIONS)
    for p in problems:
        print("DRIFT: " + p)
    print("%d declarations checked, %d differ" % (checked, len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
