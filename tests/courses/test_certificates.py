"""Certificate PDFs, downloads, regeneration, public verification, staff revoke and ZIP."""

import io
import re
import zipfile
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupPagePermission
from weasyprint import HTML

from courses import pdf, services
from courses.models import Certificate
from tests.factories import UserFactory

from .factories import course_with_lessons, lessons_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(learner, django_capture_on_commit_callbacks):
    course = course_with_lessons(modules=1, lessons=1, certificate_validity_months=12)
    services.course_enrol(user=learner, course=course)
    with django_capture_on_commit_callbacks(execute=True):
        return services.lesson_complete(user=learner, lesson=lessons_of(course)[0])


@pytest.fixture
def course_editor(certificate):
    """A user allowed to edit the certificate's course in Wagtail (not a superuser)."""
    group = Group.objects.create(name="Course editors")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(
        group=group,
        page=certificate.course,
        permission=Permission.objects.get(codename="change_page"),
    )
    return _user_in(group)


def _user_in(group):
    user = UserFactory()
    user.groups.add(group)
    return user


def test_code_is_unguessable_and_unique(certificate):
    assert len(certificate.code) >= 20
    other = Certificate(code=certificate.code)
    assert other.code == certificate.code
    assert Certificate._meta.get_field("code").unique


def test_pdf_is_stored_and_served_without_rendering_again(client, learner, certificate):
    certificate.refresh_from_db()
    assert certificate.pdf and certificate.pdf_rendered_at
    client.force_login(learner)
    with mock.patch("courses.pdf.render_certificate") as render:
        response = client.get(certificate.get_download_url())
    render.assert_not_called()
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_missing_pdf_is_rendered_on_first_download(client, learner, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(pdf="")
    client.force_login(learner)
    response = client.get(certificate.get_download_url())
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    certificate.refresh_from_db()
    assert certificate.pdf


def test_other_learners_get_404_for_a_certificate(client, certificate):
    client.force_login(UserFactory())
    assert client.get(certificate.get_download_url()).status_code == 404
    regenerate = reverse("courses:certificate_regenerate", args=[certificate.code])
    assert client.post(regenerate).status_code == 404
    anonymous = client.__class__()
    assert anonymous.get(certificate.get_download_url()).status_code == 302


def test_regenerate_refreshes_the_name_and_renders_again(
    client, learner, certificate, django_capture_on_commit_callbacks
):
    learner.display_name = "Zofia Nowak-Kowalska"
    learner.save()
    client.force_login(learner)
    before = Certificate.objects.get(pk=certificate.pk).pdf_rendered_at
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("courses:certificate_regenerate", args=[certificate.code]))
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.learner_name == "Zofia Nowak-Kowalska"
    assert certificate.pdf_rendered_at > before
    assert "Zofia Nowak-Kowalska" in pdf.render_certificate_html(certificate)


@pytest.mark.parametrize("design", ["classic", "modern"])
def test_both_designs_render_a4_landscape_with_qr_code_and_signatory(certificate, design):
    certificate.course.certificate_design = design
    certificate.course.save()
    html = pdf.render_certificate_html(certificate)
    # One A4 landscape page (297 × 210 mm at 96 px per inch), with the design's stylesheets.
    document = HTML(string=html).render(stylesheets=pdf.certificate_stylesheets(design))
    assert len(document.pages) == 1
    assert (round(document.pages[0].width), round(document.pages[0].height)) == (1123, 794)
    assert f"http://testserver/certificates/verify/{certificate.code}/" in html
    assert 'src="data:image/png;base64,' in html  # segno's QR code as a PNG
    assert "Textile Virtual Centre" in html  # the platform's name, on both designs
    assert "Maria Rossi" in html and certificate.learner_name in html
    assert certificate.expires_on.strftime("%Y") in html
    assert pdf.render_certificate(certificate).startswith(b"%PDF")


def test_url_fetcher_serves_only_local_files():
    fetcher = pdf.LocalOnlyURLFetcher()
    with pytest.raises(ValueError):
        fetcher.fetch("https://fonts.example.org/font.woff2")
    with pytest.raises(ValueError):
        fetcher.fetch("file:///etc/passwd")
    assert fetcher.fetch("data:text/plain,ok").read() == b"ok"


def test_verification_page_valid_with_open_graph(client, certificate):
    response = client.get(certificate.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "This certificate is valid" in html
    assert certificate.learner_name in html and certificate.course_title in html
    assert '<meta property="og:title" content="Certificate: ' in html
    assert (
        f'<meta property="og:url" content="http://testserver/certificates/verify/{certificate.code}/">'
        in html
    )


def test_verification_page_revoked_and_expired(client, certificate):
    services.certificate_revoke(certificate=certificate, reason="Exam taken by someone else")
    html = client.get(certificate.get_absolute_url()).content.decode()
    assert "This certificate has been revoked" in html
    assert "Exam taken by someone else" in html
    Certificate.objects.filter(pk=certificate.pk).update(
        revoked_at=None, expires_on=timezone.localdate() - timedelta(days=1)
    )
    html = client.get(certificate.get_absolute_url()).content.decode()
    assert "This certificate has expired" in html


def test_unknown_code_is_a_clear_404(client):
    response = client.get("/certificates/verify/not-a-real-code/")
    assert response.status_code == 404
    assert "Certificate not found" in response.content.decode()


def test_course_editor_revokes_with_a_reason(client, certificate, course_editor):
    client.force_login(course_editor)
    url = reverse("courses_admin:certificate_revoke", args=[certificate.pk])
    client.post(url, {"reason": ""})
    certificate.refresh_from_db()
    assert certificate.revoked_at is None  # a reason is required
    client.post(url, {"reason": "Identity could not be confirmed"})
    certificate.refresh_from_db()
    assert (
        certificate.revoked_at and certificate.revoked_reason == "Identity could not be confirmed"
    )
    assert certificate.status == Certificate.Status.REVOKED


def test_course_editor_downloads_all_certificates_as_zip(client, certificate, course_editor):
    client.force_login(course_editor)
    listing = client.get(reverse("courses_admin:course_certificates", args=[certificate.course_id]))
    html = listing.content.decode()
    assert certificate.code in html
    assert certificate.user.email in html and "1 / 1" in html  # the learners table
    response = client.get(
        reverse("courses_admin:course_certificates_zip", args=[certificate.course_id])
    )
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert names == [f"zofia-nowak-{certificate.code}.pdf"]
    assert archive.read(names[0]).startswith(b"%PDF")


def test_staff_without_edit_permission_on_the_course_is_forbidden(client, certificate):
    group = Group.objects.create(name="Other editors")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(_user_in(group))
    course_id = certificate.course_id
    # Wagtail's admin turns PermissionDenied into a redirect to the dashboard with a message.
    for name in ("courses_admin:course_certificates_zip", "courses_admin:course_certificates"):
        response = client.get(reverse(name, args=[course_id]))
        assert response.status_code == 302 and response["Location"] == "/admin/"
    response = client.post(
        reverse("courses_admin:certificate_revoke", args=[certificate.pk]), {"reason": "x"}
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    # The learner's own client cannot reach the admin views at all.
    learner_client = client.__class__()
    learner_client.force_login(certificate.user)
    response = learner_client.get(
        reverse("courses_admin:course_certificates_zip", args=[course_id])
    )
    assert response.status_code in (302, 403)


def test_enrolment_report_with_csv_export(client, admin_user, certificate):
    client.force_login(admin_user)
    response = client.get(reverse("courses_admin:report"))
    assert response.status_code == 200
    assert certificate.course.title in response.content.decode()
    csv = client.get(reverse("courses_admin:report") + "?export=csv")
    lines = b"".join(csv.streaming_content).decode().splitlines()
    assert (
        lines[0]
        == "Course,Provider,Enrolments,In progress,Completions,Completion rate (%),Certificates"
    )
    assert lines[1].endswith(",1,0,1,100,1")


def test_provider_logo_and_signature_are_read_from_local_media(certificate):
    from wagtail_factories import ImageFactory

    provider = certificate.course.provider
    provider.logo = ImageFactory(title="Cluster logo")
    provider.save()
    certificate.course.signature_image = ImageFactory(title="Signature")
    certificate.course.save()
    certificate.refresh_from_db()
    html = pdf.render_certificate_html(certificate)
    # Logo, signature and QR code are all inline: read through the storage API, no file path.
    assert re.search(r'class="logo"><img src="data:image/', html)
    assert re.search(r'class="signature">\s*<img src="data:image/', html)
    assert html.count('src="data:image/') == 3
    assert pdf.render_certificate(certificate).startswith(b"%PDF")


def test_course_editor_can_regenerate_a_learners_certificate(
    client, certificate, course_editor, django_capture_on_commit_callbacks
):
    client.force_login(course_editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("courses:certificate_regenerate", args=[certificate.code]))
    assert response["Location"] == reverse(
        "courses_admin:course_certificates", args=[certificate.course_id]
    )


def test_course_pages_have_a_certificates_button_in_the_admin_explorer(
    client, admin_user, certificate
):
    client.force_login(admin_user)
    parent = certificate.course.get_parent()
    html = client.get(reverse("wagtailadmin_explore", args=[parent.pk])).content.decode()
    assert reverse("courses_admin:course_certificates", args=[certificate.course_id]) in html


def test_lookup_form_sends_a_typed_code_to_its_verification_page(client, certificate):
    assert "Certificate code" in client.get("/certificates/verify/").content.decode()
    response = client.get("/certificates/verify/", {"code": f" {certificate.code} "})
    assert response["Location"] == certificate.get_absolute_url()


def test_course_editor_regenerates_all_valid_certificates_of_a_course(
    client, certificate, course_editor, django_capture_on_commit_callbacks
):
    client.force_login(course_editor)
    url = reverse("courses_admin:course_certificates_regenerate", args=[certificate.course_id])
    before = Certificate.objects.get(pk=certificate.pk).pdf_rendered_at
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response["Location"] == reverse(
        "courses_admin:course_certificates", args=[certificate.course_id]
    )
    assert Certificate.objects.get(pk=certificate.pk).pdf_rendered_at > before
    # Someone who cannot edit the course gets nothing rendered.
    client.force_login(UserFactory(is_staff=True))
    with mock.patch("courses.services.certificates_regenerate") as regenerate:
        client.post(url)
    regenerate.assert_not_called()


def test_a_batch_reads_the_platform_and_the_course_images_once(certificate):
    """The worker's batch task: one UPDATE per certificate; the platform's name and the
    course's logo and signature are read once per batch."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from wagtail_factories import ImageFactory

    from courses.tasks import render_certificate_pdfs

    provider = certificate.course.provider
    provider.logo = ImageFactory(title="Cluster logo")
    provider.save()
    certificate.course.signature_image = ImageFactory(title="Signature")
    certificate.course.save()

    def queries_for(count):
        ids = [certificate.pk]
        for n in range(count - 1):
            copy = Certificate.objects.get(pk=certificate.pk)
            copy.pk, copy.code = None, f"{certificate.code[:-3]}{n:03d}"
            copy.user = UserFactory()
            copy.save()
            ids.append(copy.pk)
        with CaptureQueriesContext(connection) as captured:
            render_certificate_pdfs(certificate_ids=ids)
        assert not Certificate.objects.filter(pk__in=ids, pdf="").exists()
        Certificate.objects.filter(pk__in=ids).exclude(pk=certificate.pk).delete()
        return len(captured)

    queries_for(1)  # the renditions of the logo and the signature are made once, here
    assert queries_for(6) - queries_for(2) == 4
