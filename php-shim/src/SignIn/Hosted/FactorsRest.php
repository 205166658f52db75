<?php
/**
 * A signed-in user's second factors: GET /auth/mfa/factors, POST
 * /auth/mfa/totp/enroll, /auth/mfa/sms/enroll, /auth/mfa/factor/confirm and
 * /auth/mfa/factor/delete (REFERENCE-API §6.1).
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\SignIn\Hosted;

use WorkOS_WP\Api;
use WorkOS_WP\Log;
use WorkOS_WP\Net;
use WorkOS_WP\Profiles\ProfileRepository;
use WorkOS_WP\SignIn\SignIn;
use WorkOS_WP\Throttle;
use WorkOS_WP\Users\Users;

defined( 'ABSPATH' ) || exit;

/**
 * For the WordPress user of the request's own session (WordPress's REST
 * cookie authentication: a current user exists only with a valid
 * X-WP-Nonce) who is linked to a WorkOS user. TOTP factors are WorkOS's
 * (User Management keeps them per user); SMS factors are MFA-API factors
 * WorkOS does not tie to a user, so which are this person's is kept here:
 * user meta `workos_sms_factors` ([{id, phone, created}]), written only
 * once the first texted code was entered (Mfa offers those at sign-in).
 * A factor id is acted on only when it is in one of those two lists.
 */
final class FactorsRest {

	/** Confirmed SMS factors of a WordPress user: [{id, phone, created}]. */
	public const META_SMS = 'workos_sms_factors';

	/**
	 * Enrolments waiting for their first code: [{id, type, phone?, challenge, created}].
	 * A TOTP factor is a sign-in factor at WorkOS from the moment it exists, so
	 * one whose first code never came (the QR code never scanned) is deleted
	 * at WorkOS (sweep()): it must not lock its owner out at the next sign-in.
	 */
	private const META_PENDING = 'workos_mfa_pending';

	/** How long an enrolment waits for its first code (an SMS challenge's own lifetime). */
	private const PENDING_TTL = 600;

	/** Most SMS factors a person keeps. */
	private const MAX_SMS = 5;

	/**
	 * Why type_allowed() said no, when it was an unknown profile.
	 *
	 * @var \WP_Error|null
	 */
	private static $refusal = null;

	/**
	 * Routes (AuthRoutes::CLASSES).
	 *
	 * @return array<string, array{0: string, 1: string}> route => [HTTP method, static method].
	 */
	public static function routes(): array {
		return array(
			'mfa/factors'        => array( 'GET', 'factors' ),
			'mfa/totp/enroll'    => array( 'POST', 'totp_enroll' ),
			'mfa/sms/enroll'     => array( 'POST', 'sms_enroll' ),
			'mfa/factor/confirm' => array( 'POST', 'confirm' ),
			'mfa/factor/delete'  => array( 'POST', 'delete' ),
		);
	}

	/**
	 * The ids of a WordPress user's confirmed SMS factors.
	 *
	 * @param int $wp_user_id WordPress user id.
	 * @return string[]
	 */
	public static function sms_factor_ids( int $wp_user_id ): array {
		return array_map( static fn( array $f ): string => $f['id'], self::sms_factors( $wp_user_id ) );
	}

	/**
	 * GET mfa/factors: `{factors:[{id, type, created}]}` (SMS ones also with
	 * the number's last digits; a TOTP factor whose first code has not come
	 * yet with `pending: true`).
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public static function factors( \WP_REST_Request $request ) {
		$user = self::person( $request );
		if ( is_wp_error( $user ) ) {
			return $user;
		}
		self::sweep( $user['wp'] );
		$totp = self::totp_factors( $user['workos'] );
		if ( is_wp_error( $totp ) ) {
			return $totp;
		}
		// A TOTP factor still waiting for its first code is listed as such (the
		// profile screen offers to finish or remove it; sweep() drops it later).
		$waiting = array_column( self::list_meta( $user['wp'], self::META_PENDING ), 'id' );
		$factors = array();
		foreach ( $totp as $factor ) {
			$factors[] = in_array( $factor['id'], $waiting, true ) ? $factor + array( 'pending' => true ) : $factor;
		}
		foreach ( self::sms_factors( $user['wp'] ) as $factor ) {
			$factors[] = array(
				'id'      => $factor['id'],
				'type'    => 'sms',
				'created' => gmdate( 'c', (int) $factor['created'] ),
				'phone'   => self::masked( $factor['phone'] ),
			);
		}
		return self::no_store( array( 'factors' => $factors ) );
	}

	/**
	 * POST mfa/totp/enroll: a TOTP factor at WorkOS, **201** `{factor_id,
	 * qr_code, secret, otpauth_uri, challenge_id}` (the secret is shown once).
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public static function totp_enroll( \WP_REST_Request $request ) {
		$user = self::person( $request, 'totp' );
		if ( is_wp_error( $user ) ) {
			return $user;
		}
		$limited = self::enrol_limit( $user['wp'] );
		if ( $limited ) {
			return $limited;
		}
		self::sweep( $user['wp'] );
		$wp_user = get_userdata( $user['wp'] );
		$site    = wp_specialchars_decode( (string) get_bloginfo( 'name' ), ENT_QUOTES );
		try {
			$enrolled = Api::client()->enrollAuthFactor( $user['workos'], '' !== $site ? $site : 'WordPress', $wp_user ? (string) $wp_user->user_email : null );
		} catch ( \WorkOS\Native\Exception $e ) {
			return self::failed( $e );
		}
		$factor    = is_array( $enrolled['authentication_factor'] ?? null ) ? $enrolled['authentication_factor'] : array();
		$totp      = is_array( $factor['totp'] ?? null ) ? $factor['totp'] : array();
		$factor_id = is_string( $factor['id'] ?? null ) ? $factor['id'] : '';
		$qr        = is_string( $totp['qr_code'] ?? null ) ? $totp['qr_code'] : '';
		if ( '' === $factor_id ) {
			return self::bad_answer();
		}
		$challenge_id = is_string( $enrolled['authentication_challenge']['id'] ?? null ) ? $enrolled['authentication_challenge']['id'] : '';
		self::add_pending(
			$user['wp'],
			array(
				'id'        => $factor_id,
				'type'      => 'totp',
				'challenge' => $challenge_id,
				'created'   => time(),
			)
		);
		Log::event(
			'mfa_enrolled',
			array(
				'user_id'   => $user['wp'],
				'factor_id' => $factor_id,
				'type'      => 'totp',
				'method'    => 'profile',
			)
		);
		return self::no_store(
			array(
				'factor_id'    => $factor_id,
				// Only an image data URI is shown as the QR code: nothing else gets an <img src>.
				'qr_code'      => 1 === preg_match( '#^data:image/(png|gif|jpeg|svg\+xml);base64,[A-Za-z0-9+/=]+$#D', $qr ) ? $qr : '',
				'secret'       => is_string( $totp['secret'] ?? null ) ? $totp['secret'] : '',
				'otpauth_uri'  => is_string( $totp['uri'] ?? null ) ? $totp['uri'] : '',
				'challenge_id' => $challenge_id,
			),
			201
		);
	}

	/**
	 * POST mfa/sms/enroll `{phone_number}` (E.164): an SMS factor at WorkOS
	 * and its first code texted; **201** `{factor_id, type:'sms',
	 * challenge_id}`. It is the person's only after mfa/factor/confirm.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public static function sms_enroll( \WP_REST_Request $request ) {
		$user = self::person( $request, 'sms' );
		if ( is_wp_error( $user ) ) {
			return $user;
		}
		$phone = $request->get_param( 'phone_number' );
		$phone = is_string( $phone ) ? preg_replace( '/[\s().-]+/', '', $phone ) : '';
		if ( 1 !== preg_match( '/^\+[1-9][0-9]{7,14}$/D', $phone ) ) {
			return AuthError::invalid_input( __( 'Enter your mobile number with its country code, e.g. +15555550123.', 'workos' ) );
		}
		if ( count( self::sms_factors( $user['wp'] ) ) >= self::MAX_SMS ) {
			return AuthError::make( 'workos_authkit_factor_limit', __( 'You have as many phone numbers as an account may keep. Remove one first.', 'workos' ), 409 );
		}
		// Per person and per number: nobody's phone is flooded with codes.
		$limited = self::enrol_limit( $user['wp'], array( array( 'mfa_challenge_factor', 'phone:' . $phone ), array( 'sms_site', 'site' ) ) );
		if ( $limited ) {
			return $limited;
		}
		try {
			$factor    = Api::client()->enrollSmsFactor( $phone, $user['workos'] );
			$factor_id = is_string( $factor['id'] ?? null ) ? $factor['id'] : '';
			if ( '' === $factor_id ) {
				return self::bad_answer();
			}
			$challenge = Api::client()->challengeAuthFactor( $factor_id );
		} catch ( \WorkOS\Native\Exception $e ) {
			return self::failed( $e );
		}
		$challenge_id = is_string( $challenge['id'] ?? null ) ? $challenge['id'] : '';
		if ( '' === $challenge_id ) {
			return self::bad_answer();
		}
		self::sweep( $user['wp'] );
		self::add_pending(
			$user['wp'],
			array(
				'id'        => $factor_id,
				'type'      => 'sms',
				'phone'     => $phone,
				'challenge' => $challenge_id,
				'created'   => time(),
			)
		);
		return self::no_store(
			array(
				'factor_id'    => $factor_id,
				'type'         => 'sms',
				'challenge_id' => $challenge_id,
			),
			201
		);
	}

	/**
	 * POST mfa/factor/confirm `{factor_id, challenge_id, code}`: the first
	 * code of an SMS enrolment (the factor is then kept and offered at
	 * sign-in), or a TOTP factor's first code (checked, nothing kept).
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public static function confirm( \WP_REST_Request $request ) {
		$user = self::person( $request );
		if ( is_wp_error( $user ) ) {
			return $user;
		}
		$factor_id = self::factor_id( $request );
		$challenge = $request->get_param( 'challenge_id' );
		$challenge = is_string( $challenge ) ? $challenge : '';
		$code      = $request->get_param( 'code' );
		$code      = is_string( $code ) ? preg_replace( '/\s+/', '', $code ) : '';
		if ( '' === $factor_id || '' === $challenge ) {
			return self::not_found();
		}
		if ( 1 !== preg_match( '/^[0-9]{6}$/D', $code ) ) {
			return AuthError::invalid_input( __( 'Enter the 6-digit code.', 'workos' ) );
		}
		$pending = null;
		foreach ( self::list_meta( $user['wp'], self::META_PENDING ) as $p ) {
			if ( ( $p['id'] ?? '' ) === $factor_id && (int) ( $p['created'] ?? 0 ) > time() - self::PENDING_TTL ) {
				$pending = $p;
			}
		}
		if ( null === $pending ) {
			// A TOTP factor's enrolment challenge: only for a factor WorkOS lists as theirs.
			$totp = self::totp_factors( $user['workos'] );
			if ( is_wp_error( $totp ) ) {
				return $totp;
			}
			if ( ! in_array( $factor_id, array_column( $totp, 'id' ), true ) ) {
				return self::not_found();
			}
		} elseif ( ! hash_equals( (string) $pending['challenge'], $challenge ) ) {
			return self::not_found();
		}
		$limits  = array(
			array( 'mfa_verify_ip', Net::client_ip() ),
			array( 'mfa_confirm_user', (string) $user['wp'] ),
		);
		$limited = AuthRest::take( $limits );
		if ( $limited ) {
			return $limited;
		}
		try {
			$checked = Api::client()->verifyAuthChallenge( $challenge, $code );
			// The challenge must be this factor's (the spec's required `authentication_factor_id`).
			$valid = true === ( $checked['valid'] ?? null ) && ( $checked['challenge']['authentication_factor_id'] ?? null ) === $factor_id;
		} catch ( \WorkOS\Native\ApiException $e ) {
			if ( $e->isTransient() ) {
				Throttle::refund( $limits );
				return AuthError::make( 'workos_unreachable', SignIn::unreachable(), 502 );
			}
			$valid = false;
		} catch ( \WorkOS\Native\Exception $e ) {
			return AuthError::make( 'workos_unreachable', SignIn::unreachable(), 502 );
		}
		if ( ! $valid ) {
			return AuthError::make( 'workos_authkit_invalid_code', __( 'That code is not right or has expired. Enter the current code and try again.', 'workos' ), 400 );
		}
		Throttle::refund( $limits );
		if ( null !== $pending ) {
			self::forget_pending( $user['wp'], $factor_id );
		}
		$is_sms = null !== $pending && 'sms' === ( $pending['type'] ?? '' );
		if ( $is_sms ) {
			$sms   = self::sms_factors( $user['wp'] );
			$sms[] = array(
				'id'      => $factor_id,
				'phone'   => (string) $pending['phone'],
				'created' => time(),
			);
			update_user_meta( $user['wp'], self::META_SMS, $sms );
			Log::event(
				'mfa_enrolled',
				array(
					'user_id'   => $user['wp'],
					'factor_id' => $factor_id,
					'type'      => 'sms',
					'method'    => 'profile',
				)
			);
		}
		return self::no_store(
			array(
				'confirmed' => true,
				'factor_id' => $factor_id,
				'type'      => $is_sms ? 'sms' : 'totp',
			)
		);
	}

	/**
	 * POST mfa/factor/delete `{factor_id}`: removes one of the person's own
	 * factors; `{deleted:true}`, 404 for any other id.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public static function delete( \WP_REST_Request $request ) {
		$user = self::person( $request );
		if ( is_wp_error( $user ) ) {
			return $user;
		}
		$factor_id = self::factor_id( $request );
		if ( '' === $factor_id ) {
			return self::not_found();
		}
		$sms  = in_array( $factor_id, self::sms_factor_ids( $user['wp'] ), true );
		$mine = $sms;
		if ( ! $mine ) {
			$totp = self::totp_factors( $user['workos'] );
			if ( is_wp_error( $totp ) ) {
				return $totp;
			}
			$mine = in_array( $factor_id, array_column( $totp, 'id' ), true );
		}
		if ( ! $mine ) {
			return self::not_found();
		}
		// Removing a second factor weakens every later sign-in: not from a session left open or stolen.
		$stale = \WorkOS_WP\Users\Reauth::required( $user['wp'], __( 'For your security, sign in again before removing a sign-in step.', 'workos' ), admin_url( 'profile.php' ) );
		if ( $stale ) {
			return $stale;
		}
		try {
			Api::client()->deleteAuthFactor( $factor_id );
		} catch ( \WorkOS\Native\ApiException $e ) {
			// Already gone at WorkOS: it is still dropped from the list below.
			if ( 404 !== $e->getStatus() ) {
				return self::failed( $e );
			}
		} catch ( \WorkOS\Native\Exception $e ) {
			return self::failed( $e );
		}
		self::forget_pending( $user['wp'], $factor_id );
		if ( $sms ) {
			update_user_meta(
				$user['wp'],
				self::META_SMS,
				array_values( array_filter( self::sms_factors( $user['wp'] ), static fn( array $f ): bool => $f['id'] !== $factor_id ) )
			);
		}
		Log::event(
			'mfa_factor_removed',
			array(
				'user_id'   => $user['wp'],
				'factor_id' => $factor_id,
				'type'      => $sms ? 'sms' : 'totp',
			)
		);
		return self::no_store( array( 'deleted' => true ) );
	}

	/**
	 * The request's person: `{wp: int, workos: string}`, or why not. With
	 * `$type`, the factor type must be allowed by the named `profile`, or
	 * without one by some profile.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @param string           $type    Factor type being enrolled ('' = none).
	 * @return array{wp: int, workos: string}|\WP_Error
	 */
	private static function person( \WP_REST_Request $request, string $type = '' ) {
		// A current user exists here only with a valid X-WP-Nonce (rest_cookie_check_errors).
		if ( ! is_user_logged_in() ) {
			return AuthError::make( 'workos_authkit_not_logged_in', __( 'Sign in to manage your sign-in factors.', 'workos' ), 401 );
		}
		if ( ! AuthRest::genuine( $request ) ) {
			return AuthRest::invalid_nonce();
		}
		$ready = AuthRest::ready();
		if ( is_wp_error( $ready ) ) {
			return $ready;
		}
		$wp_id  = get_current_user_id();
		$workos = get_user_meta( $wp_id, Users::META_ID, true );
		if ( ! is_string( $workos ) || 1 !== preg_match( '/^user_[A-Za-z0-9]{1,64}$/D', $workos ) ) {
			return AuthError::make( 'workos_authkit_no_workos_user', __( 'Only accounts linked to WorkOS have sign-in factors here. Sign in with WorkOS once first.', 'workos' ), 400 );
		}
		if ( Users::is_deactivated( $wp_id ) ) {
			return AuthError::make( 'account_deactivated', SignIn::deactivated(), 403 );
		}
		if ( '' !== $type && ! self::type_allowed( $request, $type ) ) {
			return is_wp_error( self::$refusal ) ? self::$refusal : AuthError::make( 'workos_authkit_factor_disabled', __( 'This kind of second factor is not offered here.', 'workos' ), 400 );
		}
		return array(
			'wp'     => $wp_id,
			'workos' => $workos,
		);
	}

	/**
	 * Whether `$type` may be enrolled: allowed by the named profile, or by
	 * any profile when none is named.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @param string           $type    Factor type.
	 */
	private static function type_allowed( \WP_REST_Request $request, string $type ): bool {
		self::$refusal = null;
		if ( ! in_array( $type, Mfa::TYPES, true ) ) {
			return false;
		}
		$slug = $request->get_param( 'profile' );
		if ( is_string( $slug ) && '' !== $slug ) {
			$profile = strlen( $slug ) <= 200 ? ProfileRepository::find_by_slug( sanitize_title( $slug ) ) : null;
			if ( ! $profile || $profile->get_slug() !== $slug ) {
				self::$refusal = AuthError::make( 'workos_authkit_profile_not_found', __( 'This login profile does not exist.', 'workos' ), 404 );
				return false;
			}
			return in_array( $type, Mfa::allowed( $profile ), true );
		}
		return in_array( $type, self::offered(), true );
	}

	/**
	 * The factor types some Login Profile allows, which a signed-in person
	 * may enrol without naming a profile (Users\FactorsSection offers these).
	 *
	 * @return string[] Subset of Mfa::TYPES, in its order.
	 */
	public static function offered(): array {
		$types = array();
		foreach ( ProfileRepository::all() as $profile ) {
			$types = array_merge( $types, Mfa::allowed( $profile ) );
		}
		return array_values( array_intersect( Mfa::TYPES, $types ) );
	}

	/**
	 * The person's TOTP factors at WorkOS as `[{id, type, created}]`.
	 *
	 * @param string $workos_id WorkOS user id.
	 * @return array|\WP_Error
	 */
	private static function totp_factors( string $workos_id ) {
		try {
			$page = Api::client()->listAuthFactors( $workos_id, array( 'limit' => 100 ) );
		} catch ( \WorkOS\Native\Exception $e ) {
			return self::failed( $e );
		}
		$factors = array();
		foreach ( is_array( $page['data'] ?? null ) ? $page['data'] : array() as $factor ) {
			if ( is_array( $factor ) && is_string( $factor['id'] ?? null ) && '' !== $factor['id'] ) {
				$factors[] = array(
					'id'      => $factor['id'],
					'type'    => is_string( $factor['type'] ?? null ) ? $factor['type'] : 'totp',
					'created' => is_string( $factor['created_at'] ?? null ) ? $factor['created_at'] : '',
				);
			}
		}
		return $factors;
	}

	/**
	 * A WordPress user's confirmed SMS factors, well-formed ones only.
	 *
	 * @param int $wp_user_id WordPress user id.
	 * @return array<int, array{id: string, phone: string, created: int}>
	 */
	private static function sms_factors( int $wp_user_id ): array {
		$factors = array();
		foreach ( self::list_meta( $wp_user_id, self::META_SMS ) as $f ) {
			$id = is_string( $f['id'] ?? null ) ? $f['id'] : '';
			if ( 1 === preg_match( '/^auth_factor_[A-Za-z0-9]{1,64}$/D', $id ) ) {
				$factors[] = array(
					'id'      => $id,
					'phone'   => is_string( $f['phone'] ?? null ) ? $f['phone'] : '',
					'created' => (int) ( $f['created'] ?? 0 ),
				);
			}
		}
		return $factors;
	}

	/**
	 * A user meta holding a list of records (arrays only).
	 *
	 * @param int    $wp_user_id WordPress user id.
	 * @param string $key        Meta key.
	 */
	private static function list_meta( int $wp_user_id, string $key ): array {
		$value = get_user_meta( $wp_user_id, $key, true );
		return is_array( $value ) ? array_values( array_filter( $value, 'is_array' ) ) : array();
	}

	/**
	 * Records an enrolment waiting for its first code.
	 *
	 * @param int   $wp_user_id WordPress user id.
	 * @param array $record     {id, type, phone?, challenge, created}.
	 */
	private static function add_pending( int $wp_user_id, array $record ): void {
		$pending   = self::list_meta( $wp_user_id, self::META_PENDING );
		$pending[] = $record;
		update_user_meta( $wp_user_id, self::META_PENDING, $pending );
	}

	/**
	 * Deletes at WorkOS the factors whose first code never came in time, and
	 * forgets them (the rate limit on enrolments bounds how many wait).
	 *
	 * @param int $wp_user_id WordPress user id.
	 */
	private static function sweep( int $wp_user_id ): void {
		foreach ( self::list_meta( $wp_user_id, self::META_PENDING ) as $p ) {
			$id = is_string( $p['id'] ?? null ) ? $p['id'] : '';
			if ( (int) ( $p['created'] ?? 0 ) > time() - self::PENDING_TTL ) {
				continue;
			}
			if ( '' !== $id ) {
				try {
					Api::client()->deleteAuthFactor( $id );
				} catch ( \WorkOS\Native\ApiException $e ) {
					if ( 404 !== $e->getStatus() ) {
						continue; // Tried again next time.
					}
				} catch ( \WorkOS\Native\Exception $e ) {
					continue;
				}
			}
			self::forget_pending( $wp_user_id, $id );
		}
	}

	/**
	 * Drops a pending enrolment.
	 *
	 * @param int    $wp_user_id WordPress user id.
	 * @param string $factor_id  Factor id.
	 */
	private static function forget_pending( int $wp_user_id, string $factor_id ): void {
		$left = array_values( array_filter( self::list_meta( $wp_user_id, self::META_PENDING ), static fn( array $p ): bool => ( $p['id'] ?? '' ) !== $factor_id ) );
		if ( array() === $left ) {
			delete_user_meta( $wp_user_id, self::META_PENDING );
		} else {
			update_user_meta( $wp_user_id, self::META_PENDING, $left );
		}
	}

	/**
	 * The `factor_id` parameter when well-formed, else ''.
	 *
	 * @param \WP_REST_Request $request Request.
	 */
	private static function factor_id( \WP_REST_Request $request ): string {
		$id = $request->get_param( 'factor_id' );
		return is_string( $id ) && 1 === preg_match( '/^auth_factor_[A-Za-z0-9]{1,64}$/D', $id ) ? $id : '';
	}

	/**
	 * Takes an enrolment from the person's and the client's buckets.
	 *
	 * @param int   $wp_user_id WordPress user id.
	 * @param array $more       More [rule, key] pairs.
	 */
	private static function enrol_limit( int $wp_user_id, array $more = array() ): ?\WP_Error {
		return AuthRest::take(
			array_merge(
				array(
					array( 'mfa_challenge_ip', Net::client_ip() ),
					array( 'mfa_enroll_user', (string) $wp_user_id ),
				),
				$more
			)
		);
	}

	/**
	 * The last digits of a number, for the list.
	 *
	 * @param string $phone E.164 number.
	 */
	private static function masked( string $phone ): string {
		return strlen( $phone ) > 4 ? str_repeat( '•', 4 ) . substr( $phone, -4 ) : '';
	}

	/**
	 * The refusal of an id that is not one of the person's factors.
	 */
	private static function not_found(): \WP_Error {
		return AuthError::make( 'workos_authkit_factor_not_found', __( 'That sign-in factor does not exist.', 'workos' ), 404 );
	}

	/**
	 * The answer to a WorkOS answer this site cannot use.
	 */
	private static function bad_answer(): \WP_Error {
		return AuthError::make( 'workos_authkit_invalid_response', __( 'WorkOS sent an answer this site could not use. Please try again.', 'workos' ), 502 );
	}

	/**
	 * A failed WorkOS call as an answer.
	 *
	 * @param \WorkOS\Native\Exception $e What failed.
	 */
	private static function failed( \WorkOS\Native\Exception $e ): \WP_Error {
		if ( $e instanceof \WorkOS\Native\ApiException && ! $e->isTransient() ) {
			return AuthError::make( 'workos_api_error', __( 'WorkOS refused this request. Please check what you entered and try again.', 'workos' ), 400 );
		}
		return AuthError::make( 'workos_unreachable', SignIn::unreachable(), 502 );
	}

	/**
	 * A JSON answer no cache keeps (factor secrets and lists are personal).
	 *
	 * @param array $data   Body.
	 * @param int   $status HTTP status.
	 */
	private static function no_store( array $data, int $status = 200 ): \WP_REST_Response {
		$response = new \WP_REST_Response( $data, $status );
		$response->header( 'Cache-Control', 'no-store, private' );
		return $response;
	}
}
