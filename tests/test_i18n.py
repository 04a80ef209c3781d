"""Every Dutch interface string has an English translation."""

from __future__ import annotations

import importlib.util
import json

from tests.conftest import ROOT


def load_script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_english_catalogue_is_complete():
    missing = load_script("i18n_strings").untranslated()
    assert missing == set(), "add these to plekken/translations/*.json: " + json.dumps(
        sorted(missing), ensure_ascii=False
    )


def test_js_messages_have_both_languages():
    path = ROOT / "plekken" / "translations" / "js_messages.json"
    for key, texts in json.loads(path.read_text(encoding="utf-8")).items():
        assert set(texts) == {"nl", "en"}, key


def test_demo_data_is_consistent():
    assert load_script("check_demo_data").check(ROOT / "data" / "demo") == []
