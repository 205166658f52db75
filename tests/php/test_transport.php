<?php
/**
 * The client's transport through PHP (crates/workos-core/src/client/{http,
 * runtime,bulk,error}.rs): "WorkOS is unavailable" is decided once
 * (ApiException::isTransient(), and `transient` in the bulk methods' results),
 * a CA file is trusted only when it holds PEM certificates, and the
 * emulator's HTTPS listener is reached with its test CA (and refused
 * without it).
 */

/** check(), same(), throws(), finish(): assertions that need only PHP and the extension. */
require __DIR__ . '/assert.php';

use WorkOS\Native\{Client, ApiException, InvalidArgumentException};

/**
 * A variable of the stack's environment (the CLI's, or php-fpm's FastCGI params).
 *
 * @param string $name Variable.
 */
function transport_env( string $name ): string {
	$value = $_SERVER[ $name ] ?? getenv( $name );
	return is_string( $value ) ? $value : '';
}

$base = array(
	'api_key'     => 'sk_test_transport',
	'client_id'   => 'client_transport',
	'base_url'    => 'http://127.0.0.1:9',
	'timeout'     => 2,
	'max_retries' => 0,
);

// Nothing listens on port 9: unreachable is transient, for a single call and in a batch.
$e = thrown( fn() => ( new Client( $base ) )->getUser( 'user_1' ) );
check( $e instanceof ApiException, 'unreachable WorkOS throws ApiException' );
if ( $e instanceof ApiException ) {
	same( true, $e->isTransient(), 'unreachable is transient' );
	same( 0, $e->getStatus(), 'status 0' );
}
$results = ( new Client( $base ) )->listUsersMany( array( array( 'limit' => 1 ) ) );
same( true, $results[0]['transient'] ?? null, 'a failed bulk call says it is transient' );

// ca_file: an absolute path to PEM certificates, checked when the client is built.
$tmp = sys_get_temp_dir() . '/workos-transport-' . getmypid() . '-' . mt_rand();
file_put_contents( $tmp, "not a certificate\n" );
throws( InvalidArgumentException::class, fn() => new Client( array( 'ca_file' => $tmp ) + $base ), 'a CA file that is not PEM', 'ca_file' );
throws( InvalidArgumentException::class, fn() => new Client( array( 'ca_file' => $tmp . '.missing' ) + $base ), 'a missing CA file', 'ca_file' );
throws( InvalidArgumentException::class, fn() => new Client( array( 'ca_file' => 'relative.pem' ) + $base ), 'a relative CA path', 'absolute' );
unlink( $tmp );

// After a fork (as php-fpm forks workers from its master) the child builds its
// own runtime and pool: the inherited ones have no threads there. The CLI
// only: php-fpm has no pcntl.
$plain = transport_env( 'EMULATOR_URL' );
if ( 'cli' === PHP_SAPI && function_exists( 'pcntl_fork' ) && '' !== $plain && '' !== transport_env( 'API_KEY' ) ) {
	$forked = array(
		'api_key'     => transport_env( 'API_KEY' ),
		'client_id'   => transport_env( 'CLIENT_ID' ),
		'base_url'    => $plain,
		'timeout'     => 5,
		'max_retries' => 0,
	);
	$list   = fn() => ( new Client( $forked ) )->listOrganizations( array( 'limit' => 1 ) );
	check( is_array( $list() ), 'a call before the fork' );
	$pid = pcntl_fork();
	if ( 0 === $pid ) {
		// A hang here (a runtime without threads) ends with SIGALRM.
		pcntl_alarm( 15 );
		$ok = false;
		try {
			$ok = is_array( $list() ) && is_array( ( new Client( $forked ) )->listUsersMany( array( array( 'limit' => 1 ) ) )[0]['body'] ?? null );
		} catch ( \Throwable $e ) {
			fwrite( STDERR, 'child: ' . $e->getMessage() . "\n" );
		}
		// Skips the parent's shutdown functions (assert.php's report).
		posix_kill( getmypid(), $ok ? SIGUSR1 : SIGUSR2 );
	}
	pcntl_waitpid( $pid, $status );
	same( SIGUSR1, pcntl_wifsignaled( $status ) ? pcntl_wtermsig( $status ) : -1, 'the forked child called WorkOS (SIGUSR1), single and bulk' );
	check( is_array( $list() ), 'the parent still calls WorkOS after the fork' );
}

// Against the emulator's HTTPS listener and its test CA, when the stack has one.
$tls = transport_env( 'EMULATOR_TLS_URL' );
$ca  = transport_env( 'EMULATOR_CA_FILE' );
$key = transport_env( 'API_KEY' );
if ( '' !== $tls && '' !== $ca && is_readable( $ca ) && '' !== $key ) {
	$options = array(
		'api_key'     => $key,
		'client_id'   => transport_env( 'CLIENT_ID' ),
		'base_url'    => $tls,
		'timeout'     => 5,
		'max_retries' => 0,
	);
	$trusting = new Client( array( 'ca_file' => $ca ) + $options );
	$page     = $trusting->listOrganizations( array( 'limit' => 1 ) );
	check( is_array( $page ) && is_array( $page['data'] ?? null ), 'a list over TLS with the test CA' );
	// A second client (as in the next PHP request) works the same.
	$again = ( new Client( array( 'ca_file' => $ca ) + $options ) )->listOrganizations( array( 'limit' => 1 ) );
	check( is_array( $again ), 'again, with a new client' );

	$missing = thrown( fn() => $trusting->getOrganization( 'org_does_not_exist' ) );
	check( $missing instanceof ApiException && 404 === $missing->getStatus(), 'an unknown organization is a 404' );
	if ( $missing instanceof ApiException ) {
		same( false, $missing->isTransient(), 'a 404 is not transient' );
	}

	$untrusting = thrown( fn() => ( new Client( $options ) )->listOrganizations() );
	check( $untrusting instanceof ApiException && 0 === $untrusting->getStatus(), 'the test CA is not trusted without ca_file' );
	if ( $untrusting instanceof ApiException ) {
		same( true, $untrusting->isTransient(), 'an untrusted certificate fails as transport' );
		check( false !== stripos( $untrusting->getMessage(), 'certificate' ), 'and says why: ' . $untrusting->getMessage() );
	}
} else {
	fwrite( STDERR, "test_transport: no EMULATOR_TLS_URL/EMULATOR_CA_FILE; TLS part skipped\n" );
}

finish();
