<?php
/**
 * Test-only (loaded by the test instances only, never shipped): the
 * `?workos=0` bypass's filters as a site owner would write them, driven by
 * the option `workos_test_bypass` (tests/e2e/test_login_bypass.py):
 * `enabled` answers `workos_bypass_enabled`, `allow_ips` makes
 * `workos_bypass_check` an IP allow-list. `workos_bypass_activated` counts
 * itself in the option `workos_test_bypass_fired`. The options are read only
 * when the plugin asks (on wp-login.php with `workos=0`); other requests pay
 * three add_filter() calls.
 */

add_filter(
	'workos_bypass_enabled',
	static function ( $enabled ) {
		$test = get_option( 'workos_test_bypass', array() );
		return is_array( $test ) && isset( $test['enabled'] ) ? (bool) $test['enabled'] : $enabled;
	}
);

add_filter(
	'workos_bypass_check',
	static function ( $allowed ) {
		$test = get_option( 'workos_test_bypass', array() );
		if ( ! is_array( $test ) || ! isset( $test['allow_ips'] ) ) {
			return $allowed;
		}
		// REMOTE_ADDR, never a header a visitor can set.
		return $allowed && in_array( $_SERVER['REMOTE_ADDR'] ?? '', (array) $test['allow_ips'], true ); // phpcs:ignore WordPress.Security.ValidatedSanitizedInput -- compared only.
	}
);

add_action(
	'workos_bypass_activated',
	static function () {
		update_option( 'workos_test_bypass_fired', (int) get_option( 'workos_test_bypass_fired', 0 ) + 1, false );
	}
);
