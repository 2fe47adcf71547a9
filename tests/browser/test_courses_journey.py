"""A trainee enrols in a course, reads and completes its lesson, fails its quiz, retakes it and
passes, downloads the certificate and checks it on the public verification page."""

from playwright.sync_api import expect

from courses.models import Certificate
from tests.browser.test_quiz_journey import answer, finish
from tests.courses.factories import course_with_lessons, lessons_of
from tests.factories import PASSWORD, OrganisationFactory, RegionFactory, UserFactory
from tests.quizzes.factories import one_of_each, quiz


def test_trainee_enrols_completes_and_verifies_certificate(page, live_server, screenshot):
    trainee = UserFactory(
        email="tomasz@example.org", display_name="Tomasz Wiśniewski", roles=["Trainee"]
    )
    region = RegionFactory(name="Łódzkie (Łódź)", slug="lodzkie", nuts_code="PL71")
    course = course_with_lessons(
        modules=1,
        lessons=1,
        title="Sorting post-consumer textiles",
        summary="How collected clothing is graded for reuse and recycling: fractions, "
        "quality grades and NIR-assisted sorting.",
        provider=OrganisationFactory(name="Łódź Textile Cluster", region=region),
        region=region,
        certificate_validity_months=24,
        featured=True,
    )
    # Two more courses, so the catalogue looks like one.
    course_with_lessons(
        title="Identyfikacja włókien w odpadach tekstylnych",
        language="pl",
        summary="Etykiety, próba palenia, mikroskopia i spektroskopia NIR.",
        provider=OrganisationFactory(name="Institute of Fibre Technology Łódź", region=region),
        region=region,
    )
    course_with_lessons(
        title="EU legislation on textile waste",
        summary="Separate collection, extended producer responsibility and ecodesign for SMEs.",
        provider=OrganisationFactory(name="Lombardia Moda Circolare"),
    )
    lesson = lessons_of(course)[0]
    lesson.title = "What is in a collection container"
    lesson.save()
    module = lesson.get_parent()
    module.title = "From container to sorting plant"
    module.save()
    sorting_quiz = quiz(module, one_of_each(course), pass_mark=60)

    page.goto(live_server.url + "/courses/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Training")
    screenshot(page, "courses-catalogue")
    page.get_by_role("link", name="Sorting post-consumer textiles").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sorting post-consumer textiles")
    page.get_by_role("link", name="Sign in to enrol").click()
    page.get_by_label("Email").fill(trainee.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()

    expect(page.get_by_role("button", name="Enrol in this course")).to_be_visible()
    screenshot(page, "courses-course-page")
    page.get_by_role("button", name="Enrol in this course").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(lesson.title)
    expect(page.get_by_text("Wet bags contaminate their neighbours.")).to_be_visible()
    expect(page.get_by_role("progressbar")).to_have_attribute("value", "0")
    page.get_by_role("button", name="Mark as complete").click()

    # The course is not complete until its quiz is passed: fail it first, then retake it.
    assert not Certificate.objects.filter(user=trainee).exists()
    page.goto(live_server.url + course.url)
    page.get_by_role("link", name=sorting_quiz.title, exact=True).click()
    page.get_by_role("button", name="Start the quiz").click()
    answer(page, right=False)
    finish(page)
    expect(page.locator(".quiz-grade")).to_contain_text("Not passed yet")
    assert not Certificate.objects.filter(user=trainee).exists()
    page.get_by_role("link", name="Back to the quiz").click()
    page.get_by_role("button", name="Re-attempt quiz").click()
    answer(page, right=True)
    finish(page)
    expect(page.locator(".quiz-grade")).to_contain_text("Passed")

    page.goto(live_server.url + "/learning/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My learning")
    screenshot(page, "courses-dashboard")
    certificate = Certificate.objects.get(user=trainee)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the certificate (PDF)").click()
    with open(download_info.value.path(), "rb") as downloaded:
        assert downloaded.read(4) == b"%PDF"

    # The printed URL is SITE_URL + path; in tests SITE_URL is http://testserver.
    assert certificate.get_verify_url().startswith("http://testserver/certificates/verify/")
    page.goto(live_server.url + certificate.get_absolute_url())
    expect(page.get_by_role("heading", name="This certificate is valid")).to_be_visible()
    expect(page.locator("#main dd", has_text="Tomasz Wiśniewski")).to_be_visible()
    screenshot(page, "courses-verification")
