<?php
/** Client, State, Pkce, Redirect through PHP (crates/workos-core/src/{client,state,pkce,redirect}). */

/** check(), same(), throws(), finish(): assertions that need only PHP and the extension. */
require __DIR__ . '/assert.php';

use WorkOS\Native\{Client, State, Pkce, Redirect, ApiException, StateException, InvalidArgumentException};

// Client options are validated.
throws( InvalidArgumentException::class, fn() => new Client( array() ), 'no options', 'api_key' );
throws( InvalidArgumentException::class, fn() => new Client( array( 'api_key' => 'k', 'client_id' => 'c', 'bogus' => 1 ) ), 'unknown option', 'bogus' );
throws( InvalidArgumentException::class, fn() => new Client( array( 'api_key' => 'k', 'client_id' => 'c', 'base_url' => 'http://api.example.com' ) ), 'plain http to a remote host', 'https' );
throws( InvalidArgumentException::class, fn() => new Client( array( 'api_key' => 'k', 'client_id' => 'c', 'timeout' => -1 ) ), 'negative timeout' );
throws( InvalidArgumentException::class, fn() => new Client( array( 'api_key' => 'k', 'client_id' => 'c', 'api_key2' => array( array( array() ) ) ) ), 'nested junk' );

$client = new Client( array( 'api_key' => 'sk_test_SECRET123456', 'client_id' => 'client_01', 'base_url' => 'http://127.0.0.1:9/', 'max_retries' => 0, 'timeout' => 2 ) );
same( 'client_01', $client->getClientId(), 'client id' );
same( 'http://127.0.0.1:9', $client->getBaseUrl(), 'base url trimmed' );
check( false === strpos( print_r( $client, true ) . var_export( (array) $client, true ), 'SECRET' ), 'the API key never shows in dumps' );

$url = $client->authorizationUrl( array( 'redirect_uri' => 'https://site.test/workos/callback', 'state' => 'st', 'code_challenge' => Pkce::challenge( Pkce::verifier() ), 'login_hint' => 'a@example.com' ) );
parse_str( (string) parse_url( $url, PHP_URL_QUERY ), $q );
same( '/user_management/authorize', parse_url( $url, PHP_URL_PATH ), 'authorize path' );
same( array( 'client_01', 'code', 'authkit', 'S256', 'a@example.com' ), array( $q['client_id'], $q['response_type'], $q['provider'], $q['code_challenge_method'], $q['login_hint'] ), 'authorize params' );
throws( InvalidArgumentException::class, fn() => $client->authorizationUrl( array( 'state' => 'x' ) ), 'redirect_uri required', 'redirect_uri' );
throws( InvalidArgumentException::class, fn() => $client->authorizationUrl( array( 'redirect_uri' => 'https://s/cb', 'provider' => 'Nope' ) ), 'provider allowlist' );
throws( InvalidArgumentException::class, fn() => $client->authorizationUrl( array( 'redirect_uri' => 'https://s/cb', 'state' => array( 'x' ) ) ), 'non-string param' );

// Nothing listens on port 9: a transport failure is an ApiException with status 0.
$e = thrown( fn() => $client->authenticateWithCode( 'code' ) );
check( $e instanceof ApiException, 'unreachable WorkOS throws ApiException' );
if ( $e instanceof ApiException ) {
	same( 0, $e->getStatus(), 'status 0' );
	same( 'transport_error', $e->getErrorCode(), 'transport code' );
	check( false === strpos( $e->getMessage(), 'SECRET' ), 'no secret in messages' );
}
throws( InvalidArgumentException::class, fn() => $client->authenticateWithCode( '' ), 'empty code' );
throws( InvalidArgumentException::class, fn() => $client->authenticateWithCode( 'c', 'short' ), 'bad verifier' );
throws( InvalidArgumentException::class, fn() => $client->authenticate( array( 'grant_type' => 'password', 'client_secret' => 'x' ) ), 'grant cannot carry credentials' );
// No raw call (whose method allowlist this line used to check): PHP reaches
// WorkOS only through the typed methods, so no method or path is PHP's to pick.
check( ! method_exists( $client, 'request' ) && ! method_exists( $client, 'requestMany' ), 'no method or path is PHP\'s to pick' );

// State: signed, bound, expiring.
$secret = str_repeat( 's', 32 );
$state  = State::issue( $secret, 'browser-1', array( 'r' => '/x', 'n' => 5 ), 60 );
$v      = State::verify( $secret, $state, 'browser-1' );
same( array( 'r' => '/x', 'n' => 5 ), $v['data'], 'state data' );
throws( StateException::class, fn() => State::verify( $secret, $state, 'browser-2' ), 'other browser', 'another browser' );
throws( StateException::class, fn() => State::verify( $secret, $state, 'browser-1', time() + 61 ), 'expired', 'expired' );
throws( StateException::class, fn() => State::verify( $secret, strrev( $state ), 'browser-1' ), 'garbage' );
throws( StateException::class, fn() => State::issue( 'short', 'b' ), 'weak secret' );
same( array(), State::verify( $secret, State::issue( $secret, 'b' ), 'b' )['data'], 'no data' );

// PKCE (RFC 7636 appendix B) and redirects.
same( 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', Pkce::challenge( 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk' ), 'RFC 7636 vector' );
same( 43, strlen( Pkce::verifier() ), 'verifier length' );
same( 'http://site.test/wp-admin/', Redirect::validate( '/wp-admin/', 'http://site.test/', '/' ), 'same-site path' );
same( '/fallback', Redirect::validate( '//evil.example', 'http://site.test/', '/fallback' ), 'scheme-relative refused' );
same( 'https://docs.example.com/a', Redirect::validate( 'https://docs.example.com/a', 'http://site.test/', '/f', array( 'docs.example.com' ) ), 'allowed host' );
throws( InvalidArgumentException::class, fn() => Redirect::validate( '/', 'not a url', '/' ), 'bad site url' );

same( 1, preg_match( '/^\d+\.\d+\.\d+/', \WorkOS\Native\version() ), 'version' );

finish();
