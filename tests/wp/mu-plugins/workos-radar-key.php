<?php
/**
 * Test-only (loaded by the test instance only, never shipped): WORKOS_RADAR_SITE_KEY, which the
 * plugin reads from wp-config.php only, defined from the file wp-content/workos-test-radar-site-key
 * when a test wrote one (tests/e2e/test_radar.py, tests/browser/test_shell_frame.py). A file, not
 * an option: ordinary page views pay one stat(), no query.
 */

if ( ! defined( 'WORKOS_RADAR_SITE_KEY' ) && is_file( WP_CONTENT_DIR . '/workos-test-radar-site-key' ) ) {
	define( 'WORKOS_RADAR_SITE_KEY', trim( (string) file_get_contents( WP_CONTENT_DIR . '/workos-test-radar-site-key' ) ) ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents -- a local test file.
}
