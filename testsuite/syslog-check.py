#!/usr/bin/env python3
"""Checks RFC 5424 syslog messages, one per line of FILE (or, with --octet-counting, the RFC
6587 framed TCP stream in FILE): every message parses as HEADER SP STRUCTURED-DATA SP BOM MSG
with valid PARAM-VALUE escaping, and is valid UTF-8 without control bytes. Prints the
messages one per line (for comparisons) and exits 1 with file:message: reason otherwise."""
import re
import sys

HEADER = re.compile(rb'^<(\d{1,3})>1 (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z) ([!-~]{1,255}) ([!-~]{1,48}) ([!-~]{1,128}) ([!-~]{1,32}) ')
SD_NAME = rb'[!#-<>-\\^-~]{1,32}'  # PRINTUSASCII except = SP ] "


def check(msg, where):
    m = HEADER.match(msg)
    if not m or int(m.group(1)) > 191:
        return "bad header"
    rest = msg[m.end():]
    if rest.startswith(b"-"):
        rest = rest[1:]
    else:
        while rest.startswith(b"["):
            e = re.match(rb'\[' + SD_NAME + rb'((?: ' + SD_NAME + rb'="(?:[^"\\\]]|\\.)*")*)\]', rest)
            if not e:
                return "bad structured data near " + repr(rest[:60])
            rest = rest[e.end():]
    if rest and not rest.startswith(b" \xef\xbb\xbf"):
        return "MSG without BOM"
    try:
        text = msg.decode("utf-8")
    except UnicodeDecodeError as ex:
        return "invalid UTF-8: %s" % ex
    if any(ord(c) < 0x20 or ord(c) == 0x7f for c in text):
        return "control character"
    return None


def main():
    args = sys.argv[1:]
    octet = args and args[0] == "--octet-counting"
    if octet:
        args = args[1:]
    data = open(args[0], "rb").read()
    msgs = []
    if octet:
        i = 0
        while i < len(data):
            sp = data.index(b" ", i)
            n = int(data[i:sp])
            msgs.append(data[sp + 1:sp + 1 + n])
            i = sp + 1 + n
    else:
        msgs = data.split(b"\n")[:-1]
    bad = 0
    for k, msg in enumerate(msgs):
        why = check(msg, k)
        if why:
            print("%s:%d: %s: %r" % (args[0], k + 1, why, msg[:120]), file=sys.stderr)
            bad += 1
        sys.stdout.buffer.write(msg + b"\n")
    sys.exit(1 if bad else 0)


main()
