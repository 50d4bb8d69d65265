"""kg.io: atomic writes, alone and in sets that belong together."""

from __future__ import annotations

import pytest

from kg.io import atomic_write, atomic_write_all


def hidden(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_atomic_write_replaces_whole(tmp_path):
    p = atomic_write(tmp_path / "a.ttl", "new")
    assert p.read_text() == "new" and hidden(tmp_path) == []


def test_a_set_is_written_before_any_file_is_replaced(tmp_path):
    a, b = tmp_path / "graph.ttl", tmp_path / "mentions.ttl"
    a.write_text("old graph")
    b.write_text("old mentions")
    with pytest.raises(TypeError):
        atomic_write_all([(a, "new graph"), (b, 12345)])  # the second cannot be written
    assert (a.read_text(), b.read_text()) == ("old graph", "old mentions")
    assert hidden(tmp_path) == [], "temporary files are removed"
    assert atomic_write_all([(a, "new graph"), (b, b"new mentions")]) == [a, b]
    assert (a.read_text(), b.read_text()) == ("new graph", "new mentions")
    assert hidden(tmp_path) == []
