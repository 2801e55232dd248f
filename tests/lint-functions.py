#!/usr/bin/env python3
"""lint-functions.py [--max N] FILE...: names (FILE:LINE) every C function
longer than a screen: N lines (default 60) from the line of its opening
brace to that of its closing one. fathom's style puts a function's
definition at the start of a line, its name at the start of the line
before the brace, and the braces of its body at column 0; tables are data,
not functions, and are not counted. Exit status 1 when one is named."""
import re
import sys

NAME = re.compile(r'^([A-Za-z_][A-Za-z0-9_]*)\(')


def long_functions(path, most):
    lines = open(path, encoding='utf-8', errors='replace').read().split('\n')
    found, start, name = [], None, None
    for i, line in enumerate(lines):
        if line.startswith('{'):
            # the name is on one of the few lines before the brace
            # (parameters may wrap)
            for j in range(i - 1, max(i - 6, -1), -1):
                m = NAME.match(lines[j])
                if m:
                    start, name = i, m.group(1)
                    break
        elif line.startswith('}') and start is not None:
            n = i - start + 1
            if n > most:
                found.append((start + 1, name, n))
            start = None
    return found


def main(argv):
    most, files = 60, argv[1:]
    if files[:1] == ['--max']:
        most, files = int(files[1]), files[2:]
    named = 0
    for path in files:
        for line, name, n in long_functions(path, most):
            print(f"{path}:{line}: {name} is {n} lines: more than a screen ({most}); "
                  "split it into named steps")
            named += 1
    return 1 if named else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
