<?php
/**
 * wp-login.php?action=workos_confirm — proves a fallback sign-in by an email
 * code from WorkOS (Magic Auth) before the account is linked to WorkOS, so
 * a WordPress password is never sent to WorkOS.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP;

defined( 'ABSPATH' ) || exit;

/**
 * The emailed-code step of a password fallback.
 */
final class Confirmation {

	public const ACTION      = 'workos_confirm';
	public const MAGIC_GRANT = 'urn:workos:oauth:grant-type:magic-auth:code';

	/**
	 * Asks WorkOS to email a code and sends the browser to the code form.
	 * Returns only when the code could not be sent.
	 *
	 * @param \WP_User $user The user WordPress's password check accepted.
	 */
	public static function start( \WP_User $user ): \WP_Error {
		// WordPress accepted the password: that attempt was no failure (the
		// code now asked for is limited on its own).
		LoginLimits::succeeded();
		try {
			Api::client()->request( 'POST', array( 'user_management', 'magic_auth' ), null, array( 'email' => $user->user_email ) );
		} catch ( \WorkOS\Native\Exception $e ) {
			Log::event(
				'fallback_confirmation_failed',
				array(
					'user_id' => $user->ID,
					'reason'  => $e->getMessage(),
				)
			);
			return new \WP_Error( 'confirmation_unavailable', __( 'We could not send you a confirmation code. Please try again later.', 'workos' ) );
		}
		$token = \WorkOS\Native\State::issue(
			Settings::state_secret(),
			Login::binding( true ),
			array(
				'k' => self::ACTION,
				'u' => $user->ID,
			),
			Login::FLOW_TTL
		);
		Log::event( 'fallback_confirmation_sent', array( 'user_id' => $user->ID ) );
		wp_safe_redirect( add_query_arg( array( 'action' => self::ACTION, 'token' => rawurlencode( $token ) ), wp_login_url() ) );
		exit;
	}

	/**
	 * The code form (GET) and its check (POST). Never returns.
	 */
	public static function handle(): void {
		nocache_headers();
		$token = CodeForm::submitted_token();
		$code  = CodeForm::submitted_code();
		$user = self::user_of( $token );
		if ( is_wp_error( $user ) ) {
			self::render( $token, $user );
		}
		if ( 'POST' !== ( $_SERVER['REQUEST_METHOD'] ?? 'GET' ) ) {
			self::render( $token, null, $user );
		}
		// Counted before WorkOS checks the code (atomic: parallel guesses
		// cannot all pass), per step, per person and per client.
		$limits = LoginLimits::code_limits( 'confirm:' . $token, AccountLock::user( $user->ID ) );
		$wait   = Throttle::take( $limits );
		if ( $wait > 0 ) {
			self::render( $token, Throttle::error( $wait ), $user );
		}
		$auth = SignIn::grant(
			array(
				'grant_type' => self::MAGIC_GRANT,
				'code'       => $code,
				'email'      => $user->user_email,
			)
		);
		if ( is_wp_error( $auth ) ) {
			if ( 'workos_unreachable' === $auth->get_error_code() ) {
				Throttle::refund( $limits ); // No code was checked.
				// Not the code's fault: say so, and keep the form for another try.
				self::render( $token, $auth, $user );
			}
			self::render( $token, new \WP_Error( 'invalid_code', __( 'That code is not valid or has expired.', 'workos' ) ), $user );
		}
		Throttle::refund( $limits );
		$workos_id = (string) ( $auth['user']['id'] ?? '' );
		$owner     = Users::find_linked( $workos_id );
		$key       = Users::email_key( $auth['user']['email'] ?? null );
		if ( null === $key || Users::email_key( $user->user_email ) !== $key || ( $owner && $owner->ID !== $user->ID ) ) {
			self::render( $token, new \WP_Error( 'already_linked', __( 'This email belongs to an account linked to another WorkOS user.', 'workos' ) ) );
		}
		if ( ! $owner ) {
			Users::link( $user, $workos_id );
		}
		$signed = SignIn::complete( $auth, 'password_fallback' );
		if ( is_wp_error( $signed ) ) {
			self::render( $token, $signed );
		}
		SignIn::finish( $signed );
	}

	/**
	 * The user a confirmation token was issued for, in this browser.
	 *
	 * @param string $token Signed token.
	 * @return \WP_User|\WP_Error
	 */
	private static function user_of( string $token ) {
		$expired = new \WP_Error( 'invalid_token', __( 'This confirmation has expired. Please sign in again.', 'workos' ) );
		$binding = Login::binding( false );
		if ( '' === $token || '' === $binding ) {
			return $expired;
		}
		try {
			$state = \WorkOS\Native\State::verify( Settings::state_secret(), $token, $binding );
		} catch ( \WorkOS\Native\Exception $e ) {
			return $expired;
		}
		$user = self::ACTION === ( $state['data']['k'] ?? '' ) ? get_user_by( 'id', (int) ( $state['data']['u'] ?? 0 ) ) : false;
		return $user ? $user : $expired;
	}

	/**
	 * The code form, with an error when there is one. Never returns.
	 *
	 * @param string         $token Signed token.
	 * @param \WP_Error|null $error What went wrong.
	 * @param \WP_User|null  $user  Who is confirming (null: no form, only the error).
	 * @return never
	 */
	private static function render( string $token, ?\WP_Error $error, ?\WP_User $user = null ): void {
		CodeForm::render(
			self::ACTION,
			$token,
			__( 'Confirm your email', 'workos' ),
			/* translators: %s: email address. */
			$user ? sprintf( __( 'Enter the code WorkOS has just emailed to %s to finish signing in.', 'workos' ), $user->user_email ) : '',
			$error,
			null !== $user
		);
	}
}
