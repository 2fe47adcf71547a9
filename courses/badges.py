"""Certificates as Open Badges 3.0 credentials (W3C Verifiable Credentials).

Each certificate is also an ``OpenBadgeCredential`` secured with the JSON Web Token proof
format of Open Badges 3.0 (§8.2, VC-JWT): a compact JWS, algorithm EdDSA over Ed25519, whose
payload is the credential itself plus the registered claims ``iss``, ``jti``, ``nbf`` and
``exp``. The JOSE header names the key (``kid``) and carries it (``jwk``); the key is also
published as a JWK Set at ``/certificates/issuer/jwks.json`` and in the issuer profile, so anyone
can check the signature. The compact JWS is:

- the ``.jwt`` file (the file format OB 3.0 gives VC-JWT credentials),
- wrapped in a VC 2.0 ``EnvelopedVerifiableCredential`` as the ``.json`` download,
- baked into the badge PNG as an ``iTXt`` chunk with the keyword ``openbadgecredential``.

The signing key comes from ``settings.OPEN_BADGES_PRIVATE_KEY`` (PEM or a base64url 32-byte
seed); when that is empty it is derived from ``SECRET_KEY``. The verifier trusts only this
platform's keys (the current one and ``OPEN_BADGES_PREVIOUS_PUBLIC_KEYS``): a credential signed
by any other key, even one carried in its own header, is not accepted.
"""

import base64
import binascii
import hashlib
import io
import json
import struct
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageDraw, ImageFont

OB_CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
OB_SCHEMA = {
    "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",
    "type": "1EdTechJsonSchemaValidator2019",
}
PNG_KEYWORD = b"openbadgecredential"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_CREDENTIAL_BYTES = 64 * 1024  # far above a real credential (about 3 KB)


# Keys --------------------------------------------------------------------------------------------
def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode(text: str) -> bytes:
    if not isinstance(text, str) or len(text) > 4 * MAX_CREDENTIAL_BYTES:
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _load_private_key(value: str) -> Ed25519PrivateKey:
    value = (value or "").strip()
    if not value:
        # Stable as long as SECRET_KEY is; production should set its own key (README).
        seed = hashlib.sha256(b"tvc-open-badges-ed25519:" + settings.SECRET_KEY.encode()).digest()
        return Ed25519PrivateKey.from_private_bytes(seed)
    if value.startswith("-----BEGIN"):
        key = serialization.load_pem_private_key(value.encode(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("OPEN_BADGES_PRIVATE_KEY must be an Ed25519 key.")
        return key
    return Ed25519PrivateKey.from_private_bytes(_b64url_decode(value))


@lru_cache(maxsize=4)
def _signing_key(value: str, secret: str) -> Ed25519PrivateKey:
    return _load_private_key(value)


def signing_key() -> Ed25519PrivateKey:
    return _signing_key(settings.OPEN_BADGES_PRIVATE_KEY, settings.SECRET_KEY)


def _raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_jwk(key: Ed25519PublicKey) -> dict:
    x = _b64url(_raw_public(key))
    # RFC 7638 thumbprint: the required members in lexicographic order, no spaces.
    thumbprint = _b64url(
        hashlib.sha256(
            json.dumps({"crv": "Ed25519", "kty": "OKP", "x": x}, separators=(",", ":")).encode()
        ).digest()
    )
    return {"kty": "OKP", "crv": "Ed25519", "x": x, "kid": thumbprint, "alg": "EdDSA", "use": "sig"}


def trusted_public_keys() -> dict[str, Ed25519PublicKey]:
    """This platform's public keys by RFC 7638 thumbprint: the signing key's and the previous
    ones (``OPEN_BADGES_PREVIOUS_PUBLIC_KEYS``, base64url raw keys), so credentials signed
    before a key rotation still verify."""
    keys = [signing_key().public_key()]
    for value in settings.OPEN_BADGES_PREVIOUS_PUBLIC_KEYS:
        try:
            keys.append(Ed25519PublicKey.from_public_bytes(_b64url_decode(value)))
        except ValueError:
            continue
    return {public_jwk(key)["kid"]: key for key in keys}


def site_url() -> str:
    return settings.SITE_URL.rstrip("/")


def _absolute(path: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return site_url() + path


def issuer_id() -> str:
    return _absolute(reverse("courses:badge_issuer"))


def jwks_url() -> str:
    return _absolute(reverse("courses:badge_jwks"))


def jwks() -> dict:
    return {"keys": [public_jwk(key) for key in trusted_public_keys().values()]}


def issuer_profile(platform_name: str) -> dict:
    """The issuer's OB 3.0 Profile, published at its id."""
    return {
        "@context": OB_CONTEXT,
        "id": issuer_id(),
        "type": ["Profile"],
        "name": platform_name,
        "url": site_url() + "/",
        "description": str(_("Training platform of the Textile Virtual Centre.")),
        # Where the verification keys are (a JWK Set), for verifiers that follow the issuer id.
        "jwks_uri": jwks_url(),
    }


# Building and signing -----------------------------------------------------------------------------
def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def credential_id(certificate) -> str:
    return certificate.get_verify_url()


def build_credential(certificate, *, platform_name: str, description: str = "") -> dict:
    """The OpenBadgeCredential of ``certificate`` (unsigned). What it states was copied onto
    the certificate at issue time, so the credential and the PDF say the same."""
    valid_from = certificate.issued_at
    credential = {
        "@context": OB_CONTEXT,
        "id": credential_id(certificate),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": certificate.course_title,
        "issuer": {
            "id": issuer_id(),
            "type": ["Profile"],
            "name": platform_name,
            "url": site_url() + "/",
        },
        "validFrom": _iso(valid_from),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": certificate.learner_name,
                },
                {
                    "type": "IdentityObject",
                    "identityType": "emailAddress",
                    "hashed": True,
                    "identityHash": "sha256$"
                    + hashlib.sha256(
                        (certificate.user.email.lower() + certificate.code).encode()
                    ).hexdigest(),
                    "salt": certificate.code,
                },
            ],
            "activityEndDate": _iso(datetime.combine(certificate.completed_on, time(12), UTC)),
            "achievement": {
                "id": credential_id(certificate) + "#achievement",
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": certificate.course_title,
                "description": description or certificate.course_title,
                "criteria": {
                    "narrative": str(
                        _(
                            "Completed every required lesson and passed every required quiz "
                            "of the course (%(hours)s hours of training)."
                        )
                        % {"hours": f"{certificate.hours:g}"}
                    )
                },
                "creator": {
                    "id": issuer_id()
                    + "#provider-"
                    + hashlib.sha256(certificate.provider_name.encode()).hexdigest()[:12],
                    "type": ["Profile"],
                    "name": certificate.provider_name,
                },
                "image": {
                    "id": _absolute(reverse("courses:badge_image", args=[certificate.code])),
                    "type": "Image",
                },
            },
        },
        "credentialSchema": [OB_SCHEMA],
    }
    if certificate.region_name:
        credential["credentialSubject"]["achievement"]["tag"] = [certificate.region_name]
    if certificate.expires_on:
        credential["validUntil"] = _iso(
            datetime.combine(certificate.expires_on, time(23, 59, 59), UTC)
        )
    return credential


def sign_credential(credential: dict) -> str:
    """The compact JWS (VC-JWT) of ``credential``."""
    key = signing_key()
    jwk = public_jwk(key.public_key())
    header = {
        "alg": "EdDSA",
        "typ": "JWT",
        "kid": f"{jwks_url()}#{jwk['kid']}",
        "jwk": {name: jwk[name] for name in ("kty", "crv", "x")},
    }
    payload = dict(credential)
    payload["iss"] = credential["issuer"]["id"]
    payload["jti"] = credential["id"]
    payload["nbf"] = int(_parse_time(credential["validFrom"]).timestamp())
    if "validUntil" in credential:
        payload["exp"] = int(_parse_time(credential["validUntil"]).timestamp())
    signing_input = (
        _b64url(json.dumps(header, separators=(",", ":")).encode())
        + "."
        + _b64url(json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode())
    )
    return signing_input + "." + _b64url(key.sign(signing_input.encode("ascii")))


def envelope(jwt: str) -> dict:
    """The credential as JSON: a VC 2.0 EnvelopedVerifiableCredential around the VC-JWT."""
    return {
        "@context": "https://www.w3.org/ns/credentials/v2",
        "id": "data:application/vc+jwt," + jwt,
        "type": "EnvelopedVerifiableCredential",
    }


def _parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


# PNG baking -------------------------------------------------------------------------------------
def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def bake_png(png: bytes, jwt: str) -> bytes:
    """``png`` with the credential in an uncompressed iTXt chunk right after IHDR (OB 3.0
    baking), replacing any credential already there."""
    if not png.startswith(PNG_SIGNATURE):
        raise ValueError("not a PNG image")
    itxt = _chunk(b"iTXt", PNG_KEYWORD + b"\x00\x00\x00\x00\x00" + jwt.encode("utf-8"))
    out = [PNG_SIGNATURE]
    for kind, data in _chunks(png):
        if kind == b"iTXt" and data.split(b"\x00", 1)[0] == PNG_KEYWORD:
            continue
        out.append(_chunk(kind, data))
        if kind == b"IHDR":
            out.append(itxt)
    return b"".join(out)


def _chunks(png: bytes):
    position = len(PNG_SIGNATURE)
    while position + 8 <= len(png):
        (length,) = struct.unpack(">I", png[position : position + 4])
        kind = png[position + 4 : position + 8]
        data = png[position + 8 : position + 8 + length]
        if len(data) != length:
            raise ValueError("truncated PNG")
        yield kind, data
        position += 12 + length
        if kind == b"IEND":
            return


def unbake_png(png: bytes) -> str | None:
    """The credential baked in ``png``, or None. Reads chunk headers only; a compressed iTXt
    is inflated up to MAX_CREDENTIAL_BYTES (never a zip bomb)."""
    if not png.startswith(PNG_SIGNATURE):
        raise ValueError("not a PNG image")
    for kind, data in _chunks(png):
        if kind != b"iTXt":
            continue
        keyword, _sep, rest = data.partition(b"\x00")
        if keyword != PNG_KEYWORD or len(rest) < 2:
            continue
        compressed, _method, rest = rest[0], rest[1], rest[2:]
        _language, _sep, rest = rest.partition(b"\x00")
        _translated, _sep, text = rest.partition(b"\x00")
        if compressed:
            inflater = zlib.decompressobj()
            text = inflater.decompress(text, MAX_CREDENTIAL_BYTES)
            if inflater.unconsumed_tail:
                raise ValueError("credential too large")
        return text.decode("utf-8")
    return None


def badge_png(*, title: str, subtitle: str, platform_name: str, colour: str = "#1d5c4d") -> bytes:
    """A round badge image (400 × 400) with the course title, drawn with Pillow."""
    size = 400
    image = Image.new("RGBA", (size, size), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    rgb = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    draw.ellipse((8, 8, size - 8, size - 8), fill=rgb, outline=(255, 255, 255), width=6)
    draw.ellipse((30, 30, size - 30, size - 30), outline=(255, 255, 255), width=2)

    def font(points, bold=False):
        name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
        for path in (f"/usr/share/fonts/truetype/dejavu/{name}", name):
            try:
                return ImageFont.truetype(path, points)
            except OSError:
                continue
        return ImageFont.load_default(points)

    def centred(text, y, points, bold=False, width=250):
        face = font(points, bold)
        words, lines, line = text.split(), [], ""
        for word in words:
            candidate = f"{line} {word}".strip()
            if draw.textlength(candidate, font=face) <= width or not line:
                line = candidate
            else:
                lines.append(line)
                line = word
        if line:
            lines.append(line)
        lines = lines[:4]
        for number, text_line in enumerate(lines):
            draw.text(
                (size / 2, y + number * points * 1.25),
                text_line,
                font=face,
                fill="white",
                anchor="mt",
            )
        return y + len(lines) * points * 1.25

    centred(platform_name.upper(), 70, 15, width=230)
    y = centred(title, 135, 26, bold=True)
    centred(subtitle, max(y + 14, 250), 16, width=220)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


# Verification -----------------------------------------------------------------------------------
class Outcome:
    VALID = "valid"
    REVOKED = "revoked"
    EXPIRED = "expired"
    INVALID = "invalid"  # bad signature, tampered, unreadable, or not ours


@dataclass
class Verification:
    outcome: str
    message: str = ""
    credential: dict = field(default_factory=dict)
    checks: list = field(default_factory=list)
    # The certificate the credential names (courses.selectors.credential_verification).
    certificate: Any = None


def extract_jwt(*, text: str = "", upload: bytes = b"") -> str:
    """The compact JWS from what a verifier pasted or uploaded: the JWT itself, the JSON
    envelope (or ``{"compactJwsString": …}``), or a baked PNG. ValueError when there is none."""
    if upload:
        if upload.startswith(PNG_SIGNATURE):
            try:
                baked = unbake_png(upload)
            except ValueError:
                raise ValueError(
                    _("The image is damaged: its credential cannot be read.")
                ) from None
            if baked is None:
                raise ValueError(_("This image carries no Open Badges credential."))
            text = baked
        else:
            try:
                text = upload.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise ValueError(_("The file is neither a PNG badge nor a credential.")) from None
    text = (text or "").strip()
    if "\x00" in text:
        raise ValueError(_("The credential contains a NUL character."))
    if not text:
        raise ValueError(_("Paste a credential or choose a file."))
    if len(text) > MAX_CREDENTIAL_BYTES:
        raise ValueError(_("The credential is too large."))
    if text.startswith("{"):
        try:
            data = json.loads(text)
        except ValueError:
            raise ValueError(_("The credential is not valid JSON.")) from None
        if not isinstance(data, dict):
            raise ValueError(_("The credential is not valid JSON."))
        envelope_id = data.get("id")
        if isinstance(envelope_id, str) and envelope_id.startswith("data:application/vc+jwt,"):
            text = envelope_id.removeprefix("data:application/vc+jwt,")
        elif isinstance(data.get("compactJwsString"), str):
            text = data["compactJwsString"]
        else:
            raise ValueError(
                _("This JSON carries no signed credential (an embedded JWT is expected).")
            )
    return text.strip()


def verify_jwt(jwt: str) -> Verification:
    """Check the signature with this platform's keys and decode the credential. The outcome is
    VALID or INVALID here; revocation and expiry are for the caller (who knows the records)."""
    parts = jwt.split(".")
    if len(parts) != 3:
        return Verification(Outcome.INVALID, _("This is not a signed credential (JWT)."))
    try:
        header = json.loads(_b64url_decode(parts[0]))
        payload_bytes = _b64url_decode(parts[1])
        signature = _b64url_decode(parts[2])
    except (ValueError, binascii.Error):
        return Verification(Outcome.INVALID, _("The credential is damaged and cannot be read."))
    if not isinstance(header, dict) or header.get("alg") != "EdDSA":
        return Verification(Outcome.INVALID, _("The credential is not signed with EdDSA."))
    keys = trusted_public_keys()
    kid = str(header.get("kid", "")).rsplit("#", 1)[-1]
    key = keys.get(kid)
    if key is None and isinstance(header.get("jwk"), dict):
        key = keys.get(public_jwk_thumbprint(header["jwk"]))
    if key is None:
        return Verification(
            Outcome.INVALID, _("The credential was not signed by this platform's key.")
        )
    try:
        key.verify(signature, f"{parts[0]}.{parts[1]}".encode("ascii"))
    except (InvalidSignature, UnicodeEncodeError):
        return Verification(
            Outcome.INVALID,
            _("The signature does not match: the credential was altered after it was issued."),
        )
    try:
        payload = json.loads(payload_bytes)
    except ValueError:
        return Verification(Outcome.INVALID, _("The credential is damaged and cannot be read."))
    if not isinstance(payload, dict) or "OpenBadgeCredential" not in payload.get("type", []):
        return Verification(Outcome.INVALID, _("This is not an Open Badges credential."))
    if payload.get("iss") != (payload.get("issuer") or {}).get("id") or payload.get(
        "jti"
    ) != payload.get("id"):
        return Verification(Outcome.INVALID, _("The credential's claims contradict each other."))
    return Verification(Outcome.VALID, credential=payload, checks=["signature"])


def public_jwk_thumbprint(jwk: dict) -> str:
    try:
        key = Ed25519PublicKey.from_public_bytes(_b64url_decode(str(jwk.get("x", ""))))
    except ValueError:
        return ""
    return public_jwk(key)["kid"]
