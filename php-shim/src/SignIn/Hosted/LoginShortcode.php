<?php
/**
 * `[workos:login profile="…" redirect_to="…"]`: the hosted login inside a page.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\SignIn\Hosted;

use WorkOS_WP\Profiles\Routing;
use WorkOS_WP\Settings;
use WorkOS_WP\SignIn\Redirects;
use function WorkOS_WP\extension_ready;

defined( 'ABSPATH' ) || exit;

/**
 * The reference's shortcode (REFERENCE-API §5.1): `profile` ('' → the
 * routing rules, then `default`), `redirect_to`. Registering it costs no
 * file; this class, the shell's script and its style load only on a page
 * that shows one. An `authkit_redirect` profile renders nothing (its sign-in
 * is AuthKit's page); a signed-in visitor reads who they are, with a link on.
 */
final class LoginShortcode {

	/** The shortcode's tag. */
	const TAG = 'workos:login';

	/**
	 * Whether this page already has a shell (the app mounts one root).
	 *
	 * @var bool
	 */
	private static $rendered = false;

	/**
	 * The shortcode's output.
	 *
	 * @param array|string $atts Attributes.
	 */
	public static function render( $atts ): string {
		$atts = shortcode_atts(
			array(
				'profile'     => '',
				'redirect_to' => '',
			),
			is_array( $atts ) ? $atts : array(),
			self::TAG
		);
		if ( ! extension_ready() || ! Settings::is_configured() ) {
			return '';
		}
		$requested = trim( (string) $atts['redirect_to'] );
		$requested = '' !== $requested ? Redirects::site_target( $requested ) : '';
		// The referrer host rules are wp-login.php's (REFERENCE-API §9.2).
		$routing             = Routing::context( $requested );
		$routing['referrer'] = '';
		$profile             = Routing::resolve( sanitize_title( (string) $atts['profile'] ), $routing );
		if ( 'authkit_redirect' === $profile->get_mode() ) {
			return '';
		}
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- read-only: which campaign tags to pass on.
		$query = wp_unslash( $_GET );
		if ( is_user_logged_in() ) {
			return self::signed_in( Entry::signed_in_target( $profile, $requested, $query ) );
		}
		if ( self::$rendered ) {
			return '';
		}
		self::$rendered = true;

		$style = '';
		if ( Shell::enqueue() && did_action( 'wp_head' ) ) {
			// The page's <head> has gone out: the style comes before the card,
			// so that the card is never seen unstyled.
			ob_start();
			wp_print_styles( Shell::HANDLE );
			$style = (string) ob_get_clean();
		}
		$context = array(
			'redirect_to' => Entry::shell_redirect( $profile, $requested, $query ),
			// Inside a theme's page, which has its own <main> and <h1>.
			'embedded'    => true,
		);
		$client = Entry::client_profile( $profile );
		// Plugins that fill the shell's slots: their scripts join the page's footer.
		Slots::enqueue_assets( Shell::normalize( $client ) );
		return $style . Shell::markup( $client, $context );
	}

	/**
	 * The notice a signed-in visitor reads instead of the form.
	 *
	 * @param string $target Where Continue goes (validated).
	 */
	private static function signed_in( string $target ): string {
		$user = wp_get_current_user();
		return sprintf(
			'<div class="workos-login-signed-in"><p>%1$s</p><p><a class="wp-element-button" href="%2$s">%3$s</a></p></div>',
			esc_html(
				/* translators: %s: the signed-in user's display name. */
				sprintf( __( 'You\'re already signed in as %s.', 'workos' ), $user->display_name )
			),
			esc_url( $target ),
			esc_html__( 'Continue', 'workos' )
		);
	}
}
