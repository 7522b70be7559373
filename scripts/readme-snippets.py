#!/usr/bin/env python3
"""Keeps the README's Java blocks equal to the snippet files they show.

Each ```java block of README.md follows a line `<!-- snippet: NAME.java -->` naming a file of
docs/src/test/java/dev/parallax/docs/snippets. Run without arguments to rewrite every such block
from its file (its imports, a blank line, the dedented lines between `// README:begin` and
`// README:end`); `--print NAME.java` prints one block. docs' ReadmeSnippetsTest checks the result.
"""
import pathlib, re, sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SNIPPETS = ROOT / "docs/src/test/java/dev/parallax/docs/snippets"
MARKED = re.compile(r"(<!-- snippet: (\S+) -->\n```java\n)(.*?)(^```$)", re.S | re.M)  # an empty block too


def block(name):
    lines = (SNIPPETS / name).read_text().split("\n")
    strip = [l.strip() for l in lines]
    b, e = strip.index("// README:begin"), strip.index("// README:end")
    body = lines[b + 1:e]
    indent = min(len(l) - len(l.lstrip()) for l in body if l.strip())
    body = "\n".join("" if not l.strip() else l[indent:] for l in body)
    imports = [l for l in lines if l.startswith("import ")]
    return ("\n".join(imports) + "\n\n" + body) if imports else body


if len(sys.argv) > 2 and sys.argv[1] == "--print":
    print(block(sys.argv[2]))
else:
    readme = ROOT / "README.md"
    text = MARKED.sub(lambda m: m.group(1) + block(m.group(2)) + "\n" + m.group(4), readme.read_text())
    readme.write_text(text)
