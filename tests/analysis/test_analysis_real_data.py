"""The measures on the real Nijmegen buurten and OSM landmarks."""

from __future__ import annotations

from plekken.analysis import coverage, gaps, prepare, summary
from plekken.analysis.reference import reference_coverage


def test_coverage_of_all_buurten_matches_reference(nijmegen_buurten, nijmegen_osm_places):
    result = coverage(prepare(nijmegen_buurten, nijmegen_osm_places), types="verbindend")
    assert set(result["code"]) == set(nijmegen_buurten["code"])
    assert len(result) == 44 * 2 * 2
    assert result["covered_share"].between(0, 1).all()
    assert result.crs == nijmegen_buurten.crs
    slow = reference_coverage(prepare(nijmegen_buurten, nijmegen_osm_places), types="verbindend")
    merged = result.merge(slow, on=["code", "function_type", "distance_m"])
    assert len(merged) == len(result)
    assert (merged["covered_share_x"] - merged["covered_share_y"]).abs().max() < 0.005
    # the landmarks sit in the centre: some buurten are covered, some are not at all
    assert result["covered_share"].max() > 0.9 and result["covered_share"].min() == 0


def test_gaps_and_summary_run_on_real_data(nijmegen_buurten, nijmegen_osm_places):
    found = gaps(prepare(nijmegen_buurten, nijmegen_osm_places), distance=800)
    assert found["area_m2"].is_monotonic_decreasing
    assert found["inhabitants_est"].sum() < nijmegen_buurten["inhabitants"].sum()
    wide = summary(prepare(nijmegen_buurten, nijmegen_osm_places))
    assert wide["n_places"].sum() <= len(nijmegen_osm_places)
    assert wide["small_sample"].any()
