<?php
/**
 * "Sign in again first" for the changes a stolen session must not make.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Users;

defined( 'ABSPATH' ) || exit;

/**
 * Some changes outlast the session that makes them: a new passkey, a new
 * email address (with which the password can then be reset), a removed
 * second factor. A session left open on a shared computer, or stolen, must
 * not be able to make them, so they need the browser's WordPress session to
 * have begun recently — as GitHub and Google ask for "sudo mode". The
 * window is 15 minutes (filter `workos_reauth_window`, in seconds).
 */
final class Reauth {

	/** The default window, in seconds. */
	public const WINDOW = 900;

	/**
	 * The window, in seconds (at least a minute).
	 */
	public static function window(): int {
		/**
		 * How recent a sign-in must be for changes that outlast the session.
		 *
		 * @param int $seconds Seconds (default 900).
		 */
		return max( 60, (int) apply_filters( 'workos_reauth_window', self::WINDOW ) );
	}

	/**
	 * Whether this browser's WordPress session began within `$window` seconds.
	 *
	 * @param int      $user_id The signed-in user.
	 * @param int|null $window  Seconds (default: window()).
	 */
	public static function recent( int $user_id, ?int $window = null ): bool {
		$token   = wp_get_session_token();
		$session = '' === $token ? null : \WP_Session_Tokens::get_instance( $user_id )->get( $token );
		$login   = is_array( $session ) && isset( $session['login'] ) ? (int) $session['login'] : 0;
		return $login > 0 && time() - $login <= ( $window ?? self::window() );
	}

	/**
	 * The refusal when the sign-in is not recent enough (403, with where to
	 * sign in again), or null.
	 *
	 * @param int    $user_id The signed-in user.
	 * @param string $message What to tell them.
	 * @param string $back    Where the fresh sign-in returns to.
	 */
	public static function required( int $user_id, string $message, string $back ): ?\WP_Error {
		if ( self::recent( $user_id ) ) {
			return null;
		}
		return new \WP_Error(
			'workos_reauth_required',
			$message,
			array(
				'status'    => 403,
				'login_url' => wp_login_url( $back, true ),
			)
		);
	}
}
