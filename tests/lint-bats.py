#!/usr/bin/env python3
"""lint-bats.py FILE...: names (FILE:LINE) every check in a bats test or a
function that can never fail it. bats runs tests under `set -e`, which
ignores the failure of a negated command and of every command of an
`&&`/`||` list but the last. Two forms are named:

- a negated command `! cmd`: `run ! cmd` (any failure) or `run -1 cmd`
  (exactly status 1) is the form that fails;
- an `&&` list `A && B` (any number of `&&`, over several lines too): when
  A fails the list fails and nothing notices. One check a line is the form
  that fails, or `A && B || { echo ...; return 1; }` for a message.

Either is accepted only where its status is used:
- as a condition: between if/elif/while/until and then/do;
- when a `||` follows it in its list: `! cmd || handle`, `A && B || fail`
  (what follows `||` decides what a failure does; `A || B && C` is named,
  as a failing B skips C unnoticed);
- as the last command of a test or of a function, a nested one too (bats
  reads the test's status, a caller sees the function's), or of a `( ... )`
  subshell (set -e sees its exit status); not as the last of `{ ...; }`, a
  loop or an if, whose status set -e ignores;
- an `&&` list ending in continue, break, return or exit: a guard, whose
  false test is the point.
Nothing else: `{ A && B; } || fail` is named (write `A && B || fail`), the
other command names do not matter. Here-documents, quotes, comments,
$(...) and [[ ... ]] are not looked into. A block starts at a line
`@test ... {` or `name() {` and ends at a `}` alone at the start of a line.
Exits 1 when it names any, 0 when none."""
import re
import sys

OPEN = {"if", "while", "until", "for", "case", "{", "("}
CLOSE = {"fi", "done", "esac", "}", ")"}
CONDITION = {"if", "while", "until"}
BODY = {"then", "do", "else"}
JUMP = {"continue", "break", "return", "exit"}


class Pipeline:
    """One pipeline of a block: where it starts, whether `!` negates it,
    its command's name, the separator after it, and where it stands."""

    def __init__(self, line, negated, condition, groups):
        self.line = line
        self.negated = negated
        self.name = ""			# the first word after any `!`
        self.condition = condition	# inside if/elif/while/until ... then/do
        self.groups = groups		# the open groups around it, outermost first
        self.after = ";"		# ";", "&&" or "||"


class Group:
    """The block itself or one compound command in it: whether a failure
    of its last command is its own, seen by set -e (a block's, a subshell's)."""

    def __init__(self, counts):
        self.counts = counts


def words(text, first_line):
    """Yields (line, token) for the shell text of a block: words, and the
    separators ; && || | & and newline, outside quotes, $(...), comments
    and here-documents. [[ ... ]] and (( ... )) come as one word."""
    i, line, n = 0, first_line, len(text)
    word, word_line, heredocs = "", line, []
    subshells, arrays = 0, 0	# ( open as a command, ( open in a word

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
            if c == "(" and not word:
                subshells += 1	# `(cmd` as well as `( cmd`
                yield (line, c)
            elif c == ")" and subshells and not arrays:
                subshells -= 1	# `cmd)` as well as `cmd )`
                yield from flush()
                yield (line, c)
            elif c in "{}" and not word and (i + 1 >= n or text[i + 1] in " \t\n;"):
                yield (line, c)
            else:
                if c == "(":
                    arrays += 1	# a=(...), f()
                elif c == ")" and arrays:
                    arrays -= 1
                word += c
            i += 1
    yield from flush()


def pipelines(text, first_line):
    """The pipelines of a block's body, in order."""
    out, cur = [], None
    command, condition, joined, function = True, [], False, False
    groups = [Group(True)]
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
        if w in ("(", ")") or command and (w in OPEN or w in CLOSE or w in CONDITION):
            cur, command = None, w not in ("for", "case")
            if w in CLOSE:
                if len(groups) > 1:
                    groups.pop()
                    condition.pop()
            else:	# a subshell's or a function's status is seen
                groups.append(Group(w == "(" or w == "{" and function))
                condition.append(w in CONDITION)
            function = False
            continue
        if not command:
            continue
        if w == "elif":
            if condition:
                condition[-1] = True
            continue
        if w in BODY:
            if condition:
                condition[-1] = False
            continue
        if w.endswith("()"):
            function = True	# a function defined here: its body follows
            continue
        if cur is None:
            cur = Pipeline(line, w == "!", bool(condition) and condition[-1], tuple(groups))
            out.append(cur)
        if w != "!":
            cur.name = cur.name or w
            command = False
    return out


def lists(ps):
    """The pipelines in lists: runs of them joined by && or ||."""
    out, cur = [], []
    for p in ps:
        cur.append(p)
        if p.after == ";":
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out


def lint(path):
    """FILE:LINE lines for the checks of path that cannot fail."""
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
        for chain in lists(ps):
            end = chain[-1]
            k = ps.index(end)
            group = end.groups[-1]
            last = group.counts and (k + 1 == len(ps) or group not in ps[k + 1].groups)
            named = False
            for j, p in enumerate(chain):
                rest = chain[j:-1]	# p and the pipelines after it but the last
                if p.condition or any(q.after == "||" for q in rest):
                    continue	# a condition, or a failure goes to what follows ||
                if last:
                    continue	# the list's status is the test's or the subshell's
                if p.negated:
                    found.append(f"{path}:{p.line}: '! cmd' never fails a bats test here "
                                 "(set -e ignores it): use 'run ! cmd' or 'run -1 cmd'")
                elif p is not end and end.name not in JUMP and not named:
                    named = True
                    found.append(f"{path}:{p.line}: 'A && B' never fails a bats test when A "
                                 "fails (set -e ignores it): one check a line, or "
                                 "'A && B || { echo ...; return 1; }'")
        start = None
    return found


def main():
    found = [f for path in sys.argv[1:] for f in lint(path)]
    for f in found:
        print(f)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
