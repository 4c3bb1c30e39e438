"""Checks of untrusted participant input, shared by forms, services and imports.

Each ``check_*`` function raises :class:`django.core.exceptions.ValidationError` with a full
sentence naming the problem and how to fix it; the others return facts.
"""

from __future__ import annotations

import ipaddress
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any
from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

# --------------------------------------------------------------------------------------------
# Files: recognised by their content, never by their name
# --------------------------------------------------------------------------------------------

#: Every file type Sayembara accepts, with the label used in messages.
FILE_TYPES: dict[str, Any] = {
    "pdf": gettext_lazy("PDF document"),
    "jpg": gettext_lazy("JPEG image"),
    "png": gettext_lazy("PNG image"),
    "gif": gettext_lazy("GIF image"),
    "webp": gettext_lazy("WebP image"),
    "docx": gettext_lazy("Word document"),
    "xlsx": gettext_lazy("Excel workbook"),
    "pptx": gettext_lazy("PowerPoint presentation"),
    "doc": gettext_lazy("Word 97-2003 document"),
    "xls": gettext_lazy("Excel 97-2003 workbook"),
    "ppt": gettext_lazy("PowerPoint 97-2003 presentation"),
    "odt": gettext_lazy("OpenDocument text"),
    "ods": gettext_lazy("OpenDocument spreadsheet"),
    "odp": gettext_lazy("OpenDocument presentation"),
}
#: Extensions a template may write for the same type.
KIND_ALIASES = {"jpeg": "jpg", "jpe": "jpg"}
#: Content type sent when a stored file is downloaded.
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "webp": "image/webp",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
#: Shown in the browser rather than downloaded.
INLINE_TYPES = frozenset({"pdf", "jpg", "png", "gif", "webp"})
#: Legacy Office files share one container format; which program made them is not checked.
OLE_TYPES = frozenset({"doc", "xls", "ppt"})

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OOXML_PARTS = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}
_ODF_MIMETYPES = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
    b"application/vnd.oasis.opendocument.presentation": "odp",
}
_EXECUTABLES = (
    (b"MZ", gettext_lazy("a Windows program")),
    (b"\x7fELF", gettext_lazy("a Linux program")),
    (b"\xcf\xfa\xed\xfe", gettext_lazy("a macOS program")),
    (b"\xfe\xed\xfa\xcf", gettext_lazy("a macOS program")),
    (b"\xca\xfe\xba\xbe", gettext_lazy("a macOS or Java program")),
    (b"#!", gettext_lazy("a script")),
)


def normalise_kind(kind: str) -> str:
    kind = kind.lower().lstrip(".")
    return KIND_ALIASES.get(kind, kind)


@dataclass(frozen=True)
class Sniffed:
    """What a file's content turned out to be: a known type, or a description of it."""

    file_type: str | None
    description: str
    #: An archive refused for what it would expand to (a "zip bomb").
    bomb: bool = False

    @property
    def label(self) -> str:
        return str(FILE_TYPES[self.file_type]) if self.file_type else self.description


def sniff_file(stream: IO[bytes]) -> Sniffed:
    """Recognise a file by its first bytes (and, for Office/OpenDocument, its zip parts)."""
    stream.seek(0)
    head = stream.read(4096)
    stream.seek(0)
    if not head:
        return Sniffed(None, _("an empty file"))
    for magic, description in _EXECUTABLES:
        if head.startswith(magic):
            return Sniffed(None, str(description))
    if head.lstrip(b"\xef\xbb\xbf\r\n\t ").startswith(b"%PDF-"):
        return Sniffed("pdf", "")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Sniffed("png", "")
    if head.startswith(b"\xff\xd8\xff"):
        return Sniffed("jpg", "")
    if head.startswith((b"GIF87a", b"GIF89a")):
        return Sniffed("gif", "")
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return Sniffed("webp", "")
    if head.startswith(_OLE_MAGIC):
        return Sniffed("doc", "")  # one of doc/xls/ppt; see OLE_TYPES
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(stream)
    return Sniffed(None, _("a file of unknown type"))


#: How far any member of an archive is read to recognise it (a few KB, whatever it declares).
SNIFF_MEMBER_BYTES = 4096
#: The most the members of an uploaded archive may expand to, together.
MAX_ARCHIVE_EXPANSION = 200 * 1024 * 1024
#: The largest compression ratio of one member bigger than :data:`RATIO_FLOOR` (real Office
#: parts compress 3 to 30 times; a "zip bomb" a thousand times).
MAX_MEMBER_RATIO = 200
RATIO_FLOOR = 1024 * 1024
#: The most members an archive may list (its directory is read whole before anything else).
MAX_ARCHIVE_MEMBERS = 10_000

_EOCD = b"PK\x05\x06"


class ArchiveTooLarge(Exception):
    """An archive that declares more than the bounds above; ``expanded`` in bytes, or None
    when it lists too many members."""

    def __init__(self, *, expanded: int | None, members: int) -> None:
        super().__init__(expanded, members)
        self.expanded = expanded
        self.members = members


def _declared_member_count(stream: IO[bytes]) -> int | None:
    """The number of members the end-of-directory record declares (None if not found).

    Read from the last 64 KB before :mod:`zipfile` builds an object for every member, so
    an archive listing millions of tiny members is refused without being listed."""
    stream.seek(0, 2)
    size = stream.tell()
    start = max(0, size - (65535 + 22))
    stream.seek(start)
    tail = stream.read()
    stream.seek(0)
    at = tail.rfind(_EOCD)
    if at < 0 or at + 22 > len(tail):
        return None
    return int.from_bytes(tail[at + 10:at + 12], "little")


def check_archive_bounds(stream: IO[bytes]) -> zipfile.ZipFile:
    """Open a zip archive after checking what it declares; raise :class:`ArchiveTooLarge`.

    Refused: more than :data:`MAX_ARCHIVE_MEMBERS` members (or a zip64 directory, which no
    Office file needs), members together larger than :data:`MAX_ARCHIVE_EXPANSION`, or one
    member compressed more than :data:`MAX_MEMBER_RATIO` times. What is *actually* inflated
    stays within what is declared: :mod:`zipfile` stops every member at its declared size and
    checks its CRC, so a member that lies about its size reads as damaged, never as more.
    Raises ``zipfile.BadZipFile`` for what is not a zip archive.
    """
    count = _declared_member_count(stream)
    if count is not None and count >= min(MAX_ARCHIVE_MEMBERS, 0xFFFF):
        raise ArchiveTooLarge(expanded=None, members=count)
    archive = zipfile.ZipFile(stream)
    infos = archive.infolist()
    if len(infos) > MAX_ARCHIVE_MEMBERS:
        archive.close()
        raise ArchiveTooLarge(expanded=None, members=len(infos))
    expanded = sum(info.file_size for info in infos)
    bomb = any(
        info.file_size > RATIO_FLOOR
        and info.file_size > MAX_MEMBER_RATIO * max(info.compress_size, 1)
        for info in infos
    )
    if expanded > MAX_ARCHIVE_EXPANSION or bomb:
        archive.close()
        raise ArchiveTooLarge(expanded=expanded, members=len(infos))
    return archive


def read_member_head(archive: zipfile.ZipFile, name: str, limit: int = SNIFF_MEMBER_BYTES) -> bytes:
    """The first ``limit`` bytes of one member, inflating no more than that."""
    with archive.open(name) as member:
        return member.read(limit)


def _sniff_zip(stream: IO[bytes]) -> Sniffed:
    try:
        with check_archive_bounds(stream) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                mimetype = read_member_head(archive, "mimetype").strip()
                if mimetype in _ODF_MIMETYPES:
                    return Sniffed(_ODF_MIMETYPES[mimetype], "")
            if "[Content_Types].xml" in names:
                if any(name.lower().endswith("vbaproject.bin") for name in names):
                    return Sniffed(None, _("an Office file with macros"))
                for prefix, kind in _OOXML_PARTS.items():
                    if any(name.startswith(prefix) for name in names):
                        return Sniffed(kind, "")
    except ArchiveTooLarge as bomb:
        return Sniffed(None, archive_too_large_description(bomb), bomb=True)
    except (zipfile.BadZipFile, OSError, KeyError, EOFError, NotImplementedError,
            RuntimeError, ValueError):
        return Sniffed(None, _("a damaged archive"))
    finally:
        stream.seek(0)
    return Sniffed(None, _("a zip archive"))


def archive_too_large_description(bomb: ArchiveTooLarge) -> str:
    if bomb.expanded is None:
        return _("an archive listing %(count)s files, far more than any document holds") % {
            "count": bomb.members}
    return _("an archive that would expand to %(size)s, far more than any document needs") % {
        "size": format_size(bomb.expanded)}


def kinds_label(kinds: tuple[str, ...] | list[str]) -> str:
    """``PDF document, Word document`` for a list of allowed extensions."""
    if {normalise_kind(kind) for kind in kinds} >= set(FILE_TYPES):
        return _("PDF document, image or office document")
    labels = []
    for kind in kinds:
        label = str(FILE_TYPES.get(normalise_kind(kind), kind.upper()))
        if label not in labels:
            labels.append(label)
    return ", ".join(labels)


def format_size(size: int | Decimal) -> str:
    """``1.2 MB`` from one megabyte up, ``340 KB`` below."""
    if size < 1024 * 1024:
        return f"{max(1, round(Decimal(size) / 1024))} KB"
    megabytes = Decimal(size) / Decimal(1024 * 1024)
    return f"{megabytes.quantize(Decimal('0.1'))} MB"


def word_limit_sentence(title: str, words: int, limit: int) -> str:
    """“Title” has N words; the limit is L. Shorten it by K words (each number in its form)."""
    return _("“%(title)s” has %(words)s; the limit is %(limit)s. Shorten it by %(over)s.") % {
        "title": title, "limit": limit,
        "words": ngettext("%(count)s word", "%(count)s words", words) % {"count": words},
        "over": ngettext("%(count)s word", "%(count)s words", words - limit)
        % {"count": words - limit},
    }


def check_upload(
    upload: Any, *, kinds: tuple[str, ...] | list[str], max_size_mb: Decimal, purpose: str
) -> str:
    """Refuse a file that is too large or whose content is not an allowed type.

    Returns the recognised type (an extension such as ``pdf``). ``purpose`` names what the
    file is for in the messages (the document's title in the template).
    """
    name = getattr(upload, "name", "") or _("the file")
    limit = Decimal(max_size_mb) * 1024 * 1024
    if upload.size > limit:
        raise ValidationError(
            _(
                "The file “%(name)s” is %(size)s; the largest file allowed for “%(purpose)s” "
                "is %(limit)s MB. Compress it or split it, and upload it again."
            )
            % {"name": name, "size": format_size(upload.size), "purpose": purpose,
               "limit": max_size_mb},
            code="too_large",
        )
    sniffed = sniff_file(upload)
    if sniffed.bomb:
        raise ValidationError(
            _(
                "The file “%(name)s” is %(found)s, and is refused because opening it could "
                "stop the server. Save the document again from its program (or as PDF) and "
                "upload that file."
            )
            % {"name": name, "found": sniffed.label},
            code="archive_too_large",
        )
    allowed = {normalise_kind(kind) for kind in kinds} & set(FILE_TYPES)
    found = sniffed.file_type
    if found == "doc" and allowed & OLE_TYPES:
        found = sorted(allowed & OLE_TYPES)[0]
    if found is None or found not in allowed:
        raise ValidationError(
            _(
                "The file “%(name)s” is %(found)s, judged by its content rather than its "
                "name; “%(purpose)s” accepts only: %(allowed)s. Upload the right file."
            )
            % {"name": name, "found": sniffed.label, "purpose": purpose,
               "allowed": kinds_label(sorted(allowed))},
            code="wrong_type",
        )
    return found


# --------------------------------------------------------------------------------------------
# Text
# --------------------------------------------------------------------------------------------


def count_words(text: str) -> int:
    """Words as the live counter in the browser counts them (runs of non-space)."""
    return len(text.split())


def check_word_limit(text: str, *, limit: int | None, title: str) -> None:
    if limit is None:
        return
    words = count_words(text)
    if words > limit:
        raise ValidationError(
            word_limit_sentence(title, words, limit),
            code="too_long",
        )


# --------------------------------------------------------------------------------------------
# Video links
# --------------------------------------------------------------------------------------------

YOUTUBE_HOSTS = frozenset({"youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be"})
DRIVE_HOSTS = frozenset({"drive.google.com", "docs.google.com"})
_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_DRIVE_ID = re.compile(r"^[A-Za-z0-9_-]{10,}$")


def _host_matches(host: str, allowed: str) -> bool:
    allowed = allowed.lower().strip().lstrip(".")
    return host == allowed or host.endswith("." + allowed)


def check_video_url(url: str, *, hosts: tuple[str, ...] = ()) -> str:
    """Refuse a video link that is not https, names no real host or no video.

    Checks the link's form only (scheme, host, and for YouTube and Google Drive that the link
    names a video or file); it never contacts the host. ``hosts`` restricts the hosts.
    Returns the link, stripped.
    """
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() != "https":
        raise ValidationError(
            _(
                "The video link “%(url)s” does not start with https://. Copy the secure "
                "link from YouTube, Google Drive or your video host."
            )
            % {"url": url},
            code="not_https",
        )
    host = (parts.hostname or "").lower()
    if not host or "." not in host or host == "localhost" or host.endswith(".local"):
        raise ValidationError(
            _("The video link “%(url)s” does not name a host on the Internet that viewers "
              "can reach. Copy the public link of the video.") % {"url": url},
            code="bad_host",
        )
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        address = None
    if address is not None:
        raise ValidationError(
            _("The video link “%(url)s” points at a bare IP address, which judges and the "
              "public cannot rely on. Use the video's YouTube, Google Drive or web link.")
            % {"url": url},
            code="bad_host",
        )
    if hosts and not any(_host_matches(host, allowed) for allowed in hosts):
        raise ValidationError(
            _("The video must be on %(hosts)s; “%(host)s” is not accepted for this "
              "competition.") % {"hosts": ", ".join(hosts), "host": host},
            code="host_not_allowed",
        )
    if host in YOUTUBE_HOSTS and not _youtube_id(parts):
        raise ValidationError(
            _("The YouTube link “%(url)s” does not name a video. Open the video and copy "
              "the link from Share.") % {"url": url},
            code="no_video",
        )
    if host in DRIVE_HOSTS and not _drive_id(parts):
        raise ValidationError(
            _("The Google Drive link “%(url)s” does not name a file. In Drive choose Share, "
              "allow anyone with the link to view, and copy that link.") % {"url": url},
            code="no_video",
        )
    return url


def _youtube_id(parts: Any) -> str | None:
    segments = [s for s in parts.path.split("/") if s]
    if (parts.hostname or "").lower() == "youtu.be":
        candidate = segments[0] if segments else ""
    elif segments[:1] == ["watch"]:
        candidate = (parse_qs(parts.query).get("v") or [""])[0]
    elif len(segments) >= 2 and segments[0] in {"shorts", "embed", "live", "v"}:
        candidate = segments[1]
    else:
        candidate = ""
    return candidate if _YOUTUBE_ID.match(candidate) else None


def _drive_id(parts: Any) -> str | None:
    segments = [s for s in parts.path.split("/") if s]
    if "d" in segments:
        index = segments.index("d")
        candidate = segments[index + 1] if index + 1 < len(segments) else ""
    else:
        candidate = (parse_qs(parts.query).get("id") or [""])[0]
    return candidate if _DRIVE_ID.match(candidate) else None


def check_video_length(
    seconds: int | None, *, min_seconds: int | None, max_seconds: int | None
) -> None:
    if seconds is None:
        return
    if (min_seconds is not None and seconds < min_seconds) or (
        max_seconds is not None and seconds > max_seconds
    ):
        raise ValidationError(
            _(
                "The video is %(length)s long; this competition accepts videos of "
                "%(range)s. Edit the video and give its new length."
            )
            % {"length": format_duration(seconds),
               "range": duration_range(min_seconds, max_seconds)},
            code="video_length",
        )


def format_duration(seconds: int) -> str:
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes}:{rest:02d}"


def duration_range(min_seconds: int | None, max_seconds: int | None) -> str:
    if min_seconds is not None and max_seconds is not None:
        return _("%(min)s to %(max)s (minutes:seconds)") % {
            "min": format_duration(min_seconds), "max": format_duration(max_seconds)}
    if min_seconds is not None:
        return _("at least %(min)s (minutes:seconds)") % {"min": format_duration(min_seconds)}
    if max_seconds is not None:
        return _("at most %(max)s (minutes:seconds)") % {"max": format_duration(max_seconds)}
    return _("any length")


def video_is_reachable(url: str, *, timeout: float = 5.0) -> bool:
    """Ask the host for the link (HEAD, then GET). Only called when the setting
    ``SAYEMBARA_CHECK_VIDEO_LINKS`` is on; never in tests."""
    import urllib.error
    import urllib.request

    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method,
                                         headers={"User-Agent": "Sayembara link check"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                if response.status < 400:
                    return True
        except urllib.error.HTTPError as error:
            if error.code == 405 and method == "HEAD":
                continue
            return False
        except (urllib.error.URLError, TimeoutError, OSError):
            return False
    return False


# --------------------------------------------------------------------------------------------
# Registry values
# --------------------------------------------------------------------------------------------

#: Kemendagri region codes: province 51, regency 51.03, district 51.03.01, village 51.03.01.2001.
REGION_CODE_RE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
INSTITUTION_KIND_RE = re.compile(r"^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$")


def is_region_code(value: str) -> bool:
    return bool(REGION_CODE_RE.match(value))


def is_institution_kind(value: str) -> bool:
    return bool(INSTITUTION_KIND_RE.match(value))
