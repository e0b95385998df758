"""A small reader of C declarations: enough for vbsig's public headers.

Used twice: by _lib.py to turn _decls.py into ctypes objects, and by
tools/check_decls.py to read the preprocessed headers, so that both sides
are reduced to the same canonical form ("const char *", parameter names
dropped) before they are compared.
"""
import re

_TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|-?\d+|\.\.\.|[*(),;{}=\[\]]|\S")
_KEYWORDS = {"const", "volatile", "unsigned", "signed", "char", "short", "int", "long", "void",
             "float", "double", "struct", "enum", "restrict"}


def tokens(text):
    return _TOKEN.findall(text)


def _is_ident(t):
    return re.match(r"[A-Za-z_]", t) is not None


def canonical_type(toks):
    """Type tokens (no name) -> one spelling: "const char *const *"."""
    return " ".join(toks)


def split_top(toks, sep):
    parts, cur, depth = [], [], 0
    for t in toks:
        if t in "([{":
            depth += 1
        elif t in ")]}":
            depth -= 1
        if t == sep and depth == 0:
            parts.append(cur)
            cur = []
        else:
            cur.append(t)
    if cur:
        parts.append(cur)
    return parts


def _drop_name(toks):
    """A parameter or field: (type tokens, name or None)."""
    if "(" in toks:  # a function pointer: ret (*name)(params)
        i = toks.index("(")
        name = toks[i + 2] if toks[i + 1] == "*" and _is_ident(toks[i + 2]) else None
        close = toks.index(")", i)
        params = toks[close + 2:-1]
        return ("fnptr", canonical_type(toks[:i]), tuple(param_types(params))), name
    if len(toks) > 3 and toks[-1] == "]" and "[" in toks:  # an array: type name [ N ]
        i = len(toks) - 1 - toks[::-1].index("[")
        t, name = _drop_name(toks[:i])
        return t + ["["] + toks[i + 1:-1] + ["]"], name
    if len(toks) > 1 and _is_ident(toks[-1]) and toks[-1] not in _KEYWORDS:
        return toks[:-1], toks[-1]
    return toks, None


def param_types(toks):
    if toks == ["void"] or not toks:
        return []
    out = []
    for p in split_top(toks, ","):
        t, _ = _drop_name(p)
        out.append(t if isinstance(t, tuple) else canonical_type(t))
    return out


def functions(text):
    """{name: (return type, (parameter types…))} of every prototype."""
    out = {}
    for decl in split_top(tokens(text), ";"):
        if not decl or decl[0] in ("typedef", "struct", "enum") or "{" in decl or "(" not in decl:
            continue
        i = decl.index("(")
        if i < 1 or not _is_ident(decl[i - 1]) or decl[i - 1] in _KEYWORDS:
            continue
        name = decl[i - 1]
        if not name.startswith("vbsig"):
            continue  # system headers use constructs this reader need not know
        ret = [t for t in decl[:i - 1] if t not in ("extern", "static", "inline")]
        close = len(decl) - 1 - decl[::-1].index(")")
        out[name] = (canonical_type(ret), tuple(param_types(decl[i + 1:close])))
    return out


def callbacks(text):
    """{typedef name: (return type, (parameter types…))} of function pointer typedefs."""
    out = {}
    for decl in split_top(tokens(text), ";"):
        if len(decl) > 4 and decl[0] == "typedef" and "(" in decl and "{" not in decl and "vbsig" in decl[4]:
            t, name = _drop_name(decl[1:])
            if name and isinstance(t, tuple):
                out[name] = (t[1], t[2])
    return out


def _fields(body):
    out = []
    for decl in split_top(body, ";"):
        if not decl:
            continue
        declarators = split_top(decl, ",") if "(" not in decl else [decl]
        first, name = _drop_name(declarators[0])
        if isinstance(first, tuple):
            out.append((name, first))
            continue
        base = declarators[0][:next((k for k, t in enumerate(declarators[0]) if t == "*"), len(first))]
        out.append((name, canonical_type(first)))
        for d in declarators[1:]:
            t, n = _drop_name(base + d)
            out.append((n, canonical_type(t)))
    return out


def structs(text):
    """{struct tag: [(field, type)…]} of every struct with a body."""
    out = {}
    toks = tokens(text)
    i = 0
    while i < len(toks):
        if toks[i] == "struct" and i + 2 < len(toks) and _is_ident(toks[i + 1]) and toks[i + 2] == "{":
            depth, j = 0, i + 2
            while True:
                if toks[j] == "{":
                    depth += 1
                elif toks[j] == "}":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            out[toks[i + 1]] = _fields(toks[i + 3:j])
            i = j
        i += 1
    return out


def enums(text):
    """{enum tag: {constant: value}} of every enum with a body."""
    out = {}
    for m in re.finditer(r"enum\s+([A-Za-z_]\w*)\s*\{([^}]*)\}", text):
        vals, nxt = {}, 0
        for item in m.group(2).split(","):
            item = item.strip()
            if not item:
                continue
            if "=" in item:
                k, v = (s.strip() for s in item.split("=", 1))
                nxt = int(v, 0)
            else:
                k = item
            vals[k] = nxt
            nxt += 1
        out[m.group(1)] = vals
    return out
