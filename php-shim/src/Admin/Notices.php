<?php
/**
 * Admin notices.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Admin;

use WorkOS_WP\Settings;

use function WorkOS_WP\extension_ready;

defined( 'ABSPATH' ) || exit;

/**
 * Tells administrators when sign-in through WorkOS cannot work.
 */
final class Notices {

	/**
	 * Renders the notices that apply.
	 */
	public static function render(): void {
		if ( ! current_user_can( 'manage_options' ) ) {
			return;
		}
		if ( ! extension_ready() ) {
			printf(
				'<div class="notice notice-error workos-notice-extension"><p><strong>%1$s</strong> %2$s</p><p>%3$s <code>%4$s</code></p></div>',
				esc_html__( 'WorkOS: the workos PHP extension is not loaded.', 'workos' ),
				esc_html__( 'Sign-in through WorkOS is off and WordPress’s own login form is used. Build the extension (make build) and load it in the PHP that serves this site, then restart PHP-FPM:', 'workos' ),
				esc_html__( 'Add to php.ini (or a conf.d file):', 'workos' ),
				esc_html( 'extension=/path/to/libworkos.so' )
			);
			return;
		}
		if ( ! Settings::is_configured() ) {
			// In a network the credentials are the network admin's (Settings\Registry, `network`).
			if ( is_multisite() && ! current_user_can( 'manage_network_options' ) ) {
				printf( '<div class="notice notice-warning"><p>%s</p></div>', esc_html__( 'WorkOS: sign-in through WorkOS is off until a network administrator adds the API key and client ID.', 'workos' ) );
				return;
			}
			printf(
				'<div class="notice notice-warning"><p>%s <a href="%s">%s</a></p></div>',
				esc_html__( 'WorkOS: add your API key and client ID to turn on sign-in through WorkOS.', 'workos' ),
				esc_url( is_multisite() ? network_admin_url( 'settings.php?page=workos' ) : admin_url( 'options-general.php?page=workos' ) ),
				esc_html__( 'Settings', 'workos' )
			);
		}
	}
}
