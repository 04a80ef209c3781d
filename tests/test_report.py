"""The wijkverslag: one PDF with the map, the quotes, the findings with their evidence, the
actions with their status, the reach table and the sources; public content only. The text is
read back out of the PDF (its built-in Helvetica keeps text as text)."""

from __future__ import annotations

import re
import zlib

from tests.factories import bearer, place_data
from tests.test_actions import add_action, add_finding
from tests.test_findings import add_place, people  # noqa: F401  (a fixture)

REPORT = "/wijk/WK099901/verslag.pdf"


def pdf_text(pdf: bytes) -> str:
    """The text shown on the PDF's pages, one line per text object."""
    lines = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            content = zlib.decompress(stream)
        except zlib.error:
            continue
        for shown in re.findall(rb"\[(.*?)\]\s*TJ|\(((?:\\.|[^\\)])*)\)\s*Tj", content, re.S):
            parts = re.findall(rb"\(((?:\\.|[^\\)])*)\)", shown[0]) if shown[0] else [shown[1]]
            lines.append("".join(_unescape(part) for part in parts))
    return "\n".join(lines)


def _unescape(raw: bytes) -> str:
    text = re.sub(rb"\\([0-7]{1,3})", lambda m: bytes([int(m.group(1), 8)]), raw)
    text = re.sub(rb"\\(.)", rb"\1", text)
    return text.decode("cp1252")


def pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def test_the_report_holds_findings_actions_reach_and_sources(toy_client, people):  # noqa: F811
    owner = people["opbouwwerker"]
    kept, _ = add_place(
        toy_client, name="Bankje bij de vijver", quote="Hier zit altijd iemand.",
        home_buurt="BU09990101", contributor_key="sleutel-van-bewoner-1",
    )  # fmt: skip
    gone, gone_token = add_place(toy_client, name="Weg", quote="Ik ga weg.")
    finding = add_finding(toy_client, owner, places=[kept, gone], buurten=["BU09990102"],
                          text="Jongeren hebben geen plek om af te spreken.")  # fmt: skip
    assert (
        toy_client.delete(f"/api/v1/places/{gone}", headers=bearer(gone_token)).status_code == 204
    )
    action = add_action(toy_client, owner, findings=[finding], title="Jongerenavond",
                        who="Buurtteam Oost", due="2027-06-01")  # fmt: skip
    update = toy_client.post(f"/api/v1/actions/{action['id']}/updates",
                             json={"text": "De eerste avond was vol.", "status": "bezig"},
                             headers=bearer(action["owner_token"]))  # fmt: skip
    assert update.status_code == 201, update.get_json()

    response = toy_client.get(REPORT)
    assert response.status_code == 200 and response.content_type == "application/pdf"
    assert 'filename="wijkverslag-WK099901.pdf"' in response.headers["Content-Disposition"]
    pdf = response.data
    assert pdf.startswith(b"%PDF") and pages(pdf) >= 1
    text = pdf_text(pdf)
    for expected in (
        "Wijkverslag Testwijk",
        "Wat bewoners zeggen",
        "Hier zit altijd iemand.",
        "Jongeren hebben geen plek om af te spreken.",
        "plek ingetrokken",
        "Oost",
        "Jongerenavond (Bezig)",
        "wie: Buurtteam Oost",
        "klaar op: 2027-06-01",
        "De eerste avond was vol.",
        "Wie bereiken we?",
        "West",
        "< 5",
        "CBS Wijk- en buurtkaart",
    ):
        assert expected in text, (expected, text)
    assert "Ik ga weg." not in text  # nothing of a withdrawn place stays
    english = pdf_text(toy_client.get(REPORT + "?lang=en").data)
    assert "Wijk report Testwijk" in english and "Whom do we reach?" in english


def test_the_report_is_public_content_only(toy_client, app):
    """A pending place's quote and a pending finding are not in the report."""
    toy_client.post("/api/v1/places", json=place_data(name="Wacht", quote="Nog niet goedgekeurd."))
    text = pdf_text(toy_client.get(REPORT).data)
    assert "Nog niet goedgekeurd." not in text and "Nog niets vastgelegd." in text
    assert toy_client.get("/wijk/WK999999/verslag.pdf").status_code == 404


def test_export_report_command(toy_client, app, tmp_path):
    out = tmp_path / "verslag.pdf"
    result = app.test_cli_runner().invoke(
        args=["export-report", "--wijk", "WK099901", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "wijkverslag of WK099901" in result.output and out.read_bytes().startswith(b"%PDF")
    wrong = app.test_cli_runner().invoke(args=["export-report", "--wijk", "WK1", "--out", "x"])
    assert wrong.exit_code != 0 and "--wijk" in wrong.output
