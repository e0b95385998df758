#!/usr/bin/env python3
"""The `vbsig` commands of README.md's ```sh blocks, one a line, as shell
words quoted by shlex.join (so `eval set -- LINE` gives the argv back).
Backslash continuations are joined, comments dropped, `a; b` split into two
commands; a `> FILE` redirection stays as the two words '>' and FILE.
Usage: readme_examples.py README.md --commands"""
import re
import shlex
import sys


def sh_blocks(text):
    return re.findall(r"^```sh\n(.*?)^```", text, re.S | re.M)


def logical_lines(block):
    pending = ""
    for raw in block.splitlines():
        if raw.rstrip().endswith("\\"):
            pending += raw.rstrip()[:-1] + " "
            continue
        yield pending + raw
        pending = ""
    if pending:
        yield pending


def commands(line):
    lex = shlex.shlex(line, posix=True, punctuation_chars=";&|>")
    lex.whitespace_split = True
    lex.commenters = "#"
    cur = []
    for tok in lex:
        if tok in (";", "&&", "||", "|"):
            if cur:
                yield cur
            cur = []
        else:
            cur.append(tok)
    if cur:
        yield cur


def main():
    text = open(sys.argv[1], encoding="utf-8").read()
    for block in sh_blocks(text):
        for line in logical_lines(block):
            if not line.lstrip().startswith("vbsig "):
                continue
            for argv in commands(line):
                if argv[0] == "vbsig":
                    print(shlex.join(argv))


if __name__ == "__main__":
    main()
