<?php
/**
 * Bench-only endpoint for tests/bench/connection_reuse.py (never shipped in php-shim): the driver
 * installs a two-line stub in the instance's wp-content that defines WORKOS_BENCH_TOKEN and
 * WORKOS_BENCH_WP_LOAD and requires this file, and removes it afterwards.
 *
 * POST mode=ext|wp, n=calls, base=API base URL, ca=CA file ('' for plain http), key=API key,
 * client=client id, user=WorkOS user id. Loads WordPress as every page view does (so wp_remote_get
 * is the real one), then times only the n calls: GET /user_management/users/{id} through the
 * extension (a client built per request, as the plugin does; its connection pool lives in the
 * php-fpm worker) or through wp_remote_get() (WordPress's Requests/cURL: a new connection per
 * call), the body decoded in both cases. Answers JSON: the µs of each call and the worker's pid.
 *
 * @package WorkOS_WP
 */

// phpcs:disable WordPress.Security.NonceVerification.Missing -- a bench endpoint guarded by a random token.
if ( ! defined( 'WORKOS_BENCH_TOKEN' ) || ! hash_equals( WORKOS_BENCH_TOKEN, (string) ( $_POST['token'] ?? '' ) ) ) {
	http_response_code( 403 );
	exit;
}
require WORKOS_BENCH_WP_LOAD;

$workos_bench_mode = (string) $_POST['mode'];
$workos_bench_n    = max( 1, (int) $_POST['n'] );
$workos_bench_base = rtrim( (string) $_POST['base'], '/' );
$workos_bench_ca   = (string) $_POST['ca'];
$workos_bench_key  = (string) $_POST['key'];
$workos_bench_user = (string) $_POST['user'];
$workos_bench_us   = array();

try {
	if ( 'ext' === $workos_bench_mode ) {
		$workos_bench_opts = array(
			'api_key'   => $workos_bench_key,
			'client_id' => (string) $_POST['client'],
			'base_url'  => $workos_bench_base,
		);
		if ( '' !== $workos_bench_ca ) {
			$workos_bench_opts['ca_file'] = $workos_bench_ca;
		}
		$workos_bench_client = new \WorkOS\Native\Client( $workos_bench_opts );
		for ( $i = 0; $i < $workos_bench_n; $i++ ) {
			$t    = hrtime( true );
			$user = $workos_bench_client->getUser( $workos_bench_user );
			$workos_bench_us[] = ( hrtime( true ) - $t ) / 1000;
			if ( ( $user['id'] ?? null ) !== $workos_bench_user ) {
				throw new RuntimeException( 'extension: wrong user' );
			}
		}
	} elseif ( 'wp' === $workos_bench_mode ) {
		$workos_bench_args = array(
			'headers' => array( 'Authorization' => 'Bearer ' . $workos_bench_key ),
			'timeout' => 10,
		);
		if ( '' !== $workos_bench_ca ) {
			$workos_bench_args['sslcertificates'] = $workos_bench_ca;
		}
		$workos_bench_url = $workos_bench_base . '/user_management/users/' . rawurlencode( $workos_bench_user );
		for ( $i = 0; $i < $workos_bench_n; $i++ ) {
			$t    = hrtime( true );
			$resp = wp_remote_get( $workos_bench_url, $workos_bench_args );
			$user = is_wp_error( $resp ) ? null : json_decode( wp_remote_retrieve_body( $resp ), true );
			$workos_bench_us[] = ( hrtime( true ) - $t ) / 1000;
			if ( ( $user['id'] ?? null ) !== $workos_bench_user ) {
				throw new RuntimeException( 'wp_remote_get: ' . ( is_wp_error( $resp ) ? $resp->get_error_message() : 'HTTP ' . wp_remote_retrieve_response_code( $resp ) ) );
			}
		}
	} else {
		throw new RuntimeException( 'mode must be ext or wp' );
	}
} catch ( Throwable $e ) {
	http_response_code( 500 );
	header( 'Content-Type: application/json' );
	echo wp_json_encode( array( 'error' => get_class( $e ) . ': ' . $e->getMessage() ) );
	exit;
}
header( 'Content-Type: application/json' );
echo wp_json_encode(
	array(
		'us'  => $workos_bench_us,
		'pid' => getmypid(),
	)
);
