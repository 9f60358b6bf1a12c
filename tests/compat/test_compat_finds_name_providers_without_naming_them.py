"""microaxon.compat finds the packages that register Kamaelia names by itself: a package on
sys.path with a kamaelia_names.py, or (for an editable install, whose packages live elsewhere)
an entry point in the "microaxon.compat" group."""
import sys

from microaxon import compat


def test_a_package_with_kamaelia_names_on_sys_path_is_found(tmp_path, monkeypatch):
    pkg = tmp_path / "someprovider"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "kamaelia_names.py").write_text("def register_names(register):\n    pass\n")
    monkeypatch.setattr(sys, "path", [str(tmp_path)])
    assert compat._providers() == ["someprovider.kamaelia_names"]


def test_an_entry_point_is_the_fallback(tmp_path, monkeypatch):
    dist = tmp_path / "someprovider-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: someprovider\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[microaxon.compat]\nsp = someprovider.names_module\n")
    monkeypatch.setattr(sys, "path", [str(tmp_path)])
    assert compat._providers() == ["someprovider.names_module"]


def test_nothing_to_find_is_not_an_error(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "path", [str(tmp_path / "missing")])
    assert compat._providers() == []
