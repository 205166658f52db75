"""Two web nodes (nginx + php-fpm, and PHP's built-in server) share one MariaDB: every event is applied once,
in order, none lost — for the same event sent to both nodes at once, and for a burst of 1,000."""

from __future__ import annotations

import threading
from collections import Counter

import pytest

from burst import make_users, plan, second_node, send


@pytest.fixture(scope="module")
def nodes(env):
    with second_node(env) as node2:
        yield [env["WP_URL"], node2]


def ledger(wp_eval, ids):
    return wp_eval(
        "global $wpdb; $in = implode(',', array_fill(0, count($args), '%s'));"
        "return $wpdb->get_results($wpdb->prepare('SELECT event_id, status FROM ' . $wpdb->base_prefix . \"workos_events WHERE event_id IN ($in)\", $args), ARRAY_A);",
        ids,
    )


def fired_counts(wp_eval, ids):
    rows = wp_eval(
        "global $wpdb; $in = implode(',', array_fill(0, count($args), '%s'));"
        "return $wpdb->get_col($wpdb->prepare('SELECT event_id FROM ' . $wpdb->prefix . \"workos_test_fired WHERE hook = 'workos_webhook' AND event_id IN ($in)\", $args));",
        ids,
    )
    return Counter(rows)


def first_names(wp_eval, people):
    return wp_eval("return array_map(fn($id) => (clean_user_cache($id) ?: get_userdata($id)->first_name), $args);",
                   [p["wp_id"] for p in people])


def test_the_same_event_sent_to_both_nodes_at_once_is_applied_once(nodes, wp_eval, env):
    people = make_users(wp_eval, 20)
    burst = plan(people, versions=1, nodes=nodes[:1], duplicate_share=0)
    deliveries = [(node, ev) for ev in burst.events for node in nodes]  # each event to both nodes
    # Both copies leave together.
    barrier = threading.Barrier(2)
    results = []

    def both(ev):
        def one(node):
            barrier.wait()
            from burst import Burst
            results.extend(send(Burst([ev], [(node, ev)]), env["WEBHOOK_SECRET"], concurrency=1).results)
        threads = [threading.Thread(target=one, args=(n,)) for n in nodes]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    for ev in burst.events:
        both(ev)
    assert len(results) == len(deliveries) and all(status == 200 for status, _ in results)
    assert sum(1 for _, body in results if body.get("duplicate")) == len(burst.events)
    ids = [ev["id"] for ev in burst.events]
    assert fired_counts(wp_eval, ids) == Counter({i: 1 for i in ids})
    assert first_names(wp_eval, people) == ["v0"] * len(people)


def test_a_burst_of_1000_across_both_nodes_ends_in_the_right_state(nodes, wp_eval, env):
    people = make_users(wp_eval, 100)
    burst = send(plan(people, versions=10, nodes=nodes, duplicate_share=0.1), env["WEBHOOK_SECRET"], concurrency=16)
    assert len(burst.events) == 1000
    bad = [(s, b) for s, b in burst.results if s != 200]
    assert not bad, bad[:5]

    ids = [ev["id"] for ev in burst.events]
    rows = ledger(wp_eval, ids)
    # None lost: every event is in the ledger, finished.
    assert len(rows) == 1000
    statuses = Counter(r["status"] for r in rows)
    assert set(statuses) <= {"applied", "stale"}, statuses
    # Each applied once; stale ones (older than what was already applied) never.
    fired = fired_counts(wp_eval, ids)
    applied = {r["event_id"] for r in rows if r["status"] == "applied"}
    assert set(fired) == applied and set(fired.values()) == {1}
    duplicates = sum(1 for _, body in burst.results if body.get("duplicate"))
    assert duplicates == len(burst.deliveries) - 1000
    # Right final state: everyone ends on their newest version, whatever the arrival order.
    assert first_names(wp_eval, people) == ["v9"] * 100
    print(f"\n{len(burst.deliveries)} deliveries ({len(burst.events)} events) over 2 nodes in {burst.seconds:.1f} s: "
          f"{len(burst.deliveries) / burst.seconds:.0f} deliveries/s")
