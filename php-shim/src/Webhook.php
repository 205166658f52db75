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
		// A sender of bad signatures is slowed down before it can fill the
		// activity log; WorkOS itself never sends one unless the secret is wrong.
		$sender = Net::client_ip();
		$wait   = Throttle::wait( 'webhook_rejected', $sender );
		if ( $wait > 0 ) {
			return new \WP_Error( 'workos_rate_limited', __( 'Too many deliveries with a bad signature from this address.', 'workos' ), array( 'status' => 429 ) );
		}
		try {
			$event = \WorkOS\Native\Webhook::verify(
				$request->get_body(),
				(string) $request->get_header( 'workos-signature' ),
				$secret
			);
		} catch ( \WorkOS\Native\SignatureException $e ) {
			Throttle::fail( 'webhook_rejected', $sender );
			Log::event( 'webhook_rejected', array( 'reason' => $e->getMessage() ) );
			return new \WP_Error( 'workos_invalid_signature', $e->getMessage(), array( 'status' => 401 ) );
		}

		try {
			$info = \WorkOS\Native\Webhook::describe( $event );
		} catch ( \WorkOS\Native\Exception $e ) {
			return new \WP_Error( 'workos_invalid_event', $e->getMessage(), array( 'status' => 400 ) );
		}

		Schema::ensure();
		try {
			$fresh = Ledger::claim( $info, $request->get_body() );
		} catch ( \RuntimeException $e ) {
			// Not recorded, so not acknowledged: WorkOS will deliver it again.
			return new \WP_Error( 'workos_ledger_unavailable', __( 'The event could not be recorded; please retry.', 'workos' ), array( 'status' => 503 ) );
		}
		if ( ! $fresh ) {
			return new \WP_REST_Response(
				array(
					'received'  => true,
					'event'     => $info['event'],
					'duplicate' => true,
				),
				200
			);
		}
		$outcome = Events::process( $event, $info );
		// Events whose node died mid-way are picked up by later deliveries too,
		// so recovery does not depend on WP-Cron alone.
		if ( 0 === wp_rand( 0, 49 ) ) {
			Later::run( 'ledger_recover', array( Ledger::class, 'recover' ) );
		}

		// WorkOS retries anything but 2xx; an event we cannot apply will not
		// get better by retrying, so it is acknowledged with its outcome (and
		// one that failed for a passing reason is retried from the ledger).
		return new \WP_REST_Response(
			array(
				'received' => true,
				'event'    => $info['event'],
				'outcome'  => $outcome,
			),
			200
		);
	}
}
