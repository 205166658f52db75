<?php
/**
 * Sign-up in the hosted login: `POST /wp-json/workos/v1/auth/signup/create`
 * and `signup/verify` (REFERENCE-API §6.1), when the Login Profile allows it.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\SignIn\Hosted;

use WorkOS_WP\Api;
use WorkOS_WP\Log;
use WorkOS_WP\Mail;
use WorkOS_WP\Net;
use WorkOS_WP\Profiles\Profile;
use WorkOS_WP\SignIn\Flow;
use WorkOS_WP\SignIn\LoginLimits;
use WorkOS_WP\SignIn\SignIn;

defined( 'ABSPATH' ) || exit;

/**
 * Nothing that can sign in exists before the address is proven: the sign-up
 * creates the WorkOS user WITHOUT a password and has WorkOS email it a
 * verification code; only when that code comes back (signup/verify) is the
 * address confirmed, the chosen password set, and the sign-in made with it
 * like any other — the one sign-in pipeline (Completion) creates or links
 * the WordPress user, by verified email only. WordPress never creates anyone
 * here. (Setting the password at once would let anyone register someone
 * else's address with a password of their choosing, wait for its owner to
 * verify it by another way — an emailed sign-in code, a social account —
 * and then sign in as them.)
 *
 * Until the code comes back, the password is kept on the server encrypted
 * (sodium secretbox) under a key that only the browser's step token carries:
 * the database alone never holds it readable.
 *
 * No enumeration: an address that already has a WorkOS account gets the very
 * same answer (status, shape, time) as a new one; its owner is told by email
 * instead, and the code step that follows can only fail like a wrong code.
 * WorkOS's pending token never reaches the browser: it stays on the server
 * (a transient) under a random reference, which the browser- and
 * profile-bound step token carries — so a step for a taken address is
 * indistinguishable from a real one.
 */
final class SignupRest {

	/** Flow-token kind of a sign-up's verification step. */
	public const STEP = Signup::STEP;

	/** Transient prefix of what a step keeps on the server (see verification_step()). */
	private const PENDING = 'workos_signup_';

	/** Shortest password asked of WorkOS (checked here first, see create()). */
	private const MIN_PASSWORD = 8;

	/** Longest password, name accepted. */
	private const MAX_PASSWORD = 1024;
	private const MAX_NAME     = 100;

	/**
	 * The routes (AuthRest::FLOWS).
	 *
	 * @return array<string, array{0: string, 1: string}>
	 */
	public static function routes(): array {
		return array(
			'signup/create' => array( 'POST', 'signup_create' ),
			'signup/verify' => array( 'POST', 'signup_verify' ),
		);
	}

	/**
	 * POST signup/create: `email`, `password`, `first_name?`, `last_name?`,
	 * `invitation_token?` (needed when the profile requires an invitation),
	 * `redirect_to?`. Answers 201 `{verification_needed: true,
	 * email_verification_required: true, pending_authentication_token, email,
	 * user: {email, email_verified: false}}`: always a code step, also where
	 * WorkOS would not ask for verification (the password waits for it).
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public static function signup_create( \WP_REST_Request $request ) {
		$profile = self::profile( $request );
		if ( is_wp_error( $profile ) ) {
			return $profile;
		}
		$email    = AuthRest::email( $request );
		$password = $request->get_param( 'password' );
		$target   = AuthRest::redirect_to( $request );
		if ( is_wp_error( $email ) ) {
			return $email;
		}
		if ( ! is_string( $password ) || '' === $password || strlen( $password ) > self::MAX_PASSWORD ) {
			return AuthError::invalid_input( __( 'Choose a password.', 'workos' ) );
		}
		// WorkOS judges strength, but this much is asked of every address here
		// first: were the only check WorkOS's, a weak password would be refused
		// for a new address and not for a taken one (WorkOS then says "taken").
		if ( mb_strlen( $password ) < self::MIN_PASSWORD ) {
			/* translators: %d: number of characters. */
			return AuthError::invalid_input( sprintf( __( 'Choose a password of at least %d characters.', 'workos' ), self::MIN_PASSWORD ) );
		}
		$names = array();
		foreach ( array( 'first_name', 'last_name' ) as $field ) {
			$value = $request->get_param( $field );
			$value = is_string( $value ) ? trim( sanitize_text_field( $value ) ) : '';
			if ( mb_strlen( $value ) > self::MAX_NAME ) {
				return AuthError::invalid_input( __( 'That name is too long.', 'workos' ) );
			}
			if ( '' !== $value ) {
				$names[ $field ] = $value;
			}
		}
		if ( is_wp_error( $target ) ) {
			return $target;
		}
		$account = LoginLimits::account( $email );
		$limited = AuthRest::take(
			array(
				array( 'signup_ip', Net::client_ip() ),
				array( 'signup_email', $account . '|' . Net::client_ip() ),
				// From anywhere: nobody's inbox is flooded with codes or notices.
				array( 'signup_account', $account ),
			)
		);
		if ( $limited ) {
			return $limited;
		}
		// After the limits: looking an invitation up is a call to WorkOS.
		$invitation = self::invitation( $profile, $request, $email );
		if ( is_wp_error( $invitation ) ) {
			return $invitation;
		}
		try {
			$created = Api::client()->createUser( array_merge( $names, array( 'email' => $email ) ) );
			$user_id = is_string( $created['id'] ?? null ) ? $created['id'] : '';
			if ( '' === $user_id ) {
				throw new \WorkOS\Native\Exception( 'WorkOS answered a new user without an id' );
			}
			Api::client()->sendVerificationEmail( $user_id );
		} catch ( \WorkOS\Native\ApiException $e ) {
			if ( $e->isTransient() ) {
				return AuthRest::floored( AuthError::make( 'workos_unreachable', SignIn::unreachable(), 502 ) );
			}
			if ( self::is_taken( $e ) ) {
				// Same answer as a new address; its owner learns of it by email.
				self::notify_owner( $profile, $email );
				Log::event( 'signup_existing', array( 'login' => substr( $email, 0, 100 ) ) );
				return AuthRest::floored( self::verification_step( $profile, null, $email ) );
			}
			if ( 'password_strength_error' === $e->getErrorCode() ) {
				return AuthRest::floored( AuthError::invalid_input( __( 'Choose a stronger password: longer, and not one used elsewhere.', 'workos' ) ) );
			}
			Log::event(
				'signup_failed',
				array(
					'reason' => (string) $e->getErrorCode(),
					'login'  => substr( $email, 0, 100 ),
				)
			);
			return AuthRest::floored( AuthError::make( 'workos_authkit_signup_failed', __( 'Your account could not be created. Check what you entered and try again.', 'workos' ), 400 ) );
		} catch ( \WorkOS\Native\Exception $e ) {
			return AuthRest::floored( AuthError::make( 'workos_unreachable', SignIn::unreachable(), 502 ) );
		}
		Log::event( 'signup', array( 'login' => substr( $email, 0, 100 ) ) );
		return AuthRest::floored(
			self::verification_step(
				$profile,
				array(
					'user_id'    => $user_id,
					'password'   => $password,
					'invitation' => $invitation,
				),
				$email
			)
		);
	}

	/**
	 * POST signup/verify: `code`, `pending_authentication_token` (what
	 * signup/create answered), `email`, `redirect_to?`. The emailed code
	 * confirms the address at WorkOS, the password is set, and the sign-in
	 * with it goes through the pipeline: the login result, or a further
	 * step-up (MFA …).
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public static function signup_verify( \WP_REST_Request $request ) {
		$profile = self::profile( $request );
		if ( is_wp_error( $profile ) ) {
			return $profile;
		}
		$token  = $request->get_param( 'pending_authentication_token' );
		$token  = is_string( $token ) ? trim( $token ) : '';
		$code   = $request->get_param( 'code' );
		$code   = is_string( $code ) ? preg_replace( '/\s+/', '', $code ) : '';
		$target = AuthRest::redirect_to( $request );
		if ( 1 !== preg_match( '/^[0-9]{6}$/D', $code ) ) {
			return AuthError::invalid_input( __( 'Enter the 6-digit code from the email.', 'workos' ) );
		}
		if ( is_wp_error( $target ) ) {
			return $target;
		}
		$step = self::step( $token, $profile );
		if ( null === $step ) {
			return AuthError::make( 'workos_authkit_step_expired', __( 'This verification has expired. Please create your account again, or sign in.', 'workos' ), 400 );
		}
		// The person the code is for: the step's address (signed), not what the request says.
		$account = LoginLimits::account( $step['e'] );
		$limits  = array_merge(
			array(
				array( 'signup_verify_ip', Net::client_ip() ),
			),
			LoginLimits::code_limits( 'signup:' . $step['r'], $account )
		);
		$limited = AuthRest::take( $limits );
		if ( $limited ) {
			return $limited;
		}
		$pending = self::pending( $step );
		if ( null === $pending ) {
			// A taken address's step (or one already used): only ever a wrong code.
			return AuthRest::floored( self::wrong_code() );
		}
		return AuthRest::attempt(
			$profile,
			static function () use ( $pending, $code, $step ) {
				// The code proves the mailbox; only then does the account get its password.
				try {
					Api::client()->verifyEmail( $pending['user_id'], $code );
				} catch ( \WorkOS\Native\ApiException $e ) {
					// Whatever WorkOS says against the code (wrong, used, lapsed, the address
					// verified meanwhile by someone else's sign-in) is a wrong code: counted, and
					// answered alike, so the step tells nothing about the address.
					return $e->isTransient() ? SignIn::api_error( $e ) : new \WP_Error( 'workos_authkit_invalid_code' );
				} catch ( \WorkOS\Native\Exception $e ) {
					return new \WP_Error( 'workos_unreachable', SignIn::unreachable(), array( 'status' => 502 ) );
				}
				// Spent: the step cannot be replayed, whatever happens next.
				delete_transient( self::PENDING . $step['r'] );
				try {
					Api::client()->updateUser( $pending['user_id'], array( 'password' => $pending['password'] ) );
				} catch ( \WorkOS\Native\Exception $e ) {
					Log::event(
						'signup_failed',
						array(
							'reason' => $e instanceof \WorkOS\Native\ApiException ? (string) $e->getErrorCode() : 'unreachable',
							'login'  => substr( $step['e'], 0, 100 ),
						)
					);
					return new \WP_Error( 'workos_signup_password_refused', __( 'Your email address is confirmed, but your password could not be set. Choose "Forgot your password?" on the sign-in page to set one.', 'workos' ), array( 'status' => 400 ) );
				}
				$grant = array(
					'grant_type' => 'password',
					'email'      => $step['e'],
					'password'   => $pending['password'],
				);
				if ( '' !== $pending['invitation'] ) {
					$grant['invitation_token'] = $pending['invitation'];
				}
				return SignIn::grant( $grant );
			},
			array(
				'limits'       => $limits,
				'taken'        => true,
				// WorkOS's answers to a wrong, spent or lapsed code: a wrong code, as a taken address's step gives.
				'wrong'        => array( 'workos_authkit_invalid_code', 'invalid_grant' ),
				'log'          => array(
					'method' => 'hosted',
					'login'  => substr( $step['e'], 0, 100 ),
				),
				'wrong_answer' => self::wrong_code(),
				'target'       => $target,
				'floor'        => true,
			)
		);
	}

	/**
	 * What verification_step() kept for `$step`, its password decrypted with
	 * the key the step token carries; null when there is nothing (a taken
	 * address, a spent or lapsed step) or it does not decrypt.
	 *
	 * @param array $step The step (step()).
	 * @return array{user_id: string, password: string, invitation: string}|null
	 */
	private static function pending( array $step ): ?array {
		$kept = get_transient( self::PENDING . $step['r'] );
		if ( ! is_array( $kept ) || ! is_string( $kept['u'] ?? null ) || ! is_string( $kept['c'] ?? null ) || ! is_string( $kept['n'] ?? null ) || '' === $step['x'] ) {
			return null;
		}
		$key      = self::unhex( $step['x'] );
		$sealed   = self::unhex( $kept['c'] );
		$nonce    = self::unhex( $kept['n'] );
		$password = false;
		if ( is_string( $key ) && SODIUM_CRYPTO_SECRETBOX_KEYBYTES === strlen( $key ) && is_string( $sealed ) && is_string( $nonce ) && SODIUM_CRYPTO_SECRETBOX_NONCEBYTES === strlen( $nonce ) ) {
			$password = sodium_crypto_secretbox_open( $sealed, $nonce, $key );
		}
		if ( ! is_string( $password ) ) {
			return null;
		}
		return array(
			'user_id'    => $kept['u'],
			'password'   => $password,
			'invitation' => is_string( $kept['i'] ?? null ) ? $kept['i'] : '',
		);
	}

	/**
	 * Hex as bytes, or null when it is not hex.
	 *
	 * @param string $hex Hex digits.
	 */
	private static function unhex( string $hex ): ?string {
		return 1 === preg_match( '/^(?:[0-9a-f]{2})+$/D', $hex ) ? (string) hex2bin( $hex ) : null;
	}

	/**
	 * The guarded profile, when it lets people sign up here (by password).
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return Profile|\WP_Error
	 */
	private static function profile( \WP_REST_Request $request ) {
		$profile = AuthRest::guard( $request, '' );
		if ( is_wp_error( $profile ) ) {
			return $profile;
		}
		if ( ! Signup::enabled( $profile ) ) {
			return AuthError::make( 'workos_authkit_signup_disabled', __( 'New accounts cannot be created here.', 'workos' ), 400 );
		}
		return $profile;
	}

	/**
	 * The invitation a sign-up needs when the profile requires one: its
	 * token ('' when none is needed), or the refusal. Only a pending
	 * invitation for this very address counts.
	 *
	 * @param Profile          $profile The profile.
	 * @param \WP_REST_Request $request Request.
	 * @param string           $email   The address signing up.
	 * @return string|\WP_Error
	 */
	private static function invitation( Profile $profile, \WP_REST_Request $request, string $email ) {
		$signup = $profile->get( 'signup', array() );
		$token  = $request->get_param( 'invitation_token' );
		$token  = is_string( $token ) && 1 === preg_match( '/^[A-Za-z0-9_-]{1,256}$/D', $token ) ? $token : '';
		if ( ! is_array( $signup ) || empty( $signup['require_invite'] ) ) {
			return $token;
		}
		$refusal = AuthError::make( 'workos_authkit_invitation_required', __( 'You need an invitation to create an account here. Use the link in your invitation email.', 'workos' ), 403 );
		if ( '' === $token ) {
			return $refusal;
		}
		try {
			$found = Api::client()->findInvitationByToken( $token );
		} catch ( \WorkOS\Native\ApiException $e ) {
			return $e->isTransient() ? AuthError::make( 'workos_unreachable', SignIn::unreachable(), 502 ) : $refusal;
		} catch ( \WorkOS\Native\Exception $e ) {
			return AuthError::make( 'workos_unreachable', SignIn::unreachable(), 502 );
		}
		$invited = is_string( $found['email'] ?? null ) ? $found['email'] : '';
		if ( 'pending' !== ( $found['state'] ?? '' ) || 0 !== strcasecmp( $invited, $email ) ) {
			return $refusal;
		}
		return $token;
	}

	/**
	 * The verification step's answer, the same for a new address and a
	 * taken one (`$pending` = null): a random reference in a browser- and
	 * profile-bound token, and for a new address what the code will unlock
	 * kept on the server under it — the WorkOS user, the invitation and the
	 * password, sealed with a key only the token carries.
	 *
	 * @param Profile    $profile The profile.
	 * @param array|null $pending {user_id, password, invitation}, or null for a taken address.
	 * @param string     $email   The address.
	 */
	private static function verification_step( Profile $profile, ?array $pending, string $email ): \WP_REST_Response {
		$ref = bin2hex( random_bytes( 16 ) );
		$key = sodium_crypto_secretbox_keygen();
		if ( null !== $pending ) {
			$nonce = random_bytes( SODIUM_CRYPTO_SECRETBOX_NONCEBYTES );
			set_transient(
				self::PENDING . $ref,
				array(
					'u' => $pending['user_id'],
					'i' => $pending['invitation'],
					'n' => bin2hex( $nonce ),
					'c' => bin2hex( sodium_crypto_secretbox( $pending['password'], $nonce, $key ) ),
				),
				Flow::TTL
			);
		}
		$token    = Flow::issue(
			array(
				'k' => self::STEP,
				'r' => $ref,
				'e' => $email,
				's' => $profile->get_slug(),
				// The key of what is kept under `r` (present for a taken address too: same shape).
				'x' => bin2hex( $key ),
			)
		);
		$response = new \WP_REST_Response(
			array(
				'verification_needed'          => true,
				'email_verification_required'  => true,
				'pending_authentication_token' => $token,
				'email'                        => $email,
				// No id: a taken address would have none to show.
				'user'                         => array(
					'email'          => $email,
					'email_verified' => false,
				),
			),
			201
		);
		$response->header( 'Cache-Control', 'no-store, private' );
		return $response;
	}

	/**
	 * The step of a token verification_step() issued to this browser for
	 * `$profile`, or null.
	 *
	 * @param string  $token   The shell's pending_authentication_token.
	 * @param Profile $profile The profile.
	 * @return array{r: string, e: string, x: string}|null
	 */
	private static function step( string $token, Profile $profile ): ?array {
		if ( '' === $token ) {
			return null;
		}
		try {
			$data = Flow::verify( $token )['data'];
		} catch ( \WorkOS\Native\Exception $e ) {
			return null;
		}
		if ( self::STEP !== ( $data['k'] ?? '' ) || ( $data['s'] ?? '' ) !== $profile->get_slug() || ! is_string( $data['r'] ?? null ) || 1 !== preg_match( '/^[a-f0-9]{32}$/D', $data['r'] ) || ! is_string( $data['e'] ?? null ) ) {
			return null;
		}
		return array(
			'r' => $data['r'],
			'e' => $data['e'],
			'x' => is_string( $data['x'] ?? null ) ? $data['x'] : '',
		);
	}

	/**
	 * A wrong, spent or expired code of this step (the API's invalid_code,
	 * without "send a new code": signing in again sends one, see steps/Signup.js).
	 */
	private static function wrong_code(): \WP_Error {
		return AuthError::make( 'workos_authkit_invalid_code', __( 'That code is not right or has expired. Check the latest email.', 'workos' ), 400 );
	}

	/**
	 * Whether WorkOS refused to create the user because the address is taken.
	 *
	 * @param \WorkOS\Native\ApiException $e The refusal.
	 */
	private static function is_taken( \WorkOS\Native\ApiException $e ): bool {
		if ( 'email_not_available' === $e->getErrorCode() ) {
			return true;
		}
		$body = $e->getBody();
		foreach ( is_array( $body ) && is_array( $body['errors'] ?? null ) ? $body['errors'] : array() as $error ) {
			if ( is_array( $error ) && 'email_not_available' === ( $error['code'] ?? '' ) ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Tells the owner of a taken address that someone tried to create an
	 * account with it, and where to sign in (or reset the password) instead.
	 *
	 * @param Profile $profile The profile.
	 * @param string  $email   The address.
	 */
	private static function notify_owner( Profile $profile, string $email ): void {
		$site = wp_specialchars_decode( get_bloginfo( 'name' ), ENT_QUOTES );
		$url  = Signup::login_url( $profile );
		/* translators: %s: site name. */
		$subject = sprintf( __( '[%s] You already have an account', 'workos' ), $site );
		$message = sprintf(
			/* translators: 1: site name, 2: sign-in URL. */
			__( "Someone — probably you — tried to create an account on %1\$s with this email address, which already has one.\n\nSign in here instead: %2\$s\nIf you have forgotten your password, choose \"Forgot your password?\" there.\n\nIf this was not you, you can ignore this email: nothing has changed.", 'workos' ),
			$site,
			$url
		);
		Mail::send(
			$email,
			'signup/existing-account-notice',
			$subject,
			$message,
			array(
				'email'     => $email,
				'profile'   => $profile->get_slug(),
				'login_url' => $url,
			)
		);
	}
}
