<?php
/**
 * The reference plugin's break-glass: `wp-login.php?workos=0` hands
 * wp-login.php back to WordPress — when the site owner opted in in code.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\SignIn;

use WorkOS_WP\Log;

defined( 'ABSPATH' ) || exit;

/**
 * Whether this wp-login.php request is under the `?workos=0` bypass. Off
 * unless a filter turns it on (`workos_bypass_enabled`, the master switch)
 * and then subject to a per-request veto (`workos_bypass_check`, e.g. an IP
 * allow-list): a query argument anyone can type must never by itself open
 * a password form the site owner closed. While it is active, wp-login.php's
 * sign-in and lost-password screens are WordPress's (Login; registration
 * keeps the usual rules) and WordPress's password check decides
 * (PasswordLogin), in every login mode and whatever
 * `allow_password_fallback` says; throttling and the refusal of
 * deactivated accounts stay.
 */
final class Bypass {

	/** The query argument (and the form field) that asks for the bypass, and its value. */
	public const ARG = 'workos';

	/**
	 * This request's answer, once decided (null: not yet).
	 *
	 * @var bool|null
	 */
	private static $active = null;

	/**
	 * Whether the bypass is active on this request: wp-login.php, asked for
	 * by `workos=0` (the query of a GET, the field of the POSTed form) and
	 * allowed by both filters. The first time it is, on a GET of the
	 * sign-in screen, the use is announced and logged.
	 */
	public static function active(): bool {
		if ( null !== self::$active ) {
			return self::$active;
		}
		// Only wp-login.php fires login_init (also when another plugin
		// serves it under another URL); before it, nothing is decided yet.
		if ( ! did_action( 'login_init' ) ) {
			return false;
		}
		self::$active = self::asked()
			/**
			 * Whether `wp-login.php?workos=0` may bypass WorkOS at all (the
			 * reference plugin's master switch). Default off.
			 *
			 * @param bool $enabled Whether the bypass is enabled.
			 */
			&& (bool) apply_filters( 'workos_bypass_enabled', false )
			/**
			 * Whether this request may use the bypass (e.g. from an allowed
			 * IP address). Consulted only when the bypass is enabled.
			 *
			 * @param bool $allowed Whether it may.
			 */
			&& (bool) apply_filters( 'workos_bypass_check', true );
		if ( self::$active ) {
			// The form's lost-password link stays under the bypass (a WordPress password
			// may need resetting). Registration does not: the break-glass is for signing
			// in, and new accounts follow the Login Profiles' and invitations' rules.
			add_filter( 'lostpassword_url', array( self::class, 'keep_arg' ) );
		}
		if ( self::$active && self::on_sign_in_screen() ) {
			/**
			 * Fires when `wp-login.php?workos=0` was accepted and WordPress's
			 * own sign-in form is shown (the reference plugin's action).
			 */
			do_action( 'workos_bypass_activated' );
			Log::event( 'bypass_activated', array( 'user_id' => get_current_user_id() ) );
		}
		return self::$active;
	}

	/**
	 * login_form: WordPress's form posts to wp-login.php without the query,
	 * so the form shown under the bypass carries it as a field — the POST
	 * is then judged under the bypass too (the filters are asked again).
	 */
	public static function hidden_field(): void {
		if ( self::active() ) {
			printf( '<input type="hidden" name="%s" value="0" />', esc_attr( self::ARG ) );
		}
	}

	/**
	 * lostpassword_url while the bypass is active: the link keeps
	 * `workos=0`, so that screen stays WordPress's too.
	 *
	 * @param string $url The link.
	 */
	public static function keep_arg( $url ): string {
		return add_query_arg( self::ARG, '0', (string) $url );
	}

	/**
	 * Whether the request asks for the bypass: `workos=0` in the query of a
	 * GET, or in the body of a POST (the field hidden_field() printed).
	 */
	private static function asked(): bool {
		// phpcs:disable WordPress.Security.NonceVerification -- a switch that only ever hands the screen to WordPress's own (nonce-free) sign-in form; the filters decide.
		$post  = 'POST' === ( $_SERVER['REQUEST_METHOD'] ?? 'GET' );
		$value = $post ? ( $_POST[ self::ARG ] ?? null ) : ( $_GET[ self::ARG ] ?? null ); // phpcs:ignore WordPress.Security.ValidatedSanitizedInput -- compared with '0' only.
		// phpcs:enable
		return '0' === $value;
	}

	/**
	 * Whether this is a GET of wp-login.php's sign-in screen (not its
	 * registration, lost password or a re-shown form after a POST).
	 */
	private static function on_sign_in_screen(): bool {
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- read-only.
		$action = isset( $_REQUEST['action'] ) ? sanitize_key( wp_unslash( $_REQUEST['action'] ) ) : 'login';
		return 'GET' === ( $_SERVER['REQUEST_METHOD'] ?? 'GET' ) && 'login' === $action;
	}
}
