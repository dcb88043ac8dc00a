"""Draw the packages and their one-way imports from the import-linter contracts in
pyproject.toml, so that the README's picture is the rules `lint-imports` enforces and
cannot drift from them (tests/test_architecture.py compares the two).

    python scripts/architecture.py            # print the picture
    python scripts/architecture.py --write    # put it into README.md
    python scripts/architecture.py --check    # exit 1 when README.md's picture is stale
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
BEGIN = "<!-- imports: drawn by scripts/architecture.py from pyproject.toml; do not edit -->"
END = "<!-- /imports -->"


def layers_picture(layers: list[str]) -> list[str]:
    """Layers top to bottom, an arrow down between each; `a | b` are independent siblings."""
    lines: list[str] = []
    for i, layer in enumerate(layers):
        if i:
            lines.append("  ↓")
        siblings = [name.strip() for name in layer.split("|")]
        lines.append(" │ ".join(siblings)
                     + ("      (│: never import each other)" if len(siblings) > 1 else ""))
    return lines


def forbids(contracts: list[dict[str, Any]], source: str, target: str) -> bool:
    """Whether a forbidden contract keeps `source` from importing `target`."""
    return any(c["type"] == "forbidden" and source in c["source_modules"]
               and target in c["forbidden_modules"] for c in contracts)


def picture(pyproject: str) -> str:
    """The layers drawn; a package outside them with what it may import and be imported by;
    every other forbidden import listed."""
    linter = tomllib.loads(pyproject)["tool"]["importlinter"]
    roots: list[str] = linter["root_packages"]
    contracts: list[dict[str, Any]] = linter["contracts"]
    lines = ["↓ may import anything below it   ↛ must not import", ""]
    layered: set[str] = set()
    for contract in (c for c in contracts if c["type"] == "layers"):
        lines += layers_picture(contract["layers"]) + [""]
        layered |= {n.strip() for layer in contract["layers"] for n in layer.split("|")}
    for package in (r for r in roots if r not in layered):
        uses = [r for r in roots if r != package and not forbids(contracts, package, r)]
        users = [r for r in roots if r != package and not forbids(contracts, r, package)]
        lines.append(f"{package}: imports {', '.join(uses) or 'nothing'} only; "
                     f"imported by {', '.join(users) or 'nothing'} only")
    for contract in (c for c in contracts if c["type"] == "forbidden"):
        sources = [m for m in contract["source_modules"] if m in layered]
        targets = [m for m in contract["forbidden_modules"] if m in layered or m not in roots]
        if sources and targets:  # the rest is said on the lines of packages outside layers
            directly = " (directly)" if contract.get("allow_indirect_imports") else ""
            lines.append(f"{', '.join(sources)} ↛ {', '.join(targets)}{directly}")
    return "```\n" + "\n".join(lines).rstrip() + "\n```"


def with_picture(readme: str, drawn: str) -> str:
    """README text with the block between the markers replaced by `drawn`."""
    head, found, rest = readme.partition(BEGIN)
    _, found_end, tail = rest.partition(END)
    if not (found and found_end):
        raise SystemExit(f"README.md has no {BEGIN} ... {END} block")
    return f"{head}{BEGIN}\n{drawn}\n{END}{tail}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--write", action="store_true")
    action.add_argument("--check", action="store_true")
    parser.add_argument("--root", type=Path, default=REPO, help="the repository")
    args = parser.parse_args()
    drawn = picture((args.root / "pyproject.toml").read_text())
    readme_path = args.root / "README.md"
    if args.write:
        readme_path.write_text(with_picture(readme_path.read_text(), drawn))
    elif args.check:
        readme = readme_path.read_text()
        if with_picture(readme, drawn) != readme:
            print("README.md's picture of the imports is stale: run "
                  "python scripts/architecture.py --write", file=sys.stderr)
            return 1
    else:
        print(drawn)
    return 0


if __name__ == "__main__":
    sys.exit(main())
