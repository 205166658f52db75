<?php
/**
 * Bearer-token verification cost on a warm worker, side by side in one run:
 *  - the extension (AccessToken::verify; keys parsed once and cached),
 *  - plain PHP that rebuilds the RSA key from the JWK on every call, as the
 *    official PHP SDK's JWT path does (DER from n/e, openssl_pkey_get_public),
 *  - the bare RSA-SHA256 verify with a pre-parsed key (the floor).
 * Prints ns per verification and the ratios.
 */

$fixtures = dirname( __DIR__, 2 ) . '/crates/workos-core/tests/fixtures/';
$jwk      = json_decode( file_get_contents( $fixtures . 'test-jwk.json' ), true );
$jwks     = json_encode( array( 'keys' => array( $jwk ) ) );
$private  = openssl_pkey_get_private( file_get_contents( $fixtures . 'test-rsa.pem' ) );

function b64url_encode( string $s ): string {
	return rtrim( strtr( base64_encode( $s ), '+/', '-_' ), '=' );
}
function b64url_decode( string $s ): string {
	return base64_decode( strtr( $s, '-_', '+/' ) . str_repeat( '=', ( 4 - strlen( $s ) % 4 ) % 4 ) );
}

$claims = array( 'iss' => 'https://api.workos.com', 'sub' => 'user_01', 'sid' => 'session_01', 'org_id' => 'org_01', 'role' => 'member', 'roles' => array( 'member' ), 'permissions' => array(), 'iat' => time(), 'exp' => time() + 3600 );
$input  = b64url_encode( json_encode( array( 'alg' => 'RS256', 'typ' => 'JWT', 'kid' => 'test-key' ) ) ) . '.' . b64url_encode( json_encode( $claims ) );
openssl_sign( $input, $sig, $private, OPENSSL_ALGO_SHA256 );
$token = $input . '.' . b64url_encode( $sig );

/** DER length prefix. */
function der_len( int $n ): string {
	if ( $n < 0x80 ) {
		return chr( $n );
	}
	$bytes = ltrim( pack( 'N', $n ), "\0" );
	return chr( 0x80 | strlen( $bytes ) ) . $bytes;
}
function der_int( string $bytes ): string {
	if ( ord( $bytes[0] ) > 0x7f ) {
		$bytes = "\0" . $bytes;
	}
	return "\x02" . der_len( strlen( $bytes ) ) . $bytes;
}
/** A PEM public key from JWK components, as JWT libraries build it. */
function jwk_to_pem( array $jwk ): string {
	$rsa  = der_int( b64url_decode( $jwk['n'] ) ) . der_int( b64url_decode( $jwk['e'] ) );
	$rsa  = "\x30" . der_len( strlen( $rsa ) ) . $rsa;
	$bits = "\x03" . der_len( strlen( $rsa ) + 1 ) . "\0" . $rsa;
	$alg  = "\x30\x0d\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01\x05\x00";
	$spki = "\x30" . der_len( strlen( $alg . $bits ) ) . $alg . $bits;
	return "-----BEGIN PUBLIC KEY-----\n" . chunk_split( base64_encode( $spki ), 64, "\n" ) . "-----END PUBLIC KEY-----\n";
}

function plain_php_verify( string $token, string $jwks_json ): array {
	$set = json_decode( $jwks_json, true );
	list( $h, $p, $s ) = explode( '.', $token );
	$header = json_decode( b64url_decode( $h ), true );
	if ( 'RS256' !== ( $header['alg'] ?? '' ) ) {
		throw new RuntimeException( 'alg' );
	}
	foreach ( $set['keys'] as $k ) {
		if ( ( $k['kid'] ?? '' ) === ( $header['kid'] ?? null ) ) {
			$key = openssl_pkey_get_public( jwk_to_pem( $k ) );
			if ( 1 !== openssl_verify( "$h.$p", b64url_decode( $s ), $key, OPENSSL_ALGO_SHA256 ) ) {
				throw new RuntimeException( 'signature' );
			}
			$claims = json_decode( b64url_decode( $p ), true );
			if ( $claims['exp'] < time() - 60 ) {
				throw new RuntimeException( 'expired' );
			}
			return $claims;
		}
	}
	throw new RuntimeException( 'kid' );
}

$n = (int) ( $argv[1] ?? 3000 );
$parsed_key = openssl_pkey_get_public( jwk_to_pem( $jwk ) );
list( $h, $p, $s ) = explode( '.', $token );
$raw_sig = b64url_decode( $s );

$cases = array(
	'extension (warm)' => fn() => \WorkOS\Native\AccessToken::verify( $token, $jwks ),
	'plain PHP, key rebuilt per call' => fn() => plain_php_verify( $token, $jwks ),
	'bare openssl_verify, key pre-parsed' => fn() => openssl_verify( "$h.$p", $raw_sig, $parsed_key, OPENSSL_ALGO_SHA256 ),
);
// Sanity: all agree on the token.
if ( \WorkOS\Native\AccessToken::verify( $token, $jwks )['sub'] !== plain_php_verify( $token, $jwks )['sub'] ) {
	fwrite( STDERR, "implementations disagree\n" );
	exit( 1 );
}
$results = array();
foreach ( $cases as $name => $fn ) {
	for ( $i = 0; $i < 200; $i++ ) {
		$fn(); // warm-up
	}
	$best = PHP_INT_MAX;
	for ( $round = 0; $round < 5; $round++ ) {
		$t = hrtime( true );
		for ( $i = 0; $i < $n; $i++ ) {
			$fn();
		}
		$best = min( $best, ( hrtime( true ) - $t ) / $n );
	}
	$results[ $name ] = $best;
}
$ext = $results['extension (warm)'];
$bare = $results['bare openssl_verify, key pre-parsed'];
echo "Bearer token verification, best of 5 rounds x $n calls\n";
foreach ( $results as $name => $ns ) {
	printf( "  %-38s %8.1f µs/op   %5.2fx extension   %5.2fx bare RSA\n", $name, $ns / 1000, $ns / $ext, $ns / $bare );
}
