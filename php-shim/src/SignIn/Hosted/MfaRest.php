<?php
/**
 * The MFA step of a hosted sign-in: POST /auth/mfa/challenge (a factor's
 * challenge, or a TOTP factor enrolled first) and POST /auth/mfa/verify
 * (the code, then the rest of the sign-in).
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\SignIn\Hosted;

use WorkOS_WP\Api;
use WorkOS_WP\Log;
use WorkOS_WP\Net;
use WorkOS_WP\SignIn\SignIn;

defined( 'ABSPATH' ) || exit;

/**
 * Both routes take the step token an MFA answer gave this browser (Mfa):
 * only the factors it names can be challenged, a factor can be enrolled only
 * when it says so, and only the challenge it was last given can be answered.
 */
final class MfaRest {

	/**
	 * Routes (AuthRest::FLOWS).
	 */
	public static function routes(): array {
		return array(
			'mfa/challenge' => array( 'POST', 'challenge' ),
			'mfa/verify'    => array( 'POST', 'verify' ),
		);
	}

	/**
	 * POST mfa/challenge: `pending_authentication_token` and `factor_id` (one
	 * of the step's factors), or `enroll: "totp"` when the step offers
	 * enrolment. Answers `{challenge_id, expires_at, factor:{id,type},
	 * pending_authentication_token}` (the step token to verify with), and
	 * for an enrolment the new factor's `qr_code`, `secret` and `otpauth_uri`.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public static function challenge( \WP_REST_Request $request ) {
		$profile = AuthRest::guard( $request, '' );
		if ( is_wp_error( $profile ) ) {
			return $profile;
		}
		$token = $request->get_param( 'pending_authentication_token' );
		$step  = Mfa::read( is_string( $token ) ? $token : '', $profile->get_slug() );
		if ( null === $step ) {
			return Mfa::expired();
		}
		$factor_id = $request->get_param( 'factor_id' );
		$factor_id = is_string( $factor_id ) ? $factor_id : '';
		$enroll    = $request->get_param( 'enroll' );
		$enroll    = is_string( $enroll ) ? $enroll : '';
		$type      = '';
		if ( '' !== $factor_id ) {
			foreach ( $step['f'] as $pair ) {
				if ( $pair[0] === $factor_id ) {
					$type = $pair[1];
				}
			}
			if ( '' === $type ) {
				return AuthError::make( 'workos_authkit_factor_not_found', __( 'Choose one of the ways listed.', 'workos' ), 404 );
			}
		} elseif ( '' !== $enroll ) {
			if ( ! in_array( $enroll, Mfa::TYPES, true ) || ! in_array( $enroll, Mfa::allowed( $profile ), true ) ) {
				return Mfa::not_allowed();
			}
			if ( ! in_array( $enroll, $step['n'], true ) ) {
				return AuthError::make( 'workos_authkit_enrollment_not_offered', __( 'You already have a second factor: use it to sign in.', 'workos' ), 400 );
			}
		} else {
			return AuthError::invalid_input( __( 'Choose how to confirm it is you.', 'workos' ) );
		}
		$limited = AuthRest::take(
			array(
				array( 'mfa_challenge_ip', Net::client_ip() ),
				// Per factor (or per person enrolling): nobody's phone is flooded with codes.
				array( 'mfa_challenge_factor', '' !== $factor_id ? $factor_id : 'enroll:' . $step['u'] ),
			)
		);
		if ( $limited ) {
			return $limited;
		}
		$extra = array();
		try {
			if ( '' !== $factor_id ) {
				$challenge = Api::client()->challengeAuthFactor( $factor_id );
			} else {
				$site     = wp_specialchars_decode( (string) get_bloginfo( 'name' ), ENT_QUOTES );
				$enrolled = Api::client()->enrollAuthFactor( $step['u'], '' !== $site ? $site : 'WordPress', '' !== $step['e'] ? $step['e'] : null );
				$factor   = is_array( $enrolled['authentication_factor'] ?? null ) ? $enrolled['authentication_factor'] : array();
				$totp     = is_array( $factor['totp'] ?? null ) ? $factor['totp'] : array();
				$challenge = is_array( $enrolled['authentication_challenge'] ?? null ) ? $enrolled['authentication_challenge'] : array();
				$factor_id = is_string( $factor['id'] ?? null ) ? $factor['id'] : '';
				$type      = 'totp';
				$qr        = is_string( $totp['qr_code'] ?? null ) ? $totp['qr_code'] : '';
				$extra     = array(
					// Only an image data URI is shown as the QR code: nothing else gets an <img src>.
					'qr_code'     => 1 === preg_match( '#^data:image/(png|gif|jpeg|svg\+xml);base64,[A-Za-z0-9+/=]+$#D', $qr ) ? $qr : '',
					'secret'      => is_string( $totp['secret'] ?? null ) ? $totp['secret'] : '',
					'otpauth_uri' => is_string( $totp['uri'] ?? null ) ? $totp['uri'] : '',
				);
				Log::event(
					'mfa_enrolled',
					array(
						'workos_id' => $step['u'],
						'factor_id' => $factor_id,
						'method'    => 'hosted',
					)
				);
				// Not theirs until a code from it passes: abandoned, it is deleted (Mfa).
				Mfa::enrolling( $step['u'], $factor_id );
			}
		} catch ( \WorkOS\Native\ApiException $e ) {
			if ( $e->isTransient() ) {
				return AuthError::make( 'workos_unreachable', SignIn::unreachable(), 502 );
			}
			return AuthError::make( 'workos_authkit_challenge_failed', __( 'A code could not be prepared for this factor. Please sign in again.', 'workos' ), 400 );
		} catch ( \WorkOS\Native\Exception $e ) {
			return AuthError::make( 'workos_unreachable', SignIn::unreachable(), 502 );
		}
		$challenge_id = is_string( $challenge['id'] ?? null ) ? $challenge['id'] : '';
		if ( '' === $challenge_id || '' === $factor_id ) {
			return AuthError::make( 'workos_authkit_invalid_response', __( 'WorkOS sent an answer this site could not use. Please sign in again.', 'workos' ), 502 );
		}
		// The step now answers this challenge only; an enrolled factor is the one to use.
		$step['c']  = $challenge_id;
		$step['cf'] = $factor_id;
		if ( array() !== $extra ) {
			$step['f'] = array( array( $factor_id, $type ) );
			$step['n'] = array();
		}
		$response = new \WP_REST_Response(
			array_merge(
				array(
					'challenge_id'                 => $challenge_id,
					'expires_at'                   => is_string( $challenge['expires_at'] ?? null ) ? $challenge['expires_at'] : '',
					'factor'                       => array(
						'id'   => $factor_id,
						'type' => $type,
					),
					'pending_authentication_token' => Mfa::token( $profile, $step ),
				),
				$extra
			),
			200
		);
		// The secret must not linger in any cache.
		$response->header( 'Cache-Control', 'no-store, private' );
		return $response;
	}

	/**
	 * POST mfa/verify: `pending_authentication_token` (from mfa/challenge),
	 * `authentication_challenge_id`, `code`, `redirect_to`. Answers the login
	 * result (or the next step: an organization to choose).
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public static function verify( \WP_REST_Request $request ) {
		$profile = AuthRest::guard( $request, '' );
		if ( is_wp_error( $profile ) ) {
			return $profile;
		}
		$token     = $request->get_param( 'pending_authentication_token' );
		$challenge = $request->get_param( 'authentication_challenge_id' );
		$code      = $request->get_param( 'code' );
		$code      = is_string( $code ) ? preg_replace( '/\s+/', '', $code ) : '';
		$target    = AuthRest::redirect_to( $request );
		$step      = Mfa::read( is_string( $token ) ? $token : '', $profile->get_slug() );
		if ( null === $step || '' === $step['c'] || ! is_string( $challenge ) || ! hash_equals( $step['c'], $challenge ) ) {
			return Mfa::expired();
		}
		if ( 1 !== preg_match( '/^[0-9]{6}$/D', $code ) ) {
			return AuthError::invalid_input( __( 'Enter the 6-digit code.', 'workos' ) );
		}
		if ( is_wp_error( $target ) ) {
			return $target;
		}
		// Per client, and per person from that client: five wrong codes and they wait; per person
		// from anywhere, a ceiling that rotating addresses cannot get round.
		$limits = array(
			array( 'mfa_verify_ip', Net::client_ip() ),
			array( 'mfa_verify_user', $step['u'] . '|' . Net::client_ip() ),
			array( 'mfa_verify_account', (string) $step['u'] ),
		);
		$grant = '' !== $step['p']
			// WorkOS stepped the sign-in up: its grant checks the code and finishes it.
			? array(
				'grant_type'                   => Mfa::GRANT,
				'code'                         => $code,
				'pending_authentication_token' => $step['p'],
				'authentication_challenge_id'  => $step['c'],
			)
			// The profile asked (`always`): the code is checked, then the held sign-in goes on.
			: static function () use ( $step, $code ) {
				try {
					$checked = Api::client()->verifyAuthChallenge( $step['c'], $code );
				} catch ( \WorkOS\Native\ApiException $e ) {
					// WorkOS judged nothing when it could not be reached: no guess to count.
					return new \WP_Error( $e->isTransient() ? 'workos_unreachable' : 'invalid_one_time_code', SignIn::unreachable() );
				} catch ( \WorkOS\Native\Exception $e ) {
					return new \WP_Error( 'workos_unreachable', SignIn::unreachable() );
				}
				if ( true !== ( $checked['valid'] ?? null ) ) {
					return new \WP_Error( 'invalid_one_time_code' );
				}
				return Mfa::release( $step ) ?? Mfa::expired();
			};
		return AuthRest::attempt(
			$profile,
			$grant,
			array(
				'limits'       => $limits,
				'wrong'        => array( 'invalid_one_time_code', 'one_time_code_expired', 'one_time_code_too_many_attempts', 'authentication_challenge_expired' ),
				'log'          => array(
					'reason'    => 'invalid_mfa_code',
					'method'    => 'hosted',
					'workos_id' => $step['u'],
				),
				'wrong_answer' => AuthError::make( 'workos_authkit_invalid_code', __( 'That code is not right or has expired. Enter the current code and try again.', 'workos' ), 400 ),
				'target'       => $target,
				'mfa_passed'   => true,
				// The code passed (whatever comes next): an enrolment of this factor is complete (Mfa).
				'after'        => static function ( $auth ) use ( $step ) {
					if ( ! is_wp_error( $auth ) || 'organization_selection_required' === $auth->get_error_code() ) {
						Mfa::confirmed( $step['u'], $step['cf'] );
					}
				},
			)
		);
	}
}
