<?php
/**
 * Site Health entries.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Admin;

use WorkOS_WP\Settings;

use function WorkOS_WP\extension_ready;

defined( 'ABSPATH' ) || exit;

/**
 * Adds the extension and configuration checks to Tools → Site Health.
 */
final class Diagnostics {

	/**
	 * Registers the tests.
	 *
	 * @param array $tests Site Health tests.
	 */
	public static function add_tests( array $tests ): array {
		$tests['direct']['workos_extension'] = array(
			'label' => __( 'WorkOS extension', 'workos' ),
			'test'  => array( self::class, 'extension_test' ),
		);
		return $tests;
	}

	/**
	 * Whether the extension is loaded, which version, and whether it is set up.
	 */
	public static function extension_test(): array {
		$ok = extension_ready();
		return array(
			'label'       => $ok
				/* translators: %s: extension version. */
				? sprintf( __( 'The workos extension %s is loaded', 'workos' ), \WorkOS\Native\version() )
				: __( 'The workos PHP extension is not loaded', 'workos' ),
			'status'      => $ok ? ( Settings::is_configured() ? 'good' : 'recommended' ) : 'critical',
			'badge'       => array(
				'label' => 'WorkOS',
				'color' => $ok ? 'blue' : 'red',
			),
			'description' => '<p>' . esc_html(
				$ok
					? ( Settings::is_configured() ? __( 'Sign-in through WorkOS is available.', 'workos' ) : __( 'Add an API key and client ID in Settings → WorkOS.', 'workos' ) )
					: __( 'Without the extension WordPress keeps working with its own login form, but WorkOS sign-in, webhooks and token checks are off.', 'workos' )
			) . '</p>',
			'test'        => 'workos_extension',
		);
	}
}
