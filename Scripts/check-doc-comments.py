#!/usr/bin/env python3
"""List public Swift declarations that have no `///` doc comment.

Every public symbol of Lodestone carries a `///` comment saying what it is for and its units
(see .notes/HELPERS.md). This script scans Swift files for declarations marked `public` or
`open` — and the cases of public enums and the requirements of public protocols, which are public
without saying so — and prints those not directly preceded by a doc comment (`///` lines or a
`/** … */` block; attribute lines such as `@inlinable` or `@_cdecl(...)` may stand in between).

    python3 Scripts/check-doc-comments.py            # scans Sources/
    python3 Scripts/check-doc-comments.py Sources/LodestoneKernel Examples/IndustryPlugin

Each offender is printed as `path:line: declaration`. Members that implement a standard-library
protocol requirement (`description`, `hash(into:)`, `next()`, `==`, …) are listed separately:
DocC shows the protocol's documentation for them, but the project's rule still asks for a line
of our own. Exit status: 0 when nothing is missing, 1 otherwise, 2 on bad arguments.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass

# A declaration line: optional attributes, then modifiers including `public` or `open`, then a
# declaration keyword. `public extension` and `public import` are not symbols of their own.
DECLARATION = re.compile(
    r"^(?:@[\w.]+(?:\([^)]*\))?\s+)*"
    r"(?:(?:final|static|class|override|mutating|nonmutating|nonisolated|indirect|convenience|required|"
    r"lazy|weak|unowned|dynamic|prefix|postfix|infix|consuming|borrowing|package|private\(set\)|"
    r"fileprivate\(set\)|internal\(set\))\s+)*"
    r"(?:public|open)\s+"
    r"(?:(?:final|static|class|override|mutating|nonmutating|nonisolated|indirect|convenience|required|"
    r"lazy|weak|unowned|dynamic|prefix|postfix|infix|consuming|borrowing|private\(set\)|"
    r"fileprivate\(set\)|internal\(set\))\s+)*"
    r"(?P<kind>struct|enum|class|actor|protocol|typealias|func|init[?!]?|deinit|var|let|subscript|case|"
    r"associatedtype|macro|operator)\b"
)

# Names of standard-library protocol requirements whose documentation DocC inherits.
CONFORMANCES = re.compile(
    r"\b(?:var description\b|var debugDescription\b|func hash\(into|var hashValue\b|func next\(\)|"
    r"static func ==|static func <|func encode\(to|init\(from decoder|init\(stringLiteral|"
    r"init\(integerLiteral|init\(floatLiteral|func makeIterator\(\)|var errorDescription\b)"
)

ATTRIBUTE = re.compile(r"^(?:@[\w.]+(?:\([^)]*\))?\s*)+$")


@dataclass
class Finding:
    path: str
    line: int
    text: str
    conformance: bool


def swift_files(roots: list[str]) -> list[str]:
    files: list[str] = []
    for root in roots:
        if os.path.isfile(root):
            files.append(root)
            continue
        for directory, subdirectories, names in os.walk(root):
            subdirectories[:] = sorted(d for d in subdirectories if not d.startswith("."))
            files.extend(os.path.join(directory, n) for n in sorted(names) if n.endswith(".swift"))
    return files


def code_lines(text: str) -> list[tuple[int, str, bool]]:
    """The lines of a file with whether each is code (not inside a multi-line string literal or a
    block comment that is not a doc comment)."""
    out: list[tuple[int, str, bool]] = []
    in_string = False
    in_block = False
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if in_block:
            out.append((number, line, False))
            if "*/" in stripped:
                in_block = False
            continue
        if in_string:
            out.append((number, line, False))
            if stripped.count('"""') % 2 == 1:
                in_string = False
            continue
        out.append((number, line, True))
        if stripped.startswith("/*") and not stripped.startswith("/**") and "*/" not in stripped:
            in_block = True
        elif stripped.count('"""') % 2 == 1:
            in_string = True
    return out


def has_doc_comment(lines: list[tuple[int, str, bool]], index: int) -> bool:
    """Whether the declaration at `index` is preceded by `///` lines or a `/** */` block,
    skipping attribute lines."""
    i = index - 1
    while i >= 0:
        stripped = lines[i][1].strip()
        if ATTRIBUTE.match(stripped):
            i -= 1
            continue
        if stripped.startswith("///"):
            return True
        if stripped.endswith("*/"):
            # Walk back to the start of the block; it documents only if it opens with `/**`.
            j = i
            while j >= 0 and "/*" not in lines[j][1]:
                j -= 1
            return j >= 0 and "/**" in lines[j][1]
        return False
    return False


# Public containers whose members are public without saying so: the cases of a public enum and
# the requirements of a public protocol.
CONTAINER = re.compile(r"^(?:@[\w.]+(?:\([^)]*\))?\s+)*(?:public|open)\s+(?:indirect\s+)?(?P<kind>enum|protocol)\b")
ENUM_CASE = re.compile(r"^(?:indirect\s+)?case\s+[A-Za-z_`]")
REQUIREMENT = re.compile(
    r"^(?:@[\w.]+(?:\([^)]*\))?\s+)*(?:(?:static|mutating|nonmutating)\s+)*"
    r"(?:var|func|init[?!]?|subscript|associatedtype)\b"
)
STRING = re.compile(r'"(?:\\.|[^"\\])*"')


def braces(line: str) -> int:
    """The change in brace depth on a line, ignoring strings and `//` comments."""
    code = STRING.sub('""', line).split("//")[0]
    return code.count("{") - code.count("}")


def scan(path: str) -> list[Finding]:
    with open(path, encoding="utf-8") as handle:
        lines = code_lines(handle.read())
    findings: list[Finding] = []
    depth = 0
    containers: list[tuple[str, int]] = []  # (kind, depth of its members)
    for index, (number, line, is_code) in enumerate(lines):
        if not is_code:
            continue
        stripped = line.strip()
        inside = containers[-1] if containers and containers[-1][1] == depth else None
        is_member = inside is not None and (
            (inside[0] == "enum" and ENUM_CASE.match(stripped))
            or (inside[0] == "protocol" and REQUIREMENT.match(stripped))
        )
        if (DECLARATION.match(stripped) or is_member) and not has_doc_comment(lines, index):
            declaration = stripped.rstrip("{").rstrip()
            findings.append(Finding(path, number, declaration, bool(CONFORMANCES.search(stripped))))
        container = CONTAINER.match(stripped)
        change = braces(stripped)
        if container and change > 0:
            containers.append((container.group("kind"), depth + 1))
        depth += change
        while containers and containers[-1][1] > depth:
            containers.pop()
    return findings


def main(arguments: list[str]) -> int:
    if any(a in ("-h", "--help") for a in arguments):
        print(__doc__.strip())
        return 0
    roots = arguments or ["Sources"]
    missing = [r for r in roots if not os.path.exists(r)]
    if missing:
        print(f"error: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return 2
    findings: list[Finding] = []
    files = swift_files(roots)
    for path in files:
        findings.extend(scan(path))
    plain = [f for f in findings if not f.conformance]
    conformances = [f for f in findings if f.conformance]
    for finding in plain:
        print(f"{finding.path}:{finding.line}: {finding.text}")
    if conformances:
        if plain:
            print()
        print("Protocol requirements without a doc comment of their own (DocC shows the protocol's):")
        for finding in conformances:
            print(f"{finding.path}:{finding.line}: {finding.text}")
    total = len(findings)
    print(
        f"{total} public declaration{'' if total == 1 else 's'} without a /// doc comment "
        f"({len(plain)} others, {len(conformances)} protocol requirements) in {len(files)} files",
        file=sys.stderr,
    )
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
