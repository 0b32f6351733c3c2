"""The default skill's entry points, read without importlib.metadata, as importlib.metadata reads them."""

from __future__ import annotations

import sys
import zipfile
from importlib.metadata import entry_points as metadata_entry_points

import pytest

from device_sim import default_skill
from device_sim.default_skill import ENTRY_POINT_GROUP, entry_points, installed_default_skill


@pytest.mark.parametrize("group", [ENTRY_POINT_GROUP, "console_scripts", "pytest11", "distutils.commands", "none.such"])
def test_the_quick_reading_finds_what_importlib_metadata_finds(group):
    quick = default_skill._scan(group)
    assert quick is not None  # this environment is one the quick reading covers
    assert [tuple(e) for e in quick] == [(e.name, e.value) for e in metadata_entry_points(group=group)]


def _declare(folder, dist: str, body: str) -> None:
    info = folder / f"{dist}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(body)


def test_a_third_party_default_skill_named_first_is_the_one_a_device_runs(tmp_path, monkeypatch):
    (tmp_path / "other_app_skill.py").write_text("def open_other(store_url, clock, *, locale):\n    return 'other'\n")
    _declare(
        tmp_path,
        "other_app",
        f"# a comment\n[console_scripts]\nx = y:z\n\n[{ENTRY_POINT_GROUP}]\n aaa = other_app_skill:open_other \n",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    declared = entry_points(ENTRY_POINT_GROUP)
    assert [tuple(e) for e in declared] == [(e.name, e.value) for e in metadata_entry_points(group=ENTRY_POINT_GROUP)]
    assert ("aaa", "other_app_skill:open_other") in declared
    opener = installed_default_skill()
    assert opener(None, None, locale="en-US") == "other"


def test_a_distribution_shadowed_by_an_earlier_one_of_the_same_name_is_not_read(tmp_path, monkeypatch):
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    _declare(first, "Same.Name", "[demo.group]\none = a:b\n")
    _declare(second, "same_name", "[demo.group]\ntwo = c:d\n")
    monkeypatch.syspath_prepend(str(second))
    monkeypatch.syspath_prepend(str(first))
    assert [tuple(e) for e in entry_points("demo.group")] == [("one", "a:b")]
    assert [(e.name, e.value) for e in metadata_entry_points(group="demo.group")] == [("one", "a:b")]


def test_a_zip_on_the_path_is_left_to_importlib_metadata(tmp_path, monkeypatch):
    archive = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("zipped-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: zipped\nVersion: 1.0\n")
        bundle.writestr("zipped-1.0.dist-info/entry_points.txt", "[demo.zipped]\nz = m:f\n")
    monkeypatch.setattr(sys, "path", [str(archive), *sys.path])
    assert default_skill._scan("demo.zipped") is None
    assert [tuple(e) for e in entry_points("demo.zipped")] == [("z", "m:f")]


def test_a_value_that_names_no_module_cannot_be_loaded():
    with pytest.raises(ImportError):
        default_skill.Declared("bad", "not a value!").load()
