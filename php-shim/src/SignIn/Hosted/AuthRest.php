<?php
/**
 * The hosted login's public REST API, /wp-json/workos/v1/auth/*: sign-in by
 * password, by emailed code and by social provider for one Login Profile
 * (route names, parameters and error codes of the reference plugin,
 * REFERENCE-API §6.1).
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\SignIn\Hosted;

use WorkOS_WP\Api;
use WorkOS_WP\Log;
use WorkOS_WP\Net;
use WorkOS_WP\Profiles\Profile;
use WorkOS_WP\Profiles\ProfileRepository;
use WorkOS_WP\Settings;
use WorkOS_WP\SignIn\AuthKit;
use WorkOS_WP\SignIn\EmailVerification;
use WorkOS_WP\SignIn\LoginLimits;
use WorkOS_WP\SignIn\Redirects;
use WorkOS_WP\SignIn\SignIn;
use WorkOS_WP\Throttle;
use function WorkOS_WP\extension_ready;

defined( 'ABSPATH' ) || exit;

/**
 * Every POST names its `profile` and carries the profile's browser-bound
 * nonce (AuthNonce) in `X-WorkOS-Nonce` (or `_nonce`). A method the profile
 * does not offer is refused here, not only hidden by the shell. Only WorkOS
 * checks credentials: no WordPress-password fallback runs through this API.
 * Answers to "does this address have an account?"-shaped requests are the
 * same whatever the answer, and none comes sooner than the response floor.
 */
final class AuthRest {

	public const NAMESPACE = 'workos/v1';

	/** The nonce header (the reference's). */
	public const NONCE_HEADER = 'X-WorkOS-Nonce';

	/**
	 * The least time, in ms since the request began, that a password, code
	 * or send request takes to answer (filter
	 * `workos_authkit_response_floor_ms`): WorkOS's answer for an unknown
	 * address comes back faster than its password check of a real one.
	 */
	public const FLOOR_MS = 900;

	/** Profile methods → WorkOS OAuth providers. */
	public const PROVIDERS = array(
		'oauth_google'    => 'GoogleOAuth',
		'oauth_microsoft' => 'MicrosoftOAuth',
		'oauth_github'    => 'GitHubOAuth',
		'oauth_apple'     => 'AppleOAuth',
	);

	/** Longest email, password, redirect_to accepted. */
	private const MAX_EMAIL    = 254;
	private const MAX_PASSWORD = 1024;
	private const MAX_REDIRECT = 2048;

	/**
	 * The sign-in routes (AuthRoutes registers them with the flows' ones).
	 *
	 * @return array<string, array{0: string, 1: string}> route => [HTTP method, static method].
	 */
	public static function routes(): array {
		return array(
			'nonce'                 => array( 'GET', 'nonce' ),
			'password/authenticate' => array( 'POST', 'password_authenticate' ),
			'magic/send'            => array( 'POST', 'magic_send' ),
			'magic/verify'          => array( 'POST', 'magic_verify' ),
			'oauth/authorize-url'   => array( 'GET', 'oauth_authorize_url' ),
			'organization/select'   => array( 'POST', 'organization_select' ),
		);
	}

	/**
	 * GET nonce: `{nonce, radar_site_key}` for this browser and profile.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public static function nonce( \WP_REST_Request $request ) {
		$profile = self::profile( $request );
		if ( is_wp_error( $profile ) ) {
			return $profile;
		}
		if ( ! self::genuine( $request ) ) {
			return self::invalid_nonce();
		}
		$response = new \WP_REST_Response(
			array(
				'nonce'          => AuthNonce::issue( $profile->get_slug() ),
				'radar_site_key' => Settings::get( 'radar_site_key' ), // WORKOS_RADAR_SITE_KEY.
			)
		);
		$response->header( 'Cache-Control', 'no-store, private' );
		return $response;
	}

	/**
	 * POST password/authenticate: WorkOS's password grant, then the sign-in
	 * pipeline (login result, or a step-up).
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public static function password_authenticate( \WP_REST_Request $request ) {
		$profile = self::guard( $request, 'password' );
		if ( is_wp_error( $profile ) ) {
			return $profile;
		}
		$email    = self::email( $request );
		$password = $request->get_param( 'password' );
		$target   = self::redirect_to( $request );
		if ( is_wp_error( $email ) ) {
			return $email;
		}
		if ( ! is_string( $password ) || '' === $password || strlen( $password ) > self::MAX_PASSWORD ) {
			return AuthError::invalid_input( __( 'Enter your password.', 'workos' ) );
		}
		if ( is_wp_error( $target ) ) {
			return $target;
		}
		// Counted before WorkOS checks anything (all or none, shared by every
		// node); given back when it was no wrong guess. The wp-login.php
		// buckets of the account are shared, so a guess here is a guess there.
		$limits = array_merge(
			array(
				array( 'password_ip', Net::client_ip() ),
				// Per address typed AND client: someone elsewhere guessing cannot lock
				// its owner out; LoginLimits' account-wide ceiling covers the rest.
				array( 'password_email', LoginLimits::account( $email ) . '|' . Net::client_ip() ),
			),
			LoginLimits::password_limits( $email )
		);
		return self::attempt(
			$profile,
			array(
				'grant_type' => 'password',
				'email'      => $email,
				'password'   => $password,
			),
			array(
				'limits' => $limits,
				'wrong'  => array( 'invalid_credentials' ),
				'log'    => array(
					'method' => 'hosted',
					'login'  => substr( $email, 0, 100 ),
				),
				'target' => $target,
				'floor'  => true,
			)
		);
	}

	/**
	 * POST magic/send: always the same answer. A code is sent only to
	 * someone who may sign in by it — a person this site or WorkOS already
	 * knows, or anyone when the profile allows sign-up — so the API is no
	 * way to create WorkOS users or learn who has an account.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public static function magic_send( \WP_REST_Request $request ) {
		$profile = self::guard( $request, 'magic_code' );
		if ( is_wp_error( $profile ) ) {
			return $profile;
		}
		$email = self::email( $request );
		if ( is_wp_error( $email ) ) {
			return $email;
		}
		$limited = self::take(
			array(
				array( 'magic_send_ip', Net::client_ip() ),
				array( 'magic_send_email', LoginLimits::account( $email ) . '|' . Net::client_ip() ),
				// A far higher ceiling from anywhere: nobody's inbox is flooded.
				array( 'magic_send_account', LoginLimits::account( $email ) ),
			)
		);
		if ( $limited ) {
			return $limited;
		}
		try {
			if ( self::may_receive_code( $profile, $email ) ) {
				Api::client()->createMagicAuth( $email );
			}
		} catch ( \WorkOS\Native\ApiException $e ) {
			// WorkOS down is the same for every address: say so, the visitor
			// would otherwise wait for a code that does not come.
			if ( $e->isTransient() ) {
				return self::floored( AuthError::make( 'workos_unreachable', SignIn::unreachable(), 502 ) );
			}
			Log::event(
				'magic_send_failed',
				array(
					'reason' => (string) $e->getErrorCode(),
					'login'  => substr( $email, 0, 100 ),
				)
			);
		} catch ( \WorkOS\Native\Exception $e ) {
			return self::floored( AuthError::make( 'workos_unreachable', SignIn::unreachable(), 502 ) );
		}
		return self::floored(
			new \WP_REST_Response(
				array(
					'ok'      => true,
					'message' => __( 'If this address can sign in here, a code is on its way. Check your email.', 'workos' ),
				),
				200
			)
		);
	}

	/**
	 * POST magic/verify: the emailed code (magic-auth grant), or with a
	 * `pending_authentication_token` from an `email_verification_required`
	 * answer, the email-verification code.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public static function magic_verify( \WP_REST_Request $request ) {
		$token   = $request->get_param( 'pending_authentication_token' );
		$token   = is_string( $token ) ? trim( $token ) : '';
		$profile = self::guard( $request, '' === $token ? 'magic_code' : '' );
		if ( is_wp_error( $profile ) ) {
			return $profile;
		}
		$email  = self::email( $request );
		$code   = $request->get_param( 'code' );
		$code   = is_string( $code ) ? preg_replace( '/\s+/', '', $code ) : '';
		$target = self::redirect_to( $request );
		if ( is_wp_error( $email ) ) {
			return $email;
		}
		if ( 1 !== preg_match( '/^[0-9]{6}$/D', $code ) ) {
			return AuthError::invalid_input( __( 'Enter the 6-digit code from the email.', 'workos' ) );
		}
		if ( is_wp_error( $target ) ) {
			return $target;
		}
		$step = null;
		if ( '' !== $token ) {
			// A step-up issued to this browser for this profile (Completion).
			$step = Completion::pending( $token, Completion::STEP_VERIFY, $profile->get_slug() );
			if ( null === $step ) {
				return AuthError::make( 'workos_authkit_step_expired', __( 'This verification has expired. Please sign in again.', 'workos' ), 400 );
			}
		}
		// The person the code is for: the step's address (signed), not what the request says.
		$account = LoginLimits::account( null === $step || '' === $step['e'] ? $email : $step['e'] );
		$limits  = array_merge(
			array(
				array( 'magic_verify_ip', Net::client_ip() ),
				array( 'magic_verify_email', $account . '|' . Net::client_ip() ),
			),
			// A sign-in code is this client's guess at this person's code: counted per both
			// (per person alone, anyone could lock its owner out), within the person's ceiling.
			LoginLimits::code_limits( null === $step ? 'magic:' . $account . '|' . Net::client_ip() : 'verify:' . $step['p'], $account )
		);
		$grant = null === $step
			? array(
				'grant_type' => 'urn:workos:oauth:grant-type:magic-auth:code',
				'code'       => $code,
				'email'      => $email,
			)
			: array(
				'grant_type'                   => EmailVerification::GRANT,
				'code'                         => $code,
				'pending_authentication_token' => $step['p'],
			);
		return self::attempt(
			$profile,
			$grant,
			array(
				'limits' => $limits,
				'wrong'  => array( 'workos_authkit_invalid_code' ),
				'log'    => array(
					'method' => 'hosted',
					'login'  => substr( $email, 0, 100 ),
				),
				'target' => $target,
				'floor'  => true,
			)
		);
	}

	/**
	 * POST organization/select: the organization the person picked after a
	 * sign-in WorkOS answered with `organization_selection_required` (several
	 * memberships, no organization pinned by the profile or the site). Only
	 * an organization WorkOS offered in that step can be chosen; the step is
	 * bound to this browser and profile (Completion::pending()).
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public static function organization_select( \WP_REST_Request $request ) {
		$profile = self::guard( $request, '' );
		if ( is_wp_error( $profile ) ) {
			return $profile;
		}
		$token  = $request->get_param( 'pending_authentication_token' );
		$org    = $request->get_param( 'organization_id' );
		$target = self::redirect_to( $request );
		if ( ! is_string( $token ) || '' === $token || ! is_string( $org ) || 1 !== preg_match( '/^org_[A-Za-z0-9]{1,64}$/D', $org ) ) {
			return AuthError::invalid_input( __( 'Choose an organization.', 'workos' ) );
		}
		if ( is_wp_error( $target ) ) {
			return $target;
		}
		$step = Completion::pending( $token, Completion::STEP_ORG, $profile->get_slug() );
		if ( null === $step ) {
			return AuthError::make( 'workos_authkit_step_expired', __( 'This sign-in has expired. Please sign in again.', 'workos' ), 400 );
		}
		if ( ! in_array( $org, $step['o'], true ) ) {
			return AuthError::invalid_input( __( 'Choose one of the organizations listed.', 'workos' ) );
		}
		$limited = self::take( array( array( 'magic_verify_ip', Net::client_ip() ) ) );
		if ( $limited ) {
			return $limited;
		}
		return self::attempt(
			$profile,
			array(
				'grant_type'                   => SignIn::ORG_SELECTION_GRANT,
				'pending_authentication_token' => $step['p'],
				'organization_id'              => $org,
			),
			array(
				'target'     => $target,
				// A second factor passed before the organization step is not asked for again.
				'mfa_passed' => $step['m'],
			)
		);
	}

	/**
	 * GET oauth/authorize-url: `{authorize_url}` of a social sign-in that
	 * /workos/callback finishes (state, PKCE and the browser binding as for
	 * every AuthKit sign-in; the profile travels in the signed state).
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public static function oauth_authorize_url( \WP_REST_Request $request ) {
		$profile = self::profile( $request );
		if ( is_wp_error( $profile ) ) {
			return $profile;
		}
		// The URL it answers is bound to this browser: only this site's pages may read one.
		if ( ! self::genuine( $request ) ) {
			return self::invalid_nonce();
		}
		$ready = self::ready();
		if ( is_wp_error( $ready ) ) {
			return $ready;
		}
		$provider = $request->get_param( 'provider' );
		$provider = is_string( $provider ) ? $provider : '';
		if ( ! isset( self::PROVIDERS[ $provider ] ) ) {
			return AuthError::make( 'workos_authkit_unknown_provider', __( 'This sign-in provider is not known.', 'workos' ), 400 );
		}
		if ( ! self::offers( $profile, $provider ) ) {
			return self::method_disabled();
		}
		$target = self::redirect_to( $request );
		if ( is_wp_error( $target ) ) {
			return $target;
		}
		$limited = self::take( array( array( 'oauth_url_ip', Net::client_ip() ) ) );
		if ( $limited ) {
			return $limited;
		}
		try {
			$url = AuthKit::provider_url( self::PROVIDERS[ $provider ], $target, $profile->get_slug() );
		} catch ( \WorkOS\Native\Exception $e ) {
			return AuthError::make( 'workos_not_configured', SignIn::misconfigured(), 503 );
		}
		$response = new \WP_REST_Response( array( 'authorize_url' => $url ) );
		$response->header( 'Cache-Control', 'no-store, private' );
		return $response;
	}

	/**
	 * The end every hosted sign-in step shares once its profile is guarded
	 * and its input checked — one place, not a copy per flow: an attempt
	 * taken from each of `limits` (all or none); the profile applied; WorkOS
	 * asked; the attempts given back unless the answer is a wrong guess,
	 * which is logged instead; then the one sign-in pipeline (Completion).
	 *
	 * @param Profile        $profile The guarded profile.
	 * @param array|\Closure $grant   SignIn::grant()'s parameters, or a closure answering as it does.
	 * @param array          $step    What differs between steps, all optional: `limits`
	 *                                ([rule, key] pairs counted for this try), `taken` (the caller
	 *                                took them already; given back here), `wrong` (codes of a wrong
	 *                                guess, WorkOS's or AuthError's: kept counted), `log` (its
	 *                                `login_failed` context; `reason` defaults to the code),
	 *                                `wrong_answer` (default: the pipeline's), `before` (closure
	 *                                WP_Error => ?WP_REST_Response: the flow's own step-up),
	 *                                `after` (closure ($auth, $answer) after an answer that was no
	 *                                wrong guess), `target` (validated redirect_to), `mfa_passed`
	 *                                (Completion::finish()'s), `floor` (answers but the 429 wait
	 *                                for the response floor).
	 * @return \WP_REST_Response|\WP_Error
	 */
	public static function attempt( Profile $profile, $grant, array $step = array() ) {
		$limits = $step['limits'] ?? array();
		if ( $limits && empty( $step['taken'] ) ) {
			$limited = self::take( $limits );
			if ( $limited ) {
				return $limited;
			}
		}
		$floor = ! empty( $step['floor'] );
		Completion::begin( $profile );
		$auth  = $grant instanceof \Closure ? $grant() : SignIn::grant( $grant );
		$guess = $step['wrong'] ?? array();
		$wrong = is_wp_error( $auth ) && $guess && (
			in_array( (string) $auth->get_error_code(), $guess, true )
			|| in_array( (string) AuthError::from_pipeline( $auth )->get_error_code(), $guess, true )
		);
		if ( $wrong ) {
			Log::event( 'login_failed', array_merge( array( 'reason' => (string) $auth->get_error_code() ), $step['log'] ?? array() ) );
			if ( isset( $step['wrong_answer'] ) ) {
				return $floor ? self::floored( $step['wrong_answer'] ) : $step['wrong_answer'];
			}
		} elseif ( $limits ) {
			Throttle::refund( $limits );
		}
		$answer = null;
		if ( is_wp_error( $auth ) && isset( $step['before'] ) ) {
			$answer = ( $step['before'] )( $auth );
		}
		if ( null === $answer ) {
			$answer = Completion::finish( $profile, $auth, (string) ( $step['target'] ?? '' ), ! empty( $step['mfa_passed'] ) );
		}
		if ( ! $wrong && isset( $step['after'] ) ) {
			( $step['after'] )( $auth, $answer );
		}
		return $floor ? self::floored( $answer ) : $answer;
	}

	/**
	 * Sleeps until the response floor since the request began, then passes
	 * the answer on. The header says it was applied (and for tests, how long).
	 *
	 * @param \WP_REST_Response|\WP_Error $answer The answer.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public static function floored( $answer ) {
		/**
		 * The least time, in ms, a password, code or send request of the
		 * hosted login takes to answer, so that timing does not tell whether
		 * an address has an account.
		 *
		 * @param int $ms Milliseconds (default AuthRest::FLOOR_MS).
		 */
		$floor = max( 0, (int) apply_filters( 'workos_authkit_response_floor_ms', self::FLOOR_MS ) );
		$start = isset( $_SERVER['REQUEST_TIME_FLOAT'] ) ? (float) $_SERVER['REQUEST_TIME_FLOAT'] : microtime( true );
		$left  = (int) round( ( $start + $floor / 1000 - microtime( true ) ) * 1000000 );
		if ( $left > 0 ) {
			usleep( $left );
		}
		if ( ! headers_sent() ) {
			header( 'X-WorkOS-Response-Floor: ' . $floor );
		}
		return $answer;
	}

	/**
	 * The checks every POST passes first: the profile exists, the plugin is
	 * configured, the nonce is this browser's, the method is on.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @param string           $method  The method the route needs ('' = any).
	 * @return Profile|\WP_Error
	 */
	public static function guard( \WP_REST_Request $request, string $method ) {
		$profile = self::profile( $request );
		if ( is_wp_error( $profile ) ) {
			return $profile;
		}
		// The header only: a URL parameter could be carried by a link or a <script src>.
		$nonce = $request->get_header( 'x_workos_nonce' );
		if ( ! self::genuine( $request ) || ! is_string( $nonce ) || '' === $nonce || ! AuthNonce::verify( $profile->get_slug(), $nonce ) ) {
			return self::invalid_nonce();
		}
		$ready = self::ready();
		if ( is_wp_error( $ready ) ) {
			return $ready;
		}
		if ( '' !== $method && ! self::offers( $profile, $method ) ) {
			return self::method_disabled();
		}
		return $profile;
	}

	/**
	 * The refusal of a missing, stale or foreign nonce.
	 */
	public static function invalid_nonce(): \WP_Error {
		return AuthError::make( 'workos_authkit_invalid_nonce', __( 'This page has expired. Please try again.', 'workos' ), 403 );
	}

	/**
	 * Whether a request is one the shell could have made: sent with the
	 * route's real HTTP method, not as JSONP, and from this site when the
	 * browser names an `Origin`. A page elsewhere — a sibling subdomain
	 * still gets the SameSite=Lax binding cookie — must not obtain or use a
	 * nonce or an authorize URL bound to a visitor's browser.
	 *
	 * @param \WP_REST_Request $request Request.
	 */
	public static function genuine( \WP_REST_Request $request ): bool {
		// WordPress turns `?_method=POST` (or X-HTTP-Method-Override) on a GET into a POST, and
		// answers `?_jsonp=` as a script another site can read: neither is the shell's.
		$real = isset( $_SERVER['REQUEST_METHOD'] ) ? strtoupper( sanitize_key( wp_unslash( $_SERVER['REQUEST_METHOD'] ) ) ) : '';
		if ( $real !== $request->get_method() || null !== $request->get_param( '_jsonp' ) ) {
			return false;
		}
		return self::same_origin( $request );
	}

	/**
	 * Whether a browser's `Origin`, when it sends one, is this site's
	 * (WordPress's REST API answers credentialed requests from any origin,
	 * rest_send_cors_headers). Requests without one (same-origin GETs,
	 * non-browsers) carry no other site's intent.
	 *
	 * @param \WP_REST_Request $request Request.
	 */
	public static function same_origin( \WP_REST_Request $request ): bool {
		$origin = $request->get_header( 'origin' );
		if ( null === $origin || '' === $origin ) {
			return true;
		}
		// WordPress's own list (get_allowed_http_origins()) drops the port.
		foreach ( array( home_url( '/' ), site_url( '/' ) ) as $own ) {
			$parts = wp_parse_url( $own );
			$port  = isset( $parts['port'] ) ? ':' . $parts['port'] : '';
			if ( isset( $parts['scheme'], $parts['host'] ) && strtolower( $origin ) === strtolower( $parts['scheme'] . '://' . $parts['host'] . $port ) ) {
				return true;
			}
		}
		return '' !== (string) is_allowed_http_origin( $origin );
	}

	/**
	 * The profile the request names.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return Profile|\WP_Error
	 */
	public static function profile( \WP_REST_Request $request ) {
		$slug = $request->get_param( 'profile' );
		if ( ! is_string( $slug ) || '' === trim( $slug ) ) {
			return AuthError::make( 'workos_authkit_missing_profile', __( 'The login profile is missing.', 'workos' ), 400 );
		}
		$profile = extension_ready() && strlen( $slug ) <= 200 ? ProfileRepository::find_by_slug( sanitize_title( $slug ) ) : null;
		if ( ! $profile || $profile->get_slug() !== $slug ) {
			return AuthError::make( 'workos_authkit_profile_not_found', __( 'This login profile does not exist.', 'workos' ), 404 );
		}
		return $profile;
	}

	/**
	 * Whether the plugin can sign anyone in.
	 *
	 * @return true|\WP_Error
	 */
	public static function ready() {
		if ( ! extension_ready() || ! Settings::is_configured() ) {
			return AuthError::make( 'workos_not_configured', __( 'Single sign-on is not set up on this site yet. Please contact your site administrator.', 'workos' ), 503 );
		}
		return true;
	}

	/**
	 * Whether the profile offers `$method` on its hosted login (a profile
	 * that sends people to AuthKit offers none here).
	 *
	 * @param Profile $profile The profile.
	 * @param string  $method  Method name.
	 */
	public static function offers( Profile $profile, string $method ): bool {
		return 'authkit_redirect' !== $profile->get_mode() && $profile->has_method( $method );
	}

	/**
	 * The refusal of a method the profile does not offer.
	 */
	public static function method_disabled(): \WP_Error {
		return AuthError::make( 'workos_authkit_method_disabled', __( 'This sign-in method is not available here.', 'workos' ), 400 );
	}

	/**
	 * The `email` parameter, trimmed and checked.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return string|\WP_Error
	 */
	public static function email( \WP_REST_Request $request ) {
		$email = $request->get_param( 'email' );
		$email = is_string( $email ) ? trim( $email ) : '';
		if ( '' === $email || strlen( $email ) > self::MAX_EMAIL || ! is_email( $email ) ) {
			return AuthError::invalid_input( __( 'Enter a valid email address.', 'workos' ) );
		}
		return $email;
	}

	/**
	 * The `redirect_to` parameter: '' or a URL on this site (a /path is
	 * taken as one); anything else is refused, never followed.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return string|\WP_Error
	 */
	public static function redirect_to( \WP_REST_Request $request ) {
		$target = $request->get_param( 'redirect_to' );
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
	 * Takes one attempt from each bucket (Throttle::take); the 429 answer
	 * when one is over its limit.
	 *
	 * @param array $limits [rule, key] pairs.
	 * @return \WP_Error|null
	 */
	public static function take( array $limits ): ?\WP_Error {
		$wait = Throttle::take( $limits );
		if ( $wait <= 0 ) {
			return null;
		}
		if ( ! headers_sent() ) {
			header( 'Retry-After: ' . $wait );
		}
		return AuthError::make( 'workos_rate_limited', Throttle::error( $wait )->get_error_message(), 429, array( 'retry_after' => $wait ) );
	}

	/**
	 * The setting that lets addresses WorkOS does not know get a magic code
	 * on `$profile`: the legacy profile has its own (as in the reference).
	 *
	 * @param Profile $profile The profile.
	 */
	private static function magic_registration_setting( Profile $profile ): string {
		/**
		 * Which Login Profile reads `allow_legacy_magic_code_registration`
		 * instead of `allow_magic_code_registration` (the reference's filter).
		 *
		 * @param string $slug The legacy profile's slug.
		 */
		$legacy = (string) apply_filters( 'workos_legacy_profile_slug', 'legacy' );
		return $legacy === $profile->get_slug() ? 'allow_legacy_magic_code_registration' : 'allow_magic_code_registration';
	}

	/**
	 * Whether `$email` may be sent a sign-in code: the profile allows
	 * sign-up, the site lets new addresses in by magic code, or the address has an account here or at WorkOS.
	 *
	 * @param Profile $profile The profile.
	 * @param string  $email   The address.
	 * @throws \WorkOS\Native\Exception When WorkOS cannot be asked.
	 */
	private static function may_receive_code( Profile $profile, string $email ): bool {
		$signup = $profile->get( 'signup', array() );
		if ( is_array( $signup ) && ! empty( $signup['enabled'] ) ) {
			return true;
		}
		if ( Settings::flag( self::magic_registration_setting( $profile ) ) ) {
			return true; // The site lets new addresses in by magic code on every profile.
		}
		if ( get_user_by( 'email', $email ) ) {
			return true;
		}
		$found = Api::client()->listUsers( array( 'email' => $email ) );
		return is_array( $found['data'] ?? null ) && array() !== $found['data'];
	}
}
