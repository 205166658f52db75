<?php
/**
 * Bearer-token verification cost on a warm worker, side by side in one run:
 *  - the extension (AccessToken::verify; keys parsed once and cached),
 *  - plain PHP that rebuilds the RSA key from the JWK on every call, as the
 *    official PHP SDK's JWT path does (DER from n/e, openssl_pkey_get_public),
 *  - the bare RSA-SHA256 verify with a pre-parsed key (the floor).
 * Prints µs per verification (the median call) and the ratios.
 */

$fixtures = dirname( __DIR__, 2 ) . '/crates/workos-core/tests/fixtures/';
$jwk      = json_decode( file_get_contents( $fixtures . 'test-jwk.json' ), true );
$jwks     = json_encode( array( 'keys' => array( $jwk ) ) );
$private  = openssl_pkey_get_private( file_get_contents( $fixtures . 'test-rsa.pem' ) );

/**
 * Base64url without padding, as in a JWT.
 *
 * @param string $s Bytes.
 */
function b64url_encode( string $s ): string {
	return rtrim( strtr( base64_encode( $s ), '+/', '-_' ), '=' );
}

/**
 * The bytes of a base64url string (padding optional).
 *
 * @param string $s Base64url text.
 */
function b64url_decode( string $s ): string {
	return base64_decode( strtr( $s, '-_', '+/' ) . str_repeat( '=', ( 4 - strlen( $s ) % 4 ) % 4 ) );
}

$claims = array( 'iss' => 'https://api.workos.com', 'sub' => 'user_01', 'sid' => 'session_01', 'org_id' => 'org_01', 'role' => 'member', 'roles' => array( 'member' ), 'permissions' => array(), 'iat' => time(), 'exp' => time() + 3600 );
$input  = b64url_encode( json_encode( array( 'alg' => 'RS256', 'typ' => 'JWT', 'kid' => 'test-key' ) ) ) . '.' . b64url_encode( json_encode( $claims ) );
openssl_sign( $input, $sig, $private, OPENSSL_ALGO_SHA256 );
$token = $input . '.' . b64url_encode( $sig );

/**
 * DER length prefix.
 *
 * @param int $n Length of the content.
 */
function der_len( int $n ): string {
	if ( $n < 0x80 ) {
		return chr( $n );
	}
	$bytes = ltrim( pack( 'N', $n ), "\0" );
	return chr( 0x80 | strlen( $bytes ) ) . $bytes;
}

/**
 * A DER INTEGER of big-endian bytes (a leading zero keeps it positive).
 *
 * @param string $bytes Unsigned big-endian value.
 */
function der_int( string $bytes ): string {
	if ( ord( $bytes[0] ) > 0x7f ) {
		$bytes = "\0" . $bytes;
	}
	return "\x02" . der_len( strlen( $bytes ) ) . $bytes;
}
/**
 * A PEM public key from JWK components, as JWT libraries build it.
 *
 * @param array $jwk The key (n, e).
 */
function jwk_to_pem( array $jwk ): string {
	$rsa  = der_int( b64url_decode( $jwk['n'] ) ) . der_int( b64url_decode( $jwk['e'] ) );
	$rsa  = "\x30" . der_len( strlen( $rsa ) ) . $rsa;
	$bits = "\x03" . der_len( strlen( $rsa ) + 1 ) . "\0" . $rsa;
	$alg  = "\x30\x0d\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01\x05\x00";
	$spki = "\x30" . der_len( strlen( $alg . $bits ) ) . $alg . $bits;
	return "-----BEGIN PUBLIC KEY-----\n" . chunk_split( base64_encode( $spki ), 64, "\n" ) . "-----END PUBLIC KEY-----\n";
}

/**
 * Verifies an RS256 token the way a plain-PHP JWT library does: the baseline of the benchmark.
 *
 * @param string $token     The JWT.
 * @param string $jwks_json The key set.
 * @throws RuntimeException When the token is not valid.
 */
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
$native_sub = \WorkOS\Native\AccessToken::verify( $token, $jwks )['sub'];
if ( plain_php_verify( $token, $jwks )['sub'] !== $native_sub ) {
	fwrite( STDERR, "implementations disagree\n" );
	exit( 1 );
}
// Rounds interleave the cases, so load from elsewhere on the machine hits all of them alike, and
// every call is timed on its own: the median call is one no other process interrupted (a call is
// tens of µs, a scheduler slice milliseconds), where a round's total would count the interruptions.
$rounds  = 9;
$samples = array_fill_keys( array_keys( $cases ), array() );
foreach ( $cases as $fn ) {
	for ( $i = 0; $i < 200; $i++ ) {
		$fn(); // Warm-up.
	}
}
for ( $round = 0; $round < $rounds; $round++ ) {
	foreach ( $cases as $name => $fn ) {
		for ( $i = 0; $i < $n; $i++ ) {
			$t                  = hrtime( true );
			$fn();
			$samples[ $name ][] = hrtime( true ) - $t;
		}
	}
}
$results = array();
foreach ( $samples as $name => $ns ) {
	sort( $ns );
	$results[ $name ] = $ns[ intdiv( count( $ns ), 2 ) ];
}
$ext  = $results['extension (warm)'];
$bare = $results['bare openssl_verify, key pre-parsed'];
echo "Bearer token verification, median of $rounds interleaved rounds x $n calls, each timed\n";
foreach ( $results as $name => $ns ) {
	printf( "  %-38s %8.1f µs/op   %5.2fx extension   %5.2fx bare RSA\n", $name, $ns / 1000, $ns / $ext, $ns / $bare );
}
// One JSON row for scripts/bench.sh's results file.
$results_file = getenv( 'BENCH_RESULTS' );
if ( $results_file ) {
	$row = array(
		'bench'            => 'bearer',
		'at'               => gmdate( 'Y-m-d\TH:i:s\Z' ),
		'extension_us'     => round( $ext / 1000, 2 ),
		'plain_php_us'     => round( $results['plain PHP, key rebuilt per call'] / 1000, 2 ),
		'bare_rsa_us'      => round( $bare / 1000, 2 ),
		'ratio_to_bare'    => round( $ext / $bare, 3 ),
		'plain_php_ratio'  => round( $results['plain PHP, key rebuilt per call'] / $ext, 2 ),
		'calls_per_round'  => $n,
		'rounds'           => $rounds,
	);
	file_put_contents( $results_file, json_encode( $row ) . "\n", FILE_APPEND );
}
