"""Bad input: every case gets one clear message naming the file and the reason,
the other inputs are still built, and the exit code says whether anything failed.

tests/test_ingest.py covers the readers' basic cases (empty, whitespace, a PNG,
Latin-1 text, the per-file cap, JSONL line errors, a FIFO given by name); this
module covers the rest of the list in issue 9 and checks the whole set through
`kg build` once.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import DCTERMS

from helpers import ROOT, kg_env
from kg.ingest import MAX_BYTES, IngestResult, read_inputs
from kg.model import IngestError

PAGE = Path(__file__).parent / "data" / "ingest" / "page.html"
ARTICLE = "The European Union imposed tariffs on Chinese steel on Monday, officials in Brussels said.\n"


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def only_error(res: IngestResult) -> IngestError:
    assert len(res.errors) == 1, [str(e) for e in res.errors]
    return res.errors[0]


# ----------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    "encoding, name",
    [("utf-16", "UTF-16"), ("utf-16-le", "UTF-16"), ("utf-16-be", "UTF-16"), ("utf-32", "UTF-32")],
)
@pytest.mark.parametrize("suffix", [".txt", ".md", ".html", ".jsonl"])
def test_utf16_and_utf32_are_named_with_the_fix(tmp_path, encoding, name, suffix):
    text = json.dumps({"id": "a", "text": ARTICLE}) if suffix == ".jsonl" else ARTICLE
    p = write(tmp_path / f"wide{suffix}", text.encode(encoding))
    ok = write(tmp_path / "ok.txt", ARTICLE)
    res = read_inputs([p, ok])
    err = only_error(res)
    assert err.path == p
    assert f"{name} text, not UTF-8" in err.message and f"iconv -f {name} -t UTF-8" in err.message
    assert [d.id for d in res.documents] == ["ok.txt"]


@pytest.mark.parametrize(
    "raw, offset",
    [
        (b"Tariffs \xc3\x28 rose.", 8),  # a lead byte without its continuation
        (b"Tariffs rose \xe2\x82", 13),  # cut in the middle of a character at the end
        (b"Tariffs \xc0\xaf rose.", 8),  # overlong encoding of '/'
        (b"Tariffs \xed\xa0\x80 rose.", 8),  # a UTF-16 surrogate encoded as UTF-8
        (b"Tariffs \xf8\x88\x80\x80\x80 rose.", 8),  # 5-byte form, not UTF-8
        (b"Tariffs \xff rose.", 8),
    ],
)
def test_invalid_utf8_names_the_byte_offset(tmp_path, raw, offset):
    p = write(tmp_path / "bad.txt", raw)
    err = only_error(read_inputs([p]))
    assert "not valid UTF-8" in err.message and f"byte offset {offset}" in err.message and "iconv" in err.message


def test_latin1_html_is_read_by_its_declared_charset(tmp_path):
    html = PAGE.read_text(encoding="utf-8").replace('charset="utf-8"', 'charset="iso-8859-1"')
    html = html.replace("Ministry of Industry", "Ministère de l'Industrie")
    p = write(tmp_path / "latin1.html", html.encode("latin-1", errors="replace"))
    (doc,) = read_inputs([p]).documents
    assert "Ministère de l'Industrie" in doc.text


def test_jsonl_unpaired_surrogate_escapes(tmp_path):
    lines = [
        json.dumps({"id": "ok", "text": ARTICLE}),
        '{"id": "s1", "text": "Tariffs \\ud800 rose."}',
        '{"id": "s2\\udfff", "text": "Tariffs rose."}',
        '{"id": "s3", "text": "Tariffs rose.", "title": "\\udc80"}',
        '{"id": "pair", "text": "Tariffs rose \\ud83d\\ude00 today, officials said."}',  # a real pair is fine
    ]
    p = write(tmp_path / "s.jsonl", "\n".join(lines) + "\n")
    res = read_inputs([p])
    assert [d.id for d in res.documents] == ["ok", "pair"]
    assert res.documents[1].text == "Tariffs rose \U0001F600 today, officials said."
    by_line = {e.line: e.message for e in res.errors}
    assert sorted(by_line) == [2, 3, 4]
    assert all("unpaired UTF-16 surrogate" in m for m in by_line.values())
    assert '"text"' in by_line[2] and '"id"' in by_line[3] and '"title"' in by_line[4]
    for m in by_line.values():
        m.encode("utf-8")  # the message itself is printable


def test_file_name_that_is_not_utf8(tmp_path):
    name = os.fsdecode(b"caf\xe9.txt")  # a Latin-1 file name on a UTF-8 system
    p = write(tmp_path / name, ARTICLE)
    ok = write(tmp_path / "ok.txt", ARTICLE)
    res = read_inputs([tmp_path])
    err = only_error(res)
    assert err.path == p and "file name is not valid UTF-8" in err.message and "rename" in err.message
    assert [d.source for d in res.documents] == [ok]


# ----------------------------------------------------------------- size


def test_file_over_50_mb_is_refused_without_reading_it(tmp_path, monkeypatch):
    big = tmp_path / "big.txt"
    line = ARTICLE.encode()
    with open(big, "wb") as f:  # a real 50 MB text file, just over the cap
        block = line * (1024 * 1024 // len(line) + 1)
        while f.tell() <= MAX_BYTES:
            f.write(block)
    ok = write(tmp_path / "ok.txt", ARTICLE)
    import kg.ingest.readers as readers

    opened: list[str] = []
    real_open = readers._open_binary
    monkeypatch.setattr(readers, "_open_binary", lambda p: opened.append(Path(p).name) or real_open(p))
    res = read_inputs([tmp_path])
    err = only_error(res)
    assert err.path == big and "over the 50.0 MB limit" in err.message and "split it" in err.message
    assert opened == ["ok.txt"]  # refused by its size, never opened
    assert [d.source for d in res.documents] == [ok]


# ----------------------------------------------------------------- HTML


@pytest.mark.parametrize(
    "html",
    [
        "<!doctype html><html><head><title>Only a title</title></head></html>",
        "<html><head><title>Nav only</title></head><body><nav><a href='/'>Home</a> <a href='/w'>World</a></nav>"
        "<footer>© 2024</footer></body></html>",
        "<html><body><script>var article = 'The EU imposed tariffs on Chinese steel on Monday';</script></body></html>",
        "<html><body><img src=x onerror=alert(1)></body></html>",
        "<html><body>   \n\t  </body></html>",
    ],
    ids=["head-only", "chrome-only", "script-only", "image-only", "blank-body"],
)
def test_html_without_an_article_body(tmp_path, html):
    p = write(tmp_path / "nobody.html", html)
    err = only_error(read_inputs([p]))
    assert err.path == p and "no article text" in err.message and "as .txt" in err.message


@pytest.mark.parametrize("cut", [0.1, 0.5, 0.75, 0.95])
def test_truncated_html_is_a_document_or_one_error(tmp_path, cut):
    raw = PAGE.read_bytes()
    p = write(tmp_path / "cut.html", raw[: int(len(raw) * cut)])
    res = read_inputs([p])
    assert len(res.documents) + len(res.errors) == 1
    if res.errors:
        assert res.errors[0].path == p and "no article text" in res.errors[0].message
    else:
        (doc,) = res.documents
        assert doc.text.strip() and "<" not in doc.text  # what survived, as text


def test_truncated_html_mid_tag_and_mid_character(tmp_path):
    a = write(tmp_path / "a.html", "<html><head><title>Tariffs</ti")
    b = write(tmp_path / "b.html", "<html><body><article><p>Tariffs on steel rose sharply, the ministry said on Monday, "
                                   "caf\xc3".encode("latin-1"))
    res = read_inputs([a, b])
    assert {e.path for e in res.errors} | {d.source for d in res.documents} == {a, b}
    assert len(res.errors) + len(res.documents) == 2


# ----------------------------------------------------------------- JSONL


@pytest.mark.parametrize(
    "record, expect",
    [
        ({"id": "a", "text": 42}, '"text" must be a string, got a JSON number'),
        ({"id": "a", "text": ["The EU", "imposed tariffs"]}, '"text" must be a string, got a JSON array'),
        ({"id": "a", "text": {"body": ARTICLE}}, '"text" must be a string, got a JSON object'),
        ({"id": "a", "text": True}, '"text" must be a string, got a JSON boolean'),
        ({"id": "a"}, 'has no "text"'),
        ({"text": ARTICLE}, 'has no "id"'),
        ({"id": "a", "text": ARTICLE, "url": 7}, '"url" must be a string or null'),
        ({"id": "a", "text": ARTICLE, "date": "yesterday"}, "YYYY-MM-DD"),
    ],
)
def test_jsonl_bad_records(tmp_path, record, expect):
    p = write(tmp_path / "r.jsonl", json.dumps({"id": "good", "text": ARTICLE}) + "\n" + json.dumps(record) + "\n")
    res = read_inputs([p])
    err = only_error(res)
    assert err.line == 2 and expect in err.message and str(err).startswith(f"{p}:2: ")
    assert [d.id for d in res.documents] == ["good"]


@pytest.mark.parametrize(
    "line",
    ['{"id": "a", "text": "unterminated', "[1, 2", "{'id': 'a'}", '{"id": "a", "text": "x"} trailing', "\x1b[31m", "[" * 100_000],
    ids=["unterminated", "array", "single-quotes", "trailing", "escape-seq", "deep-nesting"],
)
def test_jsonl_bad_lines(tmp_path, line):
    p = write(tmp_path / "r.jsonl", line + "\n" + json.dumps({"id": "good", "text": ARTICLE}) + "\n")
    res = read_inputs([p])
    err = only_error(res)
    assert err.line == 1 and ("not valid JSON" in err.message or "expected a JSON object" in err.message)
    assert [d.id for d in res.documents] == ["good"]


# ----------------------------------------------------------------- paths, links, permissions


def test_missing_paths_each_named(tmp_path):
    ok = write(tmp_path / "ok.txt", ARTICLE)
    res = read_inputs([tmp_path / "nope.txt", tmp_path / "no" / "such" / "folder", ok])
    assert [(e.path.name, "no such file or folder" in e.message) for e in res.errors] == [("nope.txt", True), ("folder", True)]
    assert [d.source for d in res.documents] == [ok]


def test_symlink_loops(tmp_path):
    d = tmp_path / "in"
    ok = write(d / "ok.txt", ARTICLE)
    (d / "a.txt").symlink_to("b.txt")
    (d / "b.txt").symlink_to("a.txt")
    (d / "self.md").symlink_to("self.md")
    (d / "broken.txt").symlink_to("gone.txt")
    (d / "up").symlink_to("..")  # a folder loop: symlinked folders are not followed
    (d / "sub").mkdir()
    (d / "sub" / "back").symlink_to(d, target_is_directory=True)
    res = read_inputs([d, d / "a.txt", d / "self.md"])  # named and walked: still one message each
    msgs = {e.path.name: e.message for e in res.errors}
    assert len(res.errors) == len(msgs) == 4, [str(e) for e in res.errors]
    assert "symbolic link loop" in msgs["a.txt"] and "symbolic link loop" in msgs["b.txt"]
    assert "symbolic link loop" in msgs["self.md"]
    assert "broken symbolic link" in msgs["broken.txt"]
    assert [doc.source for doc in res.documents] == [ok]
    # a named folder that is a link to a loop is followed once, not forever
    res = read_inputs([d / "sub" / "back"])
    assert [doc.id for doc in res.documents] == ["ok.txt"]


def test_unreadable_file_that_even_root_cannot_read(tmp_path):
    """/proc/self/mem fails with EIO on read for every user: a real unreadable file, root or not."""
    if not Path("/proc/self/mem").exists():
        pytest.skip("no /proc")
    d = tmp_path / "in"
    ok = write(d / "ok.txt", ARTICLE)
    (d / "mem.txt").symlink_to("/proc/self/mem")
    res = read_inputs([d])
    err = only_error(res)
    assert err.path == d / "mem.txt" and err.message.startswith("cannot read:")
    assert [doc.source for doc in res.documents] == [ok]


def _read_as(uid: int, paths: list[Path]) -> dict:
    """read_inputs(paths) in a forked child running as ``uid`` (so chmod applies even when we are root)."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        code = 0
        try:
            os.close(r)
            if os.geteuid() != uid:
                os.setgroups([])
                os.setgid(uid)
                os.setuid(uid)
            res = read_inputs(paths)
            out = {"docs": [d.id for d in res.documents], "errors": [[str(e.path), e.message] for e in res.errors]}
            os.write(w, json.dumps(out).encode())
        except BaseException as e:  # pragma: no cover - reported by the parent
            os.write(w, json.dumps({"crash": repr(e)}).encode())
            code = 1
        finally:
            os._exit(code)
    os.close(w)
    with os.fdopen(r, "rb") as f:
        data = f.read()
    os.waitpid(pid, 0)
    return json.loads(data)


@pytest.mark.skipif(os.name != "posix" or not hasattr(os, "fork"), reason="POSIX permissions and fork")
def test_unreadable_files_and_folders_for_real():
    """chmod 000 on a file and a folder. As root (who reads everything), the read runs in a
    forked child that has dropped to the 'nobody' user, so the permissions really apply."""
    uid = os.geteuid()
    if uid == 0:
        uid = 65534  # nobody
    base = Path(tempfile.mkdtemp(prefix="kg-perm-"))  # not under pytest's 0700 tmp folder
    try:
        base.chmod(0o755)
        ok = write(base / "ok.txt", ARTICLE)
        secret = write(base / "secret.txt", ARTICLE)
        locked = base / "locked"
        write(locked / "inside.txt", ARTICLE)
        for p in (ok, locked / "inside.txt"):
            p.chmod(0o644)
        secret.chmod(0)
        locked.chmod(0)
        got = _read_as(uid, [base])
        assert "crash" not in got, got
        errors = dict(map(tuple, got["errors"]))
        assert got["docs"] == ["ok.txt"]
        assert "permission denied" in errors[str(secret)] and "chmod" in errors[str(secret)]
        assert "cannot list folder: permission denied" in errors[str(locked)]
        assert len(errors) == 2
    finally:
        (base / "locked").chmod(0o755)
        shutil.rmtree(base)


def test_special_files_in_a_folder(tmp_path):
    d = tmp_path / "in"
    ok = write(d / "ok.txt", ARTICLE)
    os.mkfifo(d / "pipe.txt")  # would block a reader that opens before it checks
    write(d / "dir.txt" / "inner.txt", ARTICLE)  # a folder named like a file is walked as a folder
    res = read_inputs([d])
    err = only_error(res)
    assert err.path == d / "pipe.txt" and "not a regular file" in err.message
    assert [doc.source for doc in res.documents] == [d / "dir.txt" / "inner.txt", ok]


# ----------------------------------------------------------------- all of it through `kg build`


def kg(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg", *args], cwd=ROOT, capture_output=True, text=True, timeout=600,
                          env=kg_env(**env))


BAD = {
    "empty.txt": b"",
    "blank.md": b"  \n\t \r\n",
    "image.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
    "latin1.txt": "Caf\xe9 tariffs rose, the ministry said.".encode("latin-1"),
    "utf16.txt": ARTICLE.encode("utf-16"),
    "badutf8.md": b"Tariffs \xc3\x28 rose.\n",
    "nobody.html": b"<html><head><title>Home</title></head><body><nav><a href='/'>Home</a></nav></body></html>",
}
REASONS = {
    "empty.txt": "empty file",
    "blank.md": "only whitespace",
    "image.txt": "binary file",
    "latin1.txt": "not valid UTF-8",
    "utf16.txt": "UTF-16 text",
    "badutf8.md": "not valid UTF-8",
    "nobody.html": "no article text",
    "huge.txt": "limit per file",
    "loop.txt": "symbolic link loop",
    "mem.txt": "cannot read",
    "pipe.txt": "not a regular file",
    "missing.txt": "no such file or folder",
}


@pytest.mark.model
def test_kg_build_names_each_bad_input_once_and_builds_the_rest(tmp_path):
    src = tmp_path / "in"
    for name, data in BAD.items():
        write(src / name, data)
    write(src / "good.txt", ARTICLE)
    write(src / "truncated.html", PAGE.read_bytes()[: len(PAGE.read_bytes()) * 3 // 4])
    records = [json.dumps({"id": "rec-ok", "text": "Japan criticized the new export controls imposed by China."}),
               "{broken json", json.dumps({"id": "rec-notext"}), json.dumps({"id": "rec-num", "text": 3.5})]
    write(src / "records.jsonl", "\n".join(records) + "\n")
    with open(src / "huge.txt", "wb") as f:  # sparse: over the cap by its size
        f.truncate(MAX_BYTES + 1)
    (src / "loop.txt").symlink_to("loop.txt")
    if Path("/proc/self/mem").exists():
        (src / "mem.txt").symlink_to("/proc/self/mem")
    os.mkfifo(src / "pipe.txt")
    out = tmp_path / "out"
    r = kg("build", str(src), str(tmp_path / "missing.txt"), "-o", str(out), "--no-html", "--no-validate")
    assert r.returncode == 1, (r.stdout, r.stderr)
    assert "Traceback" not in r.stderr, r.stderr
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    for name, reason in REASONS.items():
        if name == "mem.txt" and not (src / "mem.txt").is_symlink():
            continue
        hits = [ln for ln in lines if f"{os.sep}{name}:" in ln]
        assert len(hits) == 1, (name, hits, r.stderr)
        assert reason in hits[0], (name, hits[0])
    jsonl = [ln for ln in lines if "records.jsonl:" in ln]
    assert len(jsonl) == 3 and {ln.split("records.jsonl:")[1].split(":")[0] for ln in jsonl} == {"2", "3", "4"}
    g = Graph().parse(out / "graph.ttl")
    ids = {str(o) for o in g.objects(None, DCTERMS.identifier)}
    assert {"good.txt", "rec-ok", "truncated.html"} <= ids
    assert not ids & set(REASONS)


@pytest.mark.model
def test_exit_code_is_zero_when_nothing_failed(tmp_path):
    p = write(tmp_path / "good.txt", ARTICLE)
    r = kg("build", str(p), "-o", str(tmp_path / "out"), "--no-html", "--no-validate")
    assert r.returncode == 0, r.stderr
    assert "skipped" not in r.stderr


@pytest.mark.model
def test_a_paragraph_over_spacys_max_length_does_not_stop_the_build(tmp_path):
    src = tmp_path / "in"
    write(src / "good.txt", ARTICLE)
    # one line of 1.1 million characters that is cheap to parse: a few tokens, one of them huge
    write(src / "oneline.txt", "The EU imposed tariffs on China. " + "x" * 1_100_000 + " Japan criticized it.\n")
    out = tmp_path / "out"
    r = kg("build", str(src), "-o", str(out), "--no-html", "--no-validate")
    assert "Traceback" not in r.stderr, r.stderr[-3000:]
    assert (out / "graph.ttl").is_file()
    ids = {str(o) for o in Graph().parse(out / "graph.ttl").objects(None, DCTERMS.identifier)}
    assert "good.txt" in ids
    assert r.returncode == 0 or "oneline.txt" in r.stderr


@pytest.mark.model
def test_file_names_cannot_drive_the_terminal(tmp_path):
    src = tmp_path / "in"
    write(src / "ok.txt", ARTICLE)
    write(src / "a\x1b[31mRED\x1b[0m\x1b]0;owned\x07.txt", b"")  # empty: reported by name
    r = kg("build", str(src), "-o", str(tmp_path / "out"), "--no-html", "--no-validate", NO_COLOR="1", TERM="dumb")
    assert r.returncode == 1 and "RED" in r.stderr, r.stderr
    assert "\x1b" not in r.stderr and "\x07" not in r.stderr, repr(r.stderr)
