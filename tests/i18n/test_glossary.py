"""The glossary (docs/glossary/terms.csv) is what the translations say.

A UI string that is a glossary term is translated exactly as the glossary says, in the apps the
term belongs to; the phrases of docs/glossary/avoid.csv appear in no translation, of the
interface or of the demo content; every waste code and fibre of the EU taxonomies has its entry.
"""

import re

import polib
import pytest

from cms.taxonomy import FIBRE_FAMILIES, FIBRES, PROCESSES, WASTE_CODES

from .catalogues import (
    LANGUAGES,
    avoided_phrases,
    content_catalogues,
    glossary,
    same_case,
    ui_catalogues,
)


def test_glossary_rows_are_complete():
    terms = glossary()
    assert len(terms) > 100
    for term in terms:
        assert term.domain and term.en and term.source, term
        for language in LANGUAGES:
            assert term.translations[language], f"{term.en!r} has no {language} translation"


def test_every_waste_code_fibre_and_process_has_a_glossary_entry():
    english = {term.en for term in glossary()}
    labels = [str(label) for _code, label in WASTE_CODES]
    labels += [str(label) for _code, label, _family in FIBRES]
    labels += [str(label) for _code, label in FIBRE_FAMILIES if _code != "unknown"]
    labels += [str(label) for _code, label in PROCESSES]
    missing = [label for label in labels if label not in english]
    assert not missing, f"Add these EU taxonomy terms to docs/glossary/terms.csv: {missing}"


def _terms_by_msgid():
    exact = {}
    for term in glossary():
        exact.setdefault(term.en, []).append(term)
    return exact


@pytest.mark.parametrize("language", LANGUAGES)
def test_ui_strings_that_are_glossary_terms_follow_the_glossary(language):
    terms = _terms_by_msgid()
    problems = []
    for (app, catalogue_language), path in sorted(ui_catalogues().items()):
        if catalogue_language != language:
            continue
        for entry in polib.pofile(str(path)):
            if entry.obsolete or entry.msgid_plural or entry.msgctxt:
                continue
            candidates = terms.get(entry.msgid)
            if candidates is None:
                swapped = entry.msgid[:1].swapcase() + entry.msgid[1:]
                candidates = terms.get(swapped, [])
            for term in candidates:
                if not term.applies_to(app):
                    continue
                expected = same_case(entry.msgid, term.translations[language])
                if entry.msgstr != expected:
                    problems.append(
                        f"{app}/locale/{language}: {entry.msgid!r} is {entry.msgstr!r}, "
                        f"the glossary says {expected!r} ({term.source})"
                    )
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_translation_uses_an_avoided_phrase(language):
    paths = [path for (_app, lang), path in ui_catalogues().items() if lang == language]
    content = content_catalogues()[language]
    if content.exists():
        paths.append(content)
    rules = [row for row in avoided_phrases() if row["language"] == language]
    assert rules
    problems = []
    for path in paths:
        for entry in polib.pofile(str(path)):
            texts = [entry.msgstr, *entry.msgstr_plural.values()]
            for rule in rules:
                pattern = re.compile(rf"\b{re.escape(rule['phrase'])}\b", re.IGNORECASE)
                if any(pattern.search(text) for text in texts):
                    problems.append(
                        f"{path.name} ({path.parent}): {entry.msgid!r} uses {rule['phrase']!r}; "
                        f"write {rule['instead']!r}: {rule['reason']}"
                    )
    assert not problems, "\n".join(problems)
