"""UTM parameters: per post, on the links templates receive, existing query kept, off when the campaign says so."""

from __future__ import annotations

import pytest

from posts.utm import with_utm


def test_utm_parameters_are_added_in_a_fixed_order():
    assert with_utm("https://clinic.example/blog/a", source="mastodon", campaign="sciatica", content="myth") == (
        "https://clinic.example/blog/a?utm_source=mastodon&utm_medium=social&utm_campaign=sciatica&utm_content=myth")


def test_existing_query_and_fragment_are_kept_byte_for_byte_and_old_utm_replaced():
    url = "https://clinic.example/a?ref=x%20y&b=&utm_source=old#top"
    assert with_utm(url, source="x", campaign="spring 2026", content="tip") == (
        "https://clinic.example/a?ref=x%20y&b=&utm_source=x&utm_medium=social&utm_campaign=spring%202026&utm_content=tip#top")


def test_bare_host_gets_a_path():
    assert with_utm("https://clinic.example", source="bluesky", campaign="c", content="book") == (
        "https://clinic.example/?utm_source=bluesky&utm_medium=social&utm_campaign=c&utm_content=book")


@pytest.mark.parametrize("value", ["mailto:desk@clinic.example", "tel:+15550100", "clinic.example/book", ""])
def test_non_http_values_are_left_alone(value):
    assert with_utm(value, source="x", campaign="c", content="t") == value
