"""Security keys and passkeys (WebAuthn) through allauth's MFA, tested without a browser: a
software authenticator (an ECDSA P-256 key, "none" attestation, built with fido2's own types)
answers the ceremonies the pages start, as a security key would in a browser."""

import json
import os
import re

import pytest
from allauth.mfa.models import Authenticator
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.test import Client
from fido2.cose import ES256
from fido2.utils import sha256, websafe_decode, websafe_encode
from fido2.webauthn import (
    Aaguid,
    AttestationObject,
    AttestedCredentialData,
    AuthenticatorData,
    CollectedClientData,
)

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
ORIGIN = "https://testserver"


class SoftwareKey:
    """What a security key does for the browser: create a credential, then sign challenges."""

    def __init__(self, rp_id="testserver"):
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(32)
        self.rp_id_hash = sha256(rp_id.encode())
        self.counter = 0

    def _client_data(self, kind, options):
        challenge = websafe_decode(options["publicKey"]["challenge"])
        return CollectedClientData.create(type=kind, challenge=challenge, origin=ORIGIN)

    def create(self, options):
        client_data = self._client_data("webauthn.create", options)
        credential = AttestedCredentialData.create(
            Aaguid.NONE,
            self.credential_id,
            ES256.from_cryptography_key(self.private_key.public_key()),
        )
        flags = AuthenticatorData.FLAG.UP | AuthenticatorData.FLAG.AT
        data = AuthenticatorData.create(self.rp_id_hash, flags, self.counter, credential)
        attestation = AttestationObject.create("none", data, {})
        return {
            "type": "public-key",
            "id": websafe_encode(self.credential_id),
            "rawId": websafe_encode(self.credential_id),
            "response": {
                "clientDataJSON": websafe_encode(client_data),
                "attestationObject": websafe_encode(attestation),
            },
            "clientExtensionResults": {},
        }

    def get(self, options):
        client_data = self._client_data("webauthn.get", options)
        self.counter += 1
        data = AuthenticatorData.create(self.rp_id_hash, AuthenticatorData.FLAG.UP, self.counter)
        signature = self.private_key.sign(data + client_data.hash, ec.ECDSA(hashes.SHA256()))
        return {
            "type": "public-key",
            "id": websafe_encode(self.credential_id),
            "rawId": websafe_encode(self.credential_id),
            "response": {
                "clientDataJSON": websafe_encode(client_data),
                "authenticatorData": websafe_encode(data),
                "signature": websafe_encode(signature),
                "userHandle": None,
            },
            "clientExtensionResults": {},
        }


def js_data(response):
    """The options allauth's page hands its script (``json_script``)."""
    found = re.search(
        r'<script id="js_data" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert found, "the page carries no WebAuthn options"
    return json.loads(found.group(1))


def sign_in(user):
    """Signed in, and the password confirmed again just now: allauth asks for that before a
    second factor is added."""
    client = Client()
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    response = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.fixture
def signed_in():
    user = UserFactory()
    return user, sign_in(user)


def test_security_keys_are_offered(signed_in):
    assert "webauthn" in settings.MFA_SUPPORTED_TYPES
    _, client = signed_in
    page = client.get("/accounts/2fa/").content.decode()
    assert "/accounts/2fa/webauthn/" in page
    assert client.get("/accounts/2fa/webauthn/").status_code == 200


def test_registration_starts_with_options_for_this_site_and_user(signed_in):
    user, client = signed_in
    response = client.get("/accounts/2fa/webauthn/add/")
    assert response.status_code == 200
    options = js_data(response)["creation_options"]["publicKey"]
    assert options["rp"] == {"id": "testserver", "name": settings.WAGTAIL_SITE_NAME} or (
        options["rp"]["id"] == "testserver"
    )
    assert options["user"]["name"] == user.email
    assert len(websafe_decode(options["challenge"])) >= 16
    assert {"type": "public-key", "alg": -7} in options["pubKeyCredParams"]


def register(user, key, name="Blue key"):
    client = sign_in(user)
    options = js_data(client.get("/accounts/2fa/webauthn/add/"))["creation_options"]
    return client.post(
        "/accounts/2fa/webauthn/add/",
        {"name": name, "credential": json.dumps(key.create(options))},
    )


def test_a_security_key_is_added_and_then_signs_the_user_in():
    user = UserFactory()
    key = SoftwareKey()
    response = register(user, key)
    assert response.status_code == 302, response.content.decode()[:2000]
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.WEBAUTHN)
    assert authenticator.wrap().name == "Blue key"
    # Recovery codes come with the first second factor.
    assert Authenticator.objects.filter(user=user, type="recovery_codes").exists()

    # Signing in: the password, then the key instead of an app's code.
    fresh = Client()
    response = fresh.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    challenge = fresh.get("/accounts/2fa/authenticate/")
    assert challenge.status_code == 200
    request_options = js_data(challenge)["request_options"]
    assert fresh.session.get("_auth_user_id") is None  # not signed in before the key answers
    response = fresh.post(
        "/accounts/2fa/authenticate/", {"credential": json.dumps(key.get(request_options))}
    )
    assert response.status_code == 302
    assert fresh.session.get("_auth_user_id") == str(user.pk)


@pytest.mark.parametrize(
    "credential",
    [
        "",
        "null",
        "{}",
        '"x"',
        "[1, 2]",
        '{"type": "public-key", "id": "\\u0000", "response": {}}',
        "x" * 50_000,
    ],
)
def test_a_forged_or_broken_credential_is_refused_and_nothing_is_saved(signed_in, credential):
    user, client = signed_in
    client.get("/accounts/2fa/webauthn/add/")
    response = client.post("/accounts/2fa/webauthn/add/", {"credential": credential})
    assert response.status_code == 200
    assert not Authenticator.objects.filter(user=user).exists()


@pytest.mark.parametrize(
    "answer",
    [
        "{}",
        '{"type": "public-key", "id": "AAAA", "response": {}}',
        '{"id": "AAAA", "rawId": "AAAA", "type": "public-key", "response": '
        '{"clientDataJSON": "e30", "authenticatorData": "", "signature": ""}}',
    ],
)
def test_a_forged_answer_at_sign_in_is_refused_and_nobody_is_signed_in(answer):
    user = UserFactory()
    assert register(user, SoftwareKey()).status_code == 302
    fresh = Client()
    fresh.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    fresh.get("/accounts/2fa/authenticate/")
    response = fresh.post("/accounts/2fa/authenticate/", {"credential": answer})
    assert response.status_code == 200
    assert fresh.session.get("_auth_user_id") is None


def test_another_persons_key_does_not_sign_in(signed_in):
    user = UserFactory()
    assert register(user, SoftwareKey()).status_code == 302
    fresh = Client()
    fresh.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    options = js_data(fresh.get("/accounts/2fa/authenticate/"))["request_options"]
    response = fresh.post(
        "/accounts/2fa/authenticate/", {"credential": json.dumps(SoftwareKey().get(options))}
    )
    assert response.status_code == 200
    assert fresh.session.get("_auth_user_id") is None


def test_a_credential_for_another_challenge_is_refused(signed_in):
    user, client = signed_in
    key = SoftwareKey()
    options = js_data(client.get("/accounts/2fa/webauthn/add/"))["creation_options"]
    replay = key.create(options)
    client.get("/accounts/2fa/webauthn/add/")  # a new challenge replaces the first
    response = client.post("/accounts/2fa/webauthn/add/", {"credential": json.dumps(replay)})
    assert response.status_code == 200
    assert not Authenticator.objects.filter(user=user).exists()


def test_adding_a_key_asks_for_the_password_again():
    client = Client()
    client.force_login(UserFactory())
    response = client.get("/accounts/2fa/webauthn/add/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")


def test_anonymous_visitors_start_no_registration():
    response = Client().get("/accounts/2fa/webauthn/add/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
