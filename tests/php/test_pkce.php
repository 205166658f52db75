<?php
/**
 * WorkOS\Native\Pkce through PHP: the Rust side is crates/workos-core/src/pkce.rs. The derived
 * verifier must equal what the plugin's PHP computed before it moved into the core, so a sign-in
 * begun before an upgrade still finishes after it.
 */

/** check(), same(), throws(), finish(): assertions that need only PHP and the extension. */
require __DIR__ . '/assert.php';

use WorkOS\Native\InvalidArgumentException;
use WorkOS\Native\Pkce;

$key     = hash_hmac( 'sha256', 'workos-state', 'a-test-salt' );
$binding = bin2hex( random_bytes( 32 ) );
$flow    = bin2hex( random_bytes( 16 ) );
$php     = rtrim( strtr( base64_encode( hash_hmac( 'sha256', 'pkce|' . $binding . '|' . $flow, $key, true ) ), '+/', '-_' ), '=' );

same( $php, Pkce::derive( $key, $binding, $flow ), 'the same verifier as the PHP derivation' );
same( 43, strlen( Pkce::derive( $key, $binding, $flow ) ), '43 characters' );
check( Pkce::derive( $key, $binding, $flow ) !== Pkce::derive( $key, $binding, bin2hex( random_bytes( 16 ) ) ), 'another flow, another verifier' );
same( 1, preg_match( '/^[A-Za-z0-9_-]{43}$/D', Pkce::challenge( Pkce::derive( $key, $binding, $flow ) ) ), 'usable for a challenge' );
// A browser without the binding cookie gets a verifier, as before (WorkOS then refuses the code).
same( rtrim( strtr( base64_encode( hash_hmac( 'sha256', 'pkce||' . $flow, $key, true ) ), '+/', '-_' ), '=' ), Pkce::derive( $key, '', $flow ), 'empty binding' );
throws( InvalidArgumentException::class, fn() => Pkce::derive( '', $binding, $flow ), 'empty key' );
throws( InvalidArgumentException::class, fn() => Pkce::derive( $key, 'a|b', $flow ), 'a separator in the binding', '|' );

finish();
