#!/usr/bin/env python3
"""Fails when code reaches against the layering docs/architecture.md describes.

Two rules, both from the architecture map:

1. Modules: each module imports only what sits below it (`CSV` and `SeamAPI` know nothing of
   reservations, `KeyBatch` nothing of HTTP or flags, `SeamSandbox` nothing of the client).
2. `Sources/KeyBatch`'s folders are the stages the data goes through, in `FOLDERS` order; a file
   may name types of its own folder and of the folders before it, never of one after it. (One
   Swift module cannot enforce that itself; this script does, by name: every top-level type is
   mapped to the folder that declares it, and each file's identifiers, comments and string
   literals removed, are looked up.)

Written by hand because no package this machine provides checks folder layering inside one
Swift module. Exit status 1 with one line per breach, 0 when none; `make layers` runs it and
`.ci/run` runs that.
"""
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Sources")

# The data's way, first to last. Seam's view comes early: the state, the plan and every stage
# after them speak of Seam's objects, and it depends on nothing of theirs.
FOLDERS = [
    "Input",         # the files as read: header layout, listings, input errors
    "Validation",    # rows judged into reservations (the stream, the pipelined reader)
    "Codes",         # the codes a row can end with: Seam's, a row's, the run's
    "Seam",          # Seam's view: the port, its objects' states and issues, natural keys
    "Results",       # result rows, statuses, the writer
    "State",         # the state file: what earlier runs confirmed
    "Visits",        # one user per guest and site: visits, site plans, drift judged
    "Planning",      # a row's action from its site's plan
    "Confirmation",  # what the site has applied: judge, rounds, queue
    "Provisioning",  # the flow per guest-site, the journal
    "InstantKeys",   # --instant-keys and `links`
    "Verification",  # --verify's sweep
    "Reporting",     # figures, progress, version
    "Runs",          # the commands' runs: I/O at the edges, the window
]

# Imports each module must not make (besides the modules above it, which SwiftPM already
# refuses: a target cannot import what does not depend on it).
FORBIDDEN_IMPORTS = {
    "CSV": {"SeamAPI", "SeamSandbox", "KeyBatch", "GRDB", "AsyncHTTPClient", "Logging"},
    "SeamAPI": {"CSV", "KeyBatch", "SeamSandbox", "GRDB"},
    "SeamSandbox": {"SeamAPI", "KeyBatch", "CSV"},
    "KeyBatch": {"AsyncHTTPClient", "NIOCore", "NIOHTTP1", "NIOPosix", "ArgumentParser", "SeamSandbox", "Hummingbird"},
}

DECLARATION = re.compile(
    r"^(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|open|internal|private|fileprivate|package|final|indirect|nonisolated)\s+)*"
    r"(?:struct|enum|class|actor|protocol|typealias)\s+(\w+)", re.M)
IMPORT = re.compile(r"^(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|package|internal|fileprivate|private)\s+)?import\s+"
                    r"(?:(?:struct|enum|class|func|protocol|var|let|typealias)\s+)?(\w+)", re.M)


def code_only(text):
    """The text without comments and string literals (a type named in prose is no dependency),
    but with what string interpolations hold (`"\\(StateStore.self)"` is code)."""
    def keep_interpolations(literal):
        return '"' + " ".join(re.findall(r"\\\(([^()]*(?:\([^()]*\)[^()]*)*)\)", literal.group(0))) + '"'
    text = re.sub(r'"""[\s\S]*?"""', keep_interpolations, text)
    text = re.sub(r'"(?:\\.|[^"\\\n])*"', keep_interpolations, text)
    text = re.sub(r"/\*[\s\S]*?\*/", "", text)
    return re.sub(r"//.*", "", text)


def swift_files(directory):
    for folder, _, names in os.walk(directory):
        for name in sorted(names):
            if name.endswith(".swift"):
                yield os.path.join(folder, name)


def main():
    breaches = []
    for module, forbidden in FORBIDDEN_IMPORTS.items():
        for path in swift_files(os.path.join(ROOT, module)):
            for imported in IMPORT.findall(code_only(open(path, encoding="utf-8").read())):
                if imported in forbidden:
                    breaches.append(f"{os.path.relpath(path, ROOT)}: module {module} imports {imported}")

    library = os.path.join(ROOT, "KeyBatch")
    rank = {folder: index for index, folder in enumerate(FOLDERS)}
    owner = {}
    sources = {}
    for path in swift_files(library):
        folder = os.path.relpath(path, library).split(os.sep)[0]
        if folder not in rank:
            breaches.append(f"KeyBatch/{os.path.relpath(path, library)}: folder {folder} is not in the layer order "
                            "(scripts/check-layers.py FOLDERS, docs/architecture.md)")
            continue
        text = code_only(open(path, encoding="utf-8").read())
        sources[path] = (folder, text)
        for name in DECLARATION.findall(text):
            owner.setdefault(name, folder)
    for path, (folder, text) in sorted(sources.items()):
        for name in sorted(set(re.findall(r"\b[A-Z]\w*\b", text))):
            declared = owner.get(name)
            if declared and rank[declared] > rank[folder]:
                breaches.append(f"KeyBatch/{os.path.relpath(path, library)}: {folder} names {name}, "
                                f"which {declared} declares (after {folder} in the order)")
    for line in breaches:
        print(line)
    if breaches:
        print(f"check-layers: {len(breaches)} reference(s) against the layer order", file=sys.stderr)
        return 1
    print(f"check-layers: {len(sources)} files in {len(FOLDERS)} folders, every reference downward or within")
    return 0


if __name__ == "__main__":
    sys.exit(main())
