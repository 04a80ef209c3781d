"""The examples in the analysis docstrings run and give what they say."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import plekken.analysis

MODULES = sorted(
    f"plekken.analysis.{info.name}" for info in pkgutil.iter_modules(plekken.analysis.__path__)
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    failures, _ = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert failures == 0
