"""The markers that let a run choose its tests (``make test-fast``, ``-m "not shared_data"``)."""

from __future__ import annotations


def test_a_test_using_the_real_data_is_marked_shared_data(request, shared_data):
    assert request.node.get_closest_marker("shared_data") is not None
    assert (shared_data / "nijmegen_buurten.geojson").exists()


def test_a_test_without_the_real_data_is_not(request):
    assert request.node.get_closest_marker("shared_data") is None
