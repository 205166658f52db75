<?php
/**
 * The shared harness of the PHP tests that talk to the emulator
 * (test_endpoints.php, test_account_lifecycle.php): the stack's environment,
 * the emulator's control API and request log, and a client pointed at it.
 * Not a test itself (run.sh runs test_*.php only).
 *
 * Use: `require __DIR__ . '/emulator.php'; if ( ! emulator_ready() ) { return; }`
 * — without the stack's environment that records one failed check and
 * finishes, so the script reports FAILED rather than passing vacuously.
 */

/** check(), same(), throws(), finish(): assertions that need only PHP and the extension. */
require_once __DIR__ . '/assert.php';

use WorkOS\Native\Client;

/**
 * A variable of the stack's environment (the CLI's, or php-fpm's FastCGI params).
 *
 * @param string $name Variable.
 */
function env_var( string $name ): string {
	$value = $_SERVER[ $name ] ?? getenv( $name );
	return is_string( $value ) ? $value : '';
}

/**
 * Whether the stack's emulator is configured; when not, records why and
 * finishes the script's output (the caller then returns).
 */
function emulator_ready(): bool {
	if ( '' === env_var( 'EMULATOR_URL' ) || '' === env_var( 'API_KEY' ) ) {
		check( false, 'EMULATOR_URL and API_KEY are set (run through scripts/e2e.sh or the stack env)' );
		finish();
		return false;
	}
	return true;
}

/**
 * A client of the emulator with the stack's credentials, never retrying (a
 * test reads back exactly the requests one call sent).
 */
function emulator_client(): Client {
	return new Client(
		array(
			'api_key'     => env_var( 'API_KEY' ),
			'client_id'   => env_var( 'CLIENT_ID' ),
			'base_url'    => env_var( 'EMULATOR_URL' ),
			'max_retries' => 0,
		)
	);
}

/**
 * A call to the emulator's control API (or its API with the key), decoded.
 *
 * @param string     $method HTTP method.
 * @param string     $path   Path on the emulator.
 * @param array|null $body   JSON body.
 * @return mixed
 */
function emulator( string $method, string $path, ?array $body = null ) {
	$headers = array( 'Content-Type: application/json', 'Authorization: Bearer ' . env_var( 'API_KEY' ) );
	$context = stream_context_create(
		array(
			'http' => array(
				'method'        => $method,
				'header'        => implode( "\r\n", $headers ),
				'content'       => null === $body ? '' : json_encode( $body ),
				'ignore_errors' => true,
				'timeout'       => 5,
			),
		)
	);
	$text = file_get_contents( env_var( 'EMULATOR_URL' ) . $path, false, $context );
	return json_decode( (string) $text, true );
}

/**
 * The API requests the emulator logged after the first `$since`, oldest first.
 *
 * @param int $since Requests to skip (from log_size()).
 */
function sent_since( int $since ): array {
	$all = emulator( 'GET', '/__emulator/requests' )['data'] ?? array();
	return array_values( array_filter( array_slice( $all, $since ), fn( $r ) => 0 !== strpos( $r['path'], '/__emulator' ) ) );
}

/** Empties the request log (it keeps the last 5,000 only): the start of what sent_since() reads. */
function log_size(): int {
	emulator( 'DELETE', '/__emulator/requests' );
	return 0;
}

/**
 * `METHOD path` of a logged request.
 *
 * @param array $r Logged request.
 */
function line( array $r ): string {
	return $r['method'] . ' ' . $r['path'];
}
