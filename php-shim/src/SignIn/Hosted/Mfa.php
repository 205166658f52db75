<?php
/**
 * MFA at a hosted sign-in: a Login Profile's `mfa.enforce` and `mfa.factors`
 * applied to WorkOS's answer, the MFA step the shell continues, and the
 * completed sign-ins held on the server until their second factor passes.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\SignIn\Hosted;

use WorkOS_WP\Api;
use WorkOS_WP\Log;
use WorkOS_WP\Profiles\Profile;
use WorkOS_WP\Settings;
use WorkOS_WP\SignIn\Flow;
use WorkOS_WP\Users\Users;

defined( 'ABSPATH' ) || exit;

/**
 * Two kinds of MFA step, one shape for the shell:
 *
 * - WorkOS asked (`mfa_enrollment` / `mfa_challenge`, any policy): its
 *   pending token travels wrapped in a browser- and profile-bound Flow token
 *   and the `mfa-totp` grant finishes the sign-in.
 * - The profile asked (`always`) and WorkOS did not: WorkOS's completed
 *   answer (tokens included) stays on the server, encrypted under a key only
 *   the browser's Flow token carries, and is used only once the person's
 *   factor passes a challenge (`POST /auth/challenges/{id}/verify`). Nobody
 *   is refused for lacking a factor: they enrol one first.
 *
 * A step token names the factors that may be challenged (only the allowed
 * types), whether one may be enrolled, and after a challenge its id: a
 * challenge of another sign-in cannot be answered with this one.
 */
final class Mfa {

	/** Flow-token kind of an MFA step (Completion::STEP_MFA). */
	public const KIND = 'mfa';

	/** Factor types the shell can complete (`webauthn` is not one: passkeys sign in on their own). */
	public const TYPES = array( 'totp', 'sms' );

	/** The WorkOS grant that finishes a sign-in WorkOS stepped up. */
	public const GRANT = 'urn:workos:oauth:grant-type:mfa-totp';

	/** Transient prefix of held sign-ins. */
	private const HOLD = 'workos_mfa_hold_';

	/**
	 * Option prefix (not autoloaded) of the TOTP factors a sign-in enrolled
	 * whose first code has not passed yet, per WorkOS user: WorkOS counts a
	 * factor from its enrolment, so an abandoned one would challenge its
	 * person for a code no app of theirs shows.
	 */
	private const UNCONFIRMED = 'workos_mfa_unconfirmed_';

	/**
	 * The profile's policy: `never`, `if_required` (the default) or `always`.
	 *
	 * @param Profile $profile The profile.
	 */
	public static function enforce( Profile $profile ): string {
		$mfa     = $profile->get( 'mfa', array() );
		$enforce = is_array( $mfa ) && is_string( $mfa['enforce'] ?? null ) ? $mfa['enforce'] : 'if_required';
		return in_array( $enforce, array( 'never', 'if_required', 'always' ), true ) ? $enforce : 'if_required';
	}

	/**
	 * The factor types the profile allows (`[totp]` when none is set).
	 *
	 * @param Profile $profile The profile.
	 * @return string[]
	 */
	public static function allowed( Profile $profile ): array {
		$mfa     = $profile->get( 'mfa', array() );
		$factors = is_array( $mfa ) && is_array( $mfa['factors'] ?? null ) ? array_values( array_filter( $mfa['factors'], 'is_string' ) ) : array();
		return array() === $factors ? array( 'totp' ) : $factors;
	}

	/**
	 * The refusal of a factor type the profile does not allow.
	 */
	public static function not_allowed(): \WP_Error {
		return AuthError::make( 'workos_authkit_factor_not_allowed', __( 'This sign-in needs a kind of second factor this login does not accept. Please contact your site administrator.', 'workos' ), 403 );
	}

	/**
	 * The refusal of a spent, foreign or expired step.
	 */
	public static function expired(): \WP_Error {
		return AuthError::make( 'workos_authkit_step_expired', __( 'This sign-in has expired. Please sign in again.', 'workos' ), 400 );
	}

	/**
	 * WorkOS's own step-up (`mfa_enrollment` or `mfa_challenge`) as the MFA
	 * step, whatever the policy: WorkOS issues no session without it.
	 *
	 * @param Profile $profile The profile.
	 * @param string  $code    WorkOS's code.
	 * @param array   $body    WorkOS's step-up body.
	 * @param string  $email   The address WorkOS named.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public static function from_workos( Profile $profile, string $code, array $body, string $email ) {
		$allowed = self::allowed( $profile );
		$user_id = is_string( $body['user']['id'] ?? null ) ? $body['user']['id'] : '';
		$factors = array();
		foreach ( is_array( $body['authentication_factors'] ?? null ) ? $body['authentication_factors'] : array() as $factor ) {
			// WorkOS's sign-in factors are TOTP (the `mfa-totp` grant); a type it may add
			// later is offered only if the profile allows it by that name.
			if ( is_array( $factor ) && is_string( $factor['id'] ?? null ) && '' !== $factor['id'] ) {
				$type = is_string( $factor['type'] ?? null ) ? $factor['type'] : 'totp';
				if ( in_array( $type, $allowed, true ) ) {
					$factors[] = array( $factor['id'], $type );
				}
			}
		}
		$offered = count( $factors );
		$factors = self::without_unconfirmed( $user_id, $factors );
		// No factor left but abandoned enrolments (now deleted): set one up again, as WorkOS's
		// `mfa_enrollment` would have asked (its grant takes a challenge of any of the user's factors).
		$again = $offered > 0 && array() === $factors;
		$enrol = ( 'mfa_enrollment' === $code || $again ) && in_array( 'totp', $allowed, true ) && '' !== $user_id ? array( 'totp' ) : array();
		Log::event(
			'login_failed',
			array(
				'reason' => $code,
				'method' => 'hosted',
			)
		);
		if ( array() === $factors && array() === $enrol ) {
			return self::not_allowed();
		}
		return self::step(
			$profile,
			array(
				'p' => (string) ( $body['pending_authentication_token'] ?? '' ),
				'u' => $user_id,
				'e' => $email,
				'f' => $factors,
				'n' => $enrol,
			)
		);
	}

	/**
	 * Under `always`, a sign-in WorkOS completed without a second factor is
	 * held here and the MFA step answered instead; null when the policy asks
	 * for nothing more.
	 *
	 * @param Profile $profile The profile.
	 * @param array   $auth    WorkOS's completed answer.
	 * @return \WP_REST_Response|\WP_Error|null
	 */
	public static function hold( Profile $profile, array $auth ) {
		if ( 'always' !== self::enforce( $profile ) ) {
			return null;
		}
		$user    = is_array( $auth['user'] ?? null ) ? $auth['user'] : array();
		$user_id = is_string( $user['id'] ?? null ) ? $user['id'] : '';
		$email   = is_string( $user['email'] ?? null ) ? $user['email'] : '';
		if ( '' === $user_id ) {
			return AuthError::make( 'workos_authkit_invalid_response', __( 'WorkOS sent an answer this site could not use. Please sign in again.', 'workos' ), 502 );
		}
		$allowed = array_values( array_intersect( self::allowed( $profile ), self::TYPES ) );
		try {
			$factors = self::without_unconfirmed( $user_id, self::factors_of( $user_id, $allowed ) );
		} catch ( \WorkOS\Native\Exception $e ) {
			return AuthError::make( 'workos_unreachable', \WorkOS_WP\SignIn\SignIn::unreachable(), 502 );
		}
		// Nobody is refused for lacking a factor: the first allowed one they can enrol
		// here (TOTP) is set up, then challenged. Enrolment is offered only to someone
		// with no allowed factor — else the password alone could add a new one.
		$enrol = array() === $factors ? array_values( array_intersect( $allowed, array( 'totp' ) ) ) : array();
		if ( array() === $factors && array() === $enrol ) {
			return self::not_allowed();
		}
		$handle = bin2hex( random_bytes( 32 ) );
		$sealed = self::seal( $handle, $auth );
		if ( '' === $sealed ) {
			return AuthError::make( 'workos_authkit_invalid_response', __( 'WorkOS sent an answer this site could not use. Please sign in again.', 'workos' ), 502 );
		}
		set_transient( self::HOLD . hash( 'sha256', $handle ), $sealed, Flow::TTL );
		Log::event(
			'login_failed',
			array(
				'reason'    => array() === $factors ? 'mfa_enrollment' : 'mfa_challenge',
				'method'    => 'hosted',
				'detail'    => 'profile_always',
				'workos_id' => $user_id,
			)
		);
		return self::step(
			$profile,
			array(
				'p' => '',
				'h' => $handle,
				'u' => $user_id,
				'e' => $email,
				'f' => $factors,
				'n' => $enrol,
			)
		);
	}

	/**
	 * The held sign-in of a step, taken (once): WorkOS's completed answer, or null.
	 *
	 * @param array $step A read() step with a handle.
	 */
	public static function release( array $step ): ?array {
		$handle = (string) ( $step['h'] ?? '' );
		if ( '' === $handle ) {
			return null;
		}
		$key    = self::HOLD . hash( 'sha256', $handle );
		$sealed = get_transient( $key );
		delete_transient( $key );
		if ( ! is_string( $sealed ) ) {
			return null;
		}
		$auth = self::open( $handle, $sealed );
		return is_array( $auth ) && ( $auth['user']['id'] ?? null ) === $step['u'] ? $auth : null;
	}

	/**
	 * A step token issued by step() to this browser for `$slug`, or null.
	 *
	 * @param string $token The shell's pending_authentication_token.
	 * @param string $slug  The profile.
	 * @return array{p: string, h: string, u: string, e: string, f: array, n: string[], c: string, cf: string}|null
	 */
	public static function read( string $token, string $slug ): ?array {
		if ( '' === $token || strlen( $token ) > 8192 ) {
			return null;
		}
		try {
			$data = Flow::verify( $token )['data'];
		} catch ( \WorkOS\Native\Exception $e ) {
			return null;
		}
		if ( self::KIND !== ( $data['k'] ?? '' ) || ( $data['s'] ?? '' ) !== $slug ) {
			return null;
		}
		$step = array(
			'p'  => is_string( $data['p'] ?? null ) ? $data['p'] : '',
			'h'  => is_string( $data['h'] ?? null ) ? $data['h'] : '',
			'u'  => is_string( $data['u'] ?? null ) ? $data['u'] : '',
			'e'  => is_string( $data['e'] ?? null ) ? $data['e'] : '',
			'f'  => array(),
			'n'  => is_array( $data['n'] ?? null ) ? array_values( array_filter( $data['n'], 'is_string' ) ) : array(),
			'c'  => is_string( $data['c'] ?? null ) ? $data['c'] : '',
			'cf' => is_string( $data['cf'] ?? null ) ? $data['cf'] : '',
		);
		foreach ( is_array( $data['f'] ?? null ) ? $data['f'] : array() as $pair ) {
			if ( is_array( $pair ) && is_string( $pair[0] ?? null ) && is_string( $pair[1] ?? null ) ) {
				$step['f'][] = array( $pair[0], $pair[1] );
			}
		}
		// Exactly one way to finish: WorkOS's pending token, or a held sign-in.
		if ( ( '' === $step['p'] ) === ( '' === $step['h'] ) || '' === $step['u'] ) {
			return null;
		}
		return $step;
	}

	/**
	 * The MFA step answer: `{mfa_required, mfa_enrollment, pending_authentication_token,
	 * factors:[{id,type}], enroll:[types]}`.
	 *
	 * @param Profile $profile The profile.
	 * @param array   $step    p/h, u, e, f, n (and c, cf after a challenge).
	 */
	public static function step( Profile $profile, array $step ): \WP_REST_Response {
		$factors = array();
		foreach ( $step['f'] as $pair ) {
			$factors[] = array(
				'id'   => $pair[0],
				'type' => $pair[1],
			);
		}
		return new \WP_REST_Response(
			array(
				'mfa_required'                 => true,
				'mfa_enrollment'               => array() === $factors,
				'pending_authentication_token' => self::token( $profile, $step ),
				'factors'                      => $factors,
				'enroll'                       => $step['n'],
				'email'                        => $step['e'],
			),
			200
		);
	}

	/**
	 * The signed, browser- and profile-bound token of a step.
	 *
	 * @param Profile $profile The profile.
	 * @param array   $step    The step's fields.
	 */
	public static function token( Profile $profile, array $step ): string {
		$data = array(
			'k' => self::KIND,
			's' => $profile->get_slug(),
			'p' => (string) ( $step['p'] ?? '' ),
			'u' => (string) $step['u'],
			'e' => (string) ( $step['e'] ?? '' ),
			'f' => $step['f'],
			'n' => $step['n'],
		);
		foreach ( array( 'h', 'c', 'cf' ) as $key ) {
			if ( '' !== (string) ( $step[ $key ] ?? '' ) ) {
				$data[ $key ] = (string) $step[ $key ];
			}
		}
		return Flow::issue( $data );
	}

	/**
	 * Notes a TOTP factor enrolled at a sign-in (MfaRest): it is the
	 * person's only once a code from it passes (confirmed()).
	 *
	 * @param string $user_id   WorkOS user id.
	 * @param string $factor_id The new factor.
	 */
	public static function enrolling( string $user_id, string $factor_id ): void {
		if ( '' === $user_id || '' === $factor_id ) {
			return;
		}
		$ids = self::unconfirmed( $user_id );
		if ( ! in_array( $factor_id, $ids, true ) ) {
			$ids[] = $factor_id;
			update_option( self::UNCONFIRMED . hash( 'sha256', $user_id ), $ids, false );
		}
	}

	/**
	 * A code from `$factor_id` passed: an enrolment of it is complete.
	 *
	 * @param string $user_id   WorkOS user id.
	 * @param string $factor_id The challenged factor.
	 */
	public static function confirmed( string $user_id, string $factor_id ): void {
		$ids = self::unconfirmed( $user_id );
		if ( ! in_array( $factor_id, $ids, true ) ) {
			return;
		}
		self::forget_unconfirmed( $user_id, array_values( array_diff( $ids, array( $factor_id ) ) ) );
	}

	/**
	 * `$factors` without those a sign-in enrolled and never confirmed, which
	 * are deleted at WorkOS now: an abandoned enrolment leaves nothing that
	 * challenges its person later (they set up an app again instead).
	 *
	 * @param string $user_id WorkOS user id.
	 * @param array  $factors [id, type] pairs.
	 * @return array [id, type] pairs.
	 */
	private static function without_unconfirmed( string $user_id, array $factors ): array {
		$ids = '' === $user_id ? array() : self::unconfirmed( $user_id );
		if ( array() === $ids ) {
			return $factors;
		}
		$kept = array();
		foreach ( $factors as $pair ) {
			if ( ! in_array( $pair[0], $ids, true ) ) {
				$kept[] = $pair;
				continue;
			}
			try {
				Api::client()->deleteAuthFactor( $pair[0] );
			} catch ( \WorkOS\Native\ApiException $e ) {
				if ( 404 !== $e->getStatus() ) {
					// Still there: left out of this sign-in, deleted next time.
					continue;
				}
			} catch ( \WorkOS\Native\Exception $e ) {
				continue;
			}
			$ids = array_values( array_diff( $ids, array( $pair[0] ) ) );
		}
		self::forget_unconfirmed( $user_id, $ids );
		return $kept;
	}

	/**
	 * The unconfirmed enrolments of a WorkOS user (factor ids).
	 *
	 * @param string $user_id WorkOS user id.
	 * @return string[]
	 */
	private static function unconfirmed( string $user_id ): array {
		$ids = get_option( self::UNCONFIRMED . hash( 'sha256', $user_id ), array() );
		return is_array( $ids ) ? array_values( array_filter( $ids, 'is_string' ) ) : array();
	}

	/**
	 * Stores what is left of a user's unconfirmed enrolments.
	 *
	 * @param string   $user_id WorkOS user id.
	 * @param string[] $ids     Factor ids still unconfirmed.
	 */
	private static function forget_unconfirmed( string $user_id, array $ids ): void {
		$key = self::UNCONFIRMED . hash( 'sha256', $user_id );
		if ( array() === $ids ) {
			delete_option( $key );
		} elseif ( self::unconfirmed( $user_id ) !== $ids ) {
			update_option( $key, $ids, false );
		}
	}

	/**
	 * A WorkOS user's factors of the allowed types, as [id, type] pairs: the
	 * TOTP factors WorkOS keeps for the user, and the SMS factors the linked
	 * WordPress user added on their profile screen.
	 *
	 * @param string   $user_id WorkOS user id.
	 * @param string[] $allowed Allowed types.
	 * @throws \WorkOS\Native\Exception When WorkOS cannot be asked.
	 */
	private static function factors_of( string $user_id, array $allowed ): array {
		$factors = array();
		if ( in_array( 'totp', $allowed, true ) ) {
			$page = Api::client()->listAuthFactors( $user_id, array( 'limit' => 100 ) );
			foreach ( is_array( $page['data'] ?? null ) ? $page['data'] : array() as $factor ) {
				if ( is_array( $factor ) && is_string( $factor['id'] ?? null ) && 'totp' === ( $factor['type'] ?? 'totp' ) ) {
					$factors[] = array( $factor['id'], 'totp' );
				}
			}
		}
		if ( in_array( 'sms', $allowed, true ) ) {
			// Confirmed SMS factors of the linked WordPress user (Users → Profile, Two-step sign-in).
			$local = Users::find_linked( $user_id );
			$ids   = array();
			if ( $local ) {
				// The confirmed SMS factors (`workos_sms_factors`: [{id, phone, created}]).
				$ids = get_user_meta( $local->ID, 'workos_sms_factors', true );
			}
			foreach ( is_array( $ids ) ? $ids : array() as $id ) {
				$id = is_array( $id ) ? ( $id['id'] ?? '' ) : $id;
				if ( is_string( $id ) && 1 === preg_match( '/^auth_factor_[A-Za-z0-9]{1,64}$/D', $id ) ) {
					$factors[] = array( $id, 'sms' );
				}
			}
		}
		return $factors;
	}

	/**
	 * The held answer, encrypted under a key derived from the handle (which
	 * only the browser's step token carries) and the site's state secret:
	 * the stored row alone opens nothing.
	 *
	 * @param string $handle The step's handle.
	 * @param array  $auth   WorkOS's answer.
	 */
	private static function seal( string $handle, array $auth ): string {
		$json = wp_json_encode( $auth );
		if ( ! is_string( $json ) ) {
			return '';
		}
		$nonce = random_bytes( SODIUM_CRYPTO_SECRETBOX_NONCEBYTES );
		return base64_encode( $nonce . sodium_crypto_secretbox( $json, $nonce, self::key( $handle ) ) ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode -- binary ciphertext in an option.
	}

	/**
	 * The held answer sealed by seal(), or null.
	 *
	 * @param string $handle The step's handle.
	 * @param string $sealed What seal() stored.
	 */
	private static function open( string $handle, string $sealed ): ?array {
		$raw = base64_decode( $sealed, true ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_decode -- see seal().
		if ( ! is_string( $raw ) || strlen( $raw ) <= SODIUM_CRYPTO_SECRETBOX_NONCEBYTES ) {
			return null;
		}
		$json = sodium_crypto_secretbox_open( substr( $raw, SODIUM_CRYPTO_SECRETBOX_NONCEBYTES ), substr( $raw, 0, SODIUM_CRYPTO_SECRETBOX_NONCEBYTES ), self::key( $handle ) );
		$auth = is_string( $json ) ? json_decode( $json, true ) : null;
		return is_array( $auth ) ? $auth : null;
	}

	/**
	 * The key of a held answer.
	 *
	 * @param string $handle The step's handle.
	 */
	private static function key( string $handle ): string {
		return hash_hmac( 'sha256', 'mfa-hold|' . $handle, Settings::state_secret(), true );
	}
}
