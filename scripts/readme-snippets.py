#!/usr/bin/env python3
"""Prints the README block of a snippet file of docs/src/test/java/dev/parallax/docs/snippets, or
with --replace N FILE, puts it in place of the README's N-th ```java block (1-based). The same
extraction as docs' ReadmeSnippetsTest, which checks the result."""
import pathlib, re, sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SNIPPETS = ROOT / "docs/src/test/java/dev/parallax/docs/snippets"

def block(name):
    lines = (SNIPPETS / name).read_text().split("\n")
    strip = [l.strip() for l in lines]
    b, e = strip.index("// README:begin"), strip.index("// README:end")
    body = lines[b + 1:e]
    indent = min(len(l) - len(l.lstrip()) for l in body if l.strip())
    body = "\n".join("" if not l.strip() else l[indent:] for l in body)
    imports = [l for l in lines if l.startswith("import ")]
    return ("\n".join(imports) + "\n\n" + body) if imports else body

if sys.argv[1] == "--replace":
    n, name = int(sys.argv[2]), sys.argv[3]
    readme = (ROOT / "README.md").read_text()
    blocks = list(re.finditer(r"^```java\n(.*?)\n```$", readme, re.S | re.M))
    m = blocks[n - 1]
    readme = readme[:m.start(1)] + block(name) + readme[m.end(1):]
    (ROOT / "README.md").write_text(readme)
else:
    print(block(sys.argv[1]))
