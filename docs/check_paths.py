"""Check that the paths the documentation names exist in the repository.

Run from anywhere: `python3 docs/check_paths.py`. It reads README.md,
docs/*.md and bench/README.md and checks

- every path in backticks (`articles/purging.py`, `articles/photos/`) against
  the repository, also relative to templates/ and static/ (where templates and
  static files are named that way); bare file names (`memo.py`) and bare
  folders (`perf/`) must exist somewhere in it;
- the map of the code in README.md: every file and folder it names exists,
  and every Python module and folder of the apps is named (the modules of
  articles/importers/ the map leaves to "the rest of the pipeline" excepted);
- relative links between the documents, including their #anchors.

Paths outside the repository (runtime folders such as var/, the agencies'
samples, URLs) are skipped. Exits 1 and lists the problems if any.
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
DOCUMENTS.append(ROOT / "bench" / "README.md")
APPS = ("newsroom", "articles", "teasers")
# Where the documents name paths relative to another folder.
SEARCH_ROOTS = (ROOT, ROOT / "templates", ROOT / "static")
# Runtime, installed or external paths: not in the repository.
OUTSIDE = (
    "../",
    "var/",
    "media/",
    "staticfiles/",
    "test-artifacts/",
    "node_modules/",
    "ninjs/",
    "newsml-g2/",
    "photos/2",
    "renditions/<",
    ".venv/bin/",
)
# Backticked text that looks like a path but is none (or is installed by npm).
NOT_PATHS = {
    "Europe/Berlin",
    "text/html",
    "channel/item",
    "feed/entry",
    "axe.min.js",
}
# Modules the map may leave unnamed (none since the importers settled).
UNNAMED_IN_MAP: set[str] = set()
FILE_SUFFIXES = (".py", ".md", ".html", ".toml", ".lock", ".js", ".css", ".json")
PATHLIKE = re.compile(r"[\w.\-/]+")
SKIP_DIRS = {".git", ".venv", "node_modules", "__pycache__", "var", "media"}


def repository_names() -> tuple[set[str], set[str]]:
    """Base names of all files and of all folders in the repository."""
    files, folders = set(), set()
    for path in ROOT.rglob("*"):
        if SKIP_DIRS & set(path.relative_to(ROOT).parts):
            continue
        (folders if path.is_dir() else files).add(path.name)
    return files, folders


def exists(name: str) -> bool:
    want_folder = name.endswith("/")
    for base in SEARCH_ROOTS:
        path = base / name.rstrip("/")
        if path.is_dir() if want_folder else path.exists():
            return True
    return False


def check_span(span: str, files: set[str], folders: set[str]) -> str | None:
    """A problem with the backticked `span`, or None."""
    if " " in span or "://" in span or span.startswith(("/", "-")):
        return None
    if span.startswith(OUTSIDE) or span in NOT_PATHS:
        return None
    if not PATHLIKE.fullmatch(span) or re.fullmatch(r"\.\w+", span):
        return None  # not a path, or a bare suffix such as `.json`
    if "/" in span.rstrip("/"):
        return None if exists(span) else f"no such path: {span}"
    if span.endswith("/"):
        return None if span[:-1] in folders else f"no such folder: {span}"
    if span.endswith(FILE_SUFFIXES):
        return None if span in files else f"no such file: {span}"
    return None


def code_map(readme: str) -> str:
    section = readme.split("## Map of the code", 1)[1]
    return section.split("```", 2)[1]


def check_map(readme: str) -> list[str]:
    """Resolve the README's tree of folders and files against the repository."""
    problems, named = [], set()
    stack: list[tuple[int, str]] = []  # (indentation, folder)
    current = ""  # the folder the last entry lives in, or is
    for line in code_map(readme).splitlines():
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        entry, _, description = line.strip().partition("  ")
        if indent < 26:  # an entry, not a continued description
            while stack and stack[-1][0] >= indent:
                stack.pop()
            parent = stack[-1][1] if stack else ""
            names = [name.strip() for name in entry.split(",")]
            for name in names:
                path = parent + name
                parts = path.rstrip("/").split("/")
                named.update("/".join(parts[:i]) for i in range(1, len(parts) + 1))
                if not exists(path):
                    problems.append(f"map: no such path: {path}")
            if entry.endswith("/"):
                stack.append((indent, parent + entry))
                current = parent + entry
            else:
                current = parent
        else:
            description = line.strip()
        if current.endswith("management/commands/"):
            words = re.findall(r"\b[a-z_]+\b", description)
            for word in words:
                named.add(f"{current}{word}.py")
                if not (ROOT / current / f"{word}.py").exists():
                    problems.append(f"map: no such command: {current}{word}")
            continue
        for name in re.findall(r"[\w]+\.py", description):
            path = current + name
            named.add(path)
            if not (ROOT / path).exists():
                problems.append(f"map: no such module: {path}")
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*")):
            relative = path.relative_to(ROOT).as_posix()
            if "__pycache__" in relative or "/migrations/" in relative:
                continue
            if path.name == "__init__.py" or relative in UNNAMED_IN_MAP:
                continue
            if (path.is_dir() or path.suffix == ".py") and relative not in named:
                problems.append(f"map: not named: {relative}")
    return problems


def anchors(text: str) -> set[str]:
    """GitHub's anchors for the headings of a Markdown text."""
    found = set()
    for heading in re.findall(r"^#+ (.+)$", text, flags=re.MULTILINE):
        slug = re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
        found.add(slug)
    return found


def check_links(document: Path, text: str) -> list[str]:
    problems = []
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if "://" in target:
            continue
        file_part, _, anchor = target.partition("#")
        linked = (document.parent / file_part).resolve() if file_part else document
        if not linked.exists():
            problems.append(f"link to a missing file: {target}")
        elif anchor and anchor not in anchors(linked.read_text()):
            problems.append(f"link to a missing anchor: {target}")
    return problems


def main() -> int:
    files, folders = repository_names()
    problems = []
    for document in DOCUMENTS:
        text = document.read_text()
        name = document.relative_to(ROOT)
        spans = re.findall(r"`([^`\n]+)`", text)
        found = [check_span(span, files, folders) for span in spans]
        found += check_links(document, text)
        if document.name == "README.md" and document.parent == ROOT:
            found += check_map(text)
        problems += [f"{name}: {problem}" for problem in found if problem]
    print("\n".join(problems) or f"All paths exist ({len(DOCUMENTS)} documents).")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
