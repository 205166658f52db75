"""Issue 13: a slug WordPress keeps for itself (`embed`, the feed names) is refused as reserved — not as "taken by
another profile" (there is none) — and refusing it never renames the profile being edited (WordPress would quietly
save it as `embed-2`)."""

from __future__ import annotations

import pytest

from test_profiles_api import BASE, admin, clean, create, refused  # noqa: F401  (fixtures)


@pytest.mark.parametrize("slug", ["embed", "feed", "rss2", "atom"])
def test_a_reserved_slug_is_refused_as_reserved(admin, slug):  # noqa: F811
    body = refused(admin.post(BASE, json={"slug": slug}), 400, "workos_profile_slug_reserved", "slug")
    assert f'"{slug}"' in body["message"] and "reserve" in body["message"]
    assert "Another profile" not in body["message"]
    assert [p["slug"] for p in admin.get(BASE).json()["profiles"]] == ["default"]  # nothing saved, no `embed-2`


def test_renaming_to_a_reserved_slug_keeps_the_profile_as_it_was(admin, wp_eval):  # noqa: F811
    made = create(admin, slug="partners", title="Partners")
    refused(admin.put(f"{BASE}/{made['id']}", json={"slug": "embed"}), 400, "workos_profile_slug_reserved", "slug")
    assert admin.get(f"{BASE}/{made['id']}").json()["slug"] == "partners"
    assert wp_eval("return get_post_field('post_name', $args);", made["id"]) == "partners"


def test_near_names_and_a_real_clash_are_unchanged(admin):  # noqa: F811
    assert create(admin, slug="embedded")["slug"] == "embedded"
    refused(admin.post(BASE, json={"slug": "embedded"}), 400, "workos_profile_slug_taken", "slug")


def test_a_slug_held_by_an_unpublished_profile_row_is_taken_not_reserved(admin, wp_eval):  # noqa: F811
    """A draft or trashed profile row (left by hand or an old version) still holds its slug in WordPress."""
    wp_eval("WorkOS_WP\\Profiles\\ProfileRepository::register_post_type();"
            "return wp_insert_post(['post_type' => 'workos_login_profile', 'post_status' => 'draft',"
            " 'post_name' => 'leftover', 'post_title' => 'Leftover']);")
    refused(admin.post(BASE, json={"slug": "leftover"}), 400, "workos_profile_slug_taken", "slug")
