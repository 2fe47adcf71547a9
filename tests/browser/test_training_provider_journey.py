"""A training provider builds a course in the Wagtail admin: the course page, a module, a SCORM
lesson playing a package they upload, a question bank imported from a GIFT file and a quiz drawing
from it, each submitted for moderation; a moderator approves them from the dashboard's "Awaiting
your review" list; a trainee enrols, plays the SCORM module, passes the quiz, downloads the PDF
certificate and the Open Badge (JSON and PNG) and verifies both on the public page. axe scans
every page."""

import base64
import json
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from cms.services import regional_editing_setup
from courses.models import CoursePage, LessonPage, ModulePage
from courses.providers import provider_add_member
from courses.quizzes.models import Question, QuizPage
from courses.scorm.models import ScormAttempt, ScormPackage
from tests.browser.test_cms_journey import sign_in, wait_for
from tests.courses import scorm_packages
from tests.courses.factories import catalogue_page
from tests.factories import PASSWORD, OrganisationFactory, RegionFactory, UserFactory

GIFT = """$CATEGORY: Grading/Check
::Reuse grade::Where does a clean wool coat with a missing button go? {=Reuse ~Recycling ~Incineration}

::Infrared::Near-infrared light identifies the fibre of a garment. {T}

::PET fibre::Which textile fibre is made from PET? {=Polyester ~Cotton ~Wool}
"""


@pytest.fixture
def patient_page(page):
    """The admin's editing pages are the heaviest of any journey: on a loaded machine they take
    more than the usual 10 s to load and more than 5 s to settle."""
    page.set_default_timeout(45_000)
    expect.set_options(timeout=30_000)
    yield page
    expect.set_options(timeout=5_000)


def add_child_page(page, live_server, parent_pk, page_type=None):
    """Open the explorer of the parent page and its "Add child page" form (choosing the type
    when the parent allows more than one)."""
    page.goto(f"{live_server.url}/admin/pages/{parent_pk}/")
    page.get_by_role("link", name="Add child page").first.click()
    if page_type:
        page.get_by_role("link", name=page_type, exact=True).click()


def fill_title(page, title):
    page.locator("#id_title").fill(title)
    page.locator("#id_title").blur()  # Wagtail fills the slug from the title on blur


def submit_for_moderation(page):
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Submit to Moderators approval").click()
    expect(page.locator(".messages")).to_contain_text("submitted for moderation")


def test_provider_builds_a_scorm_course_moderator_publishes_trainee_earns_the_badge(
    patient_page, live_server, tmp_path
):
    page = patient_page
    region = RegionFactory(name="Łódzkie", slug="lodzkie", nuts_code="PL71")
    cluster = OrganisationFactory(name="Łódź Textile Cluster", region=region)
    catalogue = catalogue_page()
    regional_editing_setup()  # the moderation workflow
    provider = UserFactory(display_name="Piotr Provider")
    provider_add_member(user=provider, organisation=cluster)
    moderator = UserFactory(display_name="Marco Moderator", roles=["Moderator"])
    trainee = UserFactory(display_name="Zofia Nowak", roles=["Trainee"])
    page.emulate_media(reduced_motion="reduce")  # axe must not scan a message mid-fade
    sign_in(page, live_server, provider)

    # 1. The course page, saved as a draft: the provider offers only their own organisation.
    add_child_page(page, live_server, catalogue.pk, "Course")
    fill_title(page, "Grading garments for reuse")
    page.get_by_role("textbox", name="Summary*").fill(
        "Grade collected garments for reuse and recycling, with an interactive check."
    )
    provider_field = page.get_by_role("combobox", name="Provider organisation*")
    expect(provider_field.locator("option")).to_have_text(["---------", "Łódź Textile Cluster"])
    provider_field.select_option(label="Łódź Textile Cluster")
    page.get_by_role("spinbutton", name="Estimated hours*").fill("2")
    expect(page.get_by_role("button", name="Publish", exact=True)).to_have_count(0)
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".messages")).to_contain_text("Page 'Grading garments for reuse' created")
    course = CoursePage.objects.get(title="Grading garments for reuse")
    assert course.provider == cluster and not course.live

    # 2. A module below it (the only page type a course takes: no type to choose).
    add_child_page(page, live_server, course.pk)
    fill_title(page, "Grading")
    submit_for_moderation(page)
    module = ModulePage.objects.get(title="Grading")

    # 3. The SCORM package, uploaded as a snippet of the organisation ...
    package_zip = tmp_path / "grading-check.zip"
    package_zip.write_bytes(scorm_packages.scorm12(title="Grading check"))
    page.goto(live_server.url + "/admin/")
    page.get_by_role("link", name="SCORM packages").click()
    page.get_by_role("link", name="Add SCORM package").click()
    page.locator("#id_package_file").set_input_files(str(package_zip))
    page.get_by_role("combobox", name="Organisation").select_option(label="Łódź Textile Cluster")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("'Grading check (SCORM 1.2)' created")
    package = ScormPackage.objects.get(title="Grading check")
    assert package.version == "1.2" and package.organisation == cluster

    # ... and the lesson that plays it.
    add_child_page(page, live_server, module.pk, "Lesson")
    fill_title(page, "Interactive grading check")
    page.get_by_role("combobox", name="SCORM package").select_option(
        label="Grading check (SCORM 1.2)"
    )
    submit_for_moderation(page)
    lesson = LessonPage.objects.get(title="Interactive grading check")
    assert lesson.scorm_package == package and lesson.workflow_in_progress and not lesson.live

    # 4. The question bank, imported from a GIFT file: a preview first, nothing saved until the
    # provider confirms.
    gift_file = tmp_path / "grading.gift.txt"
    gift_file.write_text(GIFT, encoding="utf-8")
    page.goto(live_server.url + "/admin/")
    page.get_by_role("link", name="Quiz import & reports").click()
    expect(page.get_by_role("heading", name="Grading garments for reuse")).to_be_visible()
    page.get_by_role("link", name="Import GIFT or Aiken").click()
    page.get_by_label("Format").select_option("gift")
    page.get_by_label("File").set_input_files(str(gift_file))
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", name="Preview: 3 questions")).to_be_visible()
    expect(page.get_by_role("cell", name="True/false")).to_be_visible()
    assert not Question.objects.exists()
    page.get_by_role("button", name="Confirm import").click()
    expect(page.get_by_text(re.compile(r"3 questions imported"))).to_be_visible()
    assert Question.objects.filter(course=course).count() == 3

    # 5. The quiz: each question picked from the bank in Wagtail's chooser.
    add_child_page(page, live_server, module.pk, "Quiz")
    fill_title(page, "Grading check quiz")
    for number, name in enumerate(["Reuse grade", "Infrared", "PET fibre"]):
        page.get_by_role("button", name="Add Question or random draw").click()
        slot = page.locator(f"#inline_child_slots-{number}")
        slot.get_by_role("button", name="Choose question", exact=True).click()
        page.locator(".modal-dialog").get_by_role("link", name=name).click()
        expect(slot).to_contain_text(name)
    submit_for_moderation(page)
    grading_quiz = QuizPage.objects.get(title="Grading check quiz")
    assert [slot.question.name for slot in grading_quiz.slots.all()] == [
        "Reuse grade",
        "Infrared",
        "PET fibre",
    ]

    # 6. The course, complete, goes to the moderators too; publishing is not the provider's.
    page.goto(f"{live_server.url}/admin/pages/{course.pk}/edit/")
    submit_for_moderation(page)
    assert not CoursePage.objects.filter(live=True).exists()

    # 7. The moderator approves the four pages from the dashboard's review list.
    sign_in(page, live_server, moderator)
    page.goto(live_server.url + "/admin/")
    expect(page.get_by_role("heading", name="Awaiting your review")).to_be_visible()
    for title in [
        "Grading garments for reuse",
        "Grading",
        "Interactive grading check",
        "Grading check quiz",
    ]:
        row = page.get_by_role("row").filter(has=page.get_by_text(title, exact=True))
        row.get_by_role("button", name="Actions").click()
        row.get_by_role("button", name="Approve", exact=True).click()
        expect(row).to_have_count(0)
    for model, pk in [
        (CoursePage, course.pk),
        (ModulePage, module.pk),
        (LessonPage, lesson.pk),
        (QuizPage, grading_quiz.pk),
    ]:
        assert wait_for(lambda: model.objects.get(pk=pk).live, page), model  # noqa: B023

    # 8. The trainee enrols, plays the module and passes the quiz.
    page.context.clear_cookies()
    page.goto(live_server.url + "/accounts/login/?next=/courses/")
    page.get_by_label("Email").fill(trainee.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("link", name="Grading garments for reuse").click()
    page.get_by_role("button", name="Enrol in this course").click()
    # Enrolling opens the first lesson.
    expect(page.get_by_role("heading", level=1)).to_have_text("Interactive grading check")
    frame = page.frame_locator("iframe[title^='Interactive module']")
    expect(frame.get_by_text("Learner: Zofia Nowak (ab-initio)")).to_be_visible()
    frame.get_by_role("button", name="Finish the module").click()
    # The player reloads the lesson once the final commit is stored: wait for that page.
    expect(page.locator(".lesson-actions").get_by_text("Completed", exact=True)).to_be_visible()
    attempt = ScormAttempt.objects.get(user=trainee, lesson=lesson)
    assert attempt.satisfied_at and attempt.score_percent == 85
    assert attempt.location == "page-2" and attempt.suspend_data == "answered=3"

    page.get_by_role("link", name="Grading check quiz").first.click()
    page.get_by_role("button", name="Start the quiz").click()
    page.locator("fieldset", has_text="clean wool coat").get_by_label("Reuse").check()
    page.locator("fieldset", has_text="Near-infrared").get_by_label("True").check()
    page.locator("fieldset", has_text="made from PET").get_by_label("Polyester").check()
    page.get_by_role("button", name="Finish attempt…").click()
    page.get_by_role("button", name="Submit all and finish").click()
    expect(page.locator(".quiz-attempt-grade")).to_contain_text("100 %")
    expect(page.locator(".quiz-grade")).to_contain_text("Passed")

    # 9. The certificate and the badge, downloaded from My learning.
    page.goto(live_server.url + "/learning/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the certificate (PDF)").click()
    assert download_info.value.path().read_bytes().startswith(b"%PDF")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Badge credential (JSON)").click()
    credential_file = tmp_path / "badge.json"
    download_info.value.save_as(credential_file)
    envelope = json.loads(credential_file.read_text())
    assert envelope["type"] == "EnvelopedVerifiableCredential"
    payload = envelope["id"].removeprefix("data:application/vc+jwt,").split(".")[1]
    credential = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert "OpenBadgeCredential" in credential["type"]
    assert credential["credentialSubject"]["achievement"]["name"] == "Grading garments for reuse"
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the badge (Open Badge PNG)").click()
    badge = tmp_path / "badge.png"
    download_info.value.save_as(badge)
    assert badge.read_bytes().startswith(b"\x89PNG")

    # 10. Anyone verifies them on the public page: the JSON pasted, the PNG uploaded.
    for field, value in [("Credential", credential_file.read_text()), ("or upload", badge)]:
        page.goto(live_server.url + reverse("courses:credential_verify"))
        if field == "Credential":
            page.get_by_label("Credential", exact=True).fill(value)
        else:
            page.get_by_label("or upload the badge").set_input_files(str(value))
        page.get_by_role("button", name="Verify the credential").click()
        expect(
            page.get_by_role(
                "heading", name="Valid: the signature matches and the certificate stands"
            )
        ).to_be_visible()
        expect(page.get_by_text("Zofia Nowak").first).to_be_visible()

    # One rule is set aside, on the admin pages only: Draftail, Wagtail's rich-text editor (the
    # quiz's introduction), gives its editable area role="textbox" without an accessible name
    # (an upstream matter). Every other page, the admin's included, is held to the full audit.
    page.accessibility_audit.scan_if_pending()
    page.accessibility_audit.violations[:] = [
        violation
        for violation in page.accessibility_audit.violations
        if not (
            "/admin/" in violation.split(": [")[0]
            and "aria-input-field-name" in violation
            and violation.endswith("['.notranslate']")
        )
    ]
