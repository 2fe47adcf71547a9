"""GIFT as Moodle writes it: essays, descriptions, numerical feedback for any other answer, the
[html]/[markdown]/[moodle]/[plain] markers, missing words that keep their punctuation, and
exports that say what they cannot write.

The fixture below has the features of Moodle's own question/format/gift/tests/fixtures/
questions.gift.txt (written anew, about textiles)."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from courses.quizzes import services
from courses.quizzes.formats import export_gift, parse_gift, questions_import
from courses.quizzes.grading import grade
from courses.quizzes.models import Question, QuestionType
from tests.quizzes.factories import question, quiz

pytestmark = pytest.mark.django_db

MOODLE_LIKE = """// essay
::Sorting plan:: Describe how your plant would sort a tonne of mixed clothing. {}

// question: 2  name: Fibre families
::Fibre families::[html]Match the <b>fibre</b> to its family.{
    =[html]A <i>cellulosic</i> fibre from seed hairs. -> Cotton
    =[moodle]A protein fibre
from sheep. -> Wool
    =[plain]A <synthetic> polyester. -> PET
    =[markdown]A **regenerated** cellulose fibre. -> Viscose
    = -> Nylon
}

// multiple choice with specified feedback for right and wrong answers
::Reuse stream:: Which stream earns a sorting plant the most?
{
    =Reuse # right; well done!
    ~Recycling # [html]no, <em>reuse</em> earns more
    ~[plain]Landfill <never> # no, landfill costs money
}

// multiple choice, multiple response
::Natural fibres:: Which of these are natural fibres?
{
    ~%50%Wool # right
    ~%-100%Acrylic # [html]<strong>no</strong>
    ~%50%Linen # right
    ~%-100%[plain]Polyester <PET> # no
}

// numerical with feedback for any other answer, and text after the block
::Bale weight:: How many hundred kg does a standard bale weigh? {#3:2~#Completely wrong}";

// short answer with a wildcard answer worth nothing
::Best fibre::Which fibre recycles best?{
    =Cotton#Good!
    =%50%Wool#Wool is fine too.
    =%0%*#Completely wrong
}

// true/false, with general feedback
::Collection:: Separate collection of textiles is mandatory in the EU from 2025.{
TRUE#It is: the Waste Framework Directive says so.#You gave the right answer.
####This comes from the 2018 amendment.}

// same name twice
::TSL::TSL is a sorting term.{T}

::TSL::TSL is a sorting term.{TRUE}

// a description: no answer block
::Before you start::[markdown]Read the **sorting guide** first.

::Missing word::Two plus two equals {=4 =four}.
"""


@pytest.fixture
def parsed():
    result = parse_gift(MOODLE_LIKE)
    assert result.errors == []
    return {q.name: q for q in result.questions} | {"_all": result.questions}


def test_the_moodle_like_file_is_read_whole(parsed):
    assert [q.question_type for q in parsed["_all"]] == [
        QuestionType.ESSAY,
        QuestionType.MATCHING,
        QuestionType.SINGLE,
        QuestionType.MULTIPLE,
        QuestionType.NUMERICAL,
        QuestionType.SHORT_ANSWER,
        QuestionType.TRUE_FALSE,
        QuestionType.TRUE_FALSE,
        QuestionType.TRUE_FALSE,
        QuestionType.DESCRIPTION,
        QuestionType.SHORT_ANSWER,
    ]


def test_markers_are_honoured_and_nothing_raw_is_left(parsed):
    families = parsed["Fibre families"]
    assert families.text_format == "html"
    assert families.text == "Match the <b>fibre</b> to its family."
    prompts = [prompt for prompt, _match in families.pairs]
    assert prompts == [
        "A <i>cellulosic</i> fibre from seed hairs.",
        "A protein fibre<br>\nfrom sheep.",  # [moodle]: line breaks kept
        "A &lt;synthetic&gt; polyester.",  # [plain]: shown as written
        "A <strong>regenerated</strong> cellulose fibre.",  # [markdown]: rendered
        "",
    ]
    assert [match for _prompt, match in families.pairs][-1] == "Nylon"
    reuse = parsed["Reuse stream"]
    assert reuse.text_format == "html"
    assert [(a.text, a.feedback) for a in reuse.answers] == [
        ("Reuse", "right; well done!"),
        ("Recycling", "no, <em>reuse</em> earns more"),
        ("Landfill &lt;never&gt;", "no, landfill costs money"),
    ]
    natural = parsed["Natural fibres"]
    assert natural.answers[3].text == "Polyester &lt;PET&gt;"
    assert natural.answers[1].feedback == "<strong>no</strong>"
    description = parsed["Before you start"]
    assert description.text == "<p>Read the <strong>sorting guide</strong> first.</p>"
    for q in parsed["_all"]:
        for text in [q.text, q.general_feedback, *[a.text for a in q.answers]]:
            assert "[html]" not in text and "[markdown]" not in text and "**" not in text


def test_unmarked_plain_questions_stay_plain_text(parsed):
    collection = parsed["Collection"]
    assert collection.text_format == "plain"
    assert collection.general_feedback == "This comes from the 2018 amendment."


def test_html_is_sanitised():
    result = parse_gift(
        '::XSS::[html]Pick <script>alert(1)</script><b onclick="x()">one</b>. '
        '{=<a href\\="javascript:alert(1)">yes</a> ~no}'
    )
    assert result.ok
    q = result.questions[0]
    assert "<script" not in q.text and "onclick" not in q.text and "<b>one</b>" in q.text
    assert "javascript:" not in q.answers[0].text


def test_missing_word_keeps_the_punctuation(parsed):
    assert parsed["Missing word"].text == "Two plus two equals _____."
    # As Moodle: text after the block, even a stray '";', makes the blank.
    assert parsed["Bale weight"].text == 'How many hundred kg does a standard bale weigh? _____";'


def test_numerical_feedback_for_any_other_answer(parsed, course_module):
    bale = parsed["Bale weight"]
    assert [(a.value, a.tolerance, a.fraction, a.text) for a in bale.answers] == [
        (3, 2, 1, ""),
        (None, 0, 0, "*"),
    ]
    assert bale.answers[1].feedback == "Completely wrong"
    course, _module = course_module
    (saved,) = questions_import(course=course, parsed=[bale])
    saved = Question.objects.for_grading().get(pk=saved.pk)
    wrong = grade(saved, [], {"number": "9", "unit": ""})
    assert wrong.fraction == 0 and wrong.feedback == ["Completely wrong"]
    right = grade(saved, [], {"number": "4", "unit": ""})
    assert right.fraction == 1 and right.feedback == []
    # Exported the way Moodle writes it, and read back the same.
    exported = export_gift([saved])
    assert "~#Completely wrong" in exported
    again = parse_gift(exported).questions[0]
    assert [(a.value, a.text, a.feedback) for a in again.answers] == [
        (3, "", ""),
        (None, "*", "Completely wrong"),
    ]


def test_short_answer_wildcard_gives_wrong_answers_their_feedback(parsed):
    best = parsed["Best fibre"]
    assert [(a.text, a.fraction) for a in best.answers][-1] == ("*", 0)


def test_whole_file_imports_and_round_trips(parsed, course_module):
    course, _module = course_module
    created = questions_import(course=course, parsed=parsed["_all"])
    assert len(created) == 11
    description = Question.objects.get(name="Before you start")
    assert description.default_mark == 0 and description.text_format == "html"
    exported = export_gift(Question.objects.for_grading().select_related("category").order_by("pk"))
    again = parse_gift(exported)
    assert again.errors == []
    assert [(q.name, q.question_type, q.text) for q in again.questions] == [
        (q.name, q.question_type, q.text) for q in parsed["_all"]
    ]


def test_attempt_and_review_show_formatted_texts_never_raw(client, course_module, trainee):
    course, module = course_module
    questions_import(course=course, parsed=parse_gift(MOODLE_LIKE).questions)
    wanted = ["Before you start", "Fibre families", "Reuse stream", "Missing word"]
    by_name = {q.name: q for q in Question.objects.filter(name__in=wanted)}
    page = quiz(
        module,
        [by_name[name] for name in wanted],
        review_correct_answers=True,
        shuffle_options=False,
    )
    client.force_login(trainee)
    client.post(page.url + "start/")
    html = client.get(page.url + "attempt/1/").content.decode()
    assert "Match the <b>fibre</b> to its family." in html
    assert "A <strong>regenerated</strong> cellulose fibre." in html
    assert "A &lt;synthetic&gt; polyester." in html
    assert "Read the <strong>sorting guide</strong> first." in html
    assert "Two plus two equals _____." in html
    for raw in ("[html]", "[markdown]", "[plain]", "[moodle]", "**", "&lt;b&gt;"):
        assert raw not in html
    # The description asks nothing: the attempt's mark is that of the three questions.
    attempt = trainee.quiz_attempts.get()
    assert attempt.max_score == 3
    response = client.post(page.url + "attempt/1/", {"action": "submit"})
    assert response.status_code == 302
    review = client.get(page.url + "attempt/1/review/").content.decode()
    assert "no, <em>reuse</em> earns more" not in review  # not chosen: no feedback
    assert "The correct answer is: Reuse" in review
    assert "Not answered" in review and "[html]" not in review


def test_preview_names_the_types(client, admin_user, course_module):
    client.force_login(admin_user)
    course = course_module[0]
    upload = SimpleUploadedFile("bank.gift", MOODLE_LIKE.encode(), "text/plain")
    response = client.post(
        f"/admin/quizzes/bank/{course.pk}/import/", {"file_format": "gift", "file": upload}
    )
    html = response.content.decode()
    assert "Preview: 11 questions" in html
    for label in ("Essay (graded by a teacher)", "Matching", "Single choice", "Numerical"):
        assert f"<td>{label}</td>" in html
    for code in ("essay", "matching", "single", "numerical", "truefalse"):
        assert f"<td>{code}</td>" not in html
    assert Question.objects.count() == 0


def test_aiken_export_reports_what_it_cannot_write(client, admin_user, course_module):
    course = course_module[0]
    question(course, QuestionType.SINGLE, name="One right", answers=[("Reuse", 1), ("Burn", 0)])
    question(
        course,
        QuestionType.SINGLE,
        name="Two right",
        answers=[("Wool", 1), ("Linen", 1), ("PET", 0)],
    )
    question(course, QuestionType.SHORT_ANSWER, name="Typed", answers=[("fibre", 1)])
    client.force_login(admin_user)
    url = f"/admin/quizzes/bank/{course.pk}/export/aiken/"
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200 and "attachment" not in response.get(
        "Content-Disposition", ""
    )
    assert "2 questions cannot be written in Aiken" in html
    assert "Two right" in html and "Typed" in html and "exactly one right answer" in html
    download = client.get(url + "?download=1")
    assert "attachment" in download["Content-Disposition"]
    text = download.content.decode()
    assert "Reuse" in text and "Wool" not in text and "fibre" not in text


def test_two_right_answers_import_as_single_choice_worth_full_marks(course_module, trainee):
    course, module = course_module
    (q,) = questions_import(
        course=course, parsed=parse_gift("::Two::Natural? {=Wool =Linen ~PET}").questions
    )
    assert q.question_type == QuestionType.SINGLE
    page = quiz(module, [q])
    attempt = services.attempt_start(user=trainee, quiz=page)
    linen = q.answers.get(text="Linen").pk
    key = next(key for key, pk in attempt.slots.get().options() if pk == linen)
    from django.http import QueryDict

    attempt, _ = services.attempt_submit(attempt=attempt, data=QueryDict(f"q1={key}"))
    assert attempt.percent == Decimal(100)


@pytest.mark.parametrize(
    "text",
    [
        "Pick {=[html]right ~[html]</b>}",
        # Found by the parser fuzz: a stray end tag the sanitiser removes whole.
        "Pick {=right ~%50%</¾E\x13K v(Ĉ&½ ~wrong}",
        # An unescaped "=" in a link splits the option: its first half is empty.
        'Pick {=<a href="https://example.org">yes</a> ~no}',
    ],
)
def test_an_option_left_empty_is_refused_not_stored(text):
    result = parse_gift(text)
    assert result.questions == []
    assert result.errors == [(1, "An answer is empty.")]
