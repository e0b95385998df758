#!/usr/bin/env python3
"""The long options each `vbsig` command's parser accepts, read from the
getopt tables in cli/src/cmd_*.c (the CLI_*_LONGOPTS macros of the headers
expanded), so tests can hold `vbsig help`, README.md and the parser to one
list.  Usage: cli_options.py SRC [COMMAND]: "option argument" lines (the
option without its leading --, argument "no", "required" or "optional"),
or "command option argument" lines for every command."""
import re
import sys
from pathlib import Path

COMMANDS = ("sign", "verify", "timestamp", "extend", "token", "serve")
# {"name", no_argument|required_argument|optional_argument, ...}
ENTRY = r'\{\s*"([a-z0-9-]+)"\s*,\s*(\w+)_argument'


def macros(src):
    """#define NAME {..."opt"...} tables of the CLI headers."""
    out = {}
    for header in sorted((src / "cli" / "src").glob("*.h")):
        text = header.read_text()
        for m in re.finditer(r"#define\s+(CLI_\w+_LONGOPTS)\s*((?:.*\\\n)*.*)", text):
            out[m.group(1)] = re.findall(ENTRY, m.group(2))
    return out


def options(src, command):
    text = (src / "cli" / "src" / f"cmd_{command}.c").read_text()
    m = re.search(r"struct option longopts\[\]\s*=\s*\{(.*?)\{\s*NULL\s*,\s*0", text, re.S)
    if m is None:
        raise SystemExit(f"no longopts table in cmd_{command}.c")
    table = m.group(1)
    opts = re.findall(ENTRY, table)
    defs = macros(src)
    for name in re.findall(r"\b(CLI_\w+_LONGOPTS)\b", table):
        if name not in defs:
            raise SystemExit(f"cmd_{command}.c uses {name}, defined in no cli/src header")
        opts += defs[name]
    return sorted(set(opts))  # (name, "no" | "required" | "optional")


def main():
    src = Path(sys.argv[1])
    wanted = sys.argv[2:] or COMMANDS
    for command in wanted:
        for name, arg in options(src, command):
            print(f"{name} {arg}" if len(sys.argv) > 2 else f"{command} {name} {arg}")


if __name__ == "__main__":
    main()
