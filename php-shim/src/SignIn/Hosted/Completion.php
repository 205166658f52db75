<?php
/**
 * The end of a hosted sign-in (Login Profile): WorkOS's answer through the
 * one sign-in pipeline, then the REST answer the shell acts on.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\SignIn\Hosted;

use WorkOS_WP\Profiles\Profile;
use WorkOS_WP\Profiles\ProfileRepository;
use WorkOS_WP\Profiles\Routing;
use WorkOS_WP\SignIn\Flow;
use WorkOS_WP\SignIn\Redirects;
use WorkOS_WP\SignIn\SignIn;

defined( 'ABSPATH' ) || exit;

/**
 * Step-ups become what the shell needs to continue; a completed sign-in
 * gets WordPress's cookies on this response and the login result L
 * `{user:{id,email,display_name}, redirect_to}`.
 */
final class Completion {

	/** Flow-token kind of an email-verification step-up. */
	public const STEP_VERIFY = 'verify';

	/** Flow-token kind of an MFA step (Mfa, MfaRest continue it). */
	public const STEP_MFA = Mfa::KIND;

	/** Flow-token kind of an organization choice (several memberships, none pinned). */
	public const STEP_ORG = 'org';

	/**
	 * Applies a profile to the sign-in in progress: its pinned organization
	 * overrides the site's.
	 *
	 * @param Profile $profile The profile.
	 */
	public static function begin( Profile $profile ): void {
		SignIn::pin_organization( $profile->get_organization_id() );
	}

	/**
	 * For Callback, when a social sign-in started from a profile: applies it
	 * and answers the target (the profile's post_login_redirect first).
	 *
	 * @param string $slug   The profile slug carried in the signed state.
	 * @param string $target The requested target (already validated).
	 */
	public static function for_callback( string $slug, string $target ): string {
		$profile = '' === $slug ? null : ProfileRepository::find_by_slug( $slug );
		if ( ! $profile ) {
			return $target;
		}
		self::begin( $profile );
		return self::target( $profile, $target );
	}

	/**
	 * For Callback, once WorkOS answered the code exchange: when the sign-in
	 * needs a second factor — WorkOS asked (`mfa_enrollment`, `mfa_challenge`)
	 * or the profile's `mfa.enforce = always` holds the completed answer
	 * (Mfa::hold) — the shell opens on its MFA step at this very address
	 * (Entry::show_step()) with the browser-bound step token, never WorkOS's
	 * raw pending token. The profile is the one the sign-in started from,
	 * else the one Routing chooses. Answers that profile and the step's data,
	 * a refusal, or null to go on as before.
	 *
	 * @param string|null     $slug   The profile slug carried in the signed state, if any.
	 * @param string          $target Where the sign-in goes (validated).
	 * @param array|\WP_Error $auth   SignIn::exchange()'s answer.
	 * @return array{profile: Profile, data: array}|\WP_Error|null
	 */
	public static function at_callback( ?string $slug, string $target, $auth ) {
		$profile = null === $slug || '' === $slug ? null : ProfileRepository::find_by_slug( $slug );
		$profile = $profile ? $profile : Routing::resolve( '', Routing::context( $target ) );
		if ( is_wp_error( $auth ) ) {
			if ( ! in_array( $auth->get_error_code(), array( 'mfa_enrollment', 'mfa_challenge' ), true ) ) {
				return null;
			}
			$answer = self::step_up( $profile, $auth );
		} else {
			$answer = Mfa::hold( $profile, $auth );
		}
		if ( null === $answer || is_wp_error( $answer ) ) {
			return $answer;
		}
		$data = $answer->get_data();
		if ( ! is_array( $data ) || empty( $data['mfa_required'] ) ) {
			return null;
		}
		return array(
			'profile' => $profile,
			'data'    => $data,
		);
	}

	/**
	 * Where a sign-in through `$profile` goes (REFERENCE-API §9.4): its
	 * post_login_redirect, else the requested target; role-based redirects
	 * and the on-site rule follow in Redirects::after_sign_in().
	 *
	 * @param Profile $profile   The profile.
	 * @param string  $requested Validated redirect_to ('' = none).
	 */
	public static function target( Profile $profile, string $requested ): string {
		$post = (string) $profile->get( 'post_login_redirect', '' );
		if ( '' !== $post ) {
			$url = Redirects::site_target( $post, '' );
			if ( '' !== $url ) {
				// The allow-listed query args (utm_*, ref …) the entry point put on
				// the requested target travel on, when the profile forwards them.
				return $profile->get( 'forward_query_args', false ) ? QueryArgs::carry( $url, $requested ) : $url;
			}
		}
		return $requested;
	}

	/**
	 * WorkOS's answer to a grant, to the REST answer: a step-up the shell
	 * continues, a refusal, or a completed sign-in (cookies set here).
	 *
	 * @param Profile         $profile   The profile.
	 * @param array|\WP_Error $auth      SignIn::grant()'s answer.
	 * @param string          $requested Validated redirect_to ('' = none).
	 * @param bool            $mfa_passed Whether a second factor has just passed (MfaRest):
	 *                                    the profile's `always` policy asks nothing more.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public static function finish( Profile $profile, $auth, string $requested, bool $mfa_passed = false ) {
		if ( is_wp_error( $auth ) ) {
			return self::step_up( $profile, $auth, $mfa_passed );
		}
		if ( ! $mfa_passed ) {
			// `always`: WorkOS's answer waits on the server for the second factor.
			$held = Mfa::hold( $profile, $auth );
			if ( null !== $held ) {
				return $held;
			}
		}
		$user = SignIn::complete( $auth, 'hosted' );
		if ( is_wp_error( $user ) ) {
			return AuthError::make( $user->get_error_code(), $user->get_error_message(), 403 );
		}
		// The browser's flow is spent: its binding goes before the session comes.
		Flow::clear();
		SignIn::establish( $user );
		return new \WP_REST_Response(
			array(
				'user'        => array(
					'id'           => (int) $user->ID,
					'email'        => (string) $user->user_email,
					'display_name' => (string) $user->display_name,
				),
				'redirect_to' => Redirects::after_sign_in( $user, self::target( $profile, $requested ) ),
			),
			200
		);
	}

	/**
	 * The pending step (WorkOS's pending token) of a token step_up() issued
	 * to this browser for `$profile`, or null.
	 *
	 * @param string $token The shell's pending_authentication_token.
	 * @param string $kind  STEP_VERIFY or STEP_MFA.
	 * @param string $slug  The profile the step belongs to.
	 * @return array{p: string, e: string, o: string[], m: bool}|null
	 */
	public static function pending( string $token, string $kind, string $slug ): ?array {
		try {
			$data = Flow::verify( $token )['data'];
		} catch ( \WorkOS\Native\Exception $e ) {
			return null;
		}
		if ( ( $data['k'] ?? '' ) !== $kind || ( $data['s'] ?? '' ) !== $slug || ! is_string( $data['p'] ?? null ) ) {
			return null;
		}
		return array(
			'p' => $data['p'],
			'e' => is_string( $data['e'] ?? null ) ? $data['e'] : '',
			// The organizations WorkOS offered (an organization step only).
			'o' => is_array( $data['o'] ?? null ) ? array_values( array_filter( $data['o'], 'is_string' ) ) : array(),
			// A second factor already passed in this sign-in (an organization step after MFA).
			'm' => true === ( $data['m'] ?? null ),
		);
	}

	/**
	 * A refusal, or a step-up the shell continues. WorkOS's pending token
	 * travels inside a signed token bound to this browser and this profile
	 * (Flow), as the headless code step does: signed, not encrypted — the
	 * browser could read it, but only a request with the client secret can
	 * use it, and the signed wrapper is what this site accepts back.
	 *
	 * @param Profile   $profile The profile.
	 * @param \WP_Error $error   SignIn::grant()'s refusal.
	 * @param bool      $mfa_passed Whether a second factor passed already (carried to an organization step).
	 * @return \WP_REST_Response|\WP_Error
	 */
	private static function step_up( Profile $profile, \WP_Error $error, bool $mfa_passed = false ) {
		$code    = (string) $error->get_error_code();
		$data    = $error->get_error_data();
		$body    = is_array( $data ) && is_array( $data['body'] ?? null ) ? $data['body'] : array();
		$pending = is_string( $body['pending_authentication_token'] ?? null ) ? $body['pending_authentication_token'] : '';
		$email   = is_string( $body['email'] ?? null ) ? $body['email'] : ( is_string( $body['user']['email'] ?? null ) ? $body['user']['email'] : '' );
		if ( '' !== $pending && 'email_verification_required' === $code ) {
			return new \WP_REST_Response(
				array(
					'email_verification_required'  => true,
					'pending_authentication_token' => self::wrap( self::STEP_VERIFY, $pending, $email, $profile ),
					'email'                        => $email,
				),
				200
			);
		}
		if ( '' !== $pending && in_array( $code, array( 'mfa_enrollment', 'mfa_challenge' ), true ) ) {
			// WorkOS's own step-up, whatever the profile's policy: no session comes without it.
			return Mfa::from_workos( $profile, $code, $body, $email );
		}
		if ( '' !== $pending && 'organization_selection_required' === $code ) {
			// No organization is pinned (by the profile or the site), so the person
			// picks one of theirs; only those WorkOS offered can be chosen.
			$organizations = array();
			foreach ( is_array( $body['organizations'] ?? null ) ? $body['organizations'] : array() as $org ) {
				if ( is_array( $org ) && is_string( $org['id'] ?? null ) && '' !== $org['id'] ) {
					$organizations[] = array(
						'id'   => $org['id'],
						'name' => is_string( $org['name'] ?? null ) && '' !== $org['name'] ? $org['name'] : $org['id'],
					);
				}
			}
			if ( $organizations ) {
				return new \WP_REST_Response(
					array(
						'organization_selection_required' => true,
						'pending_authentication_token'    => self::wrap( self::STEP_ORG, $pending, $email, $profile, array_column( $organizations, 'id' ), $mfa_passed ),
						'organizations'                   => $organizations,
					),
					200
				);
			}
		}
		return AuthError::from_pipeline( $error );
	}

	/**
	 * WorkOS's pending token in a browser- and profile-bound signed token.
	 *
	 * @param string   $kind          STEP_VERIFY, STEP_MFA or STEP_ORG.
	 * @param string   $pending       WorkOS's token.
	 * @param string   $email         The address WorkOS named.
	 * @param Profile  $profile       The profile.
	 * @param string[] $organizations The organizations that may be chosen (STEP_ORG).
	 * @param bool     $mfa_passed    Whether a second factor passed already.
	 */
	private static function wrap( string $kind, string $pending, string $email, Profile $profile, array $organizations = array(), bool $mfa_passed = false ): string {
		$data = array(
			'k' => $kind,
			'p' => $pending,
			'e' => $email,
			's' => $profile->get_slug(),
		);
		if ( $organizations ) {
			$data['o'] = $organizations;
		}
		if ( $mfa_passed ) {
			$data['m'] = true;
		}
		return Flow::issue( $data );
	}
}
