"""The parsers of uploaded files, fuzzed with Hypothesis: GIFT and Aiken question files, and the
exchange's CSV listings. Whatever the text, a parser answers with questions or rows and
line-numbered messages — it never raises — and what it accepts can be stored on the database
as it is and exported again (PostgreSQL refuses numbers out of range). NUL characters are
refused before the question parsers run, by the import form (tests/quizzes), so the question
parsers are only required not to fail on them."""

import math
import re
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from courses.quizzes.formats import export_gift, parse_aiken, parse_gift, questions_import
from exchange.csv_io import csv_parse

FUZZ = settings(
    max_examples=50,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # no shrinking: CI time is bounded
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Pieces that mean something to the parsers, mixed with arbitrary text (NUL included).
GIFT_TOKENS = [
    "::",
    "{",
    "}",
    "=",
    "~",
    "#",
    "####",
    "%50%",
    "%-33.33333%",
    "%100%",
    "->",
    "T",
    "F",
    "TRUE",
    "FALSE",
    "\n",
    "\n\n",
    ":",
    "..",
    "1e400",
    "nan",
    "-inf",
    "1" * 30,
    "3.14",
    "$CATEGORY: top/a",
    "[markdown]",
    "[html]",
    "<b>x</b>",
    "**x**",
    "\\{",
    "\\=",
    "//",
    "\x00",
    "é",
    "ł",
    "Q",
    " ",
    "0",
    "{}",
    "{#",
    "{=",
    "~%50%",
    "=%0%",
]
AIKEN_TOKENS = [
    "A. ",
    "B) ",
    "C. ",
    "ANSWER: ",
    "ANSWER: A",
    "ANSWER: Z",
    "\n",
    "\n\n",
    "\x00",
    "Q?",
    "x",
    " ",
    "é",
]


def _text(tokens):
    return st.lists(st.one_of(st.sampled_from(tokens), st.text(max_size=12)), max_size=40).map(
        "".join
    )


def _finite(value):
    if value is None:
        return True
    return math.isfinite(float(value)) and abs(Decimal(value)) < Decimal("1e12")


def _storable_text(*texts):
    return all("\x00" not in (text or "") for text in texts)


def _check_accepted(result, *, nul_free=True):
    if not nul_free:
        return
    for question in result.questions:
        assert _storable_text(question.name, question.text, question.general_feedback)
        for answer in question.answers:
            assert _storable_text(answer.text, answer.feedback)
            assert _finite(answer.fraction) and -1 <= Decimal(answer.fraction) <= 1
            assert _finite(answer.value) and _finite(answer.tolerance)
        for prompt, match in question.pairs:
            assert _storable_text(prompt, match)
    for line, message in result.errors:
        assert isinstance(line, int) and line >= 1 and message


@FUZZ
@given(text=_text(GIFT_TOKENS))
def test_gift_parser_answers_with_questions_or_messages(text):
    result = parse_gift(text)
    assert result.questions or result.errors
    _check_accepted(result, nul_free="\x00" not in text)


@FUZZ
@given(text=_text(AIKEN_TOKENS))
def test_aiken_parser_answers_with_questions_or_messages(text):
    result = parse_aiken(text)
    assert result.questions or result.errors
    _check_accepted(result, nul_free="\x00" not in text)


@pytest.fixture
def course(db):
    from tests.quizzes.factories import course_tree

    return course_tree()[0]


# Well-formed questions of every kind with arbitrary words in them, so that the store-and-export
# path is taken on most examples (random soup is mostly refused).
WORD = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="{}=~#:\\\n\x00"),
    min_size=1,
    max_size=15,
).filter(str.strip)
NUMBER = st.one_of(
    st.integers(-(10**6), 10**6).map(str), st.sampled_from(["1e400", "nan", "1" * 30])
)
QUESTION = st.one_of(
    st.builds("::{}:: {} {{={} ~{} ~{}}}".format, WORD, WORD, WORD, WORD, WORD),
    st.builds("{} {{={} ={} ~{}}}".format, WORD, WORD, WORD, WORD),
    st.builds("{} {{T}}".format, WORD),
    st.builds("{} {{={} ={}}}".format, WORD, WORD, WORD),
    st.builds("{} {{#{}:{}}}".format, WORD, NUMBER, NUMBER),
    st.builds("{} {{={} -> {} ={} -> {} ={} -> {}}}".format, WORD, *[WORD] * 6),
    st.builds("{} {{~%50%{} ~%50%{} ~%-100%{}}}".format, WORD, WORD, WORD, WORD),
)


@pytest.mark.django_db
@FUZZ
@given(text=st.lists(QUESTION, min_size=1, max_size=4).map("\n\n".join))
def test_what_the_gift_parser_accepts_is_stored_and_exported_again(course, text):
    result = parse_gift(text)
    _check_accepted(result)
    if not result.ok:
        return
    sid = transaction.savepoint()
    try:
        questions = questions_import(course=course, parsed=result.questions)
        assert len(questions) == len(result.questions)
        again = parse_gift(export_gift(questions))
        assert len(again.questions) == len(questions), export_gift(questions)
    finally:
        transaction.savepoint_rollback(sid)


CSV_HEADER = "kind,title,composition,quantity,unit,site"
CSV_TOKENS = [
    ",",
    ";",
    "\t",
    '"',
    "\n",
    "\r\n",
    "offer",
    "wanted",
    "cotton 95, elastane 5",
    "100",
    "1,5",
    "kg",
    "t",
    "1e400",
    "nan",
    "-1",
    "9" * 30,
    "\x00",
    "x" * 200,
    "é",
    "=1+1",
]


@pytest.fixture
def organisation(db):
    from tests.exchange.factories import VerifiedOrganisationFactory

    return VerifiedOrganisationFactory()


@pytest.mark.django_db
@FUZZ
@given(
    header=st.sampled_from([CSV_HEADER, CSV_HEADER.replace(",", ";"), "", "kind;title"]),
    body=_text(CSV_TOKENS),
)
def test_csv_parser_answers_with_rows_or_messages(organisation, header, body):
    rows, has_errors = csv_parse(text=f"{header}\n{body}", organisation=organisation)
    assert isinstance(has_errors, bool)
    for row in rows:
        assert row["number"] >= 1
        if row.get("errors"):
            assert has_errors
        else:
            assert _storable_text(row.get("title"), row.get("reference"))


MARKDOWN_TOKENS = [
    "![x](",
    "](",
    "http://evil.example/p.png",
    "//evil.example/p.png",
    "/media/ok.png",
    "javascript:alert(1)",
    "data:image/png;base64,AAAA",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=http://evil.example/a.png>",
    "<script>alert(1)</script>",
    '<a href="javascript:alert(1)">x</a>',
    "<svg onload=alert(1)>",
    '"',
    "'",
    ")",
    "[",
    "]",
    "\n",
    "    ",
    "```",
    "\x00",
    "&lt;",
    "\\",
]


@FUZZ
@given(
    text=st.lists(
        st.one_of(st.sampled_from(MARKDOWN_TOKENS), st.text(max_size=12)), max_size=40
    ).map("".join)
)
def test_forum_markdown_never_fails_and_never_embeds_a_remote_image_or_a_script(text):
    """The forum's Markdown renderer (forum.markup): whatever the post, HTML without scripts,
    event handlers or javascript: links, and no image fetched from another server (a reader
    of a private topic is not announced to it)."""
    from forum.markup import is_local, markdown

    html = markdown(text)
    lowered = html.lower()
    assert "<script" not in lowered
    assert not re.search(r"<[^>]+\son\w+\s*=", lowered)
    # In a tag, not in text: a code block shows ``<a href="javascript:…">`` escaped, harmless.
    assert not re.search(r"""<[^>]+\s(href|src)\s*=\s*["']?\s*javascript:""", lowered)
    for source in re.findall(r"""<img[^>]*\ssrc\s*=\s*["']?([^"'\s>]*)""", html, re.I):
        assert is_local(source), html
