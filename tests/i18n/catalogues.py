"""Shared reading of the translation catalogues and the glossary for the i18n tests."""

import csv
from dataclasses import dataclass
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("pl", "it")
GLOSSARY = ROOT / "docs" / "glossary" / "terms.csv"
AVOID = ROOT / "docs" / "glossary" / "avoid.csv"
# Directories that hold no source of ours.
SKIP_DIRS = {
    ".git",
    ".venv",
    "node_modules",
    "media",
    "private_media",
    "staticfiles",
    "var",
    "__pycache__",
    "docs",
}


def ui_catalogues(root=ROOT):
    """{(app, language): path} of every app's django.po."""
    found = {}
    for path in sorted(root.rglob("locale/*/LC_MESSAGES/django.po")):
        relative = path.relative_to(root)
        if set(relative.parts) & SKIP_DIRS or relative.parts[0] == "tests":
            continue
        app = "/".join(relative.parts[: relative.parts.index("locale")])
        language = relative.parts[relative.parts.index("locale") + 1]
        found[(app, language)] = path
    return found


def content_catalogues(root=ROOT):
    """{language: path} of the demo content's translations (cms/demo_content/locale)."""
    base = root / "cms" / "demo_content" / "locale"
    return {language: base / f"{language}.po" for language in LANGUAGES}


def missing_translations(path):
    """Entries of ``path`` with no translation: empty (any plural form) or fuzzy."""
    missing = []
    for entry in polib.pofile(str(path)):
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            missing.append(f"{entry.msgid!r} (fuzzy)")
        elif entry.msgid_plural:
            if not entry.msgstr_plural or not all(entry.msgstr_plural.values()):
                missing.append(repr(entry.msgid))
        elif not entry.msgstr:
            missing.append(repr(entry.msgid))
    return missing


@dataclass
class Term:
    domain: str
    en: str
    translations: dict
    apps: tuple
    source: str
    note: str

    def applies_to(self, app):
        return not self.apps or app.split("/")[0] in self.apps


def glossary():
    with GLOSSARY.open(encoding="utf-8", newline="") as handle:
        return [
            Term(
                domain=row["domain"],
                en=row["en"],
                translations={language: row[language] for language in LANGUAGES},
                apps=tuple(row["apps"].split()),
                source=row["source"],
                note=row["note"],
            )
            for row in csv.DictReader(handle)
        ]


def avoided_phrases():
    with AVOID.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def same_case(template, text):
    """``text`` with its first letter in the case of ``template``'s first letter."""
    if not template or not text:
        return text
    if template[0].isupper():
        return text[0].upper() + text[1:]
    if template[0].islower():
        return text[0].lower() + text[1:]
    return text
