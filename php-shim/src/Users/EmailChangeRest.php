<?php
/**
 * The change-of-email API: /wp-json/workos/v1/users/{id}/email-change.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Users;

use WorkOS_WP\Net;
use WorkOS_WP\Throttle;
use function WorkOS_WP\extension_ready;

defined( 'ABSPATH' ) || exit;

/**
 * The reference plugin's routes (REFERENCE-API §6.1), WordPress REST cookie
 * authentication (X-WP-Nonce): the signed-in person must be able to edit
 * the account (edit_user) and the `workos_change_email_can_initiate`
 * filter may veto. Confirmation is by the code WorkOS mailed to the new
 * address (`code`), not by a link token.
 *
 *   POST users/{id}/email-change          new_email → code sent (self) or committed (admin on another user)
 *   POST users/{id}/email-change/confirm  code      → committed
 *   POST users/{id}/email-change/cancel             → pending change forgotten
 *
 * Starting is limited per account and per client address (Throttle rules
 * `email_change_user`, `email_change_ip`), codes per account
 * (`email_change_confirm`; WorkOS also gives up after five wrong ones).
 */
final class EmailChangeRest {

	public const NAMESPACE = 'workos/v1';

	/** Longest address accepted (RFC 5321). */
	private const MAX_EMAIL = 254;

	/**
	 * rest_api_init (REST requests under workos/v1/users only).
	 */
	public static function register_routes(): void {
		if ( ! EmailChange::enabled() ) {
			return;
		}
		$routes = array(
			''         => 'start',
			'/confirm' => 'confirm',
			'/cancel'  => 'cancel',
		);
		foreach ( $routes as $suffix => $callback ) {
			register_rest_route(
				self::NAMESPACE,
				'/users/(?P<id>\d+)/email-change' . $suffix,
				array(
					'methods'             => 'POST',
					'callback'            => array( self::class, $callback ),
					'permission_callback' => array( self::class, 'permission' ),
					'args'                => array( 'id' => array( 'sanitize_callback' => 'absint' ) ),
				)
			);
		}
	}

	/**
	 * Signed in, may edit the account, and no filter says no.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return true|\WP_Error
	 */
	public static function permission( \WP_REST_Request $request ) {
		$target  = (int) $request['id'];
		$current = get_current_user_id();
		if ( ! $current || ! current_user_can( 'edit_user', $target ) ) {
			return new \WP_Error( 'workos_forbidden', __( 'You may not change this account\'s email address.', 'workos' ), array( 'status' => $current ? 403 : 401 ) );
		}
		/**
		 * Extra veto on changing an account's email (the reference's filter).
		 *
		 * @param bool $allowed   Whether it may go ahead.
		 * @param int  $target_id The account.
		 * @param int  $current   The signed-in user.
		 */
		if ( ! apply_filters( 'workos_change_email_can_initiate', true, $target, $current ) ) {
			return new \WP_Error( 'workos_forbidden', __( 'You may not change this account\'s email address.', 'workos' ), array( 'status' => 403 ) );
		}
		return true;
	}

	/**
	 * POST users/{id}/email-change.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public static function start( \WP_REST_Request $request ) {
		$user = self::user( $request );
		if ( is_wp_error( $user ) ) {
			return $user;
		}
		$raw   = $request->get_param( 'new_email' );
		$email = is_string( $raw ) && strlen( $raw ) <= self::MAX_EMAIL ? EmailKey::of( trim( $raw ) ) : null;
		if ( null === $email ) {
			return new \WP_Error( 'workos_invalid_email', __( 'Enter a valid email address.', 'workos' ), array( 'status' => 400 ) );
		}
		$current = get_current_user_id();
		// Someone else's address: only an administrator, and then at once. A code sent to an
		// address the asker chose would prove nothing about the account's owner.
		if ( $current !== $user->ID && ! current_user_can( 'edit_users' ) ) {
			return new \WP_Error( 'workos_forbidden', __( 'You may not change this account\'s email address.', 'workos' ), array( 'status' => 403 ) );
		}
		// A new address lets its holder reset the password: not from a session left open or stolen.
		$stale = Reauth::required( $current, __( 'For your security, sign in again before changing an email address.', 'workos' ), admin_url( $current === $user->ID ? 'profile.php' : 'user-edit.php?user_id=' . $user->ID ) );
		if ( $stale ) {
			return $stale;
		}
		if ( $current !== $user->ID ) {
			return self::answer( EmailChange::commit_by_admin( $user, $email, $current ) );
		}
		$limits  = array(
			array( 'email_change_user', (string) $user->ID ),
			array( 'email_change_ip', Net::client_ip() ),
		);
		$limited = self::take( $limits );
		if ( $limited ) {
			return $limited;
		}
		$answer = EmailChange::start( $user, $email, $current );
		if ( is_wp_error( $answer ) || ! empty( $answer['no_op'] ) ) {
			Throttle::refund( $limits ); // Nothing was sent.
		}
		return self::answer( $answer );
	}

	/**
	 * POST users/{id}/email-change/confirm.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public static function confirm( \WP_REST_Request $request ) {
		$user = self::user( $request );
		if ( is_wp_error( $user ) ) {
			return $user;
		}
		$code = $request->get_param( 'code' );
		$code = is_string( $code ) ? preg_replace( '/\s+/', '', $code ) : '';
		if ( ! is_string( $code ) || '' === $code || strlen( $code ) > 64 ) {
			return new \WP_Error( 'workos_invalid_request', __( 'Enter the code sent to the new address.', 'workos' ), array( 'status' => 400 ) );
		}
		$limits  = array( array( 'email_change_confirm', (string) $user->ID ) );
		$limited = self::take( $limits );
		if ( $limited ) {
			return $limited;
		}
		$answer = EmailChange::confirm( $user, $code );
		if ( ! is_wp_error( $answer ) ) {
			Throttle::refund( $limits );
		}
		return self::answer( $answer );
	}

	/**
	 * POST users/{id}/email-change/cancel: `{ok}`, also when nothing was pending.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public static function cancel( \WP_REST_Request $request ) {
		$user = self::user( $request );
		if ( is_wp_error( $user ) ) {
			return $user;
		}
		EmailChange::cancel( $user, 'capability' );
		return self::answer( array( 'ok' => true ) );
	}

	/**
	 * The account the route names: it exists and is linked to a WorkOS user.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_User|\WP_Error
	 */
	private static function user( \WP_REST_Request $request ) {
		if ( ! extension_ready() ) {
			return new \WP_Error( 'workos_unavailable', __( 'WorkOS is not available on this site right now.', 'workos' ), array( 'status' => 503 ) );
		}
		$id = (int) $request['id'];
		if ( $id <= 0 ) {
			return new \WP_Error( 'workos_invalid_user', __( 'No such user.', 'workos' ), array( 'status' => 400 ) );
		}
		$user = get_user_by( 'id', $id );
		if ( ! $user ) {
			return new \WP_Error( 'workos_user_not_found', __( 'No such user.', 'workos' ), array( 'status' => 404 ) );
		}
		if ( '' === EmailChange::linked_id( $user->ID ) ) {
			return new \WP_Error( 'workos_user_not_linked', __( 'This account is not linked to WorkOS: its email address is changed on the profile screen as usual.', 'workos' ), array( 'status' => 409 ) );
		}
		return $user;
	}

	/**
	 * Takes one attempt from each bucket; the 429 answer when one is full.
	 *
	 * @param array $limits [rule, key] pairs.
	 */
	private static function take( array $limits ): ?\WP_Error {
		$wait = Throttle::take( $limits );
		if ( $wait <= 0 ) {
			return null;
		}
		if ( ! headers_sent() ) {
			header( 'Retry-After: ' . $wait );
		}
		return new \WP_Error( 'workos_rate_limited', Throttle::error( $wait )->get_error_message(), array( 'status' => 429, 'retry_after' => $wait ) );
	}

	/**
	 * A result as a never-cached response.
	 *
	 * @param array|\WP_Error $answer The result.
	 * @return \WP_REST_Response|\WP_Error
	 */
	private static function answer( $answer ) {
		if ( is_wp_error( $answer ) ) {
			return $answer;
		}
		$response = new \WP_REST_Response( $answer );
		$response->header( 'Cache-Control', 'no-store, private' );
		return $response;
	}
}
