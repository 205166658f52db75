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
					'api_key'           => Settings::get( 'api_key' ),
					'client_id'         => Settings::get( 'client_id' ),
					'base_url'          => Settings::get( 'api_base_url' ),
					'timeout'           => 10,
					// Per-host JWKS cache that outlives PHP workers. The extension
					// uses it only in a private (0700) directory of the PHP user and
					// only for entries authenticated with the site secret, so keys
					// planted by another local user are ignored.
					'jwks_cache_dir'    => self::jwks_cache_dir(),
				)
				// Extension builds older than this plugin know no cache secret.
				+ ( method_exists( \WorkOS\Native\Client::class, 'jwksCacheDirProblem' )
					? array( 'jwks_cache_secret' => self::site_secret( 'jwks-cache' ) )
					: array() )
			);
		}
		return self::$client;
	}

	/**
	 * A secret of this site for one purpose: derived from the auth salt
	 * (AUTH_KEY/AUTH_SALT), so it is as private as the login cookies and
	 * distinct for every use.
	 *
	 * @param string $purpose What the secret is for.
	 */
	public static function site_secret( string $purpose ): string {
		return hash_hmac( 'sha256', 'workos|' . $purpose, wp_salt( 'auth' ) );
	}

	/**
	 * Where the per-host JWKS cache lives: WORKOS_JWKS_CACHE_DIR, or a
	 * directory of the system temp dir whose name is derived from the site
	 * secret (so another local user cannot create it first).
	 */
	public static function jwks_cache_dir(): string {
		$dir = Settings::get( 'jwks_cache_dir' );
		if ( '' !== $dir ) {
			return untrailingslashit( $dir );
		}
		return untrailingslashit( get_temp_dir() ) . '/workos-jwks-' . substr( self::site_secret( 'jwks-cache-dir' ), 0, 16 );
	}

	/**
	 * The URL WorkOS sends visitors back to.
	 */
	public static function callback_url(): string {
		return home_url( CALLBACK_PATH );
	}
}
