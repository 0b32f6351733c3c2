"""Catalog import shows progress on a terminal and writes nothing extra when stderr is a pipe."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

from reorder.catalog import synthetic_catalog, write_catalog_file

VOICECART = Path(sys.executable).with_name("voicecart")


def _import(tmp_path: Path, *, terminal: bool) -> tuple[str, str]:
    catalog = tmp_path / "catalog.json"
    if not catalog.exists():
        write_catalog_file(synthetic_catalog(3000, 0), catalog)
    command = [str(VOICECART), "--store", f"sqlite:///{tmp_path / 's.sqlite3'}", "catalog", "import", str(catalog)]
    if not terminal:
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        return result.stdout, result.stderr
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a 100-column terminal
    try:
        result = subprocess.run(command, stdout=subprocess.PIPE, stderr=follower, text=True, timeout=120)
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal's other end is closed: all was read
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(leader)
    assert result.returncode == 0
    return result.stdout, b"".join(chunks).decode("utf-8", "replace")


def test_import_progress_only_on_a_terminal(tmp_path):
    out, err = _import(tmp_path, terminal=False)
    assert out.strip().startswith("imported 3000 products")
    assert err == ""
    out, err = _import(tmp_path, terminal=True)
    assert out.strip().startswith("imported 3000 products")
    assert "importing: 100%" in err and "3.00k/3.00k" in err
