"""`voicecart package --bundle`: dependencies as wheels for the Lambda runtime (downloaded from PyPI), every
shared object's glibc within the runtime's, and a zip within Lambda's limits."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from skills.lambda_package import RUNTIME_GLIBC, ZIP_LIMIT, glibc_needs

VOICECART = Path(sys.executable).with_name("voicecart")


def test_glibc_needs_reads_the_newest_version_an_object_asks_for(tmp_path):
    (tmp_path / "old.so").write_bytes(b"\x7fELF....GLIBC_2.2.5\0GLIBC_2.17\0memcpy\0")
    (tmp_path / "new.so.1").write_bytes(b"\x7fELF....GLIBC_2.34\0GLIBC_2.38\0")
    (tmp_path / "script.so").write_bytes(b"#!/bin/sh\nGLIBC_2.99")  # not an ELF object
    assert glibc_needs(tmp_path) == {tmp_path / "new.so.1": (2, 38), tmp_path / "old.so": (2, 17)}


@pytest.mark.network
def test_the_bundle_is_built_for_the_lambda_runtime(tmp_path):
    out = tmp_path / "pkg"
    result = subprocess.run(
        [str(VOICECART), "package", str(out), "--bundle"],
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )
    if result.returncode != 0 and "Could not find a version" in result.stderr and not os.environ.get("CI"):
        pytest.skip("PyPI is not reachable from here")
    assert result.returncode == 0, result.stderr[-3000:]
    lambda_dir = out / "lambda"
    needs = glibc_needs(lambda_dir)
    assert any("cryptography" in str(p) for p in needs) and any("rapidfuzz" in str(p) for p in needs)
    too_new = {str(p): v for p, v in needs.items() if v > RUNTIME_GLIBC}
    assert too_new == {}
    compiled = [p.name for p in lambda_dir.rglob("*.so")]
    assert not [n for n in compiled if "cpython-" in n and "cpython-312" not in n]  # not this machine's Python
    assert not (lambda_dir / "boto3").exists() and not (lambda_dir / "gunicorn").exists()
    zip_path = out / "lambda.zip"
    assert zip_path.stat().st_size < ZIP_LIMIT
    with zipfile.ZipFile(zip_path) as archive:
        names = set(archive.namelist())
    assert {"lambda_function.py", "requirements.txt", "skills/lambda_function.py"} <= names
    assert "lambda.zip: " in result.stderr and "for python3.12" in result.stderr
