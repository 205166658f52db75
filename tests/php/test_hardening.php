<?php
/**
 * Issue 8, finding 17, through PHP: API path segments that navigate are
 * refused before anything is sent, a failed JWKS fetch is not repeated at
 * once (negative cache), and the JWKS file cache needs a real site secret.
 */

/** check(), same(), throws(), finish(): assertions that need only PHP and the extension. */
require __DIR__ . '/assert.php';

use WorkOS\Native\Client;
use WorkOS\Native\InvalidArgumentException;
use WorkOS\Native\TokenException;

// Nothing listens on port 9: a request that were sent would fail as transport_error.
$options = array(
	'api_key'         => 'sk_test_hardening',
	'client_id'       => 'client_hardening_' . getmypid() . '_' . mt_rand(),
	'base_url'        => 'http://127.0.0.1:9',
	'timeout'         => 1,
	'connect_timeout' => 0.5,
	'max_retries'     => 0,
);
$client  = new Client( $options );

foreach ( array( '..', '.', '%2e%2E', '%2E.', '%252e%252e', '../organizations', "user\0" ) as $segment ) {
	throws( InvalidArgumentException::class, fn() => $client->getUser( $segment ), 'getUser(' . json_encode( $segment ) . ')', 'path segment' );
	throws( InvalidArgumentException::class, fn() => $client->getOrganization( $segment ), 'getOrganization(' . json_encode( $segment ) . ')', 'path segment' );
}
throws( InvalidArgumentException::class, fn() => new Client( array( 'client_id' => '..' ) + $options ), 'a client id that navigates' );

// The first verification tries WorkOS; the next ones within 10 s do not.
$token = rtrim( strtr( base64_encode( '{"alg":"RS256","kid":"k1"}' ), '+/', '-_' ), '=' ) . '.e30.AAAA';
$first = thrown( fn() => $client->verifyAccessToken( $token ) );
check( $first instanceof TokenException && 'jwks_unavailable' === $first->getReason(), 'no JWKS: ' . ( $first ? $first->getMessage() : 'none' ) );
$started = microtime( true );
$second  = thrown( fn() => $client->verifyAccessToken( $token ) );
check( $second instanceof TokenException && 'jwks_unavailable' === $second->getReason(), 'still no JWKS' );
check( $second && false !== strpos( $second->getMessage(), 'not retried' ), 'the second attempt fails fast: ' . ( $second ? $second->getMessage() : '' ) );
check( microtime( true ) - $started < 0.05, 'without waiting for the network' );

throws( InvalidArgumentException::class, fn() => new Client( array( 'jwks_cache_secret' => 'short' ) + $options ), 'a weak cache secret', '16 bytes' );
same( null, Client::jwksCacheDirProblem( sys_get_temp_dir() . '/workos-jwks-php-test-' . getmypid() ), 'a new private directory is fine' );
check( null !== Client::jwksCacheDirProblem( sys_get_temp_dir() ), 'the shared temp dir is refused' );
check( null !== Client::jwksCacheDirProblem( 'relative/dir' ), 'a relative path is refused' );
@rmdir( sys_get_temp_dir() . '/workos-jwks-php-test-' . getmypid() );

finish();
