"""What a killed write leaves behind is cleared by the next write of the same file or folder."""

import pytest

from leap_assets.writing.files import atomic_write, replace_folder


def test_a_temporary_left_by_a_killed_write_goes_with_the_next_write_of_that_file(tmp_path):
    target = tmp_path / "week" / "report.html"
    target.parent.mkdir()
    target.write_text("old")
    leftover = target.with_name(".report.html.0123456789ab.partial")
    leftover.write_text("half")
    other = target.with_name(".other.html.0123456789ab.partial")
    other.write_text("another file's")

    atomic_write(target, lambda tmp: tmp.write_text("new"))

    assert target.read_text() == "new"
    assert not leftover.exists()
    assert other.exists(), "only the temporaries of the file being written are removed"


def test_a_folder_swap_killed_half_way_leaves_nothing_behind_after_the_next_swap(tmp_path):
    target = tmp_path / "data-docs"
    (tmp_path / ".data-docs-aaaaaaaaaaaa.partial").mkdir()  # killed while building
    (tmp_path / ".data-docs-bbbbbbbbbbbb.old" / "index.html").parent.mkdir()
    (tmp_path / ".data-docs-bbbbbbbbbbbb.old" / "index.html").write_text("retired")  # killed after retiring

    replace_folder(target, lambda folder: (folder.mkdir(), (folder / "index.html").write_text("new")))

    assert (target / "index.html").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data-docs"]


def test_a_failed_folder_build_keeps_the_old_folder_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "data-docs"
    target.mkdir()
    (target / "index.html").write_text("old")

    def broken(folder):
        folder.mkdir()
        raise RuntimeError("Data Docs could not be built")

    with pytest.raises(RuntimeError):
        replace_folder(target, broken)
    assert (target / "index.html").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data-docs"]
