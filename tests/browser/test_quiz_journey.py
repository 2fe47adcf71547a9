"""Quiz journeys: a trainee fails a quiz, retakes it and passes; a trainee who finishes with
unanswered questions sees the summary before submitting; an editor imports a GIFT file into a
course's question bank in the Wagtail admin."""

import re

from playwright.sync_api import expect

from cms.accounts.two_factor import totp_activate, totp_secret
from courses.models import Enrolment
from courses.quizzes.models import Attempt, Question
from tests.browser.two_factor import enter_code
from tests.factories import PASSWORD, UserFactory
from tests.quizzes.factories import course_tree, one_of_each, quiz

GIFT = """$CATEGORY: Imported/Sorting
::Reuse::Which stream earns a sorting plant the most? {=Reuse ~Recycling ~Incineration}

::Fibre families::Match each fibre to its family. {=Cotton -> cellulose =Wool -> protein =PET -> synthetic}
"""


def sign_in(page, live_server, user, next_url):
    # No fade-in animations: axe must not scan a message half-way through its transition.
    page.emulate_media(reduced_motion="reduce")
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    secret = totp_secret(user)
    if secret:  # people who work in the admin sign in with a second factor
        enter_code(page, secret)


def answer(page, *, right):
    """Answer the six questions of ``one_of_each`` (options are shuffled: pick by label)."""
    page.locator("fieldset", has_text="Which fibre are most jeans").get_by_label(
        "Cotton" if right else "Wool"
    ).check()
    natural = page.locator("fieldset", has_text="Which of these are natural fibres?")
    for label in ("Wool", "Linen") if right else ("Polyamide", "Acrylic"):
        natural.get_by_label(label).check()
    page.locator("fieldset", has_text="Near-infrared").get_by_label(
        "True" if right else "False"
    ).check()
    page.get_by_label("Your answer", exact=True).fill("recycled fibres" if right else "landfill")
    page.get_by_label("Your answer (a number)").fill("12" if right else "40")
    matching = page.locator("fieldset", has_text="Match each fibre")
    families = {"Cotton": "Cellulosic natural", "Wool": "Protein natural", "Polyester": "Synthetic"}
    wrong = {"Cotton": "Synthetic", "Wool": "Cellulosic natural", "Polyester": "Protein natural"}
    for fibre, family in (families if right else wrong).items():
        matching.get_by_label(fibre, exact=True).select_option(family)


def finish(page):
    """Finish the attempt ("Finish attempt…"), then confirm on the summary page."""
    page.get_by_role("button", name="Finish attempt…").click()
    expect(page.get_by_role("heading", name=re.compile(r"Summary of attempt"))).to_be_visible()
    page.get_by_role("button", name="Submit all and finish").click()


def test_trainee_fails_then_retakes_and_passes(page, live_server, screenshot):
    course, module = course_tree()
    page_ = quiz(
        module,
        one_of_each(course),
        pass_mark=60,
        review_correct_answers=False,
        review_feedback=True,
    )
    trainee = UserFactory(roles=["Trainee"], display_name="Tomasz Trainee")
    Enrolment.objects.create(user=trainee, course=course)
    sign_in(page, live_server, trainee, page_.url)

    expect(page.get_by_role("heading", level=1)).to_have_text("Sorting quiz")
    page.get_by_role("button", name="Start the quiz").click()
    answer(page, right=False)
    # Auto-save: the answers reach the server before any submit.
    expect(page.locator(".quiz-save-status")).to_have_text("All answers saved.")
    attempt = Attempt.objects.get(user=trainee)
    for _ in range(50):  # the last change's save may still be on its way
        if attempt.slots.filter(response__isnull=False).count() == 6:
            break
        page.wait_for_timeout(100)
    assert attempt.slots.filter(response__isnull=False).count() == 6
    page.reload()  # a reload loses nothing
    expect(page.get_by_label("Your answer (a number)")).to_have_value("40")
    finish(page)

    expect(page.get_by_role("heading", name="Review of attempt 1")).to_be_visible()
    expect(page.locator(".quiz-attempt-grade")).to_contain_text("0 %")
    expect(page.locator(".quiz-grade")).to_contain_text("Not passed yet")
    expect(page.get_by_text("Denim is a cotton twill weave.")).to_be_visible()  # feedback allowed
    expect(page.get_by_text("The correct answer is:")).to_have_count(
        0
    )  # correct answers not allowed

    page.get_by_role("link", name="Back to the quiz").click()
    page.get_by_role("button", name="Re-attempt quiz").click()
    expect(page.get_by_text("Attempt 2")).to_be_visible()
    answer(page, right=True)
    screenshot(page, "quiz-attempt")
    finish(page)
    expect(page.locator(".quiz-attempt-grade")).to_contain_text("100 %")
    expect(page.locator(".quiz-grade")).to_contain_text("Passed")
    screenshot(page, "quiz-review")
    page.get_by_role("link", name="Back to the quiz").click()
    expect(page.get_by_text("Your grade for this quiz: 100 %")).to_be_visible()
    assert [a.percent for a in Attempt.objects.filter(user=trainee).order_by("number")] == [0, 100]


def test_trainee_with_unanswered_questions_sees_the_summary_first(page, live_server):
    course, module = course_tree()
    page_ = quiz(module, one_of_each(course), pass_mark=60, grading_method="highest")
    trainee = UserFactory(roles=["Trainee"], display_name="Ula Unfinished")
    Enrolment.objects.create(user=trainee, course=course)
    sign_in(page, live_server, trainee, page_.url)
    # The quiz page keeps the course around it and says how the grade is worked out.
    expect(page.get_by_role("navigation", name="Breadcrumb")).to_contain_text(course.title)
    expect(page.get_by_role("heading", name="Course outline")).to_be_visible()
    expect(page.get_by_text("your grade is the highest grade of your attempts")).to_be_visible()
    page.get_by_role("button", name="Start the quiz").click()
    page.locator("fieldset", has_text="Which fibre are most jeans").get_by_label("Cotton").check()
    page.locator("fieldset", has_text="Near-infrared").get_by_label(
        "Flag this question to come back to it"
    ).check()
    page.get_by_role("button", name="Finish attempt…").click()
    # The summary: nothing is submitted yet; five questions are not answered, one is flagged.
    expect(page.get_by_role("heading", name="Summary of attempt 1")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("5 questions are not answered yet.")
    expect(page.locator(".quiz-summary-missing")).to_have_count(5)
    expect(page.get_by_role("cell", name="Flagged", exact=True)).to_have_count(1)
    assert Attempt.objects.get(user=trainee).state == "in_progress"
    # Back to the attempt: the answer and the flag were kept.
    page.get_by_role("link", name="Return to attempt").click()
    expect(
        page.locator("fieldset", has_text="Which fibre are most jeans").get_by_label("Cotton")
    ).to_be_checked()
    page.get_by_role("button", name="Finish attempt…").click()
    page.get_by_role("button", name="Submit all and finish").click()
    expect(page.get_by_role("heading", name="Review of attempt 1")).to_be_visible()
    expect(page.locator(".quiz-outcome", has_text="Not answered")).to_have_count(5)
    assert Attempt.objects.get(user=trainee).state == "finished"


def test_editor_imports_a_gift_file_into_a_course_bank(page, live_server, tmp_path):
    course, _module = course_tree()
    editor = UserFactory(is_staff=True, is_superuser=True, roles=["Administrator"])
    totp_activate(user=editor)
    sign_in(page, live_server, editor, "/admin/")
    expect(page.get_by_role("link", name="Dashboard")).to_be_visible()
    page.wait_for_timeout(500)  # let Wagtail's "signed in" message settle before axe scans it
    page.goto(live_server.url + "/admin/quizzes/")
    page.get_by_role("link", name="Import GIFT or Aiken").click()
    gift_file = tmp_path / "sorting.gift"
    gift_file.write_text(GIFT, encoding="utf-8")
    page.get_by_label("Format").select_option("gift")
    page.get_by_label("File").set_input_files(str(gift_file))
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", name="Preview: 2 questions")).to_be_visible()
    assert Question.objects.count() == 0
    page.get_by_role("button", name="Confirm import").click()
    expect(page.get_by_text(re.compile(r"2 questions imported"))).to_be_visible()
    page.wait_for_timeout(500)  # let Wagtail's message settle before the final accessibility scan
    assert set(Question.objects.filter(course=course).values_list("name", flat=True)) == {
        "Reuse",
        "Fibre families",
    }
