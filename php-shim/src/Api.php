<?php
/**
 * The extension's WorkOS client, configured from the settings.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP;

defined( 'ABSPATH' ) || exit;

/**
 * Builds one client per request; its HTTP connections are pooled by the
 * extension for the life of the PHP worker.
 */
final class Api {

	/**
	 * The client of this request.
	 *
	 * @var \WorkOS\Native\Client|null
	 */
	private static $client = null;

	/**
	 * The configured client.
	 *
	 * @throws \WorkOS\Native\Exception When the settings are not usable.
	 */
	public static function client(): \WorkOS\Native\Client {
		if ( null === self::$client ) {
			self::$client = new \WorkOS\Native\Client(
				array(
					'api_key'        => Settings::get( 'api_key' ),
					'client_id'      => Settings::get( 'client_id' ),
					'base_url'       => Settings::get( 'api_base_url' ),
					'timeout'        => 10,
					// Per-host JWKS cache that outlives PHP workers.
					'jwks_cache_dir' => self::jwks_cache_dir(),
				)
			);
		}
		return self::$client;
	}

	/**
	 * Where the per-host JWKS cache lives: WORKOS_JWKS_CACHE_DIR, or the
	 * system temp dir.
	 */
	private static function jwks_cache_dir(): string {
		if ( defined( 'WORKOS_JWKS_CACHE_DIR' ) && '' !== (string) WORKOS_JWKS_CACHE_DIR ) {
			return untrailingslashit( (string) WORKOS_JWKS_CACHE_DIR );
		}
		return untrailingslashit( get_temp_dir() ) . '/workos-jwks';
	}

	/**
	 * The URL WorkOS sends visitors back to.
	 */
	public static function callback_url(): string {
		return home_url( Callback::PATH );
	}
}
