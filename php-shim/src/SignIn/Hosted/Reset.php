<?php
/**
 * The hosted login's password reset: who offers it, and the pages that open
 * on it (a reset link, wp-login.php's lost-password screen).
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\SignIn\Hosted;

use WorkOS_WP\Profiles\Profile;

defined( 'ABSPATH' ) || exit;

/**
 * The password lives at WorkOS: WorkOS emails the link (to the password
 * reset URL set in its dashboard, with `?token=`), and the shell's
 * `reset_confirm` step sets the new password with that token (ResetRest).
 * A profile offers the reset when it signs in by password here and its
 * `password_reset_flow` is on.
 */
final class Reset {

	/** The step that asks for an address to send a link to. */
	public const STEP_START = 'reset';

	/** The step that sets the new password with a link's token. */
	public const STEP_CONFIRM = 'reset_confirm';

	/** wp-login.php's `workos_action` of a reset link (the reference's). */
	public const ACTION = 'reset-password';

	/** What a token of a reset link looks like (WorkOS's are alphanumeric). */
	public const TOKEN_PATTERN = '/^[A-Za-z0-9_-]{8,512}$/D';

	/**
	 * Whether `$profile` offers the password reset on its hosted login.
	 *
	 * @param Profile $profile The profile.
	 */
	public static function offered( Profile $profile ): bool {
		return AuthRest::offers( $profile, 'password' ) && false !== $profile->get( 'password_reset_flow', true );
	}

	/**
	 * The refusal of a reset the profile does not offer (REFERENCE-API §6.1).
	 */
	public static function disabled(): \WP_Error {
		return AuthError::make( 'workos_authkit_reset_disabled', __( 'Password reset is not available here.', 'workos' ), 400 );
	}

	/**
	 * The step a login page opens on when its URL is about a reset, as
	 * Shell::markup()'s context (`initial_step`, `step_data`); empty when it
	 * is not, or when the profile does not offer the reset.
	 *
	 * A reset link: `?token=` on a profile's own page, or
	 * `?workos_action=reset-password&token=` anywhere (wp-login.php needs it:
	 * a bare `token` there could belong to someone else's screen). A lost
	 * password (`action=lostpassword`, wp-login.php's screen, passed on to a
	 * profile's own path): the step that sends the link.
	 *
	 * @param Profile $profile    The profile.
	 * @param array   $query      The request's query (unslashed).
	 * @param bool    $login_page Whether this is wp-login.php.
	 * @return array
	 */
	public static function entry_context( Profile $profile, array $query, bool $login_page ): array {
		if ( ! self::offered( $profile ) ) {
			return array();
		}
		$token  = isset( $query['token'] ) && is_string( $query['token'] ) ? trim( $query['token'] ) : '';
		$action = isset( $query['workos_action'] ) && is_string( $query['workos_action'] ) ? $query['workos_action'] : '';
		if ( '' !== $token && ( self::ACTION === $action || ! $login_page ) ) {
			if ( 1 !== preg_match( self::TOKEN_PATTERN, $token ) ) {
				// Not a link WorkOS sent: the step says so, and offers a new one.
				$token = '';
			}
			return array(
				'initial_step' => self::STEP_CONFIRM,
				'step_data'    => array( 'token' => $token ),
			);
		}
		$screen = isset( $query['action'] ) && is_string( $query['action'] ) ? $query['action'] : '';
		if ( in_array( $screen, array( 'lostpassword', 'retrievepassword' ), true ) ) {
			$login = isset( $query['user_login'] ) && is_string( $query['user_login'] ) ? sanitize_email( $query['user_login'] ) : '';
			return array(
				'initial_step' => self::STEP_START,
				'step_data'    => array( 'email' => is_email( $login ) ? $login : '' ),
			);
		}
		return array();
	}
}
