<?php
/**
 * The hosted login's password reset routes, /wp-json/workos/v1/auth/password/reset/*
 * (REFERENCE-API §6.1): `start` asks WorkOS to email a reset link,
 * `confirm` sets the new password with the link's token.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\SignIn\Hosted;

use WorkOS_WP\Api;
use WorkOS_WP\Log;
use WorkOS_WP\Net;
use WorkOS_WP\Profiles\Profile;
use WorkOS_WP\Settings;
use WorkOS_WP\SignIn\LoginLimits;
use WorkOS_WP\SignIn\Redirects;
use WorkOS_WP\SignIn\SignIn;
use WorkOS_WP\Throttle;
use WorkOS_WP\Users\Users;

defined( 'ABSPATH' ) || exit;

/**
 * Same guard as the sign-in routes (profile, browser-bound nonce, real
 * method and origin), refused with `workos_authkit_reset_disabled` where the
 * profile does not offer the reset (Reset::offered()). `start` answers the
 * same, no sooner than the response floor, whether or not the address has
 * an account. After `confirm`, the WordPress password of the LINKED account
 * follows only when WordPress passwords are allowed ("Allow WordPress
 * passwords"; while they are off nothing checks it, so it is left alone);
 * the linked account's sessions end either way; with the profile's
 * `auto_login_after_reset` the person is then signed in through the one
 * pipeline (WorkOS's password grant with the new password).
 */
final class ResetRest {

	/** Longest new password accepted (as AuthRest's). */
	private const MAX_PASSWORD = 1024;

	/** Longest redirect_url accepted. */
	private const MAX_REDIRECT = 2048;

	/** Transient prefix: the page a reset started from returns to (by token hash). */
	private const TARGET_PREFIX = 'workos_reset_to_';

	/** How long that is kept: as long as WorkOS's link works (15 minutes), with room. */
	private const TARGET_TTL = 30 * MINUTE_IN_SECONDS;

	/**
	 * The routes, for AuthRoutes::register().
	 *
	 * @return array<string, array{0: string, 1: string}>
	 */
	public static function routes(): array {
		return array(
			'password/reset/start'   => array( 'POST', 'start' ),
			'password/reset/confirm' => array( 'POST', 'confirm' ),
		);
	}

	/**
	 * POST password/reset/start `{email, redirect_url?}`: always
	 * `{ok:true, message}`. WorkOS emails the link only to an address it
	 * knows; an unknown one gets the same answer in the same time.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public static function start( \WP_REST_Request $request ) {
		$profile = self::guard( $request );
		if ( is_wp_error( $profile ) ) {
			return $profile;
		}
		$email  = AuthRest::email( $request );
		$target = self::redirect_url( $request );
		if ( is_wp_error( $email ) ) {
			return $email;
		}
		if ( is_wp_error( $target ) ) {
			return $target;
		}
		$account = LoginLimits::account( $email );
		$limited = AuthRest::take(
			array(
				array( 'pw_reset_ip', Net::client_ip() ),
				array( 'pw_reset_email', $account . '|' . Net::client_ip() ),
				// A far higher ceiling from anywhere: nobody's inbox is flooded.
				array( 'pw_reset_account', $account ),
			)
		);
		if ( $limited ) {
			return $limited;
		}
		try {
			$reset = self::send( $email, $target );
			Log::event(
				'password_reset_sent',
				array(
					'workos_id' => is_string( $reset['user_id'] ?? null ) ? $reset['user_id'] : '',
					'login'     => substr( $email, 0, 100 ),
				)
			);
		} catch ( \WorkOS\Native\ApiException $e ) {
			// WorkOS down is the same for every address: say so, the visitor would
			// otherwise wait for an email that does not come.
			if ( $e->isTransient() ) {
				return AuthRest::floored( AuthError::make( 'workos_unreachable', SignIn::unreachable(), 502 ) );
			}
			// Unknown address (404), resets turned off at WorkOS (403): the same answer.
			if ( 404 !== $e->getStatus() ) {
				Log::event(
					'password_reset_failed',
					array(
						'reason' => (string) $e->getErrorCode(),
						'login'  => substr( $email, 0, 100 ),
					)
				);
			}
		} catch ( \WorkOS\Native\Exception $e ) {
			return AuthRest::floored( AuthError::make( 'workos_unreachable', SignIn::unreachable(), 502 ) );
		}
		return AuthRest::floored(
			new \WP_REST_Response(
				array(
					'ok'      => true,
					'message' => __( 'If this address has an account, a link to choose a new password is on its way. Check your email.', 'workos' ),
				),
				200
			)
		);
	}

	/**
	 * Asks WorkOS to email `$email` a reset link, and remembers where the
	 * link's reset returns to. Also the administrator's "send a reset email"
	 * (Users\PasswordResetRest): the same link, the same step.
	 *
	 * @param string $email  The address.
	 * @param string $target A validated URL on this site, or ''.
	 * @return array WorkOS's PasswordReset.
	 * @throws \WorkOS\Native\Exception When WorkOS refuses or cannot be reached.
	 */
	public static function send( string $email, string $target ): array {
		$reset = Api::client()->createPasswordReset( $email );
		$token = is_string( $reset['password_reset_token'] ?? null ) ? $reset['password_reset_token'] : '';
		if ( '' !== $target && '' !== $token ) {
			// WorkOS's email links to the URL set in its dashboard, which cannot carry
			// where the visitor was going: the link's token finds it again at confirm.
			set_transient( self::target_key( $token ), $target, self::TARGET_TTL );
		}
		return $reset;
	}

	/**
	 * POST password/reset/confirm `{token, new_password, redirect_url?}`:
	 * `{ok:true, signed_in:false, redirect_url, email}`; with the profile's
	 * `auto_login_after_reset`, the login result (or the step-up the shell
	 * continues) merged with `ok` and `signed_in`.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public static function confirm( \WP_REST_Request $request ) {
		$profile = self::guard( $request );
		if ( is_wp_error( $profile ) ) {
			return $profile;
		}
		$token    = $request->get_param( 'token' );
		$token    = is_string( $token ) ? trim( $token ) : '';
		$password = $request->get_param( 'new_password' );
		$target   = self::redirect_url( $request );
		if ( 1 !== preg_match( Reset::TOKEN_PATTERN, $token ) ) {
			return self::token_refused( 'workos_authkit_reset_token_invalid' );
		}
		if ( ! is_string( $password ) || '' === $password || strlen( $password ) > self::MAX_PASSWORD ) {
			return AuthError::invalid_input( __( 'Enter a new password.', 'workos' ) );
		}
		if ( is_wp_error( $target ) ) {
			return $target;
		}
		// Every try counts (a token is a secret to guess); a reset that worked is given back.
		$limits  = array( array( 'pw_reset_confirm_ip', Net::client_ip() ) );
		$limited = AuthRest::take( $limits );
		if ( $limited ) {
			return $limited;
		}
		try {
			$answer = Api::client()->resetPassword( $token, $password );
		} catch ( \WorkOS\Native\ApiException $e ) {
			return self::refusal( $e );
		} catch ( \WorkOS\Native\Exception $e ) {
			return AuthError::make( 'workos_unreachable', SignIn::unreachable(), 502 );
		}
		Throttle::refund( $limits );
		$workos_user = is_array( $answer['user'] ?? null ) ? $answer['user'] : array();
		$workos_id   = is_string( $workos_user['id'] ?? null ) ? $workos_user['id'] : '';
		$email       = is_string( $workos_user['email'] ?? null ) ? $workos_user['email'] : '';
		if ( '' === $target ) {
			$kept   = get_transient( self::target_key( $token ) );
			$target = is_string( $kept ) ? Redirects::site_target( $kept, '' ) : '';
		}
		delete_transient( self::target_key( $token ) );
		$user_id = self::follow( $workos_id, $password );
		Log::event(
			'password_reset',
			array(
				'user_id'   => $user_id,
				'workos_id' => $workos_id,
				'mirrored'  => $user_id > 0 && self::mirrors(),
			)
		);
		/**
		 * Fires after a password was reset through the hosted login.
		 *
		 * @param int     $user_id     The linked WordPress user (0: none).
		 * @param array   $workos_user The WorkOS user.
		 * @param Profile $profile     The Login Profile.
		 */
		do_action( 'workos_authkit_password_reset', $user_id, $workos_user, $profile );

		$done = array(
			'ok'           => true,
			'signed_in'    => false,
			'redirect_url' => $target,
			'email'        => $email,
		);
		if ( ! $profile->get( 'auto_login_after_reset', true ) || '' === $email ) {
			return new \WP_REST_Response( $done, 200 );
		}
		$signed = AuthRest::attempt(
			$profile,
			array(
				'grant_type' => 'password',
				'email'      => $email,
				'password'   => $password,
			),
			array( 'target' => $target )
		);
		if ( is_wp_error( $signed ) ) {
			// The password is changed all the same: the shell says so, and why signing in did not follow.
			$done['sign_in_error'] = array(
				'code'    => $signed->get_error_code(),
				'message' => $signed->get_error_message(),
			);
			return new \WP_REST_Response( $done, 200 );
		}
		$body = (array) $signed->get_data();
		if ( isset( $body['redirect_to'] ) ) {
			$done['signed_in']    = true;
			$done['redirect_url'] = $body['redirect_to'];
		}
		return new \WP_REST_Response( array_merge( $body, $done ), 200 );
	}

	/**
	 * AuthRest::guard() (profile, nonce, origin, configured), then whether
	 * the profile offers the reset.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return Profile|\WP_Error
	 */
	private static function guard( \WP_REST_Request $request ) {
		$profile = AuthRest::guard( $request, '' );
		if ( is_wp_error( $profile ) ) {
			return $profile;
		}
		return Reset::offered( $profile ) ? $profile : Reset::disabled();
	}

	/**
	 * The `redirect_url` parameter (the reference's name on these routes):
	 * '' or a URL on this site; anything else is refused, never followed.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return string|\WP_Error
	 */
	private static function redirect_url( \WP_REST_Request $request ) {
		$target = $request->get_param( 'redirect_url' );
		if ( null === $target || '' === $target ) {
			return '';
		}
		$safe = is_string( $target ) && strlen( $target ) <= self::MAX_REDIRECT ? Redirects::site_target( $target, '' ) : '';
		if ( '' === $safe ) {
			return AuthError::invalid_input( __( 'The page to return to is not on this site.', 'workos' ) );
		}
		return $safe;
	}

	/**
	 * Whether the new password is also set on the linked WordPress account:
	 * only when WordPress passwords may be used (setting "Allow WordPress
	 * passwords"); otherwise nothing ever checks it.
	 */
	private static function mirrors(): bool {
		return Settings::flag( 'allow_password_fallback' );
	}

	/**
	 * The linked WordPress account after its WorkOS password changed: its
	 * password follows (when mirrors()), and its sessions end either way —
	 * someone who reset a password may be locking someone else out.
	 *
	 * @param string $workos_id The WorkOS user.
	 * @param string $password  The new password.
	 * @return int The linked user's id (0: none).
	 */
	private static function follow( string $workos_id, string $password ): int {
		$user = '' === $workos_id ? null : Users::find_linked( $workos_id );
		if ( ! $user ) {
			return 0;
		}
		if ( self::mirrors() ) {
			wp_set_password( $password, $user->ID );
		}
		Users::end_sessions( (int) $user->ID );
		return (int) $user->ID;
	}

	/**
	 * WorkOS's refusal of a token or a password, as the shell's error.
	 *
	 * @param \WorkOS\Native\ApiException $e The refusal.
	 */
	private static function refusal( \WorkOS\Native\ApiException $e ): \WP_Error {
		if ( $e->isTransient() ) {
			return AuthError::make( 'workos_unreachable', SignIn::unreachable(), 502 );
		}
		$body   = $e->getBody();
		$errors = is_array( $body ) && is_array( $body['errors'] ?? null ) ? $body['errors'] : array();
		$reason = is_array( $errors[0] ?? null ) && is_string( $errors[0]['code'] ?? null ) ? $errors[0]['code'] : (string) $e->getErrorCode();
		if ( 'password_reset_token_expired' === $reason ) {
			return self::token_refused( 'workos_authkit_reset_token_expired' );
		}
		if ( 0 === strpos( $reason, 'password_reset_token' ) || 404 === $e->getStatus() ) {
			return self::token_refused( 'workos_authkit_reset_token_invalid' );
		}
		if ( 0 === strpos( $reason, 'password' ) ) {
			// Too short, too common, seen in a breach: WorkOS's policy (set in its dashboard).
			return AuthError::make(
				'workos_authkit_weak_password',
				__( 'This password is not strong enough. Choose a longer one that you do not use elsewhere.', 'workos' ),
				400,
				array( 'reason' => $reason )
			);
		}
		if ( 'email_password_auth_disabled' === $reason ) {
			return Reset::disabled();
		}
		return AuthError::make( 'workos_authkit_reset_failed', __( 'Your password could not be changed. Please ask for a new link and try again.', 'workos' ), 400 );
	}

	/**
	 * A link that cannot be used (any more).
	 *
	 * @param string $code `workos_authkit_reset_token_invalid` or `…_expired`.
	 */
	private static function token_refused( string $code ): \WP_Error {
		$message = 'workos_authkit_reset_token_expired' === $code
			? __( 'This link has expired. Ask for a new one below.', 'workos' )
			: __( 'This link is not valid or was already used. Ask for a new one below.', 'workos' );
		return AuthError::make( $code, $message, 400 );
	}

	/**
	 * The transient of the page a reset returns to, by the token's hash (the
	 * token itself is never stored).
	 *
	 * @param string $token The reset token.
	 */
	private static function target_key( string $token ): string {
		return self::TARGET_PREFIX . substr( hash( 'sha256', $token ), 0, 32 );
	}
}
