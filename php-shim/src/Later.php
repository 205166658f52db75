<?php
/**
 * Work that must not keep a visitor waiting: run after the response is sent.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP;

defined( 'ABSPATH' ) || exit;

/**
 * Runs callbacks once the response has left (php-fpm, LiteSpeed), or at the
 * end of the request elsewhere. Callers that must survive a dying PHP store
 * their work first (ledger, audit queue) and let WP-Cron retry it.
 */
final class Later {

	/**
	 * Queued callbacks, by key (one run per key and request).
	 *
	 * @var array<string, callable>
	 */
	private static $queue = array();

	/**
	 * Runs `$callback` after the response.
	 *
	 * @param string   $key      Deduplication key.
	 * @param callable $callback Work.
	 */
	public static function run( string $key, callable $callback ): void {
		if ( ! self::$queue ) {
			add_action( 'shutdown', array( self::class, 'drain' ), 1 );
		}
		self::$queue[ $key ] = $callback;
	}

	/**
	 * Whether this server can send the response before the work runs
	 * (php-fpm, LiteSpeed); elsewhere the work would delay the visitor.
	 */
	public static function answers_first(): bool {
		return function_exists( 'fastcgi_finish_request' ) || function_exists( 'litespeed_finish_request' );
	}

	/**
	 * shutdown: finish the response, then do the work.
	 */
	public static function drain(): void {
		if ( function_exists( 'fastcgi_finish_request' ) ) {
			fastcgi_finish_request();
		} elseif ( function_exists( 'litespeed_finish_request' ) ) {
			litespeed_finish_request();
		}
		$queue       = self::$queue;
		self::$queue = array();
		foreach ( $queue as $callback ) {
			try {
				$callback();
			} catch ( \Throwable $e ) {
				// Nobody is listening any more; the stored work will be retried.
				Log::event( 'deferred_failed', array( 'reason' => $e->getMessage() ) );
			}
		}
	}
}
