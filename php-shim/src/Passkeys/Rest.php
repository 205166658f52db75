<?php
/**
 * The passkey REST API, /wp-json/workos/v1/auth/passkey/*: registration
 * for the signed-in user (their profile screen) and username-less sign-in
 * for the hosted login's shell.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Passkeys;

use WorkOS_WP\Log;
use WorkOS_WP\Net;
use WorkOS_WP\Profiles\Profile;
use WorkOS_WP\Profiles\ProfileRepository;
use WorkOS_WP\Settings;
use WorkOS_WP\SignIn\Flow;
use WorkOS_WP\SignIn\Hosted\AuthError;
use WorkOS_WP\SignIn\Hosted\AuthRest;
use WorkOS_WP\SignIn\Hosted\Completion;
use WorkOS_WP\SignIn\Redirects;
use WorkOS_WP\SignIn\SignIn;
use WorkOS_WP\Users\Users;
use function WorkOS_WP\extension_ready;

defined( 'ABSPATH' ) || exit;

/**
 * Passkeys are verified by the extension (webauthn-rs): WorkOS has no
 * passkey ceremony. Only users linked to a WorkOS account may register
 * one, and a passkey signs in only the WorkOS account it was registered
 * for — through the same rules as every other sign-in (deactivation, the
 * entitlement gate, the pinned organization, the activity log).
 */
final class Rest {

	public const NAMESPACE = 'workos/v1';

	/** The profile method that turns passkeys on. */
	public const METHOD = 'passkey';

	/** Largest credential JSON accepted from a browser (bytes). */
	private const MAX_CREDENTIAL = 16384;

	/**
	 * rest_api_init.
	 */
	public static function register_routes(): void {
		$routes = array(
			'register/options'                            => array( 'POST', 'register_options', 'signed_in' ),
			'register/verify'                             => array( 'POST', 'register_verify', 'signed_in' ),
			'credentials'                                 => array( 'GET', 'credentials', 'signed_in' ),
			'credentials/(?P<id>[A-Za-z0-9_-]{1,1400})' => array( 'DELETE', 'remove', 'signed_in' ),
			'login/options'                               => array( 'POST', 'login_options', null ),
			'login/verify'                                => array( 'POST', 'login_verify', null ),
		);
		foreach ( $routes as $route => $spec ) {
			register_rest_route(
				self::NAMESPACE,
				'/auth/passkey/' . $route,
				array(
					'methods'             => $spec[0],
					'callback'            => array( self::class, $spec[1] ),
					// Sign-in is public by design (the pipeline decides who gets in);
					// registration needs a WordPress session with its REST nonce
					// (WordPress checks X-WP-Nonce before there is a current user).
					'permission_callback' => $spec[2] ? array( self::class, $spec[2] ) : '__return_true',
				)
			);
		}
	}

	/**
	 * Permission of the registration routes: a signed-in user.
	 *
	 * @return true|\WP_Error
	 */
	public static function signed_in() {
		if ( ! is_user_logged_in() ) {
			return new \WP_Error( 'rest_forbidden', __( 'Sign in to manage your passkeys.', 'workos' ), array( 'status' => 401 ) );
		}
		return true;
	}

	/**
	 * POST register/options: starts registering a passkey for the signed-in user.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public static function register_options( \WP_REST_Request $request ) {
		$user = self::registrant( $request );
		if ( is_wp_error( $user ) ) {
			return $user;
		}
		$exclude = array_map( static fn( array $r ): string => (string) $r['id'], Store::for_user( $user->ID ) );
		if ( count( $exclude ) >= Store::MAX_PER_USER ) {
			return AuthError::make( 'workos_passkey_limit', __( 'You have as many passkeys as an account may keep. Remove one first.', 'workos' ), 409 );
		}
		try {
			$started = \WorkOS\Native\Passkeys::startRegistration(
				self::origin(),
				self::rp_name(),
				Store::handle( $user->ID ),
				(string) $user->user_email,
				'' !== (string) $user->display_name ? (string) $user->display_name : (string) $user->user_login,
				$exclude
			);
		} catch ( \WorkOS\Native\Exception $e ) {
			return self::unavailable( $e );
		}
		Ceremony::put( 'register', self::session_owner( $user->ID ), (string) $started['state'] );
		return self::no_store( array( 'options' => $started['options'] ) );
	}

	/**
	 * POST register/verify `{credential, name}`: stores the new passkey.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public static function register_verify( \WP_REST_Request $request ) {
		$user = self::registrant( $request );
		if ( is_wp_error( $user ) ) {
			return $user;
		}
		$credential = self::credential( $request );
		if ( is_wp_error( $credential ) ) {
			return $credential;
		}
		$name = $request->get_param( 'name' );
		$name = is_string( $name ) ? trim( sanitize_text_field( $name ) ) : '';
		$name = '' === $name ? __( 'Passkey', 'workos' ) : mb_substr( $name, 0, Store::MAX_NAME );
		$state = Ceremony::take( 'register', self::session_owner( $user->ID ) );
		if ( '' === $state ) {
			return self::expired();
		}
		try {
			$done = \WorkOS\Native\Passkeys::finishRegistration( self::origin(), self::rp_name(), $state, $credential );
		} catch ( \WorkOS\Native\PasskeyException $e ) {
			Log::event(
				'passkey_refused',
				array(
					'user_id' => $user->ID,
					'stage'   => 'register',
					'reason'  => $e->getReason(),
				)
			);
			return AuthError::make( 'workos_passkey_invalid', __( 'The passkey could not be registered. Please try again.', 'workos' ), 400, array( 'reason' => $e->getReason() ) );
		} catch ( \WorkOS\Native\Exception $e ) {
			return self::unavailable( $e );
		}
		$stored = Store::add( $user->ID, Store::linked_workos_id( $user->ID ), $done, $name );
		if ( is_wp_error( $stored ) ) {
			return $stored;
		}
		Log::event(
			'passkey_added',
			array(
				'user_id' => $user->ID,
				'name'    => $name,
			)
		);
		$record = Store::find( (string) $done['credential_id'] );
		return self::no_store( array( 'passkey' => Store::public_view( $record ? $record['record'] : array( 'id' => $done['credential_id'] ) ) ), 201 );
	}

	/**
	 * GET credentials: the signed-in user's passkeys.
	 *
	 * @return \WP_REST_Response
	 */
	public static function credentials() {
		$user_id = get_current_user_id();
		return self::no_store( array( 'passkeys' => array_map( array( Store::class, 'public_view' ), Store::for_user( $user_id ) ) ) );
	}

	/**
	 * DELETE credentials/{id}: removes one of the signed-in user's passkeys
	 * (only theirs: the key is looked up under their own user id).
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public static function remove( \WP_REST_Request $request ) {
		$user_id = get_current_user_id();
		$id      = (string) $request->get_param( 'id' );
		if ( ! Store::remove( $user_id, $id ) ) {
			return AuthError::make( 'workos_passkey_not_found', __( 'That passkey does not exist.', 'workos' ), 404 );
		}
		Log::event( 'passkey_removed', array( 'user_id' => $user_id ) );
		return self::no_store( array( 'removed' => true ) );
	}

	/**
	 * POST login/options `{profile}` (X-WorkOS-Nonce): starts a sign-in.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public static function login_options( \WP_REST_Request $request ) {
		$profile = self::login_guard( $request );
		if ( is_wp_error( $profile ) ) {
			return $profile;
		}
		try {
			$started = \WorkOS\Native\Passkeys::startAuthentication( self::origin(), self::rp_name() );
		} catch ( \WorkOS\Native\Exception $e ) {
			return self::unavailable( $e );
		}
		Ceremony::put( 'login', self::binding_owner( $profile ), (string) $started['state'] );
		return self::no_store( array( 'options' => $started['options'] ) );
	}

	/**
	 * POST login/verify `{profile, credential, redirect_to}` (X-WorkOS-Nonce):
	 * verifies the passkey, then the sign-in pipeline; the login result L.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public static function login_verify( \WP_REST_Request $request ) {
		$profile = self::login_guard( $request );
		if ( is_wp_error( $profile ) ) {
			return $profile;
		}
		$credential = self::credential( $request );
		if ( is_wp_error( $credential ) ) {
			return $credential;
		}
		$requested = AuthRest::redirect_to( $request );
		if ( is_wp_error( $requested ) ) {
			return $requested;
		}
		$state = Ceremony::take( 'login', self::binding_owner( $profile ) );
		if ( '' === $state ) {
			return self::expired();
		}
		try {
			$who   = \WorkOS\Native\Passkeys::identify( $credential );
			$found = Store::find( (string) $who['credential_id'] );
			if ( null === $found ) {
				return self::failed( 'unknown_credential' );
			}
			$user_id = $found['user_id'];
			$record  = $found['record'];
			// The credential must be the one stored for the user its handle names.
			if ( ! hash_equals( (string) get_user_meta( $user_id, Store::HANDLE_META, true ), (string) $who['user_handle'] ) ) {
				return self::failed( 'handle_mismatch', $user_id );
			}
			$done = \WorkOS\Native\Passkeys::finishAuthentication( self::origin(), self::rp_name(), $state, $credential, (string) $record['passkey'] );
		} catch ( \WorkOS\Native\PasskeyException $e ) {
			return self::failed( $e->getReason(), isset( $user_id ) ? $user_id : 0 );
		} catch ( \WorkOS\Native\Exception $e ) {
			return self::unavailable( $e );
		}
		Store::touch( $user_id, $record, is_string( $done['updated_passkey'] ?? null ) ? $done['updated_passkey'] : null );

		// Bound to the WorkOS account it was registered for: an account since
		// unlinked (or linked to someone else) cannot use it.
		$workos_id = Store::linked_workos_id( $user_id );
		$user      = get_userdata( $user_id );
		if ( ! $user || '' === $workos_id || ! hash_equals( (string) ( $record['workos_id'] ?? '' ), $workos_id ) ) {
			return self::failed( 'not_linked', $user_id );
		}
		Completion::begin( $profile );
		$user = SignIn::complete_verified( $user, $workos_id, 'passkey' );
		if ( is_wp_error( $user ) ) {
			return AuthError::from_pipeline( $user );
		}
		// The browser's flow is spent: its binding goes before the session comes.
		Flow::clear();
		SignIn::establish( $user );
		return self::no_store(
			array(
				'user'        => array(
					'id'           => (int) $user->ID,
					'email'        => (string) $user->user_email,
					'display_name' => (string) $user->display_name,
				),
				'redirect_to' => Redirects::after_sign_in( $user, Completion::target( $profile, $requested ) ),
			)
		);
	}

	/**
	 * Whether any Login Profile offers passkeys on its hosted login.
	 */
	public static function enabled_anywhere(): bool {
		foreach ( ProfileRepository::all() as $profile ) {
			if ( self::offers( $profile ) ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether the profile offers passkeys.
	 *
	 * @param Profile $profile The profile.
	 */
	public static function offers( Profile $profile ): bool {
		return AuthRest::offers( $profile, self::METHOD );
	}

	/**
	 * The site's origin (scheme, host, port of its home URL): the relying
	 * party. From the configuration, never from request headers.
	 */
	public static function origin(): string {
		$parts = wp_parse_url( home_url( '/' ) );
		$host  = is_array( $parts ) ? (string) ( $parts['host'] ?? '' ) : '';
		$port  = is_array( $parts ) && isset( $parts['port'] ) ? ':' . (int) $parts['port'] : '';
		$host  = false !== strpos( $host, ':' ) && '[' !== substr( $host, 0, 1 ) ? '[' . $host . ']' : $host;
		return ( is_array( $parts ) ? (string) ( $parts['scheme'] ?? 'https' ) : 'https' ) . '://' . $host . $port;
	}

	/**
	 * The name authenticators show for the site.
	 */
	private static function rp_name(): string {
		$name = wp_specialchars_decode( (string) get_bloginfo( 'name' ), ENT_QUOTES );
		return '' !== trim( $name ) ? $name : (string) wp_parse_url( home_url(), PHP_URL_HOST );
	}

	/**
	 * The signed-in user when they may register a passkey: passkeys are on
	 * (for the named profile, or some profile), and the account is linked to
	 * WorkOS and active.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_User|\WP_Error
	 */
	private static function registrant( \WP_REST_Request $request ) {
		if ( ! extension_ready() || ! Settings::is_configured() ) {
			return AuthError::make( 'workos_not_configured', __( 'Single sign-on is not set up on this site yet. Please contact your site administrator.', 'workos' ), 503 );
		}
		$slug = $request->get_param( 'profile' );
		if ( is_string( $slug ) && '' !== $slug ) {
			$profile = ProfileRepository::find_by_slug( sanitize_title( $slug ) );
			if ( ! $profile ) {
				return AuthError::make( 'workos_authkit_profile_not_found', __( 'This login profile does not exist.', 'workos' ), 404 );
			}
			$on = self::offers( $profile );
		} else {
			$on = self::enabled_anywhere();
		}
		if ( ! $on ) {
			return AuthRest::method_disabled();
		}
		$user = wp_get_current_user();
		if ( '' === Store::linked_workos_id( $user->ID ) ) {
			return AuthError::make( 'workos_passkey_not_linked', __( 'Only accounts linked to WorkOS can add passkeys. Sign in with WorkOS once first.', 'workos' ), 403 );
		}
		if ( Users::is_deactivated( $user->ID ) ) {
			return AuthError::make( 'account_deactivated', SignIn::deactivated(), 403 );
		}
		if ( ! self::signed_in_recently( $user->ID ) ) {
			// A passkey is a way in that lasts: a stolen or forgotten-open
			// session must not be able to add one. Ask for a fresh sign-in.
			return AuthError::make(
				'workos_reauth_required',
				__( 'For your security, sign in again before adding a passkey.', 'workos' ),
				403,
				array( 'login_url' => wp_login_url( admin_url( 'profile.php' ), true ) )
			);
		}
		return $user;
	}

	/**
	 * Whether this browser's WordPress session began within the re-authentication
	 * window (Users\Reauth's; filter `workos_passkey_reauth_window` for passkeys alone).
	 *
	 * @param int $user_id The signed-in user.
	 */
	private static function signed_in_recently( int $user_id ): bool {
		return \WorkOS_WP\Users\Reauth::recent( $user_id, (int) apply_filters( 'workos_passkey_reauth_window', \WorkOS_WP\Users\Reauth::window() ) );
	}

	/**
	 * The checks the sign-in routes pass first: the hosted login's own
	 * (AuthRest::guard(): profile, this browser's nonce, genuine request,
	 * configured, passkeys offered), then the per-IP rate limit.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return Profile|\WP_Error
	 */
	private static function login_guard( \WP_REST_Request $request ) {
		$profile = AuthRest::guard( $request, self::METHOD );
		if ( is_wp_error( $profile ) ) {
			return $profile;
		}
		return AuthRest::take( array( array( 'passkey_ip', Net::client_ip() ) ) ) ?? $profile;
	}

	/**
	 * The browser's credential answer as JSON (`credential`, an object).
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return string|\WP_Error
	 */
	private static function credential( \WP_REST_Request $request ) {
		// Decoded from the raw body as objects: WordPress's own (associative)
		// decoding would turn `{}` (an empty extensions map) into `[]`.
		$body       = json_decode( (string) $request->get_body() );
		$credential = is_object( $body ) && isset( $body->credential ) ? $body->credential : null;
		$json       = is_object( $credential ) ? wp_json_encode( $credential ) : false;
		if ( ! is_string( $json ) || strlen( $json ) > self::MAX_CREDENTIAL ) {
			return AuthError::invalid_input( __( 'The passkey answer is missing or malformed.', 'workos' ) );
		}
		return $json;
	}

	/**
	 * What ties a registration to this browser: the user's WordPress session.
	 *
	 * @param int $user_id The signed-in user.
	 */
	private static function session_owner( int $user_id ): string {
		$token = wp_get_session_token();
		return '' === $token ? '' : $user_id . '|' . $token;
	}

	/**
	 * What ties a sign-in to this browser: the binding cookie (the nonce
	 * check made sure there is one) and the profile.
	 *
	 * @param Profile $profile The profile.
	 */
	private static function binding_owner( Profile $profile ): string {
		$binding = Flow::binding( false );
		return '' === $binding ? '' : $binding . '|' . $profile->get_slug();
	}

	/**
	 * No started ceremony for this browser (expired, used, or another browser's).
	 */
	private static function expired(): \WP_Error {
		return AuthError::make( 'workos_authkit_step_expired', __( 'That took too long, or the request was already used. Please try again.', 'workos' ), 400 );
	}

	/**
	 * A passkey that does not sign anyone in: one answer whatever the
	 * reason (unknown credential, bad signature, cloned authenticator,
	 * unlinked account); the reason goes to the activity log.
	 *
	 * @param string $reason  Why.
	 * @param int    $user_id Whose credential, when known.
	 */
	private static function failed( string $reason, int $user_id = 0 ): \WP_Error {
		Log::event(
			'login_denied',
			array_filter(
				array(
					'reason'  => 'passkey_' . $reason,
					'method'  => 'passkey',
					'user_id' => $user_id,
				)
			)
		);
		return AuthError::make( 'workos_authkit_passkey_failed', __( 'This passkey cannot be used to sign in here. Try another sign-in method.', 'workos' ), 401 );
	}

	/**
	 * The extension refused the site's own setup (e.g. not HTTPS).
	 *
	 * @param \WorkOS\Native\Exception $e The failure.
	 */
	private static function unavailable( \WorkOS\Native\Exception $e ): \WP_Error {
		Log::event( 'passkey_unavailable', array( 'detail' => $e->getMessage() ) );
		return AuthError::make( 'workos_passkey_unavailable', __( 'Passkeys are not available on this site right now. Please contact your site administrator.', 'workos' ), 503 );
	}

	/**
	 * A JSON answer that no cache keeps.
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
