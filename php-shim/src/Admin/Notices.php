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
use const WorkOS_WP\VERSION;

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
			self::extension_missing();
			return;
		}
		// The extension and the plugin of one release go together; checked inline so that
		// ExtensionInstall loads only when they differ.
		if ( phpversion( 'workos' ) !== VERSION ) {
			$warning = ExtensionInstall::version_mismatch( VERSION );
			if ( null !== $warning ) {
				printf(
					'<div class="notice notice-warning workos-notice-version"><p><strong>%1$s:</strong> %2$s</p></div>',
					esc_html( PRODUCT_NAME ),
					esc_html( $warning )
				);
			}
		}
		// The setup wizard's own screen is where the credentials are added: no notice sending people elsewhere.
		if ( ! Settings::is_configured() && ! Onboarding::on_screen() ) {
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

	/**
	 * The extension is not loaded: exactly what to install, where, and the
	 * line to add, for the PHP that serves this site (ExtensionInstall).
	 */
	private static function extension_missing(): void {
		$steps = ExtensionInstall::steps( VERSION );
		printf(
			'<div class="notice notice-error workos-notice-extension"><p><strong>%1$s</strong> %2$s</p><ol>',
			/* translators: %s: the plugin's name. */
			esc_html( sprintf( __( '%s: the workos PHP extension is not loaded.', 'workos' ), PRODUCT_NAME ) ),
			esc_html__( 'Sign-in through WorkOS is off and WordPress’s own login form is used. To turn it on:', 'workos' )
		);
		printf(
			'<li>%1$s <code class="workos-build-name">%2$s</code> %3$s</li>',
			/* translators: followed by a file name. */
			esc_html__( 'Take the build for this site’s PHP,', 'workos' ),
			esc_html( $steps['build'] ),
			/* translators: %s: PHP version, SAPI and thread safety. */
			esc_html( sprintf( __( '(from the release, or make dist; this site runs %s).', 'workos' ), $steps['php'] ) )
		);
		printf(
			'<li>%1$s <code class="workos-extension-dir">%2$s</code></li>',
			esc_html__( 'Copy it, named workos.so, into', 'workos' ),
			esc_html( rtrim( $steps['extension_dir'], '/' ) . '/workos.so' )
		);
		printf(
			'<li>%1$s <code class="workos-ini-file">%2$s</code> %3$s <code class="workos-ini-line">%4$s</code></li>',
			esc_html__( 'Create', 'workos' ),
			esc_html( $steps['ini_file'] ),
			esc_html__( 'containing the line', 'workos' ),
			esc_html( $steps['ini_line'] )
		);
		printf(
			'<li>%1$s <code class="workos-restart">%2$s</code></li></ol></div>',
			esc_html__( 'Restart PHP:', 'workos' ),
			esc_html( $steps['restart'] )
		);
	}
}
