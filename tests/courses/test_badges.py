"""Certificates as Open Badges 3.0 credentials: signed VC-JWTs that anyone can check with the
published key, baked into the badge PNG, verified (valid, revoked, expired, tampered) on the
public page; the certificate PDF in private storage; the platform name and address on the PDF."""

import base64
import io
import json
from datetime import date, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.core.files.storage import default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from courses import badges, pdf, services
from tests.factories import UserFactory

from .factories import course_with_lessons, lessons_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(learner, django_capture_on_commit_callbacks):
    course = course_with_lessons(modules=1, lessons=1, certificate_validity_months=12)
    services.course_enrol(user=learner, course=course)
    with django_capture_on_commit_callbacks(execute=True):
        certificate = services.lesson_complete(user=learner, lesson=lessons_of(course)[0])
    certificate.refresh_from_db()
    return certificate


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def parts(jwt):
    header, payload, signature = jwt.split(".")
    return json.loads(unb64(header)), json.loads(unb64(payload)), signature


def verify_page(client, **data):
    return client.post(reverse("courses:credential_verify"), data)


def test_every_certificate_is_issued_as_a_signed_open_badge(certificate):
    header, payload, _signature = parts(certificate.badge_credential)
    assert header["alg"] == "EdDSA" and header["typ"] == "JWT"
    assert payload["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert payload["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert payload["id"] == payload["jti"] == certificate.get_verify_url()
    assert payload["issuer"]["id"] == payload["iss"] == "http://testserver/certificates/issuer/"
    assert payload["issuer"]["name"] == "Textile Virtual Centre"
    achievement = payload["credentialSubject"]["achievement"]
    assert achievement["name"] == certificate.course_title
    assert achievement["creator"]["name"] == certificate.provider_name
    identifiers = {i["identityType"]: i for i in payload["credentialSubject"]["identifier"]}
    assert identifiers["name"]["identityHash"] == "Zofia Nowak"
    assert identifiers["emailAddress"]["hashed"] is True
    assert certificate.user.email not in certificate.badge_credential  # only its salted hash
    assert payload["validUntil"].startswith(certificate.expires_on.isoformat())
    assert payload["exp"] > payload["nbf"]


def test_anyone_can_check_the_signature_with_the_published_key(client, certificate):
    jwks = client.get(reverse("courses:badge_jwks")).json()
    (key,) = jwks["keys"]
    assert key["kty"] == "OKP" and key["crv"] == "Ed25519"
    header_b64, payload_b64, signature_b64 = certificate.badge_credential.split(".")
    assert parts(certificate.badge_credential)[0]["kid"].endswith("#" + key["kid"])
    public = Ed25519PublicKey.from_public_bytes(unb64(key["x"]))
    public.verify(unb64(signature_b64), f"{header_b64}.{payload_b64}".encode())  # raises if bad
    profile = client.get(reverse("courses:badge_issuer")).json()
    assert profile["id"] == "http://testserver/certificates/issuer/"
    assert profile["type"] == ["Profile"]


def test_the_key_comes_from_the_settings(settings, certificate):
    key = Ed25519PrivateKey.generate()
    seed = key.private_bytes_raw()
    settings.OPEN_BADGES_PRIVATE_KEY = b64(seed)
    services.certificate_badge_issue(certificate=certificate)
    _header, _payload, signature = certificate.badge_credential.split(".")
    key.public_key().verify(
        unb64(signature), ".".join(certificate.badge_credential.split(".")[:2]).encode()
    )


def test_verification_page_says_valid_for_a_pasted_credential(client, certificate):
    response = verify_page(client, credential=certificate.badge_credential)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Valid: the signature matches" in html
    assert certificate.learner_name in html


def test_a_tampered_credential_is_not_valid(client, certificate):
    header, payload, signature = certificate.badge_credential.split(".")
    data = json.loads(unb64(payload))
    data["credentialSubject"]["identifier"][0]["identityHash"] = "Mallory Impostor"
    forged = f"{header}.{b64(json.dumps(data).encode())}.{signature}"

    html = verify_page(client, credential=forged).content.decode()

    assert "Not valid" in html
    assert "the credential was altered after it was issued" in html
    assert "Mallory Impostor" not in html


def test_a_credential_signed_with_another_key_is_not_valid(client, certificate):
    """An attacker signs a copy with their own key and puts that key in the header."""
    attacker = Ed25519PrivateKey.generate()
    header, payload, _signature = parts(certificate.badge_credential)
    header["jwk"]["x"] = b64(attacker.public_key().public_bytes_raw())
    header["kid"] = "https://attacker.example/keys#1"
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(payload).encode())}"
    forged = signing_input + "." + b64(attacker.sign(signing_input.encode()))

    html = verify_page(client, credential=forged).content.decode()

    assert "Not valid" in html and "not signed by this platform" in html


def test_revoked_and_expired_credentials(client, certificate):
    services.certificate_revoke(certificate=certificate, reason="Issued by mistake")
    html = verify_page(client, credential=certificate.badge_credential).content.decode()
    assert "Revoked: the signature matches" in html and "Issued by mistake" in html

    certificate.revoked_at = None
    certificate.expires_on = date.today() - timedelta(days=1)
    certificate.save()
    html = verify_page(client, credential=certificate.badge_credential).content.decode()
    assert "Expired: the signature matches" in html


def test_learner_downloads_the_baked_png_and_it_verifies(client, learner, certificate):
    client.force_login(learner)
    response = client.get(certificate.get_badge_url("png"))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    png = response.content
    assert badges.unbake_png(png) == certificate.badge_credential

    upload = SimpleUploadedFile("badge.png", png, content_type="image/png")
    html = verify_page(client, file=upload).content.decode()
    assert "Valid: the signature matches" in html


def test_json_download_is_a_verifiable_envelope(client, learner, certificate):
    client.force_login(learner)
    envelope = client.get(certificate.get_badge_url("json")).json()
    assert envelope["type"] == "EnvelopedVerifiableCredential"
    assert envelope["id"] == "data:application/vc+jwt," + certificate.badge_credential
    html = verify_page(client, credential=json.dumps(envelope)).content.decode()
    assert "Valid: the signature matches" in html
    jwt = client.get(certificate.get_badge_url("jwt")).content.decode()
    assert jwt == certificate.badge_credential


def test_others_cannot_download_someone_elses_badge(client, certificate):
    assert client.get(certificate.get_badge_url("png")).status_code == 302  # to sign in
    client.force_login(UserFactory())
    for file_format in ("png", "json", "jwt"):
        assert client.get(certificate.get_badge_url(file_format)).status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"credential": "eyJ\x00abc"}, "Null characters are not allowed"),
        ({"credential": ""}, "Paste a credential or choose a file"),
        ({"credential": "x" * 70_000}, "at most"),
        ({"credential": '{"id": 5}'}, "no signed credential"),
        ({"credential": "not.a.jwt"}, "damaged"),
        ({"credential": "[1, 2"}, "Not valid"),
    ],
)
def test_bad_input_gets_a_message_never_a_500(client, db, data, message):
    response = verify_page(client, **data)
    assert response.status_code in (200, 400)
    assert message in response.content.decode()


def test_bad_uploads_get_a_message(client, db):
    png_without = badges.badge_png(title="A", subtitle="B", platform_name="C")
    for content, message in [
        (png_without, "carries no Open Badges credential"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\xff\xffIHDR", "damaged"),
        (b"\xff\xfe\x00garbage", "neither a PNG badge nor a credential"),
    ]:
        upload = SimpleUploadedFile("badge.png", content, content_type="image/png")
        response = verify_page(client, file=upload)
        assert response.status_code == 400
        assert message in response.content.decode()


def test_public_badge_image_carries_no_credential(client, certificate):
    response = client.get(reverse("courses:badge_image", args=[certificate.code]))
    assert response.status_code == 200
    assert badges.unbake_png(response.content) is None


def test_certificate_pdf_is_private(client, learner, certificate):
    assert certificate.pdf
    assert certificate.pdf.storage is storages["private"]
    assert certificate.pdf.storage.exists(certificate.pdf.name)
    assert not default_storage.exists(certificate.pdf.name)
    with pytest.raises(ValueError):
        certificate.pdf.url  # noqa: B018  (no public URL)
    client.force_login(learner)
    response = client.get(certificate.get_download_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize("design", ["classic", "modern"])
def test_both_designs_name_the_platform_and_skip_an_empty_logo_band(certificate, design):
    certificate.course.certificate_design = design
    certificate.course.save()
    html = pdf.render_certificate_html(certificate)
    assert "Textile Virtual Centre" in html
    assert 'class="logo"' not in html  # no logo: no empty band or box


def test_certificate_address_comes_from_site_url(settings, certificate):
    settings.SITE_URL = "https://centre.example.org"
    html = pdf.render_certificate_html(certificate)
    assert f"https://centre.example.org/certificates/verify/{certificate.code}/" in html
    assert "127.0.0.1" not in html
    services.certificate_badge_issue(certificate=certificate)
    assert parts(certificate.badge_credential)[1]["iss"] == (
        "https://centre.example.org/certificates/issuer/"
    )


def test_revoked_status_flows_into_timezone_aware_dates(certificate):
    # validFrom is the issue time in UTC with a Z
    payload = parts(certificate.badge_credential)[1]
    assert payload["validFrom"].endswith("Z")
    assert abs(payload["nbf"] - timezone.now().timestamp()) < 120


def test_png_baking_round_trip_replaces_an_old_credential():
    png = badges.badge_png(title="Sorting", subtitle="Cluster", platform_name="TVC")
    once = badges.bake_png(png, "first.token.value")
    twice = badges.bake_png(once, "second.token.value")
    assert badges.unbake_png(twice) == "second.token.value"
    assert twice.count(b"openbadgecredential") == 1
    from PIL import Image

    assert Image.open(io.BytesIO(twice)).size == (400, 400)
