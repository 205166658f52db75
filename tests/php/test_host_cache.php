<?php
/**
 * The per-host cache (crates/workos-core/src/host_cache.rs) through PHP: a SQLite database in the
 * private cache directory, shared by every client (and every worker) of the site. A failed fetch
 * is remembered there, so another client fails fast instead of asking WorkOS again; the cached
 * organization list is one of its users.
 */

/** check(), same(), throws(), finish(): assertions that need only PHP and the extension. */
require __DIR__ . '/assert.php';

use WorkOS\Native\ApiException;
use WorkOS\Native\Client;
use WorkOS\Native\InvalidArgumentException;
use WorkOS\Native\TokenException;

$dir     = sys_get_temp_dir() . '/workos-host-cache-php-' . getmypid() . '-' . mt_rand();
$options = array(
	'api_key'           => 'sk_test_host_cache',
	'client_id'         => 'client_host_cache_' . getmypid() . '_' . mt_rand(),
	// Nothing listens on port 9: every fetch fails at once.
	'base_url'          => 'http://127.0.0.1:9',
	'timeout'           => 1,
	'connect_timeout'   => 0.5,
	'max_retries'       => 0,
	'jwks_cache_dir'    => $dir,
	'jwks_cache_secret' => str_repeat( 'k', 32 ),
);

$first = thrown( fn() => ( new Client( $options ) )->listOrganizationsCached() );
check( $first instanceof ApiException && ( ! method_exists( $first, 'isTransient' ) || $first->isTransient() ), 'WorkOS unreachable: ' . ( $first ? get_class( $first ) . ' ' . $first->getMessage() : 'none' ) );
$db = $dir . '/host-cache.sqlite3';
check( is_file( $db ), 'the cache is a SQLite database in the directory' );
same( 0600, fileperms( $db ) & 0777, 'the database is private' );
same( 0700, fileperms( $dir ) & 0777, 'so is its directory' );

// Another client, as another worker would be: the failure is remembered, WorkOS is not asked.
$started = microtime( true );
$second  = thrown( fn() => ( new Client( $options ) )->listOrganizationsCached() );
check( $second instanceof ApiException && false !== strpos( $second->getMessage(), 'not retried' ), 'fails fast: ' . ( $second ? $second->getMessage() : 'none' ) );
check( microtime( true ) - $started < 0.05, 'without waiting for the network' );

// The JWKS of Bearer verification lives there too, with its own negative cache.
$token = rtrim( strtr( base64_encode( '{"alg":"RS256","kid":"k1"}' ), '+/', '-_' ), '=' ) . '.e30.AAAA';
$e     = thrown( fn() => ( new Client( $options ) )->verifyAccessToken( $token ) );
check( $e instanceof TokenException && 'jwks_unavailable' === $e->getReason(), 'no JWKS' );
$e = thrown( fn() => ( new Client( $options ) )->verifyAccessToken( $token ) );
check( $e instanceof TokenException && false !== strpos( $e->getMessage(), 'not retried' ), 'the JWKS failure is remembered: ' . ( $e ? $e->getMessage() : 'none' ) );

throws( InvalidArgumentException::class, fn() => ( new Client( $options ) )->listOrganizationsCached( array(), 1000, 0 ), 'a ttl of 0', 'ttl' );
throws( InvalidArgumentException::class, fn() => ( new Client( $options ) )->listOrganizationsCached( array(), 0 ), 'max 0', 'max' );
// Forgetting is always possible (a new generation), even with WorkOS down.
( new Client( $options ) )->forgetCachedOrganizations();
check( true, 'forgetCachedOrganizations()' );

// A directory opened to others is not used: the same policy then runs per process.
$open = $dir . '-open';
mkdir( $open, 0777 );
chmod( $open, 0777 );
$e = thrown( fn() => ( new Client( array( 'jwks_cache_dir' => $open ) + $options ) )->listOrganizationsCached() );
check( $e instanceof ApiException, 'still answers' );
same( array( '.', '..' ), scandir( $open ), 'nothing written to an open directory' );

foreach ( glob( $dir . '/*' ) as $f ) {
	unlink( $f );
}
rmdir( $dir );
rmdir( $open );
finish();
