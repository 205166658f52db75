<?php
/**
 * Email + password sign-ins (WordPress's `authenticate` filter): checked by
 * WorkOS in headless mode, WordPress's own check only as an allowed fallback.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP;

defined( 'ABSPATH' ) || exit;

/**
 * The authenticate filter, in three steps around WordPress's own check
 * (priority 20): before (10), after (25) and a last word (99).
 */
final class PasswordLogin {

	public const PASSWORD_GRANT = 'password';

	/**
	 * Why WorkOS did not accept the password, when WordPress may still try.
	 *
	 * @var string
	 */
	private static $fallback_reason = '';

	/**
	 * Priority 10: WorkOS decides first.
	 *
	 * @param \WP_User|\WP_Error|null $user     Result so far.
	 * @param string                  $username Login or email.
	 * @param string                  $password Password.
	 * @return \WP_User|\WP_Error|null
	 */
	public static function authenticate( $user, $username, $password ) {
		self::$fallback_reason = '';
		if ( $user instanceof \WP_User || ! is_string( $username ) || ! is_string( $password ) || '' === $username || '' === $password ) {
			return $user;
		}
		if ( ! extension_ready() || ! Settings::is_configured() ) {
			return $user;
		}
		// Guessing is slowed per account and per client IP, whichever path
		// would check the password (failures are counted in failed()).
		$wait = max( Throttle::wait( 'login_account', $username ), Throttle::wait( 'login_ip', Net::client_ip() ) );
		if ( $wait > 0 ) {
			self::without_wordpress_passwords();
			return Throttle::error( $wait );
		}
		$fallback = Settings::flag( 'allow_password_fallback' );
		if ( 'headless' !== Settings::get( 'login_mode' ) ) {
			if ( $fallback ) {
				return $user;
			}
			self::without_wordpress_passwords();
			return new \WP_Error( 'workos_sso_only', __( 'Passwords are not accepted here: please sign in with WorkOS.', 'workos' ) );
		}

		$email = self::email_for( $username );
		$auth  = SignIn::grant(
			array(
				'grant_type' => self::PASSWORD_GRANT,
				'email'      => $email,
				'password'   => $password,
			)
		);
		if ( is_wp_error( $auth ) ) {
			$code = $auth->get_error_code();
			Log::event(
				'login_failed',
				array(
					'reason' => $code,
					'method' => 'headless',
				)
			);
			// The next step, not a dead end: enter the emailed code.
			if ( 'email_verification_required' === $code ) {
				EmailVerification::start( (array) ( $auth->get_error_data()['body'] ?? array() ) );
			}
			if ( $fallback && in_array( $code, array( 'invalid_credentials', 'workos_unreachable' ), true ) ) {
				self::$fallback_reason = $code;
				return $user;
			}
			self::without_wordpress_passwords();
			return $auth;
		}
		$signed = SignIn::complete( $auth, 'headless' );
		if ( is_wp_error( $signed ) ) {
			self::without_wordpress_passwords();
		}
		return $signed;
	}

	/**
	 * Priority 25: WordPress accepted a password WorkOS did not. The account
	 * is linked to WorkOS — after an emailed code when confirmation is on,
	 * else by writing the password through.
	 *
	 * @param \WP_User|\WP_Error|null $user     Result so far.
	 * @param string                  $username Login or email.
	 * @param string                  $password Password.
	 * @return \WP_User|\WP_Error|null
	 */
	public static function after_wordpress( $user, $username, $password ) {
		$reason                = self::$fallback_reason;
		self::$fallback_reason = '';
		if ( ! $user instanceof \WP_User || 'invalid_credentials' !== $reason ) {
			// WorkOS unreachable: WordPress's answer stands, linking waits.
			return $user;
		}
		if ( Users::is_deactivated( $user->ID ) ) {
			return $user; // Refused at priority 99.
		}
		if ( Settings::flag( 'fallback_confirmation' ) ) {
			return Confirmation::start( $user ); // Redirects to the code form unless the code cannot be sent.
		}
		$linked = self::write_through( $user, (string) $password );
		if ( is_wp_error( $linked ) ) {
			Log::event(
				'fallback_link_failed',
				array(
					'user_id' => $user->ID,
					'reason'  => $linked->get_error_code(),
				)
			);
		}
		Log::event( 'login', array( 'user_id' => $user->ID, 'method' => 'password_fallback' ) );
		return $user;
	}

	/**
	 * wp_login_failed: one more failure for the account and the client IP.
	 *
	 * @param string    $username What was typed.
	 * @param \WP_Error $error    Why (rate-limit refusals are not counted again).
	 */
	public static function failed( $username, $error = null ): void {
		if ( $error instanceof \WP_Error && 'too_many_attempts' === $error->get_error_code() ) {
			return;
		}
		if ( ! extension_ready() || ! Settings::is_configured() ) {
			return;
		}
		Throttle::fail( 'login_account', (string) $username );
		Throttle::fail( 'login_ip', Net::client_ip() );
	}

	/**
	 * Priority 99: a deactivated account gets in by no password.
	 *
	 * @param \WP_User|\WP_Error|null $user Result so far.
	 * @return \WP_User|\WP_Error|null
	 */
	public static function refuse_deactivated( $user ) {
		if ( $user instanceof \WP_User && Users::is_deactivated( $user->ID ) ) {
			Log::event( 'login_denied', array( 'reason' => 'account_deactivated', 'user_id' => $user->ID ) );
			return new \WP_Error( 'account_deactivated', __( 'This account has been deactivated.', 'workos' ) );
		}
		return $user;
	}

	/**
	 * wp_authenticate_application_password_errors: no application password
	 * works for a deactivated account.
	 *
	 * @param \WP_Error $error Errors so far.
	 * @param \WP_User  $user  The user.
	 */
	public static function application_password_errors( $error, $user ): void {
		if ( $error instanceof \WP_Error && $user instanceof \WP_User && Users::is_deactivated( $user->ID ) ) {
			$error->add( 'account_deactivated', __( 'This account has been deactivated.', 'workos' ) );
		}
	}

	/**
	 * Makes the WordPress user's password the WorkOS one: updates the WorkOS
	 * user with this (verified) email, or creates it, and links them.
	 *
	 * @param \WP_User $user     The WordPress user.
	 * @param string   $password The password WordPress just accepted.
	 * @return true|\WP_Error
	 */
	private static function write_through( \WP_User $user, string $password ) {
		$linked_id = (string) get_user_meta( $user->ID, Users::META_ID, true );
		try {
			$client = Api::client();
			if ( '' !== $linked_id ) {
				$client->request( 'PUT', array( 'user_management', 'users', $linked_id ), null, array( 'password' => $password ) );
				return true;
			}
			$found = $client->request( 'GET', array( 'user_management', 'users' ), array( 'email' => $user->user_email ) );
			$match = is_array( $found['data'][0] ?? null ) ? $found['data'][0] : null;
			if ( $match ) {
				// The mailbox owner at WorkOS must be proven before we take it over.
				if ( true !== ( $match['email_verified'] ?? null ) ) {
					return new \WP_Error( 'email_not_verified', __( 'The WorkOS user with this email is not verified.', 'workos' ) );
				}
				if ( Users::find_linked( (string) $match['id'] ) ) {
					return new \WP_Error( 'already_linked', __( 'That WorkOS user is linked to another account.', 'workos' ) );
				}
				$client->request( 'PUT', array( 'user_management', 'users', (string) $match['id'] ), null, array( 'password' => $password ) );
				$workos_id = (string) $match['id'];
			} else {
				$created   = $client->request(
					'POST',
					array( 'user_management', 'users' ),
					null,
					array(
						'email'      => $user->user_email,
						'password'   => $password,
						'first_name' => $user->first_name,
						'last_name'  => $user->last_name,
					)
				);
				$workos_id = (string) ( $created['id'] ?? '' );
			}
		} catch ( \WorkOS\Native\Exception $e ) {
			return new \WP_Error( 'workos_write_through_failed', $e->getMessage() );
		}
		Users::link( $user, $workos_id );
		return true;
	}

	/**
	 * The email WorkOS knows a login by: the username itself when it is an
	 * address, else the matching WordPress account's email.
	 *
	 * @param string $username What was typed.
	 */
	private static function email_for( string $username ): string {
		if ( is_email( $username ) ) {
			return $username;
		}
		$user = get_user_by( 'login', $username );
		return $user ? $user->user_email : $username;
	}

	/**
	 * WordPress's own password checks must not overrule a refusal.
	 */
	private static function without_wordpress_passwords(): void {
		remove_filter( 'authenticate', 'wp_authenticate_username_password', 20 );
		remove_filter( 'authenticate', 'wp_authenticate_email_password', 20 );
	}
}
