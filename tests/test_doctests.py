"""The examples in the docstrings of every plekken module run and give what they say."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import plekken

MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(plekken.__path__, prefix="plekken.")
    if ".migrations" not in info.name
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    failures, _ = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert failures == 0
