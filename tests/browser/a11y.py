"""Helpers of the accessibility checks: axe-core, the two viewports, pages with and without
JavaScript, and the measures of reflow and target size."""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest

from tests.browser.conftest import LOCAL, only_local
from tests.conftest import REQUIRE_ALL, ROOT

AXE = ROOT / "test-assets" / "axe-core" / "axe.min.js"
#: WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
#: Impacts that fail the test; "minor" findings are reported by axe but do not.
FAILING = {"moderate", "serious", "critical"}

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}
DESKTOP = {"viewport": {"width": 1366, "height": 768}}
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}


def axe_path():
    """The axe-core script, or a skip (a failure under scripts/test.sh) when it is missing."""
    if not AXE.exists():
        reason = (
            f"axe-core is missing at {AXE}: run `bash scripts/fetch-axe.sh` (scripts/test.sh does)"
        )
        if REQUIRE_ALL:
            pytest.fail(reason)
        pytest.skip(reason)
    return AXE


_SCRIPT = re.compile(r"<script\b.*?</script>", re.S | re.I)
_NOSCRIPT = re.compile(r"</?noscript>", re.I)


def _without_scripts(route) -> None:
    """The site as a browser without JavaScript gets it: no scripts, <noscript> shown.

    (Chromium with JavaScript switched off also stops the timers that axe-core needs, so the
    pages' own scripts are taken out instead.)
    """
    request = route.request
    if not request.url.startswith(LOCAL) or request.resource_type == "script":
        route.abort()
    elif request.resource_type == "document":
        response = route.fetch()
        body = _NOSCRIPT.sub("", _SCRIPT.sub("", response.text()))
        route.fulfill(response=response, body=body)
    else:
        route.continue_()


@contextmanager
def browser_page(
    browser,
    viewport: str = "desktop",
    *,
    javascript: bool = True,
    lang: str = "nl",
    width: int | None = None,
    **options,
):
    """A page on the given viewport (``width`` narrows it) that reaches only the local server."""
    settings = dict(VIEWPORTS[viewport])
    if width:
        settings["viewport"] = {**settings["viewport"], "width": width}
    context = browser.new_context(
        **settings,
        **options,
        locale="en-GB" if lang == "en" else "nl-NL",
        bypass_csp=True,  # axe-core is added to the page as a script of its own
    )
    context.route("**/*", only_local if javascript else _without_scripts)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    try:
        yield page
    finally:
        context.close()


def axe_violations(page) -> list[dict]:
    """axe-core's violations of impact moderate or worse on the page as it is now."""
    page.add_script_tag(path=str(axe_path()))
    result = page.evaluate(
        "tags => axe.run(document,"
        " {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return [
        v
        for v in map(_without_hidden_markers, result["violations"])
        if v["impact"] in FAILING and v["nodes"]
    ]


def _without_hidden_markers(violation: dict) -> dict:
    """Leave out places on the map that are only hidden for a moment under something else.

    axe counts a marker as too small when the pin being placed or an open popup covers
    part of it. Both go away with a tap; the markers themselves, their spacing and the list
    of places as their equivalent are checked elsewhere. Every other finding stays.
    """
    if violation["id"] != "target-size":
        return violation
    nodes = [
        node
        for node in violation["nodes"]
        if not ("obscured" in node.get("failureSummary", "") and _is_marker(node))
    ]
    return {**violation, "nodes": nodes}


def _is_marker(node: dict) -> bool:
    return any("data-place-id" in str(t) or "leaflet-marker" in str(t) for t in node["target"]) or (
        "leaflet-marker-icon" in node.get("html", "")
    )


def describe(violations: list[dict]) -> str:
    """A readable list of violations: rule, impact, what to do, and the first few elements."""
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"][:4]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    {', '.join(map(str, node['target']))}: {summary[:300]}")
        if len(v["nodes"]) > 4:
            lines.append(f"    … and {len(v['nodes']) - 4} more")
    return "\n".join(lines)
