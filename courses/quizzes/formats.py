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

from .models import Answer, MatchPair, Question, QuestionCategory, QuestionType

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


def _parse_numerical(body, line):
    answers = []
    parts = re.split(r"(?=[=~])", body) if "=" in body else [body]
    for part in parts:
        part = part.strip()
        if not part:
            continue
        fraction = Decimal("1")
        if part[0] in "=~":
            fraction = Decimal("1") if part[0] == "=" else Decimal("0")
            part = part[1:]
        weight, part = _weight(part.strip(), line)
        if weight is not None:
            fraction = weight
        part, feedback = _split_feedback(part)
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
                fraction=fraction, feedback=_restore(feedback), value=value, tolerance=tolerance
            )
        )
    if not answers:
        raise GiftError(_("A numerical question needs at least one number."), line)
    return answers


def _split_answers(body):
    """``=a#fb ~b`` → [("=", "a#fb"), ("~", "b")]."""
    items = []
    for match in re.finditer(r"([=~])([^=~]*)", body):
        items.append((match.group(1), match.group(2)))
    return items


def _parse_answer_block(body, line):
    """Return (question_type, answers, pairs, general_feedback)."""
    body, _sep, general = body.partition("####")
    general = _restore(general)
    stripped = body.strip()
    if not stripped:
        raise GiftError(_("Essay and description questions ({}) cannot be imported."), line)
    if stripped.startswith("#"):
        return QuestionType.NUMERICAL, _parse_numerical(stripped[1:], line), [], general
    tf = re.match(r"^(T|F|TRUE|FALSE)\s*(?:#(.*?))?\s*(?:#(.*))?$", stripped, re.DOTALL)
    if tf:
        is_true = tf.group(1).startswith("T")
        wrong_feedback, right_feedback = _restore(tf.group(2) or ""), _restore(tf.group(3) or "")
        answers = [
            ParsedAnswer(
                text="True",
                fraction=Decimal(int(is_true)),
                feedback=right_feedback if is_true else wrong_feedback,
            ),
            ParsedAnswer(
                text="False",
                fraction=Decimal(int(not is_true)),
                feedback=wrong_feedback if is_true else right_feedback,
            ),
        ]
        return QuestionType.TRUE_FALSE, answers, [], general
    items = _split_answers(stripped)
    if not items or stripped[0] not in "=~":
        raise GiftError(_("The answers must start with = (right) or ~ (wrong)."), line)
    if any("->" in text for _marker, text in items):
        pairs = []
        for marker, text in items:
            if marker != "=" or "->" not in text:
                raise GiftError(
                    _("Every answer of a matching question must be written =item -> match."), line
                )
            prompt, match = text.split("->", 1)
            pairs.append((_restore(prompt), _restore(match)))
        if sum(1 for prompt, _match in pairs if prompt) < 2:
            raise GiftError(_("A matching question needs at least two pairs."), line)
        return QuestionType.MATCHING, [], pairs, general
    has_right = any(marker == "=" for marker, _text in items)
    has_wrong = any(marker == "~" for marker, _text in items)
    answers = []
    for marker, text in items:
        weight, text = _weight(text.strip(), line)
        text, feedback = _split_feedback(text)
        fraction = weight if weight is not None else Decimal(int(marker == "="))
        answers.append(
            ParsedAnswer(text=_restore(text), fraction=fraction, feedback=_restore(feedback))
        )
    if any(not answer.text for answer in answers):
        raise GiftError(_("An answer is empty."), line)
    if not has_wrong:
        return QuestionType.SHORT_ANSWER, answers, [], general
    if len(answers) < 2:
        raise GiftError(_("A multiple-choice question needs at least two options."), line)
    if has_right:
        # As Moodle reads GIFT: any "=" makes it single-choice, even with two right answers
        # ({=first =second ~wrong}: either is full marks).
        return QuestionType.SINGLE, answers, [], general
    if not any(answer.fraction > 0 for answer in answers):
        raise GiftError(_("No answer is right: mark one with = or give weights like ~%50%."), line)
    return QuestionType.MULTIPLE, answers, [], general


def _parse_question(lines, line):
    text = _protect("\n".join(lines))
    name = ""
    title = re.match(r"^\s*::(.*?)::", text, re.DOTALL)
    if title:
        name = _restore(title.group(1))
        text = text[title.end() :]
    text = re.sub(r"^\s*\[(html|moodle|plain|markdown)\]", "", text)
    start = text.find("{")
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
    question_type, answers, pairs, general = _parse_answer_block(body, line)
    if after.strip():
        question_text = f"{_restore(before)} _____ {_restore(after)}"
    else:
        question_text = _restore(before)
    if not question_text:
        raise GiftError(_("The question has no text."), line)
    name = name or question_text[:80]
    return ParsedQuestion(line, question_type, name, question_text, answers, pairs, general)


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
    created under ``category`` (or at the top). Returns the new questions."""
    cache, created = {}, []
    for item in parsed:
        question = Question(
            course=course,
            category=_category(course, item.category, cache, category),
            question_type=item.question_type,
            name=item.name[:255],
            text=item.text,
            general_feedback=item.general_feedback,
        )
        question.save()
        Answer.objects.bulk_create(
            Answer(
                question=question,
                text=answer.text[:500],
                fraction=answer.fraction,
                feedback=answer.feedback,
                value=answer.value,
                tolerance=answer.tolerance,
                sort_order=order,
            )
            for order, answer in enumerate(item.answers)
        )
        MatchPair.objects.bulk_create(
            MatchPair(question=question, prompt=prompt[:500], answer=match[:500], sort_order=order)
            for order, (prompt, match) in enumerate(item.pairs)
        )
        created.append(question)
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
                continue
            weight = "" if answer.fraction == 1 else _weight_text(answer.fraction)
            parts.append(
                f"={weight}{_number(answer.value)}:{_number(answer.tolerance)}{_feedback(answer.feedback)}"
            )
        block = "#" + " ".join(parts)
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
    return f"::{gift_escape(question.name)}::{gift_escape(question.text)} {{{block}}}"


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


def export_aiken(questions):
    """Aiken text for the single-answer choice questions (Aiken has no other kind); returns
    ``(text, skipped_questions)``."""
    blocks, skipped = [], []
    for question in questions:
        answers = list(question.answers.all())
        right = [answer for answer in answers if answer.fraction >= 1]
        if (
            question.question_type not in (QuestionType.SINGLE, QuestionType.TRUE_FALSE)
            or len(right) != 1
            or len(answers) > 26
        ):
            skipped.append(question)
            continue
        letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        lines = [" ".join(question.text.split())]
        lines += [
            f"{letters[index]}. {' '.join(answer.text.split())}"
            for index, answer in enumerate(answers)
        ]
        lines.append(f"ANSWER: {letters[answers.index(right[0])]}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + ("\n" if blocks else ""), skipped
