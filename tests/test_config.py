"""site.toml: defaults, overrides, and every problem reported at once with its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.config import Config, load_config
from generator.errors import ConfigError

from .conftest import make_tree


def test_defaults_without_site_toml(tmp_path: Path):
    config = load_config(tmp_path)
    assert (config.title, config.language, config.base_url, dict(config.event_names)) == (
        Config().title,
        "nl",
        "",
        {},
    )


def test_flags_override_the_file(tmp_path: Path):
    make_tree(tmp_path, {"site.toml": 'base_url = "https://a.example/"\ntitle = "T"\n'})
    config = load_config(tmp_path, base_url="https://b.example/sub")
    assert config.base_url == "https://b.example/sub/"
    assert config.title == "T"


def test_every_problem_is_reported_with_its_line(tmp_path: Path):
    make_tree(
        tmp_path,
        {
            "site.toml": (
                'title = "T"\n'
                'titel = "typo"\n'
                'language = "fr"\n'
                'base_url = "example.org"\n'
                "[events]\n"
                '"2017-13" = "Geen maand"\n'
                '"2017-05" = ""\n'
            )
        },
    )
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    shown = str(tmp_path / "site.toml")
    assert caught.value.messages == [
        f"{shown}:2: unknown setting 'titel' (known: title, description, language, base_url, "
        "order, events, names)",
        f"{shown}:3: language 'fr' is not supported (use one of: nl, en)",
        f"{shown}:4: base URL 'example.org' must start with http:// or https://",
        f"{shown}:6: event key '2017-13' is not a month such as \"2017-05\"",
        f"{shown}:7: the name of event '2017-05' must be non-empty text",
    ]


def test_invalid_toml_names_the_line(tmp_path: Path):
    make_tree(tmp_path, {"site.toml": 'title = "T"\nlanguage = nl\n'})
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert len(caught.value.messages) == 1
    assert caught.value.messages[0].startswith(f"{tmp_path / 'site.toml'}:2: not valid TOML")


def test_config_problem_stops_the_build_without_traceback(cli, tmp_path: Path):
    make_tree(tmp_path / "src", {"site.toml": "language = 3\n", "a.txt": "date 2017-05 Tekst."})
    result = cli("build", "--source", "src")
    assert result.code == 1
    assert result.err == "src/site.toml:1: 'language' must be text\n"
    assert not (tmp_path / "site").exists()


def test_missing_config_file_given_on_the_command_line(cli, tmp_path: Path):
    make_tree(tmp_path / "src", {"a.txt": "date 2017-05 Tekst."})
    result = cli("build", "--source", "src", "--config", "nope.toml")
    assert (result.code, result.err) == (1, "nope.toml:1: settings file not found\n")
