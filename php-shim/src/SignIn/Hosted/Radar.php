<?php
/**
 * WorkOS Radar in the hosted login: the shell loads Radar's browser SDK when
 * a site key is configured (WORKOS_RADAR_SITE_KEY), every call of the
 * /wp-json/workos/v1/auth/* API carries the SDK's action token in
 * `X-WorkOS-Radar-Action-Token`, and the sign-in grants forward it to WorkOS.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\SignIn\Hosted;

use WorkOS_WP\Settings;

defined( 'ABSPATH' ) || exit;

/**
 * The token is the browser's word, not ours: it is only handed on, for WorkOS
 * to judge (nothing here trusts it), and only in the form WorkOS's
 * authenticate endpoint defines for it — `signals_id`, "an optional Radar
 * signals ID to correlate client-side signals with this authentication
 * attempt" — on the grants whose schema has that field (password and
 * authorization code; the OpenAPI spec gives the code, email-verification,
 * MFA and organization-selection grants no such field). Without a site key
 * nothing loads and nothing is forwarded.
 */
final class Radar {

	/** The request header the shell sends (the reference's). */
	public const HEADER = 'X-WorkOS-Radar-Action-Token';

	/** The SDK the shell loads, and the id of its script element (the reference's). */
	public const SDK_URL   = 'https://radar.workos.com/v1/radar.js';
	public const SCRIPT_ID = 'workos-radar-sdk';

	/** Longest token forwarded (the reference's limit). */
	public const MAX_TOKEN = 2048;

	/** The grants of POST /user_management/authenticate whose schema has `signals_id`. */
	private const SIGNAL_GRANTS = array( 'password', 'authorization_code' );

	/**
	 * The configured site key ('' = Radar off). A key is an opaque public
	 * identifier; anything but its plain characters is a typo, not a key.
	 */
	public static function site_key(): string {
		$key = Settings::get( 'radar_site_key' );
		return 1 === preg_match( '/^[A-Za-z0-9_.-]{1,200}$/D', $key ) ? $key : '';
	}

	/**
	 * The action token this request carries, '' when Radar is off or the
	 * header is missing, too long or not token-shaped (dropped, not refused:
	 * Radar is advice for WorkOS, a sign-in never depends on the SDK).
	 */
	public static function action_token(): string {
		if ( '' === self::site_key() ) {
			return '';
		}
		$raw = isset( $_SERVER['HTTP_X_WORKOS_RADAR_ACTION_TOKEN'] ) ? (string) $_SERVER['HTTP_X_WORKOS_RADAR_ACTION_TOKEN'] : ''; // phpcs:ignore WordPress.Security.ValidatedSanitizedInput -- checked against a strict token pattern below.
		$raw = trim( $raw );
		if ( '' === $raw || strlen( $raw ) > self::MAX_TOKEN || 1 !== preg_match( '/^[A-Za-z0-9._~+\/=:-]+$/D', $raw ) ) {
			return '';
		}
		return $raw;
	}

	/**
	 * A grant for WorkOS with this request's action token as `signals_id`,
	 * where the grant takes one.
	 *
	 * @param array $grant Grant fields (grant_type, …).
	 * @return array
	 */
	public static function signals( array $grant ): array {
		if ( ! in_array( $grant['grant_type'] ?? '', self::SIGNAL_GRANTS, true ) || isset( $grant['signals_id'] ) ) {
			return $grant;
		}
		$token = self::action_token();
		if ( '' !== $token ) {
			$grant['signals_id'] = $token;
		}
		return $grant;
	}
}
