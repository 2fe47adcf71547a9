"""Moodle's GIFT and Aiken question formats: parse, import into a course's bank, export.

Import is two steps so nothing is half-saved: ``parse_gift``/``parse_aiken`` read the whole
file into ``ParsedQuestion`` objects and a list of errors (each with its line number), and only
a file without errors is written by ``questions_import``, in one transaction.

GIFT as Moodle reads it (question/format/gift): ``//`` comment lines, blank lines between
questions, ``$CATEGORY: a/b``, ``::title::``, ``[html]``-style format markers (dropped), an
answer block ``{...}`` anywhere in the text (text after it makes a missing-word question),
``=``/``~`` answers with ``%n%`` weights, ``#feedback`` per answer, ``####`` general feedback,
``{T}``/``{FALSE#wrong#right}``, ``{#value:tolerance}``, ``{#min..max}``, ``=a -> b`` pairs,
and the escapes ``\\: \\= \\~ \\# \\{ \\} \\\\``.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from . import text as text_formats
from .models import CHOICE_TYPES, Answer, MatchPair, Question, QuestionCategory, QuestionType

ESCAPABLE = "\\:=~#{}"
FRACTION_STEP = Decimal("0.0000001")
NUMBER_STEP = Decimal("0.000001")
MAX_NUMBER = Decimal("1e14")
# Escaped characters are swapped for private-use code points while parsing.
PLACEHOLDERS = {char: chr(0xE000 + index) for index, char in enumerate(ESCAPABLE)}
RESTORE = {value: key for key, value in PLACEHOLDERS.items()}


@dataclass
class ParsedAnswer:
    text: str = ""
    fraction: Decimal = Decimal("0")
    feedback: str = ""
    value: Decimal | None = None
    tolerance: Decimal = Decimal("0")
    # The GIFT format of ``text`` and ``feedback`` while parsing ([html], [markdown], ...).
    text_format: str = text_formats.PLAIN
    feedback_format: str = text_formats.PLAIN


@dataclass
class ParsedQuestion:
    line: int
    question_type: str
    name: str
    text: str
    answers: list[ParsedAnswer] = field(default_factory=list)
    pairs: list[tuple[str, str]] = field(default_factory=list)
    general_feedback: str = ""
    category: str = ""
    # After parsing: PLAIN or HTML for every text of the question (see ``_settle_formats``).
    text_format: str = text_formats.PLAIN
    general_feedback_format: str = text_formats.PLAIN
    pair_formats: list[str] = field(default_factory=list)

    @property
    def type_label(self):
        return QuestionType(self.question_type).label


@dataclass
class ParseResult:
    questions: list[ParsedQuestion] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors and bool(self.questions)


class GiftError(ValueError):
    def __init__(self, message, line=None):
        super().__init__(message)
        self.line = line


def _protect(text):
    return re.sub(r"\\([\\:=~#{}])", lambda match: PLACEHOLDERS[match.group(1)], text)


def _restore(text):
    text = text.replace("\\n", "\n")
    return "".join(RESTORE.get(char, char) for char in text).strip()


def _formatted(text, default):
    """``(text, format)`` of one GIFT text: a leading ``[html]``, ``[markdown]``, ``[moodle]`` or
    ``[plain]`` names its format, else it has ``default`` (as Moodle's parse_text_with_format)."""
    stripped = text.strip()
    marker = re.match(r"^\[(html|moodle|plain|markdown)\]", stripped)
    if marker:
        return _restore(stripped[marker.end() :]), marker.group(1)
    return _restore(stripped), default


def _blocks(text):
    """Questions separated by blank lines, comment lines dropped: (first line number, lines)."""
    block, start = [], None
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip().startswith("//"):
            continue
        if not line.strip():
            if block:
                yield start, block
            block, start = [], None
            continue
        if start is None:
            start = number
        block.append(line)
    if block:
        yield start, block


def _weight(text, line):
    match = re.match(r"^%(-?\d+(?:\.\d+)?)%(.*)$", text, re.DOTALL)
    if not match:
        return None, text
    weight = Decimal(match.group(1))
    if not -100 <= weight <= 100:
        raise GiftError(
            _("The weight %(weight)s%% is not between -100%% and 100%%.") % {"weight": weight}, line
        )
    # Moodle's own fractions have 7 decimals (33.33333% is 0.3333333); they are kept exactly.
    return (weight / 100).quantize(FRACTION_STEP), match.group(2)


def _split_feedback(text):
    text, _sep, feedback = text.partition("#")
    return text, feedback


def _decimal(text, line):
    """A number of a numerical answer, as the database can hold it exactly (``Answer.value``:
    up to 14 digits before the point and 6 after); anything else is an error, not a 500."""
    shown = _restore(text)
    try:
        value = Decimal(shown.replace(",", "."))
    except InvalidOperation:
        raise GiftError(_("“%(text)s” is not a number.") % {"text": shown}, line) from None
    if not value.is_finite():
        raise GiftError(_("“%(text)s” is not a number.") % {"text": shown}, line)
    if abs(value) >= MAX_NUMBER:
        raise GiftError(
            _("“%(text)s” is too large: numbers must be below 100,000,000,000,000.")
            % {"text": shown},
            line,
        )
    if value != value.quantize(NUMBER_STEP):
        raise GiftError(
            _("“%(text)s” has more than 6 decimal places.") % {"text": shown},
            line,
        )
    return value


def _parse_numerical(body, line, default):
    answers = []
    # As Moodle: whatever follows the first ~ is the feedback for any other answer ("~#...",
    # the form Moodle's own exporter writes), stored as a "*" answer worth nothing.
    body, tilde, other = body.partition("~")
    for part in re.split(r"(?==)", body):
        part = part.strip()
        if not part:
            continue
        if part[0] == "=":
            part = part[1:]
        weight, part = _weight(part.strip(), line)
        fraction = Decimal("1") if weight is None else weight
        part, feedback = _split_feedback(part)
        feedback, feedback_format = _formatted(feedback, default)
        part = part.strip()
        if ".." in part:
            low, high = (_decimal(value, line) for value in part.split("..", 1))
            if low > high:
                raise GiftError(_("The range %(range)s runs backwards.") % {"range": part}, line)
            value, tolerance = (low + high) / 2, (high - low) / 2
        elif ":" in part:
            value_text, tolerance_text = part.split(":", 1)
            value, tolerance = _decimal(value_text, line), abs(_decimal(tolerance_text, line))
        else:
            value, tolerance = _decimal(part, line), Decimal("0")
        answers.append(
            ParsedAnswer(
                fraction=fraction,
                feedback=feedback,
                feedback_format=feedback_format,
                value=value,
                tolerance=tolerance,
            )
        )
    if not answers:
        raise GiftError(_("A numerical question needs at least one number."), line)
    if tilde:
        _text, feedback = _split_feedback(other)
        feedback, feedback_format = _formatted(feedback, default)
        answers.append(
            ParsedAnswer(
                text="*", fraction=Decimal("0"), feedback=feedback, feedback_format=feedback_format
            )
        )
    return answers


def _split_answers(body):
    """``=a#fb ~b`` → [("=", "a#fb"), ("~", "b")]."""
    items = []
    for match in re.finditer(r"([=~])([^=~]*)", body):
        items.append((match.group(1), match.group(2)))
    return items


def _parse_answer_block(body, line, default):
    """Return (question_type, answers, pairs, pair formats, (general feedback, its format))."""
    body, _sep, general = body.rpartition("####") if "####" in body else (body, "", "")
    general = _formatted(general, default)
    stripped = body.strip()
    if not stripped:
        return QuestionType.ESSAY, [], [], [], general
    if stripped.startswith("#"):
        return (
            QuestionType.NUMERICAL,
            _parse_numerical(stripped[1:], line, default),
            [],
            [],
            general,
        )
    tf = re.match(r"^(T|F|TRUE|FALSE)\s*(?:#(.*?))?\s*(?:#(.*))?$", stripped, re.DOTALL)
    if tf:
        is_true = tf.group(1).startswith("T")
        wrong, wrong_format = _formatted(tf.group(2) or "", default)
        right, right_format = _formatted(tf.group(3) or "", default)
        answers = [
            ParsedAnswer(
                text="True",
                fraction=Decimal(int(is_true)),
                feedback=right if is_true else wrong,
                feedback_format=right_format if is_true else wrong_format,
            ),
            ParsedAnswer(
                text="False",
                fraction=Decimal(int(not is_true)),
                feedback=wrong if is_true else right,
                feedback_format=wrong_format if is_true else right_format,
            ),
        ]
        return QuestionType.TRUE_FALSE, answers, [], [], general
    items = _split_answers(stripped)
    if not items or stripped[0] not in "=~":
        raise GiftError(_("The answers must start with = (right) or ~ (wrong)."), line)
    if any("->" in text for _marker, text in items):
        pairs, formats = [], []
        for marker, text in items:
            if marker != "=" or "->" not in text:
                raise GiftError(
                    _("Every answer of a matching question must be written =item -> match."), line
                )
            prompt, match = text.split("->", 1)
            prompt, prompt_format = _formatted(prompt, default)
            pairs.append((prompt, _restore(match)))
            formats.append(prompt_format)
        if sum(1 for prompt, _match in pairs if prompt) < 2:
            raise GiftError(_("A matching question needs at least two pairs."), line)
        return QuestionType.MATCHING, [], pairs, formats, general
    has_right = any(marker == "=" for marker, _text in items)
    has_wrong = any(marker == "~" for marker, _text in items)
    answers = []
    for marker, text in items:
        weight, text = _weight(text.strip(), line)
        text, feedback = _split_feedback(text)
        text, text_format = _formatted(text, default)
        feedback, feedback_format = _formatted(feedback, default)
        fraction = weight if weight is not None else Decimal(int(marker == "="))
        answers.append(
            ParsedAnswer(
                text=text,
                fraction=fraction,
                feedback=feedback,
                text_format=text_format,
                feedback_format=feedback_format,
            )
        )
    if any(not answer.text for answer in answers):
        raise GiftError(_("An answer is empty."), line)
    if not has_wrong:
        # Short answers are compared as typed: their texts stay plain, whatever the marker.
        for answer in answers:
            answer.text_format = text_formats.PLAIN
        return QuestionType.SHORT_ANSWER, answers, [], [], general
    if len(answers) < 2:
        raise GiftError(_("A multiple-choice question needs at least two options."), line)
    if has_right:
        # As Moodle reads GIFT: any "=" makes it single-choice, even with two right answers
        # ({=first =second ~wrong}: either is full marks).
        return QuestionType.SINGLE, answers, [], [], general
    if not any(answer.fraction > 0 for answer in answers):
        raise GiftError(_("No answer is right: mark one with = or give weights like ~%50%."), line)
    return QuestionType.MULTIPLE, answers, [], [], general


def _parse_question(lines, line):
    text = _protect("\n".join(lines))
    name = ""
    title = re.match(r"^\s*::(.*?)::", text, re.DOTALL)
    if title:
        name = _restore(title.group(1))
        text = text[title.end() :]
    text = text.strip()
    start, end = text.find("{"), text.find("}")
    if start == -1 and end == -1:
        # No answer block: a description (text shown between questions, never graded).
        question_text, text_format = _formatted(text, text_formats.MOODLE)
        if not question_text:
            raise GiftError(_("The question has no text."), line)
        question = ParsedQuestion(line, QuestionType.DESCRIPTION, name, question_text)
        question.text_format = text_format
        return _settle_formats(question)
    if start == -1:
        raise GiftError(_("No answer block: the answers go between { and }."), line)
    end = text.find("}", start)
    if end == -1:
        raise GiftError(_("The answer block opened with { is never closed with }."), line)
    if "{" in text[start + 1 : end]:
        raise GiftError(_("A { inside the answers must be escaped as \\{."), line)
    before, body, after = text[:start], text[start + 1 : end], text[end + 1 :]
    if "{" in after or "}" in after:
        raise GiftError(
            _("Only one answer block per question; escape other braces as \\{ and \\}."), line
        )
    # As Moodle: text after the block makes a missing-word question, the blank standing exactly
    # where the block stood ("equals {=4}." reads "equals _____.").
    question_text = before + "_____" + after if after.strip() else before
    question_text, text_format = _formatted(question_text, text_formats.MOODLE)
    if not question_text:
        raise GiftError(_("The question has no text."), line)
    question_type, answers, pairs, pair_formats, general = _parse_answer_block(
        body, line, text_format
    )
    question = ParsedQuestion(line, question_type, name, question_text, answers, pairs)
    question.text_format = text_format
    question.general_feedback, question.general_feedback_format = general
    question.pair_formats = pair_formats
    return _settle_formats(question)


def _settle_formats(question):
    """Store a question's texts as plain text when every one of them reads the same as plain
    text (the usual GIFT file), else all as sanitised HTML: [markdown] rendered, [plain]
    escaped, [html] and [moodle] cleaned. Then check that nothing is longer than its field:
    an import never cuts a text short."""
    formatted = [
        (question.text, question.text_format, False),
        (question.general_feedback, question.general_feedback_format, False),
        *[
            (prompt, fmt, True)
            for (prompt, _match), fmt in zip(question.pairs, question.pair_formats, strict=True)
        ],
    ]
    for answer in question.answers:
        formatted.append((answer.feedback, answer.feedback_format, False))
        if question.question_type in CHOICE_TYPES:
            formatted.append((answer.text, answer.text_format, True))
    plain = all(
        fmt in (text_formats.PLAIN, text_formats.MOODLE) and text_formats.looks_plain(piece)
        for piece, fmt, _inline in formatted
    )
    question.name = (
        question.name
        or text_formats.to_plain(question.text, question.text_format)[:80].strip()
        or QuestionType(question.question_type).label
    )

    def convert(piece, fmt, inline=False):
        return piece if plain else text_formats.to_html(piece, fmt, inline=inline)

    question.text = convert(question.text, question.text_format)
    question.general_feedback = convert(question.general_feedback, question.general_feedback_format)
    question.pairs = [
        (convert(prompt, fmt, inline=True), match)
        for (prompt, match), fmt in zip(question.pairs, question.pair_formats, strict=True)
    ]
    for answer in question.answers:
        answer.feedback = convert(answer.feedback, answer.feedback_format)
        if question.question_type in CHOICE_TYPES:
            answer.text = convert(answer.text, answer.text_format, inline=True)
    question.text_format = question.general_feedback_format = (
        text_formats.PLAIN if plain else text_formats.HTML
    )
    question.pair_formats = []
    if question.question_type in CHOICE_TYPES and any(
        not answer.text.strip() for answer in question.answers
    ):
        # An option that was only markup the sanitiser removes (a stray "</x"), or an unescaped
        # "=" in a link, would be stored empty and exported as an option GIFT readers refuse.
        raise GiftError(_("An answer is empty."), question.line)
    _check_lengths(question)
    return question


def _check_lengths(question):
    limits = [(answer.text, 500) for answer in question.answers]
    limits += [(text, 500) for pair in question.pairs for text in pair]
    for text, limit in limits:
        if len(text) > limit:
            raise GiftError(
                _("An answer is longer than %(limit)s characters: “%(start)s…”.")
                % {"limit": limit, "start": text[:40]},
                question.line,
            )


def parse_gift(text):
    """Read a whole GIFT file. Errors are collected with their line numbers."""
    result = ParseResult()
    category = ""
    for line, lines in _blocks(text.lstrip("\ufeff")):
        if lines[0].strip().startswith("$CATEGORY:"):
            category = lines[0].strip()[len("$CATEGORY:") :].strip().strip("/")
            category = re.sub(r"^\$(course|system|module)\$/?", "", category)
            category = re.sub(r"^top/?", "", category)
            lines = lines[1:]
            line += 1
            if not lines:
                continue
        try:
            question = _parse_question(lines, line)
        except GiftError as error:
            result.errors.append((error.line or line, str(error)))
            continue
        question.category = category
        result.questions.append(question)
    if not result.questions and not result.errors:
        result.errors.append((1, _("The file holds no questions.")))
    return result


AIKEN_OPTION = re.compile(r"^([A-Z])[.)]\s+(.+)$")
AIKEN_ANSWER = re.compile(r"^ANSWER:\s*([A-Z])\s*$")


def parse_aiken(text):
    """Read a whole Aiken file: question line, ``A.``/``A)`` options, ``ANSWER: X``."""
    result = ParseResult()
    for line, lines in _blocks(text.lstrip("\ufeff")):
        question_lines, options, answer_letter, error = [], [], None, None
        for offset, raw in enumerate(lines):
            stripped = raw.strip()
            option = AIKEN_OPTION.match(stripped)
            answer = AIKEN_ANSWER.match(stripped)
            if answer:
                answer_letter = answer.group(1)
                if offset != len(lines) - 1:
                    error = (
                        line + offset + 1,
                        _("Nothing may follow the ANSWER: line before a blank line."),
                    )
                break
            if option and question_lines:
                options.append((option.group(1), option.group(2).strip()))
            elif options:
                error = (
                    line + offset,
                    _("Expected an option such as “B. text” or the ANSWER: line."),
                )
                break
            else:
                question_lines.append(stripped)
        if error is None:
            if answer_letter is None:
                error = (line + len(lines) - 1, _("The question has no “ANSWER: X” line."))
            elif len(options) < 2:
                error = (line, _("A question needs at least two options."))
            elif answer_letter not in {letter for letter, _text in options}:
                error = (
                    line + len(lines) - 1,
                    _("The answer %(letter)s is not one of the options.")
                    % {"letter": answer_letter},
                )
        if error:
            result.errors.append(error)
            continue
        question_text = " ".join(question_lines)
        result.questions.append(
            ParsedQuestion(
                line,
                QuestionType.SINGLE,
                question_text[:80],
                question_text,
                [
                    ParsedAnswer(text=text, fraction=Decimal(int(letter == answer_letter)))
                    for letter, text in options
                ],
            )
        )
    if not result.questions and not result.errors:
        result.errors.append((1, _("The file holds no questions.")))
    return result


PARSERS = {"gift": parse_gift, "aiken": parse_aiken}


def _category(course, path, cache, default):
    if not path:
        return default
    if path in cache:
        return cache[path]
    parent = default
    for name in [part.strip() for part in path.split("/") if part.strip()]:
        parent, _created = QuestionCategory.objects.get_or_create(
            course=course, parent=parent, name=name[:200]
        )
    cache[path] = parent
    return parent


@transaction.atomic
def questions_import(*, course, parsed, category=None):
    """Write parsed questions into ``course``'s bank, all or nothing. ``$CATEGORY`` paths are
    created under ``category`` (or at the top). Returns the new questions. Three bulk inserts
    (questions, answers, matching pairs) whatever the number of questions."""
    cache = {}
    questions = []
    for item in parsed:
        question = Question(
            course=course,
            category=_category(course, item.category, cache, category),
            question_type=item.question_type,
            name=item.name[:255],
            text=item.text,
            text_format=item.text_format,
            general_feedback=item.general_feedback,
        )
        if item.question_type == QuestionType.DESCRIPTION:
            question.default_mark = Decimal("0")  # shown between questions, never marked
        questions.append(question)
    created = Question.objects.bulk_create(questions, batch_size=500)
    Answer.objects.bulk_create(
        (
            Answer(
                question=question,
                text=answer.text,
                fraction=answer.fraction,
                feedback=answer.feedback,
                value=answer.value,
                tolerance=answer.tolerance,
                sort_order=order,
            )
            for question, item in zip(created, parsed, strict=True)
            for order, answer in enumerate(item.answers)
        ),
        batch_size=1000,
    )
    MatchPair.objects.bulk_create(
        (
            MatchPair(question=question, prompt=prompt, answer=match, sort_order=order)
            for question, item in zip(created, parsed, strict=True)
            for order, (prompt, match) in enumerate(item.pairs)
        ),
        batch_size=1000,
    )
    return created


# Export ----------------------------------------------------------------------------------------


def gift_escape(text):
    text = str(text)
    for char in "\\:=~#{}":
        text = text.replace(char, "\\" + char)
    return text.replace("\n", "\\n")


def _number(value):
    text = f"{Decimal(value).normalize():f}"
    return text


def _weight_text(fraction):
    percent = (Decimal(fraction) * 100).normalize()
    return f"%{percent:f}%"


def _feedback(text):
    return f"#{gift_escape(text)}" if text else ""


def question_to_gift(question):
    answers = list(question.answers.all())
    qtype = question.question_type
    if qtype == QuestionType.TRUE_FALSE:
        # "True" is the first option of a true/false question, as the importer creates it.
        is_true = not answers or answers[0].fraction > 0
        right_answer = next((a for a in answers if (a.fraction > 0)), None)
        wrong_answer = next((a for a in answers if a.fraction <= 0), None)
        block = "TRUE" if is_true else "FALSE"
        wrong_fb = wrong_answer.feedback if wrong_answer else ""
        right_fb = right_answer.feedback if right_answer else ""
        if wrong_fb or right_fb:
            block += f"#{gift_escape(wrong_fb)}#{gift_escape(right_fb)}"
    elif qtype == QuestionType.NUMERICAL:
        parts = []
        for answer in answers:
            if answer.value is None:
                if answer.text.strip() == "*":  # the feedback for any other answer
                    parts.append(f"~{_feedback(answer.feedback) or '#'}")
                continue
            weight = "" if answer.fraction == 1 else _weight_text(answer.fraction)
            parts.append(
                f"={weight}{_number(answer.value)}:{_number(answer.tolerance)}{_feedback(answer.feedback)}"
            )
        block = "#" + " ".join(parts)
    elif qtype in (QuestionType.ESSAY, QuestionType.DESCRIPTION):
        block = ""
    elif qtype == QuestionType.MATCHING:
        block = " ".join(
            f"={gift_escape(pair.prompt)} -> {gift_escape(pair.answer)}"
            for pair in question.pairs.all()
        )
    else:
        parts = []
        for answer in answers:
            if qtype == QuestionType.MULTIPLE:
                marker, weight = "~", _weight_text(answer.fraction)
            elif qtype == QuestionType.SHORT_ANSWER:
                marker, weight = "=", "" if answer.fraction == 1 else _weight_text(answer.fraction)
            elif answer.fraction == 1:
                marker, weight = "=", ""
            else:
                marker, weight = "~", "" if answer.fraction == 0 else _weight_text(answer.fraction)
            parts.append(f"{marker}{weight}{gift_escape(answer.text)}{_feedback(answer.feedback)}")
        block = " ".join(parts)
    if question.general_feedback:
        block += f" ####{gift_escape(question.general_feedback)}"
    text = gift_escape(question.text)
    if question.text_format == text_formats.HTML:
        text = "[html]" + text
    elif not all(text_formats.looks_plain(piece) for piece in _texts(question, answers)):
        text = "[plain]" + text  # so that "<" in a plain text is not read back as HTML
    if qtype == QuestionType.DESCRIPTION:
        return f"::{gift_escape(question.name)}::{text}"
    return f"::{gift_escape(question.name)}::{text} {{{block}}}"


def _texts(question, answers):
    yield question.text
    yield question.general_feedback
    for answer in answers:
        yield answer.feedback
        if question.question_type in CHOICE_TYPES:
            yield answer.text
    for pair in question.pairs.all():
        yield pair.prompt


def export_gift(questions):
    """GIFT text for ``questions`` (answers and pairs prefetched), grouped by category."""
    lines, current = [], None
    for question in sorted(questions, key=lambda q: (q.category.path if q.category else "", q.pk)):
        path = question.category.path if question.category else ""
        if path != current:
            lines.append(f"$CATEGORY: {path}\n" if path else "$CATEGORY: \n")
            current = path
        lines.append(question_to_gift(question) + "\n")
    return "\n".join(lines)


def aiken_problem(question, answers):
    """Why ``question`` cannot be written in Aiken, or "" when it can."""
    if question.question_type not in (QuestionType.SINGLE, QuestionType.TRUE_FALSE):
        return _("Aiken holds only multiple-choice questions with one right answer.")
    if len([answer for answer in answers if answer.fraction >= 1]) != 1:
        return _("Aiken needs exactly one right answer (this question has %(count)s).") % {
            "count": len([answer for answer in answers if answer.fraction >= 1])
        }
    if any(answer.fraction not in (0, 1) for answer in answers):
        return _("Aiken cannot keep partial marks of an option.")
    if len(answers) > 26:
        return _("Aiken allows at most 26 options.")
    return ""


def export_aiken(questions):
    """Aiken text for the single-answer choice questions (Aiken has no other kind); returns
    ``(text, skipped)`` where ``skipped`` is ``[(question, reason), ...]``: what it cannot
    write is reported, never dropped silently. Texts stored as HTML are written as plain
    text, and feedback, which Aiken cannot hold, is left out."""
    blocks, skipped = [], []
    for question in questions:
        answers = list(question.answers.all())
        problem = aiken_problem(question, answers)
        if problem:
            skipped.append((question, problem))
            continue
        letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        right = next(answer for answer in answers if answer.fraction >= 1)
        lines = [" ".join(text_formats.to_plain(question.text, question.text_format).split())]
        lines += [
            f"{letters[index]}. "
            + " ".join(text_formats.to_plain(answer.text, question.text_format).split())
            for index, answer in enumerate(answers)
        ]
        lines.append(f"ANSWER: {letters[answers.index(right)]}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + ("\n" if blocks else ""), skipped
