"""The device a portal user signs in from, and where the request says it came from.

A device is the browser family and the operating system the User-Agent names, without
versions (a browser updates every few weeks; the IP address changes on every phone
network), digested into a stable id. Two laptops with the same browser and system are
one device to this rule: it tells a person when their password was used somewhere new,
not which machine it was.

A sign-in from a device the user has not used before, by a user who has used another,
writes the device and a `NewDeviceSignIn` event in one transaction (crm.storage.devices);
the invite function sends the security notice (crm.portal.device_notice). The first
device of a user (the one they activated on) is recorded without a notice.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import unquote

from pydantic import BaseModel

from crm.core.events import Event

NEW_DEVICE_SIGN_IN = "NewDeviceSignIn"
UNKNOWN = "unknown"
NOT_ME_DAYS = 7  # how long the "this was not me" link of the notice works

# the first that matches names the family (order matters: Edge and Opera say "Chrome",
# Chrome says "Safari")
_BROWSERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("Edge", re.compile(r"\bEdg(e|A|iOS)?/")),
    ("Opera", re.compile(r"\b(OPR|Opera)/")),
    ("Samsung Internet", re.compile(r"\bSamsungBrowser/")),
    ("Firefox", re.compile(r"\b(Firefox|FxiOS)/")),
    ("Chrome", re.compile(r"\b(Chrome|CriOS|HeadlessChrome|Chromium)/")),
    ("Safari", re.compile(r"\bVersion/[\d.]+.*\bSafari/")),
)
_SYSTEMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("iOS", re.compile(r"\b(iPhone|iPad|iPod)\b")),
    ("Android", re.compile(r"\bAndroid\b")),
    ("ChromeOS", re.compile(r"\bCrOS\b")),
    ("Windows", re.compile(r"\bWindows\b")),
    ("macOS", re.compile(r"\bMac OS X\b|\bMacintosh\b")),
    ("Linux", re.compile(r"\bLinux\b")),
)
_COUNTRY = re.compile(r"^[A-Z]{2}$")
MAX_CITY = 80


class Device(BaseModel):
    """A browser family on an operating system, `unknown` where the request did not say."""

    browser: str
    system: str

    @property
    def device_id(self) -> str:
        """Stable across versions and networks: a digest of the two names."""
        return hashlib.sha256(f"{self.browser}|{self.system}".encode()).hexdigest()[:32]


def device_of(user_agent: str | None) -> Device:
    text = (user_agent or "")[:512]
    browser = next((name for name, p in _BROWSERS if p.search(text)), UNKNOWN)
    system = next((name for name, p in _SYSTEMS if p.search(text)), UNKNOWN)
    return Device(browser=browser, system=system)


class Place(BaseModel):
    """Where a request came from, as far as it tells: CloudFront's viewer country and
    city when the distribution added them, else the client address the gateway saw."""

    country: str | None = None  # ISO 3166 alpha-2
    city: str | None = None
    address: str | None = None


def place_of(headers: dict[str, str], source_ip: str | None) -> Place:
    """From the request's headers (names in any case) and the gateway's source IP."""
    lower = {k.lower(): v for k, v in headers.items()}
    country = (lower.get("cloudfront-viewer-country") or "").strip().upper()
    city = unquote(lower.get("cloudfront-viewer-city") or "").strip()[:MAX_CITY]
    return Place(
        country=country if _COUNTRY.match(country) else None,
        city=city or None,
        address=(source_ip or None) if not country else None,
    )


class SignIn(BaseModel):
    """One successful portal sign-in: from which device, where, when (ISO, UTC)."""

    device: Device
    place: Place
    at: str


class NewDeviceSignIn(BaseModel):
    """A portal user signed in from a device they had not used before. The device record
    (`sub`, `device_id`, `first_seen_at`) is the idempotency key: the notice goes only
    while the record is the one this event announced. The grant's firm, account and
    address row say whose email it is (the account the portal opened first)."""

    sub: str
    device_id: str
    first_seen_at: str
    firm_id: str
    account_id: str
    email_id: str


def new_device_sign_in(notice: NewDeviceSignIn) -> Event:
    return Event(NEW_DEVICE_SIGN_IN, notice.model_dump())


class KnownDevice(BaseModel):
    """A device a portal user has signed in from, as stored under the user: when it was
    first and last seen, and where its first sign-in came from."""

    sub: str
    device_id: str
    device: Device
    username: str  # the pool's username (the lower-cased address): ending sessions needs it
    first_seen_at: str
    last_seen_at: str
    place: Place
