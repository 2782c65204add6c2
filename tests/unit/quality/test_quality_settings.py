"""The board's quality settings file: defaults, validation in one sentence, and its version."""

from pathlib import Path

import pytest
import yaml

from leap_assets.quality.settings import DEFAULTS, QualitySettingsError, load_quality_settings

ROOT = Path(__file__).resolve().parents[3]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "quality.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_committed_file_spells_out_exactly_the_defaults():
    committed = yaml.safe_load((ROOT / "config" / "quality.yml").read_text(encoding="utf-8"))
    assert committed == DEFAULTS
    assert load_quality_settings(ROOT / "config" / "quality.yml").values == DEFAULTS


def test_a_missing_default_file_means_the_defaults_and_a_named_missing_file_is_an_error(tmp_path):
    assert load_quality_settings(tmp_path / "absent.yml", named=False).values == DEFAULTS
    with pytest.raises(QualitySettingsError, match=r"absent.yml \(LEAP_QUALITY_FILE\) does not exist"):
        load_quality_settings(tmp_path / "absent.yml", named=True)


def test_a_key_left_out_keeps_its_default_and_a_changed_threshold_changes_the_version(tmp_path):
    default = load_quality_settings(tmp_path / "absent.yml", named=False)
    changed = load_quality_settings(write(tmp_path, "checks:\n  seats_usable:\n    min_volume_ratio: 0.3\n"))
    assert changed.check("seats_usable")["min_volume_ratio"] == 0.3
    assert changed.check("seats_usable")["min_coverage"] == DEFAULTS["checks"]["seats_usable"]["min_coverage"]
    assert changed.version != default.version and len(changed.version) == 12
    same = load_quality_settings(write(tmp_path, "checks:\n  seats_usable:\n    min_volume_ratio: 0.4\n"))
    assert same.version == default.version


def test_severity_decides_whether_a_check_blocks(tmp_path):
    settings = load_quality_settings(write(tmp_path, "checks:\n  moodle_usable:\n    severity: warn\n"))
    assert not settings.blocks("moodle_usable") and settings.blocks("seats_usable")


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        ("checks:\n  seats_usable:\n    min_ratio: 0.3\n", "unknown key checks.seats_usable.min_ratio"),
        ("chekcs: {}\n", "unknown key chekcs"),
        ("checks:\n  seats_usable:\n    min_volume_ratio: 40\n", "must be a fraction between 0 and 1, not 40"),
        ("checks:\n  seats_usable:\n    severity: stop\n", "checks.seats_usable.severity must be block or warn"),
        ("sources:\n  moodle:\n    max_lag_days: -1\n", "sources.moodle.max_lag_days must be a whole number"),
        ("baseline_weeks: 0\n", "baseline_weeks must be a whole number of at least 1"),
        ("checks: [1, 2]\n", "checks. must be a mapping"),
        ("checks:\n  seats_usable: {min_volume_ratio: [\n", "is not valid YAML at line"),
    ],
)
def test_a_mistake_is_one_sentence_naming_the_file_and_key(tmp_path, text, sentence):
    with pytest.raises(QualitySettingsError) as raised:
        load_quality_settings(write(tmp_path, text))
    message = str(raised.value)
    assert sentence in message and "quality.yml" in message and "\n" not in message
