<?php
/**
 * Runs PHP code read from standard input inside the stack's WordPress and prints what the code
 * returns as JSON on standard output. For tests that inspect or set WordPress state.
 *
 *   echo 'return get_option("siteurl");' | WORKOS_STACK_INSTANCE=test php -d extension=… eval.php
 *
 * The code runs at file scope, so WordPress globals ($wpdb, …) are at hand. JSON given in the
 * WP_EVAL_ARGS environment variable is decoded into $args. Anything the code or WordPress prints
 * goes to standard error; an uncaught exception or a fatal error exits non-zero with its message
 * on standard error.
 */

$workos_eval_code = stream_get_contents( STDIN );
$args             = json_decode( getenv( 'WP_EVAL_ARGS' ) ?: 'null', true );

ob_start();
register_shutdown_function(
	static function () {
		$error = error_get_last();
		if ( $error && in_array( $error['type'], array( E_ERROR, E_PARSE, E_CORE_ERROR, E_COMPILE_ERROR, E_USER_ERROR ), true ) ) {
			fwrite( STDERR, "eval.php: fatal error: {$error['message']} in {$error['file']}:{$error['line']}\n" );
		}
	}
);

require __DIR__ . '/bootstrap.php';

try {
	$workos_eval_result = eval( $workos_eval_code ); // phpcs:ignore Squiz.PHP.Eval.Discouraged -- running the given code is what this file is for.
} catch ( Throwable $workos_eval_error ) {
	fwrite( STDERR, (string) ob_get_clean() );
	fwrite( STDERR, 'eval.php: ' . get_class( $workos_eval_error ) . ': ' . $workos_eval_error->getMessage() . "\n" . $workos_eval_error->getTraceAsString() . "\n" );
	exit( 1 );
}

fwrite( STDERR, (string) ob_get_clean() );
echo json_encode( $workos_eval_result, JSON_UNESCAPED_SLASHES | JSON_PARTIAL_OUTPUT_ON_ERROR ), "\n";
