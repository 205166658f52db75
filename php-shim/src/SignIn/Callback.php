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

	public const PATH = \WorkOS_WP\CALLBACK_PATH;

	/** The rate limit failed callbacks count against: failed sign-ins per client IP. */
	public const RATE_RULE = 'login_ip';

	/** Failures that say nothing about the visitor, so they are not counted. */
	private const NOT_COUNTED = array( 'not_configured', 'workos_unreachable', 'too_many_attempts' );

	/**
	 * Whether this request is for the callback path (cheap: string compare).
	 */
	public static function is_callback_request(): bool {
		$uri      = isset( $_SERVER['REQUEST_URI'] ) ? (string) $_SERVER['REQUEST_URI'] : ''; // phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized
		$path     = (string) wp_parse_url( $uri, PHP_URL_PATH );
		$expected = (string) wp_parse_url( home_url( self::PATH ), PHP_URL_PATH );
		return untrailingslashit( $path ) === untrailingslashit( $expected );
	}

	/**
	 * Handles the callback and never returns.
	 */
	public static function handle(): void {
		nocache_headers();
		if ( ! extension_ready() || ! Settings::is_configured() ) {
			self::fail( 'not_configured', __( 'Sign-in through WorkOS is not available on this site.', 'workos' ), 503 );
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
			$detail = isset( $query['error_description'] ) ? sanitize_text_field( (string) $query['error_description'] ) : sanitize_key( (string) $query['error'] );
			self::fail( 'provider_error', __( 'WorkOS could not sign you in: ', 'workos' ) . $detail, 400 );
		}
		$code  = isset( $query['code'] ) && is_string( $query['code'] ) ? $query['code'] : '';
		$state = isset( $query['state'] ) && is_string( $query['state'] ) ? $query['state'] : '';
		if ( '' === $code || '' === $state ) {
			self::fail( 'missing_parameters', __( 'The sign-in response is incomplete. Please sign in again.', 'workos' ), 400 );
		}

		if ( ! Flow::bound() ) {
			self::fail( 'no_session', __( 'Your sign-in session has expired or cookies are blocked. Please sign in again.', 'workos' ), 400 );
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
		// Single use: a state seen once is refused for the rest of its life.
		if ( ! self::claim_flow( $flow, (int) $verified['expires_at'] ) ) {
			self::fail( 'state_reused', __( 'This sign-in link has already been used. Please sign in again.', 'workos' ), 400 );
		}
		self::schedule_flow_cleanup();

		$verifier = Flow::verifier( $flow );
		$auth     = SignIn::exchange(
			static function () use ( $code, $verifier ) {
				return Api::client()->authenticateWithCode( $code, $verifier );
			}
		);
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
	 *
	 * @param string $code    Machine-readable reason.
	 * @param string $message What the visitor reads.
	 * @param int    $status  HTTP status.
	 * @param bool   $count   Whether this failure counts towards the rate limit.
	 * @return never
	 */
	private static function fail( string $code, string $message, int $status, bool $count = true ): void {
		if ( $count && ! in_array( $code, self::NOT_COUNTED, true ) && extension_ready() ) {
			Throttle::fail( self::RATE_RULE, Net::client_ip() );
		}
		$args = array(
			'response'  => $status,
			'link_url'  => esc_url( wp_login_url() ),
			'link_text' => esc_html__( 'Sign in again', 'workos' ),
		);
		wp_die(
			'<h1>' . esc_html__( 'Sign-in failed', 'workos' ) . '</h1><p>' . esc_html( $message ) . '</p><p class="workos-error-code">' . esc_html( $code ) . '</p>',
			esc_html__( 'Sign-in failed', 'workos' ),
			$args
		);
		exit;
	}
}
