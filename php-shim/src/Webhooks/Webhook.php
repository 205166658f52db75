<?php
/**
 * POST /wp-json/workos/v1/webhook
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Webhooks;

use WorkOS_WP\Later;
use WorkOS_WP\Log;
use WorkOS_WP\Net;
use WorkOS_WP\Schema;
use WorkOS_WP\Settings;
use WorkOS_WP\Throttle;
use function WorkOS_WP\extension_ready;

defined( 'ABSPATH' ) || exit;

/**
 * Receives signed WorkOS events. Answers as the reference plugin does
 * (REFERENCE-API §6.4: 200 `{"ok": true}`, 400 `{"error": "Invalid event
 * payload"}`), with our own fields beside: `received`, `event` and the
 * `outcome` (or `duplicate`) of exactly-once processing.
 */
final class Webhook {

	public const REST_NAMESPACE = 'workos/v1';

	/**
	 * The largest delivery accepted (1 MiB, as the extension's own limit).
	 * WorkOS events are a few KiB; anything bigger is refused before it is
	 * verified, decoded or stored.
	 */
	public const MAX_BODY_BYTES = 1048576;

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
		// Size first: an oversized body costs no HMAC, no JSON decoding and no
		// database write.
		$body = $request->get_body();
		if ( strlen( $body ) > self::MAX_BODY_BYTES || (int) $request->get_header( 'content-length' ) > self::MAX_BODY_BYTES ) {
			return new \WP_Error( 'workos_payload_too_large', __( 'The webhook delivery is larger than 1 MiB.', 'workos' ), array( 'status' => 413 ) );
		}
		if ( ! extension_ready() ) {
			return new \WP_Error( 'workos_extension_missing', __( 'The workos PHP extension is not loaded.', 'workos' ), array( 'status' => 503 ) );
		}
		$secret = Settings::get( 'webhook_secret' );
		if ( '' === $secret ) {
			return new \WP_Error( 'workos_webhook_not_configured', __( 'No webhook secret is configured.', 'workos' ), array( 'status' => 503 ) );
		}
		// The signature is checked first, whoever sends: a delivery WorkOS
		// signed is never refused because someone else, maybe from the same
		// address (a proxy, a NAT), sent bad ones. One call verifies it and
		// reads what orders the event.
		try {
			$delivery = \WorkOS\Native\Webhook::verifyEvent(
				$body,
				(string) $request->get_header( 'workos-signature' ),
				$secret
			);
		} catch ( \WorkOS\Native\SignatureException $e ) {
			// Only the record of failures is throttled, so a sender of bad
			// signatures cannot fill the activity log: past the limit it gets a
			// 429 that costs one read and writes nothing.
			$sender = Net::client_ip();
			if ( Throttle::wait( 'webhook_rejected', $sender ) > 0 ) {
				return new \WP_Error( 'workos_rate_limited', __( 'Too many deliveries with a bad signature from this address.', 'workos' ), array( 'status' => 429 ) );
			}
			Throttle::fail( 'webhook_rejected', $sender );
			Log::event( 'webhook_rejected', array( 'reason' => $e->getMessage() ) );
			return new \WP_Error( 'workos_invalid_signature', $e->getMessage(), array( 'status' => 401 ) );
		} catch ( \WorkOS\Native\Exception $e ) {
			// Signed by WorkOS, but without what orders it: retrying will not help.
			return self::invalid_payload( $e->getMessage() );
		}
		$event = $delivery['event'];
		$info  = $delivery['info'];

		Schema::ensure();
		try {
			$fresh = Ledger::claim( $info, $body );
		} catch ( \RuntimeException $e ) {
			// Not recorded, so not acknowledged: WorkOS will deliver it again.
			return new \WP_Error( 'workos_ledger_unavailable', __( 'The event could not be recorded; please retry.', 'workos' ), array( 'status' => 503 ) );
		}
		if ( ! $fresh ) {
			return new \WP_REST_Response(
				array(
					'ok'        => true,
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
			Later::run( 'ledger_recover', array( Events::class, 'recover' ) );
		}

		// WorkOS retries anything but 2xx; an event we cannot apply will not
		// get better by retrying, so it is acknowledged with its outcome (and
		// one that failed for a passing reason is retried from the ledger).
		return new \WP_REST_Response(
			array(
				'ok'       => true,
				'received' => true,
				'event'    => $info['event'],
				'outcome'  => $outcome,
			),
			200
		);
	}

	/**
	 * The 400 for a signed delivery that is not an event we can apply. Its
	 * body carries both shapes: the reference plugin's `{"error": "Invalid
	 * event payload"}` (what senders written against it look for) and
	 * WordPress's REST error (`code`, `message`, `data.status`) that says
	 * what is missing.
	 *
	 * @param string $why What the event lacks.
	 */
	private static function invalid_payload( string $why ): \WP_REST_Response {
		return new \WP_REST_Response(
			array(
				'error'   => 'Invalid event payload',
				'code'    => 'workos_invalid_event',
				'message' => $why,
				'data'    => array( 'status' => 400 ),
			),
			400
		);
	}
}
