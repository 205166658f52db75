<?php
/**
 * POST /wp-json/workos/v1/webhook
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP;

defined( 'ABSPATH' ) || exit;

/**
 * Receives signed WorkOS events.
 */
final class Webhook {

	public const REST_NAMESPACE = 'workos/v1';

	/**
	 * Registers the route (only runs on REST requests).
	 */
	public static function register_routes(): void {
		register_rest_route(
			self::REST_NAMESPACE,
			'/webhook',
			array(
				'methods'             => 'POST',
				'callback'            => array( self::class, 'receive' ),
				// The signature is the authentication; it is checked in receive().
				'permission_callback' => '__return_true',
			)
		);
	}

	/**
	 * Verifies and applies one delivery.
	 *
	 * @param \WP_REST_Request $request The request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public static function receive( \WP_REST_Request $request ) {
		if ( ! extension_ready() ) {
			return new \WP_Error( 'workos_extension_missing', __( 'The workos PHP extension is not loaded.', 'workos' ), array( 'status' => 503 ) );
		}
		$secret = Settings::get( 'webhook_secret' );
		if ( '' === $secret ) {
			return new \WP_Error( 'workos_webhook_not_configured', __( 'No webhook secret is configured.', 'workos' ), array( 'status' => 503 ) );
		}
		try {
			$event = \WorkOS\Native\Webhook::verify(
				$request->get_body(),
				(string) $request->get_header( 'workos-signature' ),
				$secret
			);
		} catch ( \WorkOS\Native\SignatureException $e ) {
			Log::event( 'webhook_rejected', array( 'reason' => $e->getMessage() ) );
			return new \WP_Error( 'workos_invalid_signature', $e->getMessage(), array( 'status' => 401 ) );
		}

		$type = is_string( $event['event'] ?? null ) ? $event['event'] : '';
		$data = is_array( $event['data'] ?? null ) ? $event['data'] : array();
		if ( '' === $type ) {
			return new \WP_Error( 'workos_invalid_event', __( 'The event has no type.', 'workos' ), array( 'status' => 400 ) );
		}

		$outcome = 'ignored';
		if ( 'user.updated' === $type ) {
			$result  = Users::sync( $data );
			$outcome = null === $result ? 'no_linked_user' : ( is_wp_error( $result ) ? $result->get_error_code() : 'updated' );
		}
		Log::event(
			'webhook',
			array(
				'event'   => $type,
				'id'      => is_string( $event['id'] ?? null ) ? $event['id'] : '',
				'outcome' => $outcome,
			)
		);

		// WorkOS retries anything but 2xx; an event we cannot apply will not
		// get better by retrying, so it is acknowledged with its outcome.
		return new \WP_REST_Response(
			array(
				'received' => true,
				'event'    => $type,
				'outcome'  => $outcome,
			),
			200
		);
	}
}
