<?php
/**
 * The sign-in button: `[workos_login]` shortcode, the `workos/login-button`
 * block and a classic widget, all rendered here.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Button;

use WorkOS_WP\SignIn\Redirects;

defined( 'ABSPATH' ) || exit;

/**
 * Renders the button and registers its block.
 */
final class LoginButton {

	public const BLOCK     = 'workos/login-button';
	public const SHORTCODE = 'workos_login';

	/**
	 * `[workos_login label="…" redirect_to="…" show_when_signed_in="1"]`.
	 *
	 * @param array|string $atts Shortcode attributes.
	 */
	public static function shortcode( $atts ): string {
		$atts = shortcode_atts(
			array(
				'label'               => '',
				'redirect_to'         => '',
				'show_when_signed_in' => '',
			),
			is_array( $atts ) ? $atts : array(),
			self::SHORTCODE
		);
		return self::render( (string) $atts['label'], (string) $atts['redirect_to'], (bool) filter_var( $atts['show_when_signed_in'], FILTER_VALIDATE_BOOLEAN ) );
	}

	/**
	 * The block's front end.
	 *
	 * @param array $attributes Block attributes.
	 */
	public static function render_block( $attributes ): string {
		$attributes = is_array( $attributes ) ? $attributes : array();
		return self::render( (string) ( $attributes['label'] ?? '' ), (string) ( $attributes['redirectTo'] ?? '' ), ! empty( $attributes['showWhenSignedIn'] ) );
	}

	/**
	 * The button: a link to wp-login.php (which sends the visitor to WorkOS)
	 * that brings them back to this page, or to `$redirect_to` when it is a
	 * page of this site. Signed-in visitors get a sign-out link, or nothing.
	 *
	 * @param string $label          Button text ('' = "Sign in").
	 * @param string $redirect_to    Where to land afterwards ('' = here).
	 * @param bool   $when_signed_in Show a sign-out link to signed-in visitors.
	 */
	public static function render( string $label, string $redirect_to, bool $when_signed_in ): string {
		$here   = self::current_url();
		$target = '' !== $redirect_to ? Redirects::site_target( $redirect_to ) : $here;
		if ( is_user_logged_in() ) {
			if ( ! $when_signed_in ) {
				return '';
			}
			return sprintf( '<a class="workos-login-button workos-logout wp-element-button" href="%s">%s</a>', esc_url( wp_logout_url( $here ) ), esc_html__( 'Sign out', 'workos' ) );
		}
		return sprintf(
			'<a class="workos-login-button wp-element-button" href="%s" rel="nofollow">%s</a>',
			esc_url( wp_login_url( $target ) ),
			esc_html( '' !== trim( $label ) ? $label : __( 'Sign in', 'workos' ) )
		);
	}

	/**
	 * The URL of the page being viewed.
	 */
	private static function current_url(): string {
		$uri = isset( $_SERVER['REQUEST_URI'] ) ? (string) wp_unslash( $_SERVER['REQUEST_URI'] ) : '/'; // phpcs:ignore WordPress.Security.ValidatedSanitizedInput
		return Redirects::safe_target( home_url( $uri ) );
	}
}
