<?php
/**
 * Admin notices.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Admin;

use WorkOS_WP\Settings;
use WorkOS_WP\Settings\Registry;

use function WorkOS_WP\extension_ready;

use const WorkOS_WP\PRODUCT_NAME;

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
				/* translators: %s: the plugin's name. */
				esc_html( sprintf( __( '%s: the workos PHP extension is not loaded.', 'workos' ), PRODUCT_NAME ) ),
				esc_html__( 'Sign-in through WorkOS is off and WordPress’s own login form is used. Build the extension (make build) and load it in the PHP that serves this site, then restart PHP-FPM:', 'workos' ),
				esc_html__( 'Add to php.ini (or a conf.d file):', 'workos' ),
				esc_html( 'extension=/path/to/libworkos.so' )
			);
			return;
		}
		if ( ! Settings::is_configured() ) {
			$env = Registry::section_title( 'workos_env', Settings::environment() ); // "Production", "Staging".
			// In a network the credentials are the network admin's (Settings\Registry, `network`).
			if ( is_multisite() && ! current_user_can( 'manage_network_options' ) ) {
				printf(
					'<div class="notice notice-warning workos-notice-credentials"><p><strong>%1$s:</strong> %2$s</p></div>',
					esc_html( PRODUCT_NAME ),
					/* translators: %s: environment name. */
					esc_html( sprintf( __( 'sign-in through WorkOS is off until a network administrator adds the API key and client ID of the %s environment.', 'workos' ), $env ) )
				);
				return;
			}
			printf(
				'<div class="notice notice-warning workos-notice-credentials"><p><strong>%1$s:</strong> %2$s <a href="%3$s">%4$s</a></p></div>',
				esc_html( PRODUCT_NAME ),
				/* translators: %s: environment name. */
				esc_html( sprintf( __( 'sign-in through WorkOS is off until the API key and client ID of the %s environment are set.', 'workos' ), $env ) ),
				esc_url( Diagnostics::setting_url( '' === Settings::get( 'api_key' ) ? 'api_key' : 'client_id' ) ),
				esc_html__( 'Add them in Settings', 'workos' )
			);
		}
	}
}
