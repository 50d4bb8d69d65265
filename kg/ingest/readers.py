"""One reader per input format, chosen by file suffix from :data:`READERS`.

Each format has a pure function from content to :class:`~kg.model.Document`
(:func:`text_document`, :func:`html_document`, :func:`jsonl_document`) and a
thin reader that does the I/O and turns every problem into an
:class:`~kg.model.IngestError` naming the file (and JSONL line) and the fix.
Readers never raise for bad input; they yield ``(item, line)`` pairs where
``item`` is a Document or an IngestError and ``line`` the JSONL line number
(``None`` for whole files).
"""

from __future__ import annotations

import codecs
import errno
import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Callable, Iterator

from kg.ingest.body import analyse
from kg.ingest.meta import markdown_title, parse_date, text_date, text_title, text_url
from kg.model import Document, IngestError

#: Largest input file read, in bytes (``.txt``, ``.md``, ``.html``).
MAX_BYTES = 50 * 1024 * 1024
#: Largest JSONL record (one line), in bytes; a JSONL file itself may be larger.
MAX_RECORD_BYTES = MAX_BYTES
#: Fewest words the main text of an HTML page must have (fewer are menus and
#: buttons, not an article).
MIN_HTML_WORDS = 8

Item = tuple["Document | IngestError", "int | None"]


class ReadError(Exception):
    """A problem with one input; becomes an IngestError with this message."""


@dataclass(frozen=True)
class Limits:
    max_bytes: int = MAX_BYTES
    max_record_bytes: int = MAX_RECORD_BYTES


@dataclass(frozen=True)
class Reader:
    """A registered input format."""

    name: str
    suffixes: tuple[str, ...]
    read: Callable[[Path, Limits], Iterator[Item]]
    description: str


# ---------------------------------------------------------------- pure core


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"


def decode_utf8(data: bytes, *, offset: int = 0) -> str:
    """``data`` decoded as UTF-8 (strict); a ReadError says where it is not UTF-8.

    >>> decode_utf8(b"caf\\xc3\\xa9")
    'café'
    >>> decode_utf8(b"caf\\xe9 au lait")
    Traceback (most recent call last):
    ...
    kg.ingest.readers.ReadError: not valid UTF-8: byte 0xe9 at byte offset 3; the file must be UTF-8 (convert it, e.g. `iconv -f WINDOWS-1252 -t UTF-8 IN > OUT`)
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ReadError(
            f"not valid UTF-8: byte 0x{data[e.start]:02x} at byte offset {offset + e.start}; "
            "the file must be UTF-8 (convert it, e.g. `iconv -f WINDOWS-1252 -t UTF-8 IN > OUT`)"
        ) from None


_WIDE_BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"),
)


def wide_encoding(head: bytes) -> str | None:
    """``"UTF-16"``/``"UTF-32"`` when ``head`` (a file's first bytes) is in one of them, else ``None``.

    By the byte-order mark, or, without one, by the NUL byte beside every
    ASCII character that UTF-16 text has.

    >>> wide_encoding("Tariffs rose".encode("utf-16-le")), wide_encoding(b"Tariffs rose")
    ('UTF-16', None)
    """
    for bom, name in _WIDE_BOMS:
        if head.startswith(bom):
            return name
    sample = head[:512]
    if len(sample) >= 8:
        for half in (sample[0::2], sample[1::2]):
            if half.count(0) >= 0.9 * len(half) and sample.count(0) <= 0.6 * len(sample):
                return "UTF-16"
    return None


def check_text_bytes(data: bytes) -> None:
    """Raise ReadError for empty, UTF-16/UTF-32 or binary content."""
    if not data:
        raise ReadError("empty file: there is no text to read")
    reason = binary_reason(data)
    if reason is not None:
        raise ReadError(reason)


def binary_reason(head: bytes) -> str | None:
    """Why ``head`` (a file's first bytes) is not UTF-8 text, when it plainly is not; else ``None``."""
    wide = wide_encoding(head)
    if wide is not None:
        return (
            f"{wide} text, not UTF-8; convert it, e.g. `iconv -f {wide} -t UTF-8 IN > OUT`"
        )
    nul = head.find(b"\x00")
    if nul >= 0:
        return (
            f"binary file (NUL byte at byte offset {nul}); only UTF-8 text "
            "(.txt, .md), HTML and JSONL files are read"
        )
    return None


def unpaired_surrogate(text: str) -> int | None:
    """Index of the first lone UTF-16 surrogate in ``text`` (JSON's ``"\\ud800"``), or ``None``.

    Such a string cannot be written as UTF-8, so no output could hold it.
    """
    m = _SURROGATE.search(text)
    return m.start() if m else None


_SURROGATE = re.compile("[\ud800-\udfff]")


def as_read_text(data: bytes) -> str:
    """The text exactly as ``Path.read_text(encoding="utf-8")`` returns it.

    Strict UTF-8 with universal newlines (``\\r\\n`` and ``\\r`` become
    ``\\n``); a byte-order mark is kept as U+FEFF. Mention offsets count into
    this text, and the scorer re-reads files the same way.
    """
    text = decode_utf8(data)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def text_document(
    doc_id: str, text: str, source: Path | None = None, *, markdown: bool = False,
    title: str | None = None, date: str | None = None, url: str | None = None,
) -> Document:
    """A Document for a plain or Markdown text: body spans, title, date, URL.

    Fields given by the caller win over those read from the text.
    """
    analysis = analyse(text)
    if title is None:
        title = markdown_title(text) if markdown else None
        if title is None:
            title = text_title(text, analysis)
    return Document(
        id=doc_id,
        text=text,
        title=title,
        date=date if date is not None else text_date(text, analysis),
        url=url if url is not None else text_url(text),
        source=source,
        body=analysis.body,
    )


_TITLE_TAG = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.I | re.S)


def _trafilatura():
    try:
        import trafilatura
    except ImportError as e:  # e.g. justext on lxml>=5.2 without lxml_html_clean
        raise ReadError(
            f"cannot read HTML: trafilatura does not import ({e}); "
            "install it with `pip install trafilatura lxml_html_clean`"
        ) from None
    return trafilatura


def _words(doc) -> int:
    return len(re.findall(r"[^\W\d_]{2,}", (doc.text or "") if doc is not None else ""))


def html_document(doc_id: str, html: bytes | str, source: Path | None = None) -> Document:
    """A Document for an HTML page: trafilatura's main text and metadata.

    The text is what trafilatura extracts as plain text (scripts, styles,
    attributes and link targets are dropped), so it carries no markup at
    all; mention offsets count into it. ``body`` is ``None``: the extraction
    already removed the page chrome.
    """
    traf = _trafilatura()
    if isinstance(html, bytes):
        try:
            html = html.decode("utf-8")
        except UnicodeDecodeError:
            pass  # trafilatura detects the page's own encoding from bytes
    opts = dict(with_metadata=True, include_comments=False,
                include_tables=True, include_links=False, include_images=False)
    try:
        doc = traf.bare_extraction(html, **opts)
        if _words(doc) < MIN_HTML_WORDS:  # short pages: try harder
            doc = traf.bare_extraction(html, favor_recall=True, **opts)
        if _words(doc) < MIN_HTML_WORDS:  # a few menu words are not an article
            doc = None
    except Exception as e:  # trafilatura/lxml raise many kinds on broken markup
        raise ReadError(f"HTML could not be parsed ({type(e).__name__}: {e})") from None
    text = (doc.text or "") if doc is not None else ""
    if not text.strip():
        raise ReadError(
            "no article text found in the HTML (empty, malformed, or a page without a main text); "
            "save the article's own page, or give its text as .txt"
        )
    title = (doc.title or "").strip() or None
    if title is None:
        raw = html if isinstance(html, str) else html.decode("utf-8", "replace")
        m = _TITLE_TAG.search(raw)
        title = (" ".join(m.group(1).split()) or None) if m else None
    date = parse_date(doc.date) if doc.date else None
    url = doc.url if doc.url and doc.url.startswith(("http://", "https://")) else None
    return Document(id=doc_id, text=text, title=title, date=date, url=url, source=source, body=None)


_JSONL_FIELDS = '{"id": "a1", "text": "...", "title"?, "date"?, "url"?}'


def jsonl_document(record: object, source: Path | None = None) -> Document:
    """A Document for one parsed JSONL record; ReadError names what is wrong."""
    if not isinstance(record, dict):
        raise ReadError(f"expected a JSON object {_JSONL_FIELDS}, got a JSON {_json_type(record)}")
    doc_id = record.get("id")
    if doc_id is None:
        raise ReadError(f'record has no "id"; each record needs a unique string id: {_JSONL_FIELDS}')
    if not isinstance(doc_id, str):
        raise ReadError(f'"id" must be a string, got a JSON {_json_type(doc_id)} ({doc_id!r}); write it as "{doc_id}"')
    if not doc_id.strip():
        raise ReadError('"id" is empty; each record needs a unique non-empty string id')
    text = record.get("text")
    if text is None:
        raise ReadError(f'record {doc_id!r} has no "text"; each record needs the article text: {_JSONL_FIELDS}')
    if not isinstance(text, str):
        raise ReadError(f'record {doc_id!r}: "text" must be a string, got a JSON {_json_type(text)}')
    if not text.strip():
        raise ReadError(f'record {doc_id!r}: "text" is empty')
    fields: dict[str, str | None] = {}
    for key in ("title", "date", "url"):
        v = record.get(key)
        if v is not None and not isinstance(v, str):
            raise ReadError(f'record {doc_id!r}: "{key}" must be a string or null, got a JSON {_json_type(v)}')
        fields[key] = (v.strip() or None) if isinstance(v, str) else None
    for key, v in (("id", doc_id), ("text", text), *fields.items()):
        at = unpaired_surrogate(v) if v is not None else None
        if at is not None:
            raise ReadError(
                f'record {ascii(doc_id) if key == "id" else repr(doc_id)}: "{key}" holds an unpaired UTF-16 surrogate '
                f'({ascii(v[at])} at character {at}), which is not text and cannot be written as UTF-8; '
                "fix the JSON escape (a pair such as \\ud83d\\ude00, or the character itself)"
            )
    if fields["date"] is not None:
        iso = parse_date(fields["date"])
        if iso is None:
            raise ReadError(
                f'record {doc_id!r}: "date" {fields["date"]!r} is not a date; use ISO YYYY-MM-DD (e.g. "2024-04-11")'
            )
        fields["date"] = iso
    return text_document(doc_id, text, source, title=fields["title"], date=fields["date"], url=fields["url"])


def _json_type(v: object) -> str:
    return {dict: "object", list: "array", str: "string", bool: "boolean", int: "number",
            float: "number", type(None): "null"}.get(type(v), type(v).__name__)


# ---------------------------------------------------------------- I/O edges


def _open_binary(path: Path) -> IO[bytes]:
    return open(path, "rb")


#: Messages for paths that cannot be followed (also used by kg.ingest for named paths).
LINK_LOOP = "symbolic link loop: the link leads back to itself; fix or remove it"
BROKEN_LINK = "broken symbolic link: its target does not exist"


def _os_message(e: OSError, path: Path | None = None) -> str:
    if e.errno == errno.ELOOP:
        return LINK_LOOP
    if isinstance(e, PermissionError):
        return "cannot read: permission denied; check the file's permissions (e.g. `chmod a+r FILE`)"
    if isinstance(e, FileNotFoundError):
        if path is not None and os.path.islink(path):
            return BROKEN_LINK
        return "no such file (was it removed while reading?)"
    if isinstance(e, IsADirectoryError):
        return "is a directory, not a file"
    return f"cannot read: {e.strerror or e}"


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, after checking it is a regular, not too large, text file."""
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            raise ReadError("not a regular file (a device, pipe or socket); give a text, HTML or JSONL file")
        if st.st_size > max_bytes:
            raise ReadError(
                f"file is {_mb(st.st_size)}, over the {_mb(max_bytes)} limit per file "
                "(kg.ingest.MAX_BYTES); split it, or give its articles as JSONL records"
            )
        with _open_binary(path) as f:
            data = f.read(max_bytes + 1)
    except OSError as e:
        raise ReadError(_os_message(e, path)) from None
    if len(data) > max_bytes:
        raise ReadError(f"file is over the {_mb(max_bytes)} limit per file (kg.ingest.MAX_BYTES)")
    check_text_bytes(data)
    return data


def file_doc_id(path: Path) -> str:
    """The document id of a file: its base name, which must be text (a ReadError if not)."""
    name = path.name
    at = unpaired_surrogate(name)
    if at is not None:
        raise ReadError(
            f"the file name is not valid UTF-8 (byte 0x{ord(name[at]) - 0xDC00:02x} at character {at}), "
            "so it cannot be the document id; rename the file"
        )
    return name


def _read_text_file(path: Path, limits: Limits, markdown: bool) -> Iterator[Item]:
    try:
        doc_id = file_doc_id(path)
        text = as_read_text(read_bytes(path, limits.max_bytes))
        if not text.strip():
            raise ReadError("empty file: it holds only whitespace")
        yield text_document(doc_id, text, path, markdown=markdown), None
    except ReadError as e:
        yield IngestError(path, str(e)), None


def read_txt(path: Path, limits: Limits = Limits()) -> Iterator[Item]:
    """A ``.txt`` file: one Document, its text exactly as read."""
    return _read_text_file(path, limits, markdown=False)


def read_md(path: Path, limits: Limits = Limits()) -> Iterator[Item]:
    """A ``.md`` file: one Document; the Markdown is kept as written."""
    return _read_text_file(path, limits, markdown=True)


def read_html(path: Path, limits: Limits = Limits()) -> Iterator[Item]:
    """An ``.html``/``.htm`` file: one Document of the page's main text."""
    try:
        doc_id = file_doc_id(path)
        yield html_document(doc_id, read_bytes(path, limits.max_bytes), path), None
    except ReadError as e:
        yield IngestError(path, str(e)), None


def iter_jsonl_lines(f: IO[bytes], max_record_bytes: int) -> Iterator[tuple[int, int, bytes | None]]:
    """``(line number, byte offset, line)`` of a binary stream, one line in memory at a time.

    A line longer than ``max_record_bytes`` is skipped without being held in
    memory and yielded as ``None``.
    """
    lineno = offset = 0
    while True:
        line = f.readline(max_record_bytes + 1)
        if not line:
            return
        lineno += 1
        if len(line) > max_record_bytes and not line.endswith(b"\n"):
            size = len(line)
            while True:
                chunk = f.readline(1 << 20)
                size += len(chunk)
                if not chunk or chunk.endswith(b"\n"):
                    break
            yield lineno, offset, None
            offset += size
            continue
        yield lineno, offset, line
        offset += len(line)


def read_jsonl(path: Path, limits: Limits = Limits()) -> Iterator[Item]:
    """A ``.jsonl`` file: one Document per record, streamed line by line.

    Blank lines are skipped; a bad line is an IngestError with its line
    number and the other lines are still read.
    """
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            raise ReadError("not a regular file (a device, pipe or socket); give a JSONL file")
        f = _open_binary(path)
    except ReadError as e:
        yield IngestError(path, str(e)), None
        return
    except OSError as e:
        yield IngestError(path, _os_message(e, path)), None
        return
    records = 0
    with f:
        try:
            head = f.read(8192)
            f.seek(0)
        except OSError as e:
            yield IngestError(path, _os_message(e, path)), None
            return
        reason = binary_reason(head)
        if reason is not None:
            yield IngestError(path, f"{reason}; a .jsonl file must be UTF-8 JSON lines"), None
            return
        try:
            for lineno, offset, raw in iter_jsonl_lines(f, limits.max_record_bytes):
                if raw is None:
                    yield IngestError(
                        path,
                        f"record is over the {_mb(limits.max_record_bytes)} limit per record "
                        "(kg.ingest.MAX_RECORD_BYTES); skipped",
                        lineno,
                    ), lineno
                    continue
                try:
                    line = decode_utf8(raw, offset=offset)
                    if lineno == 1:
                        line = line.lstrip("\ufeff")
                    if not line.strip():
                        continue
                    try:
                        record = json.loads(line)
                    except json.JSONDecodeError as e:
                        raise ReadError(
                            f"not valid JSON ({e.msg} at column {e.colno}); each line must be one JSON object "
                            f"{_JSONL_FIELDS}"
                        ) from None
                    except RecursionError:
                        raise ReadError("not valid JSON (nested too deeply)") from None
                    doc = jsonl_document(record, path)
                    records += 1
                    yield doc, lineno
                except ReadError as e:
                    records += 1
                    yield IngestError(path, str(e), lineno), lineno
        except OSError as e:
            yield IngestError(path, _os_message(e)), None
            return
    if records == 0:
        yield IngestError(path, "empty file: no JSON records (one JSON object per line)"), None


READERS_LIST: tuple[Reader, ...] = (
    Reader("text", (".txt",), read_txt, "plain text, UTF-8"),
    Reader("markdown", (".md",), read_md, "Markdown, UTF-8"),
    Reader("html", (".html", ".htm"), read_html, "a saved web page (main text extracted)"),
    Reader("jsonl", (".jsonl",), read_jsonl, 'one JSON object per line: {"id", "text", "title"?, "date"?, "url"?}'),
)
#: Readers by lower-case suffix.
READERS: dict[str, Reader] = {s: r for r in READERS_LIST for s in r.suffixes}


def reader_for(path: Path) -> Reader | None:
    """The reader for ``path``'s suffix (case-insensitive), or ``None``."""
    return READERS.get(path.suffix.lower())


def valid_suffixes() -> str:
    """``".txt, .md, .html, .htm, .jsonl"``: for error messages."""
    return ", ".join(READERS)
