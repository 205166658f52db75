<?php
/** WorkOS\Native\AccessToken through PHP: the Rust side is crates/workos-core/src/token.rs. */

/** check(), same(), throws(), finish(): assertions that need only PHP and the extension. */
require __DIR__ . '/assert.php';

use WorkOS\Native\AccessToken;
use WorkOS\Native\TokenException;

$fixtures = dirname( __DIR__, 2 ) . '/crates/workos-core/tests/fixtures/';
$jwks     = json_encode( array( 'keys' => array( json_decode( file_get_contents( $fixtures . 'test-jwk.json' ), true ) ) ) );
$private  = openssl_pkey_get_private( file_get_contents( $fixtures . 'test-rsa.pem' ) );
$other    = openssl_pkey_get_private( file_get_contents( $fixtures . 'other-rsa.pem' ) );

/**
 * Base64url without padding, as in a JWT.
 *
 * @param string $s Bytes.
 */
function b64url( string $s ): string {
	return rtrim( strtr( base64_encode( $s ), '+/', '-_' ), '=' );
}

/**
 * Signs a JWT with PHP's own OpenSSL, independently of the extension.
 *
 * @param array                $header Header.
 * @param array                $claims Claims.
 * @param OpenSSLAsymmetricKey $key    Private key.
 */
function jwt( array $header, array $claims, $key ): string {
	$input = b64url( json_encode( $header ) ) . '.' . b64url( json_encode( $claims ) );
	openssl_sign( $input, $sig, $key, OPENSSL_ALGO_SHA256 );
	return $input . '.' . b64url( $sig );
}

$now    = 1800000000;
$claims = array(
	'iss'   => 'https://auth.example.com',
	'sub'   => 'user_01',
	'sid'   => 'session_01',
	'org_id' => 'org_01',
	'role'  => 'admin',
	'roles' => array( 'admin' ),
	'iat'   => $now,
	'exp'   => $now + 300,
);
$good   = jwt( array( 'alg' => 'RS256', 'typ' => 'JWT', 'kid' => 'test-key' ), $claims, $private );

$out = AccessToken::verify( $good, $jwks, array( 'now' => $now ) );
same( 'user_01', $out['sub'], 'sub' );
same( array( 'admin' ), $out['roles'], 'roles' );
same( 'test-key', AccessToken::peekKid( $good ), 'peekKid' );
same( $out, AccessToken::verify( $good, $jwks, array( 'now' => $now, 'issuer' => 'https://auth.example.com', 'leeway' => 0 ) ), 'issuer ok' );

/**
 * Why AccessToken refused a token (TokenException::getReason()), or what else happened.
 *
 * @param callable $fn Verification to run.
 */
function reason( callable $fn ): string {
	$e = thrown( $fn );
	return $e instanceof TokenException ? $e->getReason() : ( $e ? get_class( $e ) . ': ' . $e->getMessage() : 'none' );
}

same( 'expired', reason( fn() => AccessToken::verify( $good, $jwks, array( 'now' => $now + 361 ) ) ), 'expired' );
same( 'bad_signature', reason( fn() => AccessToken::verify( jwt( array( 'alg' => 'RS256', 'kid' => 'test-key' ), $claims, $other ), $jwks, array( 'now' => $now ) ) ), 'wrong key' );
same( 'unknown_kid', reason( fn() => AccessToken::verify( jwt( array( 'alg' => 'RS256', 'kid' => 'nope' ), $claims, $private ), $jwks, array( 'now' => $now ) ) ), 'unknown kid' );
same( 'missing_kid', reason( fn() => AccessToken::verify( jwt( array( 'alg' => 'RS256' ), $claims, $private ), $jwks, array( 'now' => $now ) ) ), 'missing kid' );
$hs = b64url( json_encode( array( 'alg' => 'HS256', 'kid' => 'test-key' ) ) ) . '.' . b64url( json_encode( $claims ) );
$hs .= '.' . b64url( hash_hmac( 'sha256', $hs, $jwks, true ) );
same( 'algorithm_not_allowed', reason( fn() => AccessToken::verify( $hs, $jwks, array( 'now' => $now ) ) ), 'HS256 confusion' );
same( 'issuer_mismatch', reason( fn() => AccessToken::verify( $good, $jwks, array( 'now' => $now, 'issuer' => 'https://evil' ) ) ), 'issuer' );
same( 'bad_jwks', reason( fn() => AccessToken::verify( $good, '{"keys":"x"}' ) ), 'bad jwks' );
same( 'malformed', reason( fn() => AccessToken::verify( 'not.a.token', $jwks ) ), 'garbage token' );
throws( \WorkOS\Native\InvalidArgumentException::class, fn() => AccessToken::verify( $good, $jwks, array( 'leeway' => 99999 ) ), 'leeway range' );
throws( \WorkOS\Native\InvalidArgumentException::class, fn() => AccessToken::verify( $good, $jwks, array( 'nowx' => 1 ) ), 'unknown expectation', 'nowx' );
throws( \WorkOS\Native\InvalidArgumentException::class, fn() => AccessToken::verify( $good, $jwks, array( 'issuer' => array( 1 ) ) ), 'issuer type' );
throws( \TypeError::class, fn() => AccessToken::verify( $good, array() ), 'PHP type check on jwksJson' );

// Many calls on one warm worker stay correct (keys come from the cache).
for ( $i = 0; $i < 200; $i++ ) {
	AccessToken::verify( $good, $jwks, array( 'now' => $now ) );
}
check( true, 'repeated verification' );

finish();
