#!/usr/bin/env python3
"""lint-bats.py FILE...: names (FILE:LINE) every negated command `! cmd` in
a bats test or a function that can never fail it. bats runs tests under
`set -e`, which ignores a negated command, so `! cmd` only counts as the
last command of its test (its status is the test's) or as a condition (if,
while, `! cmd || handle`); anywhere else `run ! cmd` (any failure) or
`run -1 cmd` (exactly status 1) is the form that fails. Exits 1 when it
names any, 0 when none."""
import re
import sys

OPEN = {"if", "while", "until", "for", "case", "{", "("}
CLOSE = {"fi", "done", "esac", "}", ")"}
CONDITION = {"if", "while", "until"}
BODY = {"then", "do", "else"}


class Pipeline:
    """One pipeline of a block: where it starts, whether `!` negates it,
    the separator after it, and where it stands."""

    def __init__(self, line, negated, condition, depth):
        self.line = line
        self.negated = negated
        self.condition = condition	# inside if/elif/while/until ... then/do
        self.depth = depth		# nesting in the block: 0 is its own level
        self.after = ";"		# ";", "&&" or "||"


def words(text, first_line):
    """Yields (line, token) for the shell text of a block: words, and the
    separators ; && || | & and newline, outside quotes, $(...), comments
    and here-documents. [[ ... ]] and (( ... )) come as one word."""
    i, line, n = 0, first_line, len(text)
    word, word_line, heredocs = "", line, []

    def flush():
        nonlocal word
        if word:
            w = word
            word = ""
            return [(word_line, w)]
        return []

    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n:
            if text[i + 1] == "\n":
                line += 1
            else:
                word += text[i:i + 2]
            i += 2
            continue
        if c in " \t":
            yield from flush()
            i += 1
            continue
        if c == "\n":
            yield from flush()
            yield (line, "\n")
            line += 1
            i += 1
            for delim, strip in heredocs:	# skip each body to its end line
                while i < n:
                    end = text.find("\n", i)
                    end = n if end < 0 else end
                    body = text[i:end]
                    i = end + 1
                    line += 1
                    if (body.lstrip("\t") if strip else body) == delim:
                        break
            heredocs = []
            continue
        if c == "#" and not word:
            while i < n and text[i] != "\n":
                i += 1
            continue
        if not word:
            word_line = line
        if c in "'\"`":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if c != "'" and text[j] == "\\" else 1
            line += text.count("\n", i, j)
            word += text[i:j + 1]
            i = j + 1
            continue
        if c == "$" and text.startswith("$(", i) or c in "<>" and text.startswith("(", i + 1):
            j, depth = i + 2, 1
            while j < n and depth:
                if text[j] in "'\"":
                    q = text[j]
                    j += 1
                    while j < n and text[j] != q:
                        j += 2 if q == '"' and text[j] == "\\" else 1
                elif text[j] == "(":
                    depth += 1
                elif text[j] == ")":
                    depth -= 1
                j += 1
            line += text.count("\n", i, j)
            word += text[i:j]
            i = j
            continue
        if c == "<" and text.startswith("<<", i) and not text.startswith("<<<", i):
            m = re.match(r"<<(-?)\s*(['\"]?)([\w.-]+)\2", text[i:])
            if m:
                heredocs.append((m.group(3), m.group(1) == "-"))
                yield from flush()
                i += m.end()
                continue
        if not word and (text.startswith("[[", i) or text.startswith("((", i)):
            end = text.find("]]" if c == "[" else "))", i + 2)
            end = n if end < 0 else end + 2
            line += text.count("\n", i, end)
            yield (word_line, text[i:end])
            i = end
            continue
        for sep in ("&&", "||", ";;", ";", "|", "&"):
            if text.startswith(sep, i) and not text.startswith(">&", i - 1) \
                    and not text.startswith("&>", i):
                yield from flush()
                yield (line, sep)
                i += len(sep)
                break
        else:
            if c in "(){}" and not word and (i + 1 >= n or text[i + 1] in " \t\n;"):
                yield (line, c)
            else:
                word += c
            i += 1
    yield from flush()


def pipelines(text, first_line):
    """The pipelines of a block's body, in order."""
    out, cur = [], None
    command, condition, depth, joined = True, [], 0, False
    for line, w in words(text, first_line):
        if w in ("\n", ";", ";;", "&"):
            if joined and w == "\n":
                continue	# a list or a pipe goes on on the next line
            cur, command, joined = None, True, False
            continue
        if w in ("&&", "||"):
            if cur is not None:
                cur.after = w
            cur, command, joined = None, True, True
            continue
        if w == "|":
            command, joined = True, True
            continue
        joined = False
        if not command:
            continue
        if w == "elif":
            if condition:
                condition[-1] = True
            continue
        if w in CONDITION:
            depth += 1
            condition.append(True)
            continue
        if w in BODY:
            if condition:
                condition[-1] = False
            continue
        if w in OPEN:
            depth += 1
            condition.append(False)
            command = w != "for" and w != "case"
            continue
        if w in CLOSE:
            depth -= 1
            if condition:
                condition.pop()
            continue
        if w.endswith("()"):
            continue	# a function defined here: its body follows
        if cur is None:
            cur = Pipeline(line, w == "!", bool(condition) and condition[-1], depth)
            out.append(cur)
        if w != "!":
            command = False
    return out


def lint(path):
    """FILE:LINE lines for the negated commands of path that cannot fail."""
    found = []
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    start = None
    for n, text in enumerate(lines, 1):
        if start is None:
            if re.match(r"@test\s.*\{\s*$|[\w-]+\s*\(\)\s*\{\s*(#.*)?$", text):
                start = n
            continue
        if text.rstrip() != "}":
            continue
        body = "\n".join(lines[start:n - 1]) + "\n"
        ps = pipelines(body, start + 1)
        for p in ps:
            if not p.negated or p.condition or p.after == "||":
                continue
            if p is ps[-1] and p.depth == 0:
                continue	# the test's last command: its status counts
            found.append(f"{path}:{p.line}: '! cmd' never fails a bats test here "
                         "(set -e ignores it): use 'run ! cmd' or 'run -1 cmd'")
        start = None
    return found


def main():
    found = [f for path in sys.argv[1:] for f in lint(path)]
    for f in found:
        print(f)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
