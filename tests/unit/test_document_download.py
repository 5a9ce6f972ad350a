"""A document's download (API.md: `GET /v1/documents/{document_id}/download`, 302 to a
short-lived link), and `?redirect=false` for a page that fetches with a bearer token and
so cannot follow the redirect: the same link as JSON, with when it stops working."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest

from crm import clock
from tests.unit.conftest import Staff
from tests.unit.test_email_sync import CLIENT, Firm, firm, mail  # noqa: F401 - a fixture

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 40


@pytest.fixture
def document_id(firm: Firm) -> str:  # noqa: F811
    firm.settings(auto_save_attachments=True)
    firm.connect()
    firm.enable()
    firm.user.append(mail(CLIENT, firm.user.name, "Return", attachments=[("return.pdf", PDF)]))
    firm.sync()
    (document,) = firm.get("AccountDocuments", path={"account_id": firm.account_id})["items"]
    return str(document["document_id"])


def download(staff: Staff, document_id: str, **query: str):
    return staff.call(
        "sync_api", "DownloadDocument", path={"document_id": document_id}, query=query
    )


def bytes_at(url: str) -> bytes:
    link = urlsplit(url)
    bucket, key = link.netloc.split(".", 1)[0], link.path.lstrip("/")
    body: Any = boto3.client("s3").get_object(Bucket=bucket, Key=key)["Body"]
    return bytes(body.read())


def test_the_download_redirects_to_a_link_that_saves_the_file(
    firm: Firm,  # noqa: F811
    document_id: str,
) -> None:
    answer = download(firm.owner, document_id)

    assert answer.status == 302, answer.body
    assert answer.headers["Cache-Control"] == "no-store"
    query = parse_qs(urlsplit(answer.headers["Location"]).query)
    assert "attachment" in query["response-content-disposition"][0]
    assert bytes_at(answer.headers["Location"]) == PDF


def test_redirect_false_answers_the_link_as_json_with_its_expiry(
    firm: Firm,  # noqa: F811
    document_id: str,
) -> None:
    answer = download(firm.owner, document_id, redirect="false")

    assert answer.status == 200, answer.body
    assert set(answer.body) == {"url", "expires_at"}
    assert answer.headers["Cache-Control"] == "no-store"
    assert "Location" not in answer.headers
    assert clock.parse(answer.body["expires_at"]) > clock.now()
    assert bytes_at(answer.body["url"]) == PDF


def test_a_redirect_that_is_not_a_boolean_is_422(firm: Firm, document_id: str) -> None:  # noqa: F811
    answer = download(firm.owner, document_id, redirect="maybe")

    assert answer.status == 422, answer.body
    assert answer.body["error"]["fields"][0]["name"] == "redirect"


def test_another_firms_document_is_404_either_way(api, firm: Firm, document_id: str) -> None:  # noqa: F811
    other = api.new_firm("owner@other.example", "Other")

    for query in ({}, {"redirect": "false"}):
        answer = download(other, document_id, **query)
        assert answer.status == 404, answer.body
        assert answer.body["error"]["code"] == "not_found"
