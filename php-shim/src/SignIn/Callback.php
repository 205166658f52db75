<?php
/**
 * /workos/callback: finish an AuthKit sign-in.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\SignIn;

use WorkOS_WP\Api;
use WorkOS_WP\Log;
use WorkOS_WP\Net;
use WorkOS_WP\Settings;
use WorkOS_WP\Throttle;
use function WorkOS_WP\extension_ready;

defined( 'ABSPATH' ) || exit;

/**
 * Exchanges the code, finds or creates the user, signs them in.
 */
final class Callback {

	/** The rate limit failed callbacks count against: failed sign-ins per client IP. */
	public const RATE_RULE = 'login_ip';

	/**
	 * OAuth error codes WorkOS may send back (RFC 6749 4.1.2.1) and whose
	 * move the next one is: `retry` the visitor's later, `admin` only the
	 * site administrator can fix it, `again` the visitor may simply start
	 * over. Any other code is unknown (or forged) and gets the generic text.
	 */
	private const PROVIDER_ERRORS = array(
		'access_denied'             => 'again',
		'login_required'            => 'again',
		'interaction_required'      => 'again',
		'server_error'              => 'retry',
		'temporarily_unavailable'   => 'retry',
		'invalid_request'           => 'admin',
		'unauthorized_client'       => 'admin',
		'unsupported_response_type' => 'admin',
		'invalid_scope'             => 'admin',
		'invalid_client'            => 'admin',
	);

	/** The response header carrying the machine-readable reason (for support tools and tests; never shown). */
	public const ERROR_HEADER = 'X-WorkOS-Error';

	/** Failures that say nothing about the visitor, so they are not counted. */
	private const NOT_COUNTED = array( 'not_configured', 'workos_unreachable', 'too_many_attempts' );

	/**
	 * Whether this request is for the callback path (cheap: string compare).
	 */
	public static function is_callback_request(): bool {
		$uri      = isset( $_SERVER['REQUEST_URI'] ) ? (string) $_SERVER['REQUEST_URI'] : ''; // phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized
		$path     = (string) wp_parse_url( $uri, PHP_URL_PATH );
		$expected = (string) wp_parse_url( home_url( \WorkOS_WP\CALLBACK_PATH ), PHP_URL_PATH );
		return untrailingslashit( $path ) === untrailingslashit( $expected );
	}

	/**
	 * Handles the callback and never returns, unless the sign-in goes on
	 * in the shell's MFA step (shown on wp_loaded).
	 */
	public static function handle(): void {
		nocache_headers();
		if ( ! extension_ready() || ! Settings::is_configured() ) {
			self::fail( 'not_configured', __( 'Single sign-on is not set up on this site yet. Please contact your site administrator.', 'workos' ), 503 );
		}
		// Anyone can call this URL, and each call with a state this site issued
		// costs a WorkOS request and a database write. A client over its limit
		// of failed sign-ins is turned away first: nothing is asked of WorkOS,
		// nothing is written, and WordPress's hooks (Audit Logs) see nothing.
		$wait = Throttle::wait( self::RATE_RULE, Net::client_ip() );
		if ( $wait > 0 ) {
			$refusal = Throttle::error( $wait );
			if ( ! headers_sent() ) {
				header( 'Retry-After: ' . $wait );
			}
			self::fail( $refusal->get_error_code(), $refusal->get_error_message(), 429, false );
		}
		// phpcs:disable WordPress.Security.NonceVerification.Recommended -- the signed state is this flow's nonce.
		$query = wp_unslash( $_GET );
		// phpcs:enable
		if ( isset( $query['error'] ) ) {
			// Anyone can put anything in this URL: the code only chooses one of
			// our sentences, and error_description is never shown.
			self::fail( 'provider_error', self::provider_message( is_string( $query['error'] ) ? $query['error'] : '' ), 400 );
		}
		$code  = isset( $query['code'] ) && is_string( $query['code'] ) ? $query['code'] : '';
		$state = isset( $query['state'] ) && is_string( $query['state'] ) ? $query['state'] : '';
		if ( '' === $code || '' === $state ) {
			self::fail( 'missing_parameters', __( 'The answer from the sign-in page was incomplete, so you were not signed in. Please sign in again.', 'workos' ), 400 );
		}

		if ( ! Flow::bound() ) {
			self::fail( 'no_session', __( 'This sign-in could not be matched to your browser: it was started in another browser, took too long, or cookies are blocked. Allow cookies for this site and sign in again.', 'workos' ), 400 );
		}
		try {
			$verified = Flow::verify( $state );
		} catch ( \WorkOS\Native\StateException $e ) {
			Log::event( 'login_failed', array( 'reason' => 'state: ' . $e->getMessage() ) );
			self::fail( 'invalid_state', __( 'This sign-in link is invalid or has expired. Please sign in again.', 'workos' ), 400 );
		}
		$flow   = is_string( $verified['data']['f'] ?? null ) ? $verified['data']['f'] : '';
		$target = is_string( $verified['data']['r'] ?? null ) ? $verified['data']['r'] : '';
		if ( ! preg_match( '/^[a-f0-9]{32}$/', $flow ) ) {
			self::fail( 'invalid_state', __( 'This sign-in link is invalid or has expired. Please sign in again.', 'workos' ), 400 );
		}
		// Started from a hosted login (Login Profile): its pinned organization
		// and post_login_redirect apply, as they do to its other methods.
		if ( is_string( $verified['data']['p'] ?? null ) ) {
			$target = Hosted\Completion::for_callback( $verified['data']['p'], $target );
		}
		// Single use: a state seen once is refused for the rest of its life.
		if ( ! self::claim_flow( $flow, (int) $verified['expires_at'] ) ) {
			self::fail( 'state_reused', __( 'This sign-in link has already been used. Please sign in again.', 'workos' ), 400 );
		}
		self::schedule_flow_cleanup();

		$verifier = Flow::verifier( $flow );
		// An invitation accepted by a social sign-in (Hosted\InvitationRest::authorize_url()).
		$invite = is_string( $verified['data']['i'] ?? null ) && '' !== $verified['data']['i'] ? $verified['data']['i'] : null;
		$auth   = SignIn::exchange(
			static function () use ( $code, $verifier, $invite ) {
				return Api::client()->authenticateWithCode( $code, $verifier, $invite );
			}
		);
		// A second factor (WorkOS asks, or the profile's `always` policy) continues in the shell's MFA step.
		$mfa = Hosted\Completion::at_callback( is_string( $verified['data']['p'] ?? null ) ? $verified['data']['p'] : null, $target, $auth );
		if ( is_wp_error( $mfa ) ) {
			self::fail( $mfa->get_error_code(), $mfa->get_error_message(), 403 );
		}
		if ( null !== $mfa ) {
			// Shown on wp_loaded, as every shell page is (Hosted\Entry).
			add_action(
				'wp_loaded',
				static function () use ( $mfa, $target ) {
					Hosted\Entry::show_step( $mfa['profile'], $target, Hosted\Completion::STEP_MFA, $mfa['data'] );
				},
				0
			);
			return;
		}
		if ( is_wp_error( $auth ) ) {
			Log::event( 'login_failed', array( 'reason' => 'code exchange: ' . $auth->get_error_code() ) );
			$status = array(
				'workos_unreachable'              => 502,
				'pinned_org_mismatch'             => 403,
				'organization_selection_required' => 403,
			)[ $auth->get_error_code() ] ?? 400;
			self::fail( $auth->get_error_code(), $auth->get_error_message(), $status );
		}

		$user = SignIn::complete( $auth, 'authkit' );
		if ( is_wp_error( $user ) ) {
			self::fail( $user->get_error_code(), $user->get_error_message(), 403 );
		}

		// The flow is spent: its cookie goes before the session cookie comes.
		Flow::clear();
		SignIn::finish( $user, $target );
	}

	/**
	 * The sentence for an OAuth error code WorkOS sent back (or someone put
	 * in the URL): chosen by the code, never built from it.
	 *
	 * @param string $error The `error` query parameter.
	 */
	private static function provider_message( string $error ): string {
		switch ( self::PROVIDER_ERRORS[ $error ] ?? '' ) {
			case 'again':
				return __( 'Signing in was cancelled or not completed, so you were not signed in. You can sign in again whenever you are ready.', 'workos' );
			case 'retry':
				return __( 'WorkOS could not sign you in right now. Please try again in a few minutes.', 'workos' );
			case 'admin':
				return __( 'Single sign-on is not set up correctly on this site, so you could not be signed in. Please contact your site administrator.', 'workos' );
			default:
				return __( 'WorkOS could not sign you in. Please sign in again; if this keeps happening, contact your site administrator.', 'workos' );
		}
	}

	/**
	 * Marks a flow as used; false when it already was. INSERT IGNORE on the
	 * options table's unique key makes this atomic even across web nodes.
	 *
	 * @param string $flow       Flow id.
	 * @param int    $expires_at When the state expires.
	 */
	private static function claim_flow( string $flow, int $expires_at ): bool {
		global $wpdb;
		$inserted = $wpdb->query( $wpdb->prepare( "INSERT IGNORE INTO {$wpdb->options} (option_name, option_value, autoload) VALUES (%s, %s, 'no')", 'workos_flow_used_' . $flow, (string) $expires_at ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		return 1 === $inserted;
	}

	/**
	 * Used-flow markers expire with their state; prune them now and then.
	 */
	private static function schedule_flow_cleanup(): void {
		// 1 in 20 sign-ins sweeps markers older than a flow's lifetime.
		if ( 0 !== wp_rand( 0, 19 ) ) {
			return;
		}
		global $wpdb;
		$rows = $wpdb->get_results( $wpdb->prepare( "SELECT option_name, option_value FROM {$wpdb->options} WHERE option_name LIKE %s LIMIT 500", $wpdb->esc_like( 'workos_flow_used_' ) . '%' ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		foreach ( $rows as $row ) {
			if ( (int) $row->option_value < time() ) {
				delete_option( $row->option_name );
			}
		}
	}

	/**
	 * Shows a clear error page and stops. The failure counts against the
	 * client's address unless it is not theirs (or already a refusal).
	 * The visitor reads the sentence and the ways on; the code goes in the
	 * ERROR_HEADER only (the activity log has the detail for administrators).
	 *
	 * @param string $code    Machine-readable reason.
	 * @param string $message What the visitor reads: a sentence with the next step.
	 * @param int    $status  HTTP status.
	 * @param bool   $count   Whether this failure counts towards the rate limit.
	 * @return never
	 */
	private static function fail( string $code, string $message, int $status, bool $count = true ): void {
		if ( $count && ! in_array( $code, self::NOT_COUNTED, true ) && extension_ready() ) {
			Throttle::fail( self::RATE_RULE, Net::client_ip() );
		}
		if ( ! headers_sent() ) {
			header( self::ERROR_HEADER . ': ' . sanitize_key( $code ) );
		}
		$site = wp_specialchars_decode( (string) get_bloginfo( 'name' ), ENT_QUOTES );
		$ways = sprintf(
			'<p class="workos-next" style="display:flex;flex-wrap:wrap;gap:8px"><a class="button button-primary" href="%1$s">%2$s</a> <a class="button" href="%3$s">%4$s</a></p>',
			esc_url( wp_login_url() ),
			esc_html__( 'Sign in again', 'workos' ),
			esc_url( home_url( '/' ) ),
			/* translators: %s: site title. */
			esc_html( '' !== $site ? sprintf( __( 'Go to %s', 'workos' ), $site ) : __( 'Go to the home page', 'workos' ) )
		);
		wp_die(
			'<h1>' . esc_html__( 'Sign-in failed', 'workos' ) . '</h1><p>' . esc_html( $message ) . '</p>' . $ways, // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- built from escaped parts above.
			esc_html__( 'Sign-in failed', 'workos' ),
			array( 'response' => $status )
		);
		exit;
	}
}
