"""Importing e-mails (.eml): subject, sender and date as the details, the header lines
and body as the text, attachments listed and imported as documents of their own."""

from __future__ import annotations

import hashlib
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

import pytest

from hyp_board.core.layout import BlockKind
from hyp_board.ingest.importer import DocumentImportError, read_document
from hyp_board.storage import Store

from cli_runner import run
from pdf_factory import Page, write_pdf

HTML_BODY = """<html><head><title>Weekly summary</title></head><body>
<p>Dear colleagues,</p>
<p>The convoy reached the border crossing on Tuesday, two days later than planned, after
the northern road was closed by the local militia.</p>
<ul><li>Fuel stocks are sufficient for ten days.</li><li>Two drivers are unwell.</li></ul>
<p>Regards,<br>Amira</p></body></html>"""


def message_with_attachments(tmp_path: Path) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Amira Haddad <amira@relief.example>"
    message["To"] = "Field team <team@relief.example>"
    message["Subject"] = "Convoy delayed at the border"
    message["Date"] = "Tue, 12 Mar 2024 18:05:00 +0100"
    message.set_content("The convoy reached the border crossing on Tuesday.")
    message.add_alternative(HTML_BODY, subtype="html")
    report = write_pdf(tmp_path / "manifest.pdf", [Page(["Manifest of the convoy: 14 trucks, 3 cars."])])
    message.add_attachment(
        report.read_bytes(), maintype="application", subtype="pdf", filename="manifest.pdf"
    )
    message.add_attachment(
        b"\x89PNG\r\n\x1a\n" + bytes(3000), maintype="image", subtype="png", filename="map.png"
    )
    return message


def write_eml(path: Path, message: EmailMessage) -> Path:
    path.write_bytes(message.as_bytes(policy=default_policy))
    return path


def test_an_email_reads_with_its_details_header_and_body(tmp_path: Path):
    plain = EmailMessage()
    plain["From"] = "Amira Haddad <amira@relief.example>"
    plain["To"] = "team@relief.example"
    plain["Subject"] = "Re: Convoy delayed"
    plain["Date"] = "Tue, 12 Mar 2024 18:05:00 +0100"
    plain.set_content("We are moving again.\n\n> Are you still at the crossing?\n> Reply soon.\n\nAmira\n")
    imported = read_document(write_eml(tmp_path / "reply.eml", plain))
    doc = imported.document
    assert imported.kind == "e-mail"
    assert (doc.title, doc.author, doc.origin, doc.published) == (
        "Re: Convoy delayed",
        "Amira Haddad",
        "amira@relief.example",
        "2024-03-12",
    )
    assert doc.text == (
        "From: Amira Haddad <amira@relief.example>\nTo: team@relief.example\n"
        "Date: Tue, 12 Mar 2024 18:05:00 +0100\nSubject: Re: Convoy delayed\n\n"
        "We are moving again.\n\n> Are you still at the crossing?\n> Reply soon.\n\nAmira"
    )
    kinds = [(b.kind, doc.text[b.start : b.end]) for b in doc.layout.blocks]
    assert kinds[0] == (BlockKind.FIELD, "From: Amira Haddad <amira@relief.example>")
    assert (BlockKind.QUOTE, "> Are you still at the crossing?\n> Reply soon.") in kinds


def test_an_html_email_goes_through_the_web_page_path_and_its_attachments_come_along(tmp_path: Path):
    imported = read_document(write_eml(tmp_path / "convoy.eml", message_with_attachments(tmp_path)))
    doc = imported.document
    # The plain alternative is the body when there is one; this one has both.
    assert "The convoy reached the border crossing on Tuesday." in doc.text
    assert [a.name for a in doc.attachments] == ["manifest.pdf", "map.png"]
    assert doc.attachments[1].content_type == "image/png" and doc.attachments[1].size == 3008
    assert "Attachments: manifest.pdf (application/pdf" in doc.text
    (pdf,) = imported.companions  # the picture cannot be imported; the PDF is
    assert pdf.kind == "PDF" and "14 trucks, 3 cars" in pdf.document.text
    assert pdf.document.origin == "attachment to “Convoy delayed at the border”"
    assert pdf.document.author == "Amira Haddad"


def test_an_html_only_email_is_read_as_a_web_page(tmp_path: Path):
    message = EmailMessage()
    message["From"] = "amira@relief.example"
    message["Subject"] = "Weekly summary"
    message.set_content(HTML_BODY, subtype="html")
    doc = read_document(write_eml(tmp_path / "summary.eml", message)).document
    assert "the northern road was closed by the local militia." in doc.text
    assert "<p>" not in doc.text and "Fuel stocks are sufficient for ten days." in doc.text
    assert doc.author == "amira@relief.example" and doc.published == ""


def test_the_command_line_adds_the_email_and_its_attachment(tmp_path: Path, db_path: Path):
    path = write_eml(tmp_path / "convoy.eml", message_with_attachments(tmp_path))
    store = Store.open(db_path)
    project = store.create_project("Case")
    store.close()
    result = run("add-documents", str(project), str(path), "--db", str(db_path))
    assert result.returncode == 0, result.stderr
    assert "“Convoy delayed at the border”" in result.stdout
    assert "and its attachment as document" in result.stdout and "“Manifest" in result.stdout
    store = Store.open(db_path)
    titles = [d.title for d in store.document_summaries(project)]
    email_doc = store.find_document(project, "Convoy delayed")
    store.close()
    assert titles[0] == "Convoy delayed at the border" and len(titles) == 2
    assert [a.name for a in email_doc.attachments] == ["manifest.pdf", "map.png"]


def nested(depth: int) -> bytes:
    head = b"From: a@example.org\r\nSubject: nested\r\nMIME-Version: 1.0\r\n"
    body = b"Content-Type: text/plain\r\n\r\ninnermost\r\n"
    for n in range(depth):
        boundary = f"b{n}".encode()
        body = (
            b"Content-Type: multipart/mixed; boundary="
            + boundary
            + b"\r\n\r\n--"
            + boundary
            + b"\r\n"
            + body
            + b"\r\n--"
            + boundary
            + b"--\r\n"
        )
    return head + body


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("deep.eml", nested(40), "nested over 12 levels deep"),
        ("very-deep.eml", nested(3000), "nested"),
        ("empty.eml", b"\r\n\r\n", "empty"),
        ("not-mail.eml", b"\x00\x01\x02 binary junk", "no e-mail headers"),
    ],
)
def test_hostile_emails_are_refused_without_harm(tmp_path: Path, db_path: Path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(DocumentImportError, match=reason):
        read_document(path)
    store = Store.open(db_path)
    project = store.create_project("Case")
    store.close()
    before = hashlib.sha256(db_path.read_bytes()).hexdigest()
    result = run("add-documents", str(project), str(path), "--db", str(db_path))
    assert result.returncode == 1 and result.stderr.startswith(f"refused {name}: ")
    assert "Traceback" not in result.stderr
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == before


def test_a_nested_email_within_the_limit_reads(tmp_path: Path):
    path = tmp_path / "ok.eml"
    path.write_bytes(nested(5))
    assert read_document(path).document.text.endswith("innermost")
