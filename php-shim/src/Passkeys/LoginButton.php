<?php
/**
 * The shell's "Sign in with a passkey" button, server-rendered.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Passkeys;

defined( 'ABSPATH' ) || exit;

/**
 * Printed by SignIn\Hosted\Shell::markup() for a profile with `passkey`;
 * php-shim/js/login/src/passkey.js (PasskeyButton) renders exactly the same
 * markup, so hydration changes nothing.
 */
final class LoginButton {

	/**
	 * The button's markup.
	 *
	 * @param bool $divider Whether to print the "or" divider (no social buttons above it).
	 */
	public static function markup( bool $divider ): string {
		$html = '<div class="wa-passkey">';
		if ( $divider ) {
			$html .= sprintf( '<p class="wa-divider"><span>%s</span></p>', esc_html__( 'or', 'workos' ) );
		}
		$html .= sprintf(
			'<button class="wa-button wa-button-secondary" type="button" data-method="passkey">%s</button>',
			esc_html__( 'Sign in with a passkey', 'workos' )
		);
		return $html . '</div>';
	}
}
