<?php
/**
 * One account at a time: a named MariaDB/MySQL lock (GET_LOCK) per account,
 * so parallel requests about the same person — first sign-ins in several
 * browsers, a webhook and a sign-in, a directory event — run their
 * find-link-or-create and their session writes one after the other.
 *
 * A named lock lives in the database server, not in PHP, so it serialises
 * every web node that shares the database, and the server drops it when the
 * connection ends (a killed worker cannot leave it behind).
 *
 * Taken by Users::resolve() (every sign-in, the CLI), around session
 * writes by Sessions, and by Events::process() before the transaction of an
 * event that may create or link someone.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Users;

use WorkOS_WP\Log;

defined( 'ABSPATH' ) || exit;

/**
 * Per-account mutual exclusion across requests and web nodes.
 */
final class AccountLock {

	/** Seconds to wait for another request holding the same account. */
	public const TIMEOUT = 15;

	/**
	 * Locks this connection holds: name => how many times taken.
	 *
	 * @var array<string, int>
	 */
	private static $held = array();

	/**
	 * Runs `$work` while holding the lock of `$account`.
	 *
	 * @param string   $account What is locked: see email() and user().
	 * @param callable $work    The critical section.
	 * @return mixed `$work`'s result, or a WP_Error when the lock could not be had.
	 */
	public static function run( string $account, callable $work ) {
		if ( '' === $account ) {
			return $work(); // Nobody to lock out: nothing to serialise on.
		}
		if ( ! self::acquire( $account ) ) {
			Log::event( 'account_busy', array( 'lock' => self::name( $account ) ) );
			return new \WP_Error( 'account_busy', __( 'Your account is being signed in elsewhere at this very moment. Please try again in a few seconds.', 'workos' ), array( 'status' => 503 ) );
		}
		try {
			return $work();
		} finally {
			self::release( $account );
		}
	}

	/**
	 * The lock of everyone whose address is `$email`: the canonical form, so
	 * case variants share it.
	 *
	 * @param string $email Email address.
	 */
	public static function email( string $email ): string {
		if ( '' === trim( $email ) ) {
			return '';
		}
		// An address without a key links nobody; it still gets a lock of its
		// own, by its lower-cased text.
		$canonical = (string) EmailKey::of( $email );
		return 'email:' . ( '' !== $canonical ? $canonical : strtolower( trim( $email ) ) );
	}

	/**
	 * The lock of one WordPress user (its sessions).
	 *
	 * @param int $user_id User id.
	 */
	public static function user( int $user_id ): string {
		return 'user:' . $user_id;
	}

	/**
	 * Takes the lock (re-entrant within one request).
	 *
	 * @param string $account Account lock key.
	 */
	public static function acquire( string $account ): bool {
		global $wpdb;
		$name = self::name( $account );
		if ( isset( self::$held[ $name ] ) ) {
			++self::$held[ $name ];
			return true;
		}
		$got = $wpdb->get_var( $wpdb->prepare( 'SELECT GET_LOCK(%s, %d)', $name, self::TIMEOUT ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		if ( '1' !== (string) $got ) {
			return false;
		}
		self::$held[ $name ] = 1;
		return true;
	}

	/**
	 * Gives the lock back. Inside a transaction (webhook events are applied
	 * in one) what was written is not visible to others until COMMIT, so the
	 * lock is kept until the end of the request instead (the server frees it
	 * with the connection, and release_all() at shutdown).
	 *
	 * @param string $account Account lock key.
	 */
	public static function release( string $account ): void {
		global $wpdb;
		$name = self::name( $account );
		if ( '' === $account || ! isset( self::$held[ $name ] ) ) {
			return;
		}
		if ( --self::$held[ $name ] > 0 ) {
			return;
		}
		if ( '1' === (string) $wpdb->get_var( 'SELECT @@in_transaction' ) ) { // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			self::$held[ $name ] = 1;
			if ( ! has_action( 'shutdown', array( self::class, 'release_all' ) ) ) {
				add_action( 'shutdown', array( self::class, 'release_all' ), 0 );
			}
			return;
		}
		unset( self::$held[ $name ] );
		$wpdb->query( $wpdb->prepare( 'DO RELEASE_LOCK(%s)', $name ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
	}

	/**
	 * Takes the lock of `$account` for the rest of the request: for work in
	 * a transaction (webhook events), whose writes others see only after
	 * COMMIT. Call it before the transaction's first read, so that read sees
	 * what the previous holder committed.
	 *
	 * @param string $account Account lock key ('' = nothing to lock).
	 * @throws \RuntimeException When another request holds it too long (the event is retried later).
	 */
	public static function hold( string $account ): void {
		if ( '' === $account ) {
			return;
		}
		if ( ! self::acquire( $account ) ) {
			throw new \RuntimeException( 'account busy: ' . self::name( $account ) );
		}
		if ( ! has_action( 'shutdown', array( self::class, 'release_all' ) ) ) {
			add_action( 'shutdown', array( self::class, 'release_all' ), 0 );
		}
	}

	/**
	 * Gives back every lock still held (shutdown, or after a COMMIT).
	 */
	public static function release_all(): void {
		global $wpdb;
		foreach ( array_keys( self::$held ) as $name ) {
			$wpdb->query( $wpdb->prepare( 'DO RELEASE_LOCK(%s)', $name ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		}
		self::$held = array();
	}

	/**
	 * The server-wide lock name: named locks are shared by every database on
	 * the server, so the name carries this site's database and table prefix;
	 * hashed, because a name is at most 64 characters.
	 *
	 * @param string $account Account lock key.
	 */
	private static function name( string $account ): string {
		global $wpdb;
		return 'workos:' . substr( hash( 'sha256', DB_NAME . '|' . $wpdb->base_prefix . '|' . $account ), 0, 48 );
	}
}
