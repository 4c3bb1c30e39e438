import io
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from sayembara.entries.validators import (
    check_upload,
    check_video_length,
    check_video_url,
    check_word_limit,
    count_words,
    is_region_code,
    sniff_file,
)
from tests.factories_entries import PNG_BYTES, docx_bytes, exe_upload, pdf_bytes, pdf_upload


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (pdf_bytes(), "pdf"),
        (PNG_BYTES, "png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "jpg"),
        (b"GIF89a\x01\x00", "gif"),
        (docx_bytes(), "docx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "doc"),
    ],
)
def test_sniff_file_recognises_content(content, expected):
    assert sniff_file(io.BytesIO(content)).file_type == expected


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"MZ\x90\x00", "Windows program"),
        (b"\x7fELF\x02\x01", "Linux program"),
        (b"#!/bin/sh\nrm -rf /", "script"),
        (b"", "empty file"),
        (b"just some text", "unknown type"),
    ],
)
def test_sniff_file_describes_what_it_refuses(content, words):
    sniffed = sniff_file(io.BytesIO(content))
    assert sniffed.file_type is None
    assert words in sniffed.description


def test_sniff_file_refuses_office_file_with_macros():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
        archive.writestr("word/vbaProject.bin", b"\x00")
    sniffed = sniff_file(io.BytesIO(buffer.getvalue()))
    assert sniffed.file_type is None
    assert "macros" in sniffed.description


def test_check_upload_refuses_renamed_executable():
    with pytest.raises(ValidationError) as error:
        check_upload(exe_upload("laporan.pdf"), kinds=("pdf",), max_size_mb=Decimal(5),
                     purpose="Laporan kinerja")
    message = error.value.messages[0]
    assert "“laporan.pdf”" in message
    assert "a Windows program" in message
    assert "Laporan kinerja" in message
    assert "PDF document" in message


def test_check_upload_refuses_file_over_the_limit_with_sizes():
    upload = pdf_upload("besar.pdf", size=1_300_000)
    with pytest.raises(ValidationError) as error:
        check_upload(upload, kinds=("pdf",), max_size_mb=Decimal(1), purpose="Laporan")
    assert error.value.messages == [
        "The file “besar.pdf” is 1.2 MB; the largest file allowed for “Laporan” is 1 MB. "
        "Compress it or split it, and upload it again."
    ]


def test_check_upload_refuses_allowed_type_that_the_slot_does_not_take():
    upload = SimpleUploadedFile("foto.pdf", PNG_BYTES)
    with pytest.raises(ValidationError) as error:
        check_upload(upload, kinds=("pdf",), max_size_mb=Decimal(1), purpose="Laporan")
    assert "PNG image" in error.value.messages[0]


def test_check_upload_accepts_by_content_whatever_the_name():
    upload = SimpleUploadedFile("scan.PNG.bin", PNG_BYTES)
    assert check_upload(upload, kinds=("jpeg", "png"), max_size_mb=Decimal(1),
                        purpose="Foto") == "png"


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://youtu.be/dQw4w9WgXcQ",
        "https://www.youtube.com/shorts/dQw4w9WgXcQ",
        "https://drive.google.com/file/d/1AbCdEfGhIjKlMnOpQrStUv/view?usp=sharing",
        "https://drive.google.com/open?id=1AbCdEfGhIjKlMnOpQrStUv",
        "https://vimeo.com/123456",
        "https://diskominfo.minut.go.id/video/inovasi.mp4",
    ],
)
def test_check_video_url_accepts_youtube_drive_and_any_https(url):
    assert check_video_url(url) == url


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://www.youtube.com/watch?v=dQw4w9WgXcQ", "does not start with https://"),
        ("ftp://files.example.org/video.mp4", "does not start with https://"),
        ("https://localhost/video.mp4", "does not name a host"),
        ("https://intranet/video.mp4", "does not name a host"),
        ("https://192.168.1.20/video.mp4", "bare IP address"),
        ("https://www.youtube.com/channel/UCabc", "does not name a video"),
        ("https://youtu.be/", "does not name a video"),
        ("https://drive.google.com/drive/my-drive", "does not name a file"),
    ],
)
def test_check_video_url_refuses_unreachable_or_insecure_links(url, words):
    with pytest.raises(ValidationError) as error:
        check_video_url(url)
    assert words in error.value.messages[0]


def test_check_video_url_restricts_hosts_when_the_template_does():
    with pytest.raises(ValidationError) as error:
        check_video_url("https://vimeo.com/1234", hosts=("drive.google.com",))
    assert error.value.messages == [
        "The video must be on drive.google.com; “vimeo.com” is not accepted for this "
        "competition."
    ]


@pytest.mark.parametrize(("seconds", "ok"), [(59, False), (60, True), (120, True), (121, False)])
def test_check_video_length_uses_inclusive_limits(seconds, ok):
    if ok:
        check_video_length(seconds, min_seconds=60, max_seconds=120)
    else:
        with pytest.raises(ValidationError) as error:
            check_video_length(seconds, min_seconds=60, max_seconds=120)
        assert "1:00 to 2:00" in error.value.messages[0]


def test_check_word_limit_names_section_count_and_excess():
    text = " ".join(["kata"] * 23)
    with pytest.raises(ValidationError) as error:
        check_word_limit(text, limit=20, title="Ringkasan")
    assert error.value.messages == [
        "“Ringkasan” has 23 words; the limit is 20. Shorten it by 3 words."
    ]
    check_word_limit(" ".join(["kata"] * 20), limit=20, title="Ringkasan")


def test_count_words_matches_the_browser_counter():
    assert count_words("  satu\tdua\n\ntiga  ") == 3
    assert count_words("") == 0


@pytest.mark.parametrize(
    ("code", "ok"),
    [("51", True), ("51.03", True), ("51.03.01", True), ("51.03.01.2001", True),
     ("5103", False), ("51.3", False), ("51.03.01.201", False), ("", False)],
)
def test_is_region_code_follows_kemendagri_format(code, ok):
    assert is_region_code(code) is ok
